//! Appending and reading entries, node hashes and checkpoints in the
//! database.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use ratify_tlog::merkle::{self, HashReader, NodeId, StorageError};
use ratify_tlog::{ConsistencyProof, Entry, Hash, Link, Timestamp};
use serde_json::{Map, Value};

use super::{Actor, LogName};
use crate::db::audit as rows;
pub use crate::db::audit::LogHead;
use crate::db::DbConnection;
use crate::error::{Error, Result};
use crate::i18n::Message;

/// Appends one entry. Must run inside the transaction that makes the change
/// it records (`db::write_transaction`), so there is no change without its
/// entry and no entry without its change. Appends to one log are serialized:
/// SQLite's write transactions already are (BEGIN IMMEDIATE); on PostgreSQL
/// the log's row is locked `FOR UPDATE`, which also orders several server
/// processes sharing one database.
pub fn append(
    conn: &mut DbConnection,
    log: &LogName,
    now: DateTime<Utc>,
    kind: &str,
    actor: Actor<'_>,
    data: Map<String, Value>,
) -> Result<u64> {
    let head = lock_head(conn, log)?;
    let prev = match (&head.head_hash, head.size) {
        (Some(hash), size) if size > 0 => Some(Link {
            index: size as u64 - 1,
            leaf_hash: to_hash(hash)?,
            time: Timestamp::from_unix_millis(head.head_time)
                .ok_or_else(|| Error::Internal("stored head time out of range".into()))?,
        }),
        _ => None,
    };
    // A clock that stepped back must not break the chain's time order.
    let mut millis = now.timestamp_millis();
    if let Some(link) = &prev {
        millis = millis.max(link.time.unix_millis());
    }
    let time = Timestamp::from_unix_millis(millis)
        .ok_or_else(|| Error::Internal("time out of range".into()))?;
    let entry = Entry::next(prev, time, kind, actor, data)
        .map_err(|e| Error::Internal(format!("audit entry: {e}")))?;
    let body = entry.canonical_bytes();
    let leaf = ratify_tlog::leaf_hash(&body);
    let index = entry.index();

    let nodes = {
        let reader = DbReader::new(conn, head.id);
        merkle::stored_hashes_for_append(index, leaf, &reader)
            .map_err(|e| Error::Internal(format!("audit tree: {e}")))?
    };
    let nodes: Vec<(i32, i64, Vec<u8>)> = nodes
        .iter()
        .map(|(id, hash)| (id.level as i32, id.index as i64, hash.0.to_vec()))
        .collect();
    let body = String::from_utf8(body).expect("JSON is UTF-8");
    rows::insert_entry(conn, head.id, index as i64, &leaf.0, &body, &nodes, millis)?;
    Ok(index)
}

/// The log's row, created if missing, locked until the transaction ends.
fn lock_head(conn: &mut DbConnection, log: &LogName) -> Result<LogHead> {
    rows::lock_log(conn, &log.as_string())
}

/// The head of a log, if it has one.
pub fn log_head(conn: &mut DbConnection, log: &LogName) -> Result<Option<LogHead>> {
    rows::find_log(conn, &log.as_string())
}

fn require_head(conn: &mut DbConnection, log: &LogName) -> Result<LogHead> {
    log_head(conn, log)?.ok_or_else(|| Error::NotFound(format!("audit log {}", log.as_string())))
}

/// Entries `[start, end)` as their canonical JSON lines.
pub fn entries(
    conn: &mut DbConnection,
    log: &LogName,
    start: u64,
    end: u64,
) -> Result<Vec<String>> {
    let head = require_head(conn, log)?;
    rows::entry_bodies(conn, head.id, start as i64, end as i64)
}

/// The bytes entries `start..end` take written one a line, as the
/// record's `log/entries.jsonl` holds them.
pub fn entries_bytes(conn: &mut DbConnection, log: &LogName, start: u64, end: u64) -> Result<u64> {
    let head = require_head(conn, log)?;
    rows::entry_lines_bytes(conn, head.id, start as i64, end as i64)
}

