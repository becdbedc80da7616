//! Committee sign-in (S11): encrypted session cookies (HttpOnly,
//! SameSite=Strict, Secure over HTTPS) that carry a session id the server
//! looks up on every request (so a session can be ended), a CSRF token per
//! session checked on every state-changing request, roles checked on the
//! server, and a per-client rate limit on sign-in attempts (S17), the client
//! being named by trusted proxies only.

pub mod client;
mod csrf;
mod login;
mod password;
mod staff;

pub use csrf::{form_field as csrf_form_field, new_token, CSRF_HEADER};
pub use staff::{AuthError, Staff};

/// `GET /api/v1/session`, in the API's scope.
pub fn configure_api(cfg: &mut actix_web::web::ServiceConfig) {
    login::configure_api(cfg);
}

/// Sign-in, sign-out, the session and password change.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    login::configure(cfg);
    password::configure(cfg);
}

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Cookie keys: the session id (its hash is the `sessions` row) and the
/// CSRF token.
pub(crate) const SESSION_ID: &str = "sid";
pub(crate) const SESSION_CSRF: &str = "csrf";
/// A signed-in session lasts at most this long, whatever the browser does.
pub const SESSION_HOURS: i64 = crate::account::session::LIFETIME_HOURS;

pub fn session_middleware(key: &[u8], https: bool) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), Key::from(key))
        .cookie_name("ratify_session".into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Strict)
        .cookie_secure(https)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build()
}

/// Sign-in attempts per client (see [`client::key`]): 10 a minute, then 429.
pub type LoginLimiter = Arc<DefaultKeyedRateLimiter<IpAddr>>;

pub fn login_limiter() -> LoginLimiter {
    per_minute_limiter(10)
}

/// `n` requests a minute per client key (at least one).
pub fn per_minute_limiter(n: u32) -> LoginLimiter {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::keyed(Quota::per_minute(n)))
}
