//! `ratify audit verify DIR`: checks an exported record offline, trusting
//! nothing the server says beyond the verifier key the auditor pins.
//! One function per check, in the order of docs/audit-format.md.

use std::fs;
use std::io::BufReader;
use std::path::Path;

use ratify_tlog::{verify_log, LogSummary, Verifier};
use serde::Deserialize;

use super::*;
use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
struct RecordHeader {
    format: String,
    origin: String,
    vkey: String,
}

/// What verified, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub log: String,
    pub entries: u64,
    pub checkpoints: usize,
    pub root: String,
}

/// Verifies the record in `dir`. `pinned_vkey`, when given, must equal the
/// record's key (an auditor pins the key shown on the election's page);
/// `saved_checkpoint` is an earlier checkpoint note to check for rollback
/// and forks.
pub fn verify_record(
    dir: &Path,
    pinned_vkey: Option<&str>,
    saved_checkpoint: Option<&str>,
) -> Result<Verified> {
    let header = read_header(dir)?;
    let key = verifier_key(dir, &header, pinned_vkey)?;
    let notes = read_checkpoints(dir)?;
    let summary = verify_audit_log(dir, &key, &header, &notes, saved_checkpoint)?;
    Ok(Verified {
        log: header.origin,
        entries: summary.entries,
        checkpoints: summary.checkpoints,
        root: summary.root.to_hex(),
    })
}

fn read_header(dir: &Path) -> Result<RecordHeader> {
    let path = dir.join(RECORD_FILE);
    let text = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let header: RecordHeader =
        serde_json::from_str(&text).map_err(|e| Error::Invalid(format!("{RECORD_FILE}: {e}")))?;
    if header.format != FORMAT {
        return Err(Error::Invalid(format!(
            "{RECORD_FILE}: format {:?} is not {FORMAT:?}",
            header.format
        )));
    }
    Ok(header)
}

/// The verifier key: log/vkey and record.json must agree, and match the
/// auditor's pinned key if one is given.
fn verifier_key(dir: &Path, header: &RecordHeader, pinned: Option<&str>) -> Result<Verifier> {
    let path = dir.join(VKEY_FILE);
    let file_key = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let file_key = file_key.trim();
    if file_key != header.vkey {
        return Err(Error::Invalid(format!(
            "{VKEY_FILE} and {RECORD_FILE} name different verifier keys"
        )));
    }
    if let Some(pinned) = pinned {
        if pinned.trim() != file_key {
            return Err(Error::Invalid(
                "the record's verifier key is not the pinned key".into(),
            ));
        }
    }
    Verifier::from_vkey(file_key).map_err(|e| Error::Invalid(format!("{VKEY_FILE}: {e}")))
}

/// Every checkpoint note, in size order (file names sort by size).
fn read_checkpoints(dir: &Path) -> Result<Vec<String>> {
    let cp_dir = dir.join(CHECKPOINT_DIR);
    let mut names: Vec<_> = fs::read_dir(&cp_dir)
        .map_err(|e| Error::io(&cp_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "note"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| fs::read_to_string(p).map_err(|e| Error::io(p, e)))
        .collect()
}

fn verify_audit_log(
    dir: &Path,
    key: &Verifier,
    header: &RecordHeader,
    notes: &[String],
    saved: Option<&str>,
) -> Result<LogSummary> {
    let path = dir.join(ENTRIES_FILE);
    let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    verify_log(
        BufReader::with_capacity(1 << 20, file),
        notes,
        key,
        Some(&header.origin),
        saved,
    )
    .map_err(|e| Error::Invalid(format!("audit log: {e}")))
}
