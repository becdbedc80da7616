//! The JSON API under /api/v1 (docs/api.md): roles checked on the server
//! for every route (S11), CSRF on every POST, bad input refused with its
//! field or line and nothing changed (S16), every committee action in the
//! audit log with the acting account (S12), and an OpenAPI document that
//! lists what is served.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use ratify::account::Role;
use ratify::audit::{self, LogName};
use ratify_crypto::{ConfirmOutcome, Roster, TrusteeFile};
use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::helpers::*;

// ---------------------------------------------------------------------------
// Fixtures

fn public_key_file() -> String {
    let (_, public) = ratify_crypto::keygen(&mut ratify_crypto::os_rng());
    TrusteeFile::Public(public).to_json()
}

fn account_id(app: &TestApp, email: &str) -> i64 {
    let mut conn = app.db.get().unwrap();
    ratify::account::list_accounts(&mut conn)
        .unwrap()
        .into_iter()
        .find(|a| a.email == email)
        .unwrap()
        .id
}

/// Entries in every audit log: a refused request must add none.
fn audit_entries_total(app: &TestApp) -> i64 {
    use ratify::db::schema::audit_entries;
    let mut conn = app.db.get().unwrap();
    audit_entries::table
        .count()
        .get_result::<i64>(&mut *conn)
        .unwrap()
}

/// One audit log's entries, parsed.
fn log_entries(app: &TestApp, log: &LogName) -> Vec<Value> {
    let mut conn = app.db.get().unwrap();
    let size = audit::log_head(&mut conn, log)
        .unwrap()
        .map_or(0, |h| h.size);
    audit::entries(&mut conn, log, 0, size as u64)
        .unwrap()
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// A tallied election whose results two trustees have decrypted.
fn decrypted(app: &TestApp, slug: &str) {
    let (secrets, tally) = crate::tally_support::tallied_election(app, slug);
    for secret in &secrets[..2] {
        crate::tally_support::submit_share(app, slug, secret, &tally).unwrap();
    }
}

fn election_log(app: &TestApp, slug: &str) -> Vec<Value> {
    log_entries(app, &LogName::Election(slug.to_string()))
}

// ---------------------------------------------------------------------------
// Who is asking

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Admin,
    Committee,
    Trustee,
    Auditor,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Admin,
    Who::Committee,
    Who::Trustee,
    Who::Auditor,
];
const STAFF: &[Who] = &[Who::Admin, Who::Committee, Who::Trustee, Who::Auditor];
const COMMITTEE: &[Who] = &[Who::Admin, Who::Committee];
const ADMIN: &[Who] = &[Who::Admin];

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Admin => "admin",
            Who::Committee => "committee",
            Who::Trustee => "trustee",
            Who::Auditor => "auditor",
        }
    }

    fn email(self) -> String {
        format!("{}@example.org", self.name())
    }
}

/// An app with one account per role, and a signed-in client for each.
struct Staffed {
    app: TestApp,
    clients: BTreeMap<Who, (Client, Option<String>)>,
}

impl Staffed {
    async fn spawn() -> Staffed {
        Self::with(TestApp::spawn().await).await
    }

    async fn with(app: TestApp) -> Staffed {
        let mut clients = BTreeMap::new();
        clients.insert(Who::Anonymous, (Client::new(), None));
        for (who, role) in [
            (Who::Admin, Role::Admin),
            (Who::Committee, Role::Committee),
            (Who::Trustee, Role::Trustee),
            (Who::Auditor, Role::Auditor),
        ] {
            app.create_account(&who.email(), role);
            let (client, csrf) = app.signed_in(&who.email()).await;
            clients.insert(who, (client, Some(csrf)));
        }
        Staffed { app, clients }
    }

    /// Sends `req` as `who`, with the session's CSRF token.
    async fn send(&self, who: Who, req: &Req) -> reqwest::Response {
        let (client, csrf) = &self.clients[&who];
        self.send_with(client, csrf.as_deref(), req).await
    }

    /// Sends `req` as `who` without any CSRF token.
    async fn send_without_csrf(&self, who: Who, req: &Req) -> reqwest::Response {
        self.send_with(&self.clients[&who].0, None, req).await
    }

