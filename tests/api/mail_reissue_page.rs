//! Issue 12 on the committee's pages: the Reissue form reached from the
//! member search (a required reason, an optional corrected address,
//! CSRF-protected, refused for a member who voted, EN/ES), and the roll
//! import's result showing, per unit, the members whose only address is
//! at an employer domain.

use ratify::account::Role;
use ratify_testkit::{roll, Member};
use reqwest::multipart::{Form, Part};

use crate::helpers::*;
use crate::vote_support::*;

fn reissue_path(slug: &str, number: &str) -> String {
    format!("/committee/elections/{slug}/members/{number}/reissue")
}

/// Status and page of a form POST by `who` (`csrf` may be left out).
async fn post(app: &TestApp, who: &Signed, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = who
        .client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn get(app: &TestApp, who: &Signed, path: &str) -> (u16, String) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The status of GET on a ballot link (200 works, 409 revoked or used).
async fn link_status(app: &TestApp, token: &ratify::credential::Token) -> u16 {
    let res = voter_client()
        .get(app.url(&format!("/vote/{}", token.expose())))
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

/// (the member's email, their queued messages, their credentials).
fn member_state(app: &TestApp, number: &str) -> (String, i64, i64) {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        email: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        queued: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        credentials: i64,
    }
    let mut conn = app.db.get().unwrap();
    let row: Row = diesel::RunQueryDsl::get_result(
        diesel::sql_query(
            "SELECT m.email AS email, \
             (SELECT COUNT(*) FROM outbox o WHERE o.member_id = m.id AND o.status = 'queued') AS queued, \
             (SELECT COUNT(*) FROM credentials c WHERE c.member_id = m.id) AS credentials \
             FROM members m WHERE m.member_number = $1",
        )
        .bind::<diesel::sql_types::Text, _>(number),
        &mut *conn,
    )
    .unwrap();
    (row.email, row.queued, row.credentials)
}

fn election_log(app: &TestApp, slug: &str) -> String {
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(slug.to_string());
    ratify::audit::entries(&mut conn, &log, 0, 10_000)
        .unwrap()
        .join("\n")
}

#[actix_web::test]
async fn the_committee_reissues_a_link_from_the_member_page() {
    let app = TestApp::spawn().await;
    let members = roll::spread(3);
    let links = open_election(&app, "reissue-page", &members);
    let (ana, old) = (&links[1].0, &links[1].1);
    let chair = app.sign_in_as(Role::Committee).await;
    let path = reissue_path("reissue-page", &ana.number);

    // The search row links to the member's page, which has the form.
    let search = format!("/committee/elections/reissue-page/members?q={}", ana.number);
    let (status, html) = get(&app, &chair, &search).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"{path}\"")), "{html}");
    let (status, html) = get(&app, &chair, &path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&ana.email) && html.contains("id=\"reissue\""),
        "{html}"
    );
    let csrf = csrf_in(&html).expect("a hidden CSRF field");

    // Without the CSRF token, with a blank reason, with a bad address:
    // refused, and the old link still works.
    let (status, _) = post(&app, &chair, &path, &[("reason", "lost"), ("email", "")]).await;
    assert_eq!(status, 403, "no CSRF token");
    let (status, html) = post(
        &app,
        &chair,
        &path,
        &[("csrf", csrf.as_str()), ("reason", "  ")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"reason-error\"") && html.contains("Give a reason"),
        "{html}"
    );
    let bad = [
        ("csrf", csrf.as_str()),
        ("reason", "lost"),
        ("email", "not an address"),
    ];
    let (status, html) = post(&app, &chair, &path, &bad).await;
    assert_eq!(status, 400);
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert_eq!(link_status(&app, old).await, 200);
    assert_eq!(member_state(&app, &ana.number), (ana.email.clone(), 0, 1));

    // A reason and a corrected address: a new link queued to the new
    // address, the old link dead, the reason logged, the address not.
    let good = [
        ("csrf", csrf.as_str()),
        ("reason", "member changed address"),
        ("email", "ana.fixed@example.net"),
    ];
    let res = chair
        .client
        .post(app.url(&path))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("{path}?done=reissued"));
    let (_, html) = get(&app, &chair, &to).await;
    assert!(html.contains("A new link was issued"), "{html}");
    assert_eq!(link_status(&app, old).await, 409, "the old link is revoked");
    let (email, queued, credentials) = member_state(&app, &ana.number);
    assert_eq!(
        (email.as_str(), queued, credentials),
        ("ana.fixed@example.net", 1, 2)
    );
    let log = election_log(&app, "reissue-page");
    assert!(log.contains("credential.reissued") && log.contains("member changed address"));
    assert!(log.contains("member.email_corrected"));
    assert!(
        !log.contains("ana.fixed@example.net"),
        "the address stays out of the log"
    );
    // The other members' links are untouched.
    assert_eq!(link_status(&app, &links[0].1).await, 200);
}

