//! Issue 9, "one permission table": the member search is shaped for the
//! viewer in the query itself (S7, S11). An auditor's search matches member
//! numbers only, in SQL, so `limit` counts only rows the auditor may see; a
//! name or an email is answered with "auditors search by member number",
//! not with a silent "no member matches"; and no name, email or voted flag
//! is in the auditor's answer. And "you cannot disable your own account"
//! is a rule of the account domain, kept by every surface.

use ratify::account::Role;
use ratify_testkit::Member;
use serde_json::Value;

use crate::helpers::*;

const SLUG_P: &str = "perm-search";

/// 60 decoys first in member-number order (`A0001`…), whose emails
/// contain "z" but whose numbers do not, then three members whose numbers
/// do (`Z001`…`Z003`). An auditor's search for "z" must find the three:
/// before the search was shaped in SQL, the decoys filled the `LIMIT` and
/// were then filtered out, so the answer came back short or empty.
fn roll_with_decoys() -> Vec<Member> {
    let decoys = (1..=60).map(|i| Member {
        number: format!("A{i:04}"),
        name: format!("Decoy Person {i}"),
        email: format!("decoy.z{i}@example.org"),
        unit: "U1".into(),
        language: "en",
    });
    let targets = (1..=3).map(|i| Member {
        number: format!("Z{i:03}"),
        name: format!("Target Person {i}"),
        email: format!("target{i}@example.org"),
        unit: "U2".into(),
        language: "es",
    });
    decoys.chain(targets).collect()
}

async fn setup() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future(SLUG_P));
    app.import_roll(SLUG_P, &roll_with_decoys());
    app
}

async fn get_json(app: &TestApp, who: &Signed, path: &str) -> (u16, Value) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