    async fn send_with(&self, client: &Client, csrf: Option<&str>, req: &Req) -> reqwest::Response {
        let mut builder = client.request(req.method.clone(), self.app.url(&req.path));
        if let Some(token) = csrf {
            builder = builder.header("X-CSRF-Token", token);
        }
        if let Some((content_type, body)) = &req.body {
            builder = builder
                .header("Content-Type", *content_type)
                .body(body.clone());
        }
        builder.send().await.expect("request")
    }

    async fn json(&self, who: Who, req: &Req) -> (u16, Value) {
        let res = self.send(who, req).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }
}

/// A request: method, path and, for a POST, its body and media type.
#[derive(Debug, Clone)]
struct Req {
    method: Method,
    path: String,
    body: Option<(&'static str, Vec<u8>)>,
}

impl Req {
    fn get(path: impl Into<String>) -> Req {
        Req {
            method: Method::GET,
            path: path.into(),
            body: None,
        }
    }

    fn post(path: impl Into<String>) -> Req {
        Req {
            method: Method::POST,
            path: path.into(),
            body: None,
        }
    }

    fn body(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Req {
        self.body = Some((content_type, body.into()));
        self
    }

    fn json(self, value: Value) -> Req {
        self.body("application/json", value.to_string())
    }
}

// ---------------------------------------------------------------------------
// The routes this module registers, read from its source (not a second
// hand-written list): every `#[get("...")]` / `#[post("...")]` attribute.

fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = workspace().join("src/web/api");
    let mut routes = BTreeSet::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(rest) = line.trim().strip_prefix(&format!("#[{method}(\"")) {
                    let route = rest.split('"').next().unwrap();
                    // Handlers name their path inside the API's scope.
                    let route = format!("{}{route}", ratify::web::api::SCOPE);
                    routes.insert((method.to_string(), route));
                }
            }
        }
    }
    assert!(routes.len() >= 13, "found only {routes:?} in {dir:?}");
    routes
}

async fn openapi(app: &TestApp) -> Value {
    let res = Client::new()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    serde_json::from_str(&res.text().await.unwrap()).expect("the document is JSON")
}

// ---------------------------------------------------------------------------
// S11: every route × every role