#[actix_web::test]
async fn a_member_who_voted_gets_no_new_link_in_either_language() {
    let app = TestApp::spawn().await;
    let members = roll::spread(2);
    let links = open_election(&app, "reissue-voted", &members);
    let (voter, token) = (&links[0].0, &links[0].1);
    assert_eq!(cast(&app, token, "yes", "no").await.0, 303);
    let chair = app.sign_in_as(Role::Committee).await;
    let path = reissue_path("reissue-voted", &voter.number);

    let search = format!(
        "/committee/elections/reissue-voted/members?q={}",
        voter.number
    );
    let (_, html) = get(&app, &chair, &search).await;
    assert!(
        html.contains(&voter.email) && !html.contains(&path),
        "no link for a voter: {html}"
    );
    let (status, html) = get(&app, &chair, &path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("has already voted") && !html.contains("id=\"reissue\""),
        "{html}"
    );
    let form = [
        ("csrf", chair.csrf.as_str()),
        ("reason", "asked again"),
        ("email", ""),
    ];
    let (status, html) = post(&app, &chair, &path, &form).await;
    assert_eq!(status, 409);
    assert!(html.contains("has already voted"), "{html}");
    let (status, html) = get(&app, &chair, &format!("{path}?lang=es")).await;
    assert_eq!(status, 200);
    assert!(html.contains("ya votó"), "{html}");
    assert_eq!(member_state(&app, &voter.number).2, 1, "no new credential");
    assert!(!election_log(&app, "reissue-voted").contains("credential.reissued"));

    // A member who has not voted gets the Spanish form.
    let other = reissue_path("reissue-voted", &links[1].0.number);
    let (_, html) = get(&app, &chair, &format!("{other}?lang=es")).await;
    assert!(
        html.contains("Emitir un nuevo enlace") && html.contains("Motivo"),
        "{html}"
    );
}

#[actix_web::test]
async fn auditors_and_trustees_cannot_reissue() {
    let app = TestApp::spawn().await;
    let members = roll::spread(2);
    let links = open_election(&app, "reissue-roles", &members);
    let path = reissue_path("reissue-roles", &links[0].0.number);
    for role in [Role::Auditor, Role::Trustee] {
        let who = app.sign_in_as(role).await;
        let (status, _) = get(&app, &who, &path).await;
        assert_eq!(status, 403, "{role:?} reads the form");
        let form = [("csrf", who.csrf.as_str()), ("reason", "x"), ("email", "")];
        let (status, _) = post(&app, &who, &path, &form).await;
        assert_eq!(status, 403, "{role:?} posts it");
    }
    assert_eq!(link_status(&app, &links[0].1).await, 200);
}

/// Members at the employer's domain, per unit, on the import's result.
#[actix_web::test]
async fn the_roll_import_result_counts_employer_only_members_per_unit() {
    let app = TestApp::spawn_configured(|s| {
        s.mail.employer_domains = vec!["acme-corp.com".to_string()];
    })
    .await;
    let mut members = roll::in_units(&[("U1", 3), ("U2", 2), ("U3", 1)]);
    let at_employer = |m: &mut Member| m.email = m.email.replace("example.org", "acme-corp.com");
    members.iter_mut().take(2).for_each(at_employer); // two in U1
    members.iter_mut().skip(3).take(1).for_each(at_employer); // one in U2
    let slug = app.create_election(&SpecFixture::far_future("employer-roll"));
    let chair = app.sign_in_as(Role::Committee).await;
    let (_, html) = get(&app, &chair, &format!("/committee/elections/{slug}/roll")).await;
    let csrf = csrf_in(&html).unwrap();
    let part = Part::bytes(roll::csv(&members).into_bytes())
        .file_name("roll.csv")
        .mime_str("text/csv")
        .unwrap();
    let res = chair
        .client
        .post(app.url(&format!("/committee/elections/{slug}/roll")))
        .multipart(Form::new().text("csrf", csrf).part("roll", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let (status, html) = get(&app, &chair, &to).await;
    assert_eq!(status, 200);
    let row = |unit: &str| {
        let at = html
            .find(&format!("<th scope=\"row\">{unit} ·"))
            .expect(unit);
        let rest = &html[at..];
        let cell = rest.find("employer-only\">").expect("the employer column") + 15;
        rest[cell..cell + rest[cell..].find('<').unwrap()].to_string()
    };
    assert!(html.contains("Employer address only"), "{html}");
    assert_eq!(
        (row("U1"), row("U2"), row("U3"), row("U4")),
        ("2".into(), "1".into(), "0".into(), "0".into())
    );
    // The delivery page counts the same members.
    let (_, ballots) = get(
        &app,
        &chair,
        &format!("/committee/elections/{slug}/ballots"),
    )
    .await;
    assert!(ballots.contains("Employer address only"));
}
