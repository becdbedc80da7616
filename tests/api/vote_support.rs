//! Shared steps for the casting tests (issue 13): an open election whose
//! members hold working links.

use chrono::{TimeZone, Utc};
use ratify::clock::Clock;
use ratify::credential::{print_notices, PrintSelection, Token};
use ratify_testkit::{Member, SpecFixture};

use crate::helpers::*;

/// A time inside the far-future fixture's window (2099-12-02 to 12-11).
pub fn during_the_vote() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2099, 12, 5, 12, 0, 0).unwrap()
}

/// An election with its key published, `members` on the roll, a working
/// link for each (issued as printed notices: no mail needed), and the
/// clock inside the window. Returns each member with their link's token.
pub fn open_election(app: &TestApp, slug: &str, members: &[Member]) -> Vec<(Member, Token)> {
    let slug = app.create_election(&SpecFixture::far_future(slug));
    app.import_roll(&slug, members);
    app.key_ceremony(&slug);
    app.publish_key(&slug);
    let tokens = issue_links(app, &slug, members);
    app.clock.set(during_the_vote());
    tokens
}

/// (Re)issues a link for each of `members`; the old ones are revoked.
pub fn issue_links(app: &TestApp, slug: &str, members: &[Member]) -> Vec<(Member, Token)> {
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    let numbers = members.iter().map(|m| m.number.clone()).collect();
    let mut conn = app.db.get().unwrap();
    let notices = print_notices(
        &mut conn,
        slug,
        keys.token_hmac(),
        &PrintSelection::Members(numbers),
        Some("test"),
        app.clock.now(),
    )
    .unwrap();
    members
        .iter()
        .map(|m| {
            let n = notices
                .iter()
                .find(|n| n.member_number == m.number)
                .expect("a notice per member");
            (m.clone(), n.token.clone())
        })
        .collect()
}

/// The form body that answers the fixture's two questions.
pub fn answers(lbfo: &str, strike: &str) -> Vec<(&'static str, String)> {
    vec![
        ("answer-lbfo", lbfo.to_string()),
        ("answer-strike", strike.to_string()),
    ]
}

/// A client that does not follow redirects (to see the 303 of a cast).
pub fn voter_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Casts through the pages as a browser does (GET the ballot, POST the
/// review, POST the cast); returns the cast's status and Location.
pub async fn cast(app: &TestApp, token: &Token, lbfo: &str, strike: &str) -> (u16, String) {
    cast_at(&app.address, token, lbfo, strike).await
}

/// [`cast`] against the server at `address` (for spawned tasks).
pub async fn cast_at(address: &str, token: &Token, lbfo: &str, strike: &str) -> (u16, String) {
    let client = voter_client();
    let link = format!("{address}/vote/{}", token.expose());
    let page = client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let review = client
        .post(format!("{link}/review"))
        .form(&answers(lbfo, strike))
        .send()
        .await
        .unwrap();
    assert_eq!(review.status(), 200);
    let res = client
        .post(&link)
        .form(&answers(lbfo, strike))
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

/// Counts of rows: ballots, members marked voted, used credentials.
pub fn counts(app: &TestApp) -> (i64, i64, i64) {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.get().unwrap();
    let mut count = |sql: &str| -> i64 {
        diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), &mut *conn)
            .unwrap()
            .n
    };
    (
        count("SELECT COUNT(*) AS n FROM ballots"),
        count("SELECT COUNT(*) AS n FROM members WHERE has_voted"),
        count("SELECT COUNT(*) AS n FROM credentials WHERE state = 'used'"),
    )
}