/// One route: who may call it, the success status, and how to make a
/// request that would succeed (fresh state per role, so an allowed role's
/// success cannot hide a refused one, nor the other way round).
struct Case {
    method: &'static str,
    route: &'static str,
    allowed: &'static [Who],
    ok: u16,
    prepare: fn(&TestApp, &str) -> Req,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            method: "get",
            route: "/api/v1/elections",
            allowed: STAFF,
            ok: 200,
            prepare: |_, _| Req::get("/api/v1/elections"),
        },
        Case {
            method: "post",
            route: "/api/v1/elections",
            allowed: COMMITTEE,
            ok: 201,
            prepare: |_, slug| {
                Req::post("/api/v1/elections")
                    .body("application/toml", SpecFixture::far_future(slug).toml())
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::get(format!("/api/v1/elections/{slug}"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/roll",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::post(format!("/api/v1/elections/{slug}/roll")).body(
                    "text/csv",
                    roll::csv(&roll::in_units(&[("U1", 2), ("XH", 1)])),
                )
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/members",
            allowed: &[Who::Admin, Who::Committee, Who::Auditor],
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                app.import_roll(slug, &roll::in_units(&[("U1", 2)]));
                Req::get(format!("/api/v1/elections/{slug}/members?q=10000"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/extend",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::post(format!("/api/v1/elections/{slug}/extend")).json(json!({
                    "closes_at": "2099-12-12T17:00:00-08:00",
                    "reason": "mail outage",
                }))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/trustee-files",
            allowed: &[Who::Admin, Who::Committee, Who::Trustee],
            ok: 201,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::post(format!("/api/v1/elections/{slug}/trustee-files"))
                    .body("application/json", public_key_file())
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/tally",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                crate::tally_support::tallied_election(app, slug);
                Req::post(format!("/api/v1/elections/{slug}/tally"))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/tally",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                crate::tally_support::tallied_election(app, slug);
                Req::get(format!("/api/v1/elections/{slug}/tally"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/decryption-shares",
            allowed: &[Who::Admin, Who::Committee, Who::Trustee],
            ok: 201,
            prepare: |app, slug| {
                let (secrets, tally) = crate::tally_support::tallied_election(app, slug);
                // S21: the share's slot belongs to the account asking (the
                // tag ends with the role's name).
                let who = slug.rsplit('-').next().unwrap();
                crate::tally_support::hold_slot(app, slug, 1, &format!("{who}@example.org"));
                let share = ratify_crypto::decrypt_share(&secrets[0], &tally).unwrap();
                Req::post(format!("/api/v1/elections/{slug}/decryption-shares"))
                    .body("application/json", ratify_crypto::to_json(&share))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/results",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                decrypted(app, slug);
                Req::get(format!("/api/v1/elections/{slug}/results"))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/record",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                crate::tally_support::closed_election(app, slug);
                Req::get(format!("/api/v1/elections/{slug}/record"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/certify",
            allowed: &[Who::Committee],
            ok: 200,
            prepare: |app, slug| {
                decrypted(app, slug);
                Req::post(format!("/api/v1/elections/{slug}/certify"))
                    .json(json!({ "password": PASSWORD }))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/roster",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::get(format!("/api/v1/elections/{slug}/roster"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/publish-key",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                app.import_roll(slug, &roll::in_units(&[("U1", 2)]));
                app.key_ceremony(slug);
                Req::post(format!("/api/v1/elections/{slug}/publish-key"))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/trustee-slots",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::get(format!("/api/v1/elections/{slug}/trustee-slots"))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/trustees/{trustee}/void-deal",
            allowed: COMMITTEE,
            ok: 204,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                let _secrets = crate::ceremony_support::upheld_complaint(app, slug);
                Req::post(format!("/api/v1/elections/{slug}/trustees/3/void-deal"))
                    .json(json!({ "reason": "trustee 2's complaint is upheld" }))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/accounts",
            allowed: ADMIN,
            ok: 200,
            prepare: |_, _| Req::get("/api/v1/accounts"),
        },
        Case {
            method: "post",
            route: "/api/v1/accounts",
            allowed: ADMIN,
            ok: 201,
            prepare: |_, tag| {
                Req::post("/api/v1/accounts").json(json!({
                    "email": format!("new-{tag}@example.org"),
                    "name": "New Teller",
                    "role": "auditor",
                    "password": PASSWORD,
                }))
            },
        },
        Case {
            method: "post",
            route: "/api/v1/accounts/{id}/disable",
            allowed: ADMIN,
            ok: 200,
            prepare: |app, tag| {
                let email = format!("old-{tag}@example.org");
                app.create_account(&email, Role::Committee);
                Req::post(format!(
                    "/api/v1/accounts/{}/disable",
                    account_id(app, &email)
                ))
            },
        },
        Case {
            method: "get",
            route: "/api/v1/openapi.json",
            allowed: &EVERYONE,
            ok: 200,
            prepare: |_, _| Req::get("/api/v1/openapi.json"),
        },
        // Issue 12: ballot email.
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/ballots/send",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                ballots_ready(app, slug);
                Req::post(format!("/api/v1/elections/{slug}/ballots/send"))
                    .body("application/json", "{}")
            },
        },
        Case {
            method: "post",
            route: "/api/v1/elections/{slug}/ballots/reissue",
            allowed: COMMITTEE,
            ok: 200,
            prepare: |app, slug| {
                ballots_ready(app, slug);
                Req::post(format!("/api/v1/elections/{slug}/ballots/reissue")).body(
                    "application/json",
                    r#"{"member_number": "100001", "reason": "lost it"}"#,
                )
            },
        },
        Case {
            method: "get",
            route: "/api/v1/elections/{slug}/delivery",
            allowed: STAFF,
            ok: 200,
            prepare: |app, slug| {
                app.create_election(&SpecFixture::far_future(slug));
                Req::get(format!("/api/v1/elections/{slug}/delivery"))
            },
        },
    ]
}

/// An election whose key is published, with two members (issue 12).
fn ballots_ready(app: &TestApp, slug: &str) {
    app.create_election(&SpecFixture::far_future(slug));
    app.import_roll(slug, &roll::in_units(&[("U1", 2)]));
    app.key_ceremony(slug);
    app.publish_key(slug);
}

#[actix_web::test]
async fn every_route_answers_each_role_as_its_table_says() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    let cases = cases();

    // The table covers every route the module registers...
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_string()))
        .collect();
    assert_eq!(covered, routes_in_source(), "the table misses a route");

    // ...and the document publishes the same roles as the table expects.
    let doc = openapi(app).await;
    for case in &cases {
        let published = &doc["paths"][case.route][case.method]["x-ratify-roles"];
        let mut published: Vec<&str> = published
            .as_array()
            .unwrap_or_else(|| panic!("{} {} has no x-ratify-roles", case.method, case.route))
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let mut expected: Vec<&str> = case.allowed.iter().map(|w| w.name()).collect();
        if published == ["anonymous"] {
            published = EVERYONE.iter().map(|w| w.name()).collect();
        }
        published.sort_unstable();
        expected.sort_unstable();
        assert_eq!(published, expected, "{} {}", case.method, case.route);
    }

    for (i, case) in cases.iter().enumerate() {
        for who in EVERYONE {
            let tag = format!("case{i}-{}", who.name());
            let req = (case.prepare)(app, &tag);
            let before = audit_entries_total(app);
            let res = staffed.send(who, &req).await;
            let status = res.status().as_u16();
            let body = res.text().await.unwrap();
            let expected = if case.allowed.contains(&who) {
                case.ok
            } else if who == Who::Anonymous {
                401
            } else {
                403
            };
            assert_eq!(
                status,
                expected,
                "{} {} as {}: {body}",
                case.method,
                case.route,
                who.name()
            );
            if status >= 400 {
                let error: Value = serde_json::from_str(&body)
                    .unwrap_or_else(|_| panic!("{} {}: not JSON: {body}", case.method, case.route));
                assert!(error["error"].is_string(), "{body}");
                assert_eq!(
                    audit_entries_total(app),
                    before,
                    "a refused {} {} changed something",
                    case.method,
                    case.route
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// S11: CSRF

#[actix_web::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    app.create_election(&SpecFixture::far_future("has-window"));
    let before = audit_entries_total(app);
    let summary = Req::get("/api/v1/elections/has-window");
    let (_, was) = staffed.json(Who::Committee, &summary).await;

    let posts = [
        (
            Who::Committee,
            Req::post("/api/v1/elections").body("application/toml", SpecFixture::far_future("no-token").toml()),
        ),
        (
            Who::Committee,
            Req::post("/api/v1/elections/has-window/extend").json(json!({
                "closes_at": "2099-12-12T17:00:00-08:00", "reason": "forged",
            })),
        ),
        (
            Who::Committee,
            Req::post("/api/v1/elections/has-window/roll")
                .body("text/csv", roll::csv(&roll::in_units(&[("U1", 3)]))),
        ),
        (
            Who::Trustee,
            Req::post("/api/v1/elections/has-window/trustee-files")
                .body("application/json", public_key_file()),
        ),
        (
            Who::Admin,
            Req::post("/api/v1/accounts").json(json!({
                "email": "forged@example.org", "name": "Forged", "role": "admin", "password": PASSWORD,
            })),
        ),
        (
            Who::Admin,
            Req::post(format!(
                "/api/v1/accounts/{}/disable",
                account_id(app, "committee@example.org")
            )),
        ),
    ];
    for (who, req) in &posts {
        let res = staffed.send_without_csrf(*who, req).await;
        assert_eq!(
            res.status(),
            403,
            "{} {} without a token",
            req.method,
            req.path
        );
        let (client, _) = &staffed.clients[who];
        let res = staffed.send_with(client, Some("not-the-token"), req).await;
        assert_eq!(
            res.status(),
            403,
            "{} {} with a wrong token",
            req.method,
            req.path
        );
    }

    assert_eq!(audit_entries_total(app), before);
    let (status, _) = staffed
        .json(Who::Committee, &Req::get("/api/v1/elections/no-token"))
        .await;
    assert_eq!(status, 404);
    let (_, now) = staffed.json(Who::Committee, &summary).await;
    assert_eq!(now, was, "the election changed");
    let (_, roster) = staffed
        .json(
            Who::Committee,
            &Req::get("/api/v1/elections/has-window/roster"),
        )
        .await;
    assert_eq!(roster["public"], json!([]));
    let (_, accounts) = staffed
        .json(Who::Admin, &Req::get("/api/v1/accounts"))
        .await;
    let accounts = accounts.as_array().unwrap();
    assert_eq!(accounts.len(), 4);
    assert!(accounts.iter().all(|a| a["disabled"] == false));

    // The same requests with the token go through: it was the token.
    for (who, req) in &posts {
        let res = staffed.send(*who, req).await;
        assert!(
            res.status().is_success(),
            "{} {}: {}",
            req.method,
            req.path,
            res.status()
        );
    }
}

// ---------------------------------------------------------------------------
// S16: bad input

#[actix_web::test]
async fn a_bad_spec_is_refused_naming_its_field_and_nothing_is_created() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    let good = SpecFixture::far_future("bad-spec").toml();
    let no_close: String = good
        .lines()
        .filter(|l| !l.starts_with("closes_at"))
        .map(|l| format!("{l}\n"))
        .collect();
    let bad_zone = good.replace("America/Los_Angeles", "Mars/Olympus_Mons");
    let before = audit_entries_total(app);

    for (spec, field, line) in [
        (no_close, "closes_at", None),
        (bad_zone, "time_zone", Some(5)),
    ] {
        let (status, body) = staffed
            .json(
                Who::Committee,
                &Req::post("/api/v1/elections").body("application/toml", spec),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["field"], field, "{body}");
        assert!(body["error"].as_str().unwrap().contains(field), "{body}");
        if let Some(line) = line {
            assert_eq!(body["line"], line, "{body}");
        }
    }
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections").body("application/json", good.clone()),
        )
        .await;
    assert_eq!(status, 415, "{body}");

    assert_eq!(audit_entries_total(app), before);
    let (_, list) = staffed
        .json(Who::Committee, &Req::get("/api/v1/elections"))
        .await;
    assert_eq!(list, json!([]));

    // Bad JSON bodies name the field too.
    let (status, _) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections").body("application/toml", good),
        )
        .await;
    assert_eq!(status, 201);
    for (body, field) in [
        (
            json!({ "closes_at": "next tuesday", "reason": "outage" }),
            "closes_at",
        ),
        (
            json!({ "closes_at": "2099-12-12T17:00:00Z", "reason": " " }),
            "reason",
        ),
        (json!({ "closes_at": "2099-12-12T17:00:00Z" }), "reason"),
    ] {
        let (status, error) = staffed
            .json(
                Who::Committee,
                &Req::post("/api/v1/elections/bad-spec/extend").json(body),
            )
            .await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["field"], field, "{error}");
    }
    assert_eq!(
        election_log(app, "bad-spec").len(),
        1,
        "only the creation is logged"
    );
}

