//! The `accounts` table's row. The account rules (sign-in, lockout,
//! passwords) are `crate::account`; their queries are still there and move
//! here next (issue 9).

use diesel::prelude::*;

/// An `accounts` row, in the column order of `db::schema::accounts`.
#[derive(Debug, Clone, Queryable)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
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
