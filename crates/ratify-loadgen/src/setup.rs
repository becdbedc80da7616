//! The election the benchmark votes in, set up the way the committee's
//! commands would (`ratify election create`, `roll import`, the trustees'
//! ceremony, `key publish`, printed notices), straight against the
//! database with ratify's own use cases and the shared fixtures.

use std::path::{Path, PathBuf};

use chrono::{Duration, DurationRound, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use ratify::config::Settings;
use ratify::credential::{print_notices, PrintSelection, Token};
use ratify::db::{Db, DbConnection};
use ratify::keys::Keys;
use ratify_testkit::{roll, SpecFixture, UNITS};

use crate::Args;

const SLUG: &str = "loadgen";
/// The audit actor of the set-up steps.
const ACTOR: Option<&str> = Some("loadgen@example.org");

/// Where this run keeps its config, keys, log and (SQLite) database.
pub struct WorkDir {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub settings: Settings,
    /// (admin URL, database name) of a PostgreSQL run.
    pg: Option<(String, String)>,
}

impl WorkDir {
    pub fn new(args: &Args) -> Result<WorkDir, String> {
        let dir = match &args.dir {
            Some(dir) => dir.clone(),
            None => std::env::temp_dir().join(format!("ratify-loadgen-{}", std::process::id())),
        };
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let (url, pg) = if args.database == "sqlite" {
            (
                format!("sqlite://{}", dir.join("ratify.db").display()),
                None,
            )
        } else {
            let name = format!("ratify_loadgen_{}", std::process::id());
            (
                create_pg_database(&args.database, &name)?,
                Some((args.database.clone(), name)),
            )
        };
        let port = free_port()?;
        let config = dir.join("loadgen.toml");
        std::fs::write(&config, config_toml(args, &dir, &url, port))
            .map_err(|e| format!("{}: {e}", config.display()))?;
        let settings = Settings::load(Some(&config)).map_err(|e| e.to_string())?;
        Ok(WorkDir {
            dir,
            config,
            settings,
            pg,
        })
    }

    /// Removes the work directory and drops the PostgreSQL database.
    pub fn finish(self, keep: bool) {
        if keep {
            eprintln!("loadgen: kept {}", self.dir.display());
            return;
        }
        if let Some((admin, name)) = &self.pg {
            let dropped = diesel::PgConnection::establish(admin)
                .map_err(|e| e.to_string())
                .and_then(|mut c| {
                    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .map_err(|e| e.to_string())
                });
            if let Err(e) = dropped {
                eprintln!("loadgen: could not drop database {name}: {e}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The served app's settings. Every ballot carries its own client address
/// in `X-Forwarded-For` from a trusted proxy (loopback), as members behind
/// a reverse proxy do, so the per-client limit of S17 is exercised as in
/// production instead of switched off.
fn config_toml(args: &Args, dir: &Path, url: &str, port: u16) -> String {
    format!(
        r#"[server]
bind = "127.0.0.1:{port}"
public_base_url = "http://127.0.0.1:{port}"
workers = {workers}
trusted_proxies = ["127.0.0.1"]

[database]
url = "{url}"
pool_size = {pool}

[keys]
dir = "{keys}"

[mail]
outbox_dir = "{outbox}"

[log]
level = "warn"
"#,
        workers = args.workers,
        pool = args.pool_size,
        keys = dir.join("keys").display(),
        outbox = dir.join("outbox").display(),
    )
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn create_pg_database(admin_url: &str, name: &str) -> Result<String, String> {
    let mut admin = diesel::PgConnection::establish(admin_url)
        .map_err(|e| format!("connecting to {admin_url}: {e}"))?;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(|e| format!("creating database {name}: {e}"))?;
    let (base, _) = admin_url
        .split('?')
        .next()
        .and_then(|u| u.rsplit_once('/'))
        .ok_or("the PostgreSQL URL has no database part")?;
    Ok(format!("{base}/{name}"))
}

/// An open election and a working link for every member on its roll.
pub struct Election {
    pub tokens: Vec<Token>,
}

/// Creates the election (open from now for a day), imports `voters`
/// members spread over the units, holds the key ceremony, publishes the
/// key and prints a notice for every member. The steps run "an hour ago",
/// before the window opens, as a committee would.
pub fn open_election(work: &WorkDir, voters: usize) -> Result<Election, String> {
    let e = |e: ratify::error::Error| e.to_string();
    let db = Db::connect(&work.settings.database).map_err(e)?;
    db.migrate().map_err(e)?;
    let keys = Keys::load(&work.settings.keys).map_err(e)?;
    let opens = Utc::now()
        .duration_trunc(Duration::seconds(1))
        .map_err(|e| e.to_string())?;
    let before = opens - Duration::hours(1);
    let fixture = SpecFixture::kern()
        .slug(SLUG)
        .window_at(opens, opens + Duration::days(1));
    let spec = ratify::election::parse_spec(&fixture.toml()).map_err(|e| e.to_string())?;
    let mut conn = db.get().map_err(e)?;
    ratify::election::create_election(&mut conn, &spec, ACTOR, before).map_err(e)?;
    import_roll(&mut conn, &spec, voters, before)?;
    ceremony(&db, spec.trustees() as usize, before)?;
    ratify::ceremony::publish_key(&mut conn, SLUG, ACTOR, before, 1).map_err(e)?;
    let mut tokens = Vec::with_capacity(voters);
    for unit in UNITS {
        let selection = PrintSelection::Unit(unit.to_string());
        let notices = print_notices(
            &mut conn,
            SLUG,
            keys.token_hmac(),
            &selection,
            ACTOR,
            before,
        )
        .map_err(e)?;
        tokens.extend(notices.into_iter().map(|n| n.token));
    }
    if tokens.len() != voters {
        return Err(format!(
            "{} links issued for {voters} members",
            tokens.len()
        ));
    }
    Ok(Election { tokens })
}

fn import_roll(
    conn: &mut DbConnection,
    spec: &ratify::election::ElectionSpec,
    voters: usize,
    now: chrono::DateTime<Utc>,
) -> Result<(), String> {
    let csv = roll::csv(&roll::spread(voters));
    let parsed = ratify::roll::parse_roll(csv.as_bytes(), &spec.unit_codes())
        .map_err(|e| format!("the generated roll: {e:?}"))?;
    ratify::roll::import_roll(conn, SLUG, &parsed, ACTOR, now, |_| {})
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The spec's trustees make the election key (their files registered as
/// `ratify trustee register` would).
fn ceremony(db: &Db, trustees: usize, now: chrono::DateTime<Utc>) -> Result<(), String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let mut failed = None;
    ratify_testkit::key_ceremony(
        trustees,
        |file| {
            let json = file.to_json();
            if let Err(e) =
                ratify::ceremony::register_trustee_file(&mut conn, SLUG, &json, ACTOR, now)
            {
                failed.get_or_insert(e.to_string());
            }
        },
        || {
            let mut conn = db.get().expect("a second connection");
            ratify::ceremony::roster(&mut conn, SLUG).expect("the roster")
        },
    );
    failed.map_or(Ok(()), Err)
}

/// Ballots stored in the database (read after the server stopped).
pub fn stored_ballots(work: &WorkDir) -> Result<i64, String> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let db = Db::connect(&work.settings.database).map_err(|e| e.to_string())?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let row: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM ballots")
        .get_result(&mut *conn)
        .map_err(|e| e.to_string())?;
    Ok(row.n)
}