#[actix_web::test]
async fn a_bad_roll_is_refused_with_every_bad_line_and_nothing_is_imported() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    app.create_election(&SpecFixture::far_future("bad-roll"));
    // A good roll first: a refused one must not replace it.
    let (status, _) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections/bad-roll/roll")
                .body("text/csv", roll::csv(&roll::in_units(&[("U2", 2)]))),
        )
        .await;
    assert_eq!(status, 200);
    let before = audit_entries_total(app);

    let bad = "member_number,name,email,unit,language\n\
               200001,Ana Example,ana@example.org,U1,es\n\
               200002,Ben Example,ben@example.org,ZZ,en\n\
               200003,Cy Example,cy@example.org,U1,en\n\
               200004,Di Example,not-an-email,U2,en\n\
               200001,Ed Example,ed@example.org,U3,en\n";
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections/bad-roll/roll").body("text/csv", bad),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let lines: Vec<u64> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5, 6], "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["unit", "email", "member_number"], "{body}");
    assert_eq!(body["more"], 0);
    assert!(
        body["error"].as_str().unwrap().contains("not imported"),
        "{body}"
    );

    assert_eq!(audit_entries_total(app), before);
    let (_, summary) = staffed
        .json(Who::Committee, &Req::get("/api/v1/elections/bad-roll"))
        .await;
    assert_eq!(summary["eligible"], 2, "the earlier roll stands");
    let (_, found) = staffed
        .json(
            Who::Committee,
            &Req::get("/api/v1/elections/bad-roll/members?q=ana@example.org"),
        )
        .await;
    assert_eq!(found, json!([]));
}

