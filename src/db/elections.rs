//! The elections table. What an election means (its spec, its states, the
//! window) is `crate::election`; this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::elections;
use super::DbConnection;
use crate::error::Result;

/// An election's row as stored: the spec as JSON, the state last written,
/// and the published key (hex), if any. `crate::election` parses it.
#[derive(Debug, Clone, Queryable)]
pub struct ElectionRow {
    pub id: i64,
    pub spec: String,
    pub state: String,
    pub public_key: Option<String>,
}

const COLUMNS: (
    elections::id,
    elections::spec,
    elections::state,
    elections::public_key,
) = (
    elections::id,
    elections::spec,
    elections::state,
    elections::public_key,
);

/// A new election's row. The window's times are milliseconds since the
/// epoch (UTC), copied from the spec so they can be queried.
#[derive(Insertable)]
#[diesel(table_name = elections)]
pub struct NewElection<'a> {
    pub slug: &'a str,
    pub spec: &'a str,
    pub state: &'a str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_zone: &'a str,
    pub created_at: i64,
}

/// The election whose slug is `slug`, if any.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<ElectionRow>> {
    Ok(elections::table
        .filter(elections::slug.eq(slug))
        .select(COLUMNS)
        .first::<ElectionRow>(conn)
        .optional()?)
}

/// All elections, newest first, in one query.
pub fn list(conn: &mut DbConnection) -> Result<Vec<ElectionRow>> {
    Ok(elections::table
        .order(elections::id.desc())
        .select(COLUMNS)
        .load::<ElectionRow>(conn)?)
}

pub fn slug_exists(conn: &mut DbConnection, slug: &str) -> Result<bool> {
    let n: i64 = elections::table
        .filter(elections::slug.eq(slug))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConnection, row: &NewElection<'_>) -> Result<()> {
    diesel::insert_into(elections::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Rewrites the spec and the stored closing time (an extension, S10).
pub fn set_spec_and_close(
    conn: &mut DbConnection,
    id: i64,
    spec: &str,
    closes_at_millis: i64,
) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set((
            elections::spec.eq(spec),
            elections::closes_at.eq(closes_at_millis),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_state(conn: &mut DbConnection, id: i64, state: &str) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set(elections::state.eq(state))
        .execute(conn)?;
    Ok(())
}

pub fn set_public_key(conn: &mut DbConnection, id: i64, public_key: &str) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set(elections::public_key.eq(Some(public_key)))
        .execute(conn)?;
    Ok(())
}

/// Rewrites a draft's whole spec and its window's columns (a corrected
/// spec, issue 11).
pub fn set_spec_and_window(
    conn: &mut DbConnection,
    id: i64,
    spec: &str,
    opens_at_millis: i64,
    closes_at_millis: i64,
    time_zone: &str,
) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set((
            elections::spec.eq(spec),
            elections::opens_at.eq(opens_at_millis),
            elections::closes_at.eq(closes_at_millis),
            elections::time_zone.eq(time_zone),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes an election's row (a deleted draft: its members and trustee
/// files go first).
pub fn delete(conn: &mut DbConnection, id: i64) -> Result<()> {
    diesel::delete(elections::table.find(id)).execute(conn)?;
    Ok(())
}
