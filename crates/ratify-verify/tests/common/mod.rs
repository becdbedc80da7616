//! Synthetic records to verify and tamper with: built once per test
//! binary (a real ceremony and real ballots), copied for each test.

#![allow(dead_code)] // each test binary uses its own part

use std::path::Path;
use std::sync::OnceLock;

use ratify_testkit::record::{build, test_signer, LogWriter, Plan, Stage};
use ratify_verify::{verify_record, Check, Failure, Options, Verified};
use serde_json::Value;
use tempfile::TempDir;

/// The small certified election of `Plan::small`, built once.
pub fn template() -> &'static Path {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        build(&Plan::small("tamper-2026"), dir.path());
        dir
    })
    .path()
}

/// A fresh copy of the template.
pub fn copy() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    copy_dir(template(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A record of `Plan::small` stopped at `stage`.
pub fn at_stage(stage: Stage) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let mut plan = Plan::small("stage-2026");
    plan.stage = stage;
    build(&plan, dir.path());
    dir
}

pub fn verify(dir: &Path) -> Result<Verified, Failure> {
    verify_record(dir, &Options::default())
}

/// Verifies and expects a failure of `check`.
pub fn fails(dir: &Path, check: Check) -> Failure {
    let f = verify(dir).expect_err("the tampered record must fail");
    eprintln!("{f}");
    assert_eq!(f.check, check, "wrong check failed: {f}");
    f
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).expect("read")
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).expect("write")
}

pub fn json(dir: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(dir, rel)).expect("json")
}

pub fn write_json(dir: &Path, rel: &str, v: &Value) {
    write(dir, rel, &format!("{v:#}\n"))
}

pub fn ballot_lines(dir: &Path) -> Vec<String> {
    read(dir, "ballots.jsonl")
        .lines()
        .map(str::to_string)
        .collect()
}

pub fn write_ballot_lines(dir: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    write(dir, "ballots.jsonl", &text);
}

/// Rewrites the log as a dishonest server holding the key would: every
/// entry through `edit` (which may change its data, or return false to
/// drop it), re-chained, re-signed at the same checkpoint sizes (capped
/// at the new size).
pub fn resign_log(dir: &Path, mut edit: impl FnMut(u64, &str, &mut Value) -> bool) -> LogWriter {
    let sizes: Vec<u64> = std::fs::read_dir(dir.join("log/checkpoints"))
        .expect("checkpoints")
        .map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().to_string();
            name.trim_end_matches(".note").parse().expect("a size")
        })
        .collect();
    let slug = json(dir, "election.json")["slug"]
        .as_str()
        .expect("slug")
        .to_string();
    let mut log = LogWriter::new(&slug, test_signer());
    if sizes.contains(&0) {
        log.checkpoint();
    }
    for line in read(dir, "log/entries.jsonl").lines() {
        let e: Value = serde_json::from_str(line).expect("entry");
        let (index, kind) = (
            e["index"].as_u64().expect("index"),
            e["kind"].as_str().expect("kind"),
        );
        let mut data = e["data"].clone();
        if !edit(index, kind, &mut data) {
            continue;
        }
        log.append(kind, e["actor"].as_str(), data);
        if sizes.contains(&log.size()) {
            log.checkpoint();
        }
    }
    log.checkpoint();
    write_log_of(&log, dir);
    log
}

/// Writes log/ and record.json's entry count for `log`.
pub fn write_log_of(log: &LogWriter, dir: &Path) {
    std::fs::write(dir.join("log/entries.jsonl"), log.entries_file()).expect("entries");
    let cps = dir.join("log/checkpoints");
    std::fs::remove_dir_all(&cps).expect("clear checkpoints");
    std::fs::create_dir_all(&cps).expect("checkpoints");
    for (size, note) in &log.notes {
        std::fs::write(cps.join(format!("{size:020}.note")), note).expect("note");
    }
    let mut record = json(dir, "record.json");
    record["entries"] = log.size().into();
    write_json(dir, "record.json", &record);
}
