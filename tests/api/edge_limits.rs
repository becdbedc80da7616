//! Limits at the edge (issue 9, S16): log pages capped by bytes as well as
//! by count, and slow clients cut off — the request head and the body each
//! have a deadline, then 408 and the connection is closed.

use std::time::{Duration, Instant};

use chrono::Utc;
use ratify::account::Role;
use ratify::audit::{self, LogName};
use ratify::db::write_transaction;
use ratify::web::audit::log::MAX_PAGE_BYTES;
use reqwest::Client;
use serde_json::json;

use crate::edge_http::raw_exchange;
use crate::helpers::*;

/// Appends `n` entries of about `size` bytes each to `log`.
fn append_large(app: &TestApp, log: &LogName, n: usize, size: usize) {
    let mut conn = app.db.get().unwrap();
    for i in 0..n {
        write_transaction(&mut conn, |conn| {
            audit::append(
                conn,
                log,
                Utc::now(),
                "test.event",
                Some("tester@example.org"),
                audit::data(json!({ "i": i, "padding": "p".repeat(size) })),
            )
        })
        .unwrap();
    }
}

#[actix_web::test]
async fn log_pages_stop_at_a_byte_budget_and_say_where_to_continue() {
    let app = TestApp::spawn().await;
    let log = LogName::Election("big".into());
    // 40 entries of 64 KiB: 2.5 MiB, well past one page's budget.
    let n = 40u64;
    append_large(&app, &log, n as usize, 64 * 1024);
    let stored = {
        let mut conn = app.db.get().unwrap();
        audit::entries(&mut conn, &log, 0, n).unwrap()
    };

    let mut url = app.url(&format!(
        "/api/v1/elections/big/log/entries?start=0&end={n}"
    ));
    let mut lines: Vec<String> = Vec::new();
    let mut pages = 0;
    loop {
        let res = Client::new().get(&url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let link = res
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.text().await.unwrap();
        assert!(
            body.len() <= MAX_PAGE_BYTES,
            "a page of {} bytes",
            body.len()
        );
        let got: Vec<String> = body.lines().map(str::to_string).collect();
        assert!(!got.is_empty(), "a page always makes progress");
        lines.extend(got);
        pages += 1;
        let Some(link) = link else { break };
        // The link continues exactly where this page stopped.
        let next = format!("start={}&end={n}", lines.len());
        assert!(link.contains(&next), "{link} should continue at {next}");
        assert!(link.ends_with("rel=\"next\""), "{link}");
        let target = link.trim_start_matches('<').split('>').next().unwrap();
        url = app.url(target);
    }
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(lines, stored, "the pages together are the log, in order");

    // A small range is one page without a link, as before.
    let res = Client::new()
        .get(app.url("/api/v1/elections/big/log/entries?start=3&end=5"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("link").is_none());
    assert_eq!(res.text().await.unwrap().lines().count(), 2);

    // An empty range, and a range past the log's end, are plain pages
    // without a link (the end of the log is where reading stops).
    for (range, lines) in [("start=5&end=3", 0), ("start=39&end=99999999", 1)] {
        let res = Client::new()
            .get(app.url(&format!("/api/v1/elections/big/log/entries?{range}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{range}");
        assert!(res.headers().get("link").is_none(), "{range}");
        assert_eq!(res.text().await.unwrap().lines().count(), lines, "{range}");
    }
}

/// The signed-in session as raw header values, for a hand-made request.
async fn raw_session(app: &TestApp, email: &str) -> (String, String) {
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie_of = |res: &reqwest::Response| {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .find(|c| c.starts_with("ratify_session="))
    };
    let form = client.get(app.url("/login")).send().await.unwrap();
    let cookie = cookie_of(&form).expect("a session cookie");
    let token = csrf_in(&form.text().await.unwrap()).unwrap();
    let signed = client
        .post(app.url(&format!("/login?csrf={token}")))
        .header("Cookie", &cookie)
        .form(&[("email", email), ("password", PASSWORD), ("totp", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let cookie = cookie_of(&signed).expect("a signed-in cookie");
    let session: serde_json::Value = client
        .get(app.url("/api/v1/session"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (cookie, session["csrf"].as_str().unwrap().to_string())
}

#[actix_web::test]
async fn a_body_that_does_not_arrive_in_time_gets_408_and_the_connection_closes() {
    let app = TestApp::spawn_configured(|s| s.server.body_timeout_secs = 1).await;
    app.create_account("admin@example.org", Role::Admin);
    let (cookie, csrf) = raw_session(&app, "admin@example.org").await;
    // The head and part of the body, then nothing more.
    let request = format!(
        "POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
         X-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\n\
         Content-Length: 200\r\n\r\n{{\"email\": \"slow@example.org\", "
    );
    let address = app.address.clone();
    let started = Instant::now();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        raw_exchange(&address, request.as_bytes(), Duration::from_secs(20))
    })
    .await
    .unwrap();
    let took = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("server.body_timeout_secs"), "{answer}");
    // Cut off at the deadline (1 s), not left open until the client gives
    // up (20 s): read_to_end returned because the server closed.
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert!(took >= Duration::from_millis(900), "took {took:?}");
    // Nothing was created.
    let mut conn = app.db.get().unwrap();
    let accounts = ratify::account::list_accounts(&mut conn).unwrap();
    assert_eq!(accounts.len(), 1);
}

#[actix_web::test]
async fn a_request_head_that_does_not_arrive_in_time_gets_408() {
    let app = TestApp::spawn_configured(|s| s.server.client_request_timeout_secs = 1).await;
    let address = app.address.clone();
    let started = Instant::now();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        raw_exchange(
            &address,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n",
            Duration::from_secs(20),
        )
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

/// Not a check but a measurement (docs/performance.md): the peak memory of
/// `ratify serve` while 16 clients each read 10,000 entries of 10 KiB at
/// once. Run with
/// `cargo test --test api measure_log_page_memory -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_log_page_memory() {
    use std::process::{Command, Stdio};

    let tmp = tempfile::tempdir().unwrap();
    let (mut settings, _database) = test_settings(tmp.path());
    settings.database.url = format!("sqlite://{}", tmp.path().join("m.db").display());
    let db = ratify::db::Db::connect(&settings.database).unwrap();
    db.migrate().unwrap();
    let log = LogName::Election("big".into());
    let mut conn = db.get().unwrap();
    for batch in 0..20 {
        write_transaction(&mut conn, |conn| {
            for i in 0..500 {
                audit::append(
                    conn,
                    &log,
                    Utc::now(),
                    "test.event",
                    Some("tester@example.org"),
                    audit::data(json!({ "i": batch * 500 + i, "padding": "p".repeat(10 * 1024) })),
                )?;
            }
            Ok::<_, ratify::error::Error>(())
        })
        .unwrap();
    }
    drop(conn);
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml", "serve"])
        .env("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("RATIFY__SERVER__WORKERS", "2")
        .env("RATIFY__DATABASE__URL", &settings.database.url)
        .env("RATIFY__DATABASE__POOL_SIZE", "16")
        .env("RATIFY__KEYS__DIR", path_str(&tmp.path().join("keys")))
        .env(
            "RATIFY__MAIL__OUTBOX_DIR",
            path_str(&tmp.path().join("outbox")),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let get = |path: &str| {
        raw_exchange(
            &base,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            Duration::from_secs(120),
        )
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !get("/healthz").starts_with("HTTP/1.1 200") {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = |key: &str| {
        std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .unwrap()
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    let before = status("VmHWM");
    let started = Instant::now();
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                let host = base.trim_start_matches("http://").to_string();
                raw_exchange(
                    &host,
                    b"GET /api/v1/elections/big/log/entries?start=0&end=10000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    Duration::from_secs(120),
                )
                .len()
            })
        })
        .collect();
    let sizes: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    println!(
        "16 parallel reads of entries 0..10000 (10 KiB each): answers of {:?} bytes in {:?}; peak RSS before {before}, after {}",
        sizes.iter().max(),
        started.elapsed(),
        status("VmHWM")
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
