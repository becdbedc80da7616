//! Reading request bodies: the media type checked, the size limited before
//! and while reading (S16), JSON decoded with errors that name the field.
//!
//! Routes take the raw `web::Payload` and call these after the role check,
//! so nobody can make the server buffer a body they may not send.

use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::web::{Bytes, Payload};
use actix_web::HttpRequest;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::error::Error;

/// What a route accepts.
pub(super) struct Accepts {
    /// Media types (lowercase, without parameters).
    pub types: &'static [&'static str],
    /// How to say it in the error.
    pub expected: &'static str,
}

pub(super) const JSON: Accepts = Accepts {
    types: &["application/json"],
    expected: "application/json",
};
pub(super) const TOML: Accepts = Accepts {
    types: &["application/toml", "text/plain"],
    expected: "application/toml (or text/plain)",
};
pub(super) const CSV: Accepts = Accepts {
    types: &["text/csv"],
    expected: "text/csv",
};

/// The limit of ordinary bodies, and of roll uploads.
pub(super) enum Limit {
    Body,
    Upload,
}

impl Limit {
    fn of(&self, settings: &crate::config::ServerSettings) -> (usize, &'static str) {
        match self {
            Limit::Body => (settings.max_body_bytes, "max_body_bytes"),
            Limit::Upload => (settings.max_upload_bytes, "max_upload_bytes"),
        }
    }
}

/// Reads the whole body, refusing another media type (415) and anything
/// over the limit (413): at once when Content-Length says so, otherwise as
/// soon as the stream passes it.
pub(super) async fn read(
    req: &HttpRequest,
    payload: Payload,
    accepts: &Accepts,
    limit: Limit,
    settings: &crate::config::ServerSettings,
) -> Result<Bytes, ApiError> {
    let media = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if !media.is_some_and(|m| accepts.types.contains(&m.as_str())) {
        return Err(ApiError::MediaType {
            expected: accepts.expected,
        });
    }
    let (limit, setting) = limit.of(settings);
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::TooLarge { limit, setting });
    }
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            Err(Error::Invalid(format!("the request body could not be read: {e}")).into())
        }
        Err(_) => Err(ApiError::TooLarge { limit, setting }),
    }
}

/// UTF-8 text.
pub(super) fn text(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| {
        ApiError::field(
            "",
            format!("the body is not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })
}

/// A JSON body. serde's message names a missing or unknown field; the
/// field is also returned on its own when the message gives it.
pub(super) fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let message = e.to_string();
        let field = message
            .split('`')
            .nth(1)
            .filter(|_| {
                message.starts_with("missing field") || message.starts_with("unknown field")
            })
            .unwrap_or("")
            .to_string();
        ApiError::Field {
            field,
            message: format!("the JSON body is not valid: {message}"),
            line: None,
        }
    })
}
