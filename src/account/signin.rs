//! Sign-in (S11): brute force stays impossible, but a stranger cannot lock
//! a committee member out. The decision, and why, is in
//! docs/threat-model.md ("Sign-in lockout"):
//!
//! - Wrong passwords are counted per (email, client address). Five within
//!   [`FAILURE_WINDOW_MINUTES`] lock that client out of that email for
//!   [`LOCKOUT_MINUTES`]; the owner, signing in from elsewhere, is not
//!   affected. Unknown emails are counted the same way, so a lock says
//!   nothing about whether an account exists.
//! - Every wrong password also counts against the account, from any client
//!   (an atomic `failed_logins = failed_logins + 1`: concurrent failures are
//!   never lost). At [`ACCOUNT_CAP`] the account takes no password-only
//!   sign-in for [`LOCKOUT_MINUTES`]: that bounds a guesser with many
//!   addresses. An account with TOTP is never locked this way: its right
//!   password with a fresh code still gets in.
//! - Every answer costs exactly one argon2 run — unknown email, locked,
//!   disabled or wrong — so timing tells none of them apart.
//! - A TOTP step is accepted once (RFC 6238 §5.2).
//!
//! The account row is read with one pooled connection, which goes back to
//! the pool before argon2 runs; the outcome is written with another.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;
use serde_json::json;

use super::password::Passwords;
use super::store::{load_by_email, Row};
use super::{totp, Account};
use crate::audit::{self, LogName};
use crate::db::{accounts, sign_in};
use crate::db::{write_transaction, Db, DbConnection};
use crate::error::Result;

/// Wrong passwords from one client within the window lock that client out.
pub const MAX_FAILED_LOGINS: i32 = 5;
/// Failures older than this no longer count towards a client's lock.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
/// How long a lock lasts.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Wrong passwords for one account, from all clients, that stop
/// password-only sign-in to it for [`LOCKOUT_MINUTES`].
pub const ACCOUNT_CAP: i32 = 25;

/// One sign-in attempt.
pub struct Attempt {
    /// As typed; checked here.
    pub email: String,
    pub password: SecretString,
    pub totp: Option<String>,
    /// The client's address as [`crate::web::auth`] resolved it (behind
    /// trusted proxies, the forwarded one; IPv6 by /64).
    pub client: String,
    pub now: DateTime<Utc>,
}

/// Why a sign-in failed. People see one message for the first, so an
/// attacker cannot tell a wrong password from an unknown email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    BadCredentials,
    Locked { until: DateTime<Utc> },
}

/// What the database says before the password is checked.
struct Facts {
    row: Option<Row>,
    /// This client's lock on this email, if it is still running.
    client_locked_until: Option<i64>,
}

/// Checks a sign-in attempt and records its outcome.
pub async fn sign_in(
    db: &Db,
    passwords: &Arc<Passwords>,
    attempt: Attempt,
) -> Result<std::result::Result<Account, LoginFailure>> {
    let email = super::store::normalize_email(&attempt.email)?;
    let now = attempt.now;
    let facts = {
        let (email, client) = (email.clone(), attempt.client.clone());
        db.run(move |conn| load_facts(conn, &email, &client, now))
            .await?
    };
    let lock = current_lock(&facts, now);
    // The decoy stands in for every hash that must not be checked, so every
    // answer costs the same (issue 9: a locked account answered at once).
    let phc = match (&facts.row, lock) {
        (Some(row), None) => Some(row.password_hash.as_str()),
        _ => None,
    };
    let password_ok = passwords.verify(&attempt.password, phc).await && phc.is_some();
    if let Some(until) = lock {
        return Ok(Err(LoginFailure::Locked {
            until: DateTime::from_timestamp_millis(until).unwrap_or(now),
        }));
    }
    let step = facts
        .row
        .as_ref()
        .and_then(|row| fresh_totp_step(row, &email, attempt.totp.as_deref(), now));
    let client = attempt.client;
    db.run(move |conn| match facts.row {
        Some(row)
            if password_ok && !row.disabled && (row.totp_secret.is_none() || step.is_some()) =>
        {
            match record_success(conn, row.clone(), step, &client)? {
                Some(account) => Ok(Ok(account)),
                None => record_failure(conn, &email, &client, Some(&row), now),
            }
        }
        row => record_failure(conn, &email, &client, row.as_ref(), now),
    })
    .await
}

