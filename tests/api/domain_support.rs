//! Fixtures shared by the domain_* tests (issue 9: window bounds, written
//! times, free text, echoes, private files, schema parity).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use ratify::account::Role;

use crate::helpers::*;

pub use crate::helpers::SLUG;
pub const CHAIR: &str = "chair@example.org";
const KERN: &str = include_str!("../../src/election/testdata/kern-lbfo-2024.toml");

/// The acceptance spec with its window at `opens`..`closes` (RFC 3339
/// with an offset, which the spec accepts), and `edit` applied to the text.
pub fn spec_between(opens: DateTime<Utc>, closes: DateTime<Utc>) -> String {
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    KERN.lines()
        .map(|l| {
            if l.starts_with("opens_at") {
                format!("opens_at = \"{}\"", at(opens))
            } else if l.starts_with("closes_at") {
                format!("closes_at = \"{}\"", at(closes))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The spec with a window from tomorrow for `days` days.
pub fn spec_for_days(days: i64) -> String {
    let opens = Utc::now() + Duration::days(1);
    spec_between(opens, opens + Duration::days(days))
}

/// A test app with a committee member signed in; the client sends the
/// CSRF token on every request.
pub struct Committee {
    pub app: TestApp,
    pub client: reqwest::Client,
    pub csrf: String,
}

impl Committee {
    pub async fn spawn() -> Committee {
        Self::with_app(TestApp::spawn().await).await
    }

    pub async fn with_app(app: TestApp) -> Committee {
        app.create_account(CHAIR, Role::Committee);
        let (client, csrf) = app.signed_in(CHAIR).await;
        Committee { app, client, csrf }
    }

    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.app.url(path))
            .header("X-CSRF-Token", &self.csrf)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// POST, answering the status and the JSON body.
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        let res = self.post(path, "application/json", body.to_string()).await;
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or_default())
    }

    /// Creates an election through the API; answers the status and body.
    pub async fn create(&self, spec: &str) -> (u16, serde_json::Value) {
        let res = self
            .post("/api/v1/elections", "application/toml", spec.to_string())
            .await;
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or_default())
    }

    /// A committee page form POST (with the CSRF token in the query, as the
    /// pages' forms send it).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self
            .client
            .post(self.app.url(&format!("{path}?csrf={}", self.csrf)))
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// The election's closing time as stored.
    pub fn closes_at(&self, slug: &str) -> DateTime<Utc> {
        let mut conn = self.app.db.get().unwrap();
        ratify::election::load_election(&mut conn, slug)
            .unwrap()
            .spec
            .closes_at()
    }

    /// How many entries the election's audit log holds.
    pub fn log_size(&self, slug: &str) -> i64 {
        let mut conn = self.app.db.get().unwrap();
        let log = ratify::audit::LogName::Election(slug.to_string());
        ratify::audit::log_head(&mut conn, &log)
            .unwrap()
            .map_or(0, |h| h.size)
    }
}

/// `ratify` with the test config and this app's database.
pub fn ratify_on(app: &TestApp, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--config", "config/test.toml"];
    all.extend_from_slice(args);
    let keys = path_str(&app.settings.keys.dir);
    ratify(
        &all,
        &[
            ("RATIFY__DATABASE__URL", app.settings.database.url.as_str()),
            ("RATIFY__KEYS__DIR", keys.as_str()),
        ],
    )
}
