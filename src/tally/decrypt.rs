//! Combining the trustees' decryption shares into the results. Each share
//! was verified when it arrived (`ceremony::submit_share`), so an invalid
//! one was never stored and cannot block a result: once k valid shares are
//! in, the first k by trustee number are combined.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ratify_crypto::{combine_decryption, DecryptionShare, DlogTable};
use serde_json::json;

use super::{results::Results, stored_groups};
use crate::audit;
use crate::ceremony;
use crate::db::{self, DbConnection};
use crate::election::{ElectionState, StoredElection};
use crate::error::{Error, Result};

/// The stored decryption shares, trustee 1 first.
pub fn shares(conn: &mut DbConnection, election_id: i64) -> Result<Vec<DecryptionShare>> {
    let mut shares: Vec<DecryptionShare> = db::ceremony::file_bodies(conn, election_id, "share")?
        .iter()
        .map(|b| serde_json::from_str(b).map_err(|e| Error::Internal(format!("stored share: {e}"))))
        .collect::<Result<_>>()?;
    shares.sort_by_key(|s| s.trustee);
    Ok(shares)
}

/// Inside the share's transaction: once k shares are stored and no results
/// exist, combines them, stores `results.json`, logs `results.published`
/// and moves the election to tallied. Returns the results it made.
pub fn combine_if_ready(
    conn: &mut DbConnection,
    e: &StoredElection,
    now: DateTime<Utc>,
    actor: audit::Actor<'_>,
) -> Result<Option<Results>> {
    let k = e.spec.decrypt_threshold() as usize;
    let mut shares = shares(conn, e.id)?;
    if shares.len() < k || db::tally::results(conn, e.id)?.is_some() {
        return Ok(None);
    }
    shares.truncate(k);
    let tally = ceremony::tally_request_of(conn, e.id)?;
    let keys = ceremony::election_keys_of(conn, e.id)?;
    let decrypted = combine_decryption(&tally, &keys, &shares, DlogTable::global())
        .map_err(|err| Error::Internal(format!("combining verified shares: {err}")))?;
    let groups = stored_groups(conn, e.id)?
        .ok_or_else(|| Error::Internal("shares without a tally".into()))?;
    let eligible: BTreeMap<String, u64> = db::roll::members_per_unit(conn, e.id)?
        .into_iter()
        .map(|(u, n)| (u, n as u64))
        .collect();
    let results = Results::compute(&e.spec, &groups, &decrypted, &eligible)?;
    let decrypted_by: Vec<u32> = shares.iter().map(|s| s.trustee).collect();
    let by_json =
        serde_json::to_string(&decrypted_by).map_err(|e| Error::Internal(e.to_string()))?;
    db::tally::insert_results(conn, e.id, &results.canonical()?, &by_json)?;
    crate::election::set_state(conn, e, ElectionState::Tallied, now)?;
    let data = json!({ "results_digest": results.digest()?, "decrypted_by": decrypted_by });
    audit::append(
        conn,
        &e.log(),
        now,
        "results.published",
        actor,
        audit::data(data),
    )?;
    Ok(Some(results))
}

/// The stored results and who decrypted them, if decrypted.
pub fn stored_results(
    conn: &mut DbConnection,
    election_id: i64,
) -> Result<Option<(Results, Vec<u32>)>> {
    let Some((body, by)) = db::tally::results(conn, election_id)? else {
        return Ok(None);
    };
    let results =
        serde_json::from_str(&body).map_err(|e| Error::Internal(format!("stored results: {e}")))?;
    let by =
        serde_json::from_str(&by).map_err(|e| Error::Internal(format!("stored results: {e}")))?;
    Ok(Some((results, by)))
}

/// `results.json` exactly as stored (its canonical bytes).
pub fn results_file(conn: &mut DbConnection, election_id: i64) -> Result<Option<String>> {
    Ok(db::tally::results(conn, election_id)?.map(|(body, _)| body))
}
