//! Middleware every request passes before routing: HEAD answered as GET,
//! NUL refused in the address, and a deadline on reading the body.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{web, HttpMessage};
use futures_core::Stream;

use super::surface::Surface;
use super::AppState;

/// HEAD is GET without the body (RFC 9110 §9.3.2), so it works wherever GET
/// does. The HTTP codec remembers that the request was HEAD and sends the
/// headers only; GET changes nothing, so neither does HEAD (S5).
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// A NUL byte (`%00`) is never valid in a path or a query string, and
/// PostgreSQL refuses it in text (a 500 otherwise): refused as bad input
/// before any route sees it (S16). Each surface's scope wraps its own
/// instance, so the refusal is JSON or a page by where the route lives.
pub async fn refuse_nul_api<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    refuse_nul(Surface::Api, req, next).await
}

/// [`refuse_nul_api`] for the pages.
pub async fn refuse_nul_page<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    refuse_nul(Surface::Page, req, next).await
}

async fn refuse_nul<B: MessageBody + 'static>(
    surface: Surface,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let uri = req.uri();
    let in_path = uri.path().contains("%00");
    let in_query = uri.query().is_some_and(|q| q.contains("%00"));
    if !in_path && !in_query {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let field = if in_path {
        None
    } else {
        form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| k.replace('\0', "\u{fffd}"))
    };
    let where_ = if in_path { "address" } else { "query string" };
    let message = format!("the {where_} contains a NUL character (%00), which is never valid");
    let res = surface.bad_request(req.request(), message, field);
    Ok(req.into_response(res).map_into_right_body())
}

/// The body must arrive within `server.body_timeout_secs` of the request's
/// head: a client that trickles a body (or stops sending it) cannot hold a
/// worker and a connection for ever. The stream then fails with
/// [`BodyTimedOut`]; the API answers 408 (`api::body`).
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let has_body = req.headers().contains_key(TRANSFER_ENCODING)
        || req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|s| Duration::from_secs(s.settings.server.body_timeout_secs));
    if let (true, Some(limit)) = (has_body, limit) {
        let inner = req.take_payload();
        let stream = Deadline {
            inner,
            sleep: Box::pin(tokio::time::sleep(limit)),
        };
        req.set_payload(Payload::Stream {
            payload: Box::pin(stream),
        });
    }
    next.call(req).await
}

/// The error a body stream fails with when its deadline passes.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
pub struct BodyTimedOut;

impl BodyTimedOut {
    /// Whether an error from reading a body is this deadline.
    pub fn is(err: &actix_web::Error) -> bool {
        match err.as_error::<PayloadError>() {
            Some(PayloadError::Io(e)) => {
                e.get_ref().is_some_and(|inner| inner.is::<BodyTimedOut>())
            }
            _ => false,
        }
    }
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            let err = std::io::Error::new(std::io::ErrorKind::TimedOut, BodyTimedOut);
            return Poll::Ready(Some(Err(PayloadError::Io(err))));
        }
        Poll::Pending
    }
}
