//! The `ballots` table (S6, S7): what a ballot is and how it is cast is
//! `crate::ballot`; this file only reads and writes rows. No query here
//! touches a member or a credential: the two are linked nowhere.

use diesel::prelude::*;

use super::schema::ballots;
use super::DbConnection;
use crate::error::Result;

/// A ballot as stored: its tracker (hex), unit and record line.
#[derive(Debug, Clone, Queryable)]
pub struct BallotRow {
    pub tracker: String,
    pub unit: String,
    pub body: String,
}

/// Stores one ballot. A tracker already in the election is refused by the
/// primary key (the copied-ballot attack; never expected from fresh
/// encryption).
pub fn insert(
    conn: &mut DbConnection,
    election_id: i64,
    tracker: &str,
    unit: &str,
    body: &str,
) -> Result<()> {
    diesel::insert_into(ballots::table)
        .values((
            ballots::election_id.eq(election_id),
            ballots::tracker.eq(tracker),
            ballots::unit.eq(unit),
            ballots::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// A ballot to store: `(tracker, unit, body)`.
pub type NewBallot<'a> = (&'a str, &'a str, &'a str);

/// Stores ballots of one election in one statement (a group-committed
/// batch of casts, issue 13).
pub fn insert_all(conn: &mut DbConnection, election_id: i64, rows: &[NewBallot<'_>]) -> Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(tracker, unit, body)| {
            (
                ballots::election_id.eq(election_id),
                ballots::tracker.eq(*tracker),
                ballots::unit.eq(*unit),
                ballots::body.eq(*body),
            )
        })
        .collect();
    super::insert_rows!(conn, ballots::table, values);
    Ok(())
}

/// Every ballot of an election, in tracker order (the record's order).
pub fn all(conn: &mut DbConnection, election_id: i64) -> Result<Vec<BallotRow>> {
    Ok(ballots::table
        .filter(ballots::election_id.eq(election_id))
        .order(ballots::tracker.asc())
        .select((ballots::tracker, ballots::unit, ballots::body))
        .load(conn)?)
}

/// Ballots per unit, for turnout and the close.
pub fn count_by_unit(conn: &mut DbConnection, election_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(ballots::table
        .filter(ballots::election_id.eq(election_id))
        .group_by(ballots::unit)
        .select((ballots::unit, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Whether a ballot with this tracker is in the election (the receipt
/// and lookup pages).
pub fn has_tracker(conn: &mut DbConnection, election_id: i64, tracker: &str) -> Result<bool> {
    let n: i64 = ballots::table
        .filter(ballots::election_id.eq(election_id))
        .filter(ballots::tracker.eq(tracker))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A page of an election's ballots in tracker order, after `after` (the
/// last tracker of the previous page): the tally streams them.
pub fn page_after(
    conn: &mut DbConnection,
    election_id: i64,
    after: &str,
    limit: i64,
) -> Result<Vec<BallotRow>> {
    Ok(ballots::table
        .filter(ballots::election_id.eq(election_id))
        .filter(ballots::tracker.gt(after))
        .order(ballots::tracker.asc())
        .limit(limit)
        .select((ballots::tracker, ballots::unit, ballots::body))
        .load(conn)?)
}

/// The bytes of the election's ballots written one a line
/// (`ballots.jsonl`), counted by the database.
pub fn lines_bytes(conn: &mut DbConnection, election_id: i64) -> Result<u64> {
    let sql = super::lines_bytes_sql(conn, "body", "FROM ballots WHERE election_id = $1");
    let row: super::LinesBytes = diesel::sql_query(sql)
        .bind::<diesel::sql_types::BigInt, _>(election_id)
        .get_result(conn)?;
    Ok(row.bytes as u64)
}

/// Trackers of the election that start with `prefix` (the short form on a
/// receipt), at most `limit`.
pub fn trackers_starting(
    conn: &mut DbConnection,
    election_id: i64,
    prefix: &str,
    limit: i64,
) -> Result<Vec<String>> {
    // Hex digits only (checked by the caller): nothing to escape in LIKE.
    Ok(ballots::table
        .filter(ballots::election_id.eq(election_id))
        .filter(ballots::tracker.like(format!("{prefix}%")))
        .order(ballots::tracker.asc())
        .limit(limit)
        .select(ballots::tracker)
        .load(conn)?)
}
