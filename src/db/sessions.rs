//! The `sessions` table: the hash of each live session id and its account
//! (S11). The rules (ids, lifetime) are `crate::account::session`.

use diesel::prelude::*;

use super::accounts::AccountRow;
use super::schema::{accounts, sessions};
use super::DbConnection;
use crate::error::Result;

/// Stores a new session, removing expired ones on the way so the table
/// stays small.
pub fn insert(
    conn: &mut DbConnection,
    id_hash: &str,
    account_id: i64,
    now_ms: i64,
    expires_ms: i64,
) -> Result<()> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now_ms))).execute(conn)?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::account_id.eq(account_id),
            sessions::created_at.eq(now_ms),
            sessions::expires_at.eq(expires_ms),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account row of the unexpired session whose id hashes to `id_hash`.
pub fn live_account(
    conn: &mut DbConnection,
    id_hash: &str,
    now_ms: i64,
) -> Result<Option<AccountRow>> {
    Ok(sessions::table
        .inner_join(accounts::table)
        .filter(sessions::id_hash.eq(id_hash))
        .filter(sessions::expires_at.gt(now_ms))
        .select(accounts::all_columns)
        .first::<AccountRow>(conn)
        .optional()?)
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> Result<()> {
    diesel::delete(sessions::table.filter(sessions::id_hash.eq(id_hash))).execute(conn)?;
    Ok(())
}

/// Deletes every session of an account; returns how many there were.
pub fn delete_for_account(conn: &mut DbConnection, account_id: i64) -> Result<usize> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::account_id.eq(account_id)))
            .execute(conn)?,
    )
}
