//! Writing the election record, to a directory or an archive
//! ([`RecordSink`]): the same code, so both hold the same bytes.

use std::path::Path;

use serde_json::json;

use super::sink::{DirSink, PagedLines, RecordSink};
use super::*;
use crate::audit::{self, LogName};
use crate::db::DbConnection;
use crate::election::{ElectionState, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::Message;

/// What an export wrote, for the command's report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub entries: u64,
    pub checkpoints: usize,
}

/// Rows per query while streaming the log and the ballots: memory stays
/// flat however large the election.
const PAGE: u64 = 10_000;

/// Writes one log (entries, every checkpoint, the verifier key) under `dir`.
/// The caller checkpoints first so the export ends with a signed head.
pub fn write_log(
    conn: &mut DbConnection,
    log: &LogName,
    vkey: &str,
    origin: &str,
    dir: &Path,
) -> Result<Exported> {
    write_log_to(conn, log, vkey, origin, &mut DirSink::new(dir))
}

fn write_log_to(
    conn: &mut DbConnection,
    log: &LogName,
    vkey: &str,
    origin: &str,
    sink: &mut dyn RecordSink,
) -> Result<Exported> {
    let head = audit::log_head(conn, log)?
        .ok_or_else(|| Error::NotFound(format!("audit log {}", log.as_string())))?;
    let size = head.size as u64;
    sink.dir(CHECKPOINT_DIR)?;
    write_entries(conn, log, size, sink)?;
    let notes = audit::checkpoints(conn, log)?;
    for (size, note) in &notes {
        let name = format!("{CHECKPOINT_DIR}/{}", checkpoint_file_name(*size));
        sink.put_text(&name, note)?;
    }
    sink.put_text(VKEY_FILE, &format!("{vkey}\n"))?;
    let record = json!({
        "format": FORMAT,
        "log": log.as_string(),
        "origin": origin,
        "vkey": vkey,
        "entries": size,
    });
    sink.put_text(RECORD_FILE, &format!("{record:#}\n"))?;
    Ok(Exported {
        entries: size,
        checkpoints: notes.len(),
    })
}

/// `log/entries.jsonl`: the first `size` entries, a page at a time.
fn write_entries(
    conn: &mut DbConnection,
    log: &LogName,
    size: u64,
    sink: &mut dyn RecordSink,
) -> Result<()> {
    let bytes = audit::entries_bytes(conn, log, 0, size)?;
    let mut start = 0;
    let mut lines = PagedLines::new(|| {
        if start >= size {
            return Ok(None);
        }
        let end = (start + PAGE).min(size);
        let page = audit::entries(conn, log, start, end)?;
        start = end;
        Ok(Some(page))
    });
    let written = sink.put(ENTRIES_FILE, bytes, &mut lines);
    lines.finish(written)
}

/// Checkpoint files sort by name in size order.
pub fn checkpoint_file_name(size: u64) -> String {
    format!("{size:020}.note")
}

/// Exports an election's record into `dir` (`ratify record export`):
/// closes it first if its window is over, then writes
/// [`write_election`]'s files. `private` adds the voted list and its salt
/// (the committee's copy for its observers).
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
    let part = if private { Part::Private } else { Part::Public };
    write_election(
        conn,
        &election,
        signer,
        settings,
        part,
        &mut DirSink::new(dir),
    )
}

/// Which record: the public one (counts and the commitment to who voted,
/// S7), or with the voted list and its salt for the committee's observers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Public,
    Private,
}

/// Who asks for a download of the public record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A signed-in account allowed to read the election (auditors among
    /// them): from the close on.
    Staff,
    /// Anyone, without an account: once the results are certified, when
    /// the record is final and what observers need to check the
    /// published result.
    Public,
}

