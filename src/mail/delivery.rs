//! What became of the ballot emails: counts per unit for the committee and
//! for auditors (who observe delivery but never see an address), the
//! undeliverable list with the relay's words for the committee, and
//! recording a bounce that arrives later.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bounce::Bounce;
use crate::credential::is_employer_address;
use crate::db::outbox;
use crate::db::{write_transaction, DbConnection};
use crate::election::load_election;
use crate::error::{Error, Result};
use crate::i18n::Message;

/// One unit's counts. Each member counts once, by their latest message.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct UnitDelivery {
    pub unit: String,
    /// Waiting to be sent, or being sent now.
    pub queued: u64,
    pub sent: u64,
    /// A temporary failure; to be tried again.
    pub deferred: u64,
    pub undeliverable: u64,
    pub printed: u64,
    /// Eligible members whose only address is at an employer's domain.
    pub employer_only: u64,
}

/// An undeliverable message (committee only).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UndeliverableMember {
    pub member_number: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    pub reply: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryReport {
    pub units: Vec<UnitDelivery>,
    /// Absent for auditors: they see counts, never addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undeliverable: Option<Vec<UndeliverableMember>>,
}

/// Counts per unit of `slug` (every unit of the spec, zeros included);
/// with `with_addresses`, the undeliverable list too.
pub fn delivery_report(
    conn: &mut DbConnection,
    slug: &str,
    employer_domains: &[String],
    with_addresses: bool,
) -> Result<DeliveryReport> {
    let e = load_election(conn, slug)?;
    let mut units: BTreeMap<String, UnitDelivery> = e
        .spec
        .unit_codes()
        .into_iter()
        .map(|u| {
            let unit = u.to_string();
            (
                unit.clone(),
                UnitDelivery {
                    unit,
                    ..Default::default()
                },
            )
        })
        .collect();
    fn entry<'a>(
        units: &'a mut BTreeMap<String, UnitDelivery>,
        unit: &str,
    ) -> &'a mut UnitDelivery {
        units
            .entry(unit.to_string())
            .or_insert_with(|| UnitDelivery {
                unit: unit.to_string(),
                ..Default::default()
            })
    }
    for row in outbox::counts_per_unit(conn, e.id)? {
        let u = entry(&mut units, &row.unit);
        let n = row.n as u64;
        match row.status.as_str() {
            outbox::QUEUED | outbox::SENDING => u.queued += n,
            outbox::SENT => u.sent += n,
            outbox::DEFERRED => u.deferred += n,
            outbox::UNDELIVERABLE => u.undeliverable += n,
            outbox::PRINTED => u.printed += n,
            _ => {}
        }
    }
    for (unit, email) in outbox::eligible_emails(conn, e.id)? {
        if is_employer_address(&email, employer_domains) {
            entry(&mut units, &unit).employer_only += 1;
        }
    }
    let undeliverable = if with_addresses {
        Some(
            outbox::undeliverable(conn, e.id)?
                .into_iter()
                .map(|r| UndeliverableMember {
                    member_number: r.member_number,
                    name: r.name,
                    email: r.email,
                    unit: r.unit,
                    reply: r.reply.unwrap_or_default(),
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(DeliveryReport {
        units: units.into_values().collect(),
        undeliverable,
    })
}

/// Records a bounce: the message it names becomes undeliverable with the
/// report's status. A report about a message we do not have is refused and
/// changes nothing; a report that is not a failure (`delayed`,
/// `delivered`) changes nothing either, and says so.
pub fn apply_bounce(conn: &mut DbConnection, bounce: &Bounce) -> Result<bool> {
    write_transaction(conn, |conn| {
        let (id, status) =
            outbox::find_by_message_id(conn, &bounce.message_id)?.ok_or_else(|| {
                Error::NotFound(format!(
                    "no message of ours has the id {} named by this report",
                    bounce.message_id
                ))
            })?;
        if !bounce.is_failure() {
            return Ok(false);
        }
        if status == outbox::CANCELLED || status == outbox::PRINTED {
            return Err(Error::Conflict(Message::untranslated(format!(
                "message {} was never sent ({status}); the report is not about a message we sent",
                bounce.message_id
            ))));
        }
        outbox::mark_undeliverable(conn, id, &bounce.reply())?;
        Ok(true)
    })
}

/// Each listed member's newest ballot message status (`queued`, `sent`,
/// `undeliverable`, `printed`, …), by member number, for the committee's
/// member search. Members never sent anything are absent.
pub fn member_statuses(
    conn: &mut DbConnection,
    election_id: i64,
    numbers: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    crate::db::outbox::latest_status_by_number(conn, election_id, numbers)
}
