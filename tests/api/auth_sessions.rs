//! S11: sessions end on the server. A cookie copied before sign-out,
//! disable or password change stops working at once (issue 9).

use ratify::account::Role;

use crate::auth_support::*;
use crate::helpers::*;

const CHAIR: &str = "chair@example.org";
const ADMIN: &str = "admin@example.org";

#[actix_web::test]
async fn a_cookie_copied_before_sign_out_is_refused_after_it() {
    let app = TestApp::spawn().await;
    app.create_account(CHAIR, Role::Committee);
    let browser = Visitor::new(&app, "unused");
    assert_eq!(browser.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    let copied = browser.cookie();
    let csrf = browser.csrf().await;
    // The copy reads and writes while the session lives...
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 200);
    assert_eq!(replay_write(&app, &copied, &csrf).await, 201);

    let res = browser
        .client
        .post(app.url(&format!("/logout?csrf={csrf}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    // ...and neither reads nor writes once its owner signed out.
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 401);
    assert_eq!(replay_get(&app, &copied, "/committee").await, 303);
    assert_eq!(replay_write(&app, &copied, &csrf).await, 401);
}

#[actix_web::test]
async fn disabling_an_account_ends_its_sessions_for_good() {
    let app = TestApp::spawn().await;
    app.create_account(ADMIN, Role::Admin);
    app.create_account(CHAIR, Role::Committee);
    let chair = Visitor::new(&app, "unused");
    assert_eq!(chair.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    let copied = chair.cookie();
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 200);

    let (admin, admin_csrf) = app.signed_in(ADMIN).await;
    let id = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == CHAIR)
            .unwrap()
            .id
    };
    for action in ["disable", "enable"] {
        let res = admin
            .post(app.url(&format!(
                "/committee/accounts/{id}/{action}?csrf={admin_csrf}"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{action}");
    }
    // Re-enabled, the account may sign in again, but the session that was
    // open when it was disabled stays ended (a copied cookie included).
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 401);
    assert_eq!(
        chair
            .client
            .get(app.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(chair.sign_in(CHAIR, PASSWORD, "").await.0, 303);
}

#[actix_web::test]
async fn a_password_change_ends_every_other_session() {
    let app = TestApp::spawn().await;
    app.create_account(CHAIR, Role::Committee);
    let laptop = Visitor::new(&app, "unused");
    let phone = Visitor::new(&app, "unused");
    assert_eq!(laptop.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    assert_eq!(phone.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    let copied = laptop.cookie();
    let csrf = laptop.csrf().await;

    // A wrong current password changes nothing.
    let res = laptop
        .client
        .post(app.url(&format!("/account/password?csrf={csrf}")))
        .form(&[
            ("current", "not my password at all"),
            ("new", "a brand new passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Current password"));
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 200);
    // Too short: the field is named.
    let res = laptop
        .client
        .post(app.url(&format!("/account/password?csrf={csrf}")))
        .form(&[("current", PASSWORD), ("new", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("New password: must be at least 12"));

    let res = laptop
        .client
        .post(app.url(&format!("/account/password?csrf={csrf}")))
        .form(&[("current", PASSWORD), ("new", "a brand new passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Your password is changed"));

    // The copied cookie and the phone are out; the laptop has a new session.
    assert_eq!(replay_get(&app, &copied, "/api/v1/session").await, 401);
    assert_eq!(replay_write(&app, &copied, &csrf).await, 401);
    let phone_status = phone
        .client
        .get(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(phone_status, 401);
    let laptop_status = laptop
        .client
        .get(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(laptop_status, 200);
    assert_ne!(laptop.cookie(), copied);
    // The new password works, the old one does not, and the change is logged.
    assert_eq!(phone.sign_in(CHAIR, PASSWORD, "").await.0, 401);
    assert_eq!(
        phone.sign_in(CHAIR, "a brand new passphrase", "").await.0,
        303
    );
    let mut conn = app.db.get().unwrap();
    let lines = ratify::audit::entries(&mut conn, &ratify::audit::LogName::System, 0, 20).unwrap();
    assert!(lines.iter().any(|l| l.contains("account.password_changed")));
    assert!(lines.iter().all(|l| !l.contains("brand new")));
}

#[actix_web::test]
async fn the_sessions_table_holds_no_usable_session_id() {
    use diesel::prelude::*;
    let app = TestApp::spawn().await;
    app.create_account(CHAIR, Role::Committee);
    let browser = Visitor::new(&app, "unused");
    assert_eq!(browser.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    let mut conn = app.db.get().unwrap();
    let hashes: Vec<String> = ratify::db::schema::sessions::table
        .select(ratify::db::schema::sessions::id_hash)
        .load(&mut conn)
        .unwrap();
    assert_eq!(hashes.len(), 1);
    assert_eq!(hashes[0].len(), 64, "a hex SHA-256");
    // The cookie is encrypted, so the test cannot read the id from it; it
    // checks instead that the stored value is not in the cookie either.
    assert!(!browser.cookie().contains(&hashes[0]));
}
