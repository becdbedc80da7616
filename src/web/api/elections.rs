//! Elections: list, create from a TOML spec, show, extend the window.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::election::{
    self, parse_spec_within, ElectionSummary, ExtendError, Language, LocalTime, StoredElection,
    UnitCount,
};
use crate::error::Error;
use crate::web::auth::Staff;
use crate::web::AppState;

/// One election in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionListItem {
    #[schema(example = "kern-lbfo-2024")]
    pub slug: String,
    /// The English title.
    pub title: String,
    /// `draft`, `key_published`, `open`, `closed`, `tallied` or `certified`,
    /// with opening and closing by the clock applied.
    #[schema(example = "draft")]
    pub state: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    #[schema(example = "America/Los_Angeles")]
    pub time_zone: String,
    pub key_published: bool,
}

impl ElectionListItem {
    fn of(e: &StoredElection, now: DateTime<Utc>) -> ElectionListItem {
        let window = e.spec.window();
        ElectionListItem {
            slug: e.spec.slug().to_string(),
            title: e.spec.title().get(Language::En).to_string(),
            state: e.state(now).as_str().to_string(),
            opens_at: window.opens_at(),
            closes_at: window.closes_at(),
            time_zone: e.spec.time_zone().name().to_string(),
            key_published: e.public_key.is_some(),
        }
    }
}

/// An election's summary: its window and, per unit, eligible members and
/// how many have voted (never who, never how).
#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionBody {
    #[schema(example = "kern-lbfo-2024")]
    pub slug: String,
    pub title: String,
    #[schema(example = "draft")]
    pub state: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// `opens_at` in the election's time zone, for people.
    pub opens_local: String,
    pub closes_local: String,
    pub time_zone: String,
    /// The election key (hex), once published.
    pub public_key: Option<String>,
    pub units: Vec<UnitBody>,
    pub eligible: u64,
    pub voted: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitBody {
    #[schema(example = "U1")]
    pub code: String,
    #[schema(example = "Supervisory")]
    pub name: String,
    pub eligible: u64,
    pub voted: u64,
}

impl From<ElectionSummary> for ElectionBody {
    fn from(s: ElectionSummary) -> ElectionBody {
        // Destructured field by field: a field added to the summary fails to
        // compile here until the API (and so its document) says what to do.
        let ElectionSummary {
            slug,
            title,
            state,
            opens_at,
            closes_at,
            opens_local,
            closes_local,
            time_zone,
            public_key,
            units,
            eligible,
            voted,
        } = s;
        ElectionBody {
            slug,
            title,
            state: state.as_str().to_string(),
            opens_at,
            closes_at,
            opens_local,
            closes_local,
            time_zone,
            public_key,
            units: units
                .into_iter()
                .map(|u| {
                    let UnitCount {
                        code,
                        name,
                        eligible,
                        voted,
                    } = u;
                    UnitBody {
                        code,
                        name,
                        eligible,
                        voted,
                    }
                })
                .collect(),
            eligible,
            voted,
        }
    }
}

/// Every election, newest first.
#[utoipa::path(
    tag = "elections",
    security(("session" = [])),
    responses(
        (status = 200, description = "The elections", body = [ElectionListItem]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections")]
pub async fn list_elections(
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let now = state.clock.now();
    let elections = state.db.run(election::list_elections).await?;
    let list: Vec<ElectionListItem> = elections
        .iter()
        .map(|e| ElectionListItem::of(e, now))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// Creates an election, as a draft, from its spec. The body is the spec's
/// TOML (docs/api.md); a refused spec names its field and line.
#[utoipa::path(
    tag = "elections",
    security(("session" = [], "csrf" = [])),
    request_body(
        content(
            (String = "application/toml"),
            (String = "text/plain"),
        ),
        description = "The election spec as TOML (docs/acceptance.md), at most server.max_body_bytes",
    ),
    responses(
        (status = 201, description = "Created; `Location` is the election", body = ElectionBody),
        (status = 400, description = "The spec is not valid; `field` and `line` say where", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "An election with this slug exists", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not TOML", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections")]
pub async fn create_election(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::RunElection)?;
    let bytes = body::read(
        &req,
        payload,
        &body::TOML,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let limits = state.settings.election.limits();
    let spec = parse_spec_within(body::text(&bytes)?, &limits)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let summary = state
        .db
        .run(move |conn| {
            election::create_election(conn, &spec, Some(actor.as_str()), now)?;
            election::election_summary(conn, spec.slug().as_str(), now)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/elections/{}", summary.slug)))
        .json(ElectionBody::from(summary)))
}

/// An election's summary.
#[utoipa::path(
    tag = "elections",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The election", body = ElectionBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}")]
pub async fn show_election(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let now = state.clock.now();
    let slug = slug.into_inner();
    let summary = state
        .db
        .run(move |conn| election::election_summary(conn, &slug, now))
        .await?;
    Ok(HttpResponse::Ok().json(ElectionBody::from(summary)))
}

/// A later closing time, and why (S10).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// The new closing time, RFC 3339 with an offset; later than the
    /// current one, and at most `election.max_extension_days` (default 60)
    /// after the close the election was created with.
    #[schema(format = DateTime, example = "2024-12-12T17:00:00-08:00")]
    pub closes_at: String,
    /// Why; recorded in the audit log. Not blank, no NUL character.
    #[schema(
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$",
        example = "mail outage on Dec 10"
    )]
    pub reason: String,
}

/// Moves the closing time later, with a reason. Only before the window
/// closes; logged as `window.extended` with the acting account.
#[utoipa::path(
    tag = "elections",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body = ExtendRequest,
    responses(
        (status = 200, description = "Extended; the election as it is now", body = ElectionBody),
        (status = 400, description = "A bad `closes_at` (not RFC 3339 with an offset, past year 9999, or beyond election.max_extension_days) or a bad `reason` (empty, control characters, over 500 characters); `field` names it", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "Not later than now's closing time, or already closed", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections/{slug}/extend")]
pub async fn extend_window(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::RunElection)?;
    let bytes = body::read(
        &req,
        payload,
        &body::JSON,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let ExtendRequest { closes_at, reason } = body::json(&bytes)?;
    // election::LocalTime: the one reading of written times; here only the
    // form with an offset, and only years 0001-9999 in UTC.
    let closes_at = LocalTime::parse_with_offset(&closes_at)
        .map_err(|e| ApiError::field("closes_at", format!("closes_at: {e}")))?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let slug = slug.into_inner();
    let limits = state.settings.election.limits();
    let outcome = state
        .db
        .run(move |conn| {
            let extended = election::extend_window(
                conn,
                &slug,
                closes_at,
                &reason,
                &limits,
                Some(actor.as_str()),
                now,
            );
            match extended {
                Ok(_) => election::election_summary(conn, &slug, now).map(Ok),
                Err(ExtendError::Window(w)) => Ok(Err(w)),
                Err(ExtendError::Other(e)) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(summary) => Ok(HttpResponse::Ok().json(ElectionBody::from(summary))),
        // The window's rules name their field; a refusal by the election's
        // state (not later, already closed) stays a 409.
        Err(w) if w.is_conflict() => Err(Error::taken(w.field(), w.message()).into()),
        Err(w) => Err(Error::field(w.field(), w.message()).into()),
    }
}
