//! Issue 12: reissue kills the old link (S2) and is refused for a member who
//! voted; a corrected address gets the new link and stays out of the public
//! log; reminders go only to non-voters, each with a fresh link; members
//! with only an employer's address are held back until the committee
//! decides; printed notices carry a QR code that decodes to a working link.

use std::time::Duration;

use ratify_testkit::roll;

use crate::helpers::{stop_serve, TestApp};
use crate::mail_delivery::wait_until;
use crate::mail_support::*;

/// Sends every queued message and waits until `n` have arrived in all.
fn deliver(app: &TestApp, env: &[(String, String)], sink: &SmtpSink, n: usize) -> Vec<Received> {
    let mut server = serve(env, &[]);
    let got = sink.wait_for(n, Duration::from_secs(60));
    wait_until(|| !statuses(app).contains_key("queued") && !statuses(app).contains_key("sending"));
    stop_serve(&mut server);
    got
}

fn audit_bodies(app: &TestApp) -> String {
    #[derive(diesel::QueryableByName)]
    struct Body {
        #[diesel(sql_type = diesel::sql_types::Text)]
        body: String,
    }
    let mut conn = app.db.get().unwrap();
    let rows: Vec<Body> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT body FROM audit_entries"),
        &mut *conn,
    )
    .unwrap();
    rows.into_iter()
        .map(|b| b.body)
        .collect::<Vec<_>>()
        .join("\n")
}

