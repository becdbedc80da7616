//! Writing the election record.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::*;
use crate::audit::{self, LogName};
use crate::db::DbConnection;
use crate::error::{Error, Result};

/// What an export wrote, for the command's report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub entries: u64,
    pub checkpoints: usize,
}

/// Writes one log (entries, every checkpoint, the verifier key) under `dir`.
/// The caller checkpoints first so the export ends with a signed head.
pub fn write_log(
    conn: &mut DbConnection,
    log: &LogName,
    vkey: &str,
    origin: &str,
    dir: &Path,
) -> Result<Exported> {
    let head = audit::log_head(conn, log)?
        .ok_or_else(|| Error::NotFound(format!("audit log {}", log.as_string())))?;
    create_dir(&dir.join(CHECKPOINT_DIR))?;
    let mut out = create_file(&dir.join(ENTRIES_FILE))?;
    let size = head.size as u64;
    const PAGE: u64 = 10_000;
    let mut start = 0;
    while start < size {
        for line in audit::entries(conn, log, start, (start + PAGE).min(size))? {
            writeln!(out, "{line}").map_err(|e| Error::io(dir.join(ENTRIES_FILE), e))?;
        }
        start += PAGE;
    }
    out.flush()
        .map_err(|e| Error::io(dir.join(ENTRIES_FILE), e))?;
    let notes = audit::checkpoints(conn, log)?;
    for (size, note) in &notes {
        write_file(
            &dir.join(CHECKPOINT_DIR).join(checkpoint_file_name(*size)),
            note,
        )?;
    }
    write_file(&dir.join(VKEY_FILE), &format!("{vkey}\n"))?;
    let record = json!({
        "format": FORMAT,
        "log": log.as_string(),
        "origin": origin,
        "vkey": vkey,
        "entries": size,
    });
    write_file(&dir.join(RECORD_FILE), &format!("{record:#}\n"))?;
    Ok(Exported {
        entries: size,
        checkpoints: notes.len(),
    })
}

/// Checkpoint files sort by name in size order.
pub fn checkpoint_file_name(size: u64) -> String {
    format!("{size:020}.note")
}

pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn create_file(path: &Path) -> Result<std::io::BufWriter<fs::File>> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| Error::io(path, e))
}

pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// Exports an election's record: its audit log (checkpointed first so the
/// export ends with a signed head), the spec, the trustees' public files and
/// combined key, and, stage by stage, the ballots, the tally, the shares,
/// the results and the certificate (docs/audit-format.md). `private` adds
/// the voted list and its salt (the committee's copy for its observers).
pub fn export_election(
    conn: &mut DbConnection,
    slug: &str,
    signer: &ratify_tlog::Signer,
    settings: &crate::config::AuditSettings,
    dir: &Path,
    private: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Exported> {
    let election = crate::election::load_election(conn, slug)?;
    crate::tally::close_if_due(conn, &election, now)?;
    let election = crate::election::load_election(conn, slug)?;
    let log = election.log();
    audit::make_checkpoint(conn, &log, signer, settings)?;
    let origin = audit::origin_of(settings, &log);
    let exported = write_log(conn, &log, &audit::vkey(signer), &origin, dir)?;
    let spec =
        serde_json::to_string_pretty(&election.spec).map_err(|e| Error::Internal(e.to_string()))?;
    write_file(&dir.join(ELECTION_FILE), &format!("{spec}\n"))?;
    let roster = crate::ceremony::roster(conn, slug)?;
    write_file(&dir.join(ROSTER_FILE), &ratify_crypto::to_json(&roster))?;
    if election.public_key.is_some() {
        let keys = crate::ceremony::election_keys_of(conn, election.id)?;
        write_file(&dir.join(KEYS_FILE), &ratify_crypto::to_json(&keys))?;
    }
    if let Some((_, salt)) = crate::tally::close::stored(conn, election.id)? {
        write_ballots(conn, election.id, dir)?;
        if private {
            let members = crate::db::close::voted_member_numbers(conn, election.id)?;
            let voted = json!({ "salt": salt, "members": members });
            write_file(&dir.join(VOTED_FILE), &format!("{voted:#}\n"))?;
        }
    } else if private {
        return Err(Error::Conflict(
            crate::i18n::Message::new("export-not-closed").with("slug", slug),
        ));
    }
    write_after_tally(conn, election.id, dir)?;
    Ok(exported)
}

/// `ballots.jsonl`: every ballot's stored line, in tracker order, a page
/// at a time.
fn write_ballots(conn: &mut DbConnection, election_id: i64, dir: &Path) -> Result<()> {
    let path = dir.join(BALLOTS_FILE);
    let mut out = create_file(&path)?;
    let mut after = String::new();
    loop {
        let rows = crate::db::ballots::page_after(conn, election_id, &after, 10_000)?;
        let Some(last) = rows.last() else { break };
        after = last.tracker.clone();
        for row in &rows {
            writeln!(out, "{}", row.body).map_err(|e| Error::io(&path, e))?;
        }
    }
    out.flush().map_err(|e| Error::io(&path, e))
}

/// `tally.json`, `shares/`, `results.json` and `certificate.json`, as far
/// as the election got.
fn write_after_tally(conn: &mut DbConnection, election_id: i64, dir: &Path) -> Result<()> {
    if crate::tally::stored_groups(conn, election_id)?.is_none() {
        return Ok(());
    }
    let request = crate::ceremony::tally_request_of(conn, election_id)?;
    write_file(&dir.join(TALLY_FILE), &ratify_crypto::to_json(&request))?;
    for share in crate::tally::decrypt::shares(conn, election_id)? {
        let name = format!("trustee-{}.json", share.trustee);
        write_file(
            &dir.join(SHARES_DIR).join(name),
            &ratify_crypto::to_json(&share),
        )?;
    }
    if let Some(results) = crate::tally::decrypt::results_file(conn, election_id)? {
        write_file(&dir.join(RESULTS_FILE), &format!("{results}\n"))?;
    }
    if let Some(cert) = crate::certify::certificate_file(conn, election_id)? {
        write_file(&dir.join(CERTIFICATE_FILE), &format!("{cert}\n"))?;
    }
    Ok(())
}
