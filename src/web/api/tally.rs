//! After the window (issue 14): the tally, the trustees' decryption shares,
//! the results, and certification with the password again (S11).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::ceremony::{self, Registrar};
use crate::error::Error;
use crate::i18n::Message;
use crate::tally::Group;
use crate::web::auth::Staff;
use crate::web::AppState;

/// The tally: the reported groups (S8) and the digest trustees decrypt.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyBody {
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<Group>,
    /// Hex SHA-256 digest of the tally request (docs/crypto.md).
    pub tally_digest: String,
    /// False when the tally had already been made.
    pub new: bool,
}

/// Tallies the election after its close (S10): the encrypted totals per
/// reported group, made once and logged as `tally.computed`.
#[utoipa::path(
    tag = "results",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The tally", body = TallyBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "The vote is not over yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections/{slug}/tally")]
pub async fn tally(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::RunElection)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let slug = slug.into_inner();
    let t = state
        .db
        .run(move |conn| crate::tally::tally(conn, &slug, Some(&actor), now))
        .await?;
    Ok(HttpResponse::Ok().json(TallyBody {
        groups: t.groups,
        tally_digest: t.digest,
        new: t.new,
    }))
}

/// The tally request the trustees decrypt (the same file as `ratify tally
/// --out`), once the tally is made.
#[utoipa::path(
    tag = "results",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The tally request (ratify-crypto's `TallyRequest`)", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "No tally yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}/tally")]
pub async fn tally_request(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let slug = slug.into_inner();
    let request = state
        .db
        .run(move |conn| {
            let e = crate::election::load_election(conn, &slug)?;
            ceremony::tally_request_of(conn, e.id)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(ratify_crypto::to_json(&request)))
}

/// What a decryption share did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareBody {
    pub trustee: u32,
    /// True when this share was the k-th valid one and the results are in.
    pub decrypted: bool,
}

/// Submits a trustee's decryption share exactly as `ratify trustee decrypt`
/// wrote it. Its proofs are checked on arrival; a bad share is refused
/// naming the trustee and changes nothing. Only the account holding the
/// trustee's slot may submit it (S21).
#[utoipa::path(
    tag = "results",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body(content = serde_json::Value, content_type = "application/json", description = "SHARE.json"),
    responses(
        (status = 201, description = "Accepted", body = ShareBody),
        (status = 400, description = "Not a decryption share, or its proofs fail (the trustee is named)", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a trustee or the committee, no CSRF token, or another account holds this slot", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "No tally yet, this trustee already submitted, or the results are decrypted", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::SubmitTrusteeFile)))),
)]
#[post("/v1/elections/{slug}/decryption-shares")]
pub async fn submit_share(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::SubmitTrusteeFile)?;
    let bytes = body::read(
        &req,
        payload,
        &body::JSON,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let text = body::text(&bytes)?.to_owned();
    let (id, email) = (staff.account.id, staff.account.email);
    let now = state.clock.now();
    let slug = slug.into_inner();
    let accepted = state
        .db
        .run(move |conn| {
            let by = Registrar::Account { id, email: &email };
            ceremony::submit_share(conn, &slug, &text, by, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(ShareBody {
        trustee: accepted.trustee,
        decrypted: accepted.results.is_some(),
    }))
}

/// The results per reported group and overall (acceptance.md's form), once
/// the trustees have decrypted them.
#[utoipa::path(
    tag = "results",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The results (results.json)", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "Not decrypted yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}/results")]
pub async fn results(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let slug = slug.into_inner();
    let body = state
        .db
        .run(move |conn| {
            let e = crate::election::load_election(conn, &slug)?;
            crate::tally::decrypt::results_file(conn, e.id)?.ok_or_else(|| {
                Error::Conflict(Message::new("results-not-decrypted").with("slug", slug.as_str()))
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The certifying member's password, asked again (S11).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertifyRequest {
    password: String,
}

/// Where certification stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertifyBody {
    pub certified_by: Vec<String>,
    pub quorum: u32,
    /// True once the quorum certified: the election can no longer change.
    pub certified: bool,
}

/// Certifies the results as the signed-in committee member, with their
/// password again (S11); the quorum's certification makes the signed
/// certificate, the last entry of the election's log.
#[utoipa::path(
    tag = "results",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body = CertifyRequest,
    responses(
        (status = 200, description = "Certified", body = CertifyBody),
        (status = 400, description = "A bad body; `field` names it", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee, no CSRF token, or a wrong password", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "No results yet, already certified by this member, or the election is certified", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::CertifyResults)))),
)]
#[post("/v1/elections/{slug}/certify")]
pub async fn certify(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::CertifyResults)?;
    let bytes = body::read(
        &req,
        payload,
        &body::JSON,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let request: CertifyRequest = body::json(&bytes)?;
    let password = SecretString::from(request.password);
    let c = certify_as(&state, &staff, slug.into_inner(), password).await?;
    Ok(HttpResponse::Ok().json(CertifyBody {
        certified: c.certificate.is_some(),
        certified_by: c.certified_by,
        quorum: c.quorum,
    }))
}

/// Checks the signed-in member's password (argon2, off the async workers)
/// and certifies as them. Shared with the results page.
pub(crate) async fn certify_as(
    state: &AppState,
    staff: &Staff,
    slug: String,
    password: SecretString,
) -> Result<crate::certify::Certification, Error> {
    let email = staff.account.email.clone();
    let now = state.clock.now();
    let keys = state.keys.clone();
    let audit = state.settings.audit.clone();
    state
        .db
        .run(move |conn| {
            let signer = crate::audit::signer(&keys, &audit)?;
            let who = crate::certify::check_certifier(conn, &email, &password)?;
            crate::certify::certify(conn, &slug, &who, &signer, &audit, now)
        })
        .await
}
