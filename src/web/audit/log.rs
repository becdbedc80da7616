use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, LogName};
use crate::error::{Error, Result};
use crate::web::api::ErrorBody;
use crate::web::extract::{self, ParamError};
use crate::web::AppState;

/// Most entries one request may ask for.
pub const MAX_PAGE: u64 = 10_000;
/// Most bytes of entries one answer carries: entries are added until the
/// next would pass this, so sixteen parallel 10,000-entry reads of large
/// entries cannot take the server's memory (S16). At least one entry is
/// always sent, so a reader always makes progress.
pub const MAX_PAGE_BYTES: usize = 1 << 20;
/// Entries read from the database at a time while filling a page.
const BATCH: u64 = 256;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/v1/elections/{slug}/log")
            .route("/checkpoint", web::get().to(checkpoint))
            .route("/entries", web::get().to(entries))
            .route("/inclusion", web::get().to(inclusion))
            .route("/consistency", web::get().to(consistency))
            .route("/vkey", web::get().to(vkey)),
    );
}

/// The election whose log is read.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SlugPath {
    /// The election's slug.
    slug: String,
}

/// The log of the election in the path. A slug never fails to parse (it
/// is text; NUL is refused before routing), but it is read without
/// actix's `web::Path`, which would log the raw path on failure (S4).
fn election_log(req: &HttpRequest) -> Result<LogName, ParamError> {
    let SlugPath { slug } = extract::path(req)?;
    Ok(LogName::Election(slug))
}

