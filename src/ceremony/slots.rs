//! Who holds which trustee slot (issue 10). The account that registers a
//! slot's public key holds the slot: only it, or the command line on the
//! server, may register the slot's deal, confirmation and complaint, so no
//! other account can jam or take over a trustee's place; and publish-key
//! refuses while one account holds more slots than allowed, so one person
//! cannot hold the whole election key (S6).

use serde::Serialize;

use crate::db::{self, DbConnection};
use crate::error::{Error, Result};
use crate::i18n::Message;

/// Who registers a trustee file.
#[derive(Debug, Clone, Copy)]
pub enum Registrar<'a> {
    /// A signed-in account, through the web pages or the API.
    Account { id: i64, email: &'a str },
    /// The command line on the server; the actor names the OS user
    /// (`cli:<user>`).
    Server(&'a str),
}

impl Registrar<'_> {
    /// What the audit log names as the actor.
    pub fn actor(&self) -> &str {
        match self {
            Registrar::Account { email, .. } => email,
            Registrar::Server(actor) => actor,
        }
    }

    fn account_id(&self) -> Option<i64> {
        match self {
            Registrar::Account { id, .. } => Some(*id),
            Registrar::Server(_) => None,
        }
    }
}

/// One slot and its holder, for the committee.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SlotHolder {
    /// The trustee's index (1-based).
    #[schema(example = 1)]
    pub trustee: u32,
    /// The account holding the slot; `null` when the public key was
    /// registered with the command line on the server.
    #[schema(example = "trustee@example.org")]
    pub account: Option<String>,
}

/// Every registered slot, and the most one account may hold.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Slots {
    pub slots: Vec<SlotHolder>,
    /// `election.max_trustee_slots_per_account`: publish-key refuses while
    /// an account holds more.
    pub max_per_account: u32,
}

/// The slots of `slug`'s ceremony, trustee 1 first.
pub fn slots(conn: &mut DbConnection, slug: &str, max_per_account: u32) -> Result<Slots> {
    let e = crate::election::load_election(conn, slug)?;
    let slots = db::ceremony::slot_holders(conn, e.id)?
        .into_iter()
        .map(|(trustee, account)| SlotHolder { trustee, account })
        .collect();
    Ok(Slots {
        slots,
        max_per_account,
    })
}

/// Records the registrar of a new public key as the slot's holder.
pub(super) fn claim(
    conn: &mut DbConnection,
    election_id: i64,
    trustee: u32,
    by: Registrar<'_>,
) -> Result<()> {
    db::ceremony::insert_slot(conn, election_id, trustee, by.account_id())
}

/// Refuses a file for `trustee`'s slot from an account that does not hold
/// it. The command line on the server may always register (the operator
/// carries the trustee's file by hand, and the log names the OS user).
pub(super) fn require_holder(
    conn: &mut DbConnection,
    election_id: i64,
    trustee: u32,
    by: Registrar<'_>,
) -> Result<()> {
    let Some(account) = by.account_id() else {
        return Ok(());
    };
    match db::ceremony::slot_account(conn, election_id, trustee)? {
        Some(Some(holder)) if holder == account => Ok(()),
        Some(_) => Err(Error::Forbidden(format!(
            "trustee {trustee}'s files can only be registered by the account that registered trustee {trustee}'s public key, or with the command line on the server"
        ))),
        // No public key in that slot: the file's own checks name it.
        None => Ok(()),
    }
}

/// Refuses to publish while one account holds more than `max` slots.
pub(super) fn check_spread(conn: &mut DbConnection, election_id: i64, max: u32) -> Result<()> {
    let holders = db::ceremony::slot_holders(conn, election_id)?;
    let mut by_account: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
    for (trustee, account) in &holders {
        if let Some(a) = account {
            by_account.entry(a.as_str()).or_default().push(*trustee);
        }
    }
    for (account, held) in by_account {
        if held.len() as u32 > max {
            let list: Vec<String> = held.iter().map(u32::to_string).collect();
            return Err(Error::Conflict(
                Message::new("publish-slots-spread")
                    .with("account", account)
                    .with("slots", list.join(", "))
                    .with("max", max),
            ));
        }
    }
    Ok(())
}
