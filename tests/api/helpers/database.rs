//! Each test's own database, and its removal: a SQLite file in the test's
//! temporary directory (removed with it), or a fresh PostgreSQL database
//! that [`TestDatabase`]'s `Drop` drops — so a run of the suite leaves
//! nothing behind on the server.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::Connection;

pub const PG_ENV: &str = "RATIFY_TEST_DATABASE_URL";

pub fn on_postgres() -> bool {
    std::env::var(PG_ENV).is_ok()
}

/// A fresh, empty database for one test; dropped with the guard.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
}

impl TestDatabase {
    pub fn fresh(tmp: &Path) -> TestDatabase {
        let url = match std::env::var(PG_ENV) {
            Ok(admin_url) => create_pg_database(&admin_url),
            Err(_) => format!("sqlite://{}", tmp.join("ratify.db").display()),
        };
        TestDatabase { url }
    }

    /// The PostgreSQL database's name (None on SQLite).
    pub fn pg_name(&self) -> Option<String> {
        on_postgres().then(|| pg_name(&self.url))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if !on_postgres() {
            return;
        }
        // Never panic here: a panic while a failed test unwinds aborts the
        // whole run and hides the test's own message.
        if let Err(e) = try_drop_pg_database(&self.url) {
            eprintln!("could not drop test database {}: {e}", pg_name(&self.url));
        }
    }
}

fn create_pg_database(admin_url: &str) -> String {
    let name = format!("ratify_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(admin_url).expect("connect to test PostgreSQL");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    let mut url = url::Url::parse(admin_url).expect("RATIFY_TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

fn pg_name(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.path().trim_start_matches('/').to_string())
        .unwrap_or_default()
}

fn try_drop_pg_database(url: &str) -> Result<(), String> {
    let admin_url = std::env::var(PG_ENV).map_err(|e| e.to_string())?;
    let mut admin = diesel::PgConnection::establish(&admin_url).map_err(|e| e.to_string())?;
    // FORCE disconnects the app's pool and any child `ratify` process.
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            pg_name(url)
        ))
        .map_err(|e| e.to_string())
}

/// Drops a PostgreSQL test database now (a test of what happens when the
/// database goes away); the guard's later drop is then a no-op.
pub fn drop_pg_database(url: &str) {
    try_drop_pg_database(url).expect("drop test database");
}

/// Whether a PostgreSQL database of that name exists.
pub fn pg_database_exists(name: &str) -> bool {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let admin_url = std::env::var(PG_ENV).expect("postgres run");
    let mut admin = diesel::PgConnection::establish(&admin_url).unwrap();
    let rows: Vec<Count> =
        diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<diesel::sql_types::Text, _>(name)
            .load(&mut admin)
            .unwrap();
    rows[0].n > 0
}
