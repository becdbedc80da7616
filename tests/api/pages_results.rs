//! The results pages (issue 14) over HTTP: the committee's tally button,
//! trustees uploading decryption shares (a forged one refused naming the
//! trustee), results with server-drawn charts, certification with the
//! password again, the public results after certification only (S9), and
//! the public lookup of a tracker with its inclusion proof.

use ratify::account::Role;
use reqwest::multipart::{Form, Part};

use crate::helpers::*;
use crate::tally_support::*;

const SLUG: &str = "results-pages";

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The answer to a post, following its redirect as a browser does.
async fn followed(
    client: &reqwest::Client,
    app: &TestApp,
    res: reqwest::Response,
) -> (u16, String) {
    if res.status() == 303 {
        let to = res.headers()["location"].to_str().unwrap().to_string();
        return page(client, app, &to).await;
    }
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let res = client.post(app.url(path)).form(form).send().await.unwrap();
    followed(client, app, res).await
}

async fn upload_share(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    share: String,
) -> (u16, String) {
    let form = Form::new().text("csrf", csrf.to_string()).part(
        "share",
        Part::bytes(share.into_bytes())
            .file_name("SHARE.json")
            .mime_str("application/json")
            .unwrap(),
    );
    let res = client
        .post(app.url(&format!("/committee/elections/{SLUG}/shares")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    followed(client, app, res).await
}

#[actix_web::test]
async fn the_committee_tallies_trustees_decrypt_and_two_members_certify_from_the_pages() {
    let app = TestApp::spawn().await;
    let (secrets, tracker) = closed_election(&app, SLUG);
    for (email, role) in [
        ("c1@example.org", Role::Committee),
        ("c2@example.org", Role::Committee),
        ("t1@example.org", Role::Trustee),
        ("t2@example.org", Role::Trustee),
    ] {
        app.create_account(email, role);
    }
    hold_slot(&app, SLUG, 1, "t1@example.org");
    hold_slot(&app, SLUG, 2, "t2@example.org");
    let results = format!("/committee/elections/{SLUG}/results");

    // The tally button, for the committee only.
    let (c1, c1_csrf) = app.signed_in("c1@example.org").await;
    let (_, html) = page(&c1, &app, &results).await;
    assert!(html.contains("id=\"tally\""), "{html}");
    let (t1, t1_csrf) = app.signed_in("t1@example.org").await;
    let (_, html) = page(&t1, &app, &results).await;
    assert!(!html.contains("id=\"tally\""));
    let (status, html) = post_form(
        &c1,
        &app,
        &format!("/committee/elections/{SLUG}/tally"),
        &[("csrf", &c1_csrf)],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("The ballots are tallied"), "{html}");
    assert!(html.contains("id=\"groups\""));

    // Trustees upload their shares; a forged one is refused, naming them.
    let (_, html) = page(&t1, &app, &results).await;
    assert!(html.contains("id=\"submit-share\""), "{html}");
    let tally = {
        let mut conn = app.db.get().unwrap();
        let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
        ratify::ceremony::tally_request_of(&mut conn, e.id).unwrap()
    };
    let mut forged = ratify_crypto::decrypt_share(&secrets[0], &tally).unwrap();
    forged.shares[0][0][0].share = forged.shares[0][0][1].share;
    let (status, html) = upload_share(&t1, &app, &t1_csrf, ratify_crypto::to_json(&forged)).await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("trustee 1"), "{html}");
    // Trustee 2 may not submit trustee 1's share (S21).
    let (t2, t2_csrf) = app.signed_in("t2@example.org").await;
    let one = ratify_crypto::to_json(&ratify_crypto::decrypt_share(&secrets[0], &tally).unwrap());
    let (status, _) = upload_share(&t2, &app, &t2_csrf, one.clone()).await;
    assert_eq!(status, 403);
    let (status, html) = upload_share(&t1, &app, &t1_csrf, one).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 of the 2"), "{html}");
    let two = ratify_crypto::to_json(&ratify_crypto::decrypt_share(&secrets[1], &tally).unwrap());
    let (status, html) = upload_share(&t2, &app, &t2_csrf, two).await;
    assert_eq!(status, 200, "{html}");

    // The results, with a chart per question; not public before certifying.
    let (_, html) = page(&c1, &app, &results).await;
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "{html}"
    );
    assert!(
        html.contains("aria-label=\"Yes: 1, No: 0, Blank: 0\""),
        "{html}"
    );
    assert!(html.contains("1 ballots of 2 eligible members"), "{html}");
    let anyone = test_client();
    let (_, public) = page(&anyone, &app, &format!("/elections/{SLUG}")).await;
    assert!(
        !public.contains("<svg"),
        "results are public before certification"
    );
    let (_, es) = page(&c1, &app, &format!("{results}?lang=es")).await;
    assert!(
        es.contains("Resultados") && es.contains("En blanco"),
        "{es}"
    );

    // Certification asks for the password again.
    let certify = format!("/committee/elections/{SLUG}/certify");
    let (status, _) = post_form(
        &c1,
        &app,
        &certify,
        &[("csrf", &c1_csrf), ("password", "not my password")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, html) = post_form(
        &c1,
        &app,
        &certify,
        &[("csrf", &c1_csrf), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 of the 2 certifications"), "{html}");
    let (c2, c2_csrf) = app.signed_in("c2@example.org").await;
    let (_, html) = post_form(
        &c2,
        &app,
        &certify,
        &[("csrf", &c2_csrf), ("password", PASSWORD)],
    )
    .await;
    assert!(html.contains("id=\"certified\""), "{html}");
    let (_, public) = page(&anyone, &app, &format!("/elections/{SLUG}")).await;
    assert!(
        public.contains("<svg") && public.contains("1 ballots of 2 eligible"),
        "{public}"
    );

    // The public lookup: the short form finds the ballot, whose page shows
    // the inclusion proof of its cast entry under a signed checkpoint.
    let short = format!("{}-{}", &tracker[..4], &tracker[4..8]);
    let res = crate::vote_support::voter_client()
        .get(app.url(&format!("/elections/{SLUG}/ballots?tracker={short}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/elections/{SLUG}/ballots/{tracker}"));
    let (status, html) = page(&anyone, &app, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"proof\""), "{html}");
    let leaf = cast_leaf_hash(&app, &tracker);
    assert!(
        html.contains(&leaf),
        "the page's entry hash is not the cast entry's: {html}"
    );
    let (status, _) = page(
        &anyone,
        &app,
        &format!("/elections/{SLUG}/ballots?tracker=0000-0000"),
    )
    .await;
    assert_eq!(status, 404);
}

/// The RFC 6962 leaf hash of the `ballot.cast` entry naming `tracker`.
fn cast_leaf_hash(app: &TestApp, tracker: &str) -> String {
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(SLUG.into());
    let size = ratify::audit::log_head(&mut conn, &log)
        .unwrap()
        .unwrap()
        .size as u64;
    let line = ratify::audit::entries(&mut conn, &log, 0, size)
        .unwrap()
        .into_iter()
        .find(|l| l.contains(tracker) && l.contains("ballot.cast"))
        .unwrap();
    hex::encode(ratify_tlog::leaf_hash(line.as_bytes()).0)
}
