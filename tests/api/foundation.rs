//! Issue 3: the service starts on either backend, migrates, keeps its keys,
//! reports readiness truthfully, and its command line fails plainly.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::helpers::*;

#[actix_web::test]
async fn healthz_answers_with_security_headers() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Plain HTTP in tests: no HSTS.
    assert!(h.get("strict-transport-security").is_none());
}

#[actix_web::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    if on_postgres() {
        drop_pg_database(&app.settings.database.url);
    } else {
        std::fs::remove_file(app.tmp.path().join("ratify.db")).unwrap();
    }
    // A fresh client: a kept-alive connection may have been closed by the
    // server while the database was being dropped.
    let fresh = reqwest::Client::new();
    let status = |path: &'static str| {
        let fresh = fresh.clone();
        let url = app.url(path);
        async move { fresh.get(url).send().await.unwrap().status() }
    };
    assert_eq!(status("/readyz").await, 503);
    // Alive all the same: liveness is not readiness.
    assert_eq!(status("/healthz").await, 200);
}

#[test]
fn migrate_applies_once_then_reports_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(tmp.path());
    let url = database.url.clone();
    let env = [("RATIFY__DATABASE__URL", url.as_str())];
    let first = ratify(&["--config", "config/test.toml", "migrate", "--json"], &env);
    assert!(first.status.success(), "{}", stderr(&first));
    let report: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    let backend = if on_postgres() { "postgres" } else { "sqlite" };
    assert_eq!(report["backend"], backend);
    assert!(!report["applied"].as_array().unwrap().is_empty());

    let second = ratify(&["--config", "config/test.toml", "migrate"], &env);
    assert!(second.status.success());
    assert!(
        stdout(&second).contains("up to date"),
        "{}",
        stdout(&second)
    );

    // The schema is really there: every table answers a query.
    let db = ratify::db::Db::connect(&test_settings_with_url(tmp.path(), &url).database).unwrap();
    let mut conn = db.get().unwrap();
    for table in [
        "accounts",
        "elections",
        "members",
        "audit_logs",
        "audit_entries",
        "audit_nodes",
        "audit_checkpoints",
    ] {
        conn.batch_execute(&format!("SELECT COUNT(*) FROM {table}"))
            .unwrap_or_else(|e| panic!("{table}: {e}"));
    }
}

fn test_settings_with_url(tmp: &std::path::Path, url: &str) -> ratify::config::Settings {
    let mut s =
        ratify::config::Settings::load(Some(std::path::Path::new("config/test.toml"))).unwrap();
    s.database.url = url.to_string();
    s.keys.dir = tmp.join("keys");
    s
}

#[test]
fn a_misspelt_config_key_fails_with_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[database]\npool_sise = 4\n").unwrap();
    let out = ratify(&["--config", &path_str(&bad), "migrate"], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("pool_sise"), "{err}");
    assert_eq!(err.lines().count(), 1, "one-line reason: {err}");
}

#[test]
fn an_environment_override_beats_the_file_and_is_validated() {
    let out = ratify(
        &["--config", "config/test.toml", "migrate"],
        &[("RATIFY__DATABASE__URL", "mysql://nobody@localhost/x")],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("database.url"), "{}", stderr(&out));
}

/// `ratify serve` as a child process: it answers, logs the route pattern and
/// never the raw path even at TRACE (S4), keeps its keys across restarts
/// (S20), and shuts down gracefully on SIGTERM.
#[test]
fn serve_logs_route_patterns_keeps_keys_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(tmp.path());
    let url = database.url.clone();
    let keys = tmp.path().join("keys");
    let secret = "Zq9sEcReTtOkEn0000000000000000000000";
    for round in 0..2 {
        let port = free_port();
        let env = [
            ("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}")),
            ("RATIFY__DATABASE__URL", url.clone()),
            ("RATIFY__KEYS__DIR", path_str(&keys)),
            (
                "RATIFY__MAIL__OUTBOX_DIR",
                path_str(&tmp.path().join("outbox")),
            ),
            ("RATIFY__LOG__LEVEL", "trace".to_string()),
        ];
        let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
            .args(["--config", "config/test.toml", "serve"])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&base);
        let vote = http_get(&format!("{base}/vote/{secret}"));
        assert!(vote.starts_with("HTTP/1.1 404"), "{vote}");
        let hmac_before = std::fs::read(keys.join("token_hmac.key")).unwrap();

        let (status, logs) = stop_serve(&mut child);
        assert!(status.success(), "round {round}: {logs}");
        assert!(logs.contains("graceful shutdown"), "{logs}");
        assert!(logs.contains("route=/healthz"), "{logs}");
        assert!(!logs.contains(secret), "the raw path reached the log");
        let generated = logs.contains("generated a new key");
        assert_eq!(generated, round == 0, "keys made on first start only");
        assert_eq!(
            hmac_before,
            std::fs::read(keys.join("token_hmac.key")).unwrap()
        );
    }
}

fn wait_until_up(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http_get(&format!("{base}/healthz")).starts_with("HTTP/1.1 200") {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("ratify serve did not come up at {base}");
}

/// A tiny blocking HTTP/1.1 GET, so this test needs no async runtime.
fn http_get(url: &str) -> String {
    use std::io::Write;
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return String::new();
    };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}

/// S19: every pooled connection commits durably — SQLite in WAL mode with
/// synchronous=FULL and foreign keys on, PostgreSQL with synchronous commit.
#[actix_web::test]
async fn every_connection_commits_durably() {
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }
    let app = TestApp::spawn().await;
    // More connections than the pool keeps idle, so new ones are made too.
    let mut conns: Vec<_> = (0..app.settings.database.pool_size)
        .map(|_| app.db.get().unwrap())
        .collect();
    for conn in conns.iter_mut() {
        let read = |conn: &mut ratify::db::DbConnection, sql: &str| {
            diesel::sql_query(sql)
                .load::<Setting>(conn)
                .unwrap()
                .remove(0)
                .value
        };
        if on_postgres() {
            assert_eq!(
                read(
                    conn,
                    "SELECT setting AS value FROM pg_settings WHERE name = 'synchronous_commit'"
                ),
                "on"
            );
        } else {
            assert_eq!(
                read(
                    conn,
                    "SELECT journal_mode AS value FROM pragma_journal_mode"
                ),
                "wal"
            );
            // 2 = FULL.
            assert_eq!(
                read(
                    conn,
                    "SELECT CAST(synchronous AS TEXT) AS value FROM pragma_synchronous"
                ),
                "2"
            );
            assert_eq!(
                read(
                    conn,
                    "SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys"
                ),
                "1"
            );
        }
    }
}
