//! The API's errors. Most are the library's [`Error`], whose status and
//! plain sentence are decided in `web::error`; the API adds the detail a
//! script needs to point at the bad input (S16): the field of a spec or a
//! request body, every bad line of a roll, and the size limit that was hit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::election::SpecError;
use crate::error::Error;
use crate::roll::RollErrors;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A bad path or query parameter (`web::extract`).
    #[error(transparent)]
    Param(#[from] crate::web::extract::ParamError),
    /// Bad input in one field: of an election spec (with its TOML line) or
    /// of a JSON body. Nothing was changed.
    #[error("{message}")]
    Field {
        field: String,
        message: String,
        line: Option<u64>,
    },
    /// Every problem in a roll; nothing was imported.
    #[error("{}", .0.summary())]
    Roll(RollErrors),
    #[error("the request body is larger than {limit} bytes (server.{setting})")]
    TooLarge { limit: usize, setting: &'static str },
    #[error("send the body as {expected}")]
    MediaType { expected: &'static str },
    /// The body did not arrive within server.body_timeout_secs.
    #[error("the request body did not arrive within {secs} seconds (server.body_timeout_secs)")]
    TimedOut { secs: u64 },
    #[error(transparent)]
    Other(#[from] Error),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Field {
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }
}

impl From<SpecError> for ApiError {
    fn from(e: SpecError) -> ApiError {
        ApiError::Field {
            // A TOML syntax error has no field; the message still says where.
            field: e.field.clone(),
            message: e.to_string(),
            line: e.line.map(|l| l as u64),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A plain sentence for a person.
    #[schema(
        example = "not allowed: this needs permission to run elections (the admin or committee role)"
    )]
    pub error: String,
    /// The field of the request (or of the spec) that is wrong, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "closes_at")]
    pub field: Option<String>,
    /// The line of the spec's TOML, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// A refused roll: every problem with its line, nothing imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollErrorBody {
    #[schema(example = "the roll was not imported: 2 problems, the first: line 3, unit: ...")]
    pub error: String,
    pub errors: Vec<RollProblem>,
    /// Problems found beyond the ones listed.
    pub more: u64,
}

/// One problem in a roll.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollProblem {
    /// 1-based line in the file; the header is line 1.
    #[schema(example = 3)]
    pub line: u64,
    /// `header`, `row`, `member_number`, `name`, `email`, `unit`,
    /// `language`, or `file`.
    #[schema(example = "unit")]
    pub field: String,
    pub message: String,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Field { .. } | ApiError::Roll(_) | ApiError::Param(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TimedOut { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::Other(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            ApiError::Other(e) => e.error_response(),
            ApiError::Param(e) => e.error_response(),
            ApiError::Field { field, line, .. } => HttpResponse::build(status).json(ErrorBody {
                error: self.to_string(),
                field: (!field.is_empty()).then(|| field.clone()),
                line: *line,
            }),
            ApiError::Roll(errors) => HttpResponse::build(status).json(RollErrorBody {
                error: self.to_string(),
                errors: errors
                    .errors
                    .iter()
                    .map(|e| RollProblem {
                        line: e.line,
                        field: e.field.to_string(),
                        message: e.message.to_string(),
                    })
                    .collect(),
                more: errors.more,
            }),
            ApiError::TooLarge { .. } | ApiError::MediaType { .. } => HttpResponse::build(status)
                .json(ErrorBody {
                    error: self.to_string(),
                    field: None,
                    line: None,
                }),
            // The rest of the body may still be on its way: close the
            // connection rather than read it.
            ApiError::TimedOut { .. } => {
                HttpResponse::build(status).force_close().json(ErrorBody {
                    error: self.to_string(),
                    field: None,
                    line: None,
                })
            }
        }
    }
}
