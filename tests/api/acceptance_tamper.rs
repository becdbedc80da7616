//! The tampered copies of step 7 of the acceptance scenario: each edits a
//! copy of an exported record in one way, and names the file its failure
//! must name.

use std::path::Path;

type Tamper = fn(&Path);

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn entries(dir: &Path) -> std::path::PathBuf {
    dir.join("log/entries.jsonl")
}

fn edit_entry(dir: &Path) {
    let mut l = lines(&entries(dir));
    l[3] = l[3].replacen("\"kind\":\"", "\"kind\":\"x", 1);
    write_lines(&entries(dir), &l);
}

fn delete_entry(dir: &Path) {
    let mut l = lines(&entries(dir));
    l.remove(4);
    write_lines(&entries(dir), &l);
}

fn insert_entry(dir: &Path) {
    let mut l = lines(&entries(dir));
    let copy = l[5].clone();
    l.insert(6, copy);
    write_lines(&entries(dir), &l);
}

fn reorder_entries(dir: &Path) {
    let mut l = lines(&entries(dir));
    l.swap(6, 7);
    write_lines(&entries(dir), &l);
}

fn truncate_entries(dir: &Path) {
    let mut l = lines(&entries(dir));
    l.truncate(l.len() - 3);
    write_lines(&entries(dir), &l);
}

/// Flips one hex digit of the first ballot's first ciphertext.
fn change_ballot(dir: &Path) {
    let path = dir.join("ballots.jsonl");
    let mut l = lines(&path);
    let at = l[0].find("\"a\":\"").unwrap() + 10;
    let digit = if &l[0][at..=at] == "0" { "1" } else { "0" };
    l[0].replace_range(at..=at, digit);
    write_lines(&path, &l);
}

fn duplicate_ballot(dir: &Path) {
    let path = dir.join("ballots.jsonl");
    let mut l = lines(&path);
    let copy = l[0].clone();
    l.insert(1, copy);
    write_lines(&path, &l);
}

/// Replaces one partial decryption with another of the same share.
fn change_share(dir: &Path) {
    let path = dir.join("shares/trustee-1.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["shares"][0][0][0]["share"] = v["shares"][0][0][1]["share"].clone();
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Puts the signature line of the first checkpoint on the last one.
fn swap_signature(dir: &Path) {
    let cps = dir.join("log/checkpoints");
    let mut names: Vec<_> = std::fs::read_dir(&cps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let (first, last) = (names[0].clone(), names[names.len() - 1].clone());
    let sig = |p: &Path| {
        let t = std::fs::read_to_string(p).unwrap();
        let (body, sig) = t.split_once("\n\n").unwrap();
        (body.to_string(), sig.to_string())
    };
    let (_, first_sig) = sig(&first);
    let (last_body, _) = sig(&last);
    std::fs::write(&last, format!("{last_body}\n\n{first_sig}")).unwrap();
}

/// Changes one encrypted total of the tally.
fn change_total(dir: &Path) {
    let path = dir.join("tally.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let opts = &mut v["groups"][0]["totals"]["questions"][0]["options"];
    let other = opts[1]["a"].clone();
    opts[0]["a"] = other;
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Each case: its name, the tampering, and what the failure must name.
pub fn cases() -> Vec<(&'static str, Tamper, &'static str)> {
    vec![
        ("edit-entry", edit_entry, "entries.jsonl"),
        ("delete-entry", delete_entry, "entries.jsonl"),
        ("insert-entry", insert_entry, "entries.jsonl"),
        ("reorder-entries", reorder_entries, "entries.jsonl"),
        ("truncate-entries", truncate_entries, "entries"),
        ("change-ballot", change_ballot, "ballots.jsonl"),
        ("duplicate-ballot", duplicate_ballot, "ballots.jsonl"),
        ("change-share", change_share, "trustee-1.json"),
        ("swap-signature", swap_signature, "checkpoints"),
        ("change-total", change_total, "tally.json"),
    ]
}
