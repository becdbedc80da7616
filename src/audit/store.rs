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
    let entry = NewEntry {
        now,
        kind,
        actor,
        data,
    };
    let indexes = append_all(conn, log, vec![entry])?;
    Ok(indexes[0])
}

/// An entry to append with [`append_all`].
pub struct NewEntry<'a> {
    pub now: DateTime<Utc>,
    pub kind: &'a str,
    pub actor: Actor<'a>,
    pub data: Map<String, Value>,
}

/// Appends entries in order, as [`append`] would one by one, with one lock
/// of the log's head, one read of the Merkle frontier and one multi-row
/// write per table (the group-committed casts of issue 13). Returns each
/// entry's index.
pub fn append_all(
    conn: &mut DbConnection,
    log: &LogName,
    entries: Vec<NewEntry<'_>>,
) -> Result<Vec<u64>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let head = lock_head(conn, log)?;
    let mut prev = head_link(&head)?;
    let mut tree = Frontier::read(conn, head.id, head.size as u64)?;
    let (mut rows, mut nodes) = (Vec::new(), Vec::new());
    let mut millis = 0;
    for new in entries {
        // A clock that stepped back must not break the chain's time order.
        millis = new.now.timestamp_millis();
        if let Some(link) = &prev {
            millis = millis.max(link.time.unix_millis());
        }
        let time = Timestamp::from_unix_millis(millis)
            .ok_or_else(|| Error::Internal("time out of range".into()))?;
        let entry = Entry::next(prev, time, new.kind, new.actor, new.data)
            .map_err(|e| Error::Internal(format!("audit entry: {e}")))?;
        let body = entry.canonical_bytes();
        let leaf = ratify_tlog::leaf_hash(&body);
        let index = entry.index();
        nodes.extend(tree.append(index, leaf)?);
        prev = Some(Link {
            index,
            leaf_hash: leaf,
            time,
        });
        rows.push(rows::EntryRow {
            index: index as i64,
            leaf: leaf.0.to_vec(),
            body: String::from_utf8(body).expect("JSON is UTF-8"),
        });
    }
    rows::insert_entries(conn, head.id, &rows, &nodes, millis)?;
    Ok(rows.iter().map(|r| r.index as u64).collect())
}

/// The link to the log's last entry, if it has one.
fn head_link(head: &LogHead) -> Result<Option<Link>> {
    match (&head.head_hash, head.size) {
        (Some(hash), size) if size > 0 => Ok(Some(Link {
            index: size as u64 - 1,
            leaf_hash: to_hash(hash)?,
            time: Timestamp::from_unix_millis(head.head_time)
                .ok_or_else(|| Error::Internal("stored head time out of range".into()))?,
        })),
        _ => Ok(None),
    }
}

/// The Merkle nodes appends need, in memory: the log's frontier (its
/// maximal complete subtrees, the only stored nodes a later append can
/// take as a left sibling, RFC 6962 §2.1) plus every node appended since.
struct Frontier(std::collections::HashMap<NodeId, Hash>);

impl Frontier {
    fn read(conn: &mut DbConnection, log_id: i64, size: u64) -> Result<Frontier> {
        let ids: Vec<(i32, i64)> = (0..64)
            .filter(|level| size >> level & 1 == 1)
            .map(|level| (level, (size >> level) as i64 - 1))
            .collect();
        let rows = rows::nodes_at(conn, log_id, &ids)?;
        if rows.len() != ids.len() {
            return Err(Error::Internal(format!(
                "audit tree: {} of the {} frontier nodes are stored",
                rows.len(),
                ids.len()
            )));
        }
        let mut known = std::collections::HashMap::new();
        for (level, index, hash) in rows {
            let id = NodeId {
                level: level as u8,
                index: index as u64,
            };
            known.insert(id, to_hash(&hash)?);
        }
        Ok(Frontier(known))
    }

    /// The nodes appending `leaf` as entry `index` stores, remembered for
    /// the appends after it.
    fn append(&mut self, index: u64, leaf: Hash) -> Result<Vec<rows::NodeRow>> {
        let made = merkle::stored_hashes_for_append(index, leaf, &*self)
            .map_err(|e| Error::Internal(format!("audit tree: {e}")))?;
        self.0.extend(made.iter().copied());
        Ok(made
            .iter()
            .map(|(id, hash)| (id.level as i32, id.index as i64, hash.0.to_vec()))
            .collect())
    }
}

