//! Committee accounts: roles, creation, sign-in with lockout and optional
//! TOTP (S11). Every change is an entry in the system audit log (S12).

pub mod password;
mod store;
pub mod totp;

pub use store::{
    authenticate, create_account, find_by_id, list_accounts, set_disabled, Account, LoginFailure,
    NewAccount,
};

use serde::{Deserialize, Serialize};

/// After this many wrong passwords in a row the account is locked...
pub const MAX_FAILED_LOGINS: i32 = 5;
/// ...for this long.
pub const LOCKOUT_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
