//! Certification (S11, S12): committee members certify the results with
//! their password; when `certify_quorum` distinct members have, the signed
//! certificate is made and its entry closes the log. A certified election
//! refuses every change (its state is final: `ElectionState::next`).

mod certificate;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::json;

use crate::account::{password::verify_password, Permission};
use crate::audit;
use crate::config::AuditSettings;
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, ElectionState};
use crate::error::{Error, Result};
use crate::i18n::Message;
pub use certificate::Certificate;

/// Where certification stands after one member certified.
#[derive(Debug, Clone)]
pub struct Certification {
    pub certified_by: Vec<String>,
    pub quorum: u32,
    /// Made when this certification reached the quorum.
    pub certificate: Option<Certificate>,
}

/// The account certifying, already identified by its password.
pub struct Certifier {
    pub id: i64,
    pub email: String,
}

/// Checks `email`'s password (S11: certification re-asks for it) and role.
/// Slow (argon2): call it off the async workers.
pub fn check_certifier(
    conn: &mut DbConnection,
    email: &str,
    password: &SecretString,
) -> Result<Certifier> {
    let email = crate::account::normalize_email(email)?;
    let refused = || Error::Forbidden("the email or password is not right".into());
    let Some(row) = db::accounts::by_email(conn, &email)? else {
        // Same work and answer as a wrong password: no account probing.
        verify_password(password, crate::account::password::decoy_hash());
        return Err(refused());
    };
    if !verify_password(password, &row.password_hash) || row.disabled {
        return Err(refused());
    }
    if !row.role.grants(Permission::CertifyResults) {
        return Err(Error::Forbidden(format!(
            "{email} may not certify results: only committee accounts certify"
        )));
    }
    Ok(Certifier { id: row.id, email })
}

/// Records one committee member's certification of `slug`'s results.
pub fn certify(
    conn: &mut DbConnection,
    slug: &str,
    who: &Certifier,
    signer: &ratify_tlog::Signer,
    settings: &AuditSettings,
    now: DateTime<Utc>,
) -> Result<Certification> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        db::close::lock_election(conn, e.id, true)?;
        match e.state(now) {
            ElectionState::Tallied => {}
            ElectionState::Certified => {
                return Err(Error::Conflict(
                    Message::new("certify-final").with("slug", slug),
                ))
            }
            _ => {
                return Err(Error::Conflict(
                    Message::new("certify-no-results").with("slug", slug),
                ))
            }
        }
        if db::certify::has_certified(conn, e.id, who.id)? {
            return Err(Error::Conflict(
                Message::new("certify-twice")
                    .with("email", who.email.as_str())
                    .with("slug", slug),
            ));
        }
        let count = db::certify::insert(conn, e.id, who.id)?;
        let quorum = e.spec.certify_quorum();
        let certified_by = db::certify::certifiers(conn, e.id)?;
        if (count as u32) < quorum {
            let data = json!({ "account": who.email });
            audit::append(
                conn,
                &e.log(),
                now,
                "election.certified",
                Some(&who.email),
                audit::data(data),
            )?;
            return Ok(Certification {
                certified_by,
                quorum,
                certificate: None,
            });
        }
        let cert = certificate::make(conn, &e, &certified_by, signer, settings)?;
        let body = cert.canonical()?;
        db::certify::insert_certificate(conn, e.id, &body)?;
        crate::election::set_state(conn, &e, ElectionState::Certified, now)?;
        let data = json!({ "account": who.email, "certificate_digest": cert.digest()? });
        audit::append(
            conn,
            &e.log(),
            now,
            "election.certified",
            Some(&who.email),
            audit::data(data),
        )?;
        Ok(Certification {
            certified_by,
            quorum,
            certificate: Some(cert),
        })
    })
}

/// The stored certificate (`certificate.json`'s canonical text).
pub fn certificate_file(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    db::certify::certificate(conn, election_id)
}

/// Who certified so far, in order.
pub fn certifiers(conn: &mut DbConnection, election_id: i64) -> Result<Vec<String>> {
    db::certify::certifiers(conn, election_id)
}
