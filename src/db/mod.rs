//! One diesel codebase for two backends (style guide §4): queries are written
//! once against [`DbConnection`], diesel's `MultiConnection` over SQLite (the
//! embedded default) and PostgreSQL (production). Backend differences live in
//! this module only: connection set-up, migrations and write transactions.
//!
//! Every query of an aggregate lives in its file here (`elections`, `roll`,
//! `ceremony`, `tally`, `audit`) and only reads and writes rows; the use
//! cases in `crate::election`, `crate::roll` and `crate::ceremony` validate,
//! open the write transaction and append the audit entry.
//!
//! Lookups by a unique key use `.get_result()`, not `.first()`, on the hot
//! paths (ballot pages, casts, audit appends): `.first()` adds `LIMIT ?`,
//! and the bundled SQLite (built with STAT4) re-plans a statement whose
//! LIMIT is a bound parameter every time it is run. `perf` on the cast
//! benchmark found those re-preparations taking a sixth of the server's CPU.

pub mod accounts;
pub mod audit;
pub mod ballots;
pub mod ceremony;
pub mod certify;
pub mod close;
mod columns;
pub mod credentials;
pub mod elections;
pub mod outbox;
pub mod roll;
pub mod schema;
pub mod sessions;
pub mod sign_in;
pub mod tally;
pub mod voting;

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseSettings;
use crate::error::{Error, Result};

/// `INSERT INTO $table VALUES <rows>` as one statement on either backend:
/// diesel's multi-backend connection has no multi-row insert, so the
/// concrete connection is matched here. A no-op for no rows.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        if !rows.is_empty() {
            match $conn {
                $crate::db::DbConnection::Postgres(c) => {
                    diesel::insert_into($table).values(rows).execute(c)?
                }
                $crate::db::DbConnection::Sqlite(c) => {
                    diesel::insert_into($table).values(rows).execute(c)?
                }
            };
        }
    }};
}
pub(crate) use insert_rows;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// The bytes a file of `column`'s values, one a line, takes: the sum of
/// each value's UTF-8 length plus its newline, over the rows `rest`
/// (`FROM … WHERE …`, parameters from `$1`). A record download announces
/// each file's size before streaming it (`record::sink`). SQLite's
/// `length()` counts characters, so it measures the text cast to a blob;
/// PostgreSQL has `octet_length`. The one backend difference is here.
pub(crate) fn lines_bytes_sql(conn: &DbConnection, column: &str, rest: &str) -> String {
    let len = match conn {
        DbConnection::Sqlite(_) => format!("length(CAST({column} AS BLOB))"),
        DbConnection::Postgres(_) => format!("octet_length({column})"),
    };
    format!("SELECT CAST(COALESCE(SUM({len} + 1), 0) AS BIGINT) AS bytes {rest}")
}

