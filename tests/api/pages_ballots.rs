//! The committee's ballot delivery page (issue 12): the committee sends the
//! ballots and reminders with a button; auditors see the counts, never an
//! address, and no button; trustees do not see the page.

use ratify::account::Role;
use ratify_testkit::roll;

use crate::helpers::*;
use crate::vote_support::*;

fn queued_messages(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.get().unwrap();
    diesel::RunQueryDsl::get_result::<N>(
        diesel::sql_query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'queued'"),
        &mut *conn,
    )
    .unwrap()
    .n
}

#[actix_web::test]
async fn the_committee_sends_ballots_and_reminders_from_the_page() {
    let app = TestApp::spawn().await;
    let members = roll::spread(6);
    let slug = app.create_election(&ratify_testkit::SpecFixture::far_future("send-page"));
    app.import_roll(&slug, &members);
    app.key_ceremony(&slug);
    app.publish_key(&slug);
    let chair = app.sign_in_as(Role::Committee).await;
    let page_url = app.url(&format!("/committee/elections/{slug}/ballots"));
    let page = chair.client.get(&page_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="send""#) && html.contains(r#"id="remind""#));
    let csrf = csrf_in(&html).expect("a hidden CSRF field");

    let sent = chair
        .client
        .post(app.url(&format!("/committee/elections/{slug}/ballots/send")))
        .form(&[("csrf", csrf.as_str()), ("employer_reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303, "post/redirect/get");
    let location = sent.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("/ballots?done=sent"), "{location}");
    let html = chair
        .client
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("The ballots are queued"), "{html}");
    assert_eq!(queued_messages(&app), 6);

    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(slug.clone());
    let entries = ratify::audit::entries(&mut conn, &log, 0, 1000).unwrap();
    assert!(entries.iter().any(|e| e.contains("\"credential.issued\"")));
    assert!(!entries.iter().any(|e| e.contains(&members[1].email)));
}

/// Reminders go to the members who have not voted, each with a fresh link.
#[actix_web::test]
async fn the_reminder_button_reaches_only_members_who_have_not_voted() {
    let app = TestApp::spawn().await;
    let members = roll::spread(5);
    let links = open_election(&app, "remind-page", &members);
    assert_eq!(cast(&app, &links[2].1, "no", "no").await.0, 303);
    let chair = app.sign_in_as(Role::Committee).await;
    let page_url = app.url("/committee/elections/remind-page/ballots");
    let html = chair
        .client
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&html).expect("a hidden CSRF field");
    let reminded = chair
        .client
        .post(format!("{page_url}/send"))
        .form(&[("csrf", csrf.as_str()), ("reminder", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(reminded.status(), 303);
    assert!(reminded.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("/ballots?done=reminded"));
    assert_eq!(queued_messages(&app), 4, "the four who have not voted");
    // Their printed links were replaced by the reminders' fresh ones.
    let old = voter_client()
        .get(app.url(&format!("/vote/{}", links[0].1.expose())))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 409);
}

#[actix_web::test]
async fn auditors_see_counts_without_addresses_or_buttons_and_trustees_no_page() {
    let app = TestApp::spawn().await;
    let members = roll::spread(3);
    open_election(&app, "send-audit", &members);
    let path = "/committee/elections/send-audit/ballots";
    let auditor = app.sign_in_as(Role::Auditor).await;
    let page = auditor.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="delivery""#));
    assert!(!html.contains(r#"id="send""#) && !html.contains(r#"id="undeliverable""#));
    assert!(members.iter().all(|m| !html.contains(&m.email)));
    let refused = auditor
        .client
        .post(app.url(&format!("{path}/send")))
        .form(&[("csrf", auditor.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let trustee = app.sign_in_as(Role::Trustee).await;
    let page = trustee.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 403);
}

/// The member search's Ballot column follows the member's newest message.
#[actix_web::test]
async fn member_search_shows_where_each_ballot_link_is() {
    let app = TestApp::spawn().await;
    let members = roll::spread(3);
    open_election(&app, "search-status", &members);
    let chair = app.sign_in_as(Role::Committee).await;
    let search = |q: String| {
        chair
            .client
            .get(app.url(&format!("/committee/elections/search-status/members?q={q}")))
            .send()
    };
    // open_election printed a notice for everyone.
    let html = search(members[0].number.clone())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("printed notice"), "{html}");
    assert!(!html.contains("not sent"));
}
