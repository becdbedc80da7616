//! Issue 10: `ratify audit verify` checks the whole record, not only the
//! log. A real record is exported from a real election; each tampering the
//! issue lists is made on a copy and must fail naming the check, the file
//! and the place.

use ratify_verify::Check;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::verify_support::*;

const KEYS: &str = "trustees/election-keys.json";
const ROSTER: &str = "trustees/roster.json";
const ENTRIES: &str = "log/entries.jsonl";

#[actix_web::test]
async fn a_real_record_verifies_and_reports_as_json() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);
    let v = verify(&good).unwrap();
    assert!(v.key_published && v.trustees == 3, "{v:?}");
    let kinds: Vec<Value> = entries(&good).iter().map(|e| e["kind"].clone()).collect();
    assert!(kinds.contains(&json!("window.extended")) && kinds.contains(&json!("key.published")));

    // The command line, with the log key pinned (its Ed25519 key in hex).
    let hex_key = hex::encode(server_signer(&app).public_key());
    let out = ratify(
        &[
            "--json",
            "audit",
            "verify",
            &path_str(&good),
            "--vkey",
            &hex_key,
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["verified"]["public_key"], json!(v.public_key));

    // A failure as data: which check, which file, which field.
    let bad = copy_of(&app, &good, "json-failure");
    edit_json(&bad, "election.json", |s| s["min_unit_report"] = json!(1));
    let out = ratify(&["--json", "audit", "verify", &path_str(&bad)], &[]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["failure"]["check"], "spec");
    assert_eq!(report["failure"]["check_number"], 4);
    assert_eq!(report["failure"]["file"], "election.json");
    assert_eq!(report["failure"]["field"], "min_unit_report");
    assert!(stderr(&out)
        .contains("check 4 (election spec) failed: election.json, field min_unit_report"));
}

#[actix_web::test]
async fn a_replaced_election_key_is_refused_even_with_a_re_signed_log() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);
    let keys = read_json(&good, KEYS);
    let other = keys["verification_keys"][0].clone();

    let swapped = copy_of(&app, &good, "keys-file");
    edit_json(&swapped, KEYS, |k| k["public_key"] = other.clone());
    fails(&swapped, Check::Keys, KEYS, Some("public_key"));

    // The key holder rewrites key.published too and re-signs the log.
    let resigned = copy_of(&app, &good, "keys-resigned");
    edit_json(&resigned, KEYS, |k| k["public_key"] = other.clone());
    resign(&resigned, &server_signer(&app), |es| {
        let e = es
            .iter_mut()
            .find(|e| e["kind"] == "key.published")
            .unwrap();
        e["data"]["public_key"] = other.clone();
    });
    fails(&resigned, Check::Keys, KEYS, Some("public_key"));

    let vk = copy_of(&app, &good, "verification-key");
    edit_json(&vk, KEYS, |k| k["verification_keys"][2] = other.clone());
    fails(&vk, Check::Keys, KEYS, Some("verification_keys[2]"));

    let gone = copy_of(&app, &good, "keys-missing");
    std::fs::remove_file(gone.join(KEYS)).unwrap();
    fails(&gone, Check::Keys, KEYS, None);
}

#[actix_web::test]
async fn changed_trustee_files_are_refused_naming_the_file() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);
    let roster = read_json(&good, ROSTER);

    let public = copy_of(&app, &good, "public-key");
    edit_json(&public, ROSTER, |r| {
        r["public"][0]["receive_key"] = roster["public"][1]["receive_key"].clone()
    });
    fails(&public, Check::Roster, ROSTER, Some("public[0]"));

    let commitment = copy_of(&app, &good, "commitment");
    edit_json(&commitment, ROSTER, |r| {
        r["deals"][1]["commitments"][1] = roster["deals"][1]["commitments"][0].clone()
    });
    fails(&commitment, Check::Roster, ROSTER, Some("deals[1]"));

    let ciphertext = copy_of(&app, &good, "ciphertext");
    edit_json(&ciphertext, ROSTER, |r| {
        let c = r["deals"][2]["shares"][0]["ciphertext"].as_str().unwrap();
        let flipped = if c.starts_with('0') { "1" } else { "0" };
        r["deals"][2]["shares"][0]["ciphertext"] = json!(format!("{flipped}{}", &c[1..]));
    });
    fails(&ciphertext, Check::Roster, ROSTER, Some("deals[2]"));

    let dropped = copy_of(&app, &good, "confirmation-dropped");
    edit_json(&dropped, ROSTER, |r| {
        r["confirmations"].as_array_mut().unwrap().pop();
    });
    let f = fails(&dropped, Check::Roster, ROSTER, None);
    assert!(f.reason.contains("confirmation"), "{f}");

    let bad_hex = copy_of(&app, &good, "bad-hex");
    edit_json(&bad_hex, ROSTER, |r| {
        r["public"][2]["identity_key"] = json!("zz")
    });
    fails(
        &bad_hex,
        Check::Roster,
        ROSTER,
        Some("public[2].identity_key"),
    );
}

