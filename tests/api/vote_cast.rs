//! Casting through the member's pages (issue 13): real HTTP against the
//! real app, on SQLite or PostgreSQL (RATIFY_TEST_DATABASE_URL).

use chrono::Duration;
use ratify_testkit::roll;
use serde_json::Value;

use crate::helpers::*;
use crate::vote_support::*;

fn log_entries(app: &TestApp, slug: &str) -> Vec<Value> {
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(slug.to_string());
    ratify::audit::entries(&mut conn, &log, 0, 100_000)
        .unwrap()
        .into_iter()
        .map(|e| serde_json::from_str(&e).unwrap())
        .collect()
}

#[actix_web::test]
async fn a_member_votes_through_the_pages_and_gets_a_receipt() {
    let app = TestApp::spawn().await;
    let members = roll::spread(3);
    let links = open_election(&app, "vote-one", &members);
    let (member, token) = &links[1];
    let link = app.url(&format!("/vote/{}", token.expose()));

    // GET and HEAD change nothing (S5): mail scanners open every link.
    let page = voter_client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    // S18: the link's token is in the address, so the page must not be
    // cached or leak it as a referrer, and runs no script.
    let header = |name: &str| page.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert!(header("content-security-policy").contains("default-src 'none'"));
    assert_eq!(header("x-frame-options"), "DENY");
    let html = page.text().await.unwrap();
    assert!(html.contains("<legend>Do you accept the County"), "{html}");
    assert!(html.contains(r#"name="answer-strike""#));
    assert!(!html.contains("<script"));
    let head = voter_client().head(&link).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(counts(&app), (0, 0, 0));

    // The review shows the choices back.
    let review = voter_client()
        .post(format!("{link}/review"))
        .form(&answers("no", "yes"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(review.contains("Check your choices"), "{review}");
    assert!(review.contains(r#"<input type="hidden" name="answer-lbfo" value="no">"#));
    assert_eq!(counts(&app), (0, 0, 0), "reviewing casts nothing");

    let (status, location) = cast(&app, token, "no", "yes").await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/elections/vote-one/ballots/"),
        "{location}"
    );
    assert_eq!(counts(&app), (1, 1, 1));

    // The receipt: the tracker, nothing about the choices.
    let receipt = voter_client().get(app.url(&location)).send().await.unwrap();
    assert_eq!(receipt.status(), 200);
    let receipt = receipt.text().await.unwrap();
    let tracker = location
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap();
    assert!(receipt.contains("Your ballot was recorded"), "{receipt}");
    assert!(receipt.contains(tracker));
    assert!(!receipt.contains("Yes") && !receipt.contains(">No<"));

    // The log names the tracker and unit, never the member (S7).
    let entries = log_entries(&app, "vote-one");
    let cast = entries.iter().find(|e| e["kind"] == "ballot.cast").unwrap();
    assert!(cast["actor"].is_null());
    assert_eq!(cast["data"]["tracker"], tracker);
    assert_eq!(cast["data"]["unit"], member.unit.as_str());
    let text = cast.to_string();
    assert!(!text.contains(&member.number) && !text.contains(&member.email));
    // The stored line is what ballot_hash covers (docs/audit-format.md).
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, "vote-one").unwrap();
    let rows = ratify::db::ballots::all(&mut conn, e.id).unwrap();
    assert_eq!(rows.len(), 1);
    let digest = ring::digest::digest(&ring::digest::SHA256, rows[0].body.as_bytes());
    assert_eq!(cast["data"]["ballot_hash"], hex::encode(digest));
    let line: Value = serde_json::from_str(&rows[0].body).unwrap();
    assert_eq!(line["tracker"], tracker);
    assert!(!rows[0].body.contains(&member.number) && !rows[0].body.contains(&member.email));
}

#[actix_web::test]
async fn a_link_casts_one_ballot_and_then_says_it_was_used() {
    let app = TestApp::spawn().await;
    let links = open_election(&app, "vote-twice", &roll::spread(2));
    let (_, token) = &links[0];
    assert_eq!(cast(&app, token, "yes", "no").await.0, 303);
    let again = voter_client()
        .post(app.url(&format!("/vote/{}", token.expose())))
        .form(&answers("no", "no"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("already been used"));
    let page = voter_client()
        .get(app.url(&format!("/vote/{}", token.expose())))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 409);
    assert_eq!(counts(&app), (1, 1, 1));
}

/// S2 under concurrency: 50 simultaneous casts with one link record
/// exactly one ballot; the others get the "already used" page.
#[actix_web::test]
async fn fifty_simultaneous_casts_with_one_link_record_one_ballot() {
    let app = TestApp::spawn().await;
    let links = open_election(&app, "vote-race", &roll::spread(2));
    let link = app.url(&format!("/vote/{}", links[0].1.expose()));
    let casts: Vec<_> = (0..50)
        .map(|_| {
            let link = link.clone();
            actix_web::rt::spawn(async move {
                voter_client()
                    .post(&link)
                    .form(&answers("yes", "yes"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for c in casts {
        statuses.push(c.await.unwrap());
    }
    let cast = statuses.iter().filter(|s| **s == 303).count();
    let used = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((cast, used), (1, 49), "{statuses:?}");
    assert_eq!(counts(&app), (1, 1, 1));
}

#[actix_web::test]
async fn casts_before_and_after_the_window_are_refused_and_store_nothing() {
    let app = TestApp::spawn().await;
    let links = open_election(&app, "vote-window", &roll::spread(2));
    let token = &links[0].1;
    let link = app.url(&format!("/vote/{}", token.expose()));

    app.clock.set(during_the_vote() - Duration::days(10));
    let early = voter_client().get(&link).send().await.unwrap();
    assert_eq!(early.status(), 403);
    let early = early.text().await.unwrap();
    assert!(early.contains("Voting has not started yet"), "{early}");
    assert!(early.contains("2099"), "the opening time is shown: {early}");
    let post = voter_client()
        .post(&link)
        .form(&answers("yes", "yes"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);

    app.clock.set(during_the_vote() + Duration::days(10));
    let late = voter_client()
        .post(&link)
        .form(&answers("yes", "yes"))
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 403);
    assert!(late.text().await.unwrap().contains("Voting has closed"));
    assert_eq!(counts(&app), (0, 0, 0));
}

/// S16: an unknown link and a malformed one get the same page.
#[actix_web::test]
async fn unknown_and_malformed_links_get_one_page() {
    let app = TestApp::spawn().await;
    open_election(&app, "vote-unknown", &roll::spread(1));
    let unknown = "abcdefghijklmnopqrstuvwxyz234567";
    let mut bodies = Vec::new();
    for path in [unknown, "not-a-token", "%F0%9F%97%B3"] {
        let res = voter_client()
            .get(app.url(&format!("/vote/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        bodies.push(res.text().await.unwrap());
    }
    assert!(bodies[0].contains("This ballot link does not work"));
    assert!(bodies.iter().all(|b| *b == bodies[0]));
}

#[actix_web::test]
async fn a_broken_answer_comes_back_with_the_error_beside_its_question() {
    let app = TestApp::spawn().await;
    // Member 1 of spread() reads English.
    let links = open_election(&app, "vote-errors", &roll::spread(2));
    let link = app.url(&format!("/vote/{}", links[1].1.expose()));
    // Nothing chosen for the strike question, which allows no blank.
    let res = voter_client()
        .post(format!("{link}/review"))
        .form(&[("answer-lbfo", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="answer-strike-error""#), "{html}");
    assert!(!html.contains(r#"id="answer-lbfo-error""#));
    assert!(
        html.contains(r#"value="yes" checked"#),
        "the first answer is kept"
    );
    // Two answers for one question, straight to the cast.
    let res = voter_client()
        .post(&link)
        .form(&[
            ("answer-lbfo", "yes"),
            ("answer-lbfo", "no"),
            ("answer-strike", "no"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("Choose exactly one"), "{html}");
    assert_eq!(counts(&app), (0, 0, 0));
}

#[actix_web::test]
async fn a_spanish_reader_gets_the_ballot_in_spanish_and_can_switch() {
    let app = TestApp::spawn().await;
    let members = roll::spread(2);
    let links = open_election(&app, "vote-es", &members);
    // spread(): member 0 reads Spanish, member 1 English.
    assert_eq!(links[0].0.language, "es");
    let link = app.url(&format!("/vote/{}", links[0].1.expose()));
    let html = voter_client()
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<html lang="es">"#), "{html}");
    assert!(html.contains("¿Acepta usted"));
    assert!(html.contains("Revisar mis opciones"));
    let english = voter_client()
        .get(format!("{link}?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Review my choices"));
}

#[actix_web::test]
async fn a_reissued_link_replaces_the_old_one() {
    let app = TestApp::spawn().await;
    let members = roll::spread(2);
    let links = open_election(&app, "vote-reissue", &members);
    let fresh = issue_links(&app, "vote-reissue", &members[..1]);
    let old = voter_client()
        .get(app.url(&format!("/vote/{}", links[0].1.expose())))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 409);
    assert!(old.text().await.unwrap().contains("newer ballot link"));
    assert_eq!(cast(&app, &fresh[0].1, "yes", "no").await.0, 303);
}

/// A roll of hundreds votes; every ballot lands in its member's unit.
#[actix_web::test]
async fn a_roll_of_hundreds_votes_and_every_unit_counts_its_ballots() {
    let app = TestApp::spawn().await;
    let members = roll::spread(210);
    let links = open_election(&app, "vote-many", &members);
    let address = app.address.clone();
    for chunk in links.chunks(30) {
        let casts: Vec<_> = chunk
            .iter()
            .map(|(_, token)| {
                let (address, token) = (address.clone(), token.clone());
                actix_web::rt::spawn(async move { cast_at(&address, &token, "yes", "no").await })
            })
            .collect();
        for c in casts {
            let (status, _) = c.await.unwrap();
            assert_eq!(status, 303);
        }
    }
    assert_eq!(counts(&app), (210, 210, 210));
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, "vote-many").unwrap();
    let per_unit: std::collections::BTreeMap<String, u64> =
        ratify::db::ballots::count_by_unit(&mut conn, e.id)
            .unwrap()
            .into_iter()
            .map(|(u, n)| (u, n as u64))
            .collect();
    assert_eq!(per_unit, roll::per_unit(&members));
}

/// The log of an election with printed links, reissues and casts still
/// verifies end to end: every entry the vote writes is a documented kind
/// with its documented fields (check 3 of `ratify audit verify`).
#[actix_web::test]
async fn the_record_of_a_vote_in_progress_verifies() {
    let app = TestApp::spawn().await;
    let members = roll::spread(4);
    let links = open_election(&app, ratify_testkit::SLUG, &members);
    issue_links(&app, ratify_testkit::SLUG, &members[..1]);
    for (_, token) in &links[1..] {
        assert_eq!(cast(&app, token, "no", "yes").await.0, 303);
    }
    let dir = crate::verify_support::export_to(&app, "vote-record");
    let verified = crate::verify_support::verify(&dir);
    assert!(verified.is_ok(), "{:?}", verified.err());
    let kinds: Vec<String> = log_entries(&app, ratify_testkit::SLUG)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "ballot.cast").count(), 3);
    assert!(kinds.iter().any(|k| k == "credential.issued"));
}

/// S17: one client gets a bounded number of ballot-link requests a minute
/// (429 after), and another client behind the same proxy is not affected.
#[actix_web::test]
async fn ballot_links_are_rate_limited_per_client() {
    let app = TestApp::spawn_configured(|s| {
        s.server.vote_requests_per_minute = 5;
        s.server.trusted_proxies = vec!["127.0.0.1".to_string().try_into().unwrap()];
    })
    .await;
    let links = open_election(&app, "vote-limit", &roll::spread(2));
    let link = app.url(&format!("/vote/{}", links[1].1.expose()));
    let get = |client: &'static str| {
        voter_client()
            .get(&link)
            .header("X-Forwarded-For", client)
            .send()
    };
    for _ in 0..5 {
        assert_eq!(get("198.51.100.7").await.unwrap().status(), 200);
    }
    let refused = get("198.51.100.7").await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(get("203.0.113.9").await.unwrap().status(), 200);
    assert_eq!(counts(&app), (0, 0, 0));
}
