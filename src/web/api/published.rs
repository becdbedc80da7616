//! The OpenAPI description of `GET /api/v1/session`, which `web::auth`
//! serves. This function only carries the annotation; the API's test
//! checks that every documented path is served. (The public audit log's
//! handlers in `web::audit` carry their own.)

use serde::Serialize;
use utoipa::ToSchema;

use super::accounts::AccountBody;
use super::error::ErrorBody;
use super::role_names;
use crate::account::Permission;

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
    path = "/v1/session",
    tag = "meta",
    security(("session" = [])),
    responses(
        (status = 200, description = "Signed in", body = SessionBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[allow(dead_code)]
pub fn session() {}
