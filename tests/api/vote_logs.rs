//! S4 on the cast path: members vote through the real `ratify serve` with
//! the log at TRACE, and no token appears anywhere in what it logged —
//! ballot pages, reviews, casts, refusals and receipts included.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use ratify_testkit::{roll, SpecFixture};

use crate::helpers::*;
use crate::vote_support::*;

#[actix_web::test]
async fn votes_at_trace_leave_no_token_in_the_log() {
    let app = TestApp::spawn().await;
    // A window open by the real clock: `ratify serve` reads the system's.
    let slug = app
        .create_election(&SpecFixture::from_now(Span::hours(-1), Span::days(2)).slug("vote-trace"));
    let members = roll::spread(6);
    app.import_roll(&slug, &members);
    app.key_ceremony(&slug);
    app.publish_key(&slug);
    let links = issue_links(&app, &slug, &members);

    let port = free_port();
    let env = [
        ("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}")),
        ("RATIFY__DATABASE__URL", app.settings.database.url.clone()),
        ("RATIFY__KEYS__DIR", path_str(&app.settings.keys.dir)),
        (
            "RATIFY__MAIL__OUTBOX_DIR",
            path_str(&app.tmp.path().join("outbox")),
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
    // Drained as it is written: at TRACE the log outgrows a pipe's buffer,
    // and a server blocked on writing its log would answer nothing.
    let mut stderr = child.stderr.take().unwrap();
    let drained = std::thread::spawn(move || {
        let mut logs = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut logs).unwrap();
        logs
    });
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < deadline, "ratify serve did not come up");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }

    for (_, token) in &links[..4] {
        let (status, location) = cast_at(&base, token, "yes", "no").await;
        assert_eq!(status, 303);
        let receipt = voter_client()
            .get(format!("{base}{location}"))
            .send()
            .await
            .unwrap();
        assert_eq!(receipt.status(), 200);
    }
    // A used link, a broken answer and a link with a trailing character.
    let used = voter_client()
        .get(format!("{base}/vote/{}", links[0].1.expose()))
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 409);
    let broken = voter_client()
        .post(format!("{base}/vote/{}/review", links[4].1.expose()))
        .form(&[("answer-lbfo", "perhaps")])
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let mangled = voter_client()
        .get(format!("{base}/vote/{}x", links[5].1.expose()))
        .send()
        .await
        .unwrap();
    assert_eq!(mangled.status(), 404);

    stop_serve(&mut child);
    let logs = drained.join().unwrap();
    // The log really is at TRACE and saw the vote routes (the test can fail).
    assert!(logs.contains("TRACE"), "not at trace");
    assert!(logs.contains("route=/vote/{token}"), "{logs}");
    for (_, token) in &links {
        let t = token.expose();
        assert!(!logs.contains(t), "a token reached the log:\n{logs}");
        assert!(!logs.to_lowercase().contains(&t.to_lowercase()));
    }
}

/// S19: a ballot whose receipt was shown survives `kill -9` of the server
/// right after. The receipt (the 303 to it) is only sent once the cast's
/// transaction committed.
#[actix_web::test]
async fn a_ballot_whose_receipt_was_shown_survives_kill_9() {
    let app = TestApp::spawn().await;
    let slug = app
        .create_election(&SpecFixture::from_now(Span::hours(-1), Span::days(2)).slug("vote-kill"));
    let members = roll::spread(3);
    app.import_roll(&slug, &members);
    app.key_ceremony(&slug);
    app.publish_key(&slug);
    let links = issue_links(&app, &slug, &members);
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml", "serve"])
        .env("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("RATIFY__DATABASE__URL", &app.settings.database.url)
        .env("RATIFY__KEYS__DIR", path_str(&app.settings.keys.dir))
        .env(
            "RATIFY__MAIL__OUTBOX_DIR",
            path_str(&app.tmp.path().join("outbox")),
        )
        .env("RATIFY__LOG__LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < deadline, "ratify serve did not come up");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, location) = cast_at(&base, &links[0].1, "yes", "yes").await;
    assert_eq!(status, 303, "the receipt");
    // SIGKILL at once: no shutdown, no flush beyond what the commit did.
    child.kill().unwrap();
    child.wait().unwrap();

    let tracker = location
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, &slug).unwrap();
    assert!(ratify::db::ballots::has_tracker(&mut conn, e.id, tracker).unwrap());
    drop(conn);
    assert_eq!(counts(&app), (1, 1, 1));
}
