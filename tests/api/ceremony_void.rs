//! Issue 10: the way forward from an upheld complaint, end to end through
//! the HTTP API: trustee 3 sends trustee 2 a bad share, trustee 2's
//! complaint is upheld, the committee voids trustee 3's deal with a reason
//! in the log, trustee 3 deals again, everyone confirms again, and the key
//! is published.

use ratify_crypto::{self as crypto, ConfirmOutcome, TrusteeFile};
use serde_json::json;

use crate::ceremony_support::*;
use crate::helpers::*;

#[actix_web::test]
async fn an_upheld_complaint_voids_the_deal_and_the_ceremony_goes_on() {
    let app = TestApp::spawn().await;
    let c = Ceremony::new(&app).await;
    c.register_publics(&app).await;
    let r = roster(&app, &c.chair).await;
    for (j, (who, s)) in c.trustees.iter().zip(&c.secrets).enumerate() {
        let d = if j == 2 {
            cheating_deal(s, &r, 2)
        } else {
            crypto::deal(s, &r).unwrap()
        };
        assert_eq!(register(&app, who, &TrusteeFile::Deal(d)).await.0, 201);
    }
    let void = format!("/api/v1/elections/{SLUG}/trustees/3/void-deal");
    let reason = json!({ "reason": "trustee 2's complaint is upheld" }).to_string();
    // No complaint yet: voiding an honest-looking deal is refused.
    let (status, body) = post(&app, &c.chair, &void, reason.clone()).await;
    assert_eq!(status, 409, "{body}");

    let r = roster(&app, &c.chair).await;
    let ConfirmOutcome::Complaint(complaint) = crypto::confirm(&c.secrets[1], &r).unwrap() else {
        panic!("trustee 2 got a bad share");
    };
    let (status, body) = register(&app, &c.trustees[1], &TrusteeFile::Complaint(complaint)).await;
    assert_eq!(status, 201, "{body}");
    c.confirm(&app, 1).await;
    let (status, body) = publish(&app, &c.chair).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"].as_str().unwrap().contains("upheld"), "{body}");

    // A trustee may not void; a blank reason is refused; the wrong dealer
    // (no complaint against trustee 1) is refused.
    let (status, _) = post(&app, &c.trustees[1], &void, reason.clone()).await;
    assert_eq!(status, 403);
    let (status, body) = post(&app, &c.chair, &void, json!({"reason": " "}).to_string()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["field"], "reason", "{body}");
    let other = format!("/api/v1/elections/{SLUG}/trustees/1/void-deal");
    assert_eq!(post(&app, &c.chair, &other, reason.clone()).await.0, 409);

    let (status, body) = post(&app, &c.chair, &void, reason).await;
    assert_eq!(status, 204, "{body}");
    let r = roster(&app, &c.chair).await;
    assert_eq!(r.deals.iter().map(|d| d.dealer).collect::<Vec<_>>(), [1, 2]);
    assert!(r.confirmations.is_empty() && r.complaints.is_empty());
    let voided = election_entries(&app).pop().unwrap();
    assert_eq!(voided["kind"], "trustee.voided");
    assert_eq!(voided["actor"], "chair@example.org");
    assert_eq!(voided["data"]["trustee"], 3);
    assert_eq!(voided["data"]["complainers"], json!([2]));
    assert_eq!(voided["data"]["reason"], "trustee 2's complaint is upheld");

    // Trustee 3 deals again, honestly; everyone confirms; the key is out.
    let d = crypto::deal(&c.secrets[2], &r).unwrap();
    assert_eq!(
        register(&app, &c.trustees[2], &TrusteeFile::Deal(d))
            .await
            .0,
        201
    );
    for j in 1..=3 {
        c.confirm(&app, j).await;
    }
    let (status, body) = publish(&app, &c.chair).await;
    assert_eq!(status, 200, "{body}");
}

/// The command line voids too, and its actor is the OS effective user's
/// name from the user database, whatever `$USER` says.
#[actix_web::test]
async fn the_command_line_voids_a_deal_as_the_effective_os_user() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future(SLUG));
    upheld_complaint(&app, SLUG);
    let keys = path_str(&app.tmp.path().join("keys"));
    let out = ratify(
        &[
            "--config",
            "config/test.toml",
            "trustee",
            "void",
            SLUG,
            "3",
            "--reason",
            "trustee 2's complaint is upheld",
        ],
        &[
            ("RATIFY__DATABASE__URL", &app.settings.database.url),
            ("RATIFY__KEYS__DIR", &keys),
            ("USER", "mallory"),
            ("LOGNAME", "mallory"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let whoami = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let whoami = String::from_utf8(whoami.stdout).unwrap();
    let voided = election_entries(&app).pop().unwrap();
    assert_eq!(voided["kind"], "trustee.voided");
    assert_eq!(voided["actor"], format!("cli:{}", whoami.trim()));
    assert_ne!(voided["actor"], "cli:mallory");
}
