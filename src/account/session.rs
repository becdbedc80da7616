//! Server-side sessions (S11): the cookie carries a random session id, the
//! `sessions` table holds its SHA-256 hash and the account. Every request
//! looks the hash up, so deleting the row ends the session at once — at
//! sign-out, when the account is disabled, and when its password changes —
//! even for a copy of the cookie taken earlier.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::Account;
use crate::db::{sessions, DbConnection};
use crate::error::{Error, Result};

/// A signed-in session lasts at most this long, whatever the browser does.
pub const LIFETIME_HOURS: i64 = 12;

/// SHA-256 of the id, hex: the table never holds a usable session id.
fn id_hash(id: &SecretString) -> String {
    hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        id.expose_secret().as_bytes(),
    ))
}

fn new_id() -> Result<SecretString> {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| Error::Internal("random generator failed".into()))?;
    Ok(SecretString::from(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    ))
}

/// Starts a session for `account_id`; returns the id for the cookie.
/// Expired rows are removed on the way, so the table stays small.
pub fn start(conn: &mut DbConnection, account_id: i64, now: DateTime<Utc>) -> Result<SecretString> {
    let id = new_id()?;
    let expires = now + Duration::hours(LIFETIME_HOURS);
    sessions::insert(
        conn,
        &id_hash(&id),
        account_id,
        now.timestamp_millis(),
        expires.timestamp_millis(),
    )?;
    Ok(id)
}

/// The account of a live session, or `None` when the session was ended,
/// has expired, or its account is disabled. One query per request.
pub fn resume(
    conn: &mut DbConnection,
    id: &SecretString,
    now: DateTime<Utc>,
) -> Result<Option<Account>> {
    let row = sessions::live_account(conn, &id_hash(id), now.timestamp_millis())?;
    match row {
        Some(row) if !row.disabled => Ok(Some(row.try_into()?)),
        _ => Ok(None),
    }
}

/// Ends one session (sign-out).
pub fn end(conn: &mut DbConnection, id: &SecretString) -> Result<()> {
    sessions::delete(conn, &id_hash(id))
}

/// Ends every session of an account (disable, password change); returns
/// how many there were.
pub fn end_all(conn: &mut DbConnection, account_id: i64) -> Result<usize> {
    sessions::delete_for_account(conn, account_id)
}
