//! S11 at the door: sign-in, lockout, CSRF and sessions.

use ratify::account::Role;

use crate::helpers::*;

#[actix_web::test]
async fn sign_in_gives_a_session_and_its_csrf_token() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let (client, csrf) = app.signed_in("chair@example.org").await;
    assert!(csrf.len() >= 40);
    let me: serde_json::Value = client
        .get(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["account"]["role"], "committee");
    assert!(me["account"].get("password_hash").is_none());
}

#[actix_web::test]
async fn the_session_cookie_is_httponly_and_samesite_strict() {
    let app = TestApp::spawn().await;
    let res = app.get("/login").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
}

/// Behind HTTPS (S11, S18): the cookie is Secure and responses carry HSTS.
#[actix_web::test]
async fn over_https_the_cookie_is_secure_and_hsts_is_sent() {
    let app = TestApp::spawn_configured(|s| s.server.https = true).await;
    let res = app.get("/login").await;
    let hsts = res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(hsts.contains("max-age="), "{hsts}");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
    // And not over plain HTTP.
    let plain = TestApp::spawn().await;
    let res = plain.get("/login").await;
    assert!(res.headers().get("strict-transport-security").is_none());
    assert!(!res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
}

#[actix_web::test]
async fn unsigned_requests_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/session").await.status(), 401);
}

#[actix_web::test]
async fn a_login_post_without_its_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let _ = app.get("/login").await;
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[("email", "chair@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.client
            .get(app.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[actix_web::test]
async fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let page = app.get("/login").await.text().await.unwrap();
    let token = csrf_in(&page).unwrap();
    let attempt = |password: &'static str| {
        let url = app.url(&format!("/login?csrf={token}"));
        let client = app.client.clone();
        async move {
            client
                .post(url)
                .form(&[("email", "chair@example.org"), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for _ in 0..4 {
        assert_eq!(attempt("wrong password here").await, 401);
    }
    assert_eq!(
        attempt("wrong password here").await,
        423,
        "the fifth failure locks"
    );
    assert_eq!(
        attempt(PASSWORD).await,
        423,
        "locked even with the right password"
    );
    // The lock ends with time (the injectable clock), not before.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(attempt(PASSWORD).await, 303);
    // The lock is in the system audit log, without the password.
    let mut conn = app.db.get().unwrap();
    let lines = ratify::audit::entries(&mut conn, &ratify::audit::LogName::System, 0, 10).unwrap();
    assert!(lines.iter().any(|l| l.contains("account.locked")));
    assert!(lines.iter().all(|l| !l.contains("wrong password")));
}

#[actix_web::test]
async fn sign_in_attempts_are_rate_limited_per_client() {
    let app = TestApp::spawn().await;
    let page = app.get("/login").await.text().await.unwrap();
    let token = csrf_in(&page).unwrap();
    let mut statuses = Vec::new();
    for i in 0..12 {
        let res = app
            .client
            .post(app.url(&format!("/login?csrf={token}")))
            .form(&[
                ("email", format!("nobody{i}@example.org")),
                ("password", "whatever at all".into()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

#[actix_web::test]
async fn a_disabled_account_loses_its_session_at_once() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let (client, _) = app.signed_in("chair@example.org").await;
    let mut conn = app.db.get().unwrap();
    let id = ratify::account::list_accounts(&mut conn).unwrap()[0].id;
    ratify::account::set_disabled(
        &mut conn,
        id,
        true,
        None,
        "admin@example.org",
        chrono::Utc::now(),
    )
    .unwrap();
    assert_eq!(
        client
            .get(app.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