/// The answer of a [`lines_bytes_sql`] query.
#[derive(diesel::QueryableByName)]
pub(crate) struct LinesBytes {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub bytes: i64,
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// SQLite pragmas applied to every pooled connection.
/// WAL + synchronous=FULL: a ballot whose receipt was shown survives a crash
/// (S19). The busy timeout makes concurrent writers wait instead of failing.
/// busy_timeout comes first so the pragmas after it wait for a lock too.
/// secure_delete zeroes freed space, so a ballot token wiped from the
/// outbox does not linger in a page's free bytes (S3, issue 12).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA secure_delete = ON;";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    /// `sqlite://PATH` (relative or absolute) or `postgres://...` /
    /// `postgresql://...`.
    pub fn from_url(url: &str) -> Option<Backend> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            (!path.is_empty()).then(|| Backend::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres(url.to_string()))
        } else {
            None
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// Opens connections of the configured backend for r2d2.
#[derive(Debug)]
pub struct Manager(Backend);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> std::result::Result<DbConnection, r2d2::Error> {
        match &self.0 {
            Backend::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres(url) => {
                let mut conn =
                    diesel::PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                // Every commit is durable before the client hears of it (S19).
                conn.batch_execute("SET synchronous_commit = on")
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Postgres(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> std::result::Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// Checked when a connection comes back to the pool (diesel marks a
    /// connection broken after a failed query), instead of a `SELECT 1` on
    /// every checkout: that round trip would sit on every request, casting
    /// included.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// A pool of connections to the configured database. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: print only the backend.
        f.debug_struct("Db")
            .field("backend", &self.backend.name())
            .finish()
    }
}

impl Db {
    /// Connects (creating the SQLite file and its directory if needed).
    pub fn connect(settings: &DatabaseSettings) -> Result<Db> {
        let backend = Backend::from_url(&settings.url)
            .ok_or_else(|| Error::Config("database.url: unsupported scheme".into()))?;
        if let Backend::Sqlite(path) = &backend {
            create_private_sqlite_file(path)?;
            // Switch a new file to WAL once, before the pool opens its
            // connections all at once and races to do it.
            let first = Manager(backend.clone())
                .connect()
                .map_err(|e| Error::Unavailable(format!("sqlite database: {e}")))?;
            restrict_sqlite_companions(path)?;
            drop(first);
        }
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size)
            .connection_timeout(Duration::from_secs(settings.connection_timeout_secs))
            .test_on_check_out(false)
            .build(Manager(backend.clone()))
            .map_err(|e| Error::Unavailable(format!("{} database: {e}", backend.name())))?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A connection for blocking code (the CLI, or inside [`Db::run`]).
    pub fn get(&self) -> Result<PooledConnection> {
        self.pool
            .get()
            .map_err(|e| Error::Unavailable(e.to_string()))
    }

    /// Runs blocking diesel work on actix's blocking thread pool, never on
    /// an async worker.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T> + Send + 'static,
    {
        let db = self.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = db.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| Error::Internal(format!("database task failed: {e}")))?
    }

    /// Applies pending migrations; returns the versions applied now.
    pub fn migrate(&self) -> Result<Vec<String>> {
        let mut conn = self.get()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        }
        .map_err(|e| Error::Migration(e.to_string()))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    }

    /// Readiness: the database answers a query. For SQLite the file must
    /// also still be where the configuration says: an open connection keeps
    /// reading a deleted file, and every write to it would be lost.
    pub fn ping(&self) -> Result<()> {
        if let Backend::Sqlite(path) = &self.backend {
            if !path.exists() {
                return Err(Error::Unavailable(format!(
                    "database file {} is gone",
                    path.display()
                )));
            }
        }
        let mut conn = self.get()?;
        conn.batch_execute("SELECT 1")
            .map_err(|e| Error::Unavailable(e.to_string()))
    }
}

/// Runs `work` in a transaction that takes the write lock up front.
///
/// On SQLite a plain (deferred) transaction that reads and then writes can
/// fail with SQLITE_BUSY when two writers both try to upgrade their read
/// lock; `BEGIN IMMEDIATE` makes the second writer wait (busy_timeout)
/// instead. PostgreSQL uses an ordinary transaction; code that must
/// serialize there takes row locks (`FOR UPDATE`).
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> std::result::Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> std::result::Result<T, E>,
    E: From<diesel::result::Error>,
{
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return conn.transaction(work);
    }
    if let DbConnection::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    let outcome = work(conn);
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("backend checked above");
    };
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(c)?;
            Ok(value)
        }
        Err(err) => {
            AnsiTransactionManager::rollback_transaction(c)?;
            Err(err)
        }
    }
}

/// The SQLite database holds names, emails, password hashes and TOTP
/// secrets: its directory is created 0700 and the file 0600 (S20 for keys,
/// the same for everything private; issue 9).
///
/// The file is created here, empty, before SQLite opens it, because SQLite
/// would create it with 0644 under the usual umask. SQLite gives the `-wal`
/// and `-shm` files it creates later the mode of the database file
/// (`findCreateFileMode` in its unix VFS), so they are 0600 too; a file of
/// an older install that is looser is tightened, with a warning. Setting
/// the process umask instead would need `unsafe` libc calls (forbidden
/// here) and would change the mode of every other file the process makes.
fn create_private_sqlite_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::keys::create_private_dir(dir)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    crate::keys::restrict_private_file(path)
}

/// The `-wal` and `-shm` files beside the database: 0600 like it. Checked
/// once a connection has created them.
fn restrict_sqlite_companions(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        crate::keys::restrict_private_file(Path::new(&name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://var/r.db"),
            Some(Backend::Sqlite("var/r.db".into()))
        );
        assert!(matches!(
            Backend::from_url("postgresql://u@h/db"),
            Some(Backend::Postgres(_))
        ));
        assert_eq!(Backend::from_url("sqlite://"), None);
        assert_eq!(Backend::from_url("mysql://u@h/db"), None);
    }
}
