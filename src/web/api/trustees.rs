//! The key ceremony as the server sees it: trustees' public files in, the
//! roster out, and the committee publishing the combined key.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use ratify_crypto::ElectionKeys;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::ceremony::{self, Registered, Registrar, Slots};
use crate::web::auth::Staff;
use crate::web::extract;
use crate::web::AppState;

/// What a registration stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredBody {
    /// `public`, `deal`, `confirmation` or `complaint`.
    #[schema(example = "public")]
    pub kind: String,
    /// The trustee's index (1-based).
    #[schema(example = 1)]
    pub trustee: u32,
}

impl From<Registered> for RegisteredBody {
    fn from(r: Registered) -> RegisteredBody {
        let Registered { kind, trustee } = r;
        RegisteredBody {
            kind: kind.to_string(),
            trustee,
        }
    }
}

/// A file of the key ceremony, exactly as `ratify trustee` wrote it. Its
/// other fields depend on `type` (docs/crypto.md); each file's proofs and
/// signatures are checked before it is stored (S21).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // describes the body for the document; the body is parsed by ratify-crypto
pub struct TrusteeFileBody {
    #[serde(rename = "type")]
    kind: TrusteeFileKind,
}

/// The kinds of file the server takes here (decryption shares go through
/// `ratify trustee submit`).
// The variant names are the documented wire values (`trustee-public`, …)
// in kebab case, so they share their prefix on purpose.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code, clippy::enum_variant_names)]
pub enum TrusteeFileKind {
    TrusteePublic,
    TrusteeDeal,
    TrusteeConfirmation,
    TrusteeComplaint,
}

/// Registers one file of the key ceremony, exactly as `ratify trustee
/// keygen`, `deal` or `confirm` wrote it: a public key, a deal, a
/// confirmation or a complaint. Each is checked before it is stored and
/// logged as `trustee.registered` with the acting account.
#[utoipa::path(
    tag = "trustees",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    request_body(
        content = TrusteeFileBody,
        content_type = "application/json",
        description = "A trustee file (public.json, a deal, a confirmation or a complaint), at most server.max_body_bytes",
    ),
    responses(
        (status = 201, description = "Registered", body = RegisteredBody),
        (status = 400, description = "Not a valid trustee file, or a proof fails", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "An auditor, no CSRF token, or another account holds this trustee's slot", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "Already registered, or the key is published", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::SubmitTrusteeFile)))),
)]
#[post("/v1/elections/{slug}/trustee-files")]
pub async fn register_trustee_file(
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
    let registered = state
        .db
        .run(move |conn| {
            let by = Registrar::Account { id, email: &email };
            ceremony::register_trustee_file_by(conn, &slug, &text, by, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(RegisteredBody::from(registered)))
}

/// Everything registered so far, for the trustees (the same file as
/// `ratify trustee roster`).
#[utoipa::path(
    tag = "trustees",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The roster (ratify-crypto's `Roster`)", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}/roster")]
pub async fn roster(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let slug = slug.into_inner();
    let roster = state
        .db
        .run(move |conn| ceremony::roster(conn, &slug))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(ratify_crypto::to_json(&roster)))
}

/// The published election key.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedKeyBody {
    /// The election public key (hex).
    pub public_key: String,
    /// Each trustee's verification key (hex), trustee 1 first.
    pub verification_keys: Vec<String>,
    /// How many trustees are needed to decrypt.
    pub decrypt_threshold: u32,
}

impl From<&ElectionKeys> for PublishedKeyBody {
    fn from(k: &ElectionKeys) -> PublishedKeyBody {
        PublishedKeyBody {
            public_key: k.public_key.to_hex(),
            verification_keys: k.verification_keys.iter().map(|p| p.to_hex()).collect(),
            decrypt_threshold: k.decrypt_threshold,
        }
    }
}

/// Combines the election key once every trustee has dealt and confirmed;
/// freezes the spec and the roll. Logged as `key.published`.
#[utoipa::path(
    tag = "trustees",
    security(("session" = [], "csrf" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "Published", body = PublishedKeyBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "The ceremony is not complete, one account holds too many trustee slots, there is no roll, or the window is over", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections/{slug}/publish-key")]
pub async fn publish_key(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::RunElection)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let slug = slug.into_inner();
    let max = state.settings.election.max_trustee_slots_per_account;
    let keys = state
        .db
        .run(move |conn| ceremony::publish_key(conn, &slug, Some(actor.as_str()), now, max))
        .await?;
    Ok(HttpResponse::Ok().json(PublishedKeyBody::from(&keys)))
}

/// Who holds which trustee slot: the account that registered each slot's
/// public key (`null`: the command line on the server), and the most one
/// account may hold before publish-key refuses.
#[utoipa::path(
    tag = "trustees",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The slots, trustee 1 first", body = Slots),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}/trustee-slots")]
pub async fn slots(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ReadElection)?;
    let slug = slug.into_inner();
    let max = state.settings.election.max_trustee_slots_per_account;
    let slots = state
        .db
        .run(move |conn| ceremony::slots(conn, &slug, max))
        .await?;
    Ok(HttpResponse::Ok().json(slots))
}

/// Why a deal is voided; written into the audit log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    /// One line, not blank, at most 500 characters, no control characters.
    #[schema(
        example = "trustee 2's complaint is upheld: trustee 3 sent a bad share",
        max_length = 500,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub reason: String,
}

/// The election and the dealer in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VoidPath {
    /// The election's slug.
    slug: String,
    /// The dealer whose deal is voided (1-based).
    trustee: u32,
}

/// Voids a trustee's deal after a registered complaint proved it bad: the
/// deal, every confirmation and every complaint are set aside, logged as
/// `trustee.voided` with the reason; the trustee deals again and everyone
/// confirms again (docs/trustee-guide.md).
#[utoipa::path(
    tag = "trustees",
    security(("session" = [], "csrf" = [])),
    params(VoidPath),
    request_body(content = VoidRequest, content_type = "application/json"),
    responses(
        (status = 204, description = "Voided"),
        (status = 400, description = "No reason, or not one line; or `trustee` is not a whole number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the committee or an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "No deal, no upheld complaint against it, or the key is published", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::RunElection)))),
)]
#[post("/v1/elections/{slug}/trustees/{trustee}/void-deal")]
pub async fn void_deal(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::RunElection)?;
    // Read after the role check (S11), without actix's `web::Path` (S4).
    let VoidPath { slug, trustee } = extract::path(&req)?;
    let bytes = body::read(
        &req,
        payload,
        &body::JSON,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let VoidRequest { reason } = body::json(&bytes)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            ceremony::void_deal(conn, &slug, trustee, &reason, Some(actor.as_str()), now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
