//! The tallies table: the request the trustees decrypt (written by
//! `ratify tally`). This file only reads and writes rows.

use diesel::prelude::*;

use super::schema::tallies;
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