#[actix_web::test]
async fn a_good_roll_is_imported_with_counts_per_unit() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    app.create_election(&SpecFixture::far_future("good-roll"));
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections/good-roll/roll").body(
                "text/csv",
                roll::csv(&roll::in_units(&[("U1", 3), ("U4", 2), ("XH", 1)])),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["members"], 6);
    assert_eq!(
        body["per_unit"],
        json!({ "U1": 3, "U2": 0, "U3": 0, "U4": 2, "U5": 0, "U6": 0, "XH": 1 })
    );
    assert_eq!(body["replaced"], false);
    assert_eq!(body["roll_hash"].as_str().unwrap().len(), 64);

    let (_, summary) = staffed
        .json(Who::Auditor, &Req::get("/api/v1/elections/good-roll"))
        .await;
    assert_eq!(summary["eligible"], 6);
    let eligible: BTreeMap<String, u64> = summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["code"].as_str().unwrap().to_string(),
                u["eligible"].as_u64().unwrap(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        eligible,
        BTreeMap::from([("U1".into(), 3), ("U4".into(), 2), ("XH".into(), 1)])
    );
}

#[actix_web::test]
async fn auditors_see_members_without_contact_details_and_trustees_see_none() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    app.create_election(&SpecFixture::far_future("members"));
    app.import_roll("members", &roll::in_units(&[("U1", 3)]));

    let by_email = Req::get("/api/v1/elections/members/members?q=m100002@example.org");
    let (status, found) = staffed.json(Who::Committee, &by_email).await;
    assert_eq!(status, 200);
    assert_eq!(found[0]["member_number"], "100002");
    assert_eq!(found[0]["name"], "Member 100002");
    assert_eq!(found[0]["email"], "m100002@example.org");

    // An auditor finds members by number only, and never sees a name or an
    // email (nor learns whose an email is by searching for it): an email is
    // refused with the reason (issue 9; more in perm_search.rs).
    let (status, found) = staffed.json(Who::Auditor, &by_email).await;
    assert_eq!(status, 400);
    assert_eq!(found["field"], "q");
    assert!(!found.to_string().contains("100002"), "{found}");
    let (status, found) = staffed
        .json(
            Who::Auditor,
            &Req::get("/api/v1/elections/members/members?q=10000"),
        )
        .await;
    assert_eq!(status, 200);
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 3);
    for m in found {
        assert!(m.get("name").is_none() && m.get("email").is_none(), "{m}");
        assert!(
            m.get("has_voted").is_none(),
            "auditors do not learn who voted: {m}"
        );
        assert!(m["member_number"].is_string());
        assert!(!m.to_string().contains("example.org"), "{m}");
    }

    let (status, _) = staffed.json(Who::Trustee, &by_email).await;
    assert_eq!(status, 403);
}

