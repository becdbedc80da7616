//! Storing casts (S2, S6, S7, S10, S19), several at once.
//!
//! The cast writer ([`super::group`]) commits every cast waiting in one
//! transaction. Here that batch costs a fixed number of statements, not a
//! number per cast: one read of the links, one lock and load per election,
//! one UPDATE that spends the links (returning those it spent), one that
//! marks their members, one multi-row INSERT of ballots and one batched
//! audit append. On PostgreSQL, where each statement is a round trip, this
//! is what lets one writer keep up (issue 13's benchmark).
//!
//! Each cast is still judged on its own, as if alone and in arrival order:
//! an unknown link, a used or revoked one, an election not open by that
//! cast's clock, and a link that appears twice in the batch (the second is
//! [`Refusal::Used`]) are refusals for that cast only. Anything that breaks
//! an invariant is an error for the batch, which the writer then rolls back
//! and retries cast by cast.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::cast::{refusal, Receipt, Refusal, SealedBallot};
use crate::audit::{self, NewEntry};
use crate::credential::TokenHash;
use crate::db::{self, DbConnection};
use crate::election::{load_election_by_id, StoredElection};
use crate::error::{Error, Result};

/// One cast to store: the link's hash, the sealed ballot and the server's
/// clock when it arrived.
pub struct Cast<'a> {
    pub hash: &'a TokenHash,
    pub sealed: &'a SealedBallot,
    pub now: DateTime<Utc>,
}

/// What each cast came to, in order.
pub type Outcomes = Vec<std::result::Result<Receipt, Refusal>>;

/// Stores `casts` inside a write transaction the caller opened and commits
/// before anyone is told an outcome (S19).
pub(crate) fn cast_all(conn: &mut DbConnection, casts: &[Cast<'_>]) -> Result<Outcomes> {
    let hashes: Vec<&[u8]> = casts.iter().map(|c| c.hash.0.as_slice()).collect();
    let rows: HashMap<Vec<u8>, db::voting::CredentialRow> =
        db::voting::credentials_by_hash(conn, &hashes)?
            .into_iter()
            .collect();
    let elections = lock_and_load(conn, rows.values().map(|r| r.election_id))?;
    // Judge each cast in order, as if alone: a link a cast before it in
    // the batch will use is used.
    let mut taken = HashSet::new();
    let mut outcomes = Vec::with_capacity(casts.len());
    let mut accepted = Vec::new();
    for (i, c) in casts.iter().enumerate() {
        let hash = c.hash.0.as_slice();
        let judged = match rows.get(hash) {
            None => Err(Refusal::Unknown),
            Some(_) if taken.contains(hash) => Err(Refusal::Used),
            Some(row) => judge(row, &elections[&row.election_id], c)?.map(|()| row.clone()),
        };
        match judged {
            Ok(row) => {
                taken.insert(hash);
                accepted.push((i, row));
                outcomes.push(Err(Refusal::Used)); // replaced once stored
            }
            Err(refusal) => outcomes.push(Err(refusal)),
        }
    }
    let stored = store(conn, casts, &accepted, &elections)?;
    for (i, receipt) in stored {
        outcomes[i] = receipt;
    }
    Ok(outcomes)
}

/// Locks each election (shared: casts order themselves before or after
/// the close, `tally::close`) and loads it, once per batch.
fn lock_and_load(
    conn: &mut DbConnection,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, StoredElection>> {
    let mut elections = HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = elections.entry(id) {
            db::close::lock_election(conn, id, false)?;
            slot.insert(load_election_by_id(conn, id)?);
        }
    }
    Ok(elections)
}

/// Whether this cast may use this link now: checked inside the transaction,
/// as the window may have closed (S10) or the link been used or revoked
/// since the page was read.
fn judge(
    row: &db::voting::CredentialRow,
    election: &StoredElection,
    c: &Cast<'_>,
) -> Result<std::result::Result<(), Refusal>> {
    if let Some(refused) = refusal(&row.state, election, c.now) {
        return Ok(Err(refused));
    }
    if election.id != c.sealed.election_id || row.unit != c.sealed.unit {
        return Err(Error::Internal("a sealed ballot for another voter".into()));
    }
    Ok(Ok(()))
}

/// Spends the accepted links, marks their members, stores their ballots
/// and logs them; the receipt of each cast stored, by position.
fn store(
    conn: &mut DbConnection,
    casts: &[Cast<'_>],
    accepted: &[(usize, db::voting::CredentialRow)],
    elections: &HashMap<i64, StoredElection>,
) -> Result<Vec<(usize, std::result::Result<Receipt, Refusal>)>> {
    let hashes: Vec<&[u8]> = accepted
        .iter()
        .map(|(i, _)| casts[*i].hash.0.as_slice())
        .collect();
    let spent = db::voting::use_credentials(conn, &hashes)?;
    // Links spent meanwhile by another server process are refused; the
    // rest go on.
    let (stored, refused): (Vec<_>, Vec<_>) = accepted
        .iter()
        .partition(|(i, _)| spent.iter().any(|h| h == &casts[*i].hash.0));
    let members: Vec<i64> = stored.iter().map(|(_, row)| row.member_id).collect();
    if db::voting::mark_all_voted(conn, &members)? != members.len() {
        return Err(Error::Internal(
            "an active credential of a member who voted".into(),
        ));
    }
    let mut receipts: Vec<_> = refused
        .iter()
        .map(|(i, _)| (*i, Err(Refusal::Used)))
        .collect();
    for (id, election) in elections {
        let mine: Vec<usize> = stored
            .iter()
            .filter(|(_, row)| row.election_id == *id)
            .map(|(i, _)| *i)
            .collect();
        record(conn, election, casts, &mine)?;
        let slug = election.spec.slug();
        receipts.extend(mine.into_iter().map(|i| {
            let tracker = casts[i].sealed.tracker.clone();
            let receipt = Receipt {
                slug: slug.to_string(),
                tracker,
            };
            (i, Ok(receipt))
        }));
    }
    Ok(receipts)
}

/// Stores the ballots of `casts[mine]` in `election` and appends their
/// `ballot.cast` entries, which name the tracker, the unit and the record
/// line's hash, never the member (actor `null`).
fn record(
    conn: &mut DbConnection,
    election: &StoredElection,
    casts: &[Cast<'_>],
    mine: &[usize],
) -> Result<()> {
    if mine.is_empty() {
        return Ok(());
    }
    let ballots: Vec<db::ballots::NewBallot<'_>> = mine
        .iter()
        .map(|i| {
            let s = casts[*i].sealed;
            (s.tracker.as_str(), s.unit.as_str(), s.line.as_str())
        })
        .collect();
    db::ballots::insert_all(conn, election.id, &ballots)?;
    let entries = mine
        .iter()
        .map(|i| {
            let s = casts[*i].sealed;
            let data = json!({
                "tracker": s.tracker,
                "unit": s.unit,
                "ballot_hash": s.line_hash,
            });
            NewEntry {
                now: casts[*i].now,
                kind: "ballot.cast",
                actor: None,
                data: audit::data(data),
            }
        })
        .collect();
    audit::append_all(conn, &election.log(), entries)?;
    Ok(())
}
