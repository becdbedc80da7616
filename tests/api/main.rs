//! End-to-end tests against the real app, on SQLite by default and on
//! PostgreSQL when RATIFY_TEST_DATABASE_URL is set.

mod audit;
mod foundation;
mod helpers;
