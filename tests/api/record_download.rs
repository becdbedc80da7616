//! Issue 14: the election record as one download for auditors. The
//! archive is fetched over HTTP from the running server, unpacked, checked
//! by the verifier crate, and compared byte for byte with what `ratify
//! record export` writes; it never holds the private part (S7); it is
//! refused before the close; staff get it from the close on and anyone
//! once the results are certified.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ratify::account::Role;
use ratify::clock::Clock;
use serde_json::Value;

use crate::helpers::*;
use crate::tally_support::*;

/// Every file under `dir`, by its path relative to `dir`.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Unpacks an archive into `name` under the app's temporary directory;
/// returns the record's directory (the archive's one top directory).
fn unpack(app: &TestApp, archive: &[u8], slug: &str, name: &str) -> PathBuf {
    let into = app.tmp.path().join(name);
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries().unwrap() {
        let entry = entry.unwrap();
        let path = entry.path().unwrap().into_owned();
        assert!(
            path.starts_with(format!("{slug}-record")),
            "{path:?} is outside the archive's one directory"
        );
    }
    tar::Archive::new(archive).unpack(&into).unwrap();
    into.join(format!("{slug}-record"))
}

/// The record as the command line exports it, public or private.
fn exported(app: &TestApp, slug: &str, name: &str, private: bool) -> PathBuf {
    let dir = app.tmp.path().join(name);
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    let signer = ratify::audit::signer(&keys, &app.settings.audit).unwrap();
    let mut conn = app.db.get().unwrap();
    ratify::record::export::export_election(
        &mut conn,
        slug,
        &signer,
        &app.settings.audit,
        &dir,
        private,
        app.clock.now(),
    )
    .unwrap();
    dir
}

/// Asserts a download's headers and returns its bytes.
async fn archive_of(res: reqwest::Response, slug: &str) -> Vec<u8> {
    assert_eq!(res.status(), 200, "{:?}", res.headers());
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "application/x-tar");
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{slug}-record.tar\"")
    );
    assert_eq!(header("cache-control"), "no-store");
    res.bytes().await.unwrap().to_vec()
}

/// The voted election of `slug` (ten ballots in two units), tallied,
/// decrypted by two trustees and certified by two committee members, with
/// the app's clock after the vote. Returns the ballots cast.
async fn certified_election(app: &TestApp, slug: &str) -> usize {
    let (secrets, _, choices) = voted_election(app, slug, &[("U1", 5), ("U2", 5)], 0, |i| {
        if i % 3 == 0 {
            ("no", "yes")
        } else {
            ("yes", "")
        }
    })
    .await;
    app.clock.set(after_the_vote());
    let tally = run_tally(app, slug);
    for secret in &secrets[..2] {
        submit_share(app, slug, secret, &tally.request).unwrap();
    }
    let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
    let signer = ratify::audit::signer(&keys, &app.settings.audit).unwrap();
    for email in ["c1@example.org", "c2@example.org"] {
        app.create_account(email, Role::Committee);
        let mut conn = app.db.get().unwrap();
        let pw = secrecy::SecretString::from(PASSWORD.to_string());
        let who = ratify::certify::check_certifier(&mut conn, email, &pw).unwrap();
        ratify::certify::certify(
            &mut conn,
            slug,
            &who,
            &signer,
            &app.settings.audit,
            app.clock.now(),
        )
        .unwrap();
    }
    choices.len()
}

#[actix_web::test]
async fn anyone_downloads_a_certified_record_that_verifies_and_is_the_export() {
    let app = TestApp::spawn().await;
    let slug = "record-public";
    let ballots = certified_election(&app, slug).await;

    // The public page links to it, for observers without an account.
    let page = app
        .get(&format!("/elections/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"/elections/{slug}/record.tar\"")));

    let archive = archive_of(
        app.get(&format!("/elections/{slug}/record.tar")).await,
        slug,
    )
    .await;
    let dir = unpack(&app, &archive, slug, "downloaded");
    let v = ratify_verify::verify_record(&dir, &ratify_verify::Options::default())
        .unwrap_or_else(|f| panic!("the downloaded record does not verify: {f}"));
    assert_eq!(v.ballots, ballots as u64, "{v:?}");

    // The same files, byte for byte, as `ratify record export` writes.
    let export = exported(&app, slug, "exported", false);
    let (got, want) = (files_under(&dir), files_under(&export));
    assert!(got.contains_key("certificate.json") && got.contains_key("ballots.jsonl"));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &want {
        assert!(got[name] == *bytes, "{name} differs from the export");
    }

    // A certified record no longer changes: the same archive every time,
    // so an auditor can publish its digest.
    let again = archive_of(
        app.get(&format!("/elections/{slug}/record.tar")).await,
        slug,
    )
    .await;
    assert!(again == archive, "a second download differs");
}

