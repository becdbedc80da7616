//! The election record as one download for auditors (issue 14): the same
//! files as `ratify record export` without `--private`, as a tar archive
//! (`web::download`).

use actix_web::{get, web, HttpResponse};

use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::record::export::Reader;
use crate::web::auth::Staff;
use crate::web::AppState;

/// The public election record as `<slug>-record.tar`, streamed: the log
/// and its checkpoints, the spec, the trustees' public files, every
/// ballot, and the tally, shares, results and certificate as far as the
/// election got. Who voted appears only as counts and the commitment
/// (S7): never the voted list or its salt. Unpack it with `tar -xf` and
/// check it with `ratify audit verify <slug>-record`.
#[utoipa::path(
    tag = "results",
    security(("session" = [])),
    params(("slug" = String, Path, description = "The election's slug")),
    responses(
        (status = 200, description = "The record, a tar archive with one directory `<slug>-record/`", content_type = "application/x-tar"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "The election is not closed yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ReadElection)))),
)]
#[get("/v1/elections/{slug}/record")]
pub async fn record(
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // Everything in the public record is already readable with this
    // permission (results, tally, roster) or public (the log), so it
    // needs no permission of its own.
    staff.require(Permission::ReadElection)?;
    Ok(crate::web::download::record(&state, slug.into_inner(), Reader::Staff).await?)
}
