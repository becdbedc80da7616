//! The key ceremony's tables: the trustees' public files and the combined
//! election keys. Checking a file and combining the key is
//! `crate::ceremony` (with `ratify_crypto`); this file only reads and
//! writes rows.

use diesel::prelude::*;

use super::schema::{election_keys, trustee_files};
use super::DbConnection;
use crate::error::Result;

/// Whether trustee `trustee` has already stored a file of this kind.
pub fn file_exists(
    conn: &mut DbConnection,
    election_id: i64,
    kind: &str,
    trustee: u32,
) -> Result<bool> {
    let n: i64 = trustee_files::table
        .filter(trustee_files::election_id.eq(election_id))
        .filter(trustee_files::kind.eq(kind))
        .filter(trustee_files::trustee_index.eq(trustee as i32))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_file(
    conn: &mut DbConnection,
    election_id: i64,
    kind: &str,
    trustee: u32,
    body: &str,
) -> Result<()> {
    diesel::insert_into(trustee_files::table)
        .values((
            trustee_files::election_id.eq(election_id),
            trustee_files::kind.eq(kind),
            trustee_files::trustee_index.eq(trustee as i32),
            trustee_files::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored files of one kind (JSON), in trustee order.
pub fn file_bodies(conn: &mut DbConnection, election_id: i64, kind: &str) -> Result<Vec<String>> {
    Ok(trustee_files::table
        .filter(trustee_files::election_id.eq(election_id))
        .filter(trustee_files::kind.eq(kind))
        .order(trustee_files::trustee_index.asc())
        .select(trustee_files::body)
        .load(conn)?)
}

/// Stores the combined election keys (JSON), once, at publish-key.
pub fn insert_keys(conn: &mut DbConnection, election_id: i64, body: &str) -> Result<()> {
    diesel::insert_into(election_keys::table)
        .values((
            election_keys::election_id.eq(election_id),
            election_keys::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// The stored election keys (JSON), if the key is published.
pub fn keys(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    Ok(election_keys::table
        .find(election_id)
        .select(election_keys::body)
        .first(conn)
        .optional()?)
}

/// Whether any trustee has stored any file for the election yet.
pub fn any_file(conn: &mut DbConnection, election_id: i64) -> Result<bool> {
    let n: i64 = trustee_files::table
        .filter(trustee_files::election_id.eq(election_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Deletes every trustee file of an election (a deleted draft).
pub fn delete_files(conn: &mut DbConnection, election_id: i64) -> Result<usize> {
    Ok(
        diesel::delete(trustee_files::table.filter(trustee_files::election_id.eq(election_id)))
            .execute(conn)?,
    )
}
