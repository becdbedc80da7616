//! The key ceremony's tables: the trustees' public files and the combined
//! election keys. Checking a file and combining the key is
//! `crate::ceremony` (with `ratify_crypto`); this file only reads and
//! writes rows.

use diesel::prelude::*;

use super::schema::{accounts, election_keys, trustee_files, trustee_slots};
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

/// Records who holds a trustee slot (`None`: the command line).
pub fn insert_slot(
    conn: &mut DbConnection,
    election_id: i64,
    trustee: u32,
    account_id: Option<i64>,
) -> Result<()> {
    diesel::insert_into(trustee_slots::table)
        .values((
            trustee_slots::election_id.eq(election_id),
            trustee_slots::trustee_index.eq(trustee as i32),
            trustee_slots::account_id.eq(account_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account holding a slot: `None` if the slot is not registered,
/// `Some(None)` if the command line registered it.
pub fn slot_account(
    conn: &mut DbConnection,
    election_id: i64,
    trustee: u32,
) -> Result<Option<Option<i64>>> {
    Ok(trustee_slots::table
        .find((election_id, trustee as i32))
        .select(trustee_slots::account_id)
        .first(conn)
        .optional()?)
}

/// Every slot with its holder's email (`None`: the command line), in
/// trustee order.
pub fn slot_holders(
    conn: &mut DbConnection,
    election_id: i64,
) -> Result<Vec<(u32, Option<String>)>> {
    let rows: Vec<(i32, Option<String>)> = trustee_slots::table
        .left_join(accounts::table)
        .filter(trustee_slots::election_id.eq(election_id))
        .order(trustee_slots::trustee_index.asc())
        .select((trustee_slots::trustee_index, accounts::email.nullable()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(t, a)| (t as u32, a)).collect())
}

/// Deletes a voided deal and every confirmation and complaint (they name
/// the old deals' digests), so the ceremony can go on from the deals.
pub fn void_deal(conn: &mut DbConnection, election_id: i64, dealer: u32) -> Result<()> {
    diesel::delete(
        trustee_files::table
            .filter(trustee_files::election_id.eq(election_id))
            .filter(
                trustee_files::kind
                    .eq("deal")
                    .and(trustee_files::trustee_index.eq(dealer as i32))
                    .or(trustee_files::kind.eq_any(["confirmation", "complaint"])),
            ),
    )
    .execute(conn)?;
    Ok(())
}
