//! The rows a cast changes besides the ballot: the credential, used once
//! (S2), and the member's voted flag (no time, S7). Kept apart from
//! `db::ballots` so that no function here can touch a ballot and none there
//! a member.

use diesel::prelude::*;

use super::schema::{credentials, members};
use super::DbConnection;
use crate::election::Language;
use crate::error::Result;

/// A credential looked up by its hash, with what the ballot page needs of
/// its member: the unit (the ballot's only link to the roll, S8) and the
/// language.
#[derive(Debug, Clone, Queryable)]
pub struct CredentialRow {
    pub election_id: i64,
    pub member_id: i64,
    pub state: String,
    pub unit: String,
    pub language: Language,
}

pub fn credential(conn: &mut DbConnection, hash: &[u8]) -> Result<Option<CredentialRow>> {
    Ok(credentials::table
        .inner_join(members::table)
        .filter(credentials::token_hash.eq(hash))
        .select((
            credentials::election_id,
            credentials::member_id,
            credentials::state,
            members::unit,
            members::language,
        ))
        // Not `.first()`: its `LIMIT ?` makes SQLite re-prepare the
        // statement on every run (see the `db` module); the hash is unique.
        .get_result(conn)
        .optional()?)
}

/// Marks the active credential with this hash used. False when it was not
/// active any more: another request used it first (on PostgreSQL the
/// second UPDATE waits for the first's row lock, then matches nothing).
pub fn use_credential(conn: &mut DbConnection, hash: &[u8]) -> Result<bool> {
    let n = diesel::update(
        credentials::table
            .filter(credentials::token_hash.eq(hash))
            .filter(credentials::state.eq("active")),
    )
    .set(credentials::state.eq("used"))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks the member as having voted. False when already marked.
pub fn mark_voted(conn: &mut DbConnection, member_id: i64) -> Result<bool> {
    let n = diesel::update(
        members::table
            .find(member_id)
            .filter(members::has_voted.eq(false)),
    )
    .set(members::has_voted.eq(true))
    .execute(conn)?;
    Ok(n == 1)
}
