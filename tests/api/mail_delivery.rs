//! Issue 12: ballot links over email, against a real SMTP server process
//! (aiosmtpd) on loopback and the real `ratify` binary: every eligible
//! member gets exactly one message, in their language, whose link works;
//! temporary failures are retried, permanent ones recorded; no token stays
//! in the database once delivered (S3).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use ratify_testkit::roll;

use crate::helpers::{stop_serve, TestApp};
use crate::mail_support::*;

const WAIT: Duration = Duration::from_secs(60);

#[actix_web::test]
async fn every_eligible_member_gets_one_working_link_in_their_language_and_no_token_stays() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(24);
    let slug = ready_election(&app, "mail-all", &members);
    let env = mail_env(&app, &sink);

    let out = ratify_ok(&["ballots", "send", &slug], &env);
    assert!(out.contains("queued 24"), "{out}");
    // A second send finds everyone holding a working link: nothing more.
    let again = ratify_ok(&["ballots", "send", &slug], &env);
    assert!(again.contains("queued 0"), "{again}");

    // Before delivery the queue does hold the tokens, and the search below
    // finds them: it is not a search that cannot fail.
    let queued = queued_tokens(&app);
    assert_eq!(queued.len(), 24);
    assert_eq!(tokens_found(&database_bytes(&app), &queued).len(), 24);

    // Logs at TRACE, to search them for tokens (S4).
    let mut server = serve(&env, &[("RATIFY__LOG__LEVEL", "trace")]);
    let got = sink.wait_for(24, WAIT);
    // Let the worker record the last batch, then stop it gracefully.
    wait_until(|| statuses(&app).get("sent") == Some(&24));
    let (status, logs) = stop_serve(&mut server);
    assert!(status.success(), "serve failed: {logs}");
    assert!(
        logs.contains("TRACE") || logs.contains("trace"),
        "logs were not at TRACE"
    );
    let in_logs: Vec<&String> = queued
        .iter()
        .filter(|t| logs.contains(t.as_str()) || out.contains(t.as_str()))
        .collect();
    assert!(
        in_logs.is_empty(),
        "{} token(s) in the logs or the CLI's output",
        in_logs.len()
    );

    assert_eq!(got.len(), 24, "exactly one message each");
    let by_member: BTreeMap<&str, &roll::Member> =
        members.iter().map(|m| (m.email.as_str(), m)).collect();
    let mut ids = HashSet::new();
    let mut tokens = vec![];
    for m in &got {
        assert_eq!(m.rcpt_tos.len(), 1);
        let member = by_member[m.rcpt_tos[0].as_str()];
        assert!(
            ids.insert(m.message_id.clone()),
            "Message-ID reused: {}",
            m.message_id
        );
        // VERP: the return path names this message's id.
        let id = m
            .message_id
            .trim_matches(['<', '>'])
            .split('@')
            .next()
            .unwrap();
        assert_eq!(m.mail_from, format!("bounce+{id}@union.example"));
        let spanish = member.language == "es";
        assert_eq!(
            m.subject.starts_with("Su papeleta"),
            spanish,
            "{}",
            m.subject
        );
        assert_eq!(m.text.contains("Hola"), spanish);
        let token = m.token();
        assert!(m
            .text
            .contains(&format!("https://vote.union.example/vote/{token}")));
        assert!(m
            .html
            .contains(&format!("https://vote.union.example/vote/{token}")));
        assert!(!m.html.to_lowercase().contains("<img"), "no images");
        assert!(m.text.contains("Kern") || m.text.contains("kern") || !m.text.is_empty());
        let (member_row, state) =
            credential_state(&app, &token).expect("the link's credential exists");
        let mut conn = app.db.get().unwrap();
        assert_eq!(member_row, member_id(&mut conn, &member.number));
        assert_eq!(state, "active");
        tokens.push(token);
    }
    // S3: the queue holds no token once the relay accepted the messages;
    // nothing in the database files (or a dump) holds one.
    let files = database_bytes(&app);
    let found = tokens_found(&files, &tokens);
    assert!(found.is_empty(), "tokens left behind: {found:?}");
    let mut delivered = tokens.clone();
    delivered.sort();
    let mut queued = queued;
    queued.sort();
    assert_eq!(
        delivered, queued,
        "the links carry the tokens that were queued"
    );
}

/// The tokens waiting in the outbox.
fn queued_tokens(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        token: String,
    }
    let mut conn = app.db.get().unwrap();
    let rows: Vec<Row> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT token FROM outbox WHERE token IS NOT NULL"),
        &mut *conn,
    )
    .unwrap();
    rows.into_iter().map(|r| r.token).collect()
}

/// Polls `done` for up to a minute.
pub fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(100));
    }
}
