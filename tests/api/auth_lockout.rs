//! S11: brute force stays impossible, but a stranger cannot lock a
//! committee member out (issue 9, "Account lockout as a weapon"). The app
//! sits behind a trusted proxy on loopback, so each test client names its
//! address with X-Forwarded-For.

use diesel::prelude::*;
use ratify::account::{Role, ACCOUNT_CAP, MAX_FAILED_LOGINS};

use crate::auth_support::*;
use crate::helpers::*;

const CHAIR: &str = "chair@example.org";
const WRONG: &str = "not the password at all";

#[actix_web::test]
async fn a_strangers_wrong_passwords_do_not_stop_the_owner() {
    let (app, _) = spawn_behind_proxy().await;
    app.create_account(CHAIR, Role::Committee);
    let stranger = Visitor::new(&app, "198.51.100.7");
    let mut statuses = Vec::new();
    for _ in 0..MAX_FAILED_LOGINS {
        statuses.push(stranger.sign_in(CHAIR, WRONG, "").await.0);
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 401, 423],
        "the fifth locks the stranger"
    );
    // The stranger stays locked out even with the right password...
    let (status, page) = stranger.sign_in(CHAIR, PASSWORD, "").await;
    assert_eq!(status, 423);
    assert!(page.contains(" UTC (Coordinated Universal Time)"), "{page}");
    // ...but the owner, from their own address, signs in.
    let owner = Visitor::new(&app, "203.0.113.5");
    assert_eq!(owner.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    // The lock is logged (without the address: the log is public).
    let mut conn = app.db.get().unwrap();
    let lines = ratify::audit::entries(&mut conn, &ratify::audit::LogName::System, 0, 20).unwrap();
    let locked: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("account.locked"))
        .collect();
    assert_eq!(locked.len(), 1, "{lines:?}");
    assert!(locked[0].contains("\"scope\":\"client\""), "{}", locked[0]);
    assert!(!locked[0].contains("198.51.100.7"));
}

#[actix_web::test]
async fn an_unknown_email_locks_like_a_known_one() {
    let (app, _) = spawn_behind_proxy().await;
    app.create_account(CHAIR, Role::Committee);
    // Two strangers (each within the 10-a-minute rate limit), one trying a
    // real email and one an unknown one, see the same answers.
    let one = Visitor::new(&app, "198.51.100.8");
    let other = Visitor::new(&app, "198.51.100.9");
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..MAX_FAILED_LOGINS + 1 {
        known.push(one.sign_in(CHAIR, WRONG, "").await.0);
        unknown.push(other.sign_in("nobody@example.org", WRONG, "").await.0);
    }
    assert_eq!(known, unknown, "a lock must not tell which emails exist");
    assert_eq!(unknown.last(), Some(&423));
}

/// Concurrent failures from many clients are all counted (issue 9: on
/// PostgreSQL a read-then-write counter lost updates), and at the cap the
/// account takes no password-only sign-in from anyone.
#[actix_web::test]
async fn concurrent_wrong_passwords_are_all_counted() {
    let (app, _) = spawn_behind_proxy().await;
    app.create_account(CHAIR, Role::Committee);
    let clients: Vec<Visitor> = (0..ACCOUNT_CAP - 1)
        .map(|i| Visitor::new(&app, &format!("198.51.100.{}", i + 10)))
        .collect();
    let statuses = sign_in_together(&clients, CHAIR, WRONG).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let failed: i32 = {
        use ratify::db::schema::accounts::dsl::*;
        let mut conn = app.db.get().unwrap();
        accounts
            .filter(email.eq(CHAIR))
            .select(failed_logins)
            .first(&mut conn)
            .unwrap()
    };
    assert_eq!(failed, ACCOUNT_CAP - 1, "every concurrent failure counted");

    // The owner still gets in below the cap; the cap-th failure (from yet
    // another address) stops password-only sign-in for everyone.
    let owner = Visitor::new(&app, "203.0.113.5");
    let last = Visitor::new(&app, "198.51.100.250");
    assert_eq!(last.sign_in(CHAIR, WRONG, "").await.0, 423);
    assert_eq!(owner.sign_in(CHAIR, PASSWORD, "").await.0, 423);
    // It ends with time.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(owner.sign_in(CHAIR, PASSWORD, "").await.0, 303);
}

/// With TOTP, the right password and a fresh code still get in while the
/// account-wide cap is reached: strangers cannot lock such an account out
/// at all.
#[actix_web::test]
async fn the_right_password_with_totp_gets_in_under_attack() {
    let (app, _) = spawn_behind_proxy().await;
    let secret = create_totp_account(&app, CHAIR, Role::Committee);
    let attackers: Vec<Visitor> = (0..ACCOUNT_CAP + 2)
        .map(|i| Visitor::new(&app, &format!("198.51.100.{}", i + 10)))
        .collect();
    sign_in_together(&attackers, CHAIR, WRONG).await;
    let owner = Visitor::new(&app, "203.0.113.5");
    assert_eq!(owner.sign_in(CHAIR, PASSWORD, "").await.0, 401, "no code");
    let code = totp_now(&app, &secret, CHAIR);
    assert_eq!(owner.sign_in(CHAIR, PASSWORD, &code).await.0, 303);
}

/// A locked client or account must not answer faster than an unknown email:
/// every refusal costs exactly one argon2 run (counted by the hasher, not by
/// a stopwatch).
#[actix_web::test]
async fn every_answer_costs_one_password_check() {
    let (app, passwords) = spawn_behind_proxy().await;
    app.create_account(CHAIR, Role::Committee);
    app.create_account("gone@example.org", Role::Committee);
    {
        let mut conn = app.db.get().unwrap();
        let gone = ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == "gone@example.org")
            .unwrap();
        ratify::account::set_disabled(&mut conn, gone.id, true, None, "test", chrono::Utc::now())
            .unwrap();
    }
    let stranger = Visitor::new(&app, "198.51.100.9");
    for _ in 0..MAX_FAILED_LOGINS {
        stranger.sign_in(CHAIR, WRONG, "").await;
    }
    let cost = |runs_before: u64| passwords.runs() - runs_before;
    let before = passwords.runs();
    assert_eq!(stranger.sign_in(CHAIR, PASSWORD, "").await.0, 423);
    assert_eq!(cost(before), 1, "locked");
    let before = passwords.runs();
    assert_eq!(
        stranger.sign_in("nobody@example.org", WRONG, "").await.0,
        401
    );
    assert_eq!(cost(before), 1, "unknown email");
    let before = passwords.runs();
    assert_eq!(
        stranger.sign_in("gone@example.org", PASSWORD, "").await.0,
        401
    );
    assert_eq!(cost(before), 1, "disabled");
    let owner = Visitor::new(&app, "203.0.113.5");
    let before = passwords.runs();
    assert_eq!(owner.sign_in(CHAIR, WRONG, "").await.0, 401);
    assert_eq!(cost(before), 1, "wrong password");
}
