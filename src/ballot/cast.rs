//! Casting a ballot (S2, S6, S7, S10, S19).
//!
//! The member's choices are encrypted under the election key *before* the
//! write transaction ([`seal`]: the slow part, run in parallel by the
//! server's workers), then [`cast`] checks and spends the credential,
//! marks the member as having voted, stores the ballot and logs
//! `ballot.cast` in one transaction that commits before the receipt is
//! shown. The ballot row holds the ciphertexts, proofs, tracker and unit
//! only; the `ballot.cast` entry names the tracker, the unit and the
//! record line's hash, never the member (actor `null`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::answers::Answers;
use super::commit::{cast_all, Cast};
use crate::credential::TokenHash;
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{ballot_context, ElectionState, Language, StoredElection};
use crate::error::{Error, Result};

/// Why a ballot link cannot be used now; each has its own page in the
/// member's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown or malformed link: one answer for both (S16).
    Unknown,
    /// The window has not opened (when, and the election's zone).
    NotOpenYet {
        opens_at: DateTime<Utc>,
        zone: chrono_tz::Tz,
    },
    /// The window is over.
    Closed,
    /// This link was used to vote.
    Used,
    /// A newer link was sent (a reissue or reminder).
    Revoked,
}

/// The holder of a working link: their election, unit and language.
#[derive(Debug, Clone)]
pub struct Voter {
    pub election: StoredElection,
    pub unit: String,
    pub language: Language,
}

/// Who holds the link with this hash, or why it cannot be used now.
pub fn voter(
    conn: &mut DbConnection,
    hash: &TokenHash,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Voter, Refusal>> {
    match db::voting::credential(conn, &hash.0)? {
        Some((row, election)) => voter_of_row(row, election.try_into()?, now),
        None => Ok(Err(Refusal::Unknown)),
    }
}

/// [`voter`] for a credential row and its election, already read.
fn voter_of_row(
    row: db::voting::CredentialRow,
    election: StoredElection,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Voter, Refusal>> {
    if let Some(refused) = refusal(&row.state, &election, now) {
        return Ok(Err(refused));
    }
    Ok(Ok(Voter {
        election,
        unit: row.unit,
        language: row.language,
    }))
}

fn state_refusal(credential_state: &str) -> Option<Refusal> {
    match credential_state {
        "used" => Some(Refusal::Used),
        "revoked" => Some(Refusal::Revoked),
        _ => None,
    }
}

/// Why a link in `credential_state` of `election` cannot be used at `now`,
/// if it cannot: the link's own state first, then the window.
pub fn refusal(
    credential_state: &str,
    election: &StoredElection,
    now: DateTime<Utc>,
) -> Option<Refusal> {
    state_refusal(credential_state).or_else(|| match election.state(now) {
        ElectionState::Open => None,
        ElectionState::Draft | ElectionState::KeyPublished => Some(Refusal::NotOpenYet {
            opens_at: election.spec.window().opens_at(),
            zone: election.spec.time_zone(),
        }),
        _ => Some(Refusal::Closed),
    })
}

/// A ballot encrypted for one voter, ready to store: the record line
/// (`ballots.jsonl`), its tracker and its hash.
#[derive(Debug, Clone)]
pub struct SealedBallot {
    pub(super) election_id: i64,
    pub tracker: String,
    pub(super) unit: String,
    pub(super) line: String,
    pub(super) line_hash: String,
}

/// One line of the record's `ballots.jsonl` (docs/audit-format.md).
#[derive(Serialize)]
struct RecordLine<'a> {
    tracker: &'a str,
    unit: &'a str,
    ballot: &'a ratify_crypto::EncryptedBallot,
}

/// Encrypts `answers` under the election key with proofs (S6, S14). The
/// plaintext does not outlive the caller's request.
pub fn seal(voter: &Voter, answers: &Answers) -> Result<SealedBallot> {
    let ctx = ballot_context(&voter.election)?;
    let ballot =
        ratify_crypto::encrypt_ballot(&ctx, answers.choices(), &mut ratify_crypto::os_rng())
            .map_err(|e| Error::Internal(format!("encrypting a ballot: {e}")))?;
    let tracker = ballot.tracker_hex();
    let line = serde_json::to_string(&RecordLine {
        tracker: &tracker,
        unit: &voter.unit,
        ballot: &ballot,
    })
    .map_err(|e| Error::Internal(e.to_string()))?;
    let line_hash = hex::encode(ring::digest::digest(&ring::digest::SHA256, line.as_bytes()));
    Ok(SealedBallot {
        election_id: voter.election.id,
        tracker,
        unit: voter.unit.clone(),
        line,
        line_hash,
    })
}

/// What the receipt page shows: the tracker and where to look it up.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub slug: String,
    pub tracker: String,
}

/// Spends the credential and stores the sealed ballot, in one transaction
/// (S2, S19). Of many casts with one link, exactly one stores a ballot;
/// the others get [`Refusal::Used`]. The server casts through
/// [`super::CastQueue`], which commits several casts at once
/// ([`super::commit`]).
pub fn cast(
    conn: &mut DbConnection,
    hash: &TokenHash,
    sealed: &SealedBallot,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Receipt, Refusal>> {
    let one = [Cast { hash, sealed, now }];
    let mut outcomes = write_transaction(conn, |conn| cast_all(conn, &one))?;
    Ok(outcomes.remove(0))
}
