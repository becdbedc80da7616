//! Issue 4, the committee's pages: roles at every route (S11), CSRF on
//! every form, the roll's all-or-nothing import with every problem named by
//! line and field (S16), spec errors naming the field, the state and
//! countdown moving with the clock, and the real forms in headless Chromium.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, SecondsFormat, Utc};
use ratify::account::Role;
use ratify::actions;
use ratify::clock::Clock;
use ratify_crypto as crypto;
use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde_json::{json, Value};

use crate::helpers::*;

const SLUG: &str = "kern-lbfo-2024";
const UNITS: [&str; 7] = ["U1", "U2", "U3", "U4", "U5", "U6", "XH"];
const CHAIR: &str = "chair@example.org";

/// The acceptance spec with its window moved to `opens_in`..`closes_in`
/// from now (RFC 3339 with an offset, which the spec accepts).
fn spec_toml(opens_in: Duration, closes_in: Duration) -> String {
    let fixture = include_str!("../../src/election/testdata/kern-lbfo-2024.toml");
    let at = |d: Duration| (Utc::now() + d).to_rfc3339_opts(SecondsFormat::Secs, true);
    fixture
        .lines()
        .map(|l| {
            if l.starts_with("opens_at") {
                format!("opens_at = \"{}\"", at(opens_in))
            } else if l.starts_with("closes_at") {
                format!("closes_at = \"{}\"", at(closes_in))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `n` members spread over the seven units, in both languages.
fn roll_csv(n: usize) -> String {
    let mut csv = String::from("member_number,name,email,unit,language\n");
    for i in 0..n {
        csv.push_str(&format!(
            "M{i:06},Member Number {i},member{i}@example.org,{},{}\n",
            UNITS[i % UNITS.len()],
            if i % 3 == 0 { "es" } else { "en" }
        ));
    }
    csv
}

fn expected_per_unit(n: usize) -> BTreeMap<&'static str, u64> {
    let mut m = BTreeMap::new();
    for i in 0..n {
        *m.entry(UNITS[i % UNITS.len()]).or_default() += 1;
    }
    m
}

/// Creates the election directly (as `ratify election create` would).
fn create_election(app: &TestApp, opens_in: Duration, closes_in: Duration) {
    let spec = ratify::election::parse_spec(&spec_toml(opens_in, closes_in)).unwrap();
    let mut conn = app.db.get().unwrap();
    actions::create_election(&mut conn, &spec, Some("test"), app.clock.now()).unwrap();
}

fn import_roll_directly(app: &TestApp, n: usize) {
    let mut conn = app.db.get().unwrap();
    let e = actions::load_election(&mut conn, SLUG).unwrap();
    let roll = ratify::roll::parse_roll(roll_csv(n).as_bytes(), &e.spec.unit_codes()).unwrap();
    actions::import_roll(
        &mut conn,
        SLUG,
        &roll,
        Some("test"),
        app.clock.now(),
        |_| {},
    )
    .unwrap();
}

fn counts(app: &TestApp) -> (u64, BTreeMap<String, u64>) {
    let mut conn = app.db.get().unwrap();
    let s = actions::election_summary(&mut conn, SLUG, app.clock.now()).unwrap();
    let per_unit = s
        .units
        .iter()
        .map(|u| (u.code.clone(), u.eligible))
        .collect();
    (s.eligible, per_unit)
}

fn election_count(app: &TestApp) -> usize {
    let mut conn = app.db.get().unwrap();
    actions::list_elections(&mut conn).unwrap().len()
}

/// The committee chair, signed in.
async fn chair(app: &TestApp) -> (Client, String) {
    app.create_account(CHAIR, Role::Committee);
    app.signed_in(CHAIR).await
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
    create_election(&app, Duration::days(2), Duration::days(9));
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
    create_election(&app, Duration::days(2), Duration::days(9));
    import_roll_directly(&app, 20);
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
    create_election(&app, Duration::days(2), Duration::days(9));
    import_roll_directly(&app, 30);
    app.create_account("auditor@example.org", Role::Auditor);
    let (auditor, _) = app.signed_in("auditor@example.org").await;
    let (client, _) = chair(&app).await;

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
    create_election(&app, Duration::days(2), Duration::days(9));
    app.create_account("admin@example.org", Role::Admin);
    let (client, _) = app.signed_in("admin@example.org").await;

    let spec = spec_toml(Duration::days(1), Duration::days(3)).replace(SLUG, "other-vote");
    let res = client
        .post(app.url("/committee/elections/new"))
        .multipart(Form::new().text("spec", spec))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let form = Form::new().part(
        "roll",
        Part::bytes(roll_csv(10).into_bytes()).file_name("roll.csv"),
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
        actions::load_election(&mut conn, SLUG)
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
    let e = actions::load_election(&mut conn, SLUG).unwrap();
    assert_eq!(e.spec.closes_at(), closes_before);
    let accounts = ratify::account::list_accounts(&mut conn).unwrap();
    assert!(accounts.iter().all(|a| a.email != "new@example.org"));
}

// ------------------------------------------------------------------- roll

#[actix_web::test]
async fn every_bad_roll_is_reported_with_its_line_and_field_and_nothing_is_imported() {
    let app = TestApp::spawn().await;
    create_election(&app, Duration::days(2), Duration::days(9));
    let (client, csrf) = chair(&app).await;
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
    create_election(&app, Duration::days(2), Duration::days(9));
    let (client, csrf) = chair(&app).await;
    let (status, html) = upload_roll(&app, &client, &csrf, roll_csv(5000).as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Imported 5,000 members"), "{html}");
    let expected = expected_per_unit(5000);
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
        assert_eq!(per_unit[unit], n, "{unit}");
    }

    // A second import replaces the first, all or nothing.
    let (status, html) = upload_roll(&app, &client, &csrf, roll_csv(70).as_bytes()).await;
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
    create_election(&app, Duration::days(2), Duration::days(9));
    let (client, csrf) = chair(&app).await;
    let (status, html) = upload_roll(&app, &client, &csrf, roll_csv(500).as_bytes()).await;
    assert_eq!(status, 413, "{html}");
    assert!(html.contains("too large"), "{html}");
    assert_eq!(counts(&app).0, 0);
}

// ------------------------------------------------------------------- spec

#[actix_web::test]
async fn bad_specs_are_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let (client, csrf) = chair(&app).await;
    let good = spec_toml(Duration::days(2), Duration::days(9));
    let closes_first = spec_toml(Duration::days(9), Duration::days(2));
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

    // A line number comes with TOML errors.
    let (status, html) = post_spec(&app, &client, &csrf, "slug = \"x\"\ntitle = 3\n").await;
    assert_eq!(status, 400);
    assert!(html.contains("Line 2"), "{html}");
}

#[actix_web::test]
async fn a_spec_file_can_be_uploaded_instead_of_pasted() {
    let app = TestApp::spawn().await;
    let (client, csrf) = chair(&app).await;
    let spec = spec_toml(Duration::days(2), Duration::days(9));
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

/// The trustees' key ceremony, done in process with the crypto crate: three
/// trustees make keys, deal and confirm; the files are registered.
fn key_ceremony(app: &TestApp) {
    let mut conn = app.db.get().unwrap();
    let now = app.clock.now();
    let mut register = |file: crypto::TrusteeFile| {
        actions::register_trustee_file(&mut conn, SLUG, &file.to_json(), Some("test"), now)
            .unwrap();
    };
    let mut rng = crypto::os_rng();
    let trustees: Vec<_> = (0..3).map(|_| crypto::keygen(&mut rng)).collect();
    for (_, public) in &trustees {
        register(crypto::TrusteeFile::Public(public.clone()));
    }
    let roster = || {
        let mut conn = app.db.get().unwrap();
        actions::roster(&mut conn, SLUG).unwrap()
    };
    let r = roster();
    for (secret, _) in &trustees {
        register(crypto::TrusteeFile::Deal(crypto::deal(secret, &r).unwrap()));
    }
    let r = roster();
    for (secret, _) in &trustees {
        match crypto::confirm(secret, &r).unwrap() {
            crypto::ConfirmOutcome::Confirmed(c) => register(crypto::TrusteeFile::Confirmation(c)),
            crypto::ConfirmOutcome::Complaint(c) => panic!("complaint: {c:?}"),
        }
    }
}

#[actix_web::test]
async fn the_state_and_countdown_move_forward_with_the_clock() {
    let app = TestApp::spawn().await;
    let opens_in = Duration::days(2) + Duration::hours(3) + Duration::minutes(30);
    create_election(&app, opens_in, Duration::days(9));
    let (client, csrf) = chair(&app).await;
    let path = format!("/committee/elections/{SLUG}");

    let (_, html) = page(&app, &client, &path).await;
    assert_eq!(text_of(&html, "state"), "Draft");
    assert!(text_of(&html, "countdown").starts_with("opens in 2 days 3 hours"));
    assert!(html.contains("Import the roll"));
    assert!(!html.contains("Publish the election key</button>"));

    let (status, _) = upload_roll(&app, &client, &csrf, roll_csv(40).as_bytes()).await;
    assert_eq!(status, 200);
    let (_, html) = page(&app, &client, &path).await;
    assert!(html.contains("register keys (0 of 3)"), "{html}");

    key_ceremony(&app);
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
    let (status, html) = upload_roll(&app, &client, &csrf, roll_csv(5).as_bytes()).await;
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
    create_election(&app, Duration::hours(1), Duration::days(2));
    let (client, _) = chair(&app).await;
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
    create_election(&app, Duration::days(2), Duration::days(9));
    let (client, csrf) = chair(&app).await;
    let path = format!("/committee/elections/{SLUG}");
    let extend = |closes_at: String, reason: &'static str| {
        client
            .post(app.url(&format!("{path}/extend?csrf={csrf}")))
            .form(&[("closes_at", closes_at), ("reason", reason.to_string())])
            .send()
    };
    let (closes, zone) = {
        let mut conn = app.db.get().unwrap();
        let e = actions::load_election(&mut conn, SLUG).unwrap();
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
        let e = actions::load_election(&mut conn, SLUG).unwrap();
        assert_eq!(e.spec.closes_at(), closes);
    }

    let new_local = local(closes + Duration::days(1));
    let res = extend(new_local.clone(), "storm closed the county offices")
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let mut conn = app.db.get().unwrap();
    let e = actions::load_election(&mut conn, SLUG).unwrap();
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
    create_election(&app, Duration::days(2), Duration::days(9));
    let res = app.get(&format!("/elections/{SLUG}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Kern County: the County"), "{html}");
    assert!(html.contains("Condado de Kern"), "{html}");
    assert!(html.contains("Horas de America/Los_Angeles"));
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

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver child process and one browser session, spoken to with
/// the W3C WebDriver protocol over reqwest. (fantoccini is in the
/// dev-dependencies without a TLS feature, which leaves it no HTTP
/// connector this crate can name; the protocol is small enough to speak
/// directly.)
struct Browser {
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
    /// Starts chromedriver and a headless Chromium. Panics with a clear
    /// message when either is missing: this test must not pass silently.
    async fn start(width: u32, height: u32) -> Browser {
        let driver_path = std::env::var("RATIFY_CHROMEDRIVER").unwrap_or(CHROMEDRIVER.into());
        let chromium = std::env::var("RATIFY_CHROMIUM").unwrap_or(CHROMIUM.into());
        for (what, path, package) in [
            ("chromedriver", &driver_path, "chromium-driver"),
            ("Chromium", &chromium, "chromium"),
        ] {
            assert!(
                std::path::Path::new(path).exists(),
                "{what} not found at {path}: install it (`apt-get install {package}`) \
                 or set RATIFY_CHROMEDRIVER / RATIFY_CHROMIUM"
            );
        }
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}"));
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            http: Client::new(),
            base: format!("http://127.0.0.1:{port}"),
            _profile: profile,
        };
        let deadline = Instant::now() + StdDuration::from_secs(20);
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
            actix_web::rt::time::sleep(StdDuration::from_millis(100)).await;
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

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + StdDuration::from_secs(10);
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
            actix_web::rt::time::sleep(StdDuration::from_millis(100)).await;
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{el}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    async fn sign_in(&self, app: &TestApp, email: &str) {
        self.goto(&app.url("/login")).await;
        self.type_into("#email", email).await;
        self.type_into("#password", PASSWORD).await;
        self.click("button[type=submit]").await;
        self.find("h1").await;
        let html = self.source().await;
        assert!(
            html.contains("<h1>Elections</h1>"),
            "sign-in failed:\n{html}"
        );
    }

    async fn close(&self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}

#[actix_web::test]
async fn chromium_signs_in_and_uploads_a_roll_through_the_real_forms() {
    let app = TestApp::spawn().await;
    create_election(&app, Duration::days(2), Duration::days(9));
    app.create_account(CHAIR, Role::Committee);
    let csv = app.tmp.path().join("roll.csv");
    std::fs::write(&csv, roll_csv(700)).unwrap();

    let browser = Browser::start(1024, 900).await;
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
    for (unit, n) in expected_per_unit(700) {
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
    let app = TestApp::spawn().await;
    app.create_account(CHAIR, Role::Committee);
    let img = workspace().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    let browser = Browser::start(1000, 760).await;

    browser.goto(&app.url("/login")).await;
    browser.type_into("#email", CHAIR).await;
    browser.screenshot(&img.join("sign-in.png")).await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.find("h1").await;

    browser.goto(&app.url("/committee/elections/new")).await;
    let bad = spec_toml(Duration::days(9), Duration::days(2));
    let spec_path = app.tmp.path().join("bad.toml");
    std::fs::write(&spec_path, bad).unwrap();
    browser
        .type_into("#spec_file", &spec_path.to_string_lossy())
        .await;
    browser.click("form[enctype] button[type=submit]").await;
    browser.find(".error").await;
    browser.screenshot(&img.join("spec-error.png")).await;

    create_election(
        &app,
        Duration::days(2) + Duration::hours(3),
        Duration::days(9),
    );
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
    std::fs::write(&good_roll, roll_csv(4012)).unwrap();
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

    key_ceremony(&app);
    {
        let mut conn = app.db.get().unwrap();
        actions::publish_key(&mut conn, SLUG, Some(CHAIR), app.clock.now()).unwrap();
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
