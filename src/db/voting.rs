//! The rows a cast changes besides the ballot: the credential, used once
//! (S2), and the member's voted flag (no time, S7). Kept apart from
//! `db::ballots` so that no function here can touch a ballot and none there
//! a member.

use diesel::prelude::*;

use super::elections::ElectionRow;
use super::schema::{credentials, election_keys, elections, members};
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

/// The columns of a [`CredentialRow`], for the queries that join
/// `credentials` with `members`.
const CREDENTIAL_ROW: (
    credentials::election_id,
    credentials::member_id,
    credentials::state,
    members::unit,
    members::language,
) = (
    credentials::election_id,
    credentials::member_id,
    credentials::state,
    members::unit,
    members::language,
);

/// The credential with this hash and its election's row, in one query:
/// each ballot page asks this, so on PostgreSQL it is one round trip, not
/// two (issue 13's cast benchmark).
pub fn credential(
    conn: &mut DbConnection,
    hash: &[u8],
) -> Result<Option<(CredentialRow, ElectionRow)>> {
    let row = credentials::table
        .inner_join(members::table.inner_join(elections::table.left_join(election_keys::table)))
        .filter(credentials::token_hash.eq(hash))
        .select((
            CREDENTIAL_ROW,
            (
                elections::id,
                elections::spec,
                elections::state,
                election_keys::body.nullable(),
            ),
        ))
        // Not `.first()`: its `LIMIT ?` makes SQLite re-prepare the
        // statement on every run (see the `db` module); the hash is unique.
        .get_result::<(CredentialRow, ElectionRow)>(conn)
        .optional()?;
    Ok(row)
}

/// The credentials with these hashes, each with its hash (absent hashes
/// are simply missing). One query for a group-committed batch (issue 13).
pub fn credentials_by_hash(
    conn: &mut DbConnection,
    hashes: &[&[u8]],
) -> Result<Vec<(Vec<u8>, CredentialRow)>> {
    Ok(credentials::table
        .inner_join(members::table)
        .filter(credentials::token_hash.eq_any(hashes))
        .select((credentials::token_hash, CREDENTIAL_ROW))
        .load(conn)?)
}

/// Marks the active credentials among these hashes used; returns the
/// hashes it marked. One that is missing was used or revoked meanwhile (on
/// PostgreSQL by another server process: the UPDATE waits for its row lock,
/// then no longer matches).
pub fn use_credentials(conn: &mut DbConnection, hashes: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
    Ok(diesel::update(
        credentials::table
            .filter(credentials::token_hash.eq_any(hashes))
            .filter(credentials::state.eq("active")),
    )
    .set(credentials::state.eq("used"))
    .returning(credentials::token_hash)
    .get_results(conn)?)
}

/// Marks these members as having voted (no time, S7); returns how many
/// were not marked before.
pub fn mark_all_voted(conn: &mut DbConnection, member_ids: &[i64]) -> Result<usize> {
    Ok(diesel::update(
        members::table
            .filter(members::id.eq_any(member_ids))
            .filter(members::has_voted.eq(false)),
    )
    .set(members::has_voted.eq(true))
    .execute(conn)?)
}
