//! The tallies table: the request the trustees decrypt (written by
//! `ratify tally`). This file only reads and writes rows.

use diesel::prelude::*;

use super::schema::{results, tallies};
use super::DbConnection;
use crate::error::Result;

/// The stored tally request (JSON), if there is one yet.
pub fn request(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    Ok(tallies::table
        .find(election_id)
        .select(tallies::request)
        .first(conn)
        .optional()?)
}

/// Stores the tally request and its reported groups (both JSON).
pub fn insert(
    conn: &mut DbConnection,
    election_id: i64,
    request: &str,
    groups: &str,
) -> Result<()> {
    diesel::insert_into(tallies::table)
        .values((
            tallies::election_id.eq(election_id),
            tallies::request.eq(request),
            tallies::groups.eq(groups),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored reported groups (JSON), if the tally ran.
pub fn groups(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    Ok(tallies::table
        .find(election_id)
        .select(tallies::groups)
        .first(conn)
        .optional()?)
}

/// Stores the results (`results.json`) and who decrypted them.
pub fn insert_results(
    conn: &mut DbConnection,
    election_id: i64,
    body: &str,
    decrypted_by: &str,
) -> Result<()> {
    diesel::insert_into(results::table)
        .values((
            results::election_id.eq(election_id),
            results::body.eq(body),
            results::decrypted_by.eq(decrypted_by),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored results and who decrypted them (JSON), if decrypted.
pub fn results(conn: &mut DbConnection, election_id: i64) -> Result<Option<(String, String)>> {
    Ok(results::table
        .find(election_id)
        .select((results::body, results::decrypted_by))
        .first(conn)
        .optional()?)
}
