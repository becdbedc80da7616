//! Check 2: the log (docs/audit-format.md §"Verification", steps 1–5),
//! with the record's own additions: log/vkey equals record.json's key and
//! the auditor's pinned key, every checkpoint file's name is the size it
//! signs, and record.json's entry count is the log's.

use std::io::{BufRead, BufReader};
use std::path::Path;

use base64::Engine;
use ratify_tlog::{verify_log, Checkpoint, LogSummary, Verifier, VerifyError};
use serde_json::{Map, Value};

use crate::json::read_text;
use crate::layout::{Layout, ENTRIES, RECORD, VKEY};
use crate::{Check, Failure, Options};

/// One verified entry, parsed for checks 3–7.
#[derive(Debug, Clone)]
pub struct Logged {
    pub index: u64,
    pub time: String,
    pub kind: String,
    pub actor: Option<String>,
    pub data: Map<String, Value>,
}

fn fail(file: &str, why: impl Into<String>) -> Failure {
    Failure::new(Check::Log, file, why)
}

pub fn check_log(dir: &Path, layout: &Layout, opts: &Options) -> Result<LogSummary, Failure> {
    let key = verifier_key(dir, layout, opts)?;
    for (file, size, note) in &layout.notes {
        // A note that does not open is reported by verify_log below, with
        // its reason; here only the name of one that does.
        if let Ok(text) = key.open(note) {
            let cp = Checkpoint::parse_body(text).map_err(|e| fail(file, e.to_string()))?;
            if cp.size != *size {
                return Err(fail(
                    file,
                    format!(
                        "the file name says size {size} but the checkpoint signs size {}",
                        cp.size
                    ),
                )
                .field("size"));
            }
        }
    }
    let notes: Vec<&str> = layout.notes.iter().map(|n| n.2.as_str()).collect();
    let path = dir.join(ENTRIES);
    let file = std::fs::File::open(&path).map_err(|e| fail(ENTRIES, e.to_string()))?;
    let summary = verify_log(
        BufReader::with_capacity(1 << 20, file),
        &notes,
        &key,
        Some(&layout.header.origin),
        opts.saved_checkpoint.as_deref(),
    )
    .map_err(|e| log_failure(layout, e))?;
    if summary.entries != layout.header.entries {
        return Err(Failure::new(
            Check::Log,
            RECORD,
            format!(
                "says {} entries but the log has {}",
                layout.header.entries, summary.entries
            ),
        )
        .field("entries"));
    }
    Ok(summary)
}

/// Reads the verified log again, one entry at a time (a 500,000-ballot
/// log is never held as text or as JSON values at once): `each` sees
/// every entry in index order.
pub fn for_each_entry(
    dir: &Path,
    mut each: impl FnMut(Logged) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let file = std::fs::File::open(dir.join(ENTRIES)).map_err(|e| fail(ENTRIES, e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut index = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| fail(ENTRIES, e.to_string()).line(index + 1))?;
        if n == 0 {
            return Ok(());
        }
        each(parse_entry(index, line.trim_end_matches('\n'))?)?;
        index += 1;
    }
}

/// log/vkey must equal record.json's `vkey`, and the pinned key if any.
fn verifier_key(dir: &Path, layout: &Layout, opts: &Options) -> Result<Verifier, Failure> {
    let text = read_text(dir, VKEY, Check::Log)?;
    let file_key = text.trim_end_matches('\n');
    if file_key != layout.header.vkey {
        return Err(fail(VKEY, "is not the key record.json names").field("vkey"));
    }
    let key = Verifier::from_vkey(file_key).map_err(|e| fail(VKEY, e.to_string()))?;
    if let Some(pinned) = &opts.vkey {
        let pinned = pinned.trim();
        let same = if pinned.contains('+') {
            pinned == file_key
        } else {
            public_key_hex(file_key).is_some_and(|k| k == pinned.to_ascii_lowercase())
        };
        if !same {
            return Err(fail(
                VKEY,
                "the record's log key is not the key you pinned with --vkey: the record was signed by someone else",
            ));
        }
    }
    Ok(key)
}

/// The Ed25519 public key of a C2SP verifier key, in hex.
fn public_key_hex(vkey: &str) -> Option<String> {
    let b64 = vkey.splitn(3, '+').nth(2)?;
    let raw = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    (raw.len() == 33).then(|| hex::encode(&raw[1..]))
}

/// Maps the log verifier's error to the file and place it names.
fn log_failure(layout: &Layout, e: VerifyError) -> Failure {
    use VerifyError::*;
    let note = |n: usize| {
        layout
            .notes
            .get(n.saturating_sub(1))
            .map_or("log/checkpoints".to_string(), |x| x.0.clone())
    };
    // The place goes into the failure's own fields: drop the message's
    // "entry N (line L): " / "line L: " / "checkpoint N: " prefix.
    let full = e.to_string();
    let reason = match full.split_once(": ") {
        Some((place, rest)) if is_place(place) => rest.to_string(),
        _ => full,
    };
    match e {
        Io { line, .. } | EntryParse { line, .. } | IndexGap { line, .. } => {
            fail(ENTRIES, reason).line(line)
        }
        NotCanonical { index, .. }
        | ChainBroken { index, .. }
        | BadGenesis { index, .. }
        | TimeWentBackwards { index, .. } => fail(ENTRIES, reason).entry(index),
        CheckpointMalformed { checkpoint, .. }
        | BadSignature { checkpoint, .. }
        | WrongOrigin { checkpoint, .. }
        | OutOfOrder { checkpoint, .. }
        | Inconsistent { checkpoint, .. }
        | RootMismatch { checkpoint, .. }
        | Truncated { checkpoint, .. } => fail(&note(checkpoint), reason),
        UnsignedTail { signed, .. } => fail(ENTRIES, reason).entry(signed),
        _ => fail("log/checkpoints", reason),
    }
}

/// `line L`, `checkpoint N` or `entry N (line L)`.
fn is_place(s: &str) -> bool {
    let words: Vec<&str> = s.split(' ').collect();
    let number = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        ["line" | "checkpoint", n] => number(n),
        ["entry", n, "(line", l] => number(n) && l.strip_suffix(')').is_some_and(number),
        _ => false,
    }
}

/// One line of a log that verified: the six members are known to be there.
fn parse_entry(index: u64, line: &str) -> Result<Logged, Failure> {
    let bad = || fail(ENTRIES, "not an entry object").entry(index);
    let mut v: Map<String, Value> = serde_json::from_str(line).map_err(|_| bad())?;
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .ok_or_else(bad)?
        .to_string();
    let time = v
        .get("time")
        .and_then(Value::as_str)
        .ok_or_else(bad)?
        .to_string();
    let actor = match v.get("actor") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) => None,
        _ => return Err(bad()),
    };
    let Some(Value::Object(data)) = v.remove("data") else {
        return Err(bad());
    };
    Ok(Logged {
        index,
        time,
        kind,
        actor,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::is_place;

    #[test]
    fn only_a_bare_place_is_dropped_from_the_message() {
        assert!(is_place("entry 6 (line 7)"));
        assert!(is_place("line 4"));
        assert!(is_place("checkpoint 2"));
        assert!(!is_place(
            "checkpoint 1 signs 12 entries but the export has only 11"
        ));
        assert!(!is_place(
            "the saved checkpoint is not valid under the log's key"
        ));
    }
}
