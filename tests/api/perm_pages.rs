//! Issue 9, "one permission table": the committee's pages offer each role
//! only the links and forms it may use (S11). Each page is fetched as each
//! role at each stage of an election; the links and forms present and
//! absent are checked against the role's permissions, and every link a
//! page offers is followed as that role and must not be refused.

use chrono::Duration;
use ratify::account::{Permission, Role};

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// A draft without a roll.
    Empty,
    /// A draft with its roll and a finished key ceremony: ready to publish.
    Ready,
    KeyPublished,
    Open,
    Closed,
}

async fn html(app: &TestApp, who: &Signed, path: &str) -> (u16, String) {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Every `href="/committee…"` in a page.
fn committee_links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/committee"))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// Whether the page has a form posting to `action`.
fn has_form(page: &str, action: &str) -> bool {
    page.contains(&format!("method=\"post\" action=\"{action}\""))
}

fn has_link(page: &str, href: &str) -> bool {
    page.contains(&format!("href=\"{href}\""))
}

/// Follows every committee link on `page` as `who`: none may be refused.
async fn links_work(app: &TestApp, who: &Signed, role: Role, page: &str) {
    for href in committee_links(page) {
        let (status, body) = html(app, who, &href).await;
        assert!(
            status != 403 && status < 500,
            "{role:?} was offered {href} but got {status}:\n{body}"
        );
    }
}

async fn check_election_page(app: &TestApp, who: &Signed, role: Role, stage: Stage) {
    let base = format!("/committee/elections/{SLUG}");
    let (status, page) = html(app, who, &base).await;
    assert_eq!(status, 200, "{role:?} {stage:?}:\n{page}");
    let run = role.grants(Permission::RunElection);
    let ctx = format!("{role:?} at {stage:?}:\n{page}");

    // The roll's page is for those who may replace it.
    assert_eq!(has_link(&page, &format!("{base}/roll")), run, "{ctx}");
    // Finding a member needs the roll (trustees never look members up).
    assert_eq!(
        has_link(&page, &format!("{base}/members")),
        role.grants(Permission::ReadRoll),
        "{ctx}"
    );
    // Accounts: admins only.
    assert_eq!(
        has_link(&page, "/committee/accounts"),
        role.grants(Permission::ManageAccounts),
        "{ctx}"
    );
    // Extending is for a window voting waits for or is in — not a draft's,
    // not a closed one — and only for those who may run the election.
    let extendable = matches!(stage, Stage::KeyPublished | Stage::Open);
    assert_eq!(
        has_form(&page, &format!("{base}/extend")),
        run && extendable,
        "{ctx}"
    );
    assert_eq!(
        page.contains("extend the closing time below"),
        run && stage == Stage::Open,
        "{ctx}"
    );
    // Publishing the key: only when ready, only for the committee, and
    // through its confirmation page (issue 11).
    assert_eq!(
        has_link(&page, &format!("{base}/publish-key")),
        run && stage == Stage::Ready,
        "{ctx}"
    );
    // Nobody who may not do it is told to do it.
    if !run {
        for instruction in [
            "Import the roll",
            "Replace the roll",
            "publish the election key. This",
            "Send the ballots",
        ] {
            assert!(
                !page.contains(instruction),
                "{instruction:?} shown to {ctx}"
            );
        }
    }
    links_work(app, who, role, &page).await;
}

async fn check_list_page(app: &TestApp, who: &Signed, role: Role) {
    let (status, page) = html(app, who, "/committee").await;
    assert_eq!(status, 200);
    assert_eq!(
        has_link(&page, "/committee/elections/new"),
        role.grants(Permission::RunElection),
        "{role:?}:\n{page}"
    );
    assert_eq!(
        has_link(&page, "/committee/accounts"),
        role.grants(Permission::ManageAccounts),
        "{role:?}:\n{page}"
    );
    links_work(app, who, role, &page).await;
}

async fn check_members_page(app: &TestApp, who: &Signed, role: Role) {
    if !role.grants(Permission::ReadRoll) {
        return;
    }
    let (status, page) = html(app, who, &format!("/committee/elections/{SLUG}/members")).await;
    assert_eq!(status, 200);
    // The search label promises only what the role may search by.
    assert_eq!(
        page.contains("Member number, name or email"),
        role.grants(Permission::ReadContacts),
        "{role:?}:\n{page}"
    );
    links_work(app, who, role, &page).await;
}

async fn check_stage(app: &TestApp, everyone: &[(Role, Signed)], stage: Stage) {
    for (role, who) in everyone {
        check_list_page(app, who, *role).await;
        check_election_page(app, who, *role, stage).await;
        check_members_page(app, who, *role).await;
    }
}

#[actix_web::test]
async fn each_role_is_offered_only_the_links_and_forms_it_may_use() {
    let app = TestApp::spawn().await;
    // A short window, so that one sign-in each (sessions last 12 hours by
    // the app's clock) sees the election from draft to closed.
    let opens_in = Duration::hours(1);
    app.create_election(&SpecFixture::from_now(opens_in, Duration::hours(4)));
    let mut everyone = Vec::new();
    for role in Role::ALL {
        everyone.push((role, app.sign_in_as(role).await));
    }

    check_stage(&app, &everyone, Stage::Empty).await;

    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
    check_stage(&app, &everyone, Stage::Ready).await;

    app.publish_key(SLUG);
    check_stage(&app, &everyone, Stage::KeyPublished).await;

    app.clock.advance(opens_in + Duration::minutes(10));
    check_stage(&app, &everyone, Stage::Open).await;

    app.clock.advance(Duration::hours(4));
    check_stage(&app, &everyone, Stage::Closed).await;
}
