//! Issue 10: the key ceremony cannot be jammed or taken over. Every file's
//! signature and binding are checked on arrival, before it is stored; each
//! trustee slot belongs to the account that registered its public key; and
//! publish-key refuses while one account holds more slots than allowed.
//! All through the real HTTP API.

use ratify::clock::Clock;
use ratify_crypto::{self as crypto, TrusteeFile};

use crate::ceremony_support::*;
use crate::helpers::*;

#[actix_web::test]
async fn a_relabelled_or_re_signed_confirmation_is_refused_and_the_real_one_still_accepted() {
    let app = TestApp::spawn().await;
    let c = Ceremony::new(&app).await;
    c.register_publics(&app).await;
    c.deal_all(&app).await;
    c.confirm(&app, 1).await;

    // Trustee 1's confirmation relabelled as trustee 3's, posted by the
    // account holding slot 3 (so only the file's own checks can stop it).
    let mut relabelled = c.confirmation(&app, 1).await;
    relabelled.trustee = 3;
    let (status, body) =
        register(&app, &c.trustees[2], &TrusteeFile::Confirmation(relabelled)).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("trustee 3"),
        "{body}"
    );

    // Trustee 3's own confirmation with a changed signature.
    let mut resigned = c.confirmation(&app, 3).await;
    resigned.signature = crypto::sign(&c.secrets[0], "confirmation", &resigned.digest());
    let (status, body) = register(&app, &c.trustees[2], &TrusteeFile::Confirmation(resigned)).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("signature"),
        "{body}"
    );

    // Nothing was stored: the real trustee 3's file is accepted, and the
    // key can be published.
    assert_eq!(roster(&app, &c.chair).await.confirmations.len(), 1);
    c.confirm(&app, 3).await;
    c.confirm(&app, 2).await;
    let (status, body) = publish(&app, &c.chair).await;
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn a_forged_deal_or_complaint_is_refused_before_it_is_stored() {
    let app = TestApp::spawn().await;
    let c = Ceremony::new(&app).await;
    c.register_publics(&app).await;
    let r = roster(&app, &c.chair).await;
    let mut deal = crypto::deal(&c.secrets[1], &r).unwrap();
    deal.dealer = 3;
    let (status, body) = register(&app, &c.trustees[2], &TrusteeFile::Deal(deal)).await;
    assert_eq!(status, 400, "{body}");
    assert!(roster(&app, &c.chair).await.deals.is_empty());
    c.deal_all(&app).await;
}

#[actix_web::test]
async fn only_the_account_holding_a_slot_registers_its_files() {
    let app = TestApp::spawn().await;
    let c = Ceremony::new(&app).await;
    c.register_publics(&app).await;
    let r = roster(&app, &c.chair).await;
    let deal1 = crypto::deal(&c.secrets[0], &r).unwrap();
    // Trustee 2's account posts trustee 1's (genuine) deal: refused.
    let (status, body) = register(&app, &c.trustees[1], &TrusteeFile::Deal(deal1.clone())).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("trustee 1"),
        "{body}"
    );
    // So is the chair, although the committee may register files.
    let (status, _) = register(&app, &c.chair, &TrusteeFile::Deal(deal1.clone())).await;
    assert_eq!(status, 403);
    assert!(roster(&app, &c.chair).await.deals.is_empty());
    // The holder's account, and the command line on the server, may.
    let (status, body) = register(&app, &c.trustees[0], &TrusteeFile::Deal(deal1)).await;
    assert_eq!(status, 201, "{body}");
    let deal2 = crypto::deal(&c.secrets[1], &r).unwrap();
    let mut conn = app.db.get().unwrap();
    let cli = ratify::ceremony::Registrar::Server("cli:operator");
    ratify::ceremony::register_trustee_file_by(
        &mut conn,
        SLUG,
        &TrusteeFile::Deal(deal2).to_json(),
        cli,
        app.clock.now(),
    )
    .unwrap();
    let entries = election_entries(&app);
    let last = entries.last().unwrap();
    assert_eq!(last["actor"], "cli:operator");
    assert_eq!(last["data"]["trustee"], 2);

    // The committee sees who holds which slot.
    let slots = get(
        &app,
        &c.chair,
        &format!("/api/v1/elections/{SLUG}/trustee-slots"),
    )
    .await;
    assert_eq!(slots["max_per_account"], 1);
    let holders: Vec<&str> = slots["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["account"].as_str().unwrap())
        .collect();
    assert_eq!(
        holders,
        [
            "trustee1@example.org",
            "trustee2@example.org",
            "trustee3@example.org"
        ]
    );
}

/// One account registers two trustees' public keys.
async fn two_slots_one_account(app: &TestApp) -> Ceremony {
    let c = Ceremony::new(app).await;
    let holders = [&c.trustees[0], &c.trustees[0], &c.trustees[2]];
    for (who, s) in holders.iter().zip(&c.secrets) {
        let (status, _) = register(app, who, &TrusteeFile::Public(s.public())).await;
        assert_eq!(status, 201);
    }
    let r = roster(app, &c.chair).await;
    for (who, s) in holders.iter().zip(&c.secrets) {
        let d = crypto::deal(s, &r).unwrap();
        assert_eq!(register(app, who, &TrusteeFile::Deal(d)).await.0, 201);
    }
    for (j, who) in holders.iter().enumerate() {
        let conf = c.confirmation(app, j + 1).await;
        assert_eq!(
            register(app, who, &TrusteeFile::Confirmation(conf)).await.0,
            201
        );
    }
    c
}

#[actix_web::test]
async fn publish_key_refuses_while_one_account_holds_two_slots() {
    let app = TestApp::spawn().await;
    let c = two_slots_one_account(&app).await;
    let (status, body) = publish(&app, &c.chair).await;
    assert_eq!(status, 409, "{body}");
    let msg = body["error"].as_str().unwrap();
    assert!(
        msg.contains("trustee1@example.org") && msg.contains("1, 2"),
        "{msg}"
    );
    assert!(!election_entries(&app)
        .iter()
        .any(|e| e["kind"] == "key.published"));
    let slots = get(
        &app,
        &c.chair,
        &format!("/api/v1/elections/{SLUG}/trustee-slots"),
    )
    .await;
    assert_eq!(slots["slots"][1]["account"], "trustee1@example.org");
}

#[actix_web::test]
async fn a_configured_limit_of_two_slots_lets_the_key_be_published() {
    let app = TestApp::spawn_configured(|s| s.election.max_trustee_slots_per_account = 2).await;
    let c = two_slots_one_account(&app).await;
    let (status, body) = publish(&app, &c.chair).await;
    assert_eq!(status, 200, "{body}");
}
