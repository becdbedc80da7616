//! End-to-end tests against the real app, on SQLite by default and on
//! PostgreSQL when RATIFY_TEST_DATABASE_URL is set.

mod api_roles;
mod audit;
mod auth;
mod committee_pages;
mod foundation;
mod harness;
mod helpers;
mod public_pages;
mod trustees;
