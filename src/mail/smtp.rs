//! Sending to the relay: `smtp_pool_size` connections kept open between
//! batches, each sending its share of a batch in turn, paced to
//! `rate_per_second` over all of them.
//!
//! Throughput (docs/performance.md, "Mail"): lettre's blocking client never
//! sets TCP_NODELAY and writes a message's final `.` separately, so each
//! message waits for the relay's delayed ACK (Nagle's algorithm, RFC 896
//! with RFC 1122 delayed ACKs): about 40 ms, some 25 messages a second per
//! connection. We open the TCP stream ourselves, set TCP_NODELAY on it, and
//! hand it to lettre's `AsyncSmtpConnection::connect_with_transport`;
//! STARTTLS then upgrades that same socket, and implicit TLS
//! (`implicit_tls`) runs its handshake over it first.
//!
//! Never twice (issue 12): a message is sent in two steps. The envelope
//! (MAIL, RCPT, DATA) is bounded by `smtp_timeout_secs`; abandoning it
//! delivers nothing. The data and its final `.` are sent only while this
//! worker still holds the message's lease (`Lease::holds`), and the reply
//! to the `.` is awaited for up to ten minutes (RFC 5321 §4.5.3.2.6): a
//! relay that is slow to answer has usually taken the message already, and
//! giving up sooner would retry it — a second copy. The heartbeat keeps the
//! lease while we wait.

use std::time::{Duration, Instant};

use std::sync::Arc;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailBodyParameter, MailParameter};
use tokio::task::JoinSet;

use super::implicit_tls;
use super::lease::Lease;
use crate::config::{MailSettings, SmtpSecurity};
use crate::error::{Error, Result};

/// How long to wait for the relay's reply to a message's final `.`
/// (RFC 5321 §4.5.3.2.6: ten minutes, because a spurious timeout there
/// "would typically result in delivery of multiple copies").
const FINAL_REPLY_WAIT: Duration = Duration::from_secs(600);

/// What the relay said about one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// 2xx: the relay took responsibility for it.
    Accepted(String),
    /// 4xx, a timeout or a broken connection: try again later.
    Temporary(String),
    /// 5xx: it will never be delivered; the reply says why.
    Permanent(String),
}

/// One message to send: the outbox row's id, envelope and bytes.
pub struct Outgoing {
    pub id: i64,
    pub envelope: Envelope,
    pub bytes: Vec<u8>,
}

#[derive(Clone)]
struct Relay {
    host: String,
    port: u16,
    security: SmtpSecurity,
    timeout: Duration,
    hello: ClientId,
    credentials: Option<Credentials>,
    /// The trust roots and the name the relay's certificate must carry.
    tls: Option<TlsParameters>,
}

/// The pool of relay connections and the runtime that drives them.
pub struct SmtpPool {
    relay: Relay,
    lanes: Vec<Option<AsyncSmtpConnection>>,
    /// Time between two messages on one connection (rate / lanes).
    spacing: Option<Duration>,
    runtime: tokio::runtime::Runtime,
}

