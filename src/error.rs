//! The library's error type. HTTP status codes are assigned in one place,
//! `web::error`; CLI exit codes in `cli::exit_code`.

use std::path::PathBuf;

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
    Invalid(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The caller's role does not allow this (S11).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The action conflicts with the current state (e.g. an election that
    /// is no longer a draft).
    #[error("{0}")]
    Conflict(String),
    /// A command whose feature is not built yet says so plainly.
    #[error("`{0}` is not built yet")]
    NotBuilt(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
