//! The one place library errors become HTTP responses. People see a plain
//! sentence; the log keeps the full error (which never holds a token).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::error::Error;

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::Invalid(_) | Error::InvalidField(_) => StatusCode::BAD_REQUEST,
            Error::Taken(_) => StatusCode::CONFLICT,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Config(_)
            | Error::Database(_)
            | Error::Migration(_)
            | Error::Keys(_)
            | Error::Io { .. }
            | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %self, "request failed");
            "Something went wrong on our side. Please try again in a few minutes.".to_string()
        } else {
            self.to_string()
        };
        match self.field_error() {
            Some(f) => HttpResponse::build(status)
                .json(serde_json::json!({ "error": message, "field": f.field })),
            None => HttpResponse::build(status).json(serde_json::json!({ "error": message })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Message;
    use actix_web::body::MessageBody;

    fn body_of(e: &Error) -> serde_json::Value {
        let bytes = e.error_response().into_body().try_into_bytes().unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn field_errors_keep_their_field_as_data() {
        let bad = Error::field("email", Message::new("email-invalid").with("value", "x"));
        assert_eq!(bad.status_code(), StatusCode::BAD_REQUEST);
        let body = body_of(&bad);
        assert_eq!(body["field"], "email");
        // The API speaks English: the message's English text.
        assert_eq!(body["error"], "email: `x` is not a valid email address");

        let taken = Error::taken("slug", Message::new("election-exists").with("slug", "a"));
        assert_eq!(taken.status_code(), StatusCode::CONFLICT);
        assert_eq!(body_of(&taken)["field"], "slug");

        let plain = Error::Invalid(Message::new("roll-no-members"));
        assert!(body_of(&plain).get("field").is_none());
        assert_eq!(body_of(&plain)["error"], "the roll has no members");
    }

    #[test]
    fn server_faults_show_one_plain_sentence() {
        let e = Error::Internal("stored hash is not 32 bytes".into());
        let body = body_of(&e);
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!body["error"].as_str().unwrap().contains("32 bytes"));
    }
}
