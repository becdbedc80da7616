//! The edge of the HTTP server (issue 9): HEAD wherever GET, 405 with
//! `Allow` for a wrong method, JSON 404 under /api and a page elsewhere,
//! NUL refused in addresses, roles checked before parameters, and every
//! parameter or body error as JSON naming its field (docs/api.md §Errors).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use ratify::account::Role;
use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::helpers::*;

/// Sends raw bytes on a fresh connection and reads until the server closes
/// it (or `wait` passes); returns what came back.
pub fn raw_exchange(address: &str, request: &[u8], wait: Duration) -> String {
    let host = address.trim_start_matches("http://");
    let Ok(mut stream) = TcpStream::connect(host) else {
        return String::new();
    };
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The status, headers (lower-case names) and body of a raw response.
fn split_response(raw: &str) -> (u16, Vec<(String, String)>, String) {
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn send(
    app: &TestApp,
    client: &Client,
    method: &str,
    path: &str,
) -> (u16, String, reqwest::header::HeaderMap) {
    let res = client
        .request(
            Method::from_bytes(method.as_bytes()).unwrap(),
            app.url(path),
        )
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.text().await.unwrap(), headers)
}

fn create_election(app: &TestApp, slug: &str) {
    let spec = include_str!("../../src/election/testdata/kern-lbfo-2024.toml")
        .replace("slug = \"kern-lbfo-2024\"", &format!("slug = \"{slug}\""))
        .replace("opens_at = \"2024-12-02", "opens_at = \"2099-12-02")
        .replace("closes_at = \"2024-12-11", "closes_at = \"2099-12-11");
    let spec = ratify::election::parse_spec(&spec).unwrap();
    let mut conn = app.db.get().unwrap();
    let now = ratify::clock::Clock::now(&app.clock);
    ratify::election::create_election(&mut conn, &spec, Some("setup@example.org"), now).unwrap();
}

#[actix_web::test]
async fn head_works_wherever_get_does_and_sends_no_body() {
    let app = TestApp::spawn().await;
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/openapi.json",
        "/login",
        "/static/ratify.css",
    ] {
        let get = app.get(path).await;
        assert_eq!(get.status(), 200, "GET {path}");
        let raw = raw_exchange(
            &app.address,
            format!("HEAD {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            Duration::from_secs(10),
        );
        let (status, headers, body) = split_response(&raw);
        assert_eq!(status, 200, "HEAD {path}: {raw}");
        assert_eq!(body, "", "HEAD {path} sent a body");
        // The same headers as GET: type and the security headers (S18).
        assert!(header(&headers, "content-type").is_some(), "{path}");
        assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"));
    }
    // HEAD answers as GET would for who is asking: not signed in is 401.
    let res = Client::new()
        .head(app.url("/api/v1/elections"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[actix_web::test]
async fn a_wrong_method_gets_405_with_allow_on_every_route() {
    let app = TestApp::spawn().await;
    create_election(&app, "served");
    let client = Client::new();
    // The pages...
    let pages = [
        ("PUT", "/healthz", "GET, HEAD"),
        ("POST", "/readyz", "GET, HEAD"),
        ("GET", "/logout", "POST"),
        ("DELETE", "/login", "GET, HEAD, POST"),
        // GET: the confirmation before disabling (issue 11).
        ("PATCH", "/committee/accounts/1/disable", "GET, HEAD, POST"),
        ("PUT", "/committee/elections/served/roll", "GET, HEAD, POST"),
    ];
    for (method, path, allow) in pages {
        let (status, _, headers) = send(&app, &client, method, path).await;
        assert_eq!(status, 405, "{method} {path}");
        assert_eq!(headers["allow"], allow, "{method} {path}");
    }
    // ...and every route of the API document, with every method it does
    // not list; the answer is JSON.
    let doc: Value = client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (route, item) in doc["paths"].as_object().unwrap() {
        let path = route.replace("{slug}", "served").replace("{id}", "1");
        let listed: Vec<String> = item
            .as_object()
            .unwrap()
            .keys()
            .map(|m| m.to_uppercase())
            .collect();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if listed.iter().any(|m| m == method) {
                continue;
            }
            let (status, body, headers) = send(&app, &client, method, &path).await;
            assert_eq!(status, 405, "{method} {route}");
            let allow = headers["allow"].to_str().unwrap();
            for m in &listed {
                assert!(
                    allow.contains(m.as_str()),
                    "{method} {route}: Allow {allow}"
                );
            }
            assert_eq!(listed.contains(&"GET".to_string()), allow.contains("HEAD"));
            let body: Value = serde_json::from_str(&body).expect("JSON");
            assert!(body["error"].is_string());
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[actix_web::test]
async fn unknown_paths_get_json_under_api_and_a_page_elsewhere() {
    let app = TestApp::spawn().await;
    let (status, body, headers) = send(&app, &Client::new(), "GET", "/api/v1/no-such-thing").await;
    assert_eq!(status, 404);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert!(body["error"].as_str().unwrap().contains("not found"));

    for path in [
        "/no-such-page",
        "/vote/whatever/else",
        "/committee/nothing-here",
    ] {
        let (status, body, headers) = send(&app, &Client::new(), "GET", path).await;
        assert_eq!(status, 404, "{path}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(body.contains("Page not found"), "{body}");
        // The page stays under the CSP: no script, no inline style (S18).
        assert!(!body.contains("<script") && !body.contains("style="));
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'"));
    }
    // In the reader's language.
    let res = Client::new()
        .get(app.url("/no-such-page"))
        .header("Accept-Language", "es-MX,es;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Página no encontrada"));
}

/// Every route in `src/web/` (outside the API, whose document lists its
/// own) is in the fallback's table, so a wrong method there gets 405, not
/// 404; and every method the table lists is served.
#[actix_web::test]
async fn the_table_of_page_routes_matches_the_routes_served() {
    let app = TestApp::spawn().await;
    create_election(&app, "served");
    let doc: Value = serde_json::from_str(ratify::web::api::openapi_document()).unwrap();
    let table: Vec<String> = ratify::web::fallback::PAGES
        .iter()
        .map(|(route, _)| route.to_string())
        .chain(doc["paths"].as_object().unwrap().keys().cloned())
        .collect();
    for (route, method) in routes_registered_outside_the_api() {
        assert!(
            table.iter().any(|t| t.ends_with(&route)),
            "{method} {route} is served but neither in web::fallback::PAGES nor in the API document"
        );
    }
    for (route, methods) in ratify::web::fallback::PAGES {
        let path = route
            .replace("{slug}", "served")
            .replace("{id}", "1")
            .replace("{action}", "disable")
            .replace("{code}", "es")
            .replace("{number}", "1001")
            .replace("{tracker}", &"a".repeat(64));
        for method in *methods {
            let (status, body, _) = send(&app, &Client::new(), method, &path).await;
            assert_ne!(status, 405, "{method} {route}");
            assert!(
                !(status == 404 && body.contains("Page not found")),
                "{method} {route} is in the table but not served"
            );
        }
    }
}

/// `.route("…", web::METHOD()` and `#[get("…")]` in src/web outside api/.
fn routes_registered_outside_the_api() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![workspace().join("src/web")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("api") {
                    dirs.push(path);
                }
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for piece in flat.split(".route(\"").skip(1) {
                let route = piece.split('"').next().unwrap().to_string();
                let method = piece
                    .split("web::")
                    .nth(1)
                    .and_then(|m| m.split('(').next())
                    .unwrap_or("?")
                    .to_string();
                if !route.is_empty() {
                    found.push((route, method));
                }
            }
            for method in ["get", "post"] {
                for piece in flat.split(&format!("#[{method}(\"")).skip(1) {
                    found.push((piece.split('"').next().unwrap().to_string(), method.into()));
                }
            }
        }
    }
    assert!(found.len() >= 15, "{found:?}");
    found
}

#[actix_web::test]
async fn a_nul_byte_in_a_path_or_query_is_bad_input_not_a_server_error() {
    let app = TestApp::spawn().await;
    create_election(&app, "served");
    app.create_account("admin@example.org", Role::Admin);
    let (admin, _) = app.signed_in("admin@example.org").await;
    let cases = [
        ("/api/v1/elections/served%00", None),
        ("/api/v1/elections/a%00b/members?q=x", None),
        ("/api/v1/elections/served/members?q=a%00b", Some("q")),
    ];
    for (path, field) in cases {
        let (status, body, _) = send(&app, &admin, "GET", path).await;
        assert_eq!(status, 400, "{path}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert!(body["error"].as_str().unwrap().contains("NUL"), "{body}");
        assert_eq!(body["field"].as_str(), field, "{path}");
    }
    let anonymous = Client::new();
    for path in [
        "/api/v1/elections/a%00/log/checkpoint",
        "/api/v1/elections/a%00/log/vkey",
        "/api/v1/elections/served/log/entries?start=0%00&end=1",
    ] {
        let (status, body, _) = send(&app, &anonymous, "GET", path).await;
        assert_eq!(status, 400, "{path}: {body}");
    }
    // Pages too: a 400 page, not a 500.
    for path in ["/elections/a%00b", "/committee/elections/a%00b"] {
        let (status, body, _) = send(&app, &anonymous, "GET", path).await;
        assert_eq!(status, 400, "{path}");
        assert!(body.contains("<html"), "{body}");
    }
    // The election is still there and readable.
    let (status, _, _) = send(&app, &admin, "GET", "/api/v1/elections/served").await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn roles_are_checked_before_parameters_are_read() {
    let app = TestApp::spawn().await;
    create_election(&app, "served");
    for (email, role) in [
        ("admin@example.org", Role::Admin),
        ("trustee@example.org", Role::Trustee),
        ("auditor@example.org", Role::Auditor),
        ("committee@example.org", Role::Committee),
    ] {
        app.create_account(email, role);
    }
    let members = "/api/v1/elections/served/members?limit=AAA";
    let disable = "/api/v1/accounts/AAA/disable";
    let (status, _, _) = send(&app, &Client::new(), "GET", members).await;
    assert_eq!(status, 401);
    let (trustee, _) = app.signed_in("trustee@example.org").await;
    let (status, _, _) = send(&app, &trustee, "GET", members).await;
    assert_eq!(status, 403, "a trustee learns nothing about the parameters");
    let (auditor, _) = app.signed_in("auditor@example.org").await;
    let (status, body, _) = send(&app, &auditor, "GET", members).await;
    assert_eq!(status, 400);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["field"], "limit");

    let (status, _, _) = send(&app, &Client::new(), "POST", disable).await;
    assert_eq!(status, 401);
    let (committee, csrf) = app.signed_in("committee@example.org").await;
    let res = committee
        .post(app.url(disable))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let (admin, csrf) = app.signed_in("admin@example.org").await;
    let res = admin
        .post(app.url(disable))
        .header("X-CSRF-Token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["field"], "id");
    assert_eq!(body["error"], "id: expected a whole number");
}

#[actix_web::test]
async fn query_and_path_errors_are_json_naming_the_parameter_in_plain_words() {
    let app = TestApp::spawn().await;
    create_election(&app, "served");
    app.create_account("admin@example.org", Role::Admin);
    let (admin, _) = app.signed_in("admin@example.org").await;
    let anonymous = Client::new();
    let base = "/api/v1/elections/served";
    let cases: [(&Client, String, &str, &str); 8] = [
        (
            &anonymous,
            format!("{base}/log/entries?start=AAA&end=1"),
            "start",
            "start: expected a whole number, 0 or more",
        ),
        (
            &anonymous,
            format!("{base}/log/entries?start=-1&end=1"),
            "start",
            "start: expected a whole number, 0 or more",
        ),
        (
            &anonymous,
            format!("{base}/log/entries?start=0"),
            "end",
            "end: is required",
        ),
        (
            &anonymous,
            format!("{base}/log/entries?start=5&end=1&x=2"),
            "x",
            "x: is not a parameter of this request",
        ),
        (
            &anonymous,
            format!("{base}/log/inclusion?index=1&size=99999999999999999999999"),
            "size",
            "size: expected a whole number, 0 or more",
        ),
        (
            &anonymous,
            format!("{base}/log/consistency?old=1&new=2&old=3"),
            "old",
            "old: is given more than once",
        ),
        (
            &admin,
            format!("{base}/members?limit=0"),
            "limit",
            "limit: expected a whole number from 1 to 500",
        ),
        (
            &admin,
            format!("{base}/members?limit=501&q=x"),
            "limit",
            "limit: expected a whole number from 1 to 500",
        ),
    ];
    for (client, path, field, error) in cases {
        let (status, body, headers) = send(&app, client, "GET", &path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["field"], field, "{path}");
        assert_eq!(body["error"], error, "{path}");
    }
    // The values are never echoed, and no Rust type is named.
    let (_, body, _) = send(
        &app,
        &anonymous,
        "GET",
        &format!("{base}/log/entries?start=SeCrEt&end=1"),
    )
    .await;
    for word in ["SeCrEt", "u64", "i64", "deserialize"] {
        assert!(!body.contains(word), "{body}");
    }
}

#[actix_web::test]
async fn json_body_errors_name_the_field_for_every_kind_of_mistake_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.create_account("admin@example.org", Role::Admin);
    let (admin, csrf) = app.signed_in("admin@example.org").await;
    let good = json!({"email": "new@example.org", "name": "New", "role": "committee",
                      "password": PASSWORD, "totp": false});
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        v.to_string()
    };
    let without = |key: &str| {
        let mut v = good.clone();
        v.as_object_mut().unwrap().remove(key);
        v.to_string()
    };
    let cases = [
        (with("email", json!(5)), "email", "email: expected text"),
        (
            with("totp", json!("yes")),
            "totp",
            "totp: expected true or false",
        ),
        (with("name", json!(["a"])), "name", "name: expected text"),
        (without("password"), "password", "password: is required"),
        (
            with("colour", json!("red")),
            "colour",
            "colour: is not a field of this request",
        ),
        (
            with("name", json!("Nu\u{0}ll")),
            "name",
            "name: contains a NUL character, which is never valid",
        ),
    ];
    for (body, field, error) in cases {
        let res = admin
            .post(app.url("/api/v1/accounts"))
            .header("X-CSRF-Token", &csrf)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body}");
        let answer: Value = res.json().await.unwrap();
        assert_eq!(answer["field"], field, "{body}");
        assert_eq!(answer["error"], error, "{body}");
    }
    for (body, error) in [
        ("[1, 2]", "the body must be a JSON object"),
        (
            "{\"email\": ",
            "the body is not valid JSON (line 1, column ",
        ),
    ] {
        let res = admin
            .post(app.url("/api/v1/accounts"))
            .header("X-CSRF-Token", &csrf)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body}");
        let answer: Value = res.json().await.unwrap();
        assert!(
            answer["error"].as_str().unwrap().starts_with(error),
            "{answer}"
        );
    }
    // Nothing was created.
    let accounts: Value = admin
        .get(app.url("/api/v1/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn every_log_route_of_an_unknown_election_is_404() {
    let app = TestApp::spawn().await;
    let base = "/api/v1/elections/nobody/log";
    for path in [
        format!("{base}/checkpoint"),
        format!("{base}/vkey"),
        format!("{base}/entries?start=0&end=1"),
        format!("{base}/entries?start=0&end=0"),
        format!("{base}/inclusion?index=0&size=1"),
        format!("{base}/consistency?old=0&new=1"),
    ] {
        let (status, body, _) = send(&app, &Client::new(), "GET", &path).await;
        assert_eq!(status, 404, "{path}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("not found"),
            "{path}"
        );
    }
    // A known election's key is served.
    create_election(&app, "known");
    let (status, body, _) = send(
        &app,
        &Client::new(),
        "GET",
        "/api/v1/elections/known/log/vkey",
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.starts_with("ratify.localhost"), "{body}");
}
