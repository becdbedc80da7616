//! Correcting or deleting a draft (issue 11): the committee replaces the
//! whole spec while the election is a draft, or deletes the draft; each is
//! logged (S10: every change to an election is in its audit log).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::service::{load_election, StoredElection};
use super::{ElectionSpec, ElectionState};
use crate::audit::{self, Actor};
use crate::db::{self, write_transaction, DbConnection};
use crate::error::{Error, Result};
use crate::i18n::Message;

/// The audit entry a corrected spec writes; its `spec` replaces the
/// `election.created` entry's for everything measured from the spec as
/// created (the bound on extensions).
pub const SPEC_REPLACED: &str = "election.spec_replaced";

/// Replaces the spec of draft `slug` by `spec`. Refused (and nothing
/// changes) once the key is published, when the slug differs (addresses
/// and the audit log are named by it), once trustees have registered
/// files (their ceremony is for the spec's trustees and thresholds), or
/// when the roll has members in a unit the new spec drops.
pub fn replace_spec(
    conn: &mut DbConnection,
    slug: &str,
    spec: &ElectionSpec,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<StoredElection> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        let state = e.state(now);
        if state != ElectionState::Draft {
            return Err(Error::Conflict(
                Message::new("spec-frozen")
                    .with("slug", slug)
                    .with("state", state.word()),
            ));
        }
        if spec.slug().as_str() != slug {
            return Err(Error::field(
                "slug",
                Message::new("spec-keep-slug").with("slug", slug),
            ));
        }
        if db::ceremony::any_file(conn, e.id)? {
            return Err(Error::Conflict(Message::new("spec-ceremony-started")));
        }
        let units = spec.unit_codes();
        for (unit, _) in db::roll::eligible_units_voted(conn, e.id)? {
            if !units.iter().any(|u| u.as_str() == unit) {
                return Err(Error::field(
                    "units",
                    Message::new("spec-unit-on-roll").with("unit", unit),
                ));
            }
        }
        let spec_json = serde_json::to_value(spec).map_err(|e| Error::Internal(e.to_string()))?;
        db::elections::set_spec(conn, e.id, &spec_json.to_string())?;
        audit::append(
            conn,
            &e.log(),
            now,
            SPEC_REPLACED,
            actor,
            audit::data(json!({ "spec": spec_json })),
        )?;
        load_election(conn, slug)
    })
}

/// The audit entry a deleted draft leaves in its own log, which is kept.
pub const DELETED: &str = "election.deleted";

/// Deletes draft `slug`: its roll, its trustee files and its row. Its
/// audit log is kept and says so (S13: nothing logged disappears); the slug
/// can therefore never name another election ([`create_election`] refuses
/// a slug whose log exists). Refused once the key is published.
///
/// [`create_election`]: super::create_election
pub fn delete_draft(
    conn: &mut DbConnection,
    slug: &str,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        let state = e.state(now);
        if state != ElectionState::Draft {
            return Err(Error::Conflict(
                Message::new("election-not-deletable")
                    .with("slug", slug)
                    .with("state", state.word()),
            ));
        }
        let members = db::roll::delete_members(conn, e.id)?;
        let files = db::ceremony::delete_files(conn, e.id)?;
        db::elections::delete(conn, e.id)?;
        audit::append(
            conn,
            &e.log(),
            now,
            DELETED,
            actor,
            audit::data(json!({ "members": members, "trustee_files": files })),
        )?;
        Ok(())
    })
}
