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
        // Each ballot's record line starts `{"tracker":"<hex>`. Where they
        // lie in the file must depend on the ballots alone, not on the
        // order they arrived in: the same rows inserted into a fresh file
        // in reverse tracker order and vacuumed lie in the same order.
        let bytes = std::fs::read(&db).unwrap();
        let rows = ballot_rows(&app);
        let fresh = app.tmp.path().join("fresh.db");
        write_reversed(&fresh, &rows);
        let fresh_bytes = std::fs::read(&fresh).unwrap();
        assert_eq!(
            file_order(&bytes, &trackers),
            file_order(&fresh_bytes, &trackers),
            "the ballots' places in the file depend on more than their content"
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

/// The trackers ranked by where each ballot's line starts in the file.
fn file_order(bytes: &[u8], trackers: &[String]) -> Vec<String> {
    let mut at: Vec<(usize, String)> = trackers
        .iter()
        .map(|t| {
            let needle = format!("{{\"tracker\":\"{t}\"");
            let all = find_all(bytes, needle.as_bytes());
            assert_eq!(
                all.len(),
                1,
                "ballot {t} is in the file {} times: {all:?}",
                all.len()
            );
            (all[0], t.clone())
        })
        .collect();
    at.sort();
    at.into_iter().map(|(_, t)| t).collect()
}

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tracker: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    unit: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    body: String,
}

fn ballot_rows(app: &TestApp) -> Vec<Row> {
    let mut conn = app.db.get().unwrap();
    diesel::sql_query("SELECT tracker, unit, body FROM ballots")
        .load::<Row>(&mut *conn)
        .unwrap()
}

/// The ballots table alone, its rows inserted in reverse tracker order,
/// then vacuumed as the close does.
fn write_reversed(path: &std::path::Path, rows: &[Row]) {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let mut c = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
    let ddl = std::fs::read_to_string(
        workspace().join("migrations/sqlite/2026-12-02-000008_ballots/up.sql"),
    )
    .unwrap();
    c.batch_execute(&format!(
        "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = WAL; {ddl}"
    ))
    .unwrap();
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| b.tracker.cmp(&a.tracker));
    for r in rows {
        diesel::sql_query("INSERT INTO ballots VALUES (1, ?, ?, ?)")
            .bind::<diesel::sql_types::Text, _>(&r.tracker)
            .bind::<diesel::sql_types::Text, _>(&r.unit)
            .bind::<diesel::sql_types::Text, _>(&r.body)
            .execute(&mut c)
            .unwrap();
    }
    c.batch_execute(ratify::db::close::SQLITE_REWRITE).unwrap();
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}
