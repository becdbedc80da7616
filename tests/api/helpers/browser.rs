//! Headless Chromium for the tests that drive the real forms, spoken to
//! with the W3C WebDriver protocol over reqwest (fantoccini would need a
//! TLS connector feature this crate does not build; the protocol is small
//! enough to speak directly).
//!
//! `cargo test` must pass on a machine with only the Rust toolchain: where
//! Chromium or chromedriver is missing, a browser test writes "skipped:
//! chromium not installed" and returns. CI installs both and sets
//! `RATIFY_REQUIRE_BROWSER=1`, which turns a missing browser into a
//! failure, so CI never skips them.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{json, Value};

use super::{free_port, TestApp, PASSWORD};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Set to `1` (CI does) to fail instead of skipping without a browser.
pub const REQUIRE_BROWSER: &str = "RATIFY_REQUIRE_BROWSER";
pub const SKIPPED: &str = "skipped: chromium not installed";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// What a browser test does on this machine.
#[derive(Debug, PartialEq, Eq)]
pub enum BrowserPlan {
    Run,
    Skip,
    Fail(String),
}

/// Run when both programs exist; otherwise skip, or fail when `require`.
pub fn browser_plan(driver: &Path, chromium: &Path, require: bool) -> BrowserPlan {
    let missing: Vec<String> = [
        ("chromedriver", driver, "chromium-driver"),
        ("Chromium", chromium, "chromium"),
    ]
    .into_iter()
    .filter(|(_, path, _)| !path.exists())
    .map(|(what, path, package)| {
        format!(
            "{what} not found at {}: install it (`apt-get install {package}`) \
             or set RATIFY_CHROMEDRIVER / RATIFY_CHROMIUM",
            path.display()
        )
    })
    .collect();
    match (missing.is_empty(), require) {
        (true, _) => BrowserPlan::Run,
        (false, false) => BrowserPlan::Skip,
        (false, true) => BrowserPlan::Fail(missing.join("; ")),
    }
}

fn paths() -> (PathBuf, PathBuf) {
    let var =
        |name: &str, default: &str| PathBuf::from(std::env::var(name).unwrap_or(default.into()));
    (
        var("RATIFY_CHROMEDRIVER", CHROMEDRIVER),
        var("RATIFY_CHROMIUM", CHROMIUM),
    )
}

/// A chromedriver child process and one browser session.
pub struct Browser {
    driver: Child,
    http: Client,
    base: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `None` (after saying
    /// so) when they are not installed and not required.
    pub async fn start(width: u32, height: u32) -> Option<Browser> {
        let (driver_path, chromium) = paths();
        let require = std::env::var(REQUIRE_BROWSER).is_ok_and(|v| v == "1");
        match browser_plan(&driver_path, &chromium, require) {
            BrowserPlan::Run => {}
            BrowserPlan::Skip => {
                // Straight to stderr: the test harness captures `eprintln!`,
                // and a skip nobody sees would look like a pass.
                let _ = writeln!(std::io::stderr(), "{SKIPPED}");
                return None;
            }
            BrowserPlan::Fail(why) => panic!("{why} ({REQUIRE_BROWSER}=1)"),
        }
        Some(Self::launch(&driver_path, &chromium, width, height).await)
    }

    async fn launch(driver_path: &Path, chromium: &Path, width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_path.display()));
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            http: Client::new(),
            base: format!("http://127.0.0.1:{port}"),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = browser
                .http
                .get(format!("{}/status", browser.base))
                .send()
                .await
                .ok()
                .map(|r| r.status().is_success())
                .unwrap_or(false);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--hide-scrollbars",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ],
            },
        }}});
        let res: Value = browser
            .http
            .post(format!("{}/session", browser.base))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = res["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {res}"))
            .to_string();
        browser.base = format!("{}/session/{id}", browser.base);
        browser
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = res["value"].get("error") {
            panic!("WebDriver {path}: {err} {}", res["value"]["message"]);
        }
        res["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let res: Value = self
                .http
                .post(format!("{}/element", self.base))
                .json(&json!({ "using": "css selector", "value": css }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(id) = res["value"][ELEMENT].as_str() {
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "no element {css}");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{el}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    pub async fn sign_in(&self, app: &TestApp, email: &str) {
        self.goto(&app.url("/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", PASSWORD).await;
        self.click("button[type=submit]").await;
        // A click can return before the next page has loaded (on a busy
        // machine): wait for the list of elections, not for any <h1>.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let html = self.source().await;
            if html.contains("<h1>Elections</h1>") {
                break;
            }
            assert!(Instant::now() < deadline, "sign-in failed:\n{html}");
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(&self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

/// Scripts and window sizes, for the accessibility suite (pages_axe.rs).
impl Browser {
    /// Runs `script` (a function body) with `args`; its return value.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Runs `script`, which calls its last argument with the result.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Makes the viewport `width` × `height` CSS pixels, as a phone
    /// (`mobile`: the page's `<meta name="viewport">` applies, as it does
    /// on a phone) or a desktop window, through Chrome's DevTools protocol
    /// (a desktop window cannot be made as narrow as a phone).
    pub async fn emulate(&self, width: u32, height: u32, mobile: bool) {
        self.cmd(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {
                    "width": width, "height": height,
                    "deviceScaleFactor": 1, "mobile": mobile,
                },
            })),
        )
        .await;
    }

    /// Forgets every cookie (signs out without a form).
    pub async fn clear_cookies(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }

    /// The address the browser is at now.
    pub async fn current_url(&self) -> String {
        let url = self.cmd(reqwest::Method::GET, "/url", None).await;
        url.as_str().unwrap_or_default().to_string()
    }
}

/// The keyboard (issue 13: the voter's flow without a mouse).
impl Browser {
    /// Presses and releases each key of `keys` in turn, as a person at the
    /// keyboard does (WebDriver key actions go to the focused element).
    /// Special keys are WebDriver code points: [`TAB`], [`ENTER`], ….
    pub async fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                let k = c.to_string();
                [
                    json!({ "type": "keyDown", "value": k }),
                    json!({ "type": "keyUp", "value": k }),
                ]
            })
            .collect();
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.cmd(reqwest::Method::POST, "/actions", Some(body))
            .await;
    }
}

/// WebDriver's code points for the keys a keyboard-only member uses.
pub const TAB: char = '\u{E004}';
pub const ENTER: char = '\u{E007}';
pub const ARROW_DOWN: char = '\u{E015}';
