//! The way forward from an upheld complaint (docs/trustee-guide.md, "If a
//! complaint is upheld"): the committee voids the accused dealer's deal
//! with a reason in the log; every confirmation and complaint goes with it
//! (they name the old deals); the dealer deals again and every trustee
//! confirms again. A deal can only be voided while a registered complaint
//! proves it bad, so voiding cannot be used to jam an honest dealer.

use chrono::{DateTime, Utc};
use ratify_crypto::verify_complaint;
use serde_json::json;

use super::roster_of;
use crate::audit::{self, Actor};
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, ElectionState};
use crate::error::{Error, Result};

/// The longest reason kept in the log, in characters.
pub const MAX_REASON: usize = 500;

/// Voids `dealer`'s deal of `slug`'s ceremony; logged as `trustee.voided`.
pub fn void_deal(
    conn: &mut DbConnection,
    slug: &str,
    dealer: u32,
    reason: &str,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field(
            "reason",
            "say why the deal is voided (it goes into the audit log)",
        ));
    }
    if reason.chars().count() > MAX_REASON || reason.chars().any(char::is_control) {
        return Err(Error::field(
            "reason",
            format!("the reason must be one line of at most {MAX_REASON} characters"),
        ));
    }
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        if e.state(now) != ElectionState::Draft {
            return Err(Error::Conflict(format!(
                "the key ceremony of {slug} is over: its key is published"
            )));
        }
        let roster = roster_of(conn, &e)?;
        let deal = roster
            .deals
            .iter()
            .find(|d| d.dealer == dealer)
            .ok_or_else(|| Error::Conflict(format!("trustee {dealer} has no deal to void")))?;
        let upheld_by: Vec<u32> = roster
            .complaints
            .iter()
            .filter(|c| verify_complaint(&roster, c).is_ok_and(|g| g.contains(&dealer)))
            .map(|c| c.complainer)
            .collect();
        if upheld_by.is_empty() {
            return Err(Error::Conflict(format!(
                "no registered complaint proves trustee {dealer}'s deal bad; a deal is only voided on an upheld complaint"
            )));
        }
        let digest = hex::encode(deal.digest());
        db::ceremony::void_deal(conn, e.id, dealer)?;
        let data = json!({
            "trustee": dealer,
            "digest": digest,
            "complainers": upheld_by,
            "reason": reason,
        });
        audit::append(
            conn,
            &e.log(),
            now,
            "trustee.voided",
            actor,
            audit::data(data),
        )?;
        Ok(())
    })
}
