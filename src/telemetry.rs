//! Logging with `tracing`. Request spans carry the *matched route pattern*
//! (`/vote/{token}`), never the raw path, so a ballot token cannot reach a log
//! line at any level (S4).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber once; later calls (tests start many apps
/// in one process) are no-ops. Logs go to stderr.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_new(&settings.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = match settings.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The root span of every request: method, route pattern, status, latency.
pub struct RouteSpan;

impl RootSpanBuilder for RouteSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        tracing::info_span!(
            "http",
            method = %request.method(),
            route = %route,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        match outcome {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                if let Some(err) = response.response().error() {
                    // The library error's Display never includes a token: errors
                    // name fields and lines, not secret values.
                    span.record("error", tracing::field::display(err));
                }
            }
            Err(err) => {
                span.record("status", err.as_response_error().status_code().as_u16());
            }
        }
        span.in_scope(|| tracing::info!("request"));
    }
}
