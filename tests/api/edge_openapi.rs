//! The OpenAPI document states what the server enforces (issue 9): the
//! constraints on every field and parameter, the bodies' media types, and
//! every status each route can answer. schemathesis (.ci/run) then checks
//! the running server against it; this test pins the statements.

use reqwest::Client;
use serde_json::Value;

use crate::helpers::*;

/// Some character that is neither white space nor NUL, and no NUL at all.
const NOT_BLANK: &str = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";

async fn document(app: &TestApp) -> Value {
    Client::new()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The schema a `$ref` points to, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn param<'a>(op: &'a Value, name: &str) -> &'a Value {
    op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[actix_web::test]
async fn the_document_states_the_constraints_the_server_enforces() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let paths = &doc["paths"];

    // Accounts: email format, a non-blank name, the password's length.
    let body =
        &paths["/api/v1/accounts"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let account = resolve(&doc, body);
    assert_eq!(account["properties"]["email"]["format"], "email");
    assert_eq!(account["properties"]["name"]["pattern"], NOT_BLANK);
    assert_eq!(
        account["properties"]["password"]["pattern"],
        "^[^\\u0000]*$"
    );
    assert_eq!(
        account["properties"]["password"]["minLength"],
        ratify::account::password::MIN_LENGTH as u64
    );
    let required: Vec<&str> = account["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["email", "name", "role", "password"]);

    // The extension: a date-time and a non-blank reason.
    let body = &paths["/api/v1/elections/{slug}/extend"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    let extend = resolve(&doc, body);
    assert_eq!(extend["properties"]["closes_at"]["format"], "date-time");
    assert_eq!(extend["properties"]["reason"]["pattern"], NOT_BLANK);

    // The spec's and the roll's media types; the trustee file's `type`.
    let create = &paths["/api/v1/elections"]["post"]["requestBody"]["content"];
    assert!(create["application/toml"].is_object() && create["text/plain"].is_object());
    let roll = &paths["/api/v1/elections/{slug}/roll"]["post"]["requestBody"]["content"];
    assert!(roll["text/csv"].is_object());
    let trustee = &paths["/api/v1/elections/{slug}/trustee-files"]["post"]["requestBody"]
        ["content"]["application/json"]["schema"];
    let trustee = resolve(&doc, trustee);
    assert_eq!(trustee["required"][0], "type");

    // Page limits and unsigned ranges.
    let members = &paths["/api/v1/elections/{slug}/members"]["get"];
    let limit = &param(members, "limit")["schema"];
    assert_eq!(
        (limit["minimum"].as_u64(), limit["maximum"].as_u64()),
        (Some(1), Some(500))
    );
    for (route, names) in [
        ("/api/v1/elections/{slug}/log/entries", ["start", "end"]),
        ("/api/v1/elections/{slug}/log/inclusion", ["index", "size"]),
        ("/api/v1/elections/{slug}/log/consistency", ["old", "new"]),
    ] {
        for name in names {
            let p = param(&paths[route]["get"], name);
            assert_eq!(p["required"], true, "{route} {name}");
            assert_eq!(p["schema"]["minimum"], 0, "{route} {name}");
        }
    }
}

#[actix_web::test]
async fn every_route_lists_the_statuses_the_edge_can_answer() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut checked = 0;
    for (route, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            let has = |code: &str| responses.contains_key(code);
            let what = format!("{method} {route}");
            // NUL in the address is refused everywhere.
            assert!(has("400"), "{what}");
            if route != "/api/v1/openapi.json" {
                assert!(has("503"), "{what}");
            }
            if op.get("security").is_some() {
                assert!(has("401"), "{what}");
            }
            if method == "post" {
                assert!(has("403"), "{what}: CSRF");
            }
            if op.get("requestBody").is_some() {
                for code in ["408", "413", "415"] {
                    assert!(has(code), "{what} {code}");
                }
            }
            if route.contains("{slug}") || route.contains("{id}") {
                assert!(has("404"), "{what}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 18, "{checked}");
}
