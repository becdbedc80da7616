//! Issue 5, server side: entries are written with their change or not at
//! all, appends stay one chain under concurrency (threads, and processes),
//! proofs served over HTTP verify, and `ratify audit verify` catches every
//! kind of tampering with an exported log, naming the entry.

use std::path::{Path, PathBuf};

use chrono::Utc;
use ratify::audit::{self, LogName};
use ratify::db::{write_transaction, Db};
use ratify::error::Error;
use ratify::record::export::write_log;
use serde_json::json;

use crate::helpers::*;

fn election_log() -> LogName {
    LogName::Election("kern-lbfo-2024".into())
}

fn append_n(db: &Db, log: &LogName, n: usize, tag: &str) {
    let mut conn = db.get().unwrap();
    for i in 0..n {
        write_transaction(&mut conn, |conn| {
            audit::append(
                conn,
                log,
                Utc::now(),
                "test.event",
                Some("tester@example.org"),
                audit::data(json!({ "i": i, "tag": tag })),
            )
        })
        .unwrap();
    }
}

/// Checkpoints and exports the log into a fresh directory.
fn export(app: &TestApp, log: &LogName, name: &str) -> PathBuf {
    let dir = app.tmp.path().join(name);
    let signer = audit::signer(&load_keys(app), &app.settings.audit).unwrap();
    let mut conn = app.db.get().unwrap();
    audit::make_checkpoint(&mut conn, log, &signer, &app.settings.audit).unwrap();
    let origin = audit::origin_of(&app.settings.audit, log);
    write_log(&mut conn, log, &audit::vkey(&signer), &origin, &dir).unwrap();
    dir
}

fn load_keys(app: &TestApp) -> ratify::keys::Keys {
    ratify::keys::Keys::load(&app.settings.keys).unwrap()
}

fn checkpoint(app: &TestApp, log: &LogName) {
    let signer = audit::signer(&load_keys(app), &app.settings.audit).unwrap();
    let mut conn = app.db.get().unwrap();
    audit::make_checkpoint(&mut conn, log, &signer, &app.settings.audit).unwrap();
}

