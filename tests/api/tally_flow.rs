//! Close, tally, decryption and certification (issue 14, S7, S8, S10, S11,
//! S12), through the server's own functions on the real database, with
//! ballots cast over HTTP with known choices.

use ratify::clock::Clock;
use ratify::error::Error;

use crate::helpers::*;
use crate::tally_support::*;
use crate::vote_support::*;

const UNITS: [(&str, usize); 7] = [
    ("U1", 7),
    ("U2", 7),
    ("U3", 6),
    ("U4", 6),
    ("U5", 6),
    ("U6", 6),
    ("XH", 3),
];

/// lbfo: every third member accepts; strike: every fifth leaves it blank,
/// the others alternate.
fn choose(i: usize) -> (&'static str, &'static str) {
    let lbfo = if i.is_multiple_of(3) { "yes" } else { "no" };
    let strike = match (i % 5, i % 2) {
        (0, _) => "",
        (_, 0) => "yes",
        _ => "no",
    };
    (lbfo, strike)
}

fn log_data(app: &TestApp, slug: &str, kind: &str) -> Vec<serde_json::Value> {
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(slug.to_string());
    let size = ratify::audit::log_head(&mut conn, &log)
        .unwrap()
        .unwrap()
        .size as u64;
    ratify::audit::entries(&mut conn, &log, 0, size)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["kind"] == kind)
        .map(|e| e["data"].clone())
        .collect()
}

#[actix_web::test]
async fn the_tally_waits_for_the_close_then_the_results_are_the_choices_cast() {
    let app = TestApp::spawn().await;
    let slug = "tally-flow";
    let (secrets, members, choices) = voted_election(&app, slug, &UNITS, 1, choose).await;
    assert_eq!(choices.len(), 34);

    // S10: nothing is tallied while the vote runs, and nothing is closed.
    let mut conn = app.db.get().unwrap();
    let early = ratify::tally::tally(&mut conn, slug, Some("cli:test"), app.clock.now());
    assert!(
        matches!(early, Err(Error::Conflict(ref m)) if m.to_string().contains("not over")),
        "{early:?}"
    );
    drop(conn);
    assert!(log_data(&app, slug, "election.closed").is_empty());

    app.clock.set(after_the_vote());
    let tally = run_tally(&app, slug);
    assert!(tally.new);
    // S8: Extra Help (2 ballots) merges with the smallest other group (U3, 5).
    let names: Vec<&str> = tally.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["U1", "U2", "U3+XH", "U4", "U5", "U6"]);
    assert!(tally.groups.iter().all(|g| g.ballots >= 5));

    // The close was made once, with the counts and a commitment (S7).
    let closed = log_data(&app, slug, "election.closed");
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["per_unit"]["XH"], 2);
    assert_eq!(closed[0]["per_unit"]["U1"], 6);
    assert_eq!(closed[0]["voted_commitment"].as_str().unwrap().len(), 64);
    let again = run_tally(&app, slug);
    assert!(!again.new);
    assert_eq!(again.digest, tally.digest);
    assert_eq!(log_data(&app, slug, "tally.computed").len(), 1);

    // A share with a forged partial decryption is refused naming the
    // trustee, and stores nothing.
    let mut bad = ratify_crypto::decrypt_share(&secrets[0], &tally.request).unwrap();
    bad.shares[0][0][0].share = bad.shares[0][0][1].share;
    let mut conn = app.db.get().unwrap();
    let refused = ratify::ceremony::submit_share(
        &mut conn,
        slug,
        &ratify_crypto::to_json(&bad),
        ratify::ceremony::Registrar::Server("cli:test"),
        app.clock.now(),
    );
    drop(conn);
    assert!(
        matches!(refused, Err(Error::Invalid(ref m)) if m.to_string().contains("trustee 1")),
        "{refused:?}"
    );
    assert!(log_data(&app, slug, "decryption.share").is_empty());

    // Two of three trustees: the second valid share decrypts.
    let first = submit_share(&app, slug, &secrets[2], &tally.request).unwrap();
    assert!(first.results.is_none());
    let second = submit_share(&app, slug, &secrets[0], &tally.request).unwrap();
    let results = second.results.expect("k valid shares decrypt");
    let late = submit_share(&app, slug, &secrets[1], &tally.request);
    assert!(matches!(late, Err(Error::Conflict(_))), "{late:?}");
    assert_eq!(
        log_data(&app, slug, "results.published")[0]["decrypted_by"],
        serde_json::json!([1, 3])
    );

    // Every group's counts are exactly the choices of its units' members.
    for g in &results.groups {
        let (counts, blank) = expected(&members, &choices, &g.units);
        for q in &g.questions {
            for (option, n) in &q.counts {
                let want = counts
                    .get(&(q.id.as_str(), option.as_str()))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(*n, want, "group {} {} {option}", g.name, q.id);
            }
            assert_eq!(
                q.blank,
                blank[q.id.as_str()],
                "group {} {} blank",
                g.name,
                q.id
            );
        }
    }
    let all_units: Vec<String> = UNITS.iter().map(|(u, _)| u.to_string()).collect();
    let (counts, blank) = expected(&members, &choices, &all_units);
    let overall = &results.overall;
    assert_eq!((overall.eligible, overall.ballots), (41, 34));
    let lbfo = &overall.questions[0];
    assert_eq!(lbfo.counts["yes"], counts[&("lbfo", "yes")]);
    assert_eq!(lbfo.counts["no"], counts[&("lbfo", "no")]);
    assert!(
        !lbfo.passed,
        "{} yes of 34 is no majority",
        lbfo.counts["yes"]
    );
    let strike = &overall.questions[1];
    assert_eq!(strike.blank, blank["strike"]);
    let answered = strike.counts["yes"] + strike.counts["no"];
    assert_eq!(strike.passed, 3 * strike.counts["yes"] >= 2 * answered);
    // Overall is the sum of the groups.
    let summed: u64 = results
        .groups
        .iter()
        .map(|g| g.questions[0].counts["yes"])
        .sum();
    assert_eq!(summed, lbfo.counts["yes"]);
}

