//! Issue 12 over the API: the committee queues ballot emails and reissues
//! links; refusals name their field and change nothing; auditors see the
//! delivery counts per unit but never an address (S7).

use ratify::account::Role;
use ratify_testkit::roll;
use serde_json::{json, Value};

use crate::helpers::{Signed, TestApp};
use crate::mail_support::{ready_election, statuses};

async fn post(app: &TestApp, who: &Signed, path: &str, body: Value) -> (u16, Value) {
    let res = who
        .client
        .post(app.url(path))
        .header("X-CSRF-Token", &who.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, who: &Signed, path: &str) -> (u16, Value) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn the_committee_sends_and_reissues_and_auditors_see_counts_without_addresses() {
    let app =
        TestApp::spawn_configured(|s| s.mail.employer_domains = vec!["example.org".into()]).await;
    let mut members = roll::in_units(&[("U1", 3), ("U2", 2)]);
    for m in members.iter_mut().skip(1) {
        m.email = m.email.replace("example.org", "example.net");
    }
    let chair = app.sign_in_as(Role::Committee).await;
    let auditor = app.sign_in_as(Role::Auditor).await;

    // Before the key is published: refused, nothing queued.
    let draft = app.create_election(&crate::helpers::SpecFixture::far_future("mail-draft"));
    app.import_roll(&draft, &members);
    let (status, body) = post(
        &app,
        &chair,
        &format!("/api/v1/elections/{draft}/ballots/send"),
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body.to_string().contains("publish the election key"),
        "{body}"
    );
    assert!(statuses(&app).is_empty());

    let slug = ready_election(&app, "mail-api", &members);
    let send = format!("/api/v1/elections/{slug}/ballots/send");
    let (status, _) = post(&app, &auditor, &send, json!({})).await;
    assert_eq!(status, 403, "auditors observe, they do not send");
    let (status, body) = post(&app, &chair, &send, json!({ "employer_reason": "  " })).await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "employer_reason", "{body}");
    let (status, body) = post(&app, &chair, &send, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["queued"], 4);
    assert_eq!(body["employer_only_skipped"], 1);

    let reissue = format!("/api/v1/elections/{slug}/ballots/reissue");
    let (status, body) = post(
        &app,
        &chair,
        &reissue,
        json!({ "member_number": "100002", "reason": "" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "reason", "{body}");
    let (status, body) = post(
        &app,
        &chair,
        &reissue,
        json!({ "member_number": "100002", "reason": "x", "email": "not an address" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "email", "{body}");
    let (status, body) = post(&app, &chair, &reissue, json!({ "member_number": "100002", "reason": "typo in address", "email": "fixed@example.net" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["email_corrected"], true);
    assert_eq!(
        statuses(&app).get("cancelled"),
        Some(&1),
        "the old queued email is cancelled"
    );
    assert_eq!(statuses(&app).get("queued"), Some(&4));

    let delivery = format!("/api/v1/elections/{slug}/delivery");
    let (status, committee_view) = get(&app, &chair, &delivery).await;
    assert_eq!(status, 200);
    assert!(committee_view["undeliverable"].is_array());
    let (status, auditor_view) = get(&app, &auditor, &delivery).await;
    assert_eq!(status, 200);
    assert!(
        auditor_view.get("undeliverable").is_none(),
        "{auditor_view}"
    );
    assert_eq!(
        auditor_view["units"], committee_view["units"],
        "the same counts"
    );
    let text = auditor_view.to_string();
    assert!(!text.contains('@'), "no address for auditors: {text}");
    let u1 = auditor_view["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "U1")
        .unwrap();
    assert_eq!(u1["queued"], 2);
    assert_eq!(u1["employer_only"], 1);
    let u2 = auditor_view["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "U2")
        .unwrap();
    assert_eq!(u2["queued"], 2);
}
