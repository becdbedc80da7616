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
use crate::i18n::Message;

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
        return Err(Error::field("reason", Message::new("void-no-reason")));
    }
    if reason.chars().count() > MAX_REASON || reason.chars().any(char::is_control) {
        return Err(Error::field(
            "reason",
            Message::new("void-bad-reason").with("max", MAX_REASON),
        ));
    }
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        if e.state(now) != ElectionState::Draft {
            return Err(Error::Conflict(
                Message::new("ceremony-over").with("slug", slug),
            ));
        }
        let roster = roster_of(conn, &e)?;
        let deal = roster
            .deals
            .iter()
            .find(|d| d.dealer == dealer)
            .ok_or_else(|| Error::Conflict(Message::new("void-no-deal").with("trustee", dealer)))?;
        let upheld_by: Vec<u32> = roster
            .complaints
            .iter()
            .filter(|c| verify_complaint(&roster, c).is_ok_and(|g| g.contains(&dealer)))
            .map(|c| c.complainer)
            .collect();
        if upheld_by.is_empty() {
            return Err(Error::Conflict(
                Message::new("void-not-upheld").with("trustee", dealer),
            ));
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
