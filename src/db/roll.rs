//! The roll's table, `members`. Parsing and validating a roll is
//! `crate::roll`; this file only reads and writes rows.
//!
//! Bulk writes: diesel's multi-backend connection has no batch insert, so
//! [`insert_members`] is the one query written per backend: multi-row
//! INSERTs in chunks on the native connection (500,000 members in seconds).

use diesel::prelude::*;
use serde::Serialize;

use super::schema::members;
use super::DbConnection;
use crate::election::Language;
use crate::error::Result;

#[derive(Insertable)]
#[diesel(table_name = members)]
pub struct NewMember<'a> {
    pub election_id: i64,
    pub member_number: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub unit: &'a str,
    pub language: Language,
    pub eligible: bool,
    pub has_voted: bool,
    /// [`crate::roll::fold_for_search`] of the number, name and email.
    pub search_key: String,
}

/// Rows per INSERT: 9 parameters each stays far below both backends' limits
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

/// Deletes the roll of an election; how many members it held.
pub fn delete_members(conn: &mut DbConnection, election_id: i64) -> Result<usize> {
    Ok(
        diesel::delete(members::table.filter(members::election_id.eq(election_id)))
            .execute(conn)?,
    )
}

/// How many members are on the roll of an election.
pub fn count_members(conn: &mut DbConnection, election_id: i64) -> Result<i64> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .count()
        .get_result(conn)?)
}

/// The unit of each eligible member and whether they have voted — never how.
pub fn eligible_units_voted(
    conn: &mut DbConnection,
    election_id: i64,
) -> Result<Vec<(String, bool)>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .select((members::unit, members::has_voted))
        .load(conn)?)
}

/// A member's row as the search returns it.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct MemberRow {
    pub member_number: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    pub language: Language,
    pub eligible: bool,
    pub has_voted: bool,
}

/// A member's row without contact details or voted status: what a role
/// without `ReadContacts` may see (S7).
#[derive(Debug, Clone, Queryable)]
pub struct ObserverRow {
    pub member_number: String,
    pub unit: String,
    pub language: Language,
    pub eligible: bool,
}

/// `LIKE` pattern for "contains `needle`", with `\`, `%` and `_` escaped
/// so they match only themselves.
pub(super) fn contains_pattern(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

// LOWER(...) LIKE works the same on both backends (PostgreSQL's LIKE is
// case-sensitive, SQLite's is not for ASCII).
fn lower(column: &'static str) -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>(column)
}

/// Members of an election whose number, name or email contains `needle`
/// (already lower-case), at most `limit`, by member number. Case and
/// accents do not matter (issue 11): the folded needle is matched against
/// the folded `search_key` written at import, the same way on both
/// backends (neither's `LOWER` folds accents, and SQLite's folds only
/// ASCII). Rows imported before that column existed (an empty key) are
/// matched on the columns, case-insensitively.
pub fn search_members(
    conn: &mut DbConnection,
    election_id: i64,
    needle: &str,
    limit: i64,
) -> Result<Vec<MemberRow>> {
    let pattern = contains_pattern(needle);
    let folded = contains_pattern(&crate::roll::fold_for_search(needle));
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(
            members::search_key
                .like(&folded)
                .escape('\\')
                .or(lower("LOWER(member_number)").like(&pattern).escape('\\'))
                .or(lower("LOWER(name)").like(&pattern).escape('\\'))
                .or(lower("LOWER(email)").like(&pattern).escape('\\')),
        )
        .order(members::member_number.asc())
        .limit(limit)
        .select((
            members::member_number,
            members::name,
            members::email,
            members::unit,
            members::language,
            members::eligible,
            members::has_voted,
        ))
        .load(conn)?)
}

/// Members whose number contains `needle`, matched and counted in SQL and
/// loading no name, email or voted flag: `LIMIT` counts exactly the rows an
/// auditor gets back.
pub fn search_member_numbers(
    conn: &mut DbConnection,
    election_id: i64,
    needle: &str,
    limit: i64,
) -> Result<Vec<ObserverRow>> {
    let pattern = contains_pattern(needle);
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(lower("LOWER(member_number)").like(&pattern).escape('\\'))
        .order(members::member_number.asc())
        .limit(limit)
        .select((
            members::member_number,
            members::unit,
            members::language,
            members::eligible,
        ))
        .load(conn)?)
}

/// Members on the roll per unit (what `roll.imported` logged as
/// `per_unit`): the results' eligible counts.
pub fn members_per_unit(conn: &mut DbConnection, election_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .group_by(members::unit)
        .select((members::unit, diesel::dsl::count_star()))
        .load(conn)?)
}
