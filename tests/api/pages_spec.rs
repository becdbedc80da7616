//! Issue 11: a draft's spec can be corrected from the pages — the whole
//! spec replaced, logged with the new spec (S10) — while nothing depends
//! on it yet; afterwards extensions are measured from the corrected close.

use chrono::Duration;
use ratify::account::Role;
use ratify::clock::Clock;
use reqwest::multipart::Form;

use crate::helpers::*;

async fn post_spec(app: &TestApp, who: &Signed, toml: String) -> (u16, String) {
    let res = who
        .client
        .post(app.url(&format!("/committee/elections/{SLUG}/spec")))
        .multipart(
            Form::new()
                .text("csrf", who.csrf.clone())
                .text("spec", toml),
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

fn stored_closes_at(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    let mut conn = app.db.get().unwrap();
    ratify::election::load_election(&mut conn, SLUG)
        .unwrap()
        .spec
        .closes_at()
}

fn log_kinds(app: &TestApp) -> Vec<String> {
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(SLUG.to_string());
    ratify::audit::entries(&mut conn, &log, 0, 100)
        .unwrap()
        .iter()
        .map(|body| serde_json::from_str::<serde_json::Value>(body).unwrap()["kind"].to_string())
        .collect()
}

#[actix_web::test]
async fn the_committee_corrects_a_drafts_spec_from_the_page() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");
    let page = chair.client.get(app.url(&base)).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("href=\"{base}/spec\"")), "{html}");
    let form = chair
        .client
        .get(app.url(&format!("{base}/spec")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    assert!(form
        .text()
        .await
        .unwrap()
        .contains("<h1>Correct the spec</h1>"));

    let corrected = SpecFixture::from_now(Duration::days(3), Duration::days(20));
    let (status, to) = post_spec(&app, &chair, corrected.toml()).await;
    assert_eq!(status, 303, "{to}");
    assert_eq!(to, format!("{base}?done=spec-replaced"));
    let expected = ratify::election::parse_spec(&corrected.toml())
        .unwrap()
        .closes_at();
    assert_eq!(stored_closes_at(&app), expected);
    assert_eq!(
        log_kinds(&app),
        ["\"election.created\"", "\"election.spec_replaced\""]
    );
    let page = chair.client.get(app.url(&to)).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("The spec was replaced"));

    // Only those who run elections may.
    for role in [Role::Auditor, Role::Trustee] {
        let who = app.sign_in_as(role).await;
        let (status, _) = post_spec(&app, &who, corrected.toml()).await;
        assert_eq!(status, 403, "{role:?}");
        let html = who
            .client
            .get(app.url(&base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains(&format!("{base}/spec")), "{role:?}: {html}");
    }
}

#[actix_web::test]
async fn a_correction_that_would_break_something_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 14);
    let chair = app.sign_in_as(Role::Committee).await;
    let before = stored_closes_at(&app);

    // Another slug: the addresses and the audit log are named by it.
    let other = SpecFixture::from_now(Duration::days(2), Duration::days(5)).slug("other-vote");
    let (status, html) = post_spec(&app, &chair, other.toml()).await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("field <code>slug</code>"), "{html}");
    assert!(html.contains("Nothing was changed"), "{html}");

    // A unit the roll uses, dropped.
    let dropped = SpecFixture::from_now(Duration::days(2), Duration::days(5))
        .toml()
        .replace("[[units]]\ncode = \"XH\"\nname = \"Extra Help\"\n", "");
    let (status, html) = post_spec(&app, &chair, dropped).await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("unit XH"), "{html}");

    // Once the trustees have started, their ceremony is for this spec.
    app.key_ceremony(SLUG);
    let later = SpecFixture::from_now(Duration::days(2), Duration::days(5));
    let (status, html) = post_spec(&app, &chair, later.toml()).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("key ceremony"), "{html}");
    let page = chair
        .client
        .get(app.url(&format!("/committee/elections/{SLUG}")))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(!html.contains("/spec\""), "still offered:\n{html}");

    app.publish_key(SLUG);
    let (status, _) = post_spec(&app, &chair, later.toml()).await;
    assert_eq!(status, 409);
    assert_eq!(stored_closes_at(&app), before);
    assert!(!log_kinds(&app).contains(&"\"election.spec_replaced\"".to_string()));
}

#[actix_web::test]
async fn extensions_are_measured_from_the_corrected_close() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 14);
    let chair = app.sign_in_as(Role::Committee).await;
    let corrected = SpecFixture::from_now(Duration::days(2), Duration::days(30));
    assert_eq!(post_spec(&app, &chair, corrected.toml()).await.0, 303);
    app.key_ceremony(SLUG);
    app.publish_key(SLUG);

    let close = stored_closes_at(&app);
    let limits = app.settings.election.limits();
    let max = Duration::days(i64::from(app.settings.election.max_extension_days));
    let extend = |to| {
        let mut conn = app.db.get().unwrap();
        ratify::election::extend_window(
            &mut conn,
            SLUG,
            to,
            "storm",
            &limits,
            SETUP,
            app.clock.now(),
        )
    };
    // Beyond the corrected close's bound: refused.
    assert!(extend(close + max + Duration::days(1)).is_err());
    // Within it — though beyond the bound of the close first created: allowed.
    extend(close + max - Duration::days(1)).expect("measured from the corrected close");
}

#[actix_web::test]
async fn a_draft_is_deleted_after_a_confirmation_and_its_slug_stays_taken() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 14);
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");
    let html = chair
        .client
        .get(app.url(&base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"{base}/delete\"")), "{html}");

    // Asking says what will happen and changes nothing.
    let res = chair
        .client
        .get(app.url(&format!("{base}/delete")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    for says in [
        "Delete this draft?",
        "removes its spec, its roll",
        "cannot be undone",
    ] {
        assert!(html.contains(says), "{says:?} missing:\n{html}");
    }
    assert_eq!(
        chair
            .client
            .get(app.url(&base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Others may not.
    let auditor = app.sign_in_as(Role::Auditor).await;
    let res = auditor
        .client
        .post(app.url(&format!("{base}/delete")))
        .form(&[("csrf", auditor.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let res = chair
        .client
        .post(app.url(&format!("{base}/delete")))
        .form(&[("csrf", chair.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/committee?done=deleted");
    assert_eq!(
        chair
            .client
            .get(app.url(&base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    {
        let mut conn = app.db.get().unwrap();
        assert!(ratify::election::list_elections(&mut conn)
            .unwrap()
            .is_empty());
    }
    // The log is kept, and says so.
    assert_eq!(
        log_kinds(&app),
        [
            "\"election.created\"",
            "\"roll.imported\"",
            "\"election.deleted\""
        ]
    );
    // The slug names that log for good.
    let mut conn = app.db.get().unwrap();
    let spec = ratify::election::parse_spec(&SpecFixture::kern().toml()).unwrap();
    let again = ratify::election::create_election(&mut conn, &spec, SETUP, app.clock.now());
    let e = again.expect_err("a deleted draft's slug is not reused");
    assert!(e.to_string().contains("deleted draft"), "{e}");
}

#[actix_web::test]
async fn only_a_draft_can_be_deleted() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 14);
    app.key_ceremony(SLUG);
    app.publish_key(SLUG);
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");
    let html = chair
        .client
        .get(app.url(&base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("{base}/delete")), "{html}");
    let res = chair
        .client
        .post(app.url(&format!("{base}/delete")))
        .form(&[("csrf", chair.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(
        chair
            .client
            .get(app.url(&base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
