//! The `accounts` table. The account rules (passwords, sign-in, lockout)
//! are `crate::account`; this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::accounts;
use super::DbConnection;
use crate::account::Role;
use crate::error::Result;

/// The columns of a new account.
pub struct NewAccountRow<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub totp_secret: Option<&'a str>,
    pub created_at: i64,
}

/// An `accounts` row, in the column order of `db::schema::accounts`.
#[derive(Debug, Clone, Queryable)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    #[allow(dead_code)]
    pub failed_logins: i32,
    pub locked_until: Option<i64>,
    pub disabled: bool,
    #[allow(dead_code)]
    pub created_at: i64,
    pub totp_last_step: Option<i64>,
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> Result<bool> {
    let n: i64 = accounts::table
        .filter(accounts::email.eq(email))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConnection, new: &NewAccountRow<'_>) -> Result<()> {
    diesel::insert_into(accounts::table)
        .values((
            accounts::email.eq(new.email),
            accounts::name.eq(new.name),
            accounts::role.eq(new.role),
            accounts::password_hash.eq(new.password_hash),
            accounts::totp_secret.eq(new.totp_secret),
            accounts::created_at.eq(new.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn by_email(conn: &mut DbConnection, email: &str) -> Result<Option<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::email.eq(email))
        .first::<AccountRow>(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConnection, id: i64) -> Result<Option<AccountRow>> {
    Ok(accounts::table
        .find(id)
        .first::<AccountRow>(conn)
        .optional()?)
}

/// Every account, by email.
pub fn all(conn: &mut DbConnection) -> Result<Vec<AccountRow>> {
    Ok(accounts::table
        .order(accounts::email.asc())
        .load::<AccountRow>(conn)?)
}

pub fn set_disabled(conn: &mut DbConnection, id: i64, disabled: bool) -> Result<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::disabled.eq(disabled))
        .execute(conn)?;
    Ok(())
}

pub fn password_hash(conn: &mut DbConnection, id: i64) -> Result<Option<String>> {
    Ok(accounts::table
        .find(id)
        .select(accounts::password_hash)
        .first::<String>(conn)
        .optional()?)
}

pub fn set_password_hash(conn: &mut DbConnection, id: i64, hash: &str) -> Result<()> {
    diesel::update(accounts::table.find(id))
        .set(accounts::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// Takes TOTP step `step` unless that step or a later one was taken
/// before. A conditional update, so of two sign-ins with the same code one
/// wins whatever the interleaving; returns whether this one did.
pub fn take_totp_step(conn: &mut DbConnection, id: i64, step: i64) -> Result<bool> {
    let taken = diesel::update(
        accounts::table.find(id).filter(
            accounts::totp_last_step
                .is_null()
                .or(accounts::totp_last_step.lt(step)),
        ),
    )
    .set(accounts::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(taken > 0)
}

/// Clears the account's failure counter and lock.
pub fn clear_failures(conn: &mut DbConnection, id: i64) -> Result<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_logins.eq(0),
            accounts::locked_until.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Adds one to the account's failures and returns the new count. An
/// atomic increment, not read-then-write: that lost concurrent updates on
/// PostgreSQL (issue 9).
pub fn count_failure(conn: &mut DbConnection, id: i64) -> Result<i32> {
    Ok(diesel::update(accounts::table.find(id))
        .set(accounts::failed_logins.eq(accounts::failed_logins + 1))
        .returning(accounts::failed_logins)
        .get_result(conn)?)
}

/// Locks password-only sign-in until `until_ms` and restarts the count.
pub fn lock(conn: &mut DbConnection, id: i64, until_ms: i64) -> Result<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_logins.eq(0),
            accounts::locked_until.eq(Some(until_ms)),
        ))
        .execute(conn)?;
    Ok(())
}
