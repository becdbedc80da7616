//! Committee sign-in (S11): encrypted session cookies (HttpOnly,
//! SameSite=Strict, Secure over HTTPS), a CSRF token per session checked on
//! every state-changing request, roles checked on the server, and a
//! per-client rate limit on sign-in attempts (S17).

mod csrf;
mod login;
mod staff;

pub use csrf::{new_token, CSRF_HEADER};
pub use login::configure;
pub use staff::{AuthError, Staff};

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Session keys.
pub(crate) const SESSION_ACCOUNT: &str = "account";
pub(crate) const SESSION_SINCE: &str = "since";
pub(crate) const SESSION_CSRF: &str = "csrf";
/// A signed-in session lasts at most this long, whatever the browser does.
pub const SESSION_HOURS: i64 = 12;

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

/// Sign-in attempts per client address: 10 a minute, then 429.
pub type LoginLimiter = Arc<DefaultKeyedRateLimiter<IpAddr>>;

pub fn login_limiter() -> LoginLimiter {
    Arc::new(RateLimiter::keyed(Quota::per_minute(
        NonZeroU32::new(10).expect("non-zero"),
    )))
}
