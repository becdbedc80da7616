//! The elections table. What an election means (its spec, its states, the
//! window) is `crate::election`; this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::{election_keys, elections};
use super::DbConnection;
use crate::election::ElectionState;
use crate::error::Result;

/// An election's row as stored: the spec as JSON (the window included: it
/// is stored nowhere else), the state last written, and the published
/// election keys (JSON, from `election_keys`), if any. `crate::election`
/// parses it.
#[derive(Debug, Clone, Queryable)]
pub struct ElectionRow {
    pub id: i64,
    pub spec: String,
    pub state: ElectionState,
    pub keys: Option<String>,
}

/// A new election's row.
#[derive(Insertable)]
#[diesel(table_name = elections)]
pub struct NewElection<'a> {
    pub slug: &'a str,
    pub spec: &'a str,
    pub state: ElectionState,
    pub created_at: i64,
}

/// The election whose slug is `slug`, if any.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<ElectionRow>> {
    Ok(elections::table
        .left_join(election_keys::table)
        .filter(elections::slug.eq(slug))
        .select((
            elections::id,
            elections::spec,
            elections::state,
            election_keys::body.nullable(),
        ))
        .get_result::<ElectionRow>(conn)
        .optional()?)
}

/// The election with this id, if any.
pub fn find_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<ElectionRow>> {
    Ok(elections::table
        .left_join(election_keys::table)
        .filter(elections::id.eq(id))
        .select((
            elections::id,
            elections::spec,
            elections::state,
            election_keys::body.nullable(),
        ))
        // The id is unique: no `LIMIT ?` (see the `db` module).
        .get_result::<ElectionRow>(conn)
        .optional()?)
}

/// All elections, newest first, in one query.
pub fn list(conn: &mut DbConnection) -> Result<Vec<ElectionRow>> {
    Ok(elections::table
        .left_join(election_keys::table)
        .order(elections::id.desc())
        .select((
            elections::id,
            elections::spec,
            elections::state,
            election_keys::body.nullable(),
        ))
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

/// Rewrites the spec: an extension of its window (S10), or a draft's
/// corrected spec (issue 11). The window is stored in the spec only.
pub fn set_spec(conn: &mut DbConnection, id: i64, spec: &str) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set(elections::spec.eq(spec))
        .execute(conn)?;
    Ok(())
}

pub fn set_state(conn: &mut DbConnection, id: i64, state: ElectionState) -> Result<()> {
    diesel::update(elections::table.find(id))
        .set(elections::state.eq(state))
        .execute(conn)?;
    Ok(())
}

/// Deletes an election's row (a deleted draft: its members and trustee
/// files go first).
pub fn delete(conn: &mut DbConnection, id: i64) -> Result<()> {
    diesel::delete(elections::table.find(id)).execute(conn)?;
    Ok(())
}