// ---------------------------------------------------------------------------
// S16: body size limits

#[actix_web::test]
async fn an_over_limit_body_is_refused_with_413_and_changes_nothing() {
    const LIMIT: usize = 2048;
    let staffed = Staffed::with(TestApp::spawn_with_upload_limit(LIMIT).await).await;
    let app = &staffed.app;
    app.create_election(&SpecFixture::far_future("limits"));
    let before = audit_entries_total(app);

    // A roll over server.max_upload_bytes.
    let big = roll::csv(&roll::in_units(&[("U1", 60)]));
    assert!(big.len() > LIMIT);
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections/limits/roll").body("text/csv", big),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("max_upload_bytes"),
        "{body}"
    );

    // A spec over server.max_body_bytes (a valid spec, padded with a comment).
    let max_body = app.settings.server.max_body_bytes;
    let padded = format!(
        "{}\n# {}\n",
        SpecFixture::far_future("padded").toml(),
        "x".repeat(max_body)
    );
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections").body("application/toml", padded),
        )
        .await;
    assert_eq!(status, 413, "{body}");

    assert_eq!(audit_entries_total(app), before);
    let (_, summary) = staffed
        .json(Who::Committee, &Req::get("/api/v1/elections/limits"))
        .await;
    assert_eq!(summary["eligible"], 0);
    let (status, _) = staffed
        .json(Who::Committee, &Req::get("/api/v1/elections/padded"))
        .await;
    assert_eq!(status, 404);

    // Under the limits, the same routes work.
    let small = roll::csv(&roll::in_units(&[("U1", 10)]));
    assert!(small.len() < LIMIT);
    let (status, body) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections/limits/roll").body("text/csv", small),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

