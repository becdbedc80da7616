//! S16 at the door: bad sign-in input gets a 400 naming the field and
//! changes nothing; account names refuse control and bidi characters
//! (issue 9: a NUL byte in the email answered 500 on PostgreSQL).

use ratify::account::Role;

use crate::auth_support::*;
use crate::helpers::*;

#[actix_web::test]
async fn a_nul_byte_in_the_sign_in_email_is_bad_input() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let browser = Visitor::new(&app, "unused");
    for email in ["chair@example.org\0", "\0", "ch\u{202E}air@example.org"] {
        let (status, page) = browser.sign_in(email, PASSWORD, "").await;
        assert_eq!(status, 400, "{email:?}");
        assert!(
            page.contains("Email: that is not a valid email address"),
            "{page}"
        );
        assert!(!page.contains('\0'));
    }
    let long = format!("{}@example.org", "a".repeat(5000));
    assert_eq!(browser.sign_in(&long, PASSWORD, "").await.0, 400);
    // Nothing was counted against the real account.
    assert_eq!(
        browser.sign_in("chair@example.org", PASSWORD, "").await.0,
        303
    );
}

#[actix_web::test]
async fn account_names_refuse_control_and_bidi_characters() {
    let app = TestApp::spawn().await;
    app.create_account("admin@example.org", Role::Admin);
    let (admin, csrf) = app.signed_in("admin@example.org").await;
    let create = |name: String| {
        let admin = admin.clone();
        let url = app.url("/api/v1/accounts");
        let csrf = csrf.clone();
        async move {
            let res = admin
                .post(url)
                .header("x-csrf-token", csrf)
                .json(&serde_json::json!({
                    "email": "teller@example.org",
                    "name": name,
                    "role": "committee",
                    "password": "a long enough password",
                }))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<serde_json::Value>().await.unwrap())
        }
    };
    for (name, why) in [
        ("Sam\u{202E}relleT".to_string(), "direction"),
        ("Sam\u{2067}Teller".to_string(), "direction"),
        // The edge refuses a NUL in any JSON text before the account rules.
        ("Sam\u{0}Teller".to_string(), "NUL"),
        ("Sam\nTeller".to_string(), "line break"),
        ("S".repeat(101), "at most 100"),
    ] {
        let (status, body) = create(name.clone()).await;
        assert_eq!(status, 400, "{name:?}: {body}");
        let text = body.to_string();
        assert!(text.contains("name"), "{text}");
        assert!(text.contains(why), "{text}");
    }
    // Nothing was created; a plain name is fine.
    let (status, body) = create("Sam Teller".into()).await;
    assert_eq!(status, 201, "{body}");
}

#[actix_web::test]
async fn account_emails_follow_the_rolls_rules() {
    let app = TestApp::spawn().await;
    for email in [
        "Sam <sam@example.org>",
        "sam@[192.0.2.1]",
        "sam\0@example.org",
    ] {
        let new = ratify::account::NewAccount {
            email: email.into(),
            name: "Sam".into(),
            role: Role::Committee,
            password: secrecy::SecretString::from(PASSWORD.to_string()),
            totp: false,
        };
        // Refused while checking, before any hashing or database work.
        let err = ratify::account::ReadyAccount::prepare_blocking(new)
            .err()
            .expect("refused")
            .to_string();
        assert!(err.starts_with("email: "), "{err}");
    }
    // Stored lowercase: sign-in ignores case.
    app.create_account("Chair@Example.ORG", Role::Committee);
    let b = Visitor::new(&app, "unused");
    assert_eq!(b.sign_in("CHAIR@example.org", PASSWORD, "").await.0, 303);
}
