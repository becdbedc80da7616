//! Builds exported logs for the verification tests.
#![allow(dead_code)]

use ratify_tlog::note::sign_checkpoint;
use ratify_tlog::{Checkpoint, Entry, Frontier, Signer, Timestamp};
use serde_json::json;

pub const ORIGIN: &str = "ratify.example/strike-2026";

pub fn signer() -> Signer {
    Signer::from_seed("ratify.example", &[42u8; 32]).unwrap()
}

/// `n` entries, one second apart, of a few kinds.
pub fn entries(n: u64) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for i in 0..n {
        let (kind, actor, data) = match i % 3 {
            0 => (
                "ballot.cast",
                None,
                json!({"tracker": format!("t{i:06}"), "unit": "warehouse"}),
            ),
            1 => (
                "credential.issued",
                Some("alice@union.example"),
                json!({"count": i, "note": "bulk \"issue\"\n"}),
            ),
            _ => (
                "window.extended",
                Some("bob"),
                json!({"reason": "outage ü", "until": "2026-11-30T17:00:00.000Z"}),
            ),
        };
        let t = Timestamp::from_unix_millis(1_795_339_800_000 + i as i64 * 1000).unwrap();
        let data = data.as_object().unwrap().clone();
        let e = Entry::next(out.last().map(Entry::link), t, kind, actor, data).unwrap();
        out.push(e);
    }
    out
}

/// JSON Lines export: one canonical entry per line.
pub fn export(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        out.extend_from_slice(&e.canonical_bytes());
        out.push(b'\n');
    }
    out
}

/// Signed checkpoints of `entries` at each of `sizes`.
pub fn checkpoints(entries: &[Entry], sizes: &[u64], signer: &Signer) -> Vec<String> {
    let mut f = Frontier::new();
    let mut out = Vec::new();
    let mut sizes = sizes.iter().peekable();
    for i in 0..=entries.len() {
        while sizes.peek().is_some_and(|&&s| s == i as u64) {
            sizes.next();
            out.push(
                sign_checkpoint(&Checkpoint::new(ORIGIN, i as u64, f.root()), signer).unwrap(),
            );
        }
        if i < entries.len() {
            f.append(entries[i].leaf_hash());
        }
    }
    assert!(sizes.next().is_none(), "sizes beyond the log");
    out
}

pub fn lines(export: &[u8]) -> Vec<Vec<u8>> {
    export
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

pub fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}