/// The newest signed checkpoint of the election's log (C2SP signed note).
#[utoipa::path(
    get,
    path = "/v1/elections/{slug}/log/checkpoint",
    tag = "audit",
    params(SlugPath),
    responses(
        (status = 200, description = "The checkpoint note", body = String, content_type = "text/plain"),
        (status = 404, description = "No such log, or no checkpoint yet", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
pub async fn checkpoint(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::web::api::ApiError> {
    let log = election_log(&req)?;
    let latest = state
        .db
        .run(move |conn| audit::latest_checkpoint(conn, &log))
        .await?;
    let (_, note) = latest.ok_or_else(|| Error::NotFound("no checkpoint yet".into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(note))
}

/// A range of entries.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// The first index.
    #[param(minimum = 0)]
    start: u64,
    /// One past the last index (`end ≤ start` is an empty range).
    #[param(minimum = 0)]
    end: u64,
}

/// Entries `start ≤ index < end` as JSON Lines, each line an entry's exact
/// canonical bytes. At most 10,000 entries and about 1 MiB: a page that
/// stops early carries `Link: <…>; rel="next"` with where to continue. An
/// empty range, or one past the log, is an empty page.
#[utoipa::path(
    get,
    path = "/v1/elections/{slug}/log/entries",
    tag = "audit",
    params(SlugPath, Range),
    responses(
        (status = 200, description = "The entries; fewer than asked when the log is shorter or the page is full (then `Link` says where to continue)",
         body = String, content_type = "application/jsonl",
         headers(("Link" = String, description = "`<…/entries?start=N&end=E>; rel=\"next\"` when the page stopped early"))),
        (status = 400, description = "A missing, repeated or non-numeric `start` or `end`", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
pub async fn entries(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::web::api::ApiError> {
    let log = election_log(&req)?;
    let Range { start, end } = extract::query(&req)?;
    let page = state
        .db
        .run(move |conn| read_page(conn, &log, start, end, MAX_PAGE_BYTES))
        .await?;
    let mut res = HttpResponse::Ok();
    res.content_type("application/jsonl");
    if let Some(next) = page.next {
        let slug = req.match_info().get("slug").unwrap_or_default();
        res.insert_header((
            "Link",
            format!("</api/v1/elections/{slug}/log/entries?start={next}&end={end}>; rel=\"next\""),
        ));
    }
    Ok(res.body(page.body))
}

/// A page of entries and, when it stopped early, where to continue.
struct Page {
    body: String,
    next: Option<u64>,
}

/// Reads entries in batches and stops at `MAX_PAGE` entries or before the
/// page passes `budget` bytes (always taking the first entry). An empty
/// range (`end ≤ start`) is an empty page.
fn read_page(
    conn: &mut crate::db::DbConnection,
    log: &LogName,
    start: u64,
    end: u64,
    budget: usize,
) -> Result<Page> {
    let mut body = String::new();
    let mut index = start;
    let stop = end.min(start.saturating_add(MAX_PAGE));
    while index < stop {
        let upto = stop.min(index + BATCH);
        let lines = audit::entries(conn, log, index, upto)?;
        let complete = lines.len() as u64 == upto - index;
        for line in lines {
            if !body.is_empty() && body.len() + line.len() + 1 > budget {
                return Ok(Page {
                    body,
                    next: Some(index),
                });
            }
            body.push_str(&line);
            body.push('\n');
            index += 1;
        }
        if !complete {
            return Ok(Page { body, next: None });
        }
    }
    if start >= end {
        // An unknown log is 404 even when the range is empty.
        audit::entries(conn, log, start, start)?;
    }
    // A full page (by count) of a longer range continues after it.
    let next = (stop < end).then_some(stop);
    Ok(Page { body, next })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// The entry: less than `size`.
    #[param(minimum = 0)]
    index: u64,
    /// The tree size, as in a checkpoint: at most the log's size.
    #[param(minimum = 0)]
    size: u64,
}

/// An inclusion proof (RFC 6962 §2.1.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct InclusionBody {
    #[schema(minimum = 0)]
    pub index: u64,
    #[schema(minimum = 0)]
    pub size: u64,
    /// The entry's leaf hash (hex).
    pub leaf_hash: String,
    /// The audit path, hex, nearest the leaf first.
    pub hashes: Vec<String>,
}

/// The proof that entry `index` is in the tree of `size` entries.
#[utoipa::path(
    get,
    path = "/v1/elections/{slug}/log/inclusion",
    tag = "audit",
    params(SlugPath, InclusionQuery),
    responses(
        (status = 200, description = "The proof", body = InclusionBody),
        (status = 400, description = "A missing or bad parameter, index ≥ size, or size past the log", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
pub async fn inclusion(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::web::api::ApiError> {
    let log = election_log(&req)?;
    let InclusionQuery { index, size } = extract::query(&req)?;
    let (leaf, proof) = state
        .db
        .run(move |conn| audit::inclusion_proof(conn, &log, index, size))
        .await?;
    Ok(HttpResponse::Ok().json(InclusionBody {
        index: proof.index,
        size: proof.size,
        leaf_hash: leaf.to_hex(),
        hashes: proof.hashes.iter().map(|h| h.to_hex()).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older tree size: at most `new`.
    #[param(minimum = 0)]
    old: u64,
    /// The newer tree size: at most the log's size.
    #[param(minimum = 0)]
    new: u64,
}

/// A consistency proof (RFC 6962 §2.1.2).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsistencyBody {
    #[schema(minimum = 0)]
    pub old_size: u64,
    #[schema(minimum = 0)]
    pub new_size: u64,
    /// The proof's hashes, hex.
    pub hashes: Vec<String>,
}

/// The proof that the tree of `old` entries is a prefix of the tree of `new`.
#[utoipa::path(
    get,
    path = "/v1/elections/{slug}/log/consistency",
    tag = "audit",
    params(SlugPath, ConsistencyQuery),
    responses(
        (status = 200, description = "The proof", body = ConsistencyBody),
        (status = 400, description = "A missing or bad parameter, old > new, or new past the log", body = ErrorBody),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
pub async fn consistency(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::web::api::ApiError> {
    let log = election_log(&req)?;
    let ConsistencyQuery { old, new } = extract::query(&req)?;
    let proof = state
        .db
        .run(move |conn| audit::consistency_proof(conn, &log, old, new))
        .await?;
    Ok(HttpResponse::Ok().json(ConsistencyBody {
        old_size: proof.old_size,
        new_size: proof.new_size,
        hashes: proof.hashes.iter().map(|h| h.to_hex()).collect(),
    }))
}

/// The verifier key of the checkpoints' signatures (C2SP signed-note vkey).
/// One key signs every log, but an unknown election's log has none: 404,
/// like the other log routes.
#[utoipa::path(
    get,
    path = "/v1/elections/{slug}/log/vkey",
    tag = "audit",
    params(SlugPath),
    responses(
        (status = 200, description = "One line", body = String, content_type = "text/plain"),
        (status = 404, description = "No such log", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
pub async fn vkey(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::web::api::ApiError> {
    let log = election_log(&req)?;
    let name = log.as_string();
    let head = state
        .db
        .run(move |conn| audit::log_head(conn, &log))
        .await?;
    if head.is_none() {
        return Err(Error::NotFound(format!("audit log {name}")).into());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{}\n", state.log_vkey)))
}
