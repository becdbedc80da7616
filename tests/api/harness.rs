//! Issue 9, the ground tests stand on: each test's PostgreSQL database is
//! dropped with its app, and browser tests skip (or, in CI, fail) without a
//! browser.

use std::path::Path;
use std::process::Command;

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
            assert!(why.contains("chromedriver not found at /nonexistent/chromium"), "{why}")
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
