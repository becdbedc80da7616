//! Check 1: record.json and the layout of the record directory.

use std::path::Path;

use serde::Deserialize;

use crate::json::{parse, read_text};
use crate::{Check, Failure};

pub const FORMAT: &str = "ratify-record/1";
pub const RECORD: &str = "record.json";
pub const ENTRIES: &str = "log/entries.jsonl";
pub const CHECKPOINTS: &str = "log/checkpoints";
pub const VKEY: &str = "log/vkey";
pub const ELECTION: &str = "election.json";
pub const ROSTER: &str = "trustees/roster.json";
pub const KEYS: &str = "trustees/election-keys.json";
pub const BALLOTS: &str = "ballots.jsonl";
pub const TALLY: &str = "tally.json";
pub const SHARES: &str = "shares";
pub const RESULTS: &str = "results.json";
pub const CERTIFICATE: &str = "certificate.json";
pub const VOTED: &str = "private/voted.json";

/// Files that belong at the top of a record. Which of the stages' files
/// must or must not be there is checked by the stage's check (8–14).
const TOP: &[&str] = &[
    RECORD,
    "log",
    ELECTION,
    "trustees",
    BALLOTS,
    TALLY,
    SHARES,
    RESULTS,
    CERTIFICATE,
    "private",
];

/// record.json.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub log: String,
    pub origin: String,
    pub vkey: String,
    pub entries: u64,
}

/// What check 1 read.
#[derive(Debug)]
pub struct Layout {
    pub header: Header,
    pub slug: String,
    /// (file name, size in its name, note text), in size order.
    pub notes: Vec<(String, u64, String)>,
    pub has_keys: bool,
    /// shares/trustee-<j>.json: (j, relative path), by j.
    pub shares: Vec<(u64, String)>,
}

fn fail(file: &str, why: impl Into<String>) -> Failure {
    Failure::new(Check::Layout, file, why)
}

pub fn check_layout(dir: &Path, log_only: bool) -> Result<Layout, Failure> {
    let header: Header = parse(
        &read_text(dir, RECORD, Check::Layout)?,
        RECORD,
        Check::Layout,
    )?;
    if header.format != FORMAT {
        return Err(fail(
            RECORD,
            format!("format is {:?}, not {FORMAT:?}", header.format),
        )
        .field("format"));
    }
    if log_only {
        return log_only_layout(dir, header);
    }
    let slug = header
        .log
        .strip_prefix("election/")
        .filter(|s| !s.is_empty() && !s.contains('/'))
        .ok_or_else(|| fail(RECORD, "log must be \"election/<slug>\"").field("log"))?
        .to_string();
    if !header.origin.ends_with(&format!("/election/{slug}")) {
        return Err(
            fail(RECORD, format!("origin must end with \"/election/{slug}\"")).field("origin"),
        );
    }
    for required in [ENTRIES, VKEY, ELECTION, ROSTER] {
        if !dir.join(required).is_file() {
            return Err(fail(required, "the file is missing: a record must have it"));
        }
    }
    stray(dir, "", TOP)?;
    stray(dir, "log", &["entries.jsonl", "vkey", "checkpoints"])?;
    stray(dir, "trustees", &["roster.json", "election-keys.json"])?;
    let shares = share_files(dir)?;
    if dir.join("private").exists() {
        stray(dir, "private", &["voted.json"])?;
    }
    for file in [BALLOTS, TALLY, RESULTS, CERTIFICATE] {
        let path = dir.join(file);
        if path.exists() && !path.is_file() {
            return Err(fail(file, "must be a file, not a folder"));
        }
    }
    let notes = checkpoint_files(dir)?;
    Ok(Layout {
        has_keys: dir.join(KEYS).is_file(),
        header,
        slug,
        notes,
        shares,
    })
}

/// A bare log export: record.json and log/ only.
fn log_only_layout(dir: &Path, header: Header) -> Result<Layout, Failure> {
    if !header.origin.ends_with(&format!("/{}", header.log)) {
        return Err(
            fail(RECORD, format!("origin must end with \"/{}\"", header.log)).field("origin"),
        );
    }
    for required in [ENTRIES, VKEY] {
        if !dir.join(required).is_file() {
            return Err(fail(required, "the file is missing: a record must have it"));
        }
    }
    stray(dir, "log", &["entries.jsonl", "vkey", "checkpoints"])?;
    Ok(Layout {
        has_keys: false,
        shares: Vec::new(),
        slug: header.log.clone(),
        notes: checkpoint_files(dir)?,
        header,
    })
}

/// Fails on a file in `sub` that the layout does not name.
fn stray(dir: &Path, sub: &str, allowed: &[&str]) -> Result<(), Failure> {
    let path = dir.join(sub);
    let list = std::fs::read_dir(&path).map_err(|e| fail(sub, format!("cannot be read: {e}")))?;
    for entry in list {
        let entry = entry.map_err(|e| fail(sub, format!("cannot be read: {e}")))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !allowed.contains(&name.as_str()) {
            let rel = if sub.is_empty() {
                name
            } else {
                format!("{sub}/{name}")
            };
            return Err(fail(&rel, "a file the record layout does not have"));
        }
    }
    Ok(())
}

/// shares/: only `trustee-<j>.json` files (j in decimal, no leading zero).
fn share_files(dir: &Path) -> Result<Vec<(u64, String)>, Failure> {
    let path = dir.join(SHARES);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let list =
        std::fs::read_dir(&path).map_err(|e| fail(SHARES, format!("cannot be read: {e}")))?;
    let mut shares = Vec::new();
    for entry in list {
        let entry = entry.map_err(|e| fail(SHARES, e.to_string()))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = format!("{SHARES}/{name}");
        let j = name
            .strip_prefix("trustee-")
            .and_then(|r| r.strip_suffix(".json"))
            .filter(|d| {
                !d.is_empty() && !d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit())
            })
            .and_then(|d| d.parse::<u64>().ok())
            .ok_or_else(|| fail(&rel, "not a share file: names are trustee-<j>.json"))?;
        shares.push((j, rel));
    }
    shares.sort();
    Ok(shares)
}

/// log/checkpoints: only `<size, 20 digits>.note` files; read in size order.
fn checkpoint_files(dir: &Path) -> Result<Vec<(String, u64, String)>, Failure> {
    let path = dir.join(CHECKPOINTS);
    let list = std::fs::read_dir(&path).map_err(|e| {
        fail(
            CHECKPOINTS,
            format!("the folder is missing or unreadable: {e}"),
        )
    })?;
    let mut notes = Vec::new();
    for entry in list {
        let entry = entry.map_err(|e| fail(CHECKPOINTS, e.to_string()))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = format!("{CHECKPOINTS}/{name}");
        let size = name
            .strip_suffix(".note")
            .filter(|d| d.len() == 20 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u64>().ok())
            .ok_or_else(|| {
                fail(
                    &rel,
                    "not a checkpoint file: names are <size as 20 digits>.note",
                )
            })?;
        let text = read_text(dir, &rel, Check::Layout)?;
        notes.push((rel, size, text));
    }
    notes.sort_by_key(|n| n.1);
    Ok(notes)
}
