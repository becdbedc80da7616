//! Creating, reading and extending elections.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor, LogName};
use crate::db::elections::{ElectionRow, NewElection};
use crate::db::{self, write_transaction, DbConnection};
use crate::election::text::echo;
use crate::election::{
    ElectionSlug, ElectionSpec, ElectionState, LocalTime, WindowError, WindowLimits,
};
use crate::error::{Error, Result};
use crate::i18n::Message;

/// An election as stored: its spec, the state last written, and the key.
#[derive(Debug, Clone)]
pub struct StoredElection {
    pub id: i64,
    pub spec: ElectionSpec,
    pub stored_state: ElectionState,
    pub public_key: Option<String>,
}

impl StoredElection {
    /// The state now, with the clock-driven opening and closing applied.
    pub fn state(&self, now: DateTime<Utc>) -> ElectionState {
        let w = self.spec.window();
        self.stored_state.current(now, w.opens_at(), w.closes_at())
    }

    pub fn log(&self) -> LogName {
        LogName::Election(self.spec.slug().to_string())
    }
}

impl TryFrom<ElectionRow> for StoredElection {
    type Error = Error;
    fn try_from(row: ElectionRow) -> Result<StoredElection> {
        let id = row.id;
        let (spec, public_key) = super::parsed::election_row(row.spec, row.keys, |spec, keys| {
            parse_row(id, spec, keys)
        })?;
        Ok(StoredElection {
            id,
            spec,
            stored_state: row.state,
            public_key,
        })
    }
}

/// An election row's spec and public key (hex). The key is stored once,
/// with the trustees' verification keys, in `election_keys` (issue 9).
fn parse_row(id: i64, spec: &str, keys: Option<&str>) -> Result<(ElectionSpec, Option<String>)> {
    let spec: ElectionSpec = serde_json::from_str(spec)
        .map_err(|e| Error::Internal(format!("stored spec of election {id}: {e}")))?;
    let public_key = keys
        .map(|body| {
            serde_json::from_str::<ratify_crypto::ElectionKeys>(body)
                .map(|k| k.public_key.to_hex())
                .map_err(|e| Error::Internal(format!("stored keys of election {id}: {e}")))
        })
        .transpose()?;
    Ok((spec, public_key))
}

/// The election named `slug`. A slug that cannot exist (bad characters, a
/// NUL byte, 10 kB of text) is "not found" without a query: nothing a
/// person types into a path reaches the database unchecked.
pub fn load_election(conn: &mut DbConnection, slug: &str) -> Result<StoredElection> {
    let not_found = || Error::NotFound(format!("election \"{}\"", echo(slug)));
    let slug = ElectionSlug::parse(slug).map_err(|_| not_found())?;
    db::elections::find_by_slug(conn, slug.as_str())?
        .ok_or_else(not_found)?
        .try_into()
}

/// The election with this id (a credential's), which must exist.
pub fn load_election_by_id(conn: &mut DbConnection, id: i64) -> Result<StoredElection> {
    db::elections::find_by_id(conn, id)?
        .ok_or_else(|| Error::Internal(format!("election {id} is gone")))?
        .try_into()
}

/// All elections, newest first, in one query.
pub fn list_elections(conn: &mut DbConnection) -> Result<Vec<StoredElection>> {
    db::elections::list(conn)?
        .into_iter()
        .map(StoredElection::try_from)
        .collect()
}