/// The election whose public record `reader` may download now, read
/// without changing anything (the close is the closer job's or the
/// tally's to make, not a download's). Refused before the close, when the
/// record has no ballots yet and its log is still growing by the minute;
/// for [`Reader::Public`], "not found" until certification, as the
/// certificate is.
pub fn downloadable(
    conn: &mut DbConnection,
    slug: &str,
    reader: Reader,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<StoredElection> {
    let election = crate::election::load_election(conn, slug)?;
    if reader == Reader::Public && election.state(now) != ElectionState::Certified {
        return Err(Error::NotFound(format!("the certified record of {slug}")));
    }
    if crate::tally::close::stored(conn, election.id)?.is_none() {
        return Err(Error::Conflict(
            Message::new("record-not-closed").with("slug", slug),
        ));
    }
    Ok(election)
}

/// Writes an election's record: its audit log (checkpointed first so the
/// record ends with a signed head), the spec, the trustees' public files
/// and combined key, and, stage by stage, the ballots, the tally, the
/// shares, the results and the certificate (docs/audit-format.md).
pub fn write_election(
    conn: &mut DbConnection,
    election: &StoredElection,
    signer: &ratify_tlog::Signer,
    settings: &crate::config::AuditSettings,
    part: Part,
    sink: &mut dyn RecordSink,
) -> Result<Exported> {
    let log = election.log();
    audit::make_checkpoint(conn, &log, signer, settings)?;
    let origin = audit::origin_of(settings, &log);
    let exported = write_log_to(conn, &log, &audit::vkey(signer), &origin, sink)?;
    let spec =
        serde_json::to_string_pretty(&election.spec).map_err(|e| Error::Internal(e.to_string()))?;
    sink.put_text(ELECTION_FILE, &format!("{spec}\n"))?;
    let roster = crate::ceremony::roster(conn, election.spec.slug().as_str())?;
    sink.put_text(ROSTER_FILE, &ratify_crypto::to_json(&roster))?;
    if election.public_key.is_some() {
        let keys = crate::ceremony::election_keys_of(conn, election.id)?;
        sink.put_text(KEYS_FILE, &ratify_crypto::to_json(&keys))?;
    }
    if let Some((_, salt)) = crate::tally::close::stored(conn, election.id)? {
        write_ballots(conn, election.id, sink)?;
        if part == Part::Private {
            let members = crate::db::close::voted_member_numbers(conn, election.id)?;
            let voted = json!({ "salt": salt, "members": members });
            sink.put_text(VOTED_FILE, &format!("{voted:#}\n"))?;
        }
    } else if part == Part::Private {
        return Err(Error::Conflict(
            Message::new("export-not-closed").with("slug", election.spec.slug().as_str()),
        ));
    }
    write_after_tally(conn, election.id, sink)?;
    Ok(exported)
}

/// `ballots.jsonl`: every ballot's stored line, in tracker order, a page
/// at a time.
fn write_ballots(
    conn: &mut DbConnection,
    election_id: i64,
    sink: &mut dyn RecordSink,
) -> Result<()> {
    let bytes = crate::db::ballots::lines_bytes(conn, election_id)?;
    let mut after = String::new();
    let mut lines = PagedLines::new(|| {
        let rows = crate::db::ballots::page_after(conn, election_id, &after, PAGE as i64)?;
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        after = last.tracker.clone();
        Ok(Some(rows.into_iter().map(|r| r.body).collect()))
    });
    let written = sink.put(BALLOTS_FILE, bytes, &mut lines);
    lines.finish(written)
}

/// `tally.json`, `shares/`, `results.json` and `certificate.json`, as far
/// as the election got.
fn write_after_tally(
    conn: &mut DbConnection,
    election_id: i64,
    sink: &mut dyn RecordSink,
) -> Result<()> {
    if crate::tally::stored_groups(conn, election_id)?.is_none() {
        return Ok(());
    }
    let request = crate::ceremony::tally_request_of(conn, election_id)?;
    sink.put_text(TALLY_FILE, &ratify_crypto::to_json(&request))?;
    for share in crate::tally::decrypt::shares(conn, election_id)? {
        let name = format!("{SHARES_DIR}/trustee-{}.json", share.trustee);
        sink.put_text(&name, &ratify_crypto::to_json(&share))?;
    }
    if let Some(results) = crate::tally::decrypt::results_file(conn, election_id)? {
        sink.put_text(RESULTS_FILE, &format!("{results}\n"))?;
    }
    if let Some(cert) = crate::certify::certificate_file(conn, election_id)? {
        sink.put_text(CERTIFICATE_FILE, &format!("{cert}\n"))?;
    }
    Ok(())
}
