//! S17 behind a reverse proxy: X-Forwarded-For names the client only when
//! the connection comes from a configured trusted proxy (issue 9).

use crate::auth_support::*;
use crate::helpers::*;

/// Eleven sign-in attempts from browsers that each claim another address.
async fn eleven_attempts_claiming_addresses(app: &TestApp) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..11 {
        let b = Visitor::new(app, &format!("198.51.100.{}", i + 1));
        statuses.push(
            b.sign_in("nobody@example.org", "whatever it is", "")
                .await
                .0,
        );
    }
    statuses
}

#[actix_web::test]
async fn without_trusted_proxies_the_header_is_ignored() {
    let (app, _) = spawn_seeing_passwords(|_| {}).await;
    let statuses = eleven_attempts_claiming_addresses(&app).await;
    // All from 127.0.0.1 whatever they claim: one limit of ten a minute.
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let (app, _) = spawn_behind_proxy().await;
    let statuses = eleven_attempts_claiming_addresses(&app).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    // One client is still limited.
    let one = Visitor::new(&app, "203.0.113.9");
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(
            one.sign_in("nobody@example.org", "whatever it is", "")
                .await
                .0,
        );
    }
    assert_eq!(statuses[10], 429, "{statuses:?}");
}

#[actix_web::test]
async fn a_proxy_not_in_the_list_is_not_believed() {
    // Trusting some other proxy does not make loopback trusted.
    let (app, _) = spawn_seeing_passwords(|s| {
        s.server.trusted_proxies = vec!["10.0.0.0/8".to_string().try_into().unwrap()]
    })
    .await;
    let statuses = eleven_attempts_claiming_addresses(&app).await;
    assert_eq!(statuses[10], 429, "{statuses:?}");
}
