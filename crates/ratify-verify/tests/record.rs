//! Checks 8–14 on synthetic records (ratify-testkit's record builder: a
//! real ceremony, real ballots with known choices, a signed log): a valid
//! record passes at every stage, and each tampering fails naming the
//! check, the file, the line or entry, and the field.

mod common;

use common::*;
use ratify_crypto::{encrypt_ballot, ElectionContext, ElectionKeys, QuestionShape};
use ratify_testkit::record::{line_of, Stage};
use ratify_verify::Check;
use serde_json::{json, Value};

#[test]
fn a_certified_record_passes_every_check_and_says_so() {
    let v = verify(template()).expect("the synthetic record verifies");
    assert_eq!(v.ballots, 11);
    assert_eq!(v.checks.len(), 14);
    assert!(
        v.checks.iter().take(13).all(|c| c.reached),
        "{:?}",
        v.checks
    );
    // No private/voted.json in the public copy would leave 14 unreached;
    // the template is the committee's copy.
    assert!(v.checks[13].reached, "{:?}", v.checks[13]);
    assert!(
        v.checks[12].note.contains("certified by 2"),
        "{}",
        v.checks[12].note
    );
}

#[test]
fn the_results_are_the_known_choices_with_the_two_thirds_boundary_and_the_tie() {
    let r = json(template(), "results.json");
    let u1 = &r["groups"][0];
    assert_eq!(u1["name"], "U1");
    // 4 of 6 chose yes: exactly 2/3 passes at_least 2/3.
    assert_eq!(u1["questions"][0]["counts"], json!({"yes": 4, "no": 2}));
    assert_eq!(u1["questions"][0]["passed"], true);
    // 2 yes, 2 no, 2 blank: a tie fails a majority.
    assert_eq!(u1["questions"][1]["counts"], json!({"yes": 2, "no": 2}));
    assert_eq!(u1["questions"][1]["blank"], 2);
    assert_eq!(u1["questions"][1]["passed"], false);
    // XH (1 ballot, below 3) is never reported alone (S8).
    assert_eq!(r["groups"][1]["name"], "U2+XH");
    assert_eq!(r["groups"].as_array().unwrap().len(), 2);
}

#[test]
fn each_earlier_stage_passes_and_reports_the_later_checks_as_not_reached() {
    for (stage, reached) in [
        (Stage::Open, 7),
        (Stage::Closed, 8),
        (Stage::Tallied, 10),
        (Stage::OneShare, 11),
        (Stage::Published, 12),
    ] {
        let dir = at_stage(stage);
        let v = verify(dir.path()).unwrap_or_else(|f| panic!("{stage:?}: {f}"));
        let got: Vec<u8> = v
            .checks
            .iter()
            .filter(|c| c.reached)
            .map(|c| c.check_number)
            .collect();
        let want: Vec<u8> = (1..=reached)
            .chain([14].into_iter().filter(|_| stage > Stage::Open))
            .collect();
        assert_eq!(got, want, "{stage:?}: {:?}", v.checks);
        for c in v.checks.iter().filter(|c| !c.reached) {
            assert!(c.note.starts_with("passed trivially"), "{stage:?}: {c:?}");
        }
    }
}

#[test]
fn a_changed_ciphertext_byte_fails_check_8_naming_the_line() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    let at = lines[3].find("\"a\":\"").unwrap() + 5;
    let flipped = if &lines[3][at..at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    lines[3].replace_range(at..at + 1, flipped);
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!((f.file.as_str(), f.line), ("ballots.jsonl", Some(4)), "{f}");
    let field = f.field.clone().unwrap();
    assert!(
        field == "ballot.answers[0].selections[0].ciphertext.a" || field == "tracker",
        "{f}"
    );
}

#[test]
fn swapped_ciphertexts_with_the_old_tracker_fail_the_tracker() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    let mut v: Value = serde_json::from_str(&lines[2]).unwrap();
    let sels = &mut v["ballot"]["answers"][0]["selections"];
    let first = sels[0]["ciphertext"].clone();
    sels[0]["ciphertext"] = sels[1]["ciphertext"].clone();
    sels[1]["ciphertext"] = first;
    // serde_json's Value would sort the members: write it as the server does.
    let ballot: ratify_crypto::EncryptedBallot =
        serde_json::from_value(v["ballot"].clone()).unwrap();
    let old_tracker = v["tracker"].as_str().unwrap();
    lines[2] =
        line_of(v["unit"].as_str().unwrap(), &ballot).replace(&ballot.tracker_hex(), old_tracker);
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(
        (f.line, f.field.as_deref()),
        (Some(3), Some("tracker")),
        "{f}"
    );
}