/// The newest signed checkpoint note of a log.
pub fn latest_checkpoint(conn: &mut DbConnection, log: &LogName) -> Result<Option<(u64, String)>> {
    let head = require_head(conn, log)?;
    let row = rows::latest_checkpoint(conn, head.id)?;
    Ok(row.map(|(size, note)| (size as u64, note)))
}

/// Every signed checkpoint of a log, as `(size, note)`, smallest first.
pub fn checkpoints(conn: &mut DbConnection, log: &LogName) -> Result<Vec<(u64, String)>> {
    let head = require_head(conn, log)?;
    let notes = rows::checkpoints(conn, head.id)?;
    Ok(notes.into_iter().map(|(s, n)| (s as u64, n)).collect())
}

/// Inclusion proof of entry `index` in the tree of size `size`, with the
/// entry's leaf hash.
pub fn inclusion_proof(
    conn: &mut DbConnection,
    log: &LogName,
    index: u64,
    size: u64,
) -> Result<(Hash, merkle::InclusionProof)> {
    let head = require_head(conn, log)?;
    check_size(&head, size)?;
    let reader = DbReader::new(conn, head.id);
    let proof = merkle::prove_inclusion(index, size, &reader)
        .map_err(|e| Error::Invalid(Message::untranslated(format!("inclusion proof: {e}"))))?;
    let leaf = reader
        .read_hashes(&[NodeId::leaf(index)])
        .map_err(storage)?;
    Ok((leaf[0], proof))
}

pub fn consistency_proof(
    conn: &mut DbConnection,
    log: &LogName,
    old_size: u64,
    new_size: u64,
) -> Result<ConsistencyProof> {
    let head = require_head(conn, log)?;
    check_size(&head, new_size)?;
    let reader = DbReader::new(conn, head.id);
    merkle::prove_consistency(old_size, new_size, &reader)
        .map_err(|e| Error::Invalid(Message::untranslated(format!("consistency proof: {e}"))))
}

/// The root hash of the first `size` entries.
pub(super) fn tree_root(conn: &mut DbConnection, log_id: i64, size: u64) -> Result<Hash> {
    let reader = DbReader::new(conn, log_id);
    merkle::tree_hash(size, &reader).map_err(|e| Error::Internal(format!("audit tree: {e}")))
}

fn check_size(head: &LogHead, size: u64) -> Result<()> {
    if size > head.size as u64 {
        return Err(Error::Invalid(Message::untranslated(format!(
            "size {size} is larger than the log ({} entries)",
            head.size
        ))));
    }
    Ok(())
}

fn to_hash(bytes: &[u8]) -> Result<Hash> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Internal("stored hash is not 32 bytes".into()))?;
    Ok(Hash(arr))
}

fn storage(e: StorageError) -> Error {
    Error::Internal(format!("audit nodes: {e}"))
}

/// Reads stored perfect-subtree hashes in one query per call.
struct DbReader<'c> {
    conn: RefCell<&'c mut DbConnection>,
    log_id: i64,
}

impl<'c> DbReader<'c> {
    fn new(conn: &'c mut DbConnection, log_id: i64) -> DbReader<'c> {
        DbReader {
            conn: RefCell::new(conn),
            log_id,
        }
    }
}

impl HashReader for DbReader<'_> {
    /// One indexed query per tree level asked for: at most ~20 small
    /// queries for a proof in a log of a million entries.
    fn read_hashes(&self, ids: &[NodeId]) -> std::result::Result<Vec<Hash>, StorageError> {
        let mut by_level: std::collections::BTreeMap<u8, Vec<i64>> = Default::default();
        for id in ids {
            by_level.entry(id.level).or_default().push(id.index as i64);
        }
        let mut found: std::collections::HashMap<(u8, i64), Vec<u8>> = Default::default();
        let mut conn = self.conn.borrow_mut();
        for (level, idxs) in by_level {
            let hashes = rows::node_hashes(&mut conn, self.log_id, level as i32, &idxs)?;
            found.extend(hashes.into_iter().map(|(i, h)| ((level, i), h)));
        }
        ids.iter()
            .map(|id| {
                let bytes = found
                    .get(&(id.level, id.index as i64))
                    .ok_or_else(|| format!("node {}/{} is missing", id.level, id.index))?;
                to_hash(bytes).map_err(|e| e.to_string().into())
            })
            .collect()
    }
}