impl HashReader for Frontier {
    fn read_hashes(&self, ids: &[NodeId]) -> std::result::Result<Vec<Hash>, StorageError> {
        ids.iter()
            .map(|id| {
                self.0
                    .get(id)
                    .copied()
                    .ok_or_else(|| format!("node {}/{} is missing", id.level, id.index).into())
            })
            .collect()
    }
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

#[cfg(test)]
mod tests {
    //! A batched append stores exactly what appending one by one stores:
    //! the same entries, the same Merkle nodes and the same head.

    use chrono::TimeZone;
    use diesel::prelude::*;

    use super::*;
    use crate::config::DatabaseSettings;
    use crate::db::schema::{audit_entries, audit_logs, audit_nodes};
    use crate::db::Db;

    fn db(dir: &tempfile::TempDir) -> Db {
        let db = Db::connect(&DatabaseSettings {
            url: format!("sqlite://{}", dir.path().join("audit.db").display()),
            pool_size: 1,
            connection_timeout_secs: 5,
        })
        .unwrap();
        db.migrate().unwrap();
        db
    }

    fn entry(i: usize) -> NewEntry<'static> {
        // Times step back now and then: the chain must still not.
        let secs = 1_000 + (i as i64 * 7) % 11;
        NewEntry {
            now: Utc.timestamp_opt(secs, 0).unwrap(),
            kind: "ballot.cast",
            actor: None,
            data: crate::audit::data(serde_json::json!({ "n": i })),
        }
    }

    /// Entries, nodes and head of the log `name`, without the log's id.
    type Stored = (
        Vec<(i64, Vec<u8>, String)>,
        Vec<(i32, i64, Vec<u8>)>,
        (i64, i64),
    );

    fn stored(conn: &mut DbConnection, name: &str) -> Stored {
        let head: LogHead = audit_logs::table
            .filter(audit_logs::name.eq(name))
            .get_result(conn)
            .unwrap();
        let entries = audit_entries::table
            .filter(audit_entries::log_id.eq(head.id))
            .order(audit_entries::idx)
            .select((
                audit_entries::idx,
                audit_entries::leaf_hash,
                audit_entries::body,
            ))
            .load(conn)
            .unwrap();
        let nodes = audit_nodes::table
            .filter(audit_nodes::log_id.eq(head.id))
            .order((audit_nodes::level, audit_nodes::idx))
            .select((audit_nodes::level, audit_nodes::idx, audit_nodes::hash))
            .load(conn)
            .unwrap();
        (entries, nodes, (head.size, head.head_time))
    }

    #[test]
    fn a_batched_append_stores_what_one_by_one_appends_store() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(&dir);
        let mut conn = db.get().unwrap();
        let (one, many) = (LogName::System, LogName::Election("batched".into()));
        let n = 70;
        for i in 0..n {
            let e = entry(i);
            append(&mut conn, &one, e.now, e.kind, e.actor, e.data).unwrap();
        }
        // Batches of 1, 2, 3, … so they start and end at every tree shape.
        let (mut i, mut size) = (0, 1);
        while i < n {
            let batch: Vec<_> = (i..(i + size).min(n)).map(entry).collect();
            let indexes = append_all(&mut conn, &many, batch).unwrap();
            assert_eq!(
                indexes,
                (i as u64..(i + size).min(n) as u64).collect::<Vec<_>>()
            );
            i += size;
            size += 1;
        }
        let a = stored(&mut conn, &one.as_string());
        let b = stored(&mut conn, &many.as_string());
        assert_eq!(a.0.len(), n);
        assert_eq!(a, b);
    }

    #[test]
    fn a_missing_frontier_node_is_an_error_not_a_wrong_tree() {
        let dir = tempfile::tempdir().unwrap();
        let db = db(&dir);
        let mut conn = db.get().unwrap();
        let log = LogName::System;
        append_all(&mut conn, &log, (0..3).map(entry).collect()).unwrap();
        diesel::delete(audit_nodes::table.filter(audit_nodes::level.eq(1)))
            .execute(&mut conn)
            .unwrap();
        let err = append_all(&mut conn, &log, vec![entry(3)]).unwrap_err();
        assert!(err.to_string().contains("frontier"), "{err}");
    }
}
