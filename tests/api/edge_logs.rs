//! S4 at the edge: a path or query value that fails to parse never reaches
//! the log, at any level, on any route — actix's own extractors included
//! (they log the raw request path at DEBUG when they fail).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::edge_http::raw_exchange;
use crate::helpers::*;

const SECRET: &str = "Tk9SeCrEtBaLlOtToKeN0000000000000000";

#[test]
fn a_secret_in_a_path_that_fails_to_parse_never_reaches_the_log_even_at_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(tmp.path());
    let url = database.url.clone();
    let port = free_port();
    let env = [
        ("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}")),
        ("RATIFY__DATABASE__URL", url),
        ("RATIFY__KEYS__DIR", path_str(&tmp.path().join("keys"))),
        (
            "RATIFY__MAIL__OUTBOX_DIR",
            path_str(&tmp.path().join("outbox")),
        ),
        // Everything, and actix's extractors named outright: the operator's
        // filter cannot turn the raw path back on.
        (
            "RATIFY__LOG__LEVEL",
            "trace,actix_web::types::path=trace,actix_web::types::query=trace".to_string(),
        ),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml", "serve"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let get = |path: &str| {
        raw_exchange(
            &base,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            Duration::from_secs(10),
        )
    };
    while !get("/healthz").starts_with("HTTP/1.1 200") {
        assert!(Instant::now() < deadline, "ratify serve did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let post = |path: &str| {
        raw_exchange(
            &base,
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
            Duration::from_secs(10),
        )
    };
    // A page route still on actix's `web::Path<(i64, String)>`: its id
    // fails to parse (this logged the raw path at DEBUG, and the span's
    // error echoed the value at INFO).
    let answer = post(&format!("/committee/accounts/{SECRET}/disable"));
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    assert!(!answer.contains(SECRET), "the value is echoed: {answer}");
    // The API's own extractors, and an unmatched path.
    let answer = get(&format!(
        "/api/v1/elections/x/log/entries?start={SECRET}&end=1"
    ));
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(!answer.contains(SECRET), "the value is echoed: {answer}");
    let answer = get(&format!("/vote/{SECRET}"));
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    // A page's `web::Query` that fails.
    let answer = get(&format!("/committee/elections/x?done={SECRET}&done=again"));
    assert!(!answer.contains(SECRET), "the value is echoed: {answer}");

    let (_, logs) = stop_serve(&mut child);
    // The log really is at TRACE (so the test can fail), and names routes.
    assert!(logs.contains("TRACE"), "not at trace: {logs}");
    assert!(
        logs.contains("route=/committee/accounts/{id}/{action}"),
        "{logs}"
    );
    assert!(
        !logs.contains(SECRET),
        "the secret reached the log:\n{logs}"
    );
    assert!(!logs.contains("Request path"), "{logs}");
}
