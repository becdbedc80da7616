//! No physical trace after close (issue 13, S7): once the close has run,
//! nothing in the database's storage orders or groups ballots with the
//! members or credentials changed in the same transaction. Checked from
//! outside, on the database itself, on both backends.

use diesel::RunQueryDsl;
use ratify::clock::Clock;

use crate::helpers::*;
use crate::tally_support::*;
use crate::vote_support::*;

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

fn texts(app: &TestApp, sql: &str) -> Vec<String> {
    let mut conn = app.db.get().unwrap();
    diesel::sql_query(sql)
        .load::<Text>(&mut *conn)
        .unwrap()
        .into_iter()
        .map(|r| r.t)
        .collect()
}

/// An election where 9 of 12 members voted, then closed by the clock.
async fn voted_and_closed(app: &TestApp) -> Vec<String> {
    let members = ratify_testkit::roll::in_units(&[("U1", 6), ("U2", 6)]);
    let tokens = open_election(app, "traces", &members);
    for (_, token) in tokens.iter().skip(3) {
        let (status, _) = cast(app, token, "no", "yes").await;
        assert_eq!(status, 303);
    }
    app.clock.set(after_the_vote());
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, "traces").unwrap();
    ratify::tally::close_if_due(&mut conn, &e, app.clock.now())
        .unwrap()
        .expect("the close runs once the window is over");
    let mut trackers = texts(app, "SELECT tracker AS t FROM ballots");
    trackers.sort();
    assert_eq!(trackers.len(), 9);
    trackers
}

#[actix_web::test]
async fn after_the_close_no_physical_order_or_transaction_links_a_ballot_to_a_member() {
    let app = TestApp::spawn().await;
    let trackers = voted_and_closed(&app).await;
    if on_postgres() {
        // Every member and credential row of the election was rewritten by
        // one transaction: voters and non-voters carry the same xmin.
        for table in ["members", "credentials"] {
            let xmins = texts(
                &app,
                &format!("SELECT DISTINCT xmin::text AS t FROM {table}"),
            );
            assert_eq!(
                xmins.len(),
                1,
                "{table} rows carry several transaction ids: {xmins:?}"
            );
        }
        let ballot_xmins = texts(&app, "SELECT DISTINCT xmin::text AS t FROM ballots");
        assert_eq!(ballot_xmins.len(), 1, "{ballot_xmins:?}");
        // The heap holds the ballots in tracker order, not arrival order.
        let heap = texts(&app, "SELECT tracker AS t FROM ballots ORDER BY ctid");
        assert_eq!(heap, trackers);
    } else {
        let db = app.tmp.path().join("ratify.db");
        let wal = std::fs::metadata(app.tmp.path().join("ratify.db-wal")).map(|m| m.len());
        assert!(
            matches!(wal, Ok(0) | Err(_)),
            "the WAL still holds frames: {wal:?}"
        );
        // Each ballot's record line starts `{"tracker":"<hex>`; in the file
        // they lie in tracker order (a fresh B-tree), not in arrival order.
        let bytes = std::fs::read(&db).unwrap();
        let offsets: Vec<usize> = trackers
            .iter()
            .map(|t| {
                let needle = format!("{{\"tracker\":\"{t}\"");
                let all: Vec<usize> = find_all(&bytes, needle.as_bytes());
                assert_eq!(
                    all.len(),
                    1,
                    "ballot {t} is in the file {} times",
                    all.len()
                );
                all[0]
            })
            .collect();
        let mut sorted = offsets.clone();
        sorted.sort();
        assert_eq!(
            offsets, sorted,
            "ballots are not in tracker order in the file"
        );
    }
}

#[actix_web::test]
async fn the_ballots_table_holds_no_member_credential_time_or_choice() {
    let app = TestApp::spawn().await;
    voted_and_closed(&app).await;
    let columns = if on_postgres() {
        texts(&app, "SELECT column_name::text AS t FROM information_schema.columns WHERE table_name = 'ballots' ORDER BY ordinal_position")
    } else {
        texts(
            &app,
            "SELECT name AS t FROM pragma_table_info('ballots') ORDER BY cid",
        )
    };
    assert_eq!(columns, ["election_id", "tracker", "unit", "body"]);
    for body in texts(&app, "SELECT body AS t FROM ballots") {
        for plaintext in ["\"yes\"", "\"no\"", "member", "credential", "time"] {
            assert!(
                !body.contains(plaintext),
                "a ballot row holds {plaintext}: {body}"
            );
        }
    }
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}
