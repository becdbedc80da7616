//! The library's error type, and the error policy.
//!
//! - Each module keeps its own typed errors (`SpecError`, `WindowError`,
//!   `RollErrors`, `ExtendError`, …) for as long as a caller may act on
//!   their structure; they become an [`Error`] at the use-case boundary.
//! - An error that is about one input field says which, as data:
//!   [`Error::InvalidField`] (400) and [`Error::Taken`] (409) carry a
//!   [`FieldError`]. Callers read `field` and `message`; no caller parses an
//!   error's text back into parts (issue 9).
//! - Bad input changes nothing and its message is written for a committee
//!   member (S16); server faults (`Database`, `Io`, `Internal`, …) are
//!   logged in full and shown to people as one plain sentence.
//! - A refusal's sentence is a [`Message`] (a catalogue id and its
//!   arguments, `crate::i18n`), never English text: pages render it in the
//!   reader's language ([`Error::words`]); the API, the CLI and the log show
//!   it in English (`Display`). The line or field it names is an argument,
//!   so it survives translation.
//! - Errors become HTTP responses in one place, `web::error` (the API adds
//!   detail in `web::api::error`), in the form of the surface whose scope
//!   took the request (`web::surface`: JSON for the API, a page in the
//!   reader's language elsewhere), and exit codes in one place,
//!   `cli::exit_code`. Nothing in an error ever holds a ballot token (S4).

use std::path::PathBuf;

use crate::i18n::{Language, Message};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration key is missing, misspelt or has a bad value; the
    /// message names the key.
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("keys: {0}")]
    Keys(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Bad input from a person or a file; the message names the line or
    /// field, and nothing was changed (S16).
    #[error("{0}")]
    Invalid(Message),
    /// Bad input in one named field (400).
    #[error(transparent)]
    InvalidField(FieldError),
    /// A field's value clashes with what exists (a slug or email already
    /// taken, a window already over): 409.
    #[error(transparent)]
    Taken(FieldError),
    #[error("not found: {0}")]
    NotFound(String),
    /// The caller's role does not allow this (S11).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The action conflicts with the current state (e.g. an election that
    /// is no longer a draft).
    #[error("{0}")]
    Conflict(Message),
    #[error("internal error: {0}")]
    Internal(String),
}

/// What is wrong with one field of a form, spec or request body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's name as the form, spec or API names it (`email`,
    /// `closes_at`, `q`).
    pub field: String,
    /// A sentence for a person, without the field's name.
    pub message: Message,
}

impl Error {
    /// Bad input in `field`.
    pub fn field(field: impl Into<String>, message: Message) -> Error {
        Error::InvalidField(FieldError {
            field: field.into(),
            message,
        })
    }

    /// `field`'s value clashes with what exists.
    pub fn taken(field: impl Into<String>, message: Message) -> Error {
        Error::Taken(FieldError {
            field: field.into(),
            message,
        })
    }

    /// Input a person can correct (bad or clashing input, or a state that
    /// does not allow it): pages show these beside their form.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::Invalid(_) | Error::InvalidField(_) | Error::Taken(_) | Error::Conflict(_)
        )
    }

    /// The field an error is about, if it is about one.
    pub fn field_error(&self) -> Option<&FieldError> {
        match self {
            Error::InvalidField(f) | Error::Taken(f) => Some(f),
            _ => None,
        }
    }

    /// A refusal's sentence in `lang`, for a page; `None` for errors that
    /// are not refusals, which pages show as a plain sentence of their own.
    /// A field error names its field as the form or file does.
    pub fn words(&self, lang: Language) -> Option<String> {
        match self {
            Error::Invalid(m) | Error::Conflict(m) => Some(m.render(lang)),
            Error::InvalidField(f) | Error::Taken(f) => {
                // A form's field by its label (`field-…`) where the
                // catalogue has one; a spec's path or an API field as is.
                let tr = crate::i18n::Tr(lang);
                let label = tr
                    .try_t(&format!("field-{}", f.field))
                    .unwrap_or_else(|| f.field.clone());
                Some(
                    Message::new("refusal-field")
                        .with("field", label)
                        .with("message", f.message.clone())
                        .render(lang),
                )
            }
            _ => None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
