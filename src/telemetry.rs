//! Logging with `tracing`. Request spans carry the *matched route pattern*
//! (`/vote/{token}`), never the raw path, so a ballot token cannot reach a log
//! line at any level (S4).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::filter::{filter_fn, FilterExt};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::{LogFormat, LogSettings};

/// Log targets that write the raw request path, which may hold a ballot
/// token (S4): actix's extractors log it at DEBUG when they fail
/// ("Failed during Path extractor deserialization. Request path: ...",
/// likewise for Query, Json, ReqData and Data). They are silenced whatever
/// the configured level, even TRACE or a directive naming them, because
/// this filter is applied on top of the operator's.
pub const RAW_PATH_TARGETS: &[&str] = &[
    "actix_web::types",
    "actix_web::request_data",
    "actix_web::data",
    "actix_web::thin_data",
    "actix_web::extract",
];

/// Whether an event or span from `target` may be written.
pub fn target_allowed(target: &str) -> bool {
    !RAW_PATH_TARGETS.iter().any(|silenced| {
        target
            .strip_prefix(silenced)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

/// Installs the global subscriber once; later calls (tests start many apps
/// in one process) are no-ops. Logs go to stderr.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_new(&settings.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let filter = filter.and(filter_fn(|meta| target_allowed(meta.target())));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let registry = tracing_subscriber::registry();
    // `try_init` also routes the `log` crate (actix's own logging) through
    // this filter.
    let _ = match settings.format {
        LogFormat::Json => registry.with(layer.json().with_filter(filter)).try_init(),
        LogFormat::Pretty => registry.with(layer.with_filter(filter)).try_init(),
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

#[cfg(test)]
mod tests {
    use super::target_allowed;

    #[test]
    fn raw_path_targets_are_silenced_and_others_are_not() {
        assert!(!target_allowed("actix_web::types::path"));
        assert!(!target_allowed("actix_web::types::query"));
        assert!(!target_allowed("actix_web::data"));
        // A prefix of a name is not its module.
        assert!(target_allowed("actix_web::database"));
        assert!(target_allowed("actix_web::middleware::logger"));
        assert!(target_allowed("ratify::web"));
    }
}
