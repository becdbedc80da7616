//! Synchronizer CSRF tokens: a random token kept in the (encrypted) session
//! and sent back with every state-changing request, in the `X-CSRF-Token`
//! header (API) or the `csrf` query parameter of the form's action (pages;
//! it works for multipart uploads too, and never leaves our origin:
//! Referrer-Policy is no-referrer and logs carry route patterns only).

use actix_web::HttpRequest;
use base64::Engine;

pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("system random");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The token the request carries, if any.
pub fn presented(req: &HttpRequest) -> Option<String> {
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        return h.to_str().ok().map(str::to_owned);
    }
    actix_web::web::Query::<std::collections::HashMap<String, String>>::from_query(
        req.query_string(),
    )
    .ok()
    .and_then(|mut q| q.0.remove("csrf"))
}

/// Constant-time comparison with the session's token.
pub fn matches(expected: &str, presented: Option<&str>) -> bool {
    use subtle::ConstantTimeEq;
    presented.is_some_and(|p| bool::from(expected.as_bytes().ct_eq(p.as_bytes())))
}

pub fn is_state_changing(req: &HttpRequest) -> bool {
    !matches!(
        *req.method(),
        actix_web::http::Method::GET
            | actix_web::http::Method::HEAD
            | actix_web::http::Method::OPTIONS
    )
}
