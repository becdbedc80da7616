//! Issue 4, the committee's pages: roles at every route (S11), CSRF on
//! every form, the roll's all-or-nothing import with every problem named by
//! line and field (S16), spec errors naming the field, the state and
//! countdown moving with the clock, and the real forms in headless Chromium.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use ratify::account::Role;
use ratify::clock::Clock;
use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde_json::{json, Value};

use crate::helpers::*;

const CHAIR: &str = "chair@example.org";

fn counts(app: &TestApp) -> (u64, BTreeMap<String, u64>) {
    let mut conn = app.db.get().unwrap();
    let s = ratify::election::election_summary(&mut conn, SLUG, app.clock.now()).unwrap();
    let per_unit = s
        .units
        .iter()
        .map(|u| (u.code.clone(), u.eligible))
        .collect();
    (s.eligible, per_unit)
}

fn election_count(app: &TestApp) -> usize {
    let mut conn = app.db.get().unwrap();
    ratify::election::list_elections(&mut conn).unwrap().len()
}

async fn upload_roll(app: &TestApp, client: &Client, csrf: &str, csv: &[u8]) -> (u16, String) {
    let form = Form::new().part(
        "roll",
        Part::bytes(csv.to_vec())
            .file_name("roll.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let res = client
        .post(app.url(&format!("/committee/elections/{SLUG}/roll?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    // A successful import redirects to its result (post/redirect/get,
    // issue 11): follow it as a browser would.
    if res.status() == 303 {
        let to = res.headers()["location"].to_str().unwrap().to_string();
        let res = client.get(app.url(&to)).send().await.unwrap();
        return (res.status().as_u16(), res.text().await.unwrap());
    }
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post_spec(app: &TestApp, client: &Client, csrf: &str, spec: &str) -> (u16, String) {
    let res = client
        .post(app.url(&format!("/committee/elections/new?csrf={csrf}")))
        .multipart(Form::new().text("spec", spec.to_string()))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = res.text().await.unwrap();
    (status, location.unwrap_or(body))
}

async fn page(app: &TestApp, client: &Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Text of the element with `id` (first match), tags stripped.
fn text_of(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the page:\n{html}"));
    let rest = &html[start..];
    let open_end = rest.find('>').unwrap() + 1;
    let close = rest.find("</").unwrap();
    rest[open_end..close].to_string()
}

// ------------------------------------------------------------------ roles

/// Every page route, how to call it, and which roles belong there.
fn routes() -> Vec<(&'static str, String, &'static [Role])> {
    use Role::*;
    let all: &'static [Role] = &[Admin, Committee, Auditor, Trustee];
    let run: &'static [Role] = &[Admin, Committee];
    vec![
        ("GET", "/committee".into(), all),
        ("GET", format!("/committee/elections/{SLUG}"), all),
        (
            "GET",
            format!("/committee/elections/{SLUG}/members?q=M0000"),
            &[Admin, Committee, Auditor],
        ),
        ("GET", "/committee/elections/new".into(), run),
        ("POST", "/committee/elections/new".into(), run),
        ("GET", format!("/committee/elections/{SLUG}/roll"), run),
        ("POST", format!("/committee/elections/{SLUG}/roll"), run),
        ("POST", format!("/committee/elections/{SLUG}/extend"), run),
        (
            "POST",
            format!("/committee/elections/{SLUG}/publish-key"),
            run,
        ),
        ("GET", "/committee/accounts".into(), &[Admin]),
        ("POST", "/committee/accounts".into(), &[Admin]),
        ("POST", "/committee/accounts/999/disable".into(), &[Admin]),
    ]
}

async fn call(app: &TestApp, client: &Client, csrf: &str, method: &str, path: &str) -> u16 {
    let req = if method == "GET" {
        client.get(app.url(path))
    } else {
        let sep = if path.contains('?') { '&' } else { '?' };
        client
            .post(app.url(&format!("{path}{sep}csrf={csrf}")))
            .form(&[("x", "")])
    };
    req.send().await.unwrap().status().as_u16()
}

#[actix_web::test]
async fn every_page_sends_anonymous_visitors_to_sign_in() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    for (method, path, _) in routes() {
        let res = if method == "GET" {
            app.client.get(app.url(&path))
        } else {
            app.client.post(app.url(&path)).form(&[("x", "")])
        }
        .send()
        .await
        .unwrap();
        assert_eq!(res.status(), 303, "{method} {path}");
        assert_eq!(res.headers()["location"], "/login", "{method} {path}");
    }
    // The public page needs no sign-in.
    assert_eq!(app.get(&format!("/elections/{SLUG}")).await.status(), 200);
}

#[actix_web::test]
async fn each_role_is_refused_where_it_does_not_belong() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 20);
    let roles = [
        ("admin@example.org", Role::Admin),
        ("chair@example.org", Role::Committee),
        ("auditor@example.org", Role::Auditor),
        ("trustee@example.org", Role::Trustee),
    ];
    for (email, role) in roles {
        app.create_account(email, role);
        let (client, csrf) = app.signed_in(email).await;
        for (method, path, allowed) in routes() {
            let status = call(&app, &client, &csrf, method, &path).await;
            if allowed.contains(&role) {
                assert_ne!(status, 403, "{role:?} should reach {method} {path}");
                assert_ne!(status, 303, "{role:?} should reach {method} {path}");
            } else {
                assert_eq!(status, 403, "{role:?} must be refused {method} {path}");
            }
        }
    }
    // The refused POSTs changed nothing: one election, 20 members.
    assert_eq!(election_count(&app), 1);
    assert_eq!(counts(&app).0, 20);
}

#[actix_web::test]
async fn auditors_find_members_by_number_without_contact_details() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 30);
    app.create_account("auditor@example.org", Role::Auditor);
    let (auditor, _) = app.signed_in("auditor@example.org").await;
    let Signed { client, .. } = app.sign_in_as(Role::Committee).await;

    let path = format!("/committee/elections/{SLUG}/members?q=M00001");
    let (status, html) = page(&app, &auditor, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("M000012"), "{html}");
    assert!(
        !html.contains("@example.org"),
        "auditor saw an email:\n{html}"
    );
    assert!(
        !html.contains("Member Number"),
        "auditor saw a name:\n{html}"
    );
    assert!(html.contains("not sent"));
    // Nor who voted (S7): that is the committee's turnout view only.
    assert!(
        !html.contains(">Voted<") && !html.contains("<td>no</td>"),
        "{html}"
    );

    // Searching by email confirms nothing to an auditor.
    let path = format!("/committee/elections/{SLUG}/members?q=member12%40example.org");
    let (_, html) = page(&app, &auditor, &path).await;
    assert!(!html.contains("M000012"), "{html}");

    // The committee sees contact details and whether (not how) they voted.
    let (status, html) = page(&app, &client, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("member12@example.org"), "{html}");
    assert!(html.contains("Member Number 12"));
    assert!(html.contains("<td>no</td>"), "{html}");
}

// ------------------------------------------------------------------- CSRF

#[actix_web::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.create_account("admin@example.org", Role::Admin);
    let (client, _) = app.signed_in("admin@example.org").await;

    let spec = SpecFixture::from_now(Duration::days(1), Duration::days(3))
        .toml()
        .replace(SLUG, "other-vote");
    let res = client
        .post(app.url("/committee/elections/new"))
        .multipart(Form::new().text("spec", spec))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let form = Form::new().part(
        "roll",
        Part::bytes(roll::csv(&roll::spread(10)).into_bytes()).file_name("roll.csv"),
    );
    let res = client
        .post(app.url(&format!("/committee/elections/{SLUG}/roll")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let closes_before = {
        let mut conn = app.db.get().unwrap();
        ratify::election::load_election(&mut conn, SLUG)
            .unwrap()
            .spec
            .closes_at()
    };
    let res = client
        .post(app.url(&format!("/committee/elections/{SLUG}/extend?csrf=forged")))
        .form(&[("closes_at", "2099-01-01T17:00"), ("reason", "storm")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let res = client
        .post(app.url("/committee/accounts"))
        .form(&[
            ("email", "new@example.org"),
            ("name", "New"),
            ("role", "admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    assert_eq!(election_count(&app), 1);
    assert_eq!(counts(&app).0, 0);
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    assert_eq!(e.spec.closes_at(), closes_before);
    let accounts = ratify::account::list_accounts(&mut conn).unwrap();
    assert!(accounts.iter().all(|a| a.email != "new@example.org"));
}

// ------------------------------------------------------------------- roll

#[actix_web::test]
async fn every_bad_roll_is_reported_with_its_line_and_field_and_nothing_is_imported() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let header = "member_number,name,email,unit,language\n";
    let good = "1001,Ana Ruiz,ana@example.org,U1,es\n";
    let cases: Vec<(&str, String, u64, &str)> = vec![
        (
            "bad email",
            format!("{header}{good}1002,Bo Li,not-an-email,U2,en\n"),
            3,
            "email",
        ),
        (
            "unknown unit",
            format!("{header}{good}1002,Bo Li,bo@example.org,U9,en\n"),
            3,
            "unit",
        ),
        (
            "bad language",
            format!("{header}{good}1002,Bo Li,bo@example.org,U2,fr\n"),
            3,
            "language",
        ),
        (
            "duplicate member number",
            format!("{header}{good}1001,Bo Li,bo@example.org,U2,en\n"),
            3,
            "member_number",
        ),
        (
            "duplicate email",
            format!("{header}{good}1002,Bo Li,ANA@example.org,U2,en\n"),
            3,
            "email",
        ),
        (
            "empty field",
            format!("{header}{good}1002,,bo@example.org,U2,en\n"),
            3,
            "name",
        ),
        (
            "wrong column count",
            format!("{header}{good}1002,Bo Li,bo@example.org,U2\n"),
            3,
            "row",
        ),
        (
            "wrong header",
            format!("number,name,email,unit,language\n{good}"),
            1,
            "header",
        ),
    ];
    for (name, csv, line, field) in cases {
        let (status, html) = upload_roll(&app, &client, &csrf, csv.as_bytes()).await;
        assert_eq!(status, 400, "{name}: {html}");
        let row = format!("<tr class=\"problem\"><td>{line}</td><td><code>{field}</code></td>");
        assert!(
            html.contains(&row),
            "{name}: expected line {line}, field {field}:\n{html}"
        );
        assert!(html.contains("Nothing was imported"), "{name}");
        assert_eq!(counts(&app).0, 0, "{name}: something was imported");
    }

    // Several problems at once: every one is listed.
    let csv = format!("{header}{good}1002,Bo Li,bo@example.org,U9,fr\n1001,,x,U1,en\n");
    let (status, html) = upload_roll(&app, &client, &csrf, csv.as_bytes()).await;
    assert_eq!(status, 400);
    for (line, field) in [(3, "unit"), (3, "language"), (4, "name"), (4, "email")] {
        let row = format!("<tr class=\"problem\"><td>{line}</td><td><code>{field}</code></td>");
        assert!(html.contains(&row), "line {line} {field}:\n{html}");
    }
    assert_eq!(counts(&app).0, 0);

    // A spreadsheet's export: byte order mark and CRLF line ends.
    let csv =
        format!("\u{feff}{header}{good}1002,Bo Li,bo@example.org,U2,EN\n").replace('\n', "\r\n");
    let (status, html) = upload_roll(&app, &client, &csrf, csv.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Imported 2 members"), "{html}");
    let (total, per_unit) = counts(&app);
    assert_eq!(total, 2);
    assert_eq!(per_unit["U1"], 1);
    assert_eq!(per_unit["U2"], 1);
}

#[actix_web::test]
async fn a_roll_of_5000_members_is_imported_through_the_form() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let (status, html) = upload_roll(
        &app,
        &client,
        &csrf,
        roll::csv(&roll::spread(5000)).as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Imported 5,000 members"), "{html}");
    let expected = roll::per_unit(&roll::spread(5000));
    for (unit, n) in &expected {
        // Shown per unit on the page...
        let cell = format!("{unit} · ");
        let at = html.find(&cell).unwrap_or_else(|| panic!("no {unit}"));
        let shown = format!("<td class=\"num\">{}</td>", thousands(*n));
        assert!(html[at..].contains(&shown), "{unit} should show {n}");
    }
    // ...and stored.
    let (total, per_unit) = counts(&app);
    assert_eq!(total, 5000);
    for (unit, n) in expected {
        assert_eq!(per_unit[&unit], n, "{unit}");
    }

    // A second import replaces the first, all or nothing.
    let (status, html) = upload_roll(
        &app,
        &client,
        &csrf,
        roll::csv(&roll::spread(70)).as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("The previous roll was replaced"), "{html}");
    assert_eq!(counts(&app).0, 70);
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[actix_web::test]
async fn an_upload_over_the_size_limit_is_refused() {
    let app = TestApp::spawn_with_upload_limit(4096).await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let (status, html) = upload_roll(
        &app,
        &client,
        &csrf,
        roll::csv(&roll::spread(500)).as_bytes(),
    )
    .await;
    assert_eq!(status, 413, "{html}");
    assert!(html.contains("too large"), "{html}");
    assert_eq!(counts(&app).0, 0);
}

// ------------------------------------------------------------------- spec

#[actix_web::test]
async fn bad_specs_are_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let good = SpecFixture::from_now(Duration::days(2), Duration::days(9)).toml();
    let closes_first = SpecFixture::from_now(Duration::days(9), Duration::days(2)).toml();
    let cases = [
        (
            "a bad rule",
            good.replace(
                "rule = { at_least = \"2/3\" }",
                "rule = { at_least = \"3/2\" }",
            ),
            "questions[1].rule",
        ),
        (
            "an unknown rule",
            good.replace("rule = \"majority\"", "rule = \"most\""),
            "questions[0].rule",
        ),
        ("closes_at before opens_at", closes_first, "closes_at"),
        (
            "an unknown time zone",
            good.replace("America/Los_Angeles", "America/Bakersfield"),
            "time_zone",
        ),
    ];
    for (name, spec, field) in cases {
        let (status, html) = post_spec(&app, &client, &csrf, &spec).await;
        assert_eq!(status, 400, "{name}: {html}");
        assert!(
            html.contains(&format!("field <code>{field}</code>")),
            "{name}: the field {field} is not named:\n{html}"
        );
        assert!(html.contains("Nothing was created"), "{name}");
        // The pasted spec comes back for correction.
        assert!(html.contains("Kern County"), "{name}");
    }
    assert_eq!(election_count(&app), 0);

    // The good one is created and leads to its page.
    let (status, location) = post_spec(&app, &client, &csrf, &good).await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(
        location,
        format!("/committee/elections/{SLUG}?done=created")
    );
    let (status, html) = page(&app, &client, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Import the roll"), "{html}");
    assert_eq!(text_of(&html, "state"), "Draft");

    // The same slug again: refused, naming the slug.
    let (status, html) = post_spec(&app, &client, &csrf, &good).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("field <code>slug</code>"), "{html}");
    assert_eq!(election_count(&app), 1);

    // A line number comes with TOML errors (the slug is a valid one: a bad
    // slug would be the first refusal, on line 1).
    let (status, html) = post_spec(&app, &client, &csrf, "slug = \"kern\"\ntitle = 3\n").await;
    assert_eq!(status, 400);
    assert!(html.contains("Line 2"), "{html}");
}

#[actix_web::test]
async fn a_spec_file_can_be_uploaded_instead_of_pasted() {
    let app = TestApp::spawn().await;
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let spec = SpecFixture::from_now(Duration::days(2), Duration::days(9)).toml();
    let form = Form::new().text("spec", "").part(
        "spec_file",
        Part::bytes(spec.into_bytes()).file_name("kern.toml"),
    );
    let res = client
        .post(app.url(&format!("/committee/elections/new?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(election_count(&app), 1);
}

// ------------------------------------------------------- state and clock

#[actix_web::test]
async fn the_state_and_countdown_move_forward_with_the_clock() {
    let app = TestApp::spawn().await;
    let opens_in = Duration::days(2) + Duration::hours(3) + Duration::minutes(30);
    app.create_election(&SpecFixture::from_now(opens_in, Duration::days(9)));
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let path = format!("/committee/elections/{SLUG}");

    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Draft");
    assert!(text_of(&html, "countdown").starts_with("opens in 2 days 3 hours"));
    assert!(html.contains("Import the roll"));
    assert!(!html.contains("Publish the election key</button>"));

    let (status, _) = upload_roll(
        &app,
        &client,
        &csrf,
        roll::csv(&roll::spread(40)).as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, html) = page(&app, &client, &path).await;
    assert!(html.contains("register keys (0 of 3)"), "{html}");

    app.key_ceremony(SLUG);
    let (_, html) = page(&app, &client, &path).await;
    assert!(html.contains("Every trustee has confirmed"), "{html}");
    let res = client
        .post(app.url(&format!("{path}/publish-key?csrf={csrf}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Key published, waiting to open");
    assert_eq!(text_of(&html, "countdown"), "opens in 2 days 3 hours");

    // The roll is frozen now.
    let (status, html) =
        upload_roll(&app, &client, &csrf, roll::csv(&roll::spread(5)).as_bytes()).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("frozen"));
    assert_eq!(counts(&app).0, 40);

    // One minute before the opening: still waiting. (Sessions last 12
    // hours by the same clock, so sign in again after each jump.)
    app.clock.advance(opens_in - Duration::minutes(1));
    let (client, _) = app.signed_in(CHAIR).await;
    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Key published, waiting to open");
    assert!(text_of(&html, "countdown").starts_with("opens in"));

    app.clock.advance(Duration::minutes(2));
    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Open for voting");
    assert!(
        text_of(&html, "countdown").starts_with("closes in 6 days"),
        "{}",
        text_of(&html, "countdown")
    );
    assert!(html.contains("0 of 40 members have voted"), "{html}");

    app.clock.advance(Duration::days(7));
    let (client, _) = app.signed_in(CHAIR).await;
    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Closed");
    assert_eq!(text_of(&html, "countdown"), "closed");
    // Nothing to extend once closed.
    assert!(!html.contains("Extend the closing time"));
}

#[actix_web::test]
async fn a_draft_stays_a_draft_when_its_opening_time_passes() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(
        Duration::hours(1),
        Duration::days(2),
    ));
    let Signed { client, .. } = app.sign_in_as(Role::Committee).await;
    let path = format!("/committee/elections/{SLUG}");
    app.clock.advance(Duration::hours(2));
    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Draft");
    assert!(text_of(&html, "countdown").contains("cannot open"));
    app.clock.advance(Duration::days(3));
    let (client, _) = app.signed_in(CHAIR).await;
    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Draft");
}

#[actix_web::test]
async fn the_committee_extends_the_window_with_a_reason() {
    let app = TestApp::spawn().await;
    // Opens at 12:00 local time in two days, closes a week later at 17:00.
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let Signed { client, csrf, .. } = app.sign_in_as(Role::Committee).await;
    let path = format!("/committee/elections/{SLUG}");
    let extend = |closes_at: String, reason: &'static str| {
        client
            .post(app.url(&format!("{path}/extend?csrf={csrf}")))
            .form(&[("closes_at", closes_at), ("reason", reason.to_string())])
            .send()
    };
    let (closes, zone) = {
        let mut conn = app.db.get().unwrap();
        let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
        (e.spec.closes_at(), e.spec.time_zone())
    };
    let local =
        |t: chrono::DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();

    // No reason: refused, shown on the page, nothing changed.
    let res = extend(local(closes + Duration::days(1)), " ")
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("Reason"), "{html}");
    // Earlier than now: refused by the window rules.
    let res = extend(local(closes - Duration::days(1)), "typo")
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    // Not a time.
    let res = extend("next tuesday".into(), "storm").await.unwrap();
    assert_eq!(res.status(), 400);
    {
        let mut conn = app.db.get().unwrap();
        let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
        assert_eq!(e.spec.closes_at(), closes);
    }

    let new_local = local(closes + Duration::days(1));
    let res = extend(new_local.clone(), "storm closed the county offices")
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    assert_eq!(local(e.spec.closes_at()), new_local);
    let (_, html) = page(&app, &client, &format!("{path}?done=extended")).await;
    assert!(html.contains("The closing time was extended"));
    assert!(html.contains(&e.spec.display_local(e.spec.closes_at())));
}

// --------------------------------------------------------------- accounts

#[actix_web::test]
async fn an_admin_creates_and_disables_accounts_from_the_page() {
    let app = TestApp::spawn().await;
    app.create_account("admin@example.org", Role::Admin);
    let (client, csrf) = app.signed_in("admin@example.org").await;
    let url = app.url(&format!("/committee/accounts?csrf={csrf}"));

    let res = client
        .post(&url)
        .form(&[
            ("email", "New.Member@example.org"),
            ("name", "New Member"),
            ("role", "committee"),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("12 characters"));

    let res = client
        .post(&url)
        .form(&[
            ("email", "New.Member@example.org"),
            ("name", "New Member"),
            ("role", "committee"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, html) = page(&app, &client, "/committee/accounts").await;
    assert!(html.contains("new.member@example.org"), "{html}");
    let (member, _) = app.signed_in("new.member@example.org").await;
    assert_eq!(page(&app, &member, "/committee").await.0, 200);

    let id = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == "new.member@example.org")
            .unwrap()
            .id
    };
    let res = client
        .post(app.url(&format!("/committee/accounts/{id}/disable?csrf={csrf}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // The disabled account's session ends at once.
    assert_eq!(page(&app, &member, "/committee").await.0, 303);
    let (_, html) = page(&app, &client, "/committee/accounts").await;
    assert!(html.contains("disabled"));

    // An admin cannot lock themselves out.
    let me = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == "admin@example.org")
            .unwrap()
            .id
    };
    let res = client
        .post(app.url(&format!("/committee/accounts/{me}/disable?csrf={csrf}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    // Both changes are in the system audit log with the acting account.
    let mut conn = app.db.get().unwrap();
    let lines = ratify::audit::entries(&mut conn, &ratify::audit::LogName::System, 0, 100).unwrap();
    let entries: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect();
    for kind in ["account.created", "account.disabled"] {
        assert!(
            entries.iter().any(|e| e["kind"] == kind
                && e["actor"] == "admin@example.org"
                && e["data"]["email"] == "new.member@example.org"),
            "no {kind} by the admin: {}",
            json!(entries)
        );
    }
}

// ------------------------------------------------------------ public page

#[actix_web::test]
async fn the_public_page_shows_both_titles_and_the_verifier_key() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let res = app.get(&format!("/elections/{SLUG}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Kern County: the County"), "{html}");
    assert!(html.contains("Condado de Kern"), "{html}");
    // The zone in words (issue 11).
    assert!(html.contains("Times are in Pacific Time."), "{html}");
    let vkey = app
        .get(&format!("/api/v1/elections/{SLUG}/log/vkey"))
        .await
        .text()
        .await
        .unwrap();
    let vkey = vkey.trim();
    assert_eq!(text_of(&html, "vkey"), vkey);
    let key_id = vkey.split('+').nth(1).unwrap();
    assert_eq!(text_of(&html, "key-id"), key_id);
    assert!(html.contains(&format!("/api/v1/elections/{SLUG}/log/checkpoint")));
    assert_eq!(app.get("/elections/no-such-vote").await.status(), 404);
}

// ----------------------------------------------------- headless Chromium

#[actix_web::test]
async fn chromium_signs_in_and_uploads_a_roll_through_the_real_forms() {
    let Some(browser) = Browser::start(1024, 900).await else {
        return;
    };
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.create_account(CHAIR, Role::Committee);
    let csv = app.tmp.path().join("roll.csv");
    std::fs::write(&csv, roll::csv(&roll::spread(700))).unwrap();

    browser.sign_in(&app, CHAIR).await;
    browser
        .goto(&app.url(&format!("/committee/elections/{SLUG}/roll")))
        .await;
    browser
        .type_into("#roll", &csv.canonicalize().unwrap().to_string_lossy())
        .await;
    browser.click("form[enctype] button[type=submit]").await;
    browser.find("#imported").await;
    let html = browser.source().await;
    browser.close().await;

    assert!(html.contains("Imported 700 members"), "{html}");
    for (unit, n) in roll::per_unit(&roll::spread(700)) {
        let row = format!("{unit} · ");
        let at = html
            .find(&row)
            .unwrap_or_else(|| panic!("no {unit}:\n{html}"));
        assert!(html[at..].contains(&format!("<td class=\"num\">{n}</td>")));
    }
    assert_eq!(counts(&app).0, 700);
}

/// Takes the committee guide's screenshots (docs/img/) from the real pages.
/// Run by hand: `cargo test --test api committee_guide_screenshots -- --ignored`.
#[actix_web::test]
#[ignore]
async fn committee_guide_screenshots() {
    let Some(browser) = Browser::start(1000, 760).await else {
        return;
    };
    let app = TestApp::spawn().await;
    app.create_account(CHAIR, Role::Committee);
    let img = workspace().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();

    browser.goto(&app.url("/login")).await;
    browser.type_into("#email", CHAIR).await;
    browser.screenshot(&img.join("sign-in.png")).await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.find("h1").await;

    browser.goto(&app.url("/committee/elections/new")).await;
    let bad = SpecFixture::from_now(Duration::days(9), Duration::days(2)).toml();
    let spec_path = app.tmp.path().join("bad.toml");
    std::fs::write(&spec_path, bad).unwrap();
    browser
        .type_into("#spec_file", &spec_path.to_string_lossy())
        .await;
    browser.click("form[enctype] button[type=submit]").await;
    browser.find(".error").await;
    browser.screenshot(&img.join("spec-error.png")).await;

    app.create_election(&SpecFixture::from_now(
        Duration::days(2) + Duration::hours(3),
        Duration::days(9),
    ));
    let bad_roll = app.tmp.path().join("bad-roll.csv");
    std::fs::write(
        &bad_roll,
        "member_number,name,email,unit,language\n1001,Ana Ruiz,ana@example.org,U1,es\n1002,Bo Li,bo-at-example.org,U2,en\n1003,Cy Diaz,cy@example.org,U8,fr\n1001,Dee Moss,dee@example.org,U3,en\n",
    )
    .unwrap();
    browser
        .goto(&app.url(&format!("/committee/elections/{SLUG}/roll")))
        .await;
    browser
        .type_into("#roll", &bad_roll.to_string_lossy())
        .await;
    browser.click("form[enctype] button[type=submit]").await;
    browser.find("#problems").await;
    browser.screenshot(&img.join("roll-errors.png")).await;

    let good_roll = app.tmp.path().join("roll.csv");
    std::fs::write(&good_roll, roll::csv(&roll::spread(4012))).unwrap();
    browser
        .goto(&app.url(&format!("/committee/elections/{SLUG}/roll")))
        .await;
    browser
        .type_into("#roll", &good_roll.to_string_lossy())
        .await;
    browser.click("form[enctype] button[type=submit]").await;
    browser.find("#imported").await;
    browser.screenshot(&img.join("roll-imported.png")).await;

    browser
        .goto(&app.url(&format!("/committee/elections/{SLUG}")))
        .await;
    browser.find("#state").await;
    browser.screenshot(&img.join("election-draft.png")).await;

    app.key_ceremony(SLUG);
    {
        let mut conn = app.db.get().unwrap();
        ratify::ceremony::publish_key(&mut conn, SLUG, Some(CHAIR), app.clock.now(), 1).unwrap();
    }
    app.clock
        .advance(Duration::days(3) + Duration::hours(5) + Duration::minutes(10));
    // Sessions last 12 hours by the same clock.
    browser.sign_in(&app, CHAIR).await;
    browser
        .goto(&app.url(&format!("/committee/elections/{SLUG}")))
        .await;
    browser.find("#state").await;
    browser.screenshot(&img.join("election-open.png")).await;
    browser.close().await;
}
