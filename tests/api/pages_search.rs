//! Issue 11, search: a committee member finds "López" by typing "lopez"
//! (and "MUÑOZ" by "munoz"), on SQLite and on PostgreSQL alike; an auditor
//! who types a name is told that auditors search by member number, and the
//! auditor's page promises no "voted" column (S7).

use chrono::Duration;
use ratify::account::Role;

use crate::helpers::*;

/// A roll with accented names beside the fixture's plain ones.
fn roll_with_accents() -> Vec<roll::Member> {
    let mut members = roll::spread(10);
    let named = [
        ("A000001", "Ana L\u{f3}pez", "ana.lopez@example.org"),
        ("A000002", "Jos\u{e9} L\u{d3}PEZ Ortiz", "jlo@example.org"),
        // Written decomposed (o + combining acute), as some systems export.
        ("A000003", "Rosa Lo\u{301}pez", "rosa@example.org"),
        ("A000004", "Iv\u{e1}n Mu\u{f1}oz", "ivan@example.org"),
    ];
    for (number, name, email) in named {
        members.push(roll::Member {
            number: number.into(),
            name: name.into(),
            email: email.into(),
            unit: UNITS[0].to_string(),
            language: "es",
        });
    }
    members
}

async fn search(app: &TestApp, who: &Signed, q: &str) -> (u16, String) {
    let res = who
        .client
        .get(app.url(&format!("/committee/elections/{SLUG}/members")))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn found(html: &str) -> Vec<&str> {
    ["A000001", "A000002", "A000003", "A000004"]
        .into_iter()
        .filter(|n| html.contains(&format!("<th scope=\"row\">{n}")))
        .collect()
}

#[actix_web::test]
async fn members_are_found_without_case_or_accents() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll(SLUG, &roll_with_accents());
    let chair = app.sign_in_as(Role::Committee).await;

    for q in ["lopez", "LOPEZ", "l\u{f3}pez", "L\u{f3}pez"] {
        let (status, html) = search(&app, &chair, q).await;
        assert_eq!(status, 200, "{q}: {html}");
        assert_eq!(
            found(&html),
            ["A000001", "A000002", "A000003"],
            "{q}:\n{html}"
        );
    }
    let (_, html) = search(&app, &chair, "munoz").await;
    assert_eq!(found(&html), ["A000004"], "{html}");
    let (_, html) = search(&app, &chair, "IV\u{c1}N").await;
    assert_eq!(found(&html), ["A000004"], "{html}");
    // Plain searches still work: number, email, part of a name.
    let (_, html) = search(&app, &chair, "a000002").await;
    assert_eq!(found(&html), ["A000002"], "{html}");
    let (_, html) = search(&app, &chair, "ana.lopez@").await;
    assert_eq!(found(&html), ["A000001"], "{html}");
    // Wildcards are only themselves.
    let (_, html) = search(&app, &chair, "l_pez").await;
    assert!(found(&html).is_empty(), "{html}");
}

#[actix_web::test]
async fn auditors_are_told_to_search_by_member_number_and_promised_no_voted_column() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll(SLUG, &roll_with_accents());
    let auditor = app.sign_in_as(Role::Auditor).await;

    let (status, html) = search(&app, &auditor, "L\u{f3}pez Ortiz").await;
    assert_eq!(status, 400, "{html}");
    assert!(
        html.contains("Auditors search by member number only"),
        "{html}"
    );
    assert!(found(&html).is_empty(), "{html}");

    let (_, html) = search(&app, &auditor, "A00000").await;
    assert_eq!(found(&html).len(), 4, "{html}");
    // Nothing on the auditor's page promises who voted (S7).
    for promise in ["whether they have voted", ">Voted<"] {
        assert!(!html.contains(promise), "{promise:?} shown:\n{html}");
    }
    assert!(html.contains("not who has voted"), "{html}");

    let chair = app.sign_in_as(Role::Committee).await;
    let (_, html) = search(&app, &chair, "A00000").await;
    assert!(html.contains("whether they have voted"), "{html}");
    assert!(html.contains(">Voted<"), "{html}");
}
