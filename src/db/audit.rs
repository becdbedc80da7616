//! The audit log's tables: logs, entries, Merkle node hashes and signed
//! checkpoints. The log's logic (chaining, proofs, signing) is `crate::audit`;
//! this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::{audit_checkpoints, audit_entries, audit_logs, audit_nodes};
use super::DbConnection;
use crate::error::Result;

/// A log's identity and current size.
#[derive(Debug, Clone, Queryable)]
pub struct LogHead {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub head_time: i64,
    pub head_hash: Option<Vec<u8>>,
}

/// The log's row, created if missing, and locked for the rest of the
/// transaction on PostgreSQL (`FOR UPDATE`), which orders appends from
/// several server processes. SQLite needs no row lock: its write
/// transactions are already serialized (BEGIN IMMEDIATE).
pub fn lock_log(conn: &mut DbConnection, name: &str) -> Result<LogHead> {
    // The log exists for every append but the first: look before creating,
    // so the common case is one cached statement (issue 13's cast path).
    if let Some(head) = locked_head(conn, name)? {
        return Ok(head);
    }
    // ON CONFLICT DO NOTHING: two processes may create the same log at once.
    // Raw SQL because diesel's multi-backend connection has no upsert; `$1`
    // is a positional parameter in both SQLite and PostgreSQL.
    diesel::sql_query(
        "INSERT INTO audit_logs (name, size, head_time) VALUES ($1, 0, 0) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(name)
    .execute(conn)?;
    locked_head(conn, name)?
        .ok_or_else(|| crate::error::Error::Internal(format!("audit log {name} was not created")))
}

/// The head of the log `name`, row-locked on PostgreSQL (SQLite's write
/// transaction already excludes other writers). The name is unique: no
/// `LIMIT ?` (see the `db` module).
fn locked_head(conn: &mut DbConnection, name: &str) -> Result<Option<LogHead>> {
    let query = audit_logs::table.filter(audit_logs::name.eq(name));
    Ok(match conn {
        DbConnection::Postgres(pg) => query.for_update().get_result::<LogHead>(pg).optional()?,
        DbConnection::Sqlite(_) => query.get_result::<LogHead>(conn).optional()?,
    })
}

pub fn find_log(conn: &mut DbConnection, name: &str) -> Result<Option<LogHead>> {
    Ok(audit_logs::table
        .filter(audit_logs::name.eq(name))
        .get_result::<LogHead>(conn)
        .optional()?)
}

/// Names of the logs that hold at least one entry.
pub fn non_empty_log_names(conn: &mut DbConnection) -> Result<Vec<String>> {
    Ok(audit_logs::table
        .filter(audit_logs::size.gt(0))
        .select(audit_logs::name)
        .load(conn)?)
}

/// One appended entry's row.
pub struct EntryRow {
    pub index: i64,
    pub leaf: Vec<u8>,
    pub body: String,
}

/// One Merkle node hash: `(level, index, hash)`.
pub type NodeRow = (i32, i64, Vec<u8>);

/// Stores appended entries (in index order): their rows, the Merkle nodes
/// they complete, and the log's new head (the last entry). On PostgreSQL
/// each table gets one multi-row INSERT, so a group-committed batch of
/// casts costs three round trips here, not three per cast (issue 13).
pub fn insert_entries(
    conn: &mut DbConnection,
    log_id: i64,
    entries: &[EntryRow],
    nodes: &[NodeRow],
    head_time: i64,
) -> Result<()> {
    let Some(last) = entries.last() else {
        return Ok(());
    };
    let entry_rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                audit_entries::log_id.eq(log_id),
                audit_entries::idx.eq(e.index),
                audit_entries::leaf_hash.eq(&e.leaf),
                audit_entries::body.eq(&e.body),
            )
        })
        .collect();
    let node_rows: Vec<_> = nodes
        .iter()
        .map(|(level, idx, hash)| {
            (
                audit_nodes::log_id.eq(log_id),
                audit_nodes::level.eq(level),
                audit_nodes::idx.eq(idx),
                audit_nodes::hash.eq(hash),
            )
        })
        .collect();
    super::insert_rows!(conn, audit_entries::table, entry_rows);
    super::insert_rows!(conn, audit_nodes::table, node_rows);
    diesel::update(audit_logs::table.find(log_id))
        .set((
            audit_logs::size.eq(last.index + 1),
            audit_logs::head_time.eq(head_time),
            audit_logs::head_hash.eq(Some(&last.leaf)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Entry bodies with index in `[start, end)`, in order.
pub fn entry_bodies(
    conn: &mut DbConnection,
    log_id: i64,
    start: i64,
    end: i64,
) -> Result<Vec<String>> {
    Ok(audit_entries::table
        .filter(audit_entries::log_id.eq(log_id))
        .filter(audit_entries::idx.ge(start))
        .filter(audit_entries::idx.lt(end))
        .order(audit_entries::idx.asc())
        .select(audit_entries::body)
        .load(conn)?)
}

/// The bytes of entries `start..end` written one a line
/// (`log/entries.jsonl`), counted by the database.
pub fn entry_lines_bytes(
    conn: &mut DbConnection,
    log_id: i64,
    start: i64,
    end: i64,
) -> Result<u64> {
    let sql = super::lines_bytes_sql(
        conn,
        "body",
        "FROM audit_entries WHERE log_id = $1 AND idx >= $2 AND idx < $3",
    );
    let row: super::LinesBytes = diesel::sql_query(sql)
        .bind::<diesel::sql_types::BigInt, _>(log_id)
        .bind::<diesel::sql_types::BigInt, _>(start)
        .bind::<diesel::sql_types::BigInt, _>(end)
        .get_result(conn)?;
    Ok(row.bytes as u64)
}

/// Stored node hashes of one tree level, as `(index, hash)`. One indexed
/// query (`level = ? AND idx IN (...)`, served by the primary key): a single
/// query OR-ing (level, idx) pairs made SQLite scan the whole log.
/// The hashes of the nodes `(level, index)` asked for, in one query: a
/// disjunction of exact `(log_id, level, idx)` keys, which PostgreSQL
/// answers with one primary-key probe per node. (Two `= ANY` lists, tried
/// first, made it scan the whole table once per cast batch.)
pub fn nodes_at(
    conn: &mut DbConnection,
    log_id: i64,
    ids: &[(i32, i64)],
) -> QueryResult<Vec<NodeRow>> {
    let Some(((level, idx), rest)) = ids.split_first() else {
        return Ok(Vec::new());
    };
    let key = |level: i32, idx: i64| {
        audit_nodes::log_id
            .eq(log_id)
            .and(audit_nodes::level.eq(level))
            .and(audit_nodes::idx.eq(idx))
    };
    let mut query = audit_nodes::table
        .select((audit_nodes::level, audit_nodes::idx, audit_nodes::hash))
        .filter(key(*level, *idx))
        .into_boxed();
    for (level, idx) in rest {
        query = query.or_filter(key(*level, *idx));
    }
    query.load(conn)
}

pub fn node_hashes(
    conn: &mut DbConnection,
    log_id: i64,
    level: i32,
    idxs: &[i64],
) -> QueryResult<Vec<(i64, Vec<u8>)>> {
    audit_nodes::table
        .filter(audit_nodes::log_id.eq(log_id))
        .filter(audit_nodes::level.eq(level))
        .filter(audit_nodes::idx.eq_any(idxs))
        .select((audit_nodes::idx, audit_nodes::hash))
        .load(conn)
}

/// The newest checkpoint note of a log, as `(size, note)`.
pub fn latest_checkpoint(conn: &mut DbConnection, log_id: i64) -> Result<Option<(i64, String)>> {
    Ok(audit_checkpoints::table
        .filter(audit_checkpoints::log_id.eq(log_id))
        .order(audit_checkpoints::size.desc())
        .select((audit_checkpoints::size, audit_checkpoints::note))
        .first(conn)
        .optional()?)
}

/// Every checkpoint note of a log, smallest size first.
pub fn checkpoints(conn: &mut DbConnection, log_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(audit_checkpoints::table
        .filter(audit_checkpoints::log_id.eq(log_id))
        .order(audit_checkpoints::size.asc())
        .select((audit_checkpoints::size, audit_checkpoints::note))
        .load(conn)?)
}

/// Stores a checkpoint note. Two processes may checkpoint the same size at
/// once; the note is the same statement either way, so the second insert is
/// dropped.
pub fn insert_checkpoint(
    conn: &mut DbConnection,
    log_id: i64,
    size: i64,
    note: &str,
) -> Result<()> {
    diesel::sql_query(
        "INSERT INTO audit_checkpoints (log_id, size, note) VALUES ($1, $2, $3) \
         ON CONFLICT (log_id, size) DO NOTHING",
    )
    .bind::<diesel::sql_types::BigInt, _>(log_id)
    .bind::<diesel::sql_types::BigInt, _>(size)
    .bind::<diesel::sql_types::Text, _>(note)
    .execute(conn)?;
    Ok(())
}

/// The bodies of every entry of one kind, in index order. Matches the
/// canonical text `"kind":"<kind>"`: inside `data` a quote is always
/// escaped, so only the entry's own `kind` member matches.
pub fn entries_of_kind(conn: &mut DbConnection, log_id: i64, kind: &str) -> Result<Vec<String>> {
    let pattern = super::roll::contains_pattern(&format!("\"kind\":\"{kind}\""));
    Ok(audit_entries::table
        .filter(audit_entries::log_id.eq(log_id))
        .filter(audit_entries::body.like(pattern).escape('\\'))
        .order(audit_entries::idx.asc())
        .select(audit_entries::body)
        .load(conn)?)
}

/// The index of the first entry whose canonical text contains `needle`
/// (already a complete JSON member such as `"tracker":"<hex>"`).
pub fn first_index_containing(
    conn: &mut DbConnection,
    log_id: i64,
    needle: &str,
) -> Result<Option<i64>> {
    let pattern = super::roll::contains_pattern(needle);
    Ok(audit_entries::table
        .filter(audit_entries::log_id.eq(log_id))
        .filter(audit_entries::body.like(pattern).escape('\\'))
        .order(audit_entries::idx.asc())
        .select(audit_entries::idx)
        .first(conn)
        .optional()?)
}
