//! Account queries. Emails are stored lowercase so sign-in ignores case.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use secrecy::SecretString;
use serde::Serialize;
use serde_json::json;

use super::password::{decoy_hash, hash_password, verify_password};
use super::{totp, Role, LOCKOUT_MINUTES, MAX_FAILED_LOGINS};
use crate::audit::{self, LogName};
use crate::db::schema::accounts;
use crate::db::{write_transaction, DbConnection};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Queryable)]
struct Row {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: String,
    totp_secret: Option<String>,
    #[allow(dead_code)]
    failed_logins: i32,
    locked_until: Option<i64>,
    disabled: bool,
    #[allow(dead_code)]
    created_at: i64,
}

/// An account as the rest of the program sees it: no password hash, no
/// TOTP secret.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub totp: bool,
    pub disabled: bool,
}

impl TryFrom<Row> for Account {
    type Error = Error;
    fn try_from(r: Row) -> Result<Account> {
        Ok(Account {
            id: r.id,
            role: Role::parse(&r.role)
                .ok_or_else(|| Error::Internal(format!("account {} has role {}", r.id, r.role)))?,
            email: r.email,
            name: r.name,
            totp: r.totp_secret.is_some(),
            disabled: r.disabled,
        })
    }
}

pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: SecretString,
    pub totp: bool,
}

/// Why a sign-in failed. People see one message for the first two, so an
/// attacker cannot tell a wrong password from an unknown email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    BadCredentials,
    Locked { until: DateTime<Utc> },
}

fn normalize_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    if !email_address::EmailAddress::is_valid(&email) {
        return Err(Error::Invalid(format!(
            "email: {email:?} is not an email address"
        )));
    }
    Ok(email)
}

/// Creates an account and logs `account.created` in the system log.
/// Returns the account and, when TOTP was asked for, its otpauth URL.
pub fn create_account(
    conn: &mut DbConnection,
    new: &NewAccount,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Account, Option<String>)> {
    let email = normalize_email(&new.email)?;
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("name: must not be empty".into()));
    }
    let hash = hash_password(&new.password)?;
    let secret = new.totp.then(totp::new_secret).transpose()?;
    let account = write_transaction(conn, |conn| -> Result<Account> {
        let taken = accounts::table
            .filter(accounts::email.eq(&email))
            .count()
            .get_result::<i64>(conn)?;
        if taken > 0 {
            return Err(Error::Conflict(format!(
                "email: an account for {email} already exists"
            )));
        }
        diesel::insert_into(accounts::table)
            .values((
                accounts::email.eq(&email),
                accounts::name.eq(name),
                accounts::role.eq(new.role.as_str()),
                accounts::password_hash.eq(&hash),
                accounts::totp_secret.eq(&secret),
                accounts::created_at.eq(now.timestamp_millis()),
            ))
            .execute(conn)?;
        let data = json!({ "email": email, "name": name, "role": new.role.as_str(), "totp": secret.is_some() });
        audit::append(
            conn,
            &LogName::System,
            now,
            "account.created",
            actor,
            audit::data(data),
        )?;
        load_by_email(conn, &email)?
            .ok_or_else(|| Error::Internal("account vanished".into()))?
            .try_into()
    })?;
    let url = secret
        .map(|s| totp::provisioning_url(&s, &email))
        .transpose()?;
    Ok((account, url))
}

fn load_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<Row>> {
    Ok(accounts::table
        .filter(accounts::email.eq(email))
        .first::<Row>(conn)
        .optional()?)
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<Account>> {
    accounts::table
        .find(id)
        .first::<Row>(conn)
        .optional()?
        .map(Account::try_from)
        .transpose()
}

pub fn list_accounts(conn: &mut DbConnection) -> Result<Vec<Account>> {
    accounts::table
        .order(accounts::email.asc())
        .load::<Row>(conn)?
        .into_iter()
        .map(Account::try_from)
        .collect()
}

/// Disables or re-enables an account (admin), logged with the actor.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: i64,
    disabled: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Account> {
    write_transaction(conn, |conn| {
        let account =
            find_by_id(conn, id)?.ok_or_else(|| Error::NotFound(format!("account {id}")))?;
        diesel::update(accounts::table.find(id))
            .set(accounts::disabled.eq(disabled))
            .execute(conn)?;
        let kind = if disabled {
            "account.disabled"
        } else {
            "account.enabled"
        };
        audit::append(
            conn,
            &LogName::System,
            now,
            kind,
            Some(actor),
            audit::data(json!({ "email": account.email })),
        )?;
        Ok(Account {
            disabled,
            ..account
        })
    })
}

/// Checks a sign-in. The password is verified outside any transaction
/// (argon2 is deliberately slow); counters change in a short one.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &SecretString,
    totp_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Account, LoginFailure>> {
    let email = email.trim().to_lowercase();
    let Some(row) = load_by_email(conn, &email)? else {
        verify_password(password, decoy_hash());
        return Ok(Err(LoginFailure::BadCredentials));
    };
    if let Some(until) = row.locked_until.filter(|u| *u > now.timestamp_millis()) {
        let until = DateTime::from_timestamp_millis(until).unwrap_or(now);
        return Ok(Err(LoginFailure::Locked { until }));
    }
    let password_ok = verify_password(password, &row.password_hash);
    let totp_ok = match &row.totp_secret {
        None => true,
        Some(secret) => {
            totp_code.is_some_and(|c| totp::check(secret, &email, c, now.timestamp() as u64))
        }
    };
    if password_ok && totp_ok && !row.disabled {
        diesel::update(accounts::table.find(row.id))
            .set((
                accounts::failed_logins.eq(0),
                accounts::locked_until.eq(None::<i64>),
            ))
            .execute(conn)?;
        return Ok(Ok(row.try_into()?));
    }
    record_failure(conn, &row, now)
}

fn record_failure(
    conn: &mut DbConnection,
    row: &Row,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Account, LoginFailure>> {
    write_transaction(conn, |conn| {
        let failed: i32 = accounts::table
            .find(row.id)
            .select(accounts::failed_logins)
            .first(conn)?;
        if failed + 1 < MAX_FAILED_LOGINS {
            diesel::update(accounts::table.find(row.id))
                .set(accounts::failed_logins.eq(failed + 1))
                .execute(conn)?;
            return Ok(Err(LoginFailure::BadCredentials));
        }
        let until = now + Duration::minutes(LOCKOUT_MINUTES);
        diesel::update(accounts::table.find(row.id))
            .set((
                accounts::failed_logins.eq(0),
                accounts::locked_until.eq(Some(until.timestamp_millis())),
            ))
            .execute(conn)?;
        let data =
            json!({ "email": row.email, "until": until.to_rfc3339(), "failed_logins": failed + 1 });
        audit::append(
            conn,
            &LogName::System,
            now,
            "account.locked",
            None,
            audit::data(data),
        )?;
        Ok(Err(LoginFailure::Locked { until }))
    })
}
