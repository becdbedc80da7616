//! ratify: a secure ballot service for union contract votes.
//!
//! See docs/architecture.md for the modules and the flow of a vote.

pub mod account;
pub mod audit;
pub mod ballot;
pub mod ceremony;
pub mod certify;
pub mod cli;
pub mod clock;
pub mod config;
pub mod credential;
pub mod db;
pub mod election;
pub mod error;
pub mod i18n;
pub mod keys;
pub mod mail;
pub mod record;
pub mod roll;
pub mod tally;
pub mod telemetry;
pub mod web;
pub mod worker;

pub use error::{Error, Result};
