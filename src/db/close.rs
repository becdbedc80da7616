//! The rows of the close (S7): the salt of the voted commitment and the
//! counts at the close, the lock that orders casts before the close, and
//! the storage rewrite that leaves no physical trace linking a ballot to a
//! member. What the close means is `crate::tally::close`.

use diesel::prelude::*;

use super::schema::{election_closes, elections, members};
use super::DbConnection;
use crate::error::Result;

/// The stored close of an election: the salt (hex) and the ballots per
/// unit (JSON object).
#[derive(Debug, Clone, Queryable)]
pub struct CloseRow {
    pub salt: String,
    pub per_unit: String,
}

pub fn insert(conn: &mut DbConnection, election_id: i64, salt: &str, per_unit: &str) -> Result<()> {
    diesel::insert_into(election_closes::table)
        .values((
            election_closes::election_id.eq(election_id),
            election_closes::salt.eq(salt),
            election_closes::per_unit.eq(per_unit),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, election_id: i64) -> Result<Option<CloseRow>> {
    Ok(election_closes::table
        .find(election_id)
        .select((election_closes::salt, election_closes::per_unit))
        .first(conn)
        .optional()?)
}

/// The member numbers of everyone who voted, in byte order (the voted
/// commitment's order, docs/audit-format.md).
pub fn voted_member_numbers(conn: &mut DbConnection, election_id: i64) -> Result<Vec<String>> {
    let mut numbers: Vec<String> = members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::has_voted.eq(true))
        .select(members::member_number)
        .load(conn)?;
    // Sorted here, not by the database's collation: the commitment is over
    // UTF-8 byte order whatever the server's locale.
    numbers.sort_unstable();
    Ok(numbers)
}

/// Takes the election row's lock for a cast (PostgreSQL `FOR SHARE`: casts
/// do not wait for each other) or for the close (`FOR UPDATE`: waits for
/// every cast in flight, and casts after it wait for the close and then see
/// it). SQLite's `BEGIN IMMEDIATE` already orders every writer.
pub fn lock_election(conn: &mut DbConnection, election_id: i64, exclusive: bool) -> Result<()> {
    if let DbConnection::Postgres(pg) = conn {
        let q = elections::table.find(election_id).select(elections::id);
        if exclusive {
            q.for_update().get_result::<i64>(pg)?;
        } else {
            q.for_share().get_result::<i64>(pg)?;
        }
    }
    Ok(())
}

/// SQLite's rewrite: `secure_delete` zeroes what VACUUM leaves behind (in
/// WAL mode, stale bytes of old pages otherwise survive in the unused part
/// of new ones: tests/api/tally_storage.rs found them), then the file is
/// rebuilt and the WAL emptied.
pub const SQLITE_REWRITE: &str = "PRAGMA secure_delete = ON; PRAGMA wal_checkpoint(TRUNCATE); \
    VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";

/// Rewrites the storage a cast touched so that nothing physical links a
/// ballot to the member marked in the same transaction (issue 13, S7):
///
/// - PostgreSQL: every member and credential row of the election is
///   rewritten in one transaction (so they all carry that transaction's
///   `xmin`, voters and non-voters alike), the ballots are re-inserted in
///   tracker order (fresh `xmin`, `ctid` in tracker order), then
///   `VACUUM FULL` copies the three tables into new files without the dead
///   row versions that still held the cast transactions' ids, and a
///   `CHECKPOINT` lets the server recycle the WAL. WAL already archived
///   elsewhere is out of reach: docs/threat-model.md.
/// - SQLite: `VACUUM` rebuilds the whole file (ballots in key order, which
///   is tracker order; no free page keeps an old row), and the WAL is
///   checkpointed and truncated before and after.
pub fn rewrite_storage(conn: &mut DbConnection, election_id: i64) -> Result<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConnection::Postgres(pg) => {
            pg.transaction::<_, diesel::result::Error, _>(|pg| {
                let id = election_id.to_string();
                pg.batch_execute(&format!(
                    "UPDATE members SET has_voted = has_voted WHERE election_id = {id};
                     UPDATE credentials SET state = state WHERE election_id = {id};
                     CREATE TEMPORARY TABLE ballots_at_close ON COMMIT DROP AS
                       SELECT * FROM ballots WHERE election_id = {id};
                     DELETE FROM ballots WHERE election_id = {id};
                     INSERT INTO ballots SELECT * FROM ballots_at_close ORDER BY tracker;"
                ))
            })?;
            // One statement each: several in one string run as one implicit
            // transaction, where VACUUM cannot run.
            for table in ["members", "credentials", "ballots"] {
                pg.batch_execute(&format!("VACUUM FULL {table}"))?;
            }
            // CHECKPOINT needs pg_checkpoint (PostgreSQL 15+) or a superuser;
            // without it the server recycles the WAL at its next checkpoint.
            if let Err(err) = pg.batch_execute("CHECKPOINT") {
                tracing::warn!(%err, "could not force a checkpoint after the close");
            }
        }
        DbConnection::Sqlite(c) => {
            c.batch_execute(SQLITE_REWRITE)?;
        }
    }
    Ok(())
}
