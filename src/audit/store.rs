//! Appending and reading entries, node hashes and checkpoints in the
//! database.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use ratify_tlog::merkle::{self, HashReader, NodeId, StorageError};
use ratify_tlog::{ConsistencyProof, Entry, Hash, Link, Timestamp};
use serde_json::{Map, Value};

use super::{Actor, LogName};
use crate::db::schema::{audit_checkpoints, audit_entries, audit_logs, audit_nodes};
use crate::db::DbConnection;
use crate::error::{Error, Result};

/// A log's identity and current size.
#[derive(Debug, Clone, Queryable)]
pub struct LogHead {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub head_time: i64,
    pub head_hash: Option<Vec<u8>>,
}

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
    diesel::insert_into(audit_entries::table)
        .values((
            audit_entries::log_id.eq(head.id),
            audit_entries::idx.eq(index as i64),
            audit_entries::leaf_hash.eq(leaf.0.to_vec()),
            audit_entries::body.eq(String::from_utf8(body).expect("JSON is UTF-8")),
        ))
        .execute(conn)?;
    // At most log2(n)+1 rows; one insert each (diesel's multi-backend
    // connection has no batch insert).
    for (id, hash) in &nodes {
        diesel::insert_into(audit_nodes::table)
            .values((
                audit_nodes::log_id.eq(head.id),
                audit_nodes::level.eq(id.level as i32),
                audit_nodes::idx.eq(id.index as i64),
                audit_nodes::hash.eq(hash.0.to_vec()),
            ))
            .execute(conn)?;
    }
    diesel::update(audit_logs::table.find(head.id))
        .set((
            audit_logs::size.eq(index as i64 + 1),
            audit_logs::head_time.eq(millis),
            audit_logs::head_hash.eq(Some(leaf.0.to_vec())),
        ))
        .execute(conn)?;
    Ok(index)
}

/// The log's row, created if missing, locked for the rest of the
/// transaction on PostgreSQL.
fn lock_head(conn: &mut DbConnection, log: &LogName) -> Result<LogHead> {
    let name = log.as_string();
    // ON CONFLICT DO NOTHING: two processes may create the same log at once.
    // Raw SQL because diesel's multi-backend connection has no upsert; `$1`
    // is a positional parameter in both SQLite and PostgreSQL.
    diesel::sql_query(
        "INSERT INTO audit_logs (name, size, head_time) VALUES ($1, 0, 0) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(&name)
    .execute(conn)?;
    let query = audit_logs::table.filter(audit_logs::name.eq(&name));
    let head = match conn {
        DbConnection::Postgres(pg) => query.for_update().first::<LogHead>(pg)?,
        DbConnection::Sqlite(_) => query.first::<LogHead>(conn)?,
    };
    Ok(head)
}

/// The head of a log, if it has one.
pub fn log_head(conn: &mut DbConnection, log: &LogName) -> Result<Option<LogHead>> {
    Ok(audit_logs::table
        .filter(audit_logs::name.eq(log.as_string()))
        .first::<LogHead>(conn)
        .optional()?)
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
    Ok(audit_entries::table
        .filter(audit_entries::log_id.eq(head.id))
        .filter(audit_entries::idx.ge(start as i64))
        .filter(audit_entries::idx.lt(end as i64))
        .order(audit_entries::idx.asc())
        .select(audit_entries::body)
        .load(conn)?)
}

/// The newest signed checkpoint note of a log.
pub fn latest_checkpoint(conn: &mut DbConnection, log: &LogName) -> Result<Option<(u64, String)>> {
    let head = require_head(conn, log)?;
    let row: Option<(i64, String)> = audit_checkpoints::table
        .filter(audit_checkpoints::log_id.eq(head.id))
        .order(audit_checkpoints::size.desc())
        .select((audit_checkpoints::size, audit_checkpoints::note))
        .first(conn)
        .optional()?;
    Ok(row.map(|(size, note)| (size as u64, note)))
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
        .map_err(|e| Error::Invalid(format!("inclusion proof: {e}")))?;
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
        .map_err(|e| Error::Invalid(format!("consistency proof: {e}")))
}

/// The root hash of the first `size` entries.
pub(super) fn tree_root(conn: &mut DbConnection, log_id: i64, size: u64) -> Result<Hash> {
    let reader = DbReader::new(conn, log_id);
    merkle::tree_hash(size, &reader).map_err(|e| Error::Internal(format!("audit tree: {e}")))
}

fn check_size(head: &LogHead, size: u64) -> Result<()> {
    if size > head.size as u64 {
        return Err(Error::Invalid(format!(
            "size {size} is larger than the log ({} entries)",
            head.size
        )));
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
    /// One indexed query per tree level asked for (`level = ? AND idx IN
    /// (...)`, served by the primary key): at most ~20 small queries for a
    /// proof in a log of a million entries. A single query OR-ing (level,
    /// idx) pairs made SQLite scan the whole log.
    fn read_hashes(&self, ids: &[NodeId]) -> std::result::Result<Vec<Hash>, StorageError> {
        let mut by_level: std::collections::BTreeMap<u8, Vec<i64>> = Default::default();
        for id in ids {
            by_level.entry(id.level).or_default().push(id.index as i64);
        }
        let mut found: std::collections::HashMap<(u8, i64), Vec<u8>> = Default::default();
        let mut conn = self.conn.borrow_mut();
        for (level, idxs) in by_level {
            let rows: Vec<(i64, Vec<u8>)> = audit_nodes::table
                .filter(audit_nodes::log_id.eq(self.log_id))
                .filter(audit_nodes::level.eq(level as i32))
                .filter(audit_nodes::idx.eq_any(&idxs))
                .select((audit_nodes::idx, audit_nodes::hash))
                .load(&mut **conn)?;
            found.extend(rows.into_iter().map(|(i, h)| ((level, i), h)));
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