#[test]
fn swapped_ciphertexts_under_a_recomputed_tracker_fail_the_proofs() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    let mut v: Value = serde_json::from_str(&lines[2]).unwrap();
    let sels = &mut v["ballot"]["answers"][1]["selections"];
    let first = sels[0]["ciphertext"].clone();
    sels[0]["ciphertext"] = sels[1]["ciphertext"].clone();
    sels[1]["ciphertext"] = first;
    let ballot: ratify_crypto::EncryptedBallot =
        serde_json::from_value(v["ballot"].clone()).unwrap();
    lines[2] = line_of(v["unit"].as_str().unwrap(), &ballot);
    lines.sort();
    let at = lines
        .iter()
        .position(|l| l.contains(&ballot.tracker_hex()))
        .unwrap();
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(
        (f.line, f.field.as_deref()),
        (Some(at as u64 + 1), Some("ballot")),
        "{f}"
    );
    assert!(
        f.reason.contains("proofs do not verify") && f.reason.contains("strike"),
        "{f}"
    );
}

#[test]
fn a_changed_unit_fails_check_8_against_the_cast_entry() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    let i = lines
        .iter()
        .position(|l| l.contains("\"unit\":\"U1\""))
        .unwrap();
    lines[i] = lines[i].replace("\"unit\":\"U1\"", "\"unit\":\"U2\"");
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(
        (f.line, f.field.as_deref()),
        (Some(i as u64 + 1), Some("unit")),
        "{f}"
    );
    assert!(f.reason.contains("ballot.cast entry"), "{f}");
}

#[test]
fn a_deleted_ballot_line_fails_naming_the_cast_entry_without_a_line() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    lines.remove(5);
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(f.line, Some(6), "{f}");
    assert!(f.reason.contains("has no line"), "{f}");
}

#[test]
fn a_deleted_last_line_fails_too() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    lines.pop();
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(f.line, Some(11), "{f}");
    assert!(f.reason.contains("has no line"), "{f}");
}

#[test]
fn a_duplicated_ballot_line_fails_the_order() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    lines.insert(3, lines[2].clone());
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(
        (f.line, f.field.as_deref()),
        (Some(4), Some("tracker")),
        "{f}"
    );
    assert!(f.reason.contains("line 3"), "{f}");
}

#[test]
fn reordered_ballot_lines_fail_the_order() {
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    lines.swap(7, 8);
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(f.line, Some(9), "{f}");
}

fn context_of(dir: &std::path::Path) -> ElectionContext {
    let keys: ElectionKeys =
        serde_json::from_value(json(dir, "trustees/election-keys.json")).unwrap();
    let spec = json(dir, "election.json");
    let questions = spec["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| QuestionShape {
            id: q["id"].as_str().unwrap().into(),
            options: 2,
            allow_blank: q["allow_blank"].as_bool().unwrap(),
        })
        .collect();
    ElectionContext {
        election_id: spec["slug"].as_str().unwrap().into(),
        public_key: keys.public_key,
        questions,
    }
}

#[test]
fn a_valid_ballot_that_was_never_cast_fails_check_8() {
    let dir = copy();
    let ctx = context_of(dir.path());
    let ballot = encrypt_ballot(&ctx, &[Some(0), None], &mut ratify_crypto::os_rng()).unwrap();
    let mut lines = ballot_lines(dir.path());
    lines.push(line_of("U1", &ballot));
    lines.sort();
    let at = lines
        .iter()
        .position(|l| l.contains(&ballot.tracker_hex()))
        .unwrap();
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    assert_eq!(f.line, Some(at as u64 + 1), "{f}");
    assert!(f.reason.contains("never cast"), "{f}");
}

#[test]
fn a_replayed_answer_under_a_new_tracker_is_a_duplicate() {
    // Another member's encrypted answer copied into a ballot: its proofs
    // verify (they bind the question, not the voter) and the tracker is
    // recomputed, so only the duplicate check can catch the re-cast vote.
    let dir = copy();
    let mut lines = ballot_lines(dir.path());
    let x: Value = serde_json::from_str(&lines[0]).unwrap();
    let mut y: Value = serde_json::from_str(&lines[1]).unwrap();
    y["ballot"]["answers"][0] = x["ballot"]["answers"][0].clone();
    let ballot: ratify_crypto::EncryptedBallot =
        serde_json::from_value(y["ballot"].clone()).unwrap();
    lines[1] = line_of(y["unit"].as_str().unwrap(), &ballot);
    lines.sort();
    let first = lines
        .iter()
        .position(|l| *l == ballot_lines(template())[0])
        .unwrap();
    let second = lines
        .iter()
        .position(|l| l.contains(&ballot.tracker_hex()))
        .unwrap();
    write_ballot_lines(dir.path(), &lines);
    let f = fails(dir.path(), Check::Ballots);
    let (a, b) = (first.min(second) + 1, first.max(second) + 1);
    assert_eq!(f.line, Some(b as u64), "{f}");
    assert!(
        f.reason.contains(&format!("same ciphertext as line {a}")),
        "{f}"
    );
}

