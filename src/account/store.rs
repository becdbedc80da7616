//! Account queries. Emails are stored lowercase so sign-in ignores case.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use serde_json::json;

use super::name::AccountName;
use std::sync::Arc;

use super::password::{hash_password, Passwords};
use super::{session, totp, Role};
use crate::audit::{self, LogName};
use crate::db::accounts::{self as rows, NewAccountRow};
use crate::db::{write_transaction, DbConnection};
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::roll::Email;

/// An `accounts` row (`db::accounts`).
pub(super) use crate::db::accounts::AccountRow as Row;

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
            role: r.role,
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

/// The stored (and looked-up) form of an account's email: the roll's
/// [`Email`] rules (no control characters, at most 254 bytes, one plain
/// address), lowercase so sign-in ignores case. The message names the field.
pub fn normalize_email(email: &str) -> Result<String> {
    Email::parse(email.trim())
        .map(|e| e.canonical())
        .map_err(|e| Error::field("email", e.0))
}

/// A new account whose fields were checked and whose password was hashed,
/// ready to store. Hashing happens here, before a database connection is
/// taken (argon2 takes 19 MiB and tens of milliseconds, S11).
pub struct ReadyAccount {
    email: String,
    name: String,
    role: Role,
    password_hash: String,
    totp: bool,
}

/// The email and the name, checked in that order (each names its field).
fn checked_fields(new: &NewAccount) -> Result<(String, String)> {
    let email = normalize_email(&new.email)?;
    let name = AccountName::parse(&new.name)?;
    Ok((email, name.as_str().to_string()))
}

impl ReadyAccount {
    /// For the server: hashes with the bounded [`Passwords`].
    pub async fn prepare(new: NewAccount, passwords: &Arc<Passwords>) -> Result<ReadyAccount> {
        let (email, name) = checked_fields(&new)?;
        let password_hash = passwords.hash(&new.password).await?;
        Ok(ReadyAccount::with_hash(new, email, name, password_hash))
    }

    /// For the command line, which hashes one password and exits.
    pub fn prepare_blocking(new: NewAccount) -> Result<ReadyAccount> {
        let (email, name) = checked_fields(&new)?;
        let password_hash = hash_password(&new.password)?;
        Ok(ReadyAccount::with_hash(new, email, name, password_hash))
    }

    fn with_hash(new: NewAccount, email: String, name: String, password_hash: String) -> Self {
        ReadyAccount {
            email,
            name,
            role: new.role,
            password_hash,
            totp: new.totp,
        }
    }
}

/// Creates an account and logs `account.created` in the system log.
/// Returns the account and, when TOTP was asked for, its otpauth URL.
pub fn create_account(
    conn: &mut DbConnection,
    new: &ReadyAccount,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Account, Option<String>)> {
    let email = new.email.clone();
    let name = new.name.as_str();
    let hash = &new.password_hash;
    let secret = new.totp.then(totp::new_secret).transpose()?;
    let account = write_transaction(conn, |conn| -> Result<Account> {
        if rows::email_taken(conn, &email)? {
            return Err(Error::taken(
                "email",
                Message::new("account-exists").with("email", email.as_str()),
            ));
        }
        let row = NewAccountRow {
            email: &email,
            name,
            role: new.role,
            password_hash: hash,
            totp_secret: secret.as_deref(),
            created_at: now.timestamp_millis(),
        };
        rows::insert(conn, &row)?;
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

pub(super) fn load_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<Row>> {
    rows::by_email(conn, email)
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<Account>> {
    rows::by_id(conn, id)?.map(Account::try_from).transpose()
}

pub fn list_accounts(conn: &mut DbConnection) -> Result<Vec<Account>> {
    rows::all(conn)?
        .into_iter()
        .map(Account::try_from)
        .collect()
}

/// Disables or re-enables an account (admin), logged with the actor.
/// Disabling ends every session of the account in the same transaction
/// (S11): a copied cookie stops working at once. `actor_id` is the acting
/// account (`None` for the operator's command line): no account may
/// disable itself, since there might be no admin left to undo it — the
/// rule lives here so that every surface (pages, API) keeps it.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: i64,
    disabled: bool,
    actor_id: Option<i64>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Account> {
    if disabled && actor_id == Some(id) {
        return Err(Error::Conflict(Message::new("account-disable-self")));
    }
    write_transaction(conn, |conn| {
        let account =
            find_by_id(conn, id)?.ok_or_else(|| Error::NotFound(format!("account {id}")))?;
        rows::set_disabled(conn, id, disabled)?;
        if disabled {
            session::end_all(conn, id)?;
        }
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

/// The stored password hash of an account (to check the current password
/// before a change, outside any transaction).
pub fn password_hash_of(conn: &mut DbConnection, id: i64) -> Result<Option<String>> {
    rows::password_hash(conn, id)
}

/// Stores a new password hash (made by the caller, outside the
/// transaction: argon2 is slow), ends every session of the account (S11:
/// whoever copied a cookie is out) and logs `account.password_changed`.
pub fn set_password_hash(
    conn: &mut DbConnection,
    id: i64,
    hash: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    write_transaction(conn, |conn| {
        let account =
            find_by_id(conn, id)?.ok_or_else(|| Error::NotFound(format!("account {id}")))?;
        rows::set_password_hash(conn, id, hash)?;
        let ended = session::end_all(conn, id)?;
        audit::append(
            conn,
            &LogName::System,
            now,
            "account.password_changed",
            Some(actor),
            audit::data(json!({ "email": account.email })),
        )?;
        Ok(ended)
    })
}
