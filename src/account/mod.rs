//! Committee accounts: roles, creation, sign-in with lockout and optional
//! TOTP, and server-side sessions (S11). Every change is an entry in the
//! system audit log (S12).

mod name;
pub mod password;
mod permission;
pub mod session;
mod signin;
mod store;
pub mod totp;

pub use name::{is_bidi_control, AccountName};
pub use password::Passwords;
pub use permission::Permission;
pub use signin::{
    sign_in, Attempt, LoginFailure, ACCOUNT_CAP, FAILURE_WINDOW_MINUTES, LOCKOUT_MINUTES,
    MAX_FAILED_LOGINS,
};
pub use store::{
    create_account, find_by_id, list_accounts, normalize_email, password_hash_of, set_disabled,
    set_password_hash, Account, NewAccount, ReadyAccount,
};

use serde::{Deserialize, Serialize};

/// A committee account's role. Mapped once: serde and the OpenAPI schema
/// (`utoipa::ToSchema`) use the lower-case names, as does the command line
/// (`clap::ValueEnum`); [`Role::as_str`] is the stored column
/// (`db::columns`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    utoipa::ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Accounts and settings.
    Admin,
    /// Runs elections and certifies results.
    Committee,
    /// Submits key material and decryption shares.
    Trustee,
    /// Reads everything except members' contact details.
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Committee => "committee",
            Role::Trustee => "trustee",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "committee" => Some(Role::Committee),
            "trustee" => Some(Role::Trustee),
            "auditor" => Some(Role::Auditor),
            _ => None,
        }
    }
}
