//! The roll: import a CSV (all or nothing, S16) and search members.

use std::collections::BTreeMap;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody, RollErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::election;
use crate::error::Error;
use crate::roll::{self, parse_roll, MemberView, RollImported, SearchError, SearchScope};
use crate::web::auth::Staff;
use crate::web::extract;
use crate::web::AppState;

/// What an import stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollImportedBody {
    /// Members on the roll now.
    pub members: u64,
    /// Members per bargaining unit.
    #[schema(example = json!({"U1": 41, "XH": 3}))]
    pub per_unit: BTreeMap<String, u64>,
    /// SHA-256 of the roll in canonical form (hex), as in the audit log.
    pub roll_hash: String,
    /// Whether an earlier roll was replaced.
    pub replaced: bool,
}

impl From<RollImported> for RollImportedBody {
    fn from(r: RollImported) -> RollImportedBody {
        let RollImported {
            members,
            per_unit,
            roll_hash,
            replaced,
        } = r;
        RollImportedBody {
            members,
            per_unit,
            roll_hash,
            replaced,
        }
    }
}

/// Replaces the roll of a draft election. The body is the CSV
/// (`member_number,name,email,unit,language`), at most
/// `server.max_upload_bytes`. A roll with any bad row is refused whole,
/// every problem listed with its line; nothing is imported.
#[utoipa::path(
    tag = "elections",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body(
        content = String,
        content_type = "text/csv",
        description = "The roll: `member_number,name,email,unit,language`, header first, at most server.max_upload_bytes",
    ),
    responses(
        (status = 200, description = "Imported", body = RollImportedBody),
        (status = 400, description = "Refused; every bad line listed, nothing imported", body = RollErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "The election is no longer a draft", body = ErrorBody),
        (status = 413, description = "Larger than server.max_upload_bytes", body = ErrorBody),
        (status = 415, description = "Not text/csv", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections/{slug}/roll")]
pub async fn import_roll(
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
        &body::CSV,
        Limit::Upload,
        &state.settings.server,
    )
    .await?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let slug = slug.into_inner();
    // Parsed on the blocking pool: a large roll takes a noticeable while.
    let imported = state
        .db
        .run(move |conn| {
            let e = election::load_election(conn, &slug)?;
            match parse_roll(&bytes, &e.spec.unit_codes()) {
                Ok(roll) => {
                    roll::import_roll(conn, &slug, &roll, Some(actor.as_str()), now, |_| {}).map(Ok)
                }
                Err(errors) => Ok(Err(errors)),
            }
        })
        .await?
        .map_err(ApiError::Roll)?;
    Ok(HttpResponse::Ok().json(RollImportedBody::from(imported)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Part of a member number, name or email (case-insensitive); empty
    /// finds nobody. Auditors search by member number only: anything a
    /// member number cannot contain (letters, digits, '-') is refused.
    #[serde(default)]
    #[param(max_length = 200)]
    pub q: String,
    /// At most this many members (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A member on the roll. `name` and `email` are left out for auditors.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberBody {
    #[schema(example = "100001")]
    pub member_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub unit: String,
    pub language: String,
    pub eligible: bool,
    /// Whether the member has voted; never how, never when. Left out for
    /// auditors: who voted is sensitive in a strike vote (S7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_voted: Option<bool>,
}

impl From<MemberView> for MemberBody {
    fn from(m: MemberView) -> MemberBody {
        match m {
            MemberView::Committee {
                member_number,
                name,
                email,
                unit,
                language,
                eligible,
                has_voted,
            } => MemberBody {
                member_number,
                name: Some(name),
                email: Some(email),
                unit,
                language: language.as_str().into(),
                eligible,
                has_voted: Some(has_voted),
            },
            MemberView::Observer {
                member_number,
                unit,
                language,
                eligible,
            } => MemberBody {
                member_number,
                name: None,
                email: None,
                unit,
                language: language.as_str().into(),
                eligible,
                has_voted: None,
            },
        }
    }
}

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;
/// Longer than any member number, name or email on a roll.
const MAX_QUERY_CHARS: usize = 200;

/// Members whose number, name or email contains `q`. The committee and
/// admins see contact details; auditors see none and match on member
/// numbers only (a search by email would tell them whose it is); trustees
/// are refused.
#[utoipa::path(
    tag = "elections",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug"), MemberQuery),
    responses(
        (status = 200, description = "Matching members, by member number", body = [MemberBody]),
        (status = 400, description = "A bad `q` or `limit`; `field` says which. An auditor's `q` with anything but letters, digits and '-' (a name, an email) is refused: auditors search by member number only", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "A trustee", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadRoll)))),
)]
#[get("/v1/elections/{slug}/members")]
pub async fn search_members(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadRoll)?;
    // Read after the role check: a refused caller learns nothing about
    // the parameters (S11).
    let MemberQuery { q, limit } = extract::query(&req)?;
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("limit: expected a whole number from 1 to {MAX_LIMIT}"),
        ));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::field(
            "q",
            format!("q: at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let scope = SearchScope::of(staff.account.role)
        .ok_or_else(|| Error::Forbidden("this role may not look members up".into()))?;
    // An auditor's search is checked before the database is asked: a name
    // or an email is refused with a sentence that says why (S16), and the
    // query itself matches member numbers only and loads no contact
    // details (S7), so `limit` counts only what the auditor may see.
    if let Err(e @ SearchError::NotAMemberNumber) = roll::check_search(&q, scope) {
        return Err(Error::from(e).into());
    }
    let slug = slug.into_inner();
    let found = state
        .db
        .run(move |conn| roll::search_members(conn, &slug, &q, i64::from(limit), scope))
        .await?;
    let members: Vec<MemberBody> = found.into_iter().map(MemberBody::from).collect();
    Ok(HttpResponse::Ok().json(members))
}
