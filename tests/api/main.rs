//! End-to-end tests against the real app, on SQLite by default and on
//! PostgreSQL when RATIFY_TEST_DATABASE_URL is set.

mod api_roles;
mod audit;
mod auth;
mod auth_flood;
mod auth_input;
mod auth_lockout;
mod auth_proxy;
mod auth_sessions;
mod auth_support;
mod auth_totp;
mod committee_pages;
mod domain_files;
mod domain_input;
mod domain_schema;
mod domain_support;
mod domain_window;
mod edge_http;
mod edge_limits;
mod edge_logs;
mod edge_openapi;
mod foundation;
mod harness;
mod helpers;
mod nouns_search;
mod pages_axe;
mod pages_flow;
mod pages_i18n;
mod pages_search;
mod pages_spec;
mod perm_pages;
mod perm_search;
mod public_pages;
mod spec_errors;
mod trustees;
mod worker;
