//! The member search's SQL moved into `db::roll` (issue 9, layout review
//! #2). These pin what the move must keep: `%` and `_` in a search are the
//! characters themselves, not SQL wildcards, on both backends.

use ratify_testkit::Member;

use crate::helpers::*;

fn member(number: &str, email: &str) -> Member {
    Member {
        number: number.into(),
        name: format!("Member {number}"),
        email: email.into(),
        unit: "U1".into(),
        language: "en",
    }
}

fn found(app: &TestApp, q: &str) -> Vec<String> {
    let mut conn = app.db.get().unwrap();
    let scope = ratify::roll::SearchScope::Contacts;
    ratify::roll::search_members(&mut conn, "wild", q, 50, scope)
        .unwrap()
        .into_iter()
        .map(|m| match m {
            ratify::roll::MemberView::Committee { email, .. } => email,
            other => panic!("the committee's search gave {other:?}"),
        })
        .collect()
}

#[actix_web::test]
async fn percent_and_underscore_in_a_search_match_only_themselves() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future("wild"));
    app.import_roll(
        "wild",
        &[
            member("100001", "ana_b@example.org"),
            member("100002", "anaxb@example.org"),
        ],
    );

    // As a wildcard, `_` would match the x of anaxb too.
    assert_eq!(found(&app, "a_b"), ["ana_b@example.org"]);
    assert_eq!(
        found(&app, "A_B"),
        ["ana_b@example.org"],
        "case-insensitive"
    );
    // As a wildcard, `%` would match everyone.
    assert_eq!(found(&app, "%"), Vec::<String>::new());
    assert_eq!(found(&app, "\\"), Vec::<String>::new());
    // And an ordinary search still finds both, by member number.
    assert_eq!(
        found(&app, "10000"),
        ["ana_b@example.org", "anaxb@example.org"]
    );
}
