//! End-to-end tests against the real app, on SQLite by default and on
//! PostgreSQL when RATIFY_TEST_DATABASE_URL is set.

mod api_roles;
mod audit;
mod auth;
mod committee_pages;
mod edge_http;
mod edge_limits;
mod edge_logs;
mod edge_openapi;
mod foundation;
mod helpers;
mod trustees;
