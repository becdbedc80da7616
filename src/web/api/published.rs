//! OpenAPI descriptions of /api/v1 routes that other modules serve: the
//! session (`web::auth`) and the public audit log (`web::audit`,
//! docs/audit-format.md §"HTTP endpoints"). These functions only carry the
//! annotations; the API's test checks that every path here is served.

use serde::Serialize;
use utoipa::ToSchema;

use super::accounts::AccountBody;
use super::error::ErrorBody;
use super::{role_names, ANY_STAFF};

/// The signed-in account and the session's CSRF token.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    pub account: AccountBody,
    /// Send it back as `X-CSRF-Token` on every POST.
    pub csrf: String,
}

/// The signed-in account and this session's CSRF token.
#[utoipa::path(
    get,
    path = "/api/v1/session",
    tag = "meta",
    security(("session" = [])),
    responses(
        (status = 200, description = "Signed in", body = SessionBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(ANY_STAFF)))),
)]
#[allow(dead_code)]
pub fn session() {}

/// The newest signed checkpoint of the election's log (C2SP signed note).
#[utoipa::path(
    get,
    path = "/api/v1/elections/{slug}/log/checkpoint",
    tag = "audit",
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The checkpoint note", body = String, content_type = "text/plain"),
        (status = 404, description = "No checkpoint yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[allow(dead_code)]
pub fn log_checkpoint() {}

/// Entries `start ≤ index < end` (at most 10,000) as JSON Lines, each line
/// an entry's exact canonical bytes.
#[utoipa::path(
    get,
    path = "/api/v1/elections/{slug}/log/entries",
    tag = "audit",
    params(
        ("slug" = String, Path, description = "The election's slug"),
        ("start" = u64, Query, description = "First index"),
        ("end" = u64, Query, description = "One past the last index"),
    ),
    responses(
        (status = 200, description = "The entries", body = String, content_type = "application/jsonl"),
        (status = 400, description = "A bad range", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[allow(dead_code)]
pub fn log_entries() {}

/// An inclusion proof (RFC 6962 §2.1.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionBody {
    pub index: u64,
    pub size: u64,
    pub leaf_hash: String,
    pub hashes: Vec<String>,
}

/// The proof that entry `index` is in the tree of `size` entries.
#[utoipa::path(
    get,
    path = "/api/v1/elections/{slug}/log/inclusion",
    tag = "audit",
    params(
        ("slug" = String, Path, description = "The election's slug"),
        ("index" = u64, Query, description = "The entry"),
        ("size" = u64, Query, description = "The tree size, as in a checkpoint"),
    ),
    responses(
        (status = 200, description = "The proof", body = InclusionBody),
        (status = 400, description = "index ≥ size, or size past the log", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[allow(dead_code)]
pub fn log_inclusion() {}

/// A consistency proof (RFC 6962 §2.1.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyBody {
    pub old_size: u64,
    pub new_size: u64,
    pub hashes: Vec<String>,
}

/// The proof that the tree of `old` entries is a prefix of the tree of `new`.
#[utoipa::path(
    get,
    path = "/api/v1/elections/{slug}/log/consistency",
    tag = "audit",
    params(
        ("slug" = String, Path, description = "The election's slug"),
        ("old" = u64, Query, description = "The older tree size"),
        ("new" = u64, Query, description = "The newer tree size"),
    ),
    responses(
        (status = 200, description = "The proof", body = ConsistencyBody),
        (status = 400, description = "old > new, or new past the log", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[allow(dead_code)]
pub fn log_consistency() {}

/// The verifier key of the checkpoints' signatures (C2SP signed-note vkey).
#[utoipa::path(
    get,
    path = "/api/v1/elections/{slug}/log/vkey",
    tag = "audit",
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "One line", body = String, content_type = "text/plain"),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[allow(dead_code)]
pub fn log_vkey() {}
