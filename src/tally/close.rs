//! The close (S7, S10): at `closes_at` casting stops by the clock; the first
//! time anything looks at the election after that, the close is made once:
//! the ballots per unit and the hiding commitment to who voted go into
//! `election.closed`, and the storage a cast touched is rewritten so no
//! physical trace links a ballot to a member (docs/threat-model.md).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ring::rand::SecureRandom;
use serde_json::json;

use crate::audit;
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election_by_id, ElectionState, StoredElection};
use crate::error::{Error, Result};

/// What the close recorded.
#[derive(Debug, Clone)]
pub struct Closed {
    /// Ballots per unit, every unit of the spec.
    pub per_unit: BTreeMap<String, u64>,
    /// Hex SHA-256 over the salt and the sorted member numbers (S7).
    pub voted_commitment: String,
}

/// The voted commitment: SHA-256 over the 32-byte salt, then each member
/// number (sorted by bytes) followed by 0x1E (docs/audit-format.md).
pub fn voted_commitment(salt: &[u8; 32], sorted_numbers: &[String]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(salt);
    for n in sorted_numbers {
        ctx.update(n.as_bytes());
        ctx.update(&[0x1E]);
    }
    hex::encode(ctx.finish())
}

/// Closes the election if its window is over and it is not closed yet.
/// Returns the close when this call made it. Safe to call from several
/// processes at once: the election row's lock lets one of them make it.
pub fn close_if_due(
    conn: &mut DbConnection,
    election: &StoredElection,
    now: DateTime<Utc>,
) -> Result<Option<Closed>> {
    if election.state(now) != ElectionState::Closed
        || election.stored_state >= ElectionState::Closed
    {
        return Ok(None);
    }
    let closed = write_transaction(conn, |conn| {
        db::close::lock_election(conn, election.id, true)?;
        // Read again under the lock: another process may have closed it.
        let e = load_election_by_id(conn, election.id)?;
        if e.stored_state >= ElectionState::Closed {
            return Ok(None);
        }
        record_close(conn, &e, now).map(Some)
    })?;
    if closed.is_some() {
        db::close::rewrite_storage(conn, election.id)?;
    }
    Ok(closed)
}

/// Counts, commits to who voted, stores the salt and logs `election.closed`.
fn record_close(conn: &mut DbConnection, e: &StoredElection, now: DateTime<Utc>) -> Result<Closed> {
    let mut per_unit: BTreeMap<String, u64> = e
        .spec
        .units()
        .iter()
        .map(|u| (u.code.to_string(), 0))
        .collect();
    for (unit, n) in db::ballots::count_by_unit(conn, e.id)? {
        *per_unit.entry(unit).or_default() += n as u64;
    }
    let voted = db::close::voted_member_numbers(conn, e.id)?;
    if voted.len() as u64 != per_unit.values().sum::<u64>() {
        return Err(Error::Internal(format!(
            "{} members are marked as voted but {} ballots are stored",
            voted.len(),
            per_unit.values().sum::<u64>()
        )));
    }
    let mut salt = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| Error::Internal("the system's random source failed".into()))?;
    let voted_commitment = voted_commitment(&salt, &voted);
    let per_unit_json =
        serde_json::to_string(&per_unit).map_err(|e| Error::Internal(e.to_string()))?;
    db::close::insert(conn, e.id, &hex::encode(salt), &per_unit_json)?;
    db::elections::set_state(conn, e.id, ElectionState::Closed)?;
    let data = json!({ "per_unit": per_unit, "voted_commitment": voted_commitment });
    audit::append(
        conn,
        &e.log(),
        now,
        "election.closed",
        None,
        audit::data(data),
    )?;
    Ok(Closed {
        per_unit,
        voted_commitment,
    })
}

/// The stored close: ballots per unit, and the salt (for the private
/// export only).
pub fn stored(
    conn: &mut DbConnection,
    election_id: i64,
) -> Result<Option<(BTreeMap<String, u64>, String)>> {
    let Some(row) = db::close::get(conn, election_id)? else {
        return Ok(None);
    };
    let per_unit = serde_json::from_str(&row.per_unit)
        .map_err(|e| Error::Internal(format!("stored close: {e}")))?;
    Ok(Some((per_unit, row.salt)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commitment_covers_salt_and_every_number_with_separators() {
        let salt = [7u8; 32];
        let a = voted_commitment(&salt, &["1".into(), "23".into()]);
        // Moving a digit across the separator changes the commitment.
        assert_ne!(a, voted_commitment(&salt, &["12".into(), "3".into()]));
        assert_ne!(a, voted_commitment(&[8u8; 32], &["1".into(), "23".into()]));
        // Recomputed by hand from the documented bytes.
        let mut bytes = salt.to_vec();
        bytes.extend_from_slice(b"1\x1e23\x1e");
        assert_eq!(
            a,
            hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes))
        );
    }
}