/// Creates an election from a validated spec, in the draft state.
pub fn create_election(
    conn: &mut DbConnection,
    spec: &ElectionSpec,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<StoredElection> {
    let slug = spec.slug().to_string();
    let spec_json = serde_json::to_value(spec).map_err(|e| Error::Internal(e.to_string()))?;
    write_transaction(conn, |conn| {
        if db::elections::slug_exists(conn, &slug)? {
            return Err(Error::taken(
                "slug",
                Message::new("election-exists").with("slug", slug.as_str()),
            ));
        }
        // A deleted draft's log is kept: its slug names that log for good.
        let log = LogName::Election(slug.clone());
        let used = db::audit::find_log(conn, &log.as_string())?.is_some_and(|h| h.size > 0);
        if used {
            return Err(Error::taken(
                "slug",
                Message::new("election-slug-of-deleted").with("slug", slug.as_str()),
            ));
        }
        db::elections::insert(
            conn,
            &NewElection {
                slug: &slug,
                spec: &spec_json.to_string(),
                state: ElectionState::Draft,
                created_at: now.timestamp_millis(),
            },
        )?;
        let log = LogName::Election(slug.clone());
        audit::append(
            conn,
            &log,
            now,
            "election.created",
            actor,
            audit::data(json!({ "spec": spec_json })),
        )?;
        load_election(conn, &slug)
    })
}

/// What the election page and `ratify election show` report.
#[derive(Debug, Clone, Serialize)]
pub struct ElectionSummary {
    pub slug: String,
    pub title: String,
    /// With opening and closing by the clock applied.
    pub state: ElectionState,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub opens_local: String,
    pub closes_local: String,
    pub time_zone: String,
    pub public_key: Option<String>,
    /// Per unit: eligible members on the roll and how many have voted.
    pub units: Vec<UnitCount>,
    pub eligible: u64,
    pub voted: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitCount {
    pub code: String,
    pub name: String,
    pub eligible: u64,
    pub voted: u64,
}

pub fn election_summary(
    conn: &mut DbConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<ElectionSummary> {
    let e = load_election(conn, slug)?;
    let rows = db::roll::eligible_units_voted(conn, e.id)?;
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (unit, voted) in rows {
        let c = counts.entry(unit).or_default();
        c.0 += 1;
        c.1 += voted as u64;
    }
    let units: Vec<UnitCount> = e
        .spec
        .units()
        .iter()
        .map(|u| {
            let (eligible, voted) = counts.get(u.code.as_str()).copied().unwrap_or_default();
            UnitCount {
                code: u.code.to_string(),
                name: u.name.clone(),
                eligible,
                voted,
            }
        })
        .collect();
    let w = e.spec.window();
    Ok(ElectionSummary {
        slug: slug.to_string(),
        title: e
            .spec
            .title()
            .get(crate::election::Language::En)
            .to_string(),
        state: e.state(now),
        opens_at: w.opens_at(),
        closes_at: w.closes_at(),
        opens_local: e.spec.display_local(w.opens_at()),
        closes_local: e.spec.display_local(w.closes_at()),
        time_zone: e.spec.time_zone().name().to_string(),
        public_key: e.public_key.clone(),
        eligible: units.iter().map(|u| u.eligible).sum(),
        voted: units.iter().map(|u| u.voted).sum(),
        units,
    })
}

/// Why an extension was refused: the window's rules (with the field at
/// fault, so each surface can point at it), or anything else.
#[derive(Debug, thiserror::Error)]
pub enum ExtendError {
    #[error("{field}: {0}", field = .0.field())]
    Window(#[from] WindowError),
    #[error(transparent)]
    Other(#[from] Error),
}

impl From<diesel::result::Error> for ExtendError {
    fn from(e: diesel::result::Error) -> ExtendError {
        ExtendError::Other(e.into())
    }
}

impl From<ExtendError> for Error {
    /// For the command line and other callers that only need a sentence: a
    /// refusal by the state of the election is a conflict, the rest is bad
    /// input (S16).
    fn from(e: ExtendError) -> Error {
        match e {
            ExtendError::Window(w) if w.is_conflict() => Error::Conflict(extend_words(&w)),
            ExtendError::Window(w) => Error::Invalid(extend_words(&w)),
            ExtendError::Other(e) => e,
        }
    }
}

/// "closes_at: …": the field at fault, then the window's refusal.
fn extend_words(w: &WindowError) -> Message {
    Message::new("refusal-field")
        .with("field", w.field())
        .with("message", w.message())
}

/// Moves the closing time later, with a reason (S10), logged; at most
/// `limits.max_extension` past the close the election was created with.
pub fn extend_window(
    conn: &mut DbConnection,
    slug: &str,
    new_closes_at: DateTime<Utc>,
    reason: &str,
    limits: &WindowLimits,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> std::result::Result<StoredElection, ExtendError> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        let old = e.spec.window();
        let created = created_closes_at(conn, &e)?;
        let window = old.extend(new_closes_at, reason, now, created, limits)?;
        let spec = e.spec.with_window(window);
        let spec_json =
            serde_json::to_string(&spec).map_err(|err| Error::Internal(err.to_string()))?;
        db::elections::set_spec(conn, e.id, &spec_json)?;
        // One time form in the log and the spec: RFC 3339 UTC with `Z`
        // (docs/audit-format.md, "Times"; issue 10).
        let data = json!({
            "from": super::window::format_rfc3339(old.closes_at()),
            "to": super::window::format_rfc3339(new_closes_at),
            "reason": reason.trim(),
        });
        audit::append(
            conn,
            &e.log(),
            now,
            "window.extended",
            actor,
            audit::data(data),
        )?;
        Ok(load_election(conn, slug)?)
    })
}

/// The close the election was created with. The spec row is rewritten by
/// every extension; the log's first entry, `election.created`, keeps the
/// spec as created and cannot be changed without the change being
/// detected (S13), so the bound on extensions is measured from it — or
/// from the last corrected spec (`election.spec_replaced`), which only a
/// draft can have, before its `key.published` entry.
fn created_closes_at(conn: &mut DbConnection, e: &StoredElection) -> Result<DateTime<Utc>> {
    const PAGE: u64 = 256;
    let mut spec_entry = serde_json::Value::Null;
    let mut start = 0;
    'pages: loop {
        let page = audit::entries(conn, &e.log(), start, start + PAGE)?;
        for body in &page {
            let entry: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            match entry["kind"].as_str() {
                Some("key.published") => break 'pages,
                Some("election.created") if entry["index"] == 0 => spec_entry = entry,
                Some(crate::election::SPEC_REPLACED) if !spec_entry.is_null() => spec_entry = entry,
                _ => {}
            }
        }
        if (page.len() as u64) < PAGE {
            break;
        }
        start += PAGE;
    }
    spec_entry["data"]["spec"]["closes_at"]
        .as_str()
        .and_then(|t| LocalTime::parse_with_offset(t).ok())
        .ok_or_else(|| {
            Error::Internal(format!(
                "the audit log of {} does not start with its election.created entry",
                e.spec.slug()
            ))
        })
}

/// Writes a committee-driven state change after checking it is the next one.
pub(crate) fn set_state(
    conn: &mut DbConnection,
    e: &StoredElection,
    to: ElectionState,
    now: DateTime<Utc>,
) -> Result<()> {
    let from = e.state(now);
    crate::election::transition(from, to).map_err(|err| Error::Conflict(err.message()))?;
    db::elections::set_state(conn, e.id, to)?;
    Ok(())
}

/// What a ballot of this election is bound to (S14): the election id, its
/// key and the shape of each question. Needs the published key.
pub fn ballot_context(e: &StoredElection) -> Result<ratify_crypto::ElectionContext> {
    let key = e
        .public_key
        .as_deref()
        .ok_or_else(|| Error::Conflict(Message::new("key-not-published")))?;
    let public_key = super::parsed::election_key(key)
        .map_err(|err| Error::Internal(format!("stored election key: {err}")))?;
    let questions = e
        .spec
        .questions()
        .iter()
        .map(|q| ratify_crypto::QuestionShape {
            id: q.id().to_string(),
            options: q.options().len(),
            allow_blank: q.allow_blank(),
        })
        .collect();
    Ok(ratify_crypto::ElectionContext {
        election_id: e.spec.slug().to_string(),
        public_key,
        questions,
    })
}
