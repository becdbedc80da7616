//! Ballot email (issue 12): queue the ballot emails or reminders, reissue
//! one member's link, and the delivery counts per unit — with the
//! undeliverable list for those who may read contacts, counts only for
//! auditors (S7).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::credential::{self, Queued, Reissue, Reissued, SendOptions};
use crate::mail::DeliveryReport;
use crate::web::auth::Staff;
use crate::web::AppState;

/// What to send.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// Reminders: a fresh link to every eligible member who has not voted
    /// (the old link is revoked). Default false: first links to members
    /// without one.
    #[serde(default)]
    pub reminder: bool,
    /// The committee's reason for also mailing members whose only address
    /// is at an employer domain (`mail.employer_domains`); logged.
    #[serde(default)]
    pub employer_reason: Option<String>,
}

/// Issues credentials and queues one email each, in one transaction,
/// logged as `credential.issued` (or `credential.reissued` for reminders)
/// with counts only.
#[utoipa::path(
    tag = "elections",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body = SendRequest,
    responses(
        (status = 200, description = "Queued; counts per unit", body = Queued),
        (status = 400, description = "A bad body, or a blank `employer_reason`; `field` names it", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "The election key is not published yet, or the election has closed", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/api/v1/elections/{slug}/ballots/send")]
pub async fn send_ballots(
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
    let request: SendRequest = body::json(&bytes)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let (keys, settings) = (state.keys.clone(), state.settings.clone());
    let queued = state
        .db
        .run(move |conn| {
            let options = SendOptions {
                reminder: request.reminder,
                employer_domains: &settings.mail.employer_domains,
                employer_decision: request.employer_reason.as_deref(),
            };
            credential::queue_ballots(conn, &slug, keys.token_hmac(), &options, Some(&actor), now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(queued))
}

/// A new link for one member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueRequest {
    #[schema(example = "100001")]
    pub member_number: String,
    /// Why; recorded in the audit log. Not blank.
    #[schema(example = "member lost the email")]
    pub reason: String,
    /// A corrected email address to send the new link to (logged as
    /// `member.email_corrected`, without the address).
    #[serde(default)]
    pub email: Option<String>,
}

/// Revokes the member's link and issues a new one in one transaction,
/// logged as `credential.reissued` with the reason (S2, S12). Refused for a
/// member who has voted.
#[utoipa::path(
    tag = "elections",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body = ReissueRequest,
    responses(
        (status = 200, description = "Reissued; the new link's email is queued", body = Reissued),
        (status = 400, description = "A bad body, a blank `reason` or a bad `email`; `field` names it", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election or member", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "The member has voted or is not eligible, the key is not published, the election has closed, or another member has that email", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/api/v1/elections/{slug}/ballots/reissue")]
pub async fn reissue_ballot(
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
    let request: ReissueRequest = body::json(&bytes)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let keys = state.keys.clone();
    let done = state
        .db
        .run(move |conn| {
            let r = Reissue {
                member_number: &request.member_number,
                reason: &request.reason,
                email: request.email.as_deref(),
            };
            credential::reissue(conn, &slug, keys.token_hmac(), &r, Some(&actor), now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(done))
}

/// Delivery per unit: queued, sent, deferred, undeliverable, printed and
/// employer-only counts. The undeliverable list, with addresses and the
/// relay's reply, only for roles that may read contacts; auditors get the
/// counts alone.
#[utoipa::path(
    tag = "elections",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "Counts per unit (and, for the committee, the undeliverable list)", body = DeliveryReport),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "The role may not read elections", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/api/v1/elections/{slug}/delivery")]
pub async fn delivery(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let with_addresses = staff.account.role.grants(Permission::ReadContacts);
    let settings = state.settings.clone();
    let report = state
        .db
        .run(move |conn| {
            crate::mail::delivery_report(
                conn,
                &slug,
                &settings.mail.employer_domains,
                with_addresses,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
