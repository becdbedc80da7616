//! Bulk writes of the roll. diesel's multi-backend connection has no batch
//! insert, so this is the one query written per backend: multi-row INSERTs
//! in chunks on the native connection (500,000 members in seconds).

use diesel::prelude::*;

use super::schema::members;
use super::DbConnection;
use crate::error::Result;

#[derive(Insertable)]
#[diesel(table_name = members)]
pub struct NewMember<'a> {
    pub election_id: i64,
    pub member_number: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub unit: &'a str,
    pub language: &'a str,
    pub eligible: bool,
    pub has_voted: bool,
}

/// Rows per INSERT: 8 parameters each stays far below both backends' limits
/// (SQLite 32,766; PostgreSQL 65,535).
const CHUNK: usize = 2_000;

/// Inserts `rows`, calling `progress(n)` after each chunk.
pub fn insert_members(
    conn: &mut DbConnection,
    rows: &[NewMember<'_>],
    mut progress: impl FnMut(usize),
) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        match conn {
            DbConnection::Sqlite(c) => {
                diesel::insert_into(members::table)
                    .values(chunk)
                    .execute(c)?;
            }
            DbConnection::Postgres(c) => {
                diesel::insert_into(members::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
        progress(chunk.len());
    }
    Ok(())
}