#[actix_web::test]
async fn a_quorum_of_committee_members_certifies_and_then_nothing_changes() {
    let app = TestApp::spawn().await;
    let slug = "certify-flow";
    let (secrets, members, _) = voted_election(&app, slug, &[("U1", 5), ("U2", 5)], 0, |i| {
        if i % 2 == 0 {
            ("yes", "yes")
        } else {
            ("no", "")
        }
    })
    .await;
    app.clock.set(after_the_vote());
    let tally = run_tally(&app, slug);
    for c in ["c1@example.org", "c2@example.org", "c3@example.org"] {
        app.create_account(c, ratify::account::Role::Committee);
    }
    app.create_account("boss@example.org", ratify::account::Role::Admin);
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    let signer = ratify::audit::signer(&keys, &app.settings.audit).unwrap();
    let certify = |email: &str, password: &str| {
        let mut conn = app.db.get().unwrap();
        let pw = secrecy::SecretString::from(password.to_string());
        let who = ratify::certify::check_certifier(&mut conn, email, &pw)?;
        ratify::certify::certify(
            &mut conn,
            slug,
            &who,
            &signer,
            &app.settings.audit,
            app.clock.now(),
        )
    };

    // Before the results there is nothing to certify.
    assert!(matches!(
        certify("c1@example.org", PASSWORD),
        Err(Error::Conflict(_))
    ));
    submit_share(&app, slug, &secrets[0], &tally.request).unwrap();
    submit_share(&app, slug, &secrets[1], &tally.request).unwrap();

    // S11: the password is asked again, and only the committee certifies.
    assert!(matches!(
        certify("c1@example.org", "wrong password here"),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        certify("boss@example.org", PASSWORD),
        Err(Error::Forbidden(_))
    ));
    let one = certify("c1@example.org", PASSWORD).unwrap();
    assert!(one.certificate.is_none());
    assert!(
        matches!(certify("c1@example.org", PASSWORD), Err(Error::Conflict(ref m)) if m.to_string().contains("already certified"))
    );
    let two = certify("c2@example.org", PASSWORD).unwrap();
    let cert = two.certificate.expect("the quorum of 2 certifies");
    assert_eq!(cert.certified_by, ["c1@example.org", "c2@example.org"]);
    assert_eq!(cert.decrypted_by, [1, 2]);
    assert_eq!(cert.results.overall.ballots, 10);
    let note = cert.signature.as_deref().unwrap();
    let verifier = ratify_tlog::Verifier::from_vkey(&ratify::audit::vkey(&signer)).unwrap();
    let text = verifier
        .open(note)
        .expect("the certificate is signed with the log's key");
    assert!(text.starts_with("ratify-certificate/1\ncertify-flow\n"));

    // The certificate's entry is the last of the log and names its digest.
    let certified = log_data(&app, slug, "election.certified");
    assert_eq!(certified.len(), 2);
    assert_eq!(
        certified[1]["certificate_digest"],
        serde_json::json!(cert.digest().unwrap())
    );

    // S12: a certified election refuses every change.
    assert!(matches!(
        certify("c3@example.org", PASSWORD),
        Err(Error::Conflict(_))
    ));
    assert!(submit_share(&app, slug, &secrets[2], &tally.request).is_err());
    let mut conn = app.db.get().unwrap();
    let later = app.clock.now() + chrono::Duration::days(3);
    let limits = app.settings.election.limits();
    let extend = ratify::election::extend_window(
        &mut conn,
        slug,
        later,
        "late",
        &limits,
        Some("cli:test"),
        app.clock.now(),
    );
    assert!(extend.is_err());
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    let request = ratify::credential::Reissue {
        member_number: &members[0].number,
        reason: "lost",
        email: None,
    };
    let reissue = ratify::credential::reissue(
        &mut conn,
        slug,
        keys.token_hmac(),
        &request,
        Some("cli:test"),
        app.clock.now(),
    );
    assert!(reissue.is_err());
    let size = |conn: &mut ratify::db::DbConnection| {
        ratify::audit::log_head(conn, &ratify::audit::LogName::Election(slug.into()))
            .unwrap()
            .unwrap()
            .size
    };
    let before = size(&mut conn);
    let t = ratify::tally::tally(&mut conn, slug, Some("cli:test"), app.clock.now()).unwrap();
    assert!(!t.new);
    assert_eq!(
        size(&mut conn),
        before,
        "nothing was logged after the certificate"
    );
}

#[actix_web::test]
async fn casting_after_the_close_is_refused_and_the_close_is_made_once() {
    let app = TestApp::spawn().await;
    let slug = "closed-flow";
    let members = ratify_testkit::roll::in_units(&[("U1", 3)]);
    let tokens = open_election(&app, slug, &members);
    let (status, _) = cast(&app, &tokens[0].1, "yes", "no").await;
    assert_eq!(status, 303);
    app.clock.set(after_the_vote());
    let link = app.url(&format!("/vote/{}", tokens[1].1.expose()));
    let page = voter_client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let refused = voter_client()
        .post(&link)
        .form(&answers("yes", "no"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, slug).unwrap();
    let closed = ratify::tally::close_if_due(&mut conn, &e, app.clock.now())
        .unwrap()
        .expect("closed now");
    assert_eq!(closed.per_unit["U1"], 1);
    assert!(ratify::tally::close_if_due(&mut conn, &e, app.clock.now())
        .unwrap()
        .is_none());
    assert_eq!(counts(&app).0, 1);
}
