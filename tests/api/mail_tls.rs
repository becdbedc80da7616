//! Issue 12: the relay settings against a real server (aiosmtpd,
//! `tests/smtp/sink.py`) with a throwaway self-signed certificate that
//! ratify trusts through `mail.smtp_ca_file`: STARTTLS with a login,
//! implicit TLS with a login, a wrong password (clear error, nothing
//! marked sent, the password in no log: S4's rule for secrets), and a
//! certificate ratify does not trust.

use std::path::PathBuf;

use base64::Engine;
use ratify_testkit::roll;
use tempfile::TempDir;

use crate::helpers::{path_str, stop_serve, TestApp};
use crate::mail_delivery::wait_until;
use crate::mail_support::*;

const USER: &str = "ballots@union.example";
const PASSWORD: &str = "relay-pw-7f3a9c2e41d8";

/// A certificate for 127.0.0.1 (the relay's address in the tests), its
/// key, and the password files of the relay and of ratify.
struct Secrets {
    dir: TempDir,
}

impl Secrets {
    fn new(ratify_password: &str) -> Secrets {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let files = [
            ("cert.pem", key.cert.pem()),
            ("key.pem", key.signing_key.serialize_pem()),
            ("relay-password", PASSWORD.to_string()),
            ("ratify-password", format!("{ratify_password}\n")),
        ];
        for (name, body) in files {
            std::fs::write(dir.path().join(name), body).unwrap();
        }
        Secrets { dir }
    }

    fn path(&self, name: &str) -> String {
        path_str(&PathBuf::from(self.dir.path()).join(name))
    }

    /// The relay: `security` ("starttls" or "tls"), AUTH required.
    fn relay(&self, security: &str) -> Option<SmtpSink> {
        let (cert, key, pw) = (
            self.path("cert.pem"),
            self.path("key.pem"),
            self.path("relay-password"),
        );
        SmtpSink::start_with(&[
            "--security",
            security,
            "--cert",
            &cert,
            "--key",
            &key,
            "--auth-user",
            USER,
            "--auth-password-file",
            &pw,
        ])
    }

    /// ratify's environment for that relay; `trusted`: with smtp_ca_file.
    fn env(
        &self,
        app: &TestApp,
        sink: &SmtpSink,
        security: &str,
        trusted: bool,
    ) -> Vec<(String, String)> {
        let mut env = mail_env(app, sink);
        let ca = if trusted {
            self.path("cert.pem")
        } else {
            String::new()
        };
        for (k, v) in [
            ("RATIFY__MAIL__SMTP_SECURITY", security.to_string()),
            ("RATIFY__MAIL__SMTP_CA_FILE", ca),
            ("RATIFY__MAIL__SMTP_USERNAME", USER.to_string()),
            (
                "RATIFY__MAIL__SMTP_PASSWORD_FILE",
                self.path("ratify-password"),
            ),
        ] {
            env.push((k.to_string(), v));
        }
        env
    }
}

/// Sends an election of `n` over `security` and waits for every message.
async fn delivers_over(security: &str) {
    let secrets = Secrets::new(PASSWORD);
    let Some(sink) = secrets.relay(security) else {
        return;
    };
    let app = TestApp::spawn().await;
    let members = roll::spread(6);
    let slug = ready_election(&app, &format!("mail-{security}"), &members);
    let env = secrets.env(&app, &sink, security, true);
    ratify_ok(&["ballots", "send", &slug], &env);
    let mut server = serve(&env, &[]);
    wait_until(|| statuses(&app).get("sent") == Some(&6));
    let (status, logs) = stop_serve(&mut server);
    assert!(status.success(), "{logs}");
    let got = sink.messages();
    assert_eq!(got.len(), 6, "each member's ballot, once");
    assert!(got.iter().all(|m| m.token().len() >= 22));
}

#[actix_web::test]
async fn starttls_with_a_login_delivers_every_ballot() {
    // The relay refuses MAIL before STARTTLS and before AUTH.
    delivers_over("starttls").await;
}

#[actix_web::test]
async fn implicit_tls_with_a_login_delivers_every_ballot() {
    delivers_over("tls").await;
}

/// Runs one server against a relay until its message has a reply that
/// says `why`; returns the outbox, the relay's messages and the logs.
async fn refused(
    security: &str,
    ratify_password: &str,
    trusted: bool,
    why: &str,
) -> Option<(Vec<(String, Option<String>)>, usize, String)> {
    let secrets = Secrets::new(ratify_password);
    let sink = secrets.relay(security)?;
    let app = TestApp::spawn().await;
    let slug = ready_election(&app, "mail-refused", &roll::spread(1));
    let env = secrets.env(&app, &sink, security, trusted);
    ratify_ok(&["ballots", "send", &slug], &env);
    let mut server = serve(&env, &[("RATIFY__LOG__LEVEL", "trace")]);
    let said = |r: &(String, Option<String>)| r.1.as_deref().is_some_and(|t| t.contains(why));
    wait_until(|| replies(&app).iter().any(said));
    let (status, logs) = stop_serve(&mut server);
    assert!(status.success(), "{logs}");
    Some((replies(&app), sink.messages().len(), logs))
}

#[actix_web::test]
async fn a_wrong_password_is_refused_clearly_marks_nothing_sent_and_is_never_logged() {
    let wrong = "wrong-pw-c81d0b5e96aa";
    let Some((outbox, delivered, logs)) =
        refused("starttls", wrong, true, "the relay refused our login").await
    else {
        return;
    };
    assert_eq!(delivered, 0);
    assert!(
        outbox.iter().all(|(status, _)| status != "sent"),
        "{outbox:?}"
    );
    let reply = outbox[0].1.clone().unwrap();
    assert!(reply.contains("535"), "the relay's own words: {reply}");
    // Neither password, nor the AUTH PLAIN or LOGIN encodings of it, in the
    // log (at TRACE) or the recorded reply.
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    for secret in [
        wrong.to_string(),
        b64(wrong),
        b64(&format!("\0{USER}\0{wrong}")),
        PASSWORD.to_string(),
    ] {
        assert!(!logs.contains(&secret), "a password in the log");
        assert!(!reply.contains(&secret), "a password in the reply");
    }
}

#[actix_web::test]
async fn a_relay_certificate_ratify_does_not_trust_is_refused() {
    let Some((outbox, delivered, _)) =
        refused("tls", PASSWORD, false, "TLS with the relay failed").await
    else {
        return;
    };
    assert_eq!(delivered, 0);
    assert_ne!(outbox[0].0, "sent");
}
