//! The HTTP server: application state, routes, security headers and
//! start-up. Routes are grouped by who uses them (style guide §2); a route
//! reads the request, calls one domain function and renders.

pub mod api;
pub mod audit;
pub mod auth;
pub mod committee;
pub mod download;
pub mod edge;
pub mod error;
pub mod extract;
pub mod fallback;
pub mod health;
pub mod public;
pub mod surface;
pub mod vote;

use std::net::TcpListener;
use std::sync::Arc;

use std::time::Duration;

use actix_web::dev::Server;
use actix_web::error::InternalError;
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App, HttpRequest, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::keys::Keys;
use crate::telemetry::RouteSpan;

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub keys: Arc<Keys>,
    pub clock: SharedClock,
    pub login_limiter: auth::LoginLimiter,
    /// Requests per client to ballot links (S17).
    pub vote_limiter: auth::LoginLimiter,
    /// Argon2 with bounded concurrency and reused memory (S11).
    pub passwords: Arc<crate::account::Passwords>,
    /// The audit logs' verifier key (C2SP vkey), built once from the
    /// checkpoint key: every log page and the public page show it.
    pub log_vkey: Arc<str>,
    /// The casts waiting for the next group commit (issue 13, S19).
    pub casts: crate::ballot::CastQueue,
    /// Links whose review was just shown, for their cast (`vote::reviewed`).
    pub reviewed: vote::Reviewed,
    /// Places for election record downloads at once (`download::AT_ONCE`).
    pub record_downloads: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Fails if the checkpoint key does not make a signer.
    pub fn new(settings: Settings, db: Db, keys: Keys, clock: SharedClock) -> Result<AppState> {
        let signer = crate::audit::signer(&keys, &settings.audit)?;
        Ok(AppState {
            log_vkey: crate::audit::vkey(&signer).into(),
            casts: crate::ballot::CastQueue::start(db.clone())?,
            reviewed: vote::Reviewed::default(),
            record_downloads: download::places(),
            db,
            keys: Arc::new(keys),
            clock,
            login_limiter: auth::login_limiter(),
            vote_limiter: auth::per_minute_limiter(settings.server.vote_requests_per_minute),
            passwords: crate::account::Passwords::new(settings.server.password_hash_concurrency),
            settings: Arc::new(settings),
        })
    }
}

/// Renders an askama page as an HTML response.
pub fn render<T: askama::Template>(page: &T) -> Result<actix_web::HttpResponse> {
    let html = page
        .render()
        .map_err(|e| Error::Internal(format!("template: {e}")))?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The one stylesheet (no script anywhere: CSP forbids it).
async fn stylesheet() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(include_str!("../../static/ratify.css"))
}

/// Content-Security-Policy for every page: no script at all (members vote
/// without JavaScript), no framing, forms post only to us (S18).
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        // Ballot and committee pages must never sit in a shared cache.
        .add(("Cache-Control", "no-store"));
    if https {
        headers.add(("Strict-Transport-Security", "max-age=63072000"))
    } else {
        headers
    }
}

/// Registers every route in its surface's scope (`web::surface`): the
/// JSON API under `/api`, then the pages, which take everything else.
/// Shared by `serve` and the test harness.
pub fn configure(cfg: &mut web::ServiceConfig) {
    api::register(cfg);
    cfg.service(
        web::scope("")
            .app_data(surface::Surface::Page)
            .wrap(from_fn(edge::refuse_nul_page))
            .configure(configure_pages)
            .default_service(web::to(fallback::no_route)),
    );
}

fn configure_pages(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .route("/static/ratify.css", web::get().to(stylesheet));
    auth::configure(cfg);
    committee::configure(cfg);
    vote::configure(cfg);
    public::configure(cfg);
}

/// Starts the HTTP server on an already bound listener (port 0 in tests).
pub fn start(state: AppState, listener: TcpListener) -> Result<Server> {
    let https = state.settings.server.https;
    let workers = match state.settings.server.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let max_body = state.settings.server.max_body_bytes;
    let head_timeout = Duration::from_secs(state.settings.server.client_request_timeout_secs);
    let session_key = state.keys.session_key().to_vec();
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            // Innermost: these run right before routing, after the
            // outer layers have seen the request as it came.
            .wrap(from_fn(auth::csrf_form_field))
            .wrap(from_fn(edge::head_as_get))
            .wrap(from_fn(edge::body_deadline))
            .wrap(auth::session_middleware(&session_key, https))
            .wrap(security_headers(https))
            .wrap(TracingLogger::<RouteSpan>::new())
            .app_data(data.clone())
            .app_data(web::JsonConfig::default().limit(max_body))
            .app_data(web::FormConfig::default().limit(max_body))
            .app_data(web::PayloadConfig::default().limit(max_body))
            // actix's own Path and Query extractors answer with serde's
            // message, which echoes the value (a token in `/vote/{token}`,
            // S4): every route that still uses them gets a fixed answer.
            .app_data(web::PathConfig::default().error_handler(|_, req| bad_path(req)))
            .app_data(web::QueryConfig::default().error_handler(|_, req| bad_query(req)))
            .configure(configure)
            // Nested scopes without their own default (e.g. /committee)
            // fall back to the app's; it answers in the surface of the
            // scope that took the request.
            .default_service(web::to(fallback::no_route))
    })
    .workers(workers)
    // Slow clients (S16): the head must arrive in time (408), and a
    // connection that does not close after its answer is dropped. The
    // body's deadline is `edge::body_deadline`.
    .client_request_timeout(head_timeout)
    .client_disconnect_timeout(Duration::from_secs(2))
    // SIGTERM/SIGINT: stop accepting, let requests in flight finish.
    .shutdown_timeout(30)
    .listen(listener)
    .map_err(|e| Error::Internal(format!("cannot listen: {e}")))?
    .run();
    Ok(server)
}

/// A path segment that does not parse leads nowhere: 404 for pages, 400
/// naming no value for the API.
fn bad_path(req: &HttpRequest) -> actix_web::Error {
    let res = match surface::Surface::of(req) {
        surface::Surface::Api => {
            surface::Surface::Api.bad_request(req, "the address is not valid".into(), None)
        }
        surface::Surface::Page => surface::Surface::Page.not_found(req),
    };
    InternalError::from_response("a path segment did not parse", res).into()
}

fn bad_query(req: &HttpRequest) -> actix_web::Error {
    let res =
        surface::Surface::of(req).bad_request(req, "the query string is not valid".into(), None);
    InternalError::from_response("the query string did not parse", res).into()
}

/// Binds the configured address.
pub fn bind(settings: &Settings) -> Result<TcpListener> {
    TcpListener::bind(&settings.server.bind).map_err(|e| {
        Error::Config(format!(
            "server.bind: cannot listen on {}: {e}",
            settings.server.bind
        ))
    })
}
