//! Shared fixtures for ratify's tests, benches and (next) the load driver,
//! so that each is written once: the acceptance election's spec with its
//! window moved where a test needs it ([`spec`]), a roll of n members in
//! units ([`roll`]), the trustees' key ceremony ([`ceremony`]), and a whole
//! synthetic election record for the verifier ([`record`]).
//!
//! Pure data, the crypto and the log-format crates only — no database, no
//! HTTP — so a bench
//! or a tool can use it without linking the server; the server's test
//! harness (tests/api/helpers) feeds these into the real app.

pub mod ceremony;
pub mod record;
pub mod roll;
pub mod spec;

pub use ceremony::key_ceremony;
pub use roll::Member;
pub use spec::{SpecFixture, SLUG, UNITS};
