//! RFC 6238 §5.2: a TOTP code is accepted once. Without this, a code seen
//! over a shoulder or in a proxy's log signs in again within its 30 s
//! (issue 9).

use ratify::account::Role;

use crate::auth_support::*;
use crate::helpers::*;

const CHAIR: &str = "chair@example.org";

#[actix_web::test]
async fn a_totp_code_signs_in_once() {
    let app = TestApp::spawn().await;
    let secret = create_totp_account(&app, CHAIR, Role::Committee);
    let code = totp_now(&app, &secret, CHAIR);
    let first = Visitor::new(&app, "unused");
    assert_eq!(first.sign_in(CHAIR, PASSWORD, &code).await.0, 303);
    // The same code again, from another browser, within its step: refused.
    let second = Visitor::new(&app, "unused");
    assert_eq!(second.sign_in(CHAIR, PASSWORD, &code).await.0, 401);
    // Still refused a step later, while it would be inside the skew window.
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(second.sign_in(CHAIR, PASSWORD, &code).await.0, 401);
    // The next step's code works.
    let next = totp_now(&app, &secret, CHAIR);
    assert_eq!(second.sign_in(CHAIR, PASSWORD, &next).await.0, 303);
}

#[actix_web::test]
async fn an_earlier_steps_code_is_refused_after_a_later_one() {
    use ratify::clock::Clock;
    let app = TestApp::spawn().await;
    let secret = create_totp_account(&app, CHAIR, Role::Committee);
    let t = app.clock.now().timestamp() as u64;
    let earlier = ratify::account::totp::code_at(&secret, CHAIR, t - 30).unwrap();
    let now = totp_now(&app, &secret, CHAIR);
    let browser = Visitor::new(&app, "unused");
    assert_eq!(browser.sign_in(CHAIR, PASSWORD, &now).await.0, 303);
    // `earlier` is inside the one-step skew, so only the remembered step
    // refuses it.
    assert!(ratify::account::totp::check(&secret, CHAIR, &earlier, t));
    let other = Visitor::new(&app, "unused");
    assert_eq!(other.sign_in(CHAIR, PASSWORD, &earlier).await.0, 401);
}
