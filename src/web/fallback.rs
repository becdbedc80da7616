//! What the server answers when no route takes a request: `405 Method Not
//! Allowed` with `Allow` when the path exists under other methods (RFC 9110
//! §15.5.6), otherwise `404`. Both the API's scope and the pages' scope
//! use [`no_route`] as their default service, so the answer is JSON or a
//! page by the scope's `web::surface::Surface`.
//! HEAD is answered wherever GET is (`edge::head_as_get`), so `Allow`
//! lists it beside GET.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use actix_web::http::header::ALLOW;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

use super::surface::Surface;

/// Routes outside the JSON API and the methods they take. The API's come
/// from its OpenAPI document (one list, checked against the code by
/// `tests/api/api_roles.rs`); `tests/api/edge_http.rs` checks this table
/// against every route registered in `src/web/`.
pub const PAGES: &[(&str, &[&str])] = &[
    ("/healthz", &["GET"]),
    ("/readyz", &["GET"]),
    ("/static/ratify.css", &["GET"]),
    ("/login", &["GET", "POST"]),
    ("/logout", &["POST"]),
    ("/account/password", &["GET", "POST"]),
    ("/committee", &["GET"]),
    ("/committee/elections/new", &["GET", "POST"]),
    ("/committee/elections/{slug}", &["GET"]),
    ("/committee/elections/{slug}/extend", &["POST"]),
    ("/committee/elections/{slug}/publish-key", &["GET", "POST"]),
    ("/committee/elections/{slug}/roll", &["GET", "POST"]),
    ("/committee/elections/{slug}/ballots", &["GET"]),
    ("/committee/elections/{slug}/ballots/send", &["POST"]),
    ("/committee/elections/{slug}/members", &["GET"]),
    ("/committee/accounts", &["GET", "POST"]),
    ("/committee/accounts/{id}/{action}", &["GET", "POST"]),
    ("/elections/{slug}", &["GET"]),
    ("/vote/{token}", &["GET", "POST"]),
    ("/vote/{token}/review", &["POST"]),
    ("/elections/{slug}/ballots/{tracker}", &["GET"]),
    ("/", &["GET"]),
    ("/language/{code}", &["GET"]),
    // Issue 11's committee pages.
    ("/committee/example-spec.toml", &["GET"]),
    ("/committee/elections/{slug}/spec", &["GET", "POST"]),
    ("/committee/elections/{slug}/delete", &["GET", "POST"]),
    // After the window (issue 14).
    ("/committee/elections/{slug}/results", &["GET"]),
    ("/committee/elections/{slug}/tally", &["POST"]),
    ("/committee/elections/{slug}/shares", &["POST"]),
    ("/committee/elections/{slug}/certify", &["POST"]),
    ("/elections/{slug}/ballots", &["GET"]),
    ("/elections/{slug}/certificate", &["GET"]),
    ("/elections/{slug}/certificate.json", &["GET"]),
    // The election record's download (issue 14).
    ("/committee/elections/{slug}/record.tar", &["GET"]),
    ("/elections/{slug}/record.tar", &["GET"]),
    (
        "/committee/elections/{slug}/members/{number}/reissue",
        &["GET", "POST"],
    ),
];

/// Route pattern → the methods it answers.
fn methods_by_route() -> &'static BTreeMap<String, BTreeSet<String>> {
    static TABLE: OnceLock<BTreeMap<String, BTreeSet<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (route, methods) in PAGES {
            let entry = table.entry(route.to_string()).or_default();
            entry.extend(methods.iter().map(|m| m.to_string()));
        }
        let doc: serde_json::Value = serde_json::from_str(super::api::openapi_document())
            .expect("the OpenAPI document is JSON");
        if let Some(paths) = doc["paths"].as_object() {
            for (route, item) in paths {
                let entry = table.entry(route.clone()).or_default();
                if let Some(ops) = item.as_object() {
                    entry.extend(ops.keys().map(|m| m.to_ascii_uppercase()));
                }
            }
        }
        for methods in table.values_mut() {
            if methods.contains("GET") {
                methods.insert("HEAD".into());
            }
        }
        table
    })
}

/// The methods a route pattern answers, for `Allow` (and the tests).
pub fn allowed_methods(route: &str) -> Option<&'static BTreeSet<String>> {
    methods_by_route().get(route)
}

/// The app's default service: no route took the request.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    let route = req.resource_map().match_pattern(req.path());
    match route.as_deref().and_then(allowed_methods) {
        Some(methods) => method_not_allowed(&req, methods),
        None => not_found(&req),
    }
}

fn method_not_allowed(req: &HttpRequest, methods: &BTreeSet<String>) -> HttpResponse {
    let allow = methods.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut res = HttpResponse::MethodNotAllowed();
    res.insert_header((ALLOW, allow.clone()));
    if Surface::of(req).is_api() {
        res.json(json!({ "error": format!("this address answers {allow} only") }))
    } else {
        res.content_type("text/plain; charset=utf-8")
            .body(format!("405 Method Not Allowed: use {allow}\n"))
    }
}

/// 404 for an unknown path: JSON for the API, a page for people.
pub fn not_found(req: &HttpRequest) -> HttpResponse {
    Surface::of(req).not_found(req)
}
