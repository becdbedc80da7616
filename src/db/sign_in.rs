//! The `sign_in_failures` table: wrong passwords per (email as typed,
//! client address). The lockout rules are `crate::account::signin`.

use diesel::prelude::*;

use super::schema::sign_in_failures;
use super::DbConnection;
use crate::error::Result;

/// This client's lock on this email, if one was set.
pub fn client_locked_until(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
) -> Result<Option<i64>> {
    Ok(sign_in_failures::table
        .find((email, client))
        .select(sign_in_failures::locked_until)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

pub fn forget(conn: &mut DbConnection, email: &str, client: &str) -> Result<()> {
    diesel::delete(sign_in_failures::table.find((email, client))).execute(conn)?;
    Ok(())
}

/// Removes counters that started before `window_start_ms` and hold no live
/// lock, so the table holds only live counters.
pub fn forget_stale(conn: &mut DbConnection, window_start_ms: i64, now_ms: i64) -> Result<()> {
    diesel::delete(
        sign_in_failures::table
            .filter(sign_in_failures::first_failed_at.lt(window_start_ms))
            .filter(
                sign_in_failures::locked_until
                    .is_null()
                    .or(sign_in_failures::locked_until.le(now_ms)),
            ),
    )
    .execute(conn)?;
    Ok(())
}

/// Adds one to (email, client)'s failures, creating the counter if
/// needed, and returns the new count. The increment is atomic and takes
/// the row lock on PostgreSQL, so concurrent failures are counted one
/// after the other.
pub fn count_failure(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
    now_ms: i64,
) -> Result<i32> {
    // Raw SQL because diesel's multi-backend connection has no upsert; `$n`
    // is a positional parameter in both SQLite and PostgreSQL.
    diesel::sql_query(
        "INSERT INTO sign_in_failures (email, client, failed, first_failed_at) \
         VALUES ($1, $2, 0, $3) ON CONFLICT (email, client) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(email)
    .bind::<diesel::sql_types::Text, _>(client)
    .bind::<diesel::sql_types::BigInt, _>(now_ms)
    .execute(conn)?;
    Ok(
        diesel::update(sign_in_failures::table.find((email, client)))
            .set(sign_in_failures::failed.eq(sign_in_failures::failed + 1))
            .returning(sign_in_failures::failed)
            .get_result(conn)?,
    )
}

/// Locks this client out of this email until `until_ms` and restarts the
/// count.
pub fn lock(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
    now_ms: i64,
    until_ms: i64,
) -> Result<()> {
    diesel::update(sign_in_failures::table.find((email, client)))
        .set((
            sign_in_failures::failed.eq(0),
            sign_in_failures::first_failed_at.eq(now_ms),
            sign_in_failures::locked_until.eq(Some(until_ms)),
        ))
        .execute(conn)?;
    Ok(())
}
