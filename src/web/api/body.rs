//! Reading request bodies: the media type checked, the size limited before
//! and while reading (S16), the whole body within `server.body_timeout_secs`
//! (`web::edge::body_deadline`), JSON decoded with errors that name the field.
//!
//! Routes take the raw `web::Payload` and call these after the role check,
//! so nobody can make the server buffer a body they may not send.

use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::web::{Bytes, Payload};
use actix_web::HttpRequest;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::PartialSchema;

use super::error::ApiError;
use crate::error::Error;
use crate::i18n::Message;
use crate::web::edge::BodyTimedOut;
use crate::web::extract::expected;

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
        Ok(Err(e)) if BodyTimedOut::is(&e) => Err(ApiError::TimedOut {
            secs: settings.body_timeout_secs,
        }),
        Ok(Err(e)) => Err(Error::Invalid(Message::untranslated(format!(
            "the request body could not be read: {e}"
        )))
        .into()),
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

/// A JSON object body, checked against the schema the OpenAPI document
/// publishes for it: every required field present, no unknown field, no
/// NUL character in any text, and every field of the right type. Each
/// error names the field (docs/api.md §Errors).
pub(super) fn json<T: DeserializeOwned + PartialSchema>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ApiError::Field {
        field: String::new(),
        message: format!(
            "the body is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ),
        line: Some(e.line() as u64),
    })?;
    let Some(object) = value.as_object() else {
        return Err(ApiError::field("", "the body must be a JSON object"));
    };
    let schema = T::schema();
    if let RefOr::T(Schema::Object(o)) = &schema {
        if let Some(unknown) = object.keys().find(|k| !o.properties.contains_key(*k)) {
            return Err(ApiError::field(
                unknown.as_str(),
                format!("{unknown}: is not a field of this request"),
            ));
        }
        if let Some(missing) = o.required.iter().find(|r| !object.contains_key(*r)) {
            return Err(ApiError::field(
                missing.as_str(),
                format!("{missing}: is required"),
            ));
        }
    }
    if let Some(field) = text_with_nul(&value, "") {
        return Err(ApiError::field(
            field.clone(),
            format!("{field}: contains a NUL character, which is never valid"),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let property = match &schema {
            RefOr::T(Schema::Object(o)) => o.properties.get(field.as_str()),
            _ => None,
        };
        ApiError::field(
            field.clone(),
            format!("{field}: expected {}", expected(property)),
        )
    })
}

/// The path of the first string (or key) that holds a NUL character:
/// PostgreSQL refuses NUL in text, so it is bad input, not a 500 (S16).
fn text_with_nul(value: &Value, at: &str) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match value {
        Value::String(s) => s.contains('\0').then(|| at.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| text_with_nul(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(&k.replace('\0', "\u{fffd}")))
            } else {
                text_with_nul(v, &join(k))
            }
        }),
        _ => None,
    }
}
