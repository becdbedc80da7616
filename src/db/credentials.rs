//! The `credentials` table (S1-S3): HMAC-SHA256 of each token, never the
//! token; at most one `active` credential per member (a partial unique
//! index). No times are kept (S7). Validation and the audit entry are
//! `crate::credential`'s; this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::{credentials, members};
use super::DbConnection;
use crate::error::Result;

/// A credential's state as stored.
pub const ACTIVE: &str = "active";
pub const REVOKED: &str = "revoked";

#[derive(Insertable)]
#[diesel(table_name = credentials)]
pub struct NewCredential {
    pub election_id: i64,
    pub member_id: i64,
    pub token_hash: Vec<u8>,
    pub state: &'static str,
}

/// A member as issuing needs them.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    pub member_id: i64,
    pub member_number: String,
    pub email: String,
    pub unit: String,
    pub language: String,
    pub has_voted: bool,
}

type RecipientColumns = (
    members::id,
    members::member_number,
    members::email,
    members::unit,
    members::language,
    members::has_voted,
);

const RECIPIENT: RecipientColumns = (
    members::id,
    members::member_number,
    members::email,
    members::unit,
    members::language,
    members::has_voted,
);

/// Rows per INSERT (4 parameters each, far below both backends' limits).
const CHUNK: usize = 5_000;

/// Inserts credentials in chunks; the one per-backend bulk insert here,
/// as in `db::roll` (diesel's multi-backend connection has no batch form).
pub fn insert(conn: &mut DbConnection, rows: &[NewCredential]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        match conn {
            DbConnection::Sqlite(c) => {
                diesel::insert_into(credentials::table)
                    .values(chunk)
                    .execute(c)?;
            }
            DbConnection::Postgres(c) => {
                diesel::insert_into(credentials::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Eligible members who have not voted and hold no working credential:
/// whom `ballots send` mails (S1: never an ineligible member).
pub fn without_credential(conn: &mut DbConnection, election_id: i64) -> Result<Vec<Recipient>> {
    let holders = credentials::table
        .filter(credentials::state.eq(ACTIVE))
        .filter(credentials::election_id.eq(election_id))
        .select(credentials::member_id);
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .filter(members::has_voted.eq(false))
        .filter(members::id.ne_all(holders))
        .order(members::id)
        .select(RECIPIENT)
        .load(conn)?)
}

/// Eligible non-voters who hold a working credential (reminder targets
/// before the pending-message filter).
pub fn non_voters_with_credential(
    conn: &mut DbConnection,
    election_id: i64,
) -> Result<Vec<Recipient>> {
    let holders = credentials::table
        .filter(credentials::state.eq(ACTIVE))
        .filter(credentials::election_id.eq(election_id))
        .select(credentials::member_id);
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .filter(members::has_voted.eq(false))
        .filter(members::id.eq_any(holders))
        .order(members::id)
        .select(RECIPIENT)
        .load(conn)?)
}

/// The eligible members with these member numbers (printing a selection).
pub fn eligible_by_numbers(
    conn: &mut DbConnection,
    election_id: i64,
    numbers: &[String],
) -> Result<Vec<Recipient>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .filter(members::member_number.eq_any(numbers))
        .order(members::member_number)
        .select(RECIPIENT)
        .load(conn)?)
}

/// The eligible members of one unit (printing a unit).
pub fn eligible_in_unit(
    conn: &mut DbConnection,
    election_id: i64,
    unit: &str,
) -> Result<Vec<Recipient>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .filter(members::unit.eq(unit))
        .order(members::member_number)
        .select(RECIPIENT)
        .load(conn)?)
}

/// One member by number, eligible or not.
pub fn member(
    conn: &mut DbConnection,
    election_id: i64,
    member_number: &str,
) -> Result<Option<(Recipient, bool)>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::member_number.eq(member_number))
        .select((RECIPIENT, members::eligible))
        .first(conn)
        .optional()?)
}

/// Revokes the members' working credentials; how many were revoked.
pub fn revoke_active(conn: &mut DbConnection, member_ids: &[i64]) -> Result<usize> {
    let mut n = 0;
    for chunk in member_ids.chunks(CHUNK) {
        n += diesel::update(
            credentials::table
                .filter(credentials::member_id.eq_any(chunk))
                .filter(credentials::state.eq(ACTIVE)),
        )
        .set(credentials::state.eq(REVOKED))
        .execute(conn)?;
    }
    Ok(n)
}

/// The state of the credential with this hash, and its election and
/// member: the lookup by hash (S3) the ballot page will use.
pub fn find_by_hash(conn: &mut DbConnection, hash: &[u8]) -> Result<Option<(i64, i64, String)>> {
    Ok(credentials::table
        .filter(credentials::token_hash.eq(hash))
        .select((
            credentials::election_id,
            credentials::member_id,
            credentials::state,
        ))
        .first(conn)
        .optional()?)
}

/// Changes a member's email address (a correction by the committee).
pub fn set_member_email(conn: &mut DbConnection, member_id: i64, email: &str) -> Result<()> {
    diesel::update(members::table.find(member_id))
        .set(members::email.eq(email))
        .execute(conn)?;
    Ok(())
}

/// Members' names by id (for printed notices).
pub fn names(
    conn: &mut DbConnection,
    member_ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    let mut out = std::collections::HashMap::with_capacity(member_ids.len());
    for chunk in member_ids.chunks(CHUNK) {
        let rows: Vec<(i64, String)> = members::table
            .filter(members::id.eq_any(chunk))
            .select((members::id, members::name))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}