impl SmtpPool {
    pub fn new(mail: &MailSettings, hello_domain: &str) -> Result<SmtpPool> {
        let credentials = if mail.smtp_username.is_empty() {
            None
        } else {
            let path = std::path::Path::new(&mail.smtp_password_file);
            let password = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            Some(Credentials::new(
                mail.smtp_username.clone(),
                password.trim_end_matches(['\r', '\n']).to_string(),
            ))
        };
        let lanes = mail.smtp_pool_size.max(1);
        let spacing = (mail.rate_per_second > 0)
            .then(|| Duration::from_secs_f64(lanes as f64 / f64::from(mail.rate_per_second)));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("mail runtime: {e}")))?;
        Ok(SmtpPool {
            relay: Relay {
                host: mail.smtp_host.clone(),
                port: mail.smtp_port,
                security: mail.smtp_security,
                timeout: Duration::from_secs(mail.smtp_timeout_secs),
                hello: ClientId::Domain(hello_domain.to_string()),
                credentials,
                tls: tls_parameters(mail)?,
            },
            lanes: (0..lanes).map(|_| None).collect(),
            spacing,
            runtime,
        })
    }

    /// Sends every message, spread over the connections; returns each
    /// message's id with what the relay said. A message this worker no
    /// longer holds (`lease`) is not started, or not finished before its
    /// final `.`: it comes back as a temporary failure, which the fenced
    /// record then ignores (`db::outbox`), so a worker that took the batch
    /// over never races this one.
    pub fn send_all(&mut self, messages: Vec<Outgoing>, lease: Arc<Lease>) -> Vec<(i64, Delivery)> {
        let n = self.lanes.len();
        let mut shares: Vec<Vec<Outgoing>> = (0..n).map(|_| Vec::new()).collect();
        for (i, m) in messages.into_iter().enumerate() {
            shares[i % n].push(m);
        }
        let relay = self.relay.clone();
        let spacing = self.spacing;
        let lanes = &mut self.lanes;
        self.runtime.block_on(async {
            let mut set = JoinSet::new();
            for (lane, share) in shares.into_iter().enumerate() {
                if share.is_empty() {
                    continue;
                }
                let conn = lanes[lane].take();
                let relay = relay.clone();
                let lease = Arc::clone(&lease);
                set.spawn(
                    async move { (lane, send_share(&relay, conn, share, spacing, &lease).await) },
                );
            }
            let mut results = Vec::new();
            while let Some(joined) = set.join_next().await {
                match joined {
                    Ok((lane, (conn, mut done))) => {
                        lanes[lane] = conn;
                        results.append(&mut done);
                    }
                    Err(e) => tracing::error!(error = %e, "a mail connection task failed"),
                }
            }
            results
        })
    }

    /// Closes the connections politely (QUIT).
    pub fn close(&mut self) {
        let lanes = &mut self.lanes;
        self.runtime.block_on(async {
            for conn in lanes.iter_mut().filter_map(Option::take) {
                let mut conn = conn;
                let _ = conn.quit().await;
            }
        });
    }
}

/// Sends one connection's share in order, reconnecting after a failure.
/// Messages left unsent when the relay cannot be reached are temporary
/// failures, tried again later.
async fn send_share(
    relay: &Relay,
    mut conn: Option<AsyncSmtpConnection>,
    share: Vec<Outgoing>,
    spacing: Option<Duration>,
    lease: &Lease,
) -> (Option<AsyncSmtpConnection>, Vec<(i64, Delivery)>) {
    let mut out = Vec::with_capacity(share.len());
    let mut next = Instant::now();
    for m in share {
        if let Some(gap) = spacing {
            tokio::time::sleep_until(next.into()).await;
            next = Instant::now().max(next) + gap;
        }
        if !lease.holds(m.id) {
            let why = "not tried: this worker's lease on it ran out";
            out.push((m.id, Delivery::Temporary(why.into())));
            continue;
        }
        let mut c = match conn.take().filter(|c| !c.has_broken()) {
            Some(c) => c,
            None => match connect(relay).await {
                Ok(c) => c,
                Err(reason) => {
                    out.push((m.id, Delivery::Temporary(reason)));
                    continue;
                }
            },
        };
        let (delivery, healthy) = send_one(relay, &mut c, &m, lease).await;
        // A connection that failed or timed out is in an unknown state.
        if healthy && !c.has_broken() {
            conn = Some(c);
        }
        out.push((m.id, delivery));
    }
    (conn, out)
}

/// One message on an open connection: what the relay said, and whether
/// the connection can carry the next one.
async fn send_one(
    relay: &Relay,
    c: &mut AsyncSmtpConnection,
    m: &Outgoing,
    lease: &Lease,
) -> (Delivery, bool) {
    match tokio::time::timeout(relay.timeout, envelope(c, m)).await {
        Err(_) => return (Delivery::Temporary(NO_ANSWER.into()), false),
        Ok(Err(e)) => {
            c.abort().await;
            return (refused(e), false);
        }
        Ok(Ok(())) => {}
    }
    if !lease.holds(m.id) {
        // Closing before the final `.` makes the relay drop the message.
        c.abort().await;
        let why = "not sent: this worker's lease on it ran out before the final dot";
        return (Delivery::Temporary(why.into()), false);
    }
    match tokio::time::timeout(FINAL_REPLY_WAIT, c.message(&m.bytes)).await {
        Err(_) => (Delivery::Temporary(NO_ANSWER.into()), false),
        Ok(Err(e)) => {
            c.abort().await;
            (refused(e), false)
        }
        Ok(Ok(response)) => (Delivery::Accepted(reply_text(&response)), true),
    }
}

