//! The test harness (style guide §5): every test starts the real app on a
//! random port with its own fresh database — a temporary SQLite file, or a
//! fresh PostgreSQL database when RATIFY_TEST_DATABASE_URL is set — so the
//! same tests run on both backends — and drops it when the test ends.
//!
//! The data tests start from (a spec with its window, a roll of n members,
//! the key ceremony) is the shared `ratify_testkit`; the steps of a story
//! are methods on [`TestApp`] (`stories.rs`); the headless browser is
//! `browser.rs`.

mod browser;
mod database;
mod stories;

pub use browser::*;
pub use database::*;
pub use ratify_testkit::{roll, SpecFixture, SLUG, UNITS};
pub use stories::*;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use ratify::clock::ManualClock;
use ratify::config::Settings;
use ratify::db::Db;
use ratify::keys::Keys;
use ratify::web::{self, AppState};
use tempfile::TempDir;

/// Settings for one test: config/test.toml with a fresh database (kept
/// while the guard lives), keys and outbox under a temporary directory.
pub fn test_settings(tmp: &Path) -> (Settings, TestDatabase) {
    let database = TestDatabase::fresh(tmp);
    let mut settings = Settings::load(Some(Path::new("config/test.toml"))).expect("test config");
    settings.database.url = database.url.clone();
    settings.keys.dir = tmp.join("keys");
    settings.mail.outbox_dir = tmp.join("outbox");
    settings.server.workers = 1;
    (settings, database)
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub settings: Settings,
    pub db: Db,
    pub clock: ManualClock,
    /// Dropped after `db` (fields drop in order): the database goes when
    /// the test ends.
    pub database: TestDatabase,
    pub tmp: TempDir,
}

impl TestApp {
    /// Starts the app on 127.0.0.1:0 in this test's actix runtime.
    pub async fn spawn() -> TestApp {
        let tmp = tempfile::tempdir().unwrap();
        let (settings, database) = test_settings(tmp.path());
        Self::spawn_with(tmp, settings, database).await
    }

    /// A second app with its own database but the same server keys (a
    /// forked history under one signing key).
    pub async fn spawn_with_keys_of(other: &TestApp) -> TestApp {
        let tmp = tempfile::tempdir().unwrap();
        let (mut settings, database) = test_settings(tmp.path());
        settings.keys = other.settings.keys.clone();
        Self::spawn_with(tmp, settings, database).await
    }

    /// An app with test settings changed by `change`.
    pub async fn spawn_configured(change: impl FnOnce(&mut Settings)) -> TestApp {
        let tmp = tempfile::tempdir().unwrap();
        let (mut settings, database) = test_settings(tmp.path());
        change(&mut settings);
        Self::spawn_with(tmp, settings, database).await
    }

    /// An app whose roll uploads are limited to `limit` bytes (S16).
    pub async fn spawn_with_upload_limit(limit: usize) -> TestApp {
        Self::spawn_configured(|s| s.server.max_upload_bytes = limit).await
    }

    /// An app with changed settings, and a handle on its state (for tests
    /// that watch a part of it, such as the password hasher).
    pub async fn spawn_with_state(change: impl FnOnce(&mut Settings)) -> (TestApp, AppState) {
        let tmp = tempfile::tempdir().unwrap();
        let (mut settings, database) = test_settings(tmp.path());
        change(&mut settings);
        Self::start(tmp, settings, database).await
    }

    async fn spawn_with(tmp: TempDir, settings: Settings, database: TestDatabase) -> TestApp {
        Self::start(tmp, settings, database).await.0
    }

    async fn start(
        tmp: TempDir,
        settings: Settings,
        database: TestDatabase,
    ) -> (TestApp, AppState) {
        let db = Db::connect(&settings.database).expect("connect");
        db.migrate().expect("migrate");
        let keys = Keys::load(&settings.keys).expect("keys");
        let clock = ManualClock::at(chrono::Utc::now());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(settings.clone(), db.clone(), keys, Arc::new(clock.clone()))
            .expect("app state");
        let server = web::start(state.clone(), listener).expect("start server");
        actix_web::rt::spawn(server);
        let client = test_client();
        let app = TestApp {
            address,
            client,
            settings,
            db,
            clock,
            database,
            tmp,
        };
        (app, state)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

/// A client with its own cookie jar that sees redirects (no following).
/// It drops idle connections after 2 s, before actix closes them (keep-alive
/// 5 s): reusing a connection the server is closing at that instant fails
/// the request with `IncompleteMessage`, which a slow setup step between two
/// requests (a key ceremony on a loaded machine) made happen.
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

/// Stops a child `ratify serve` with SIGTERM (a graceful shutdown) and
/// returns its exit status and everything it logged.
pub fn stop_serve(child: &mut std::process::Child) -> (std::process::ExitStatus, String) {
    use std::io::Read;
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    let status = child.wait().expect("wait for ratify serve");
    let mut logs = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut logs).expect("read its log");
    }
    (status, logs)
}

/// Runs the real `ratify` binary with a config file and extra environment.
pub fn ratify(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ratify"));
    cmd.args(args).env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run ratify")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A port free right now, for a child `ratify serve`.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[allow(dead_code)]
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const PASSWORD: &str = "a long enough password";

impl TestApp {
    /// Creates an account directly (as `ratify account create` would).
    pub fn create_account(&self, email: &str, role: ratify::account::Role) {
        let mut conn = self.db.get().unwrap();
        let new = ratify::account::NewAccount {
            email: email.into(),
            name: format!("{role:?} member"),
            role,
            password: secrecy::SecretString::from(PASSWORD.to_string()),
            totp: false,
        };
        ratify::account::create_account(
            &mut conn,
            &ratify::account::ReadyAccount::prepare_blocking(new).unwrap(),
            Some("test"),
            chrono::Utc::now(),
        )
        .unwrap();
    }

    /// A fresh client (own cookie jar) signed in as `email`; returns it
    /// with the session's CSRF token.
    pub async fn signed_in(&self, email: &str) -> (reqwest::Client, String) {
        let client = test_client();
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_in(&page).expect("login form has a CSRF token");
        let res = client
            .post(self.url(&format!("/login?csrf={token}")))
            .form(&[("email", email), ("password", PASSWORD), ("totp", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "sign-in as {email} failed");
        let session: serde_json::Value = client
            .get(self.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = session["csrf"].as_str().unwrap().to_string();
        (client, csrf)
    }
}

/// The CSRF token in a page's first form: its hidden `csrf` field (or,
/// on pages from before issue 11, a `csrf=` in the form's action).
pub fn csrf_in(html: &str) -> Option<String> {
    const FIELD: &str = "name=\"csrf\" value=\"";
    if let Some(at) = html.find(FIELD) {
        let rest = &html[at + FIELD.len()..];
        return Some(rest[..rest.find('"')?].to_string());
    }
    let start = html.find("csrf=")? + 5;
    let rest = &html[start..];
    let end = rest.find(['"', '&'])?;
    Some(rest[..end].to_string())
}
