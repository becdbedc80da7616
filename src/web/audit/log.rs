use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::audit::{self, LogName};
use crate::error::{Error, Result};
use crate::web::AppState;

/// Most entries one request may ask for.
const MAX_PAGE: u64 = 10_000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/elections/{slug}/log")
            .route("/checkpoint", web::get().to(checkpoint))
            .route("/entries", web::get().to(entries))
            .route("/inclusion", web::get().to(inclusion))
            .route("/consistency", web::get().to(consistency))
            .route("/vkey", web::get().to(vkey)),
    );
}

fn election_log(slug: &str) -> LogName {
    LogName::Election(slug.to_string())
}

async fn checkpoint(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse> {
    let log = election_log(&slug);
    let latest = state
        .db
        .run(move |conn| audit::latest_checkpoint(conn, &log))
        .await?;
    let (_, note) = latest.ok_or_else(|| Error::NotFound("no checkpoint yet".into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(note))
}

#[derive(Deserialize)]
struct Range {
    start: u64,
    end: u64,
}

async fn entries(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    range: web::Query<Range>,
) -> Result<HttpResponse> {
    let Range { start, end } = range.into_inner();
    if end < start || end - start > MAX_PAGE {
        return Err(Error::Invalid(format!(
            "end must be at least start and at most {MAX_PAGE} past it"
        )));
    }
    let log = election_log(&slug);
    let lines = state
        .db
        .run(move |conn| audit::entries(conn, &log, start, end))
        .await?;
    let mut body = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        body.push_str(&line);
        body.push('\n');
    }
    Ok(HttpResponse::Ok()
        .content_type("application/jsonl")
        .body(body))
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

async fn inclusion(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<InclusionQuery>,
) -> Result<HttpResponse> {
    let log = election_log(&slug);
    let InclusionQuery { index, size } = q.into_inner();
    let (leaf, proof) = state
        .db
        .run(move |conn| audit::inclusion_proof(conn, &log, index, size))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "index": proof.index,
        "size": proof.size,
        "leaf_hash": leaf.to_hex(),
        "hashes": proof.hashes.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    old: u64,
    new: u64,
}

async fn consistency(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    q: web::Query<ConsistencyQuery>,
) -> Result<HttpResponse> {
    let log = election_log(&slug);
    let ConsistencyQuery { old, new } = q.into_inner();
    let proof = state
        .db
        .run(move |conn| audit::consistency_proof(conn, &log, old, new))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "old_size": proof.old_size,
        "new_size": proof.new_size,
        "hashes": proof.hashes.iter().map(|h| h.to_hex()).collect::<Vec<_>>(),
    })))
}

async fn vkey(state: web::Data<AppState>) -> Result<HttpResponse> {
    let signer = audit::signer(&state.keys, &state.settings.audit)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{}\n", audit::vkey(&signer))))
}