#[actix_web::test]
async fn an_edited_or_missing_spec_or_trustees_folder_is_refused() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);

    let title = copy_of(&app, &good, "title");
    edit_json(&title, "election.json", |s| {
        s["title"]["en"] = json!("Another vote")
    });
    fails(&title, Check::Spec, "election.json", Some("title"));

    // The extension is applied: the logged close plus a day is the close.
    let close = copy_of(&app, &good, "close");
    edit_json(&close, "election.json", |s| {
        s["closes_at"] = json!("2099-12-12T01:00:00Z")
    });
    fails(&close, Check::Spec, "election.json", Some("closes_at"));

    let extra = copy_of(&app, &good, "extra-member");
    edit_json(&extra, "election.json", |s| s["quorum"] = json!(1));
    fails(&extra, Check::Spec, "election.json", Some("quorum"));

    let no_spec = copy_of(&app, &good, "no-spec");
    std::fs::remove_file(no_spec.join("election.json")).unwrap();
    fails(&no_spec, Check::Layout, "election.json", None);

    let no_trustees = copy_of(&app, &good, "no-trustees");
    std::fs::remove_dir_all(no_trustees.join("trustees")).unwrap();
    fails(&no_trustees, Check::Layout, ROSTER, None);
}

#[actix_web::test]
async fn record_json_and_the_checkpoint_files_are_checked() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);

    let count = copy_of(&app, &good, "count");
    edit_json(&count, "record.json", |r| r["entries"] = json!(3));
    fails(&count, Check::Log, "record.json", Some("entries"));

    let other = copy_of(&app, &good, "other-election");
    edit_json(&other, "record.json", |r| {
        r["log"] = json!("election/other-vote")
    });
    fails(&other, Check::Layout, "record.json", Some("origin"));

    let renamed = copy_of(&app, &good, "renamed");
    let cps = renamed.join("log/checkpoints");
    let first = std::fs::read_dir(&cps)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::rename(&first, cps.join(format!("{:020}.note", 999))).unwrap();
    let f = fails(
        &renamed,
        Check::Log,
        "log/checkpoints/00000000000000000999.note",
        Some("size"),
    );
    assert!(f.reason.contains("999"), "{f}");

    let stray = copy_of(&app, &good, "stray");
    std::fs::write(stray.join("log/checkpoints/notes.txt"), "hello").unwrap();
    fails(&stray, Check::Layout, "log/checkpoints/notes.txt", None);
}

#[actix_web::test]
async fn signed_entries_that_break_the_kinds_table_are_refused() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);
    let signer = server_signer(&app);
    let tamper = |name: &str, edit: &dyn Fn(&mut Vec<Value>)| {
        let dir = copy_of(&app, &good, name);
        resign(&dir, &signer, edit);
        dir
    };
    let last = entries(&good).len();

    let dir = tamper("undocumented", &|es| {
        let mut e = es[last - 1].clone();
        e["kind"] = json!("votes.deleted");
        es.push(e);
    });
    fails(&dir, Check::Entries, ENTRIES, Some("kind"));

    let dir = tamper("cast-names-member", &|es| {
        let mut e = es[last - 1].clone();
        e["kind"] = json!("ballot.cast");
        e["actor"] = json!("member 10001");
        e["data"] =
            json!({ "tracker": "ab".repeat(32), "unit": "U1", "ballot_hash": "cd".repeat(32) });
        es.push(e);
    });
    let f = fails(&dir, Check::Entries, ENTRIES, Some("actor"));
    assert_eq!(f.entry, Some(last as u64));
    assert!(f.reason.contains("S7"), "{f}");

    let dir = tamper("roll-after-key", &|es| {
        let roll = es
            .iter()
            .find(|e| e["kind"] == "roll.imported")
            .unwrap()
            .clone();
        let mut e = roll;
        e["time"] = es[last - 1]["time"].clone();
        e["data"]["replaced"] = json!(true);
        es.push(e);
    });
    fails(&dir, Check::Entries, ENTRIES, Some("kind"));

    let dir = tamper("no-genesis", &|es| {
        es.remove(0);
    });
    let f = fails(&dir, Check::Entries, ENTRIES, Some("kind"));
    assert_eq!(f.entry, Some(0));

    let dir = tamper("missing-field", &|es| {
        let e = es
            .iter_mut()
            .find(|e| e["kind"] == "key.published")
            .unwrap();
        e["data"].as_object_mut().unwrap().remove("roster_digest");
    });
    fails(&dir, Check::Entries, ENTRIES, Some("data.roster_digest"));

    let dir = tamper("roll-counts", &|es| {
        let e = es
            .iter_mut()
            .find(|e| e["kind"] == "roll.imported")
            .unwrap();
        e["data"]["members"] = json!(21);
    });
    fails(&dir, Check::Roll, ENTRIES, Some("data.members"));
}

