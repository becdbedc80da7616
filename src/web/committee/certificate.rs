//! The certificate of a certified election (S11, S12), public: a printable
//! page (`/elections/{slug}/certificate`) and the signed JSON itself
//! (`/elections/{slug}/certificate.json`, byte for byte the record's
//! `certificate.json`). Before certification both are "not found".

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::page::PageResult;
use super::results::{views, GroupView};
use crate::certify::Certificate;
use crate::election::{self, StoredElection};
use crate::error::Error;
use crate::i18n::Lang;
use crate::web::public::{page_not_found, Chrome};
use crate::web::{render, AppState};

#[derive(Template)]
#[template(path = "public/certificate.html")]
struct CertificatePage {
    chrome: Chrome,
    slug: String,
    title: String,
    results: Vec<GroupView>,
    members: String,
    roll_hash: String,
    opens: String,
    closes: String,
    extensions: Vec<String>,
    decrypted_by: String,
    certified_by: Vec<String>,
    checkpoint_size: u64,
    checkpoint_root: String,
    signature: String,
}

async fn load(state: &AppState, slug: String) -> Result<Option<(StoredElection, String)>, Error> {
    state
        .db
        .run(move |conn| {
            let e = match election::load_election(conn, &slug) {
                Ok(e) => e,
                Err(Error::NotFound(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            Ok(crate::certify::certificate_file(conn, e.id)?.map(|c| (e, c)))
        })
        .await
}

fn not_found(lang: Lang, req: &HttpRequest) -> HttpResponse {
    page_not_found(
        lang,
        req.path(),
        "certificate-title",
        "certificate-none",
        "public-not-found-home",
    )
}

/// GET /elections/{slug}/certificate.json
pub async fn json(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    lang: Lang,
    req: HttpRequest,
) -> PageResult {
    match load(&state, slug.into_inner()).await? {
        Some((_, body)) => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(body)),
        None => Ok(not_found(lang, &req)),
    }
}

/// GET /elections/{slug}/certificate
pub async fn page(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    lang: Lang,
    req: HttpRequest,
) -> PageResult {
    let slug = slug.into_inner();
    let Some((e, body)) = load(&state, slug.clone()).await? else {
        return Ok(not_found(lang, &req));
    };
    let cert: Certificate = serde_json::from_str(&body)
        .map_err(|err| Error::Internal(format!("stored certificate: {err}")))?;
    let chrome = Chrome::new(lang, req.path());
    let tr = chrome.tr;
    let zone = e.spec.time_zone();
    let time = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| crate::i18n::local_time(tr, zone, t.with_timezone(&chrono::Utc)))
            .unwrap_or_default()
    };
    let extensions = cert.window["extensions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            format!(
                "{} → {}: {}",
                time(&x["from"]),
                time(&x["to"]),
                x["reason"].as_str().unwrap_or_default()
            )
        })
        .collect();
    Ok(render(&CertificatePage {
        title: e.spec.title().get(tr.lang()).to_string(),
        results: views(tr, &e, &cert.results),
        members: cert.roll["members"].to_string(),
        roll_hash: cert.roll["roll_hash"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        opens: time(&cert.window["opens_at"]),
        closes: time(&cert.window["closes_at"]),
        extensions,
        decrypted_by: cert
            .decrypted_by
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        certified_by: cert.certified_by.clone(),
        checkpoint_size: cert.checkpoint.size,
        checkpoint_root: cert.checkpoint.root.clone(),
        signature: cert.signature.clone().unwrap_or_default(),
        chrome,
        slug,
    })?)
}