async fn get_text(app: &TestApp, who: &Signed, path: &str) -> (u16, String) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn numbers(found: &Value) -> Vec<&str> {
    found
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {found}"))
        .iter()
        .map(|m| m["member_number"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn an_auditors_limit_counts_only_members_they_may_see() {
    let app = setup().await;
    let auditor = app.sign_in_as(Role::Auditor).await;
    let chair = app.sign_in_as(Role::Committee).await;
    let api =
        |q: &str, limit: u32| format!("/api/v1/elections/{SLUG_P}/members?q={q}&limit={limit}");

    // limit N with at least N matches: exactly N, by member number.
    for (limit, expected) in [
        (1, vec!["Z001"]),
        (2, vec!["Z001", "Z002"]),
        (3, vec!["Z001", "Z002", "Z003"]),
        (50, vec!["Z001", "Z002", "Z003"]),
    ] {
        let (status, found) = get_json(&app, &auditor, &api("z", limit)).await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(numbers(&found), expected, "limit {limit}");
        // Only what an auditor may see, and nothing else (S7).
        for m in found.as_array().unwrap() {
            let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["eligible", "language", "member_number", "unit"],
                "{m}"
            );
        }
        let text = found.to_string();
        assert!(
            !text.contains("example.org") && !text.contains("Person"),
            "{text}"
        );
    }

    // The committee's same search matches the emails too (contact details
    // are theirs to search), so the decoys come first.
    let (status, found) = get_json(&app, &chair, &api("z", 3)).await;
    assert_eq!(status, 200);
    assert_eq!(numbers(&found), ["A0001", "A0002", "A0003"]);
    assert_eq!(found[0]["email"], "decoy.z1@example.org");
    assert_eq!(found[0]["has_voted"], false);

    // The page: 60 decoys would have filled its 50 (+1) rows before.
    let (status, html) = get_text(
        &app,
        &auditor,
        &format!("/committee/elections/{SLUG_P}/members?q=z"),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    for n in ["Z001", "Z002", "Z003"] {
        assert!(html.contains(n), "{n} missing:\n{html}");
    }
    assert!(!html.contains("A0001"), "{html}");
    assert!(
        !html.contains("example.org") && !html.contains("Person"),
        "{html}"
    );
    assert!(!html.contains(">Voted<"), "{html}");
}

#[actix_web::test]
async fn an_auditor_searching_by_a_name_or_an_email_is_told_to_use_the_member_number() {
    let app = setup().await;
    let auditor = app.sign_in_as(Role::Auditor).await;
    let chair = app.sign_in_as(Role::Committee).await;

    for q in ["Target%20Person%201", "target1%40example.org"] {
        // API: a 400 naming the field, saying why.
        let path = format!("/api/v1/elections/{SLUG_P}/members?q={q}");
        let (status, body) = get_json(&app, &auditor, &path).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["field"], "q", "{body}");
        let error = body["error"].as_str().unwrap();
        assert!(
            error.contains("auditors search by member number"),
            "{error}"
        );
        assert!(!body.to_string().contains("Z001"), "{body}");

        // The page says the same thing, not "No member matches".
        let page = format!("/committee/elections/{SLUG_P}/members?q={q}");
        let (status, html) = get_text(&app, &auditor, &page).await;
        assert_eq!(status, 400, "{html}");
        assert!(html.contains("Auditors search by member number"), "{html}");
        assert!(!html.contains("No member matches"), "{html}");
        assert!(!html.contains("Z001") && !html.contains("<table"), "{html}");

        // The committee finds the member by the same words.
        let (status, found) = get_json(&app, &chair, &path).await;
        assert_eq!(status, 200);
        assert_eq!(numbers(&found), ["Z001"]);
    }

    // A single word could be part of a member number: searched, and when
    // nothing matches the page still says what auditors search by.
    let page = format!("/committee/elections/{SLUG_P}/members?q=Target");
    let (status, html) = get_text(&app, &auditor, &page).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("No member number contains"), "{html}");
    assert!(html.contains("Auditors search by member number"), "{html}");
    let (status, found) = get_json(
        &app,
        &auditor,
        &format!("/api/v1/elections/{SLUG_P}/members?q=Target"),
    )
    .await;
    assert_eq!((status, found), (200, Value::Array(vec![])));

    // Trustees may not look members up at all.
    let trustee = app.sign_in_as(Role::Trustee).await;
    let (status, _) = get_text(
        &app,
        &trustee,
        &format!("/api/v1/elections/{SLUG_P}/members?q=Z001"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = get_text(
        &app,
        &trustee,
        &format!("/committee/elections/{SLUG_P}/members?q=Z001"),
    )
    .await;
    assert_eq!(status, 403);
}

// ------------------------------------------------- disabling your own account

fn account_id(app: &TestApp, email: &str) -> i64 {
    let mut conn = app.db.get().unwrap();
    ratify::account::list_accounts(&mut conn)
        .unwrap()
        .into_iter()
        .find(|a| a.email == email)
        .unwrap()
        .id
}

fn disabled(app: &TestApp, id: i64) -> bool {
    let mut conn = app.db.get().unwrap();
    ratify::account::find_by_id(&mut conn, id)
        .unwrap()
        .unwrap()
        .disabled
}

#[actix_web::test]
async fn the_account_domain_refuses_to_disable_the_acting_account() {
    let app = TestApp::spawn().await;
    app.create_account("admin@example.org", Role::Admin);
    app.create_account("other@example.org", Role::Admin);
    let me = account_id(&app, "admin@example.org");
    let other = account_id(&app, "other@example.org");
    let now = chrono::Utc::now();

    let mut conn = app.db.get().unwrap();
    let refused =
        ratify::account::set_disabled(&mut conn, me, true, Some(me), "admin@example.org", now);
    match refused {
        Err(ratify::error::Error::Conflict(m)) => {
            assert!(m.to_string().contains("your own account"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    drop(conn);
    assert!(!disabled(&app, me), "nothing changed");

    // Re-enabling oneself is harmless; another admin may disable you.
    let mut conn = app.db.get().unwrap();
    ratify::account::set_disabled(&mut conn, me, false, Some(me), "admin@example.org", now)
        .unwrap();
    ratify::account::set_disabled(&mut conn, me, true, Some(other), "other@example.org", now)
        .unwrap();
    drop(conn);
    assert!(disabled(&app, me));
}

#[actix_web::test]
async fn an_admin_cannot_disable_their_own_account_from_the_page_or_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let me = account_id(&app, &admin.email);

    let res = admin
        .client
        .post(app.url(&format!("/api/v1/accounts/{me}/disable")))
        .header("X-CSRF-Token", &admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("your own account"),
        "{body}"
    );

    let res = admin
        .client
        .post(app.url(&format!(
            "/committee/accounts/{me}/disable?csrf={}",
            admin.csrf
        )))
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert!(html.contains("your own account"), "{html}");
    assert!(!disabled(&app, me));
    // Still signed in.
    let res = admin
        .client
        .get(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
