//! Synchronizer CSRF tokens: a random token kept in the (encrypted) session
//! and sent back with every state-changing request, in the `X-CSRF-Token`
//! header (API) or a hidden `csrf` field of the form (pages, urlencoded and
//! multipart alike: [`form_field`] finds it). Pages never put the token in
//! an address (issue 11): addresses are kept in the history and re-sent on
//! a reload. A `csrf` query parameter is still accepted from scripted
//! clients written against the earlier pages.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::mime;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, HttpRequest};
use base64::Engine;
use futures_core::Stream;

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
    if let Some(FormToken(t)) = req.extensions().get::<FormToken>() {
        return Some(t.clone());
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

/// The token a form sent in its hidden `csrf` field, found by
/// [`form_field`] before the handler reads the body.
#[derive(Clone)]
struct FormToken(String);

/// How much of a form's body is searched for its `csrf` field. Pages put
/// the field first, so it is in the first bytes even of a large upload.
const FORM_PREFIX_BYTES: usize = 64 * 1024;

/// Middleware: a page's form carries its CSRF token in a hidden field, not
/// in the address (issue 11: an address lands in the history, in bookmarks
/// and on a reload). For a state-changing request without the header, it
/// reads the start of a urlencoded or multipart body, remembers the `csrf`
/// field for [`presented`], and hands the body on unchanged.
pub async fn form_field(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let kind = form_kind(&req);
    if is_state_changing(req.request()) && !req.headers().contains_key(CSRF_HEADER) {
        if let Some(kind) = kind {
            let mut inner = req.take_payload();
            let (prefix, ended) = read_prefix(&mut inner).await;
            if let Some(token) = token_in(&prefix, ended, &kind) {
                req.extensions_mut().insert(FormToken(token));
            }
            let replay = Replay {
                prefix: (!prefix.is_empty()).then_some(prefix),
                inner,
            };
            req.set_payload(Payload::Stream {
                payload: Box::pin(replay),
            });
        }
    }
    next.call(req).await
}

enum FormKind {
    UrlEncoded,
    /// The multipart boundary.
    Multipart(String),
}

fn form_kind(req: &ServiceRequest) -> Option<FormKind> {
    let value = req.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let mime: mime::Mime = value.parse().ok()?;
    match (mime.type_(), mime.subtype()) {
        (mime::APPLICATION, mime::WWW_FORM_URLENCODED) => Some(FormKind::UrlEncoded),
        (mime::MULTIPART, mime::FORM_DATA) => mime
            .get_param(mime::BOUNDARY)
            .map(|b| FormKind::Multipart(b.as_str().to_string())),
        _ => None,
    }
}

/// Up to [`FORM_PREFIX_BYTES`] of the body, and whether the body ended.
/// A read error is left for the handler to meet (it is replayed as is).
async fn read_prefix(inner: &mut Payload) -> (Bytes, bool) {
    let mut buf = BytesMut::new();
    while buf.len() < FORM_PREFIX_BYTES {
        match std::future::poll_fn(|cx| Pin::new(&mut *inner).poll_next(cx)).await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(_)) | None => return (buf.freeze(), true),
        }
    }
    (buf.freeze(), false)
}

/// The `csrf` field of a form body's first bytes.
fn token_in(prefix: &[u8], ended: bool, kind: &FormKind) -> Option<String> {
    match kind {
        FormKind::UrlEncoded => {
            // A cut-off body: only the pairs that arrived whole.
            let whole = if ended {
                prefix
            } else {
                &prefix[..prefix.iter().rposition(|b| *b == b'&')?]
            };
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(whole)
                .ok()?
                .into_iter()
                .find_map(|(k, v)| (k == "csrf").then_some(v))
        }
        FormKind::Multipart(boundary) => multipart_field(prefix, boundary, "csrf"),
    }
}

/// A small text part's value (RFC 7578): the part whose header names
/// `name`, up to the next boundary.
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let body = std::str::from_utf8(body).ok().or_else(|| {
        // A file's bytes may not be UTF-8; the field comes before them.
        let end = body.iter().position(|b| !b.is_ascii())?;
        std::str::from_utf8(&body[..end]).ok()
    })?;
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str()).find_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        let named = head.lines().any(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
                && line.contains(&format!("name=\"{name}\""))
        });
        named.then(|| value.trim_end_matches("\r\n").to_string())
    })
}

/// The body again: the prefix read, then the rest as it arrives.
struct Replay {
    prefix: Option<Bytes>,
    inner: Payload,
}

impl Stream for Replay {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(prefix) = self.prefix.take() {
            return Poll::Ready(Some(Ok(prefix)));
        }
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_either_kind_of_form() {
        let url = token_in(b"csrf=abc-1_2&reason=x", true, &FormKind::UrlEncoded);
        assert_eq!(url.as_deref(), Some("abc-1_2"));
        let cut = token_in(b"csrf=abc&reason=xxxx", false, &FormKind::UrlEncoded);
        assert_eq!(cut.as_deref(), Some("abc"));
        assert_eq!(token_in(b"reason=x", true, &FormKind::UrlEncoded), None);
        let body = b"--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--B\r\nContent-Disposition: form-data; name=\"roll\"; filename=\"r.csv\"\r\n\r\n\xff\xfe\r\n--B--\r\n";
        let kind = FormKind::Multipart("B".into());
        assert_eq!(token_in(body, true, &kind).as_deref(), Some("tok"));
        let none = b"--B\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\ncsrf\r\n--B--\r\n";
        assert_eq!(token_in(none, true, &kind), None);
    }
}