#[test]
fn a_changed_total_fails_check_10_naming_the_total() {
    let dir = copy();
    let mut t = json(dir.path(), "tally.json");
    let opts = &mut t["groups"][0]["totals"]["questions"][0]["options"];
    let first = opts[0].clone();
    opts[0] = opts[1].clone();
    opts[1] = first;
    write_json(dir.path(), "tally.json", &t);
    let f = fails(dir.path(), Check::Totals);
    assert_eq!(f.file, "tally.json");
    assert_eq!(
        f.field.as_deref(),
        Some("groups[0].totals.questions[0].options[0].a"),
        "{f}"
    );
}

#[test]
fn a_changed_decryption_share_fails_check_11_naming_the_trustee() {
    let dir = copy();
    let mut s = json(dir.path(), "shares/trustee-2.json");
    let group = &mut s["shares"][0][0];
    let first = group[0]["share"].clone();
    group[0]["share"] = group[1]["share"].clone();
    group[1]["share"] = first;
    write_json(dir.path(), "shares/trustee-2.json", &s);
    let f = fails(dir.path(), Check::Decryption);
    assert_eq!(
        (f.file.as_str(), f.field.as_deref()),
        ("shares/trustee-2.json", Some("shares")),
        "{f}"
    );
    assert!(f.reason.contains("trustee 2"), "{f}");
}

#[test]
fn a_missing_decryption_share_fails_check_11() {
    let dir = copy();
    std::fs::remove_file(dir.path().join("shares/trustee-1.json")).unwrap();
    let f = fails(dir.path(), Check::Decryption);
    assert_eq!(f.file, "shares/trustee-1.json", "{f}");
    assert!(f.reason.contains("missing"), "{f}");
}

fn results_fails_at(edit: impl Fn(&mut Value), field: &str) {
    let dir = copy();
    let mut r = json(dir.path(), "results.json");
    edit(&mut r);
    write_json(dir.path(), "results.json", &r);
    let f = fails(dir.path(), Check::Results);
    assert_eq!(
        (f.file.as_str(), f.field.as_deref()),
        ("results.json", Some(field)),
        "{f}"
    );
}

#[test]
fn a_wrong_count_blank_pass_or_eligible_fails_check_12_naming_it() {
    results_fails_at(
        |r| r["groups"][0]["questions"][0]["counts"]["yes"] = json!(5),
        "groups[0].questions[0].counts.yes",
    );
    results_fails_at(
        |r| r["groups"][1]["questions"][1]["blank"] = json!(0),
        "groups[1].questions[1].blank",
    );
    results_fails_at(
        |r| r["groups"][0]["questions"][1]["passed"] = json!(true),
        "groups[0].questions[1].passed",
    );
    results_fails_at(
        |r| r["groups"][1]["eligible"] = json!(10),
        "groups[1].eligible",
    );
    results_fails_at(
        |r| r["overall"]["questions"][0]["counts"]["no"] = json!(1),
        "overall.questions[0].counts.no",
    );
}

#[test]
fn a_results_digest_that_is_not_the_files_fails_check_12() {
    let dir = copy();
    resign_log(dir.path(), |_, kind, data| {
        if kind == "results.published" {
            data["results_digest"] = json!("00".repeat(32));
        }
        true
    });
    let f = fails(dir.path(), Check::Results);
    assert_eq!(
        (f.file.as_str(), f.field.as_deref()),
        ("log/entries.jsonl", Some("data.results_digest")),
        "{f}"
    );
    assert!(f.entry.is_some());
}

#[test]
fn a_small_unit_reported_alone_breaks_s8_in_check_9() {
    let dir = copy();
    let mut at = None;
    resign_log(dir.path(), |i, kind, data| {
        if kind == "tally.computed" {
            at = Some(i);
            data["groups"] = json!([
                {"name": "U1", "units": ["U1"], "ballots": 6},
                {"name": "U2", "units": ["U2"], "ballots": 4},
                {"name": "XH", "units": ["XH"], "ballots": 1},
            ]);
        }
        true
    });
    let f = fails(dir.path(), Check::Grouping);
    assert_eq!(
        (f.entry, f.field.as_deref()),
        (at, Some("data.groups[1]")),
        "{f}"
    );
    assert!(f.reason.contains("U2+XH"), "{f}");
}

