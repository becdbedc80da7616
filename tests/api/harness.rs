//! Issue 9, the ground tests stand on: each test's PostgreSQL database is
//! dropped with its app, browser tests skip (or, in CI, fail) without a
//! browser, and the README's first steps with the examples/ files work
//! through the real command line.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use ratify::account::Role;

use crate::helpers::*;

#[actix_web::test]
async fn each_tests_database_goes_when_the_test_ends() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let sqlite_file = app.tmp.path().join("ratify.db");
    let pg_name = app.database.pg_name();
    match &pg_name {
        Some(name) => assert!(pg_database_exists(name)),
        None => assert!(sqlite_file.exists()),
    }
    drop(app);
    match &pg_name {
        Some(name) => assert!(!pg_database_exists(name), "{name} was left behind"),
        None => assert!(!sqlite_file.exists()),
    }
}

#[test]
fn a_missing_browser_is_skipped_unless_required() {
    let here = std::env::current_exe().unwrap();
    let nowhere = Path::new("/nonexistent/chromium");
    assert_eq!(browser_plan(&here, &here, true), BrowserPlan::Run);
    assert_eq!(browser_plan(&here, nowhere, false), BrowserPlan::Skip);
    match browser_plan(nowhere, &here, true) {
        BrowserPlan::Fail(why) => {
            assert!(
                why.contains("chromedriver not found at /nonexistent/chromium"),
                "{why}"
            )
        }
        other => panic!("{other:?}"),
    }
}

/// Runs one test of this very binary as a fresh machine would, with the
/// browser pointed somewhere it is not.
fn browser_test_without_chromium(require: bool) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "committee_pages::chromium_signs_in_and_uploads_a_roll_through_the_real_forms",
        "--exact",
        "--nocapture",
    ])
    .env("RATIFY_CHROMIUM", "/nonexistent/chromium")
    .env_remove(REQUIRE_BROWSER);
    if require {
        cmd.env(REQUIRE_BROWSER, "1");
    }
    let out = cmd.output().unwrap();
    let text = format!("{}{}", stdout(&out), stderr(&out));
    (out.status.success(), text)
}

#[test]
fn browser_tests_skip_without_chromium_and_fail_when_ci_requires_it() {
    let (passed, text) = browser_test_without_chromium(false);
    assert!(passed, "{text}");
    assert!(text.contains(SKIPPED), "{text}");
    assert!(text.contains("1 passed"), "the test did not run:\n{text}");

    let (passed, text) = browser_test_without_chromium(true);
    assert!(!passed, "{text}");
    assert!(
        text.contains("Chromium not found at /nonexistent/chromium"),
        "{text}"
    );
    assert!(!text.contains(SKIPPED), "{text}");
}

#[test]
fn the_examples_are_a_valid_spec_and_roll() {
    let spec_text = std::fs::read_to_string(workspace().join("examples/election.toml")).unwrap();
    let spec = ratify::election::parse_spec(&spec_text).expect("examples/election.toml");
    let csv = std::fs::read(workspace().join("examples/roll.csv")).unwrap();
    let roll = ratify::roll::parse_roll(&csv[..], &spec.unit_codes()).expect("examples/roll.csv");
    assert_eq!(roll.rows().len(), 14);
    // Every unit has members, and both languages are there.
    for unit in spec.unit_codes() {
        assert!(roll.rows().iter().any(|r| r.unit == unit), "{unit:?}");
    }
    let spanish = roll
        .rows()
        .iter()
        .filter(|r| r.language == ratify::election::Language::Es);
    assert!(spanish.count() > 0);
}

/// `ratify …` against this app's database and keys, with `stdin` piped in.
fn cli(app: &TestApp, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml"])
        .args(args)
        .env_remove("RUST_LOG")
        .env("RATIFY__DATABASE__URL", &app.settings.database.url)
        .env("RATIFY__KEYS__DIR", path_str(&app.tmp.path().join("keys")))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "ratify {args:?}: {}", stderr(&out));
    out
}

/// README.md "First steps", command for command.
#[actix_web::test]
async fn the_readme_first_steps_work() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let first_two: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("cargo "))
        .take(2)
        .collect();
    assert!(
        first_two[0].starts_with("cargo run --release -- serve"),
        "{first_two:?}"
    );
    assert!(first_two[1].starts_with("cargo test"), "{first_two:?}");
    for step in [
        "account create --email you@example.org --name \"Your Name\" --role admin --password-stdin",
        "election create examples/election.toml",
        "roll import riverside-ta-2027 examples/roll.csv",
        "http://127.0.0.1:8080/login",
    ] {
        assert!(readme.contains(step), "README lost the step {step:?}");
    }

    let app = TestApp::spawn().await;
    let email = "you@example.org";
    cli(
        &app,
        &[
            "account",
            "create",
            "--email",
            email,
            "--name",
            "Your Name",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    let spec = path_str(&workspace().join("examples/election.toml"));
    let slug = stdout(&cli(&app, &["election", "create", &spec], ""));
    assert_eq!(slug.trim(), "riverside-ta-2027");
    let roll = path_str(&workspace().join("examples/roll.csv"));
    cli(&app, &["roll", "import", "riverside-ta-2027", &roll], "");

    let (client, _) = app.signed_in(email).await;
    let html = client
        .get(app.url("/committee/elections/riverside-ta-2027"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Riverside Library Workers"), "{html}");
    assert!(html.contains("14"), "{html}");
    // The story helpers reach the same state in one line each.
    let admin = app.sign_in_as(Role::Admin).await;
    assert_eq!(admin.email, "admin@example.org");
}