fn load_facts(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Facts> {
    let row = load_by_email(conn, email)?;
    let client_locked_until =
        sign_in::client_locked_until(conn, email, client)?.filter(|u| *u > now.timestamp_millis());
    Ok(Facts {
        row,
        client_locked_until,
    })
}

/// The lock that applies to this attempt, if any: this client's, or the
/// account-wide one for an account without TOTP.
fn current_lock(facts: &Facts, now: DateTime<Utc>) -> Option<i64> {
    let account_lock = facts
        .row
        .as_ref()
        .filter(|r| r.totp_secret.is_none())
        .and_then(|r| r.locked_until)
        .filter(|u| *u > now.timestamp_millis());
    facts.client_locked_until.max(account_lock)
}

/// The TOTP step of a valid code not used before, or `None`.
fn fresh_totp_step(row: &Row, email: &str, code: Option<&str>, now: DateTime<Utc>) -> Option<i64> {
    let secret = row.totp_secret.as_deref()?;
    let step = totp::matching_step(secret, email, code?, now.timestamp().max(0) as u64)? as i64;
    (row.totp_last_step < Some(step)).then_some(step)
}

/// Clears the counters and takes the TOTP step. `None` when the step was
/// taken meanwhile by a concurrent sign-in with the same code (a replay).
fn record_success(
    conn: &mut DbConnection,
    row: Row,
    step: Option<i64>,
    client: &str,
) -> Result<Option<Account>> {
    write_transaction(conn, |conn| {
        if let Some(step) = step {
            // Conditional update: of two requests with the same code, one
            // wins, whatever the interleaving.
            if !accounts::take_totp_step(conn, row.id, step)? {
                return Ok(None);
            }
        }
        accounts::clear_failures(conn, row.id)?;
        sign_in::forget(conn, &row.email, client)?;
        Ok(Some(row.try_into()?))
    })
}

/// Counts a failure for (email, client) and for the account, and locks when
/// a limit is reached. Returns what this client is told.
fn record_failure(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
    row: Option<&Row>,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Account, LoginFailure>> {
    write_transaction(conn, |conn| {
        let client_lock = count_client_failure(conn, email, client, now)?;
        let account_lock = match row {
            Some(row) => count_account_failure(conn, row, now)?,
            None => None,
        };
        if let (Some(row), Some(until)) = (row, client_lock) {
            log_lock(conn, row, until, "client", now)?;
        }
        let applies =
            client_lock.or(account_lock.filter(|_| row.is_some_and(|r| r.totp_secret.is_none())));
        Ok(Err(match applies {
            Some(until) => LoginFailure::Locked { until },
            None => LoginFailure::BadCredentials,
        }))
    })
}

/// Adds one to this client's failures; `Some(until)` when that locks it.
fn count_client_failure(
    conn: &mut DbConnection,
    email: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let now_ms = now.timestamp_millis();
    let window_start = (now - Duration::minutes(FAILURE_WINDOW_MINUTES)).timestamp_millis();
    sign_in::forget_stale(conn, window_start, now_ms)?;
    let failed = sign_in::count_failure(conn, email, client, now_ms)?;
    if failed < MAX_FAILED_LOGINS {
        return Ok(None);
    }
    let until = now + Duration::minutes(LOCKOUT_MINUTES);
    sign_in::lock(conn, email, client, now_ms, until.timestamp_millis())?;
    Ok(Some(until))
}

/// Adds one to the account's failures from all clients; `Some(until)` when
/// that reaches [`ACCOUNT_CAP`].
fn count_account_failure(
    conn: &mut DbConnection,
    row: &Row,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let failed = accounts::count_failure(conn, row.id)?;
    if failed < ACCOUNT_CAP {
        return Ok(None);
    }
    let until = now + Duration::minutes(LOCKOUT_MINUTES);
    accounts::lock(conn, row.id, until.timestamp_millis())?;
    log_lock(conn, row, until, "account", now)?;
    Ok(Some(until))
}

/// `account.locked` in the system log (S12). `scope` is `client` (one
/// address is locked out) or `account` (password-only sign-in, everywhere).
/// The address itself is not logged: the log is public.
fn log_lock(
    conn: &mut DbConnection,
    row: &Row,
    until: DateTime<Utc>,
    scope: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let failed = match scope {
        "account" => ACCOUNT_CAP,
        _ => MAX_FAILED_LOGINS,
    };
    let data = json!({
        "email": row.email,
        "until": until.to_rfc3339(),
        "failed_logins": failed,
        "scope": scope,
    });
    audit::append(
        conn,
        &LogName::System,
        now,
        "account.locked",
        None,
        audit::data(data),
    )
    .map(|_| ())
}