#[test]
fn a_wrong_certificate_field_fails_check_13_naming_it() {
    let dir = copy();
    let mut c = json(dir.path(), "certificate.json");
    c["roll"]["members"] = json!(18);
    write_json(dir.path(), "certificate.json", &c);
    let f = fails(dir.path(), Check::Certificate);
    assert_eq!(
        (f.file.as_str(), f.field.as_deref()),
        ("certificate.json", Some("roll.members")),
        "{f}"
    );
}

#[test]
fn a_certificate_signed_over_another_text_or_by_another_key_fails_check_13() {
    let dir = copy();
    let mut c = json(dir.path(), "certificate.json");
    let signer = ratify_testkit::record::test_signer();
    c["signature"] = json!(signer
        .sign_note("ratify-certificate/1\ntamper-2026\nabc\n")
        .unwrap());
    write_json(dir.path(), "certificate.json", &c);
    let f = fails(dir.path(), Check::Certificate);
    assert_eq!(f.field.as_deref(), Some("signature"), "{f}");
    assert!(f.reason.contains("another text"), "{f}");

    let other = ratify_tlog::Signer::from_seed(ratify_testkit::record::KEY_NAME, &[9; 32]).unwrap();
    let text = signer_text(dir.path());
    c["signature"] = json!(other.sign_note(&text).unwrap());
    write_json(dir.path(), "certificate.json", &c);
    let f = fails(dir.path(), Check::Certificate);
    assert_eq!(f.field.as_deref(), Some("signature"), "{f}");
    assert!(f.reason.contains("does not open"), "{f}");
}

/// The text the template's certificate signs.
fn signer_text(dir: &std::path::Path) -> String {
    let c = json(template(), "certificate.json");
    let note = c["signature"].as_str().unwrap();
    let _ = dir;
    note.split("\n\n").next().unwrap().to_string() + "\n"
}

#[test]
fn an_entry_after_the_quorum_certification_fails_check_3() {
    let dir = copy();
    let log = resign_log(dir.path(), |_, _, _| true);
    let mut log = log;
    let at = log.append(
        "election.certified",
        Some("carol@union.example"),
        json!({"account": "carol@union.example"}),
    );
    log.checkpoint();
    write_log_of(&log, dir.path());
    let f = fails(dir.path(), Check::Entries);
    assert_eq!(
        (f.entry, f.field.as_deref()),
        (Some(at), Some("kind")),
        "{f}"
    );
    assert!(f.reason.contains("S11"), "{f}");
}

#[test]
fn a_voted_list_that_does_not_open_the_commitment_fails_check_14() {
    let dir = copy();
    let mut v = json(dir.path(), "private/voted.json");
    v["members"][3] = json!("M0000003x");
    write_json(dir.path(), "private/voted.json", &v);
    let f = fails(dir.path(), Check::VotedCommitment);
    assert_eq!(
        (f.file.as_str(), f.field.as_deref()),
        ("private/voted.json", Some("members")),
        "{f}"
    );
}

#[test]
fn without_the_private_list_check_14_passes_trivially() {
    let dir = copy();
    std::fs::remove_dir_all(dir.path().join("private")).unwrap();
    let v = verify(dir.path()).unwrap();
    assert!(!v.checks[13].reached && v.checks[13].note.contains("private/voted.json"));
}

#[test]
fn a_stray_file_or_share_name_fails_the_layout() {
    let dir = copy();
    write(dir.path(), "shares/trustee-01.json", "{}");
    let f = fails(dir.path(), Check::Layout);
    assert_eq!(f.file, "shares/trustee-01.json", "{f}");
    let dir = copy();
    write(dir.path(), "private/roll.csv", "x");
    assert_eq!(fails(dir.path(), Check::Layout).file, "private/roll.csv");
}

#[test]
fn ballots_before_the_close_fail_check_8() {
    let open = at_stage(Stage::Open);
    std::fs::copy(
        template().join("ballots.jsonl"),
        open.path().join("ballots.jsonl"),
    )
    .unwrap();
    let f = fails(open.path(), Check::Ballots);
    assert!(f.reason.contains("never closed"), "{f}");
}

#[test]
fn the_json_form_of_a_failure_is_unchanged() {
    let dir = copy();
    std::fs::remove_file(dir.path().join("shares/trustee-1.json")).unwrap();
    let f = verify(dir.path()).unwrap_err();
    let v = serde_json::to_value(&f).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["check", "check_number", "file", "reason"]);
    assert_eq!(v["check"], "decryption");
    assert_eq!(v["check_number"], 11);
}