const NO_ANSWER: &str = "the relay did not answer in time";

/// MAIL, RCPT and DATA, up to the relay's 354.
async fn envelope(
    c: &mut AsyncSmtpConnection,
    m: &Outgoing,
) -> std::result::Result<(), lettre::transport::smtp::Error> {
    let mut parameters = Vec::new();
    // RFC 6152: a body that is not 7-bit is declared 8BITMIME; RFC 6531:
    // non-ASCII addresses need SMTPUTF8.
    if !m.bytes.is_ascii() {
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let from = m.envelope.from();
    if from
        .into_iter()
        .chain(m.envelope.to())
        .any(|a: &lettre::Address| !AsRef::<str>::as_ref(a).is_ascii())
    {
        parameters.push(MailParameter::SmtpUtfEight);
    }
    c.command(Mail::new(from.cloned(), parameters)).await?;
    for to in m.envelope.to() {
        c.command(Rcpt::new(to.clone(), vec![])).await?;
    }
    c.command(Data).await?;
    Ok(())
}

/// A negative reply or a broken connection: permanent for a 5xx.
fn refused(e: lettre::transport::smtp::Error) -> Delivery {
    if e.is_permanent() {
        Delivery::Permanent(e.to_string())
    } else {
        Delivery::Temporary(e.to_string())
    }
}

fn reply_text(r: &lettre::transport::smtp::response::Response) -> String {
    let words: Vec<&str> = r.message().collect();
    format!("{} {}", r.code(), words.join(" "))
}

/// The TLS settings for `starttls` and `tls`: the relay's host name, and
/// the trust roots (the public web PKI, plus `smtp_ca_file`'s certificates
/// for a relay with a private CA).
fn tls_parameters(mail: &MailSettings) -> Result<Option<TlsParameters>> {
    if mail.smtp_security == SmtpSecurity::None {
        return Ok(None);
    }
    let mut builder = TlsParameters::builder(mail.smtp_host.clone());
    if !mail.smtp_ca_file.is_empty() {
        let path = std::path::Path::new(&mail.smtp_ca_file);
        let pem = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let ca = Certificate::from_pem(&pem)
            .map_err(|e| Error::Config(format!("mail.smtp_ca_file: {e}")))?;
        builder = builder.add_root_certificate(ca);
    }
    let tls = builder
        .build()
        .map_err(|e| Error::Config(format!("mail.smtp_security: TLS set-up: {e}")))?;
    Ok(Some(tls))
}

/// Opens one connection over our own no-delay TCP stream, in the clear,
/// with STARTTLS, or under implicit TLS; then authenticates if configured.
async fn connect(relay: &Relay) -> std::result::Result<AsyncSmtpConnection, String> {
    let attempt = async {
        let tcp = tokio::net::TcpStream::connect((relay.host.as_str(), relay.port))
            .await
            .map_err(|e| format!("cannot connect to the relay: {e}"))?;
        tcp.set_nodelay(true)
            .map_err(|e| format!("cannot set TCP_NODELAY: {e}"))?;
        let tls = || relay.tls.clone().ok_or("TLS is not configured".to_string());
        let mut conn = if relay.security == SmtpSecurity::Tls {
            let stream = implicit_tls::handshake(tcp, tls()?)
                .await
                .map_err(|e| format!("TLS with the relay failed: {e}"))?;
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &relay.hello).await
        } else {
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &relay.hello).await
        }
        .map_err(|e| format!("the relay refused the connection: {e}"))?;
        if relay.security == SmtpSecurity::Starttls {
            conn.starttls(tls()?, &relay.hello)
                .await
                .map_err(|e| format!("STARTTLS failed: {e}"))?;
        }
        if let Some(credentials) = &relay.credentials {
            // lettre's error carries the relay's reply, never our password.
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| format!("the relay refused our login: {e}"))?;
        }
        Ok(conn)
    };
    tokio::time::timeout(relay.timeout, attempt)
        .await
        .unwrap_or_else(|_| Err(NO_ANSWER.into()))
}