// ---------------------------------------------------------------------------
// S12: accountability

#[actix_web::test]
async fn every_committee_action_through_the_api_is_logged_with_the_acting_account() {
    // One trustee account registers all three trustees here, so the slot
    // limit is raised; tests/api/ceremony_jam.rs tests the limit itself.
    let app = TestApp::spawn_configured(|s| s.election.max_trustee_slots_per_account = 3).await;
    let staffed = Staffed::with(app).await;
    let app = &staffed.app;
    let slug = "logged";
    let committee = Who::Committee.email();
    let trustee = Who::Trustee.email();

    let ok = |status: u16, body: &Value| assert!((200..300).contains(&status), "{status}: {body}");
    let (s, b) = staffed
        .json(
            Who::Committee,
            &Req::post("/api/v1/elections")
                .body("application/toml", SpecFixture::far_future(slug).toml()),
        )
        .await;
    ok(s, &b);
    let (s, b) = staffed
        .json(
            Who::Committee,
            &Req::post(format!("/api/v1/elections/{slug}/roll")).body(
                "text/csv",
                roll::csv(&roll::in_units(&[("U1", 4), ("U3", 2)])),
            ),
        )
        .await;
    ok(s, &b);
    let (s, b) = staffed
        .json(
            Who::Committee,
            &Req::post(format!("/api/v1/elections/{slug}/extend")).json(json!({
                "closes_at": "2099-12-13T01:00:00Z", "reason": "a storm closed the worksites",
            })),
        )
        .await;
    ok(s, &b);
    assert_eq!(b["closes_at"], "2099-12-13T01:00:00Z");

    // The key ceremony, by a trustee account on behalf of three trustees,
    // through the API (roster out, files in).
    let files = format!("/api/v1/elections/{slug}/trustee-files");
    let roster_path = Req::get(format!("/api/v1/elections/{slug}/roster"));
    let register =
        |file: TrusteeFile| Req::post(files.clone()).body("application/json", file.to_json());
    let mut rng = ratify_crypto::os_rng();
    let mut secrets = Vec::new();
    for _ in 0..3 {
        let (secret, public) = ratify_crypto::keygen(&mut rng);
        let (s, b) = staffed
            .json(Who::Trustee, &register(TrusteeFile::Public(public)))
            .await;
        ok(s, &b);
        assert_eq!(b["kind"], "public");
        secrets.push(secret);
    }
    let roster = |v: Value| -> Roster { serde_json::from_value(v).unwrap() };
    let (_, r) = staffed.json(Who::Trustee, &roster_path).await;
    let r = roster(r);
    for secret in &secrets {
        let deal = ratify_crypto::deal(secret, &r).unwrap();
        let (s, b) = staffed
            .json(Who::Trustee, &register(TrusteeFile::Deal(deal)))
            .await;
        ok(s, &b);
    }
    let (_, r) = staffed.json(Who::Trustee, &roster_path).await;
    let r = roster(r);
    for secret in &secrets {
        let ConfirmOutcome::Confirmed(c) = ratify_crypto::confirm(secret, &r).unwrap() else {
            panic!("complaint");
        };
        let (s, b) = staffed
            .json(Who::Trustee, &register(TrusteeFile::Confirmation(c)))
            .await;
        ok(s, &b);
    }
    let (s, b) = staffed
        .json(
            Who::Committee,
            &Req::post(format!("/api/v1/elections/{slug}/publish-key")),
        )
        .await;
    ok(s, &b);
    assert_eq!(b["verification_keys"].as_array().unwrap().len(), 3);

    let log: Vec<(String, String)> = election_log(app, slug)
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut expected = vec![
        ("election.created".to_string(), committee.clone()),
        ("roll.imported".to_string(), committee.clone()),
        ("window.extended".to_string(), committee.clone()),
    ];
    expected.extend((0..9).map(|_| ("trustee.registered".to_string(), trustee.clone())));
    expected.push(("key.published".to_string(), committee.clone()));
    assert_eq!(log, expected);
    let extended = &election_log(app, slug)[2];
    assert_eq!(extended["data"]["reason"], "a storm closed the worksites");

    // Account changes go to the system log, with the acting admin.
    let (s, b) = staffed
        .json(
            Who::Admin,
            &Req::post("/api/v1/accounts").json(json!({
                "email": "teller@example.org", "name": "Sam Teller", "role": "committee",
                "password": PASSWORD,
            })),
        )
        .await;
    ok(s, &b);
    assert!(
        !b.to_string().contains(PASSWORD),
        "the password came back: {b}"
    );
    let id = b["account"]["id"].as_i64().unwrap();
    let (s, b) = staffed
        .json(
            Who::Admin,
            &Req::post(format!("/api/v1/accounts/{id}/disable")),
        )
        .await;
    ok(s, &b);
    assert_eq!(b["disabled"], true);
    let system = log_entries(app, &LogName::System);
    for kind in ["account.created", "account.disabled"] {
        let entry = system
            .iter()
            .find(|e| e["kind"] == kind && e["data"]["email"] == "teller@example.org")
            .unwrap_or_else(|| panic!("no {kind} entry"));
        assert_eq!(entry["actor"], Who::Admin.email());
        assert!(!entry.to_string().contains(PASSWORD));
    }
}

