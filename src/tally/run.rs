//! `ratify tally` (and the committee's button): after the close, the
//! encrypted totals per reported group, written once for the trustees.

use chrono::{DateTime, Utc};
use ratify_crypto::{TallyGroup, TallyRequest};
use serde_json::json;

use super::{aggregate, close, groups, Group};
use crate::audit::{self, Actor};
use crate::ceremony;
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, ElectionState, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::Message;

/// The tally: the request the trustees decrypt, its groups and digest.
#[derive(Debug, Clone)]
pub struct Tallied {
    pub request: TallyRequest,
    pub groups: Vec<Group>,
    pub digest: String,
    /// False when the tally already existed (it is made once).
    pub new: bool,
}

/// Tallies `slug` once its window is over (S10), closing it first if no
/// one has yet. A second call returns the stored tally.
pub fn tally(
    conn: &mut DbConnection,
    slug: &str,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Tallied> {
    let e = load_election(conn, slug)?;
    if e.state(now) < ElectionState::Closed {
        // S10: nothing is tallied before the close.
        return Err(Error::Conflict(
            Message::new("tally-not-over").with("slug", slug).with_time(
                "time",
                e.spec.closes_at(),
                e.spec.time_zone(),
            ),
        ));
    }
    close::close_if_due(conn, &e, now)?;
    if let Some(t) = stored(conn, &e)? {
        return Ok(t);
    }
    let computed = compute(conn, &e)?;
    write_transaction(conn, |conn| {
        db::close::lock_election(conn, e.id, true)?;
        if let Some(t) = stored(conn, &e)? {
            return Ok(t);
        }
        let request = ratify_crypto::to_json(&computed.request);
        let groups =
            serde_json::to_string(&computed.groups).map_err(|e| Error::Internal(e.to_string()))?;
        db::tally::insert(conn, e.id, &request, &groups)?;
        let data = json!({ "groups": computed.groups, "tally_digest": computed.digest });
        audit::append(
            conn,
            &e.log(),
            now,
            "tally.computed",
            actor,
            audit::data(data),
        )?;
        Ok(computed)
    })
}

/// Groups per S8 from the close's counts, and each group's encrypted sums.
fn compute(conn: &mut DbConnection, e: &StoredElection) -> Result<Tallied> {
    let (per_unit, _) = close::stored(conn, e.id)?
        .ok_or_else(|| Error::Internal("a closed election without its close".into()))?;
    let units: Vec<(String, u64)> = e
        .spec
        .units()
        .iter()
        .map(|u| {
            (
                u.code.to_string(),
                per_unit.get(u.code.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let groups = groups::report(&units, u64::from(e.spec.min_unit_report()));
    let shape = e
        .spec
        .questions()
        .iter()
        .map(|q| (q.id().to_string(), q.options().len()))
        .collect();
    let totals = aggregate::per_unit(conn, e.id, e.spec.slug().as_str(), shape)?;
    for (unit, n) in &units {
        if totals.ballots(unit) != *n {
            return Err(Error::Internal(format!(
                "unit {unit}: {} ballots stored, {n} counted at the close",
                totals.ballots(unit)
            )));
        }
    }
    let roster = ceremony::roster_of(conn, e)?;
    let keys = ceremony::election_keys_of(conn, e.id)?;
    let request = TallyRequest::new(
        roster,
        groups
            .iter()
            .map(|g| TallyGroup {
                name: g.name.clone(),
                totals: totals.group(&g.units),
            })
            .collect(),
    );
    let digest = hex::encode(request.digest(&keys));
    Ok(Tallied {
        request,
        groups,
        digest,
        new: true,
    })
}

fn stored(conn: &mut DbConnection, e: &StoredElection) -> Result<Option<Tallied>> {
    let Some(groups) = stored_groups(conn, e.id)? else {
        return Ok(None);
    };
    let request = ceremony::tally_request_of(conn, e.id)?;
    let keys = ceremony::election_keys_of(conn, e.id)?;
    Ok(Some(Tallied {
        digest: hex::encode(request.digest(&keys)),
        request,
        groups,
        new: false,
    }))
}

/// The reported groups of the stored tally, if it ran.
pub fn stored_groups(conn: &mut DbConnection, election_id: i64) -> Result<Option<Vec<Group>>> {
    db::tally::groups(conn, election_id)?
        .map(|g| {
            serde_json::from_str(&g).map_err(|e| Error::Internal(format!("stored groups: {e}")))
        })
        .transpose()
}
