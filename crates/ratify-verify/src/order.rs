//! Check 3, the order of the kinds (docs/audit-format.md §"Entry kinds"):
//! entry 0 is `election.created` and no other entry is; the roll and the
//! trustees are frozen by `key.published` (once); nothing is cast, no link
//! sent, the window not extended and no address corrected after
//! `election.closed` (S10: once closed, the ballots are final); one
//! `tally.computed`, after the close; `decryption.share` after the tally,
//! once per trustee; one `results.published`, after the tally;
//! certifications after the results, each by another account; and the
//! certification that carries the certificate is the last entry (S11).

use crate::layout::ENTRIES;
use crate::log::Logged;
use crate::{Check, Failure};

/// What the order of the kinds established, for the later checks: the
/// index of each stage's entry.
#[derive(Debug, Default, Clone)]
pub struct State {
    pub key_published: Option<u64>,
    pub closed: Option<u64>,
    pub tally: Option<u64>,
    /// `decryption.share` entries: (trustee, entry index), in log order.
    pub shares: Vec<(u64, u64)>,
    pub results: Option<u64>,
    /// `election.certified` entries: (account, entry index), in log order.
    pub certified: Vec<(String, u64)>,
    /// The certification that carries `certificate_digest`.
    pub quorum: Option<u64>,
}

fn fail(e: &Logged, why: impl Into<String>) -> Failure {
    Failure::new(Check::Entries, ENTRIES, why)
        .entry(e.index)
        .field("kind")
}

pub fn check_order(e: &Logged, state: &mut State) -> Result<(), Failure> {
    if (e.index == 0) != (e.kind == "election.created") {
        let why = if e.index == 0 {
            format!("entry 0 must be election.created, not {}", e.kind)
        } else {
            "election.created may only be entry 0".to_string()
        };
        return Err(fail(e, why));
    }
    if let Some(q) = state.quorum {
        return Err(fail(
            e,
            format!(
                "a {} after the certification that completed the quorum (entry {q}): \
                 a certified election never changes (S11)",
                e.kind
            ),
        ));
    }
    before_key(e, state)?;
    after_close(e, state)?;
    tally_stages(e, state)
}

/// The key ceremony's rules (issue 10).
fn before_key(e: &Logged, state: &mut State) -> Result<(), Failure> {
    match (e.kind.as_str(), state.key_published) {
        ("roll.imported" | "trustee.registered" | "trustee.voided", Some(k)) => Err(fail(
            e,
            format!(
                "a {} after key.published (entry {k}): the roll and the trustees are frozen then",
                e.kind
            ),
        )),
        ("key.published", Some(k)) => Err(fail(
            e,
            format!("a second key.published (the first is entry {k})"),
        )),
        ("key.published", None) => {
            state.key_published = Some(e.index);
            Ok(())
        }
        ("decryption.share" | "ballot.cast", None) => {
            Err(fail(e, format!("a {} before key.published", e.kind)))
        }
        _ => Ok(()),
    }
}

/// Once closed, the ballots and who may vote are final (S10).
fn after_close(e: &Logged, state: &mut State) -> Result<(), Failure> {
    let frozen = matches!(
        e.kind.as_str(),
        "ballot.cast"
            | "credential.issued"
            | "credential.reissued"
            | "window.extended"
            | "member.email_corrected"
            | "election.closed"
    );
    match state.closed {
        Some(c) if frozen => Err(fail(
            e,
            format!(
                "a {} after election.closed (entry {c}): the ballots are final once closed",
                e.kind
            ),
        )),
        None if e.kind == "election.closed" => {
            state.closed = Some(e.index);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Tally, shares, results, certification.
fn tally_stages(e: &Logged, state: &mut State) -> Result<(), Failure> {
    match e.kind.as_str() {
        "tally.computed" => {
            if state.closed.is_none() {
                return Err(fail(e, "a tally before election.closed (S10)"));
            }
            if let Some(t) = state.tally {
                return Err(fail(e, format!("a second tally (the first is entry {t})")));
            }
            state.tally = Some(e.index);
        }
        "decryption.share" => {
            if state.tally.is_none() {
                return Err(fail(e, "a decryption share before tally.computed"));
            }
            let trustee = e.data["trustee"].as_u64().unwrap_or_default();
            if let Some((_, at)) = state.shares.iter().find(|(t, _)| *t == trustee) {
                return Err(fail(
                    e,
                    format!("a second share of trustee {trustee} (the first is entry {at})"),
                )
                .field("data.trustee"));
            }
            state.shares.push((trustee, e.index));
        }
        "results.published" => {
            if state.tally.is_none() {
                return Err(fail(e, "results before tally.computed"));
            }
            if let Some(r) = state.results {
                return Err(fail(
                    e,
                    format!("results published twice (the first is entry {r})"),
                ));
            }
            state.results = Some(e.index);
        }
        "election.certified" => certified(e, state)?,
        _ => {}
    }
    Ok(())
}

fn certified(e: &Logged, state: &mut State) -> Result<(), Failure> {
    if state.results.is_none() {
        return Err(fail(e, "a certification before results.published"));
    }
    let account = e.data["account"].as_str().unwrap_or_default().to_string();
    if let Some((_, at)) = state.certified.iter().find(|(a, _)| *a == account) {
        return Err(fail(
            e,
            format!("{account:?} already certified (entry {at}); each certifies once"),
        )
        .field("data.account"));
    }
    state.certified.push((account, e.index));
    if e.data.contains_key("certificate_digest") {
        state.quorum = Some(e.index);
    }
    Ok(())
}