fn verify(dir: &Path, saved: Option<&Path>) -> (bool, String) {
    // These exports are bare logs (test kinds, the system log): issue 10's
    // record checks are tests/api/verify_*.rs.
    let mut args = vec![
        "audit".to_string(),
        "verify".into(),
        "--log-only".into(),
        path_str(dir),
    ];
    if let Some(s) = saved {
        args.push("--checkpoint".into());
        args.push(path_str(s));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ratify(&args, &[]);
    (
        out.status.success(),
        format!("{}{}", stdout(&out), stderr(&out)),
    )
}

fn copy_dir(from: &Path, to: &Path) {
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

fn lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("log/entries.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(dir.join("log/entries.jsonl"), text).unwrap();
}

#[actix_web::test]
async fn an_exported_log_verifies_and_every_tampering_is_named() {
    let app = TestApp::spawn().await;
    let log = election_log();
    append_n(&app.db, &log, 12, "a");
    let good = export(&app, &log, "good");
    let (ok, out) = verify(&good, None);
    assert!(ok, "{out}");
    assert!(out.contains("12 log entries"), "{out}");

    let tamper = |name: &str, edit: &dyn Fn(&Path)| -> String {
        let dir = app.tmp.path().join(name);
        copy_dir(&good, &dir);
        edit(&dir);
        let (ok, out) = verify(&dir, None);
        assert!(!ok, "{name} was not detected: {out}");
        out
    };
    let out = tamper("edit", &|d| {
        let mut l = lines(d);
        l[5] = l[5].replace("\"i\":5", "\"i\":50");
        write_lines(d, &l);
    });
    assert!(out.contains("entry 6"), "edit: {out}");
    let out = tamper("delete", &|d| {
        let mut l = lines(d);
        l.remove(3);
        write_lines(d, &l);
    });
    assert!(out.contains("line 4"), "delete: {out}");
    let out = tamper("insert", &|d| {
        let mut l = lines(d);
        let copy = l[2].clone();
        l.insert(2, copy);
        write_lines(d, &l);
    });
    assert!(out.contains("line 4"), "insert: {out}");
    let out = tamper("reorder", &|d| {
        let mut l = lines(d);
        l.swap(7, 8);
        write_lines(d, &l);
    });
    assert!(out.contains("line 8"), "reorder: {out}");
    let out = tamper("truncate", &|d| {
        let mut l = lines(d);
        l.truncate(9);
        write_lines(d, &l);
    });
    assert!(out.contains("checkpoint"), "truncate: {out}");
    let out = tamper("signature", &|d| {
        let cp_dir = d.join("log/checkpoints");
        let file = std::fs::read_dir(&cp_dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let note = std::fs::read_to_string(&file).unwrap();
        // Flip one character of the base64 signature.
        let sig_start = note.rfind(' ').unwrap() + 5;
        let mut bytes = note.into_bytes();
        bytes[sig_start] = if bytes[sig_start] == b'A' { b'B' } else { b'A' };
        std::fs::write(&file, bytes).unwrap();
    });
    assert!(out.contains("signature"), "signature: {out}");
}

#[actix_web::test]
async fn a_saved_checkpoint_catches_rollback_and_fork() {
    let app = TestApp::spawn().await;
    let log = election_log();
    append_n(&app.db, &log, 5, "before");
    let early = export(&app, &log, "early");
    let saved = app.tmp.path().join("saved.note");
    let cp = std::fs::read_dir(early.join("log/checkpoints"))
        .unwrap()
        .last()
        .unwrap()
        .unwrap();
    std::fs::copy(cp.path(), &saved).unwrap();

    append_n(&app.db, &log, 5, "after");
    let later = export(&app, &log, "later");
    let (ok, out) = verify(&later, Some(&saved));
    assert!(
        ok,
        "the grown log is consistent with the saved checkpoint: {out}"
    );

    // Rollback: the server shows an older log than one the auditor saw.
    let newer_saved = app.tmp.path().join("newer.note");
    let cp = std::fs::read_dir(later.join("log/checkpoints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .max()
        .unwrap();
    std::fs::copy(cp, &newer_saved).unwrap();
    let (ok, out) = verify(&early, Some(&newer_saved));
    assert!(!ok && out.contains("rollback"), "{out}");

    // Fork: a different history under the same key, after the saved point.
    let forked_app = TestApp::spawn_with_keys_of(&app).await;
    append_n(&forked_app.db, &log, 10, "forked");
    let forked = export(&forked_app, &log, "forked");
    let (ok, out) = verify(&forked, Some(&saved));
    assert!(!ok && out.to_lowercase().contains("fork"), "{out}");
}

#[actix_web::test]
async fn an_action_whose_transaction_fails_leaves_no_entry() {
    let app = TestApp::spawn().await;
    let log = election_log();
    append_n(&app.db, &log, 2, "ok");
    let mut conn = app.db.get().unwrap();
    let outcome: Result<(), Error> = write_transaction(&mut conn, |conn| {
        audit::append(
            conn,
            &log,
            Utc::now(),
            "test.event",
            None,
            audit::data(json!({})),
        )?;
        Err(Error::Invalid(ratify::i18n::Message::untranslated(
            "the change itself failed",
        )))
    });
    assert!(outcome.is_err());
    let head = audit::log_head(&mut conn, &log).unwrap().unwrap();
    assert_eq!(head.size, 2);
    assert_eq!(audit::entries(&mut conn, &log, 0, 10).unwrap().len(), 2);
    drop(conn);
    append_n(&app.db, &log, 1, "next");
    let (ok, out) = verify(&export(&app, &log, "after-failure"), None);
    assert!(ok, "{out}");
}

#[actix_web::test]
async fn concurrent_appends_from_threads_make_one_chain() {
    let app = TestApp::spawn().await;
    let log = election_log();
    std::thread::scope(|s| {
        for t in 0..8 {
            let db = app.db.clone();
            let log = log.clone();
            s.spawn(move || append_n(&db, &log, 20, &format!("thread-{t}")));
        }
    });
    let dir = export(&app, &log, "threads");
    let (ok, out) = verify(&dir, None);
    assert!(ok, "{out}");
    assert_eq!(lines(&dir).len(), 160);
}

/// Several `ratify` processes appending to one database (on PostgreSQL this
/// is several servers sharing one database): one valid chain.
#[actix_web::test]
async fn concurrent_appends_from_processes_make_one_chain() {
    let app = TestApp::spawn().await;
    let url = app.settings.database.url.clone();
    let children: Vec<_> = (0..6)
        .map(|i| {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ratify"))
                .args([
                    "--config",
                    "config/test.toml",
                    "account",
                    "create",
                    "--email",
                ])
                .arg(format!("member{i}@example.org"))
                .args([
                    "--name",
                    "Committee Member",
                    "--role",
                    "committee",
                    "--password-stdin",
                ])
                .env("RATIFY__DATABASE__URL", &url)
                .env("RATIFY__KEYS__DIR", app.tmp.path().join("keys"))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"a long enough password\n")
                .unwrap();
            child
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    checkpoint(&app, &LogName::System);
    let dir = export(&app, &LogName::System, "system");
    let (ok, out) = verify(&dir, None);
    assert!(ok, "{out}");
    let l = lines(&dir);
    assert_eq!(l.len(), 6);
    assert!(l
        .iter()
        .all(|e| e.contains("account.created") && e.contains("cli:")));
    assert!(
        l.iter().all(|e| !e.contains("password")),
        "no password material in the log"
    );
}

#[actix_web::test]
async fn proofs_served_over_http_verify_and_fail_when_changed() {
    let app = TestApp::spawn().await;
    let log = election_log();
    append_n(&app.db, &log, 9, "p");
    checkpoint(&app, &log);
    let base = "/api/v1/elections/kern-lbfo-2024/log";
    let vkey = app.get(&format!("{base}/vkey")).await.text().await.unwrap();
    let verifier = ratify_tlog::Verifier::from_vkey(vkey.trim()).unwrap();
    let note = app
        .get(&format!("{base}/checkpoint"))
        .await
        .text()
        .await
        .unwrap();
    let cp = ratify_tlog::note::parse_and_verify_checkpoint(&note, &verifier).unwrap();
    assert_eq!(cp.size, 9);

    let proof: serde_json::Value = app
        .get(&format!("{base}/inclusion?index=4&size=9"))
        .await
        .json()
        .await
        .unwrap();
    let hashes: Vec<ratify_tlog::Hash> = serde_json::from_value(proof["hashes"].clone()).unwrap();
    let leaf: ratify_tlog::Hash = serde_json::from_value(proof["leaf_hash"].clone()).unwrap();
    ratify_tlog::verify_inclusion(&leaf, 4, 9, &hashes, &cp.root).unwrap();
    // The leaf is the hash of the entry the entries endpoint serves.
    let entries = app
        .get(&format!("{base}/entries?start=4&end=5"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(ratify_tlog::leaf_hash(entries.trim_end().as_bytes()), leaf);
    let mut bad = hashes.clone();
    bad[0].0[0] ^= 1;
    assert!(ratify_tlog::verify_inclusion(&leaf, 4, 9, &bad, &cp.root).is_err());

    append_n(&app.db, &log, 4, "q");
    checkpoint(&app, &log);
    let note2 = app
        .get(&format!("{base}/checkpoint"))
        .await
        .text()
        .await
        .unwrap();
    let cp2 = ratify_tlog::note::parse_and_verify_checkpoint(&note2, &verifier).unwrap();
    let c: serde_json::Value = app
        .get(&format!("{base}/consistency?old=9&new=13"))
        .await
        .json()
        .await
        .unwrap();
    let hashes: Vec<ratify_tlog::Hash> = serde_json::from_value(c["hashes"].clone()).unwrap();
    ratify_tlog::verify_consistency(9, 13, &cp.root, &cp2.root, &hashes).unwrap();
    let mut wrong_root = cp.root;
    wrong_root.0[31] ^= 1;
    assert!(ratify_tlog::verify_consistency(9, 13, &wrong_root, &cp2.root, &hashes).is_err());
    // Asking beyond the log is a clear 400, not a crash.
    assert_eq!(
        app.get(&format!("{base}/inclusion?index=1&size=99"))
            .await
            .status(),
        400
    );
}
