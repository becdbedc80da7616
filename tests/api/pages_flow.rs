//! Issue 11, no dead ends: CSRF tokens travel in hidden form fields (never
//! in an address), every successful post redirects (post/redirect/get),
//! publishing the key and disabling an account ask first and say what
//! will happen, every "what to do next" step leads somewhere, and the
//! create page offers a complete example spec.

use chrono::Duration;
use ratify::account::Role;
use ratify::clock::Clock;
use reqwest::multipart::{Form, Part};

use crate::helpers::*;

async fn get(app: &TestApp, who: &Signed, path: &str) -> (u16, String) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Where a 303 leads; fails on anything else.
fn redirect(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 303, "not a redirect");
    res.headers()["location"].to_str().unwrap().to_string()
}

fn state_of(app: &TestApp) -> ratify::election::ElectionState {
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    e.state(app.clock.now())
}

/// Every page a committee member can reach in a draft ready to publish.
fn pages() -> Vec<String> {
    let base = format!("/committee/elections/{SLUG}");
    vec![
        "/committee".into(),
        "/committee/elections/new".into(),
        base.clone(),
        format!("{base}/roll"),
        format!("{base}/members?q=M00000"),
        format!("{base}/publish-key"),
        "/committee/accounts".into(),
        "/account/password".into(),
        "/login".into(),
    ]
}

#[actix_web::test]
async fn no_page_puts_the_csrf_token_in_an_address_and_hidden_fields_work() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
    let admin = app.sign_in_as(Role::Admin).await;
    for path in pages() {
        let (status, html) = get(&app, &admin, &path).await;
        assert_eq!(status, 200, "{path}:\n{html}");
        assert!(
            !html.contains("csrf="),
            "{path} has a token in an address:\n{html}"
        );
        if html.contains("method=\"post\"") {
            assert!(
                html.contains(&format!("name=\"csrf\" value=\"{}\"", admin.csrf)),
                "{path}: no hidden token:\n{html}"
            );
        }
    }

    // A urlencoded form with the token in its body only: accepted, and
    // the answer is a redirect whose address carries no token.
    let res = admin
        .client
        .post(app.url("/committee/accounts"))
        .form(&[
            ("csrf", admin.csrf.as_str()),
            ("email", "new@example.org"),
            ("name", "New Member"),
            ("role", "auditor"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), "/committee/accounts?done=created");

    // A multipart upload with the token as its first field: accepted.
    let form = Form::new().text("csrf", admin.csrf.clone()).part(
        "roll",
        Part::bytes(roll::csv(&roll::spread(12)).into_bytes()).file_name("roll.csv"),
    );
    let res = admin
        .client
        .post(app.url(&format!("/committee/elections/{SLUG}/roll")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let to = redirect(&res);
    assert!(to.starts_with(&format!("/committee/elections/{SLUG}/roll?done=imported")));
    assert!(!to.contains("csrf"), "{to}");
    // The redirect's page shows the result; reloading it posts nothing.
    let (status, html) = get(&app, &admin, &to).await;
    assert_eq!(status, 200);
    assert!(html.contains("Imported 12 members"), "{html}");

    // A wrong token in the body is refused, and the page offers the form
    // again instead of a dead end.
    let form = Form::new().text("csrf", "forged").part(
        "roll",
        Part::bytes(roll::csv(&roll::spread(3)).into_bytes()).file_name("roll.csv"),
    );
    let res = admin
        .client
        .post(app.url(&format!("/committee/elections/{SLUG}/roll")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(html.contains("This form was out of date"), "{html}");
    assert!(
        html.contains(&format!(
            "id=\"again\" href=\"/committee/elections/{SLUG}/roll\""
        )),
        "{html}"
    );
    assert!(!html.contains("CSRF"), "{html}");
}

#[actix_web::test]
async fn publishing_the_key_asks_first_and_says_what_it_does() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");

    // The election page leads to the confirmation, and posts nothing itself.
    let (_, html) = get(&app, &chair, &base).await;
    assert!(
        html.contains(&format!("href=\"{base}/publish-key\"")),
        "{html}"
    );
    assert!(
        !html.contains(&format!("action=\"{base}/publish-key\"")),
        "{html}"
    );

    let (status, html) = get(&app, &chair, &format!("{base}/publish-key")).await;
    assert_eq!(status, 200, "{html}");
    for says in [
        "Publish the election key?",
        "freezes the spec and the roll",
        "cannot be undone",
        "Yes, publish the election key",
    ] {
        assert!(html.contains(says), "{says:?} missing:\n{html}");
    }
    assert!(
        html.contains(&format!("href=\"{base}\"")),
        "no way back:\n{html}"
    );
    // Looking at the question changes nothing.
    assert_eq!(state_of(&app), ratify::election::ElectionState::Draft);

    let res = chair
        .client
        .post(app.url(&format!("{base}/publish-key")))
        .form(&[("csrf", chair.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), format!("{base}?done=published"));
    assert_eq!(
        state_of(&app),
        ratify::election::ElectionState::KeyPublished
    );
    // Once published, the confirmation page is not offered again.
    let res = chair
        .client
        .get(app.url(&format!("{base}/publish-key")))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), base);
}

#[actix_web::test]
async fn disabling_an_account_asks_first_and_says_what_it_does() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let auditor = app.sign_in_as(Role::Auditor).await;
    let id = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == auditor.email)
            .unwrap()
            .id
    };
    let (_, html) = get(&app, &admin, "/committee/accounts").await;
    let confirm = format!("/committee/accounts/{id}/disable");
    assert!(html.contains(&format!("href=\"{confirm}\"")), "{html}");
    assert!(!html.contains(&format!("action=\"{confirm}\"")), "{html}");

    let (status, html) = get(&app, &admin, &confirm).await;
    assert_eq!(status, 200);
    for says in [
        "Disable this account?",
        auditor.email.as_str(),
        "signs them out everywhere",
        "Yes, disable the account",
    ] {
        assert!(html.contains(says), "{says:?} missing:\n{html}");
    }
    // Still signed in: asking changed nothing.
    assert_eq!(get(&app, &auditor, "/committee").await.0, 200);

    let res = admin
        .client
        .post(app.url(&confirm))
        .form(&[("csrf", admin.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), "/committee/accounts?done=disabled");
    let res = auditor
        .client
        .get(app.url("/committee"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), "/login");
    // Only admins are asked.
    let chair = app.sign_in_as(Role::Committee).await;
    assert_eq!(get(&app, &chair, &confirm).await.0, 403);
}

