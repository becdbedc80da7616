//! The certifications and the certificate (S11, S12). What certifying
//! means is `crate::certify`; this file only reads and writes rows.

use diesel::prelude::*;

use super::schema::{accounts, certificates, certifications};
use super::DbConnection;
use crate::error::Result;

/// Records that this account certified, after the ones before it.
/// Returns how many have certified now.
pub fn insert(conn: &mut DbConnection, election_id: i64, account_id: i64) -> Result<usize> {
    let before = certifiers(conn, election_id)?.len();
    diesel::insert_into(certifications::table)
        .values((
            certifications::election_id.eq(election_id),
            certifications::account_id.eq(account_id),
            certifications::position.eq(before as i32 + 1),
        ))
        .execute(conn)?;
    Ok(before + 1)
}

/// Whether this account already certified the election.
pub fn has_certified(conn: &mut DbConnection, election_id: i64, account_id: i64) -> Result<bool> {
    let n: i64 = certifications::table
        .filter(certifications::election_id.eq(election_id))
        .filter(certifications::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The certifying accounts' emails, in the order they certified.
pub fn certifiers(conn: &mut DbConnection, election_id: i64) -> Result<Vec<String>> {
    Ok(certifications::table
        .inner_join(accounts::table)
        .filter(certifications::election_id.eq(election_id))
        .order(certifications::position.asc())
        .select(accounts::email)
        .load(conn)?)
}

pub fn insert_certificate(conn: &mut DbConnection, election_id: i64, body: &str) -> Result<()> {
    diesel::insert_into(certificates::table)
        .values((
            certificates::election_id.eq(election_id),
            certificates::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn certificate(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    Ok(certificates::table
        .find(election_id)
        .select(certificates::body)
        .first(conn)
        .optional()?)
}
