//! Issue 12: what goes wrong in delivery, against the real SMTP server: a
//! 4xx is retried and then delivered, a 5xx is recorded undeliverable with
//! the relay's reply, and a bounce (RFC 3464 DSN) fed to `ratify mail
//! bounce` marks the right message — while a malformed report, or one that
//! names no message of ours, is refused and changes nothing.

use std::time::Duration;

use ratify_testkit::roll;
use serde_json::json;

use crate::helpers::{stop_serve, TestApp};
use crate::mail_delivery::wait_until;
use crate::mail_support::*;

fn dsn(to: &str, message_id: &str, status: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example.org\r\nTo: {to}\r\nSubject: Undelivered Mail Returned to Sender\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"XYZ\"\r\n\r\n\
         This is a MIME-encapsulated message.\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver it.\r\n\r\n\
         --XYZ\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\nArrival-Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n\
         Final-Recipient: rfc822; someone@example.org\r\nAction: failed\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; 550 5.1.1 <someone@example.org>: Recipient address rejected: User unknown\r\n\r\n\
         --XYZ\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {message_id}\r\nSubject: Your ballot\r\n\r\n--XYZ--\r\n"
    )
}

#[actix_web::test]
async fn a_4xx_is_retried_then_delivered_and_a_5xx_is_undeliverable_with_its_reply() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(10);
    let slug = ready_election(&app, "mail-fail", &members);
    let env = mail_env(&app, &sink);
    let (slow, gone) = (&members[1], &members[2]);
    sink.set_rules(json!({
        slow.email.clone(): { "code": 451, "times": 2, "text": "4.7.1 Try again later (throttled)" },
        gone.email.clone(): { "code": 550, "text": "5.1.1 No such user here" },
    }));
    ratify_ok(&["ballots", "send", &slug], &env);
    let mut server = serve(&env, &[]);
    let got = sink.wait_for(9, Duration::from_secs(60));
    wait_until(|| statuses(&app).get("sent") == Some(&9));
    let (status, logs) = stop_serve(&mut server);
    assert!(status.success(), "{logs}");

    assert_eq!(got.len(), 9, "one each, none to the refused address");
    let to_slow: Vec<_> = got
        .iter()
        .filter(|m| m.rcpt_tos == [slow.email.clone()])
        .collect();
    assert_eq!(
        to_slow.len(),
        1,
        "the throttled member got exactly one message"
    );
    assert!(got.iter().all(|m| m.rcpt_tos != [gone.email.clone()]));
    assert_eq!(statuses(&app).get("undeliverable"), Some(&1));

    let report = ratify_ok(&["--json", "ballots", "delivery", &slug], &env);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let undeliverable = report["undeliverable"].as_array().unwrap();
    assert_eq!(undeliverable.len(), 1);
    assert_eq!(undeliverable[0]["member_number"], gone.number.as_str());
    let reply = undeliverable[0]["reply"].as_str().unwrap();
    assert!(reply.contains("No such user here"), "{reply}");
    let unit = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == gone.unit.as_str())
        .unwrap();
    assert_eq!(unit["undeliverable"], 1);
    let total_sent: u64 = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["sent"].as_u64().unwrap())
        .sum();
    assert_eq!(total_sent, 9);
}

#[actix_web::test]
async fn a_bounce_marks_the_right_message_and_bad_reports_change_nothing() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(6);
    let slug = ready_election(&app, "mail-bounce", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    let mut server = serve(&env, &[]);
    let got = sink.wait_for(6, Duration::from_secs(60));
    wait_until(|| statuses(&app).get("sent") == Some(&6));
    stop_serve(&mut server);

    let target = &got[3];
    let before = statuses(&app);
    // Refused, and nothing changes: not a report; a report naming no
    // message of ours; an empty input; a bad status code.
    let not_report = "From: a@example.org\r\nContent-Type: text/plain\r\n\r\nhello\r\n";
    let unknown = dsn(
        "bounce+aaaaaaaaaaaaaaaaaaaaaaaa@union.example",
        "<x@y>",
        "5.1.1",
    );
    let bad_status = dsn(&target.mail_from, &target.message_id, "five");
    for (input, words) in [
        (not_report.to_string(), "not a delivery status notification"),
        (unknown, "no message of ours"),
        (String::new(), "empty"),
        (bad_status, "not a status code"),
    ] {
        let out = ratify_with(&["mail", "bounce"], &env, input.as_bytes());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(words), "{err}");
        assert_eq!(statuses(&app), before, "a refused report changed nothing");
    }

    // A real failure report, delivered to the VERP address.
    let report = dsn(&target.mail_from, "<not-ours@elsewhere>", "5.1.1");
    let out = ratify_with(&["mail", "bounce"], &env, report.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(statuses(&app).get("undeliverable"), Some(&1));
    let delivery = ratify_ok(&["--json", "ballots", "delivery", &slug], &env);
    let delivery: serde_json::Value = serde_json::from_str(&delivery).unwrap();
    let list = delivery["undeliverable"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["email"],
        target.rcpt_tos[0].as_str(),
        "the right message"
    );
    assert!(list[0]["reply"].as_str().unwrap().contains("5.1.1"));

    // The returned headers' Message-ID is enough when the MTA delivered
    // the report to a plain address.
    let second = &got[4];
    let report = dsn("postmaster@union.example", &second.message_id, "5.2.2");
    let out = ratify_with(&["mail", "bounce"], &env, report.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(statuses(&app).get("undeliverable"), Some(&2));
}