#[actix_web::test]
async fn reissue_kills_the_old_link_is_refused_for_voters_and_can_correct_the_address() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(5);
    let slug = ready_election(&app, "mail-reissue", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    let first = deliver(&app, &env, &sink, 5);
    let ana = &members[0];
    let old = first
        .iter()
        .find(|m| m.rcpt_tos == [ana.email.clone()])
        .unwrap()
        .token();
    assert_eq!(credential_state(&app, &old).unwrap().1, "active");

    // A reason is required, and nothing changes without one.
    let out = ratify_with(
        &["ballots", "reissue", &slug, &ana.number, "--reason", "  "],
        &env,
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reason"));
    assert_eq!(credential_state(&app, &old).unwrap().1, "active");

    let out = ratify_ok(
        &[
            "ballots",
            "reissue",
            &slug,
            &ana.number,
            "--reason",
            "link lost",
            "--email",
            "ana.new@example.net",
        ],
        &env,
    );
    assert!(out.contains("new ballot link"), "{out}");
    assert_eq!(
        credential_state(&app, &old).unwrap().1,
        "revoked",
        "the old link is dead"
    );
    let all = deliver(&app, &env, &sink, 6);
    let new = &all[5];
    assert_eq!(new.rcpt_tos, ["ana.new@example.net"]);
    assert!(
        new.subject.contains("new ballot link") || new.subject.contains("nuevo enlace"),
        "{}",
        new.subject
    );
    let token = new.token();
    assert_ne!(token, old);
    assert_eq!(credential_state(&app, &token).unwrap().1, "active");
    let log = audit_bodies(&app);
    assert!(log.contains("credential.reissued") && log.contains("link lost"));
    assert!(log.contains("member.email_corrected"));
    assert!(
        !log.contains("ana.new@example.net"),
        "the public log names no address"
    );

    // A member who voted cannot get a working link (S2).
    mark_voted(&app, &members[1].number);
    let out = ratify_with(
        &[
            "ballots",
            "reissue",
            &slug,
            &members[1].number,
            "--reason",
            "asked",
        ],
        &env,
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has already voted"));
    let out = ratify_with(
        &["ballots", "reissue", &slug, "NOPE99", "--reason", "asked"],
        &env,
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE99"));
}

#[actix_web::test]
async fn reminders_go_only_to_non_voters_with_fresh_links() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(9);
    let slug = ready_election(&app, "mail-remind", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    let first = deliver(&app, &env, &sink, 9);
    let voters: Vec<&roll::Member> = members.iter().take(3).collect();
    for v in &voters {
        mark_voted(&app, &v.number);
    }
    let out = ratify_ok(&["ballots", "send", &slug, "--reminder"], &env);
    assert!(out.contains("queued 6 reminder"), "{out}");
    let all = deliver(&app, &env, &sink, 15);
    assert_eq!(all.len(), 15);
    let reminders = &all[9..];
    for r in reminders {
        assert!(
            voters.iter().all(|v| r.rcpt_tos != [v.email.clone()]),
            "a voter was reminded"
        );
        let old = first
            .iter()
            .find(|m| m.rcpt_tos == r.rcpt_tos)
            .unwrap()
            .token();
        assert_eq!(credential_state(&app, &old).unwrap().1, "revoked");
        assert_eq!(credential_state(&app, &r.token()).unwrap().1, "active");
        assert!(
            r.subject.contains("Reminder") || r.subject.contains("Recordatorio"),
            "{}",
            r.subject
        );
    }
    // The public log counts reminders; it never lists who got one (S7).
    let log = audit_bodies(&app);
    assert!(log.contains("\"reason\":\"reminder\""));
    for m in &members[3..] {
        assert!(
            !log.contains(&format!("\"{}\"", m.number)),
            "log names a non-voter"
        );
    }
}

#[actix_web::test]
async fn employer_only_members_wait_for_a_logged_committee_decision() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app =
        TestApp::spawn_configured(|s| s.mail.employer_domains = vec!["acme.com".into()]).await;
    let mut members = roll::spread(6);
    members[0].email = "worker0@acme.com".into();
    members[1].email = "worker1@mail.acme.com".into();
    let slug = ready_election(&app, "mail-employer", &members);
    let env = mail_env(&app, &sink);
    let out = ratify_ok(&["ballots", "send", &slug], &env);
    assert!(
        out.contains("queued 4")
            && out.contains("2 member(s) whose only address is at an employer domain"),
        "{out}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&ratify_ok(&["--json", "ballots", "delivery", &slug], &env)).unwrap();
    let employer: u64 = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["employer_only"].as_u64().unwrap())
        .sum();
    assert_eq!(employer, 2);
    let unit0 = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == members[0].unit.as_str())
        .unwrap();
    assert_eq!(unit0["employer_only"], 1);

    let out = ratify_ok(
        &[
            "ballots",
            "send",
            &slug,
            "--employer-addresses",
            "vote 12/3: no other address",
        ],
        &env,
    );
    assert!(out.contains("queued 2"), "{out}");
    let got = deliver(&app, &env, &sink, 6);
    assert!(got.iter().any(|m| m.rcpt_tos == ["worker0@acme.com"]));
    let log = audit_bodies(&app);
    assert!(log.contains("mail.employer_addresses") && log.contains("vote 12/3: no other address"));
}

/// The dark modules of an SVG drawn by `mail::notice::qr_svg`, scaled up
/// into a greyscale image for the decoder.
fn decode_qr(svg: &str) -> String {
    let number = |s: &str, attr: &str| -> Option<usize> {
        let start = s.find(&format!("{attr}=\""))? + attr.len() + 2;
        s[start..].split('"').next()?.parse().ok()
    };
    let size = {
        let vb = svg.find("viewBox=\"0 0 ").unwrap() + 13;
        svg[vb..]
            .split(' ')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let mut dark = vec![false; size * size];
    for rect in svg.split("<rect ").skip(2) {
        let (x, y) = (number(rect, "x").unwrap(), number(rect, "y").unwrap());
        dark[y * size + x] = true;
    }
    let scale = 6;
    let px = size * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
        if dark[(y / scale) * size + x / scale] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    grids[0].decode().unwrap().1
}

#[actix_web::test]
async fn printed_notices_decode_to_working_links_and_replace_the_old_ones() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(14);
    let slug = ready_election(&app, "mail-print", &members);
    let env = mail_env(&app, &sink);
    ratify_ok(&["ballots", "send", &slug], &env);
    let first = deliver(&app, &env, &sink, 14);
    let (ana, bo) = (&members[0], &members[3]);
    let out_file = app.tmp.path().join("notices.html");
    let out = ratify_ok(
        &[
            "ballots",
            "print",
            &slug,
            "--member",
            &ana.number,
            "--member",
            &bo.number,
            "--out",
            &out_file.to_string_lossy(),
        ],
        &env,
    );
    assert!(out.contains("wrote 2 notice"), "{out}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let html = std::fs::read_to_string(&out_file).unwrap();
    let sections: Vec<&str> = html.split("<section class=\"notice\"").skip(1).collect();
    assert_eq!(sections.len(), 2, "one page per member");
    for (section, member) in sections.iter().zip([ana, bo]) {
        assert!(section.contains(&format!("data-member=\"{}\"", member.number)));
        assert!(section.contains(&format!("lang=\"{}\"", member.language)));
        let svg_start = section.find("<svg").unwrap();
        let svg_end = section.find("</svg>").unwrap() + 6;
        let link = decode_qr(&section[svg_start..svg_end]);
        let token = link
            .strip_prefix("https://vote.union.example/vote/")
            .expect("a ballot link");
        assert!(section.contains(&link), "the link is printed too");
        let (member_row, state) = credential_state(&app, token).unwrap();
        let mut conn = app.db.get().unwrap();
        assert_eq!(member_row, member_id(&mut conn, &member.number));
        assert_eq!(state, "active");
        let old = first
            .iter()
            .find(|m| m.rcpt_tos == [member.email.clone()])
            .unwrap()
            .token();
        assert_eq!(credential_state(&app, &old).unwrap().1, "revoked");
    }
    let report: serde_json::Value =
        serde_json::from_str(&ratify_ok(&["--json", "ballots", "delivery", &slug], &env)).unwrap();
    let printed: u64 = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["printed"].as_u64().unwrap())
        .sum();
    assert_eq!(printed, 2);
    // A unit prints every non-voter in it.
    mark_voted(&app, &members[7].number);
    let unit = &members[0].unit;
    let in_unit = members.iter().filter(|m| &m.unit == unit).count();
    let out = ratify_ok(
        &[
            "ballots",
            "print",
            &slug,
            "--unit",
            unit,
            "--out",
            &out_file.to_string_lossy(),
        ],
        &env,
    );
    let expected = in_unit - usize::from(&members[7].unit == unit);
    assert!(out.contains(&format!("wrote {expected} notice")), "{out}");
}