#[actix_web::test]
async fn staff_download_from_the_close_on_without_the_voted_list_or_its_salt() {
    let app = TestApp::spawn().await;
    let slug = "record-closed";
    closed_election(&app, slug);
    let auditor = app.sign_in_as(Role::Auditor).await;

    let api = auditor
        .client
        .get(app.url(&format!("/api/v1/elections/{slug}/record")))
        .send()
        .await
        .unwrap();
    let archive = archive_of(api, slug).await;
    let dir = unpack(&app, &archive, slug, "closed");
    let v = ratify_verify::verify_record(&dir, &ratify_verify::Options::default())
        .unwrap_or_else(|f| panic!("the downloaded record does not verify: {f}"));
    assert_eq!(v.ballots, 1);
    assert!(files_under(&dir) == files_under(&exported(&app, slug, "public", false)));

    // S7: the private export's voted list and salt are nowhere in it.
    let private = exported(&app, slug, "private", true);
    let voted: Value =
        serde_json::from_slice(&files_under(&private)["private/voted.json"]).unwrap();
    let salt = voted["salt"].as_str().unwrap();
    assert!(!salt.is_empty());
    let text = String::from_utf8_lossy(&archive);
    assert!(!text.contains("private/") && !text.contains("voted.json"));
    assert!(!text.contains(salt), "the salt is in the download");

    // The results page offers it, and its link serves the same archive.
    let page = auditor
        .client
        .get(app.url(&format!("/committee/elections/{slug}/results")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link = format!("/committee/elections/{slug}/record.tar");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    let from_page = auditor.client.get(app.url(&link)).send().await.unwrap();
    assert!(archive_of(from_page, slug).await == archive);

    // Before certification the public has none: "not found", as the
    // certificate.
    let public = app.get(&format!("/elections/{slug}/record.tar")).await;
    assert_eq!(public.status(), 404);
    assert!(public
        .text()
        .await
        .unwrap()
        .contains("once its results are certified"));
}

#[actix_web::test]
async fn before_the_close_the_download_is_refused_with_a_clear_reason() {
    let app = TestApp::spawn().await;
    let slug = app.create_election(&SpecFixture::far_future("record-early"));
    app.import_roll_of(&slug, 4);
    app.key_ceremony(&slug);
    app.publish_key(&slug);
    let committee = app.sign_in_as(Role::Committee).await;

    let res = committee
        .client
        .get(app.url(&format!("/api/v1/elections/{slug}/record")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["error"],
        format!("{slug} is not closed yet: its election record can be downloaded once the vote is over and closed.")
    );

    let page = committee
        .client
        .get(app.url(&format!("/committee/elections/{slug}/record.tar")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 409);
    assert!(page.text().await.unwrap().contains("is not closed yet"));

    let public = app.get(&format!("/elections/{slug}/record.tar")).await;
    assert_eq!(public.status(), 404);
    let none = app.get("/api/v1/elections/no-such-election/record").await;
    assert_eq!(none.status(), 401, "the API asks who is asking first");
}

#[actix_web::test]
async fn every_role_may_download_from_the_pages_and_strangers_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let slug = "record-roles";
    closed_election(&app, slug);
    let link = format!("/committee/elections/{slug}/record.tar");
    for role in [Role::Admin, Role::Committee, Role::Trustee, Role::Auditor] {
        let who = app.sign_in_as(role).await;
        let res = who.client.get(app.url(&link)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{role:?}");
    }
    let stranger = test_client().get(app.url(&link)).send().await.unwrap();
    assert_eq!(stranger.status(), 303);
    assert!(stranger.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
}

#[actix_web::test]
async fn more_downloads_at_once_than_places_all_finish_whole() {
    let app = TestApp::spawn().await;
    let slug = "record-many";
    certified_election(&app, slug).await;
    let path = format!("/elections/{slug}/record.tar");
    let one = || async { archive_of(app.get(&path).await, slug).await };
    const { assert!(ratify::web::download::AT_ONCE < 5) };
    let (a, b, c, d, e) = tokio::join!(one(), one(), one(), one(), one());
    assert!([&b, &c, &d, &e].iter().all(|x| **x == a));
}