// ---------------------------------------------------------------------------
// The OpenAPI document

#[actix_web::test]
async fn the_openapi_document_is_served_and_lists_every_api_route() {
    let staffed = Staffed::spawn().await;
    let app = &staffed.app;
    let doc = openapi(app).await;
    let version = doc["openapi"].as_str().expect("an openapi field");
    assert!(version.starts_with("3."), "{version}");
    let paths = doc["paths"].as_object().expect("paths");

    // Every route registered in src/web/api is documented...
    for (method, route) in routes_in_source() {
        let op = &paths
            .get(&route)
            .unwrap_or_else(|| panic!("{route} is not in the document"))[&method];
        assert!(op.is_object(), "{method} {route} is not in the document");
        assert!(op["responses"].is_object(), "{method} {route}");
    }

    // ...and every documented route is served (here or by another module:
    // the session and the public audit log), with the methods it lists.
    app.create_election(&SpecFixture::far_future("served"));
    let mut documented = 0;
    for (route, item) in paths {
        assert!(route.starts_with("/api/v1/"), "{route}");
        let path = route.replace("{slug}", "served").replace("{id}", "1");
        for (method, _) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = Client::new()
                .request(method.clone(), app.url(&path))
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            // actix's own 404 for an unknown route has an empty body; a
            // route's own 404 ("no such log yet") explains itself in JSON.
            assert!(
                status != 404
                    || serde_json::from_str::<Value>(&body).is_ok_and(|v| v["error"].is_string()),
                "{method} {route} is documented but not served"
            );
            documented += 1;
        }
    }
    assert!(documented >= routes_in_source().len() + 6);
    assert!(paths.contains_key("/api/v1/elections/{slug}/log/entries"));
    assert!(paths.contains_key("/api/v1/session"));

    // The schemes the routes refer to exist.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
}
