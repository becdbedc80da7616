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
//! STARTTLS then upgrades that same socket. Implicit TLS (`tls`) goes
//! through lettre's own connect, which cannot take a stream.

use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::task::JoinSet;

use crate::config::{MailSettings, SmtpSecurity};
use crate::error::{Error, Result};

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
            },
            lanes: (0..lanes).map(|_| None).collect(),
            spacing,
            runtime,
        })
    }

    /// Sends every message, spread over the connections; returns each
    /// message's id with what the relay said. No message is started after
    /// `deadline` (the end of the batch's lease, less one timeout): those
    /// come back as temporary failures, so another worker that takes the
    /// batch over never sends one this worker is still sending.
    pub fn send_all(&mut self, messages: Vec<Outgoing>, deadline: Instant) -> Vec<(i64, Delivery)> {
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
                set.spawn(async move {
                    (
                        lane,
                        send_share(&relay, conn, share, spacing, deadline).await,
                    )
                });
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
    deadline: Instant,
) -> (Option<AsyncSmtpConnection>, Vec<(i64, Delivery)>) {
    let mut out = Vec::with_capacity(share.len());
    let mut next = Instant::now();
    for m in share {
        if let Some(gap) = spacing {
            tokio::time::sleep_until(next.into()).await;
            next = Instant::now().max(next) + gap;
        }
        if Instant::now() >= deadline {
            let why = "not tried: the batch's lease ran out (the relay is slow)";
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
        let result = tokio::time::timeout(relay.timeout, c.send(&m.envelope, &m.bytes)).await;
        let answered = result.is_ok();
        let delivery = match result {
            Ok(Ok(response)) => Delivery::Accepted(reply_text(&response)),
            Ok(Err(e)) if e.is_permanent() => Delivery::Permanent(e.to_string()),
            Ok(Err(e)) => Delivery::Temporary(e.to_string()),
            Err(_) => Delivery::Temporary("the relay did not answer in time".into()),
        };
        // lettre aborts a connection after a negative reply; keep only
        // healthy ones. A timed-out one is in an unknown state: drop it.
        if answered && !c.has_broken() {
            conn = Some(c);
        }
        out.push((m.id, delivery));
    }
    (conn, out)
}

fn reply_text(r: &lettre::transport::smtp::response::Response) -> String {
    let words: Vec<&str> = r.message().collect();
    format!("{} {}", r.code(), words.join(" "))
}

/// Opens one connection: our own no-delay TCP stream for `none` and
/// `starttls`, lettre's for implicit TLS; then authenticates if configured.
async fn connect(relay: &Relay) -> std::result::Result<AsyncSmtpConnection, String> {
    let attempt = async {
        let tls = || TlsParameters::new(relay.host.clone()).map_err(|e| format!("TLS set-up: {e}"));
        let mut conn = match relay.security {
            SmtpSecurity::Tls => AsyncSmtpConnection::connect_tokio1(
                (relay.host.as_str(), relay.port),
                Some(relay.timeout),
                &relay.hello,
                Some(tls()?),
                None,
            )
            .await
            .map_err(|e| format!("cannot connect to the relay: {e}"))?,
            _ => {
                let tcp = tokio::net::TcpStream::connect((relay.host.as_str(), relay.port))
                    .await
                    .map_err(|e| format!("cannot connect to the relay: {e}"))?;
                tcp.set_nodelay(true)
                    .map_err(|e| format!("cannot set TCP_NODELAY: {e}"))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &relay.hello)
                    .await
                    .map_err(|e| format!("the relay refused the connection: {e}"))?
            }
        };
        if relay.security == SmtpSecurity::Starttls {
            conn.starttls(tls()?, &relay.hello)
                .await
                .map_err(|e| format!("STARTTLS failed: {e}"))?;
        }
        if let Some(credentials) = &relay.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| format!("the relay refused our login: {e}"))?;
        }
        Ok(conn)
    };
    tokio::time::timeout(relay.timeout, attempt)
        .await
        .unwrap_or_else(|_| Err("the relay did not answer in time".into()))
}