/// One step of an election's life, taken between two looks at its page.
type Stage = Box<dyn Fn(&TestApp)>;

/// Every `href` in the "what to do next" list.
fn step_links(html: &str) -> Vec<String> {
    let start = html.find("id=\"next\"").expect("a next-steps list");
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    list.split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn every_next_step_leads_somewhere_the_role_may_go() {
    let app = TestApp::spawn().await;
    let opens_in = Duration::hours(1);
    app.create_election(&SpecFixture::from_now(opens_in, Duration::hours(4)));
    let mut everyone = Vec::new();
    for role in Role::ALL {
        everyone.push((role, app.sign_in_as(role).await));
    }
    let base = format!("/committee/elections/{SLUG}");
    let mut stages: Vec<Stage> = vec![
        Box::new(|_| {}),
        Box::new(|app| {
            app.import_roll_of(SLUG, 20);
            app.key_ceremony(SLUG);
        }),
        Box::new(|app| app.publish_key(SLUG)),
        Box::new(move |app| app.clock.advance(opens_in + Duration::minutes(5))),
        Box::new(|app| app.clock.advance(Duration::hours(4))),
    ];
    for (stage, step) in stages.drain(..).enumerate() {
        step(&app);
        for (role, who) in &everyone {
            let (status, html) = get(&app, who, &base).await;
            assert_eq!(status, 200);
            let ctx = format!("{role:?} at stage {stage}");
            // No promise of something to come, no raw Markdown.
            assert!(!html.contains("coming soon"), "{ctx}:\n{html}");
            assert!(!html.contains('`'), "{ctx}: a backtick:\n{html}");
            for href in step_links(&html) {
                if let Some(anchor) = href.strip_prefix('#') {
                    assert!(html.contains(&format!("id=\"{anchor}\"")), "{ctx}: {href}");
                    continue;
                }
                let (status, body) = get(&app, who, &href).await;
                assert_eq!(status, 200, "{ctx} was offered {href}:\n{body}");
            }
        }
    }
}

#[actix_web::test]
async fn the_create_page_offers_a_complete_example_spec() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in_as(Role::Committee).await;
    let (_, html) = get(&app, &chair, "/committee/elections/new").await;
    assert!(
        html.contains("href=\"/committee/example-spec.toml\""),
        "{html}"
    );
    let res = chair
        .client
        .get(app.url("/committee/example-spec.toml"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let example = res.text().await.unwrap();
    // Complete: the real parser accepts it as it is.
    let spec = ratify::election::parse_spec(&example).expect("the example spec parses");
    assert!(!spec.questions().is_empty());
    // And creating it from the form works.
    let res = chair
        .client
        .post(app.url("/committee/elections/new"))
        .multipart(
            Form::new()
                .text("csrf", chair.csrf.clone())
                .text("spec", example),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        redirect(&res),
        format!("/committee/elections/{}?done=created", spec.slug())
    );
}

/// The routes issue 11 adds, as every role (S11: checked on the server).
#[actix_web::test]
async fn the_new_pages_are_only_for_the_roles_that_may_use_them() {
    use ratify::account::Permission;
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let base = format!("/committee/elections/{SLUG}");
    let routes = [
        ("GET", format!("{base}/spec"), Permission::RunElection),
        ("POST", format!("{base}/spec"), Permission::RunElection),
        ("GET", format!("{base}/delete"), Permission::RunElection),
        (
            "GET",
            format!("{base}/publish-key"),
            Permission::RunElection,
        ),
        (
            "GET",
            "/committee/accounts/1/disable".into(),
            Permission::ManageAccounts,
        ),
    ];
    for role in Role::ALL {
        let who = app.sign_in_as(role).await;
        for (method, path, needs) in &routes {
            let req = if *method == "GET" {
                who.client.get(app.url(path))
            } else {
                who.client
                    .post(app.url(path))
                    .multipart(Form::new().text("csrf", who.csrf.clone()))
            };
            let status = req.send().await.unwrap().status().as_u16();
            let allowed = role.grants(*needs);
            assert_eq!(
                status == 403,
                !allowed,
                "{role:?} {method} {path}: {status}"
            );
        }
        // Deleting last: it takes the election away.
        if !role.grants(Permission::RunElection) {
            let res = who
                .client
                .post(app.url(&format!("{base}/delete")))
                .form(&[("csrf", who.csrf.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{role:?} deleted a draft");
        }
    }
}

#[actix_web::test]
async fn signing_out_from_the_navigation_sends_the_token_in_the_form() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in_as(Role::Committee).await;
    let (_, html) = get(&app, &chair, "/committee").await;
    assert!(
        html.contains("method=\"post\" action=\"/logout\""),
        "{html}"
    );
    let res = chair
        .client
        .post(app.url("/logout"))
        .form(&[("csrf", chair.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), "/login");
    let res = chair
        .client
        .get(app.url("/committee"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect(&res), "/login");
}
