//! Shared steps for the sign-in tests (issue 9, "Holes to close"): an app
//! whose state (the password hasher's counters) the test can see, sign-in
//! from a chosen client address, and copied cookies.

use std::sync::Arc;

use ratify::account::{Passwords, Role};
use ratify::config::Settings;
use reqwest::cookie::{CookieStore, Jar};

use crate::helpers::*;

/// An app like [`TestApp::spawn_configured`], and its password hasher.
pub async fn spawn_seeing_passwords(
    change: impl FnOnce(&mut Settings),
) -> (TestApp, Arc<Passwords>) {
    let (mut app, state) = TestApp::spawn_with_state(change).await;
    app.client = jar_client(Arc::new(Jar::default()));
    (app, Arc::clone(&state.passwords))
}

/// An app behind a trusted reverse proxy on loopback: each test "client"
/// names itself with `X-Forwarded-For`, as the proxy would.
pub async fn spawn_behind_proxy() -> (TestApp, Arc<Passwords>) {
    spawn_seeing_passwords(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".to_string().try_into().unwrap()]
    })
    .await
}

/// Like `helpers::test_client`, with a cookie jar the test can copy from:
/// idle connections are dropped after 2 s, before actix's 5 s keep-alive
/// closes them under a request (a race seen on a loaded machine).
pub fn jar_client(jar: Arc<Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

/// Signs every browser in at the same time; returns the statuses in order.
pub async fn sign_in_together(browsers: &[Visitor], email: &str, password: &str) -> Vec<u16> {
    let handles: Vec<_> = browsers
        .iter()
        .cloned()
        .map(|b| {
            let (email, password) = (email.to_string(), password.to_string());
            actix_web::rt::spawn(async move { b.sign_in(&email, &password, "").await.0 })
        })
        .collect();
    let mut statuses = Vec::new();
    for h in handles {
        statuses.push(h.await.expect("sign-in task"));
    }
    statuses
}

/// A browser: its own cookie jar, and the address its requests come from
/// (sent as `X-Forwarded-For`; ignored unless the app trusts loopback).
#[derive(Clone)]
pub struct Visitor {
    pub jar: Arc<Jar>,
    pub client: reqwest::Client,
    pub address: String,
    base: String,
}

impl Visitor {
    pub fn new(app: &TestApp, address: &str) -> Visitor {
        let jar = Arc::new(Jar::default());
        Visitor {
            client: jar_client(Arc::clone(&jar)),
            jar,
            address: address.to_string(),
            base: app.address.clone(),
        }
    }

    /// Posts the sign-in form (after fetching it for its CSRF token);
    /// returns the status and the page.
    pub async fn sign_in(&self, email: &str, password: &str, totp: &str) -> (u16, String) {
        let page = self
            .client
            .get(format!("{}/login", self.base))
            .header("x-forwarded-for", &self.address)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_in(&page).expect("login form has a CSRF token");
        let res = self
            .client
            .post(format!("{}/login?csrf={token}", self.base))
            .header("x-forwarded-for", &self.address)
            .form(&[("email", email), ("password", password), ("totp", totp)])
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// The `Cookie` header this browser sends: what an attacker who copied
    /// the cookie would replay.
    pub fn cookie(&self) -> String {
        let url = reqwest::Url::parse(&self.base).unwrap();
        self.jar
            .cookies(&url)
            .expect("the browser has a cookie")
            .to_str()
            .unwrap()
            .to_string()
    }

    /// The session's CSRF token (from GET /api/v1/session).
    pub async fn csrf(&self) -> String {
        let me: serde_json::Value = self
            .client
            .get(format!("{}/api/v1/session", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        me["csrf"].as_str().expect("signed in").to_string()
    }
}

/// A client without a cookie jar that does not follow redirects.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A request made with a copied `Cookie` header and no cookie jar.
pub async fn replay_get(app: &TestApp, cookie: &str, path: &str) -> u16 {
    bare_client()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A state-changing request (create an election) with a copied cookie and
/// the session's CSRF token, as an attacker who copied both would send.
pub async fn replay_write(app: &TestApp, cookie: &str, csrf: &str) -> u16 {
    let spec =
        std::fs::read_to_string(workspace().join("src/election/testdata/kern-lbfo-2024.toml"))
            .unwrap();
    bare_client()
        .post(app.url("/api/v1/elections"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .header("content-type", "application/toml")
        .body(spec)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Creates an account with a TOTP secret; returns the secret (base32).
pub fn create_totp_account(app: &TestApp, email: &str, role: Role) -> String {
    let mut conn = app.db.get().unwrap();
    let new = ratify::account::NewAccount {
        email: email.into(),
        name: "Has an authenticator".into(),
        role,
        password: secrecy::SecretString::from(PASSWORD.to_string()),
        totp: true,
    };
    let (_, url) = ratify::account::create_account(
        &mut conn,
        &ratify::account::ReadyAccount::prepare_blocking(new).unwrap(),
        Some("test"),
        chrono::Utc::now(),
    )
    .unwrap();
    let url = url::Url::parse(&url.unwrap()).unwrap();
    let secret = url
        .query_pairs()
        .find(|(k, _)| k == "secret")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    secret
}

/// The authenticator's code at the app's (manual) clock.
pub fn totp_now(app: &TestApp, secret: &str, email: &str) -> String {
    use ratify::clock::Clock;
    let t = app.clock.now().timestamp() as u64;
    ratify::account::totp::code_at(secret, email, t).unwrap()
}