#[actix_web::test]
async fn a_record_re_signed_with_another_key_fails_when_the_key_is_pinned() {
    let app = TestApp::spawn().await;
    let good = export_record(&app);
    let real = server_signer(&app);
    let forger = ratify_tlog::Signer::from_seed(real.name(), &[9; 32]).unwrap();
    let dir = copy_of(&app, &good, "forged");
    resign(&dir, &forger, |_| {});
    // Self-consistent: only the auditor's own copy of the key catches it.
    assert!(verify(&dir).is_ok());
    for pinned in [real.vkey(), hex::encode(real.public_key())] {
        let out = ratify(
            &[
                "--json",
                "audit",
                "verify",
                &path_str(&dir),
                "--vkey",
                &pinned,
            ],
            &[],
        );
        assert!(!out.status.success());
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(report["failure"]["check"], "log", "{report}");
        assert_eq!(report["failure"]["file"], "log/vkey", "{report}");
    }
}

/// A record with an upheld complaint, then the voided deal, the new deal,
/// new confirmations and the key: each stage verifies, and a complaint
/// logged against the wrong dealer does not.
#[actix_web::test]
async fn a_record_through_a_voided_deal_verifies_and_complaints_are_checked() {
    use ratify::clock::Clock;
    use ratify_crypto::{self as crypto, ConfirmOutcome, TrusteeFile};

    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future(SLUG));
    app.import_roll_of(SLUG, 10);
    let secrets = crate::ceremony_support::upheld_complaint(&app, SLUG);
    let draft = export_to(&app, "with-complaint");
    let v = verify(&draft).unwrap();
    assert!(!v.key_published);

    let wrong = copy_of(&app, &draft, "complaint-against");
    resign(&wrong, &server_signer(&app), |es| {
        let e = es
            .iter_mut()
            .find(|e| e["data"]["file"] == "complaint")
            .unwrap();
        e["data"]["against"] = json!([1]);
    });
    fails(&wrong, Check::Roster, ROSTER, Some("complaints"));

    let mut conn = app.db.get().unwrap();
    let now = app.clock.now();
    ratify::ceremony::void_deal(&mut conn, SLUG, 3, "upheld", Some("setup@example.org"), now)
        .unwrap();
    let register = |conn: &mut _, f: TrusteeFile| {
        ratify::ceremony::register_trustee_file(
            conn,
            SLUG,
            &f.to_json(),
            Some("setup@example.org"),
            now,
        )
        .unwrap();
    };
    let r = ratify::ceremony::roster(&mut conn, SLUG).unwrap();
    register(
        &mut conn,
        TrusteeFile::Deal(crypto::deal(&secrets[2], &r).unwrap()),
    );
    let r = ratify::ceremony::roster(&mut conn, SLUG).unwrap();
    for s in &secrets {
        let ConfirmOutcome::Confirmed(c) = crypto::confirm(s, &r).unwrap() else {
            panic!("a complaint after the new deal");
        };
        register(&mut conn, TrusteeFile::Confirmation(c));
    }
    drop(conn);
    app.publish_key(SLUG);
    let done = export_to(&app, "after-void");
    assert!(verify(&done).unwrap().key_published);
    assert!(entries(&done).iter().any(|e| e["kind"] == "trustee.voided"));

    // Dropping the voiding entry leaves two deals of trustee 3 in the log.
    let unvoided = copy_of(&app, &done, "unvoided");
    resign(&unvoided, &server_signer(&app), |es| {
        es.retain(|e| e["kind"] != "trustee.voided")
    });
    fails(&unvoided, Check::Roster, ENTRIES, Some("data.trustee"));
}
