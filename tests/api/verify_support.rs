//! A real election record for the verifier tests (issue 10): an election
//! from the acceptance spec, a roll, the key ceremony, an extension and
//! the published key, exported by `ratify::record::export`; and the tools
//! to tamper with a copy, including re-signing the log as the key holder
//! could.

use std::path::{Path, PathBuf};

use chrono::Duration;
use ratify::audit;
use ratify::clock::Clock;
use ratify_tlog::{Checkpoint, Entry, Frontier, Link, Signer, Timestamp};
use ratify_verify::{Check, Failure, Options, Verified};
use serde_json::Value;

use crate::helpers::*;

/// The server's checkpoint signer.
pub fn server_signer(app: &TestApp) -> Signer {
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    audit::signer(&keys, &app.settings.audit).unwrap()
}

/// Runs a whole election up to the published key and exports its record.
pub fn export_record(app: &TestApp) -> PathBuf {
    app.create_election(&SpecFixture::far_future(SLUG));
    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    let limits = app.settings.election.limits();
    let later = e.spec.closes_at() + Duration::days(1);
    let extended = ratify::election::extend_window(
        &mut conn,
        SLUG,
        later,
        "mail outage",
        &limits,
        SETUP,
        app.clock.now(),
    );
    assert!(extended.is_ok());
    drop(conn);
    app.publish_key(SLUG);
    export_to(app, "record")
}

/// Exports the election's record as it stands into `name`.
pub fn export_to(app: &TestApp, name: &str) -> PathBuf {
    let dir = app.tmp.path().join(name);
    let mut conn = app.db.get().unwrap();
    ratify::record::export::export_election(
        &mut conn,
        SLUG,
        &server_signer(app),
        &app.settings.audit,
        &dir,
        false,
        app.clock.now(),
    )
    .unwrap();
    dir
}

pub fn verify(dir: &Path) -> Result<Verified, Failure> {
    ratify_verify::verify_record(dir, &Options::default())
}

/// Verifies `dir` and asserts it fails at `check` naming `file` (and
/// `field`, when given); returns the failure.
pub fn fails(dir: &Path, check: Check, file: &str, field: Option<&str>) -> Failure {
    let f = verify(dir).expect_err("the tampering was not detected");
    assert_eq!(f.check, check, "{f}");
    assert_eq!(f.file, file, "{f}");
    if let Some(field) = field {
        assert_eq!(f.field.as_deref(), Some(field), "{f}");
    }
    f
}

/// A fresh copy of the record, named `name`.
pub fn copy_of(app: &TestApp, good: &Path, name: &str) -> PathBuf {
    let dir = app.tmp.path().join(name);
    copy_dir(good, &dir);
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn read_json(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

pub fn write_json(dir: &Path, file: &str, v: &Value) {
    std::fs::write(dir.join(file), format!("{v:#}\n")).unwrap();
}

/// Edits a JSON file of the record.
pub fn edit_json(dir: &Path, file: &str, edit: impl FnOnce(&mut Value)) {
    let mut v = read_json(dir, file);
    edit(&mut v);
    write_json(dir, file, &v);
}

/// The log's entries as JSON.
pub fn entries(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("log/entries.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Rewrites the log with `edit` applied, re-chained and signed end to end
/// by `signer` (one checkpoint over everything), as whoever holds that key
/// could; record.json and log/vkey name `signer`'s key.
pub fn resign(dir: &Path, signer: &Signer, edit: impl FnOnce(&mut Vec<Value>)) {
    let mut all = entries(dir);
    edit(&mut all);
    let mut prev: Option<Link> = None;
    let mut frontier = Frontier::new();
    let mut text = String::new();
    for e in &all {
        let time = Timestamp::parse(e["time"].as_str().unwrap()).unwrap();
        let data = e["data"].as_object().unwrap().clone();
        let kind = e["kind"].as_str().unwrap();
        let entry = Entry::next(prev, time, kind, e["actor"].as_str(), data).unwrap();
        text.push_str(std::str::from_utf8(&entry.canonical_bytes()).unwrap());
        text.push('\n');
        frontier.append(entry.leaf_hash());
        prev = Some(entry.link());
    }
    std::fs::write(dir.join("log/entries.jsonl"), text).unwrap();
    let cps = dir.join("log/checkpoints");
    std::fs::remove_dir_all(&cps).unwrap();
    std::fs::create_dir(&cps).unwrap();
    let mut record = read_json(dir, "record.json");
    let origin = record["origin"].as_str().unwrap().to_string();
    let n = all.len() as u64;
    let note =
        ratify_tlog::note::sign_checkpoint(&Checkpoint::new(&origin, n, frontier.root()), signer)
            .unwrap();
    std::fs::write(cps.join(format!("{n:020}.note")), note).unwrap();
    record["entries"] = n.into();
    record["vkey"] = signer.vkey().into();
    write_json(dir, "record.json", &record);
    std::fs::write(dir.join("log/vkey"), format!("{}\n", signer.vkey())).unwrap();
}
