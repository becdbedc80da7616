//! Issue 12, S19: the outbox survives the server. A server stopped in the
//! middle of the queue, or killed, and started again finishes it: nothing
//! is lost, a graceful stop re-sends nothing, and two servers on one
//! database never send one message twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use ratify_testkit::roll;

use crate::helpers::{stop_serve, TestApp};
use crate::mail_delivery::wait_until;
use crate::mail_support::*;

/// Members each message went to, and the Message-IDs per member.
fn per_member(got: &[Received]) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in got {
        map.entry(m.rcpt_tos[0].clone())
            .or_default()
            .insert(m.message_id.clone());
    }
    map
}

fn wait_for_some(sink: &SmtpSink, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < n {
        assert!(Instant::now() < deadline, "no mail arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Slow enough (60 messages a second, 10 per claim) to stop mid-queue.
const SLOW: [(&str, &str); 3] = [
    ("RATIFY__MAIL__RATE_PER_SECOND", "60"),
    ("RATIFY__MAIL__BATCH_SIZE", "10"),
    ("RATIFY__MAIL__SMTP_POOL_SIZE", "2"),
];

#[actix_web::test]
async fn a_stopped_server_finishes_the_queue_after_restart_without_duplicates() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(150);
    let slug = ready_election(&app, "mail-restart", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);

    let mut first = serve(&env, &SLOW);
    wait_for_some(&sink, 30);
    let (status, logs) = stop_serve(&mut first);
    assert!(status.success(), "{logs}");
    let at_stop = sink.messages().len();
    assert!(
        at_stop < 150,
        "the queue was not interrupted ({at_stop} sent)"
    );

    let mut second = serve(&env, &SLOW);
    let got = sink.wait_for(150, Duration::from_secs(90));
    wait_until(|| statuses(&app).get("sent") == Some(&150));
    stop_serve(&mut second);
    let got_all = sink.messages();
    assert_eq!(got_all.len(), 150, "a graceful stop re-sends nothing");
    assert!(per_member(&got).values().all(|ids| ids.len() == 1));
    assert_eq!(per_member(&got_all).len(), 150, "nothing lost");
}

#[actix_web::test]
async fn a_killed_server_loses_nothing_and_repeats_only_its_batch_in_flight() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(150);
    let slug = ready_election(&app, "mail-kill", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);

    let mut first = serve(&env, &SLOW);
    wait_for_some(&sink, 40);
    first.kill().unwrap(); // SIGKILL: no chance to record the batch in flight
    first.wait().unwrap();

    let mut second = serve(&env, &SLOW);
    wait_until(|| statuses(&app).get("sent") == Some(&150));
    stop_serve(&mut second);
    let got = sink.messages();
    let members_reached = per_member(&got);
    assert_eq!(members_reached.len(), 150, "nothing lost");
    // A repeat is the same message (same Message-ID, same link), never a
    // second link; at most the one claimed batch is repeated.
    assert!(members_reached.values().all(|ids| ids.len() == 1));
    assert!(got.len() - 150 <= 10, "{} repeats", got.len() - 150);
}

#[actix_web::test]
async fn two_servers_on_one_database_never_send_a_message_twice() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(300);
    let slug = ready_election(&app, "mail-two", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    let small: [(&str, &str); 1] = [("RATIFY__MAIL__BATCH_SIZE", "15")];
    let mut a = serve(&env, &small);
    let mut b = serve(&env, &small);
    wait_until(|| statuses(&app).get("sent") == Some(&300));
    let (sa, la) = stop_serve(&mut a);
    let (sb, lb) = stop_serve(&mut b);
    assert!(sa.success() && sb.success(), "{la}\n{lb}");
    let got = sink.messages();
    assert_eq!(got.len(), 300, "each message sent exactly once");
    assert_eq!(per_member(&got).len(), 300);
}

/// A relay that answers each message's final `.` 4 s late — longer than
/// the 3 s lease and than the 1 s command timeout. Before the heartbeat, a
/// worker gave up on the reply after one timeout (the relay had the message
/// already) and retried it, and its lease ran out under the message in
/// flight so the other server took it too: copies. Now the lease is renewed
/// while the reply is awaited, and the reply is awaited (RFC 5321
/// §4.5.3.2.6).
#[actix_web::test]
async fn a_relay_slower_than_the_lease_gets_each_message_once_from_two_servers() {
    let Some(sink) = SmtpSink::start_with(&["--data-delay", "4"]) else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(8);
    let slug = ready_election(&app, "mail-slow", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    // Two messages a connection per batch: 8 s, well past the lease.
    let slow: [(&str, &str); 3] = [
        ("RATIFY__MAIL__BATCH_SIZE", "4"),
        ("RATIFY__MAIL__SMTP_POOL_SIZE", "2"),
        // Shorter than the relay's delay, as the doc comment says.
        ("RATIFY__MAIL__SMTP_TIMEOUT_SECS", "1"),
    ];
    let mut a = serve(&env, &slow);
    let mut b = serve(&env, &slow);
    wait_until(|| statuses(&app).get("sent") == Some(&8));
    let (sa, la) = stop_serve(&mut a);
    let (sb, lb) = stop_serve(&mut b);
    assert!(sa.success() && sb.success(), "{la}\n{lb}");
    let got = sink.messages();
    assert_eq!(per_member(&got).len(), 8, "nothing lost");
    assert_eq!(got.len(), 8, "each message delivered exactly once");
}

/// The fence under the lease: once another worker re-claims a message
/// whose lease ran out, the first worker can neither renew it nor record
/// over the new holder; an acceptance it still reports is recorded without
/// undoing what the new holder finished.
#[actix_web::test]
async fn a_worker_that_lost_its_lease_cannot_renew_or_record_over_the_new_holder() {
    use ratify::db::outbox;
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let slug = ready_election(&app, "mail-fence", &roll::spread(1));
    ratify_ok(&["ballots", "send", &slug], &mail_env(&app, &sink));
    let mut conn = app.db.get().unwrap();
    let t = chrono::Utc::now().timestamp_millis() + 1_000;
    let first = outbox::claim(&mut conn, t, t + 1_000, 10).unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        outbox::claim(&mut conn, t + 500, t + 1_500, 10)
            .unwrap()
            .is_empty(),
        "leased"
    );
    // The lease ran out: a second worker takes it over.
    let second = outbox::claim(&mut conn, t + 2_000, t + 3_000, 10).unwrap();
    assert_eq!(second.len(), 1);
    assert!(outbox::renew(&mut conn, &first, t + 9_000)
        .unwrap()
        .is_empty());
    assert!(!outbox::mark_deferred(&mut conn, &first[0], "4xx", 0).unwrap());
    assert!(!outbox::give_up(&mut conn, &first[0], "5xx").unwrap());
    assert!(!outbox::mark_sent(&mut conn, &first[0], "250").unwrap());
    assert_eq!(statuses(&app).get("sending"), Some(&1), "untouched");
    assert_eq!(
        outbox::renew(&mut conn, &second, t + 9_000).unwrap(),
        vec![second[0].id]
    );
    assert!(outbox::mark_sent(&mut conn, &second[0], "250 second").unwrap());
    // The first worker's late acceptance changes nothing now.
    assert!(!outbox::mark_sent_unheld(&mut conn, first[0].id, "250 first").unwrap());
    assert_eq!(
        replies(&app),
        vec![("sent".into(), Some("250 second".into()))]
    );
}
