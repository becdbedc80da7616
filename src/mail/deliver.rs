//! One run of the outbox: claim a batch, compose each message, hand the
//! batch to the transport, record every outcome in one transaction.
//!
//! Durability (S19): a message is claimed (committed) before it is sent and
//! marked sent (committed) after the relay's 250, so a restart loses
//! nothing. SMTP has no way to make "accepted" and "recorded" one step: if
//! the process dies between the two, the message is sent again after its
//! lease, with the same Message-ID (mail clients show one). A graceful stop
//! (SIGTERM) finishes the batch first, so it re-sends nothing.
//!
//! Never twice while we still work on it (issue 12): while a batch is being
//! sent a heartbeat renews its lease every third of `lease_secs`, so a slow
//! relay never lets the lease run out under a message in flight; a message
//! whose lease was lost anyway (the database unreachable for a whole lease)
//! is not handed to the relay (`smtp`), and every outcome is recorded only
//! by the claim that holds the message (`db::outbox::Hold`).

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::compose::{Composer, Draft, Kind};
use super::lease::Lease;
use super::smtp::{Delivery, Outgoing, SmtpPool};
use crate::config::{MailSettings, MailTransport, Settings};
use crate::db::outbox::{self, Claimed, Hold};
use crate::db::{write_transaction, Db, DbConnection};
use crate::election::{load_election, Language, StoredElection};
use crate::error::{Error, Result};

/// Where messages go.
enum Transport {
    /// One `.eml` file per message in the outbox directory (0700, files
    /// 0600): the embedded default, for trying ratify without a relay.
    File(PathBuf),
    Smtp(Box<SmtpPool>),
}

/// What became of each message of a batch, by outbox id.
type Outcomes = Vec<(i64, Delivery)>;

/// The mail worker's state between runs: the open relay connections.
pub struct Deliverer {
    db: Db,
    composer: Composer,
    transport: Transport,
    mail: MailSettings,
    /// True after a run wiped tokens: when the queue drains, SQLite's WAL
    /// is truncated so no old page holding a token stays in it.
    wiped: bool,
}

impl Deliverer {
    pub fn new(db: Db, settings: &Settings) -> Result<Deliverer> {
        let composer = Composer::new(&settings.mail, &settings.server)?;
        let transport = match settings.mail.transport {
            MailTransport::File => {
                crate::keys::create_private_dir(&settings.mail.outbox_dir)?;
                Transport::File(settings.mail.outbox_dir.clone())
            }
            MailTransport::Smtp => {
                let hello = composer.return_path("x");
                let domain = hello.rsplit('@').next().unwrap_or("localhost").to_string();
                Transport::Smtp(Box::new(SmtpPool::new(&settings.mail, &domain)?))
            }
        };
        Ok(Deliverer {
            db,
            composer,
            transport,
            mail: settings.mail.clone(),
            wiped: false,
        })
    }

    /// Delivers one batch; returns how many messages it handled (0: the
    /// queue has nothing due).
    pub fn run_batch(&mut self, now: DateTime<Utc>) -> Result<usize> {
        // Before the claim, so the local view never outlasts the lease.
        let claimed_at = Instant::now();
        let mut conn = self.db.get()?;
        let holds = write_transaction(&mut conn, |c| {
            outbox::claim(
                c,
                now.timestamp_millis(),
                lease_end(now, self.lease_len()),
                i64::from(self.mail.batch_size),
            )
        })?;
        if holds.is_empty() {
            if std::mem::take(&mut self.wiped) {
                outbox::truncate_wal(&mut conn)?;
            }
            return Ok(0);
        }
        let ids: Vec<i64> = holds.iter().map(|h| h.id).collect();
        let claimed = outbox::load_claimed(&mut conn, &ids)?;
        let (outgoing, mut results) = self.compose_all(&mut conn, &claimed)?;
        // The heartbeat needs a connection of the pool while we send.
        drop(conn);
        let lease = Arc::new(Lease::new(ids, claimed_at + self.lease_len()));
        results.extend(self.send_holding(outgoing, &holds, lease));
        let holds: HashMap<i64, Hold> = holds.into_iter().map(|h| (h.id, h)).collect();
        let done = Utc::now();
        let mut conn = self.db.get()?;
        write_transaction(&mut conn, |c| {
            for (id, delivery) in &results {
                self.record(c, &holds[id], delivery, done)?;
            }
            Ok::<_, Error>(())
        })?;
        self.wiped = true;
        tracing::debug!(messages = results.len(), "mail batch delivered");
        Ok(results.len())
    }

    fn lease_len(&self) -> Duration {
        Duration::from_secs(self.mail.lease_secs)
    }

    /// Sends the batch while a heartbeat thread renews its lease.
    fn send_holding(
        &mut self,
        outgoing: Vec<Outgoing>,
        holds: &[Hold],
        lease: Arc<Lease>,
    ) -> Outcomes {
        let (stop, stopped) = mpsc::channel::<()>();
        let db = self.db.clone();
        let len = self.lease_len();
        std::thread::scope(|s| {
            let beat = Arc::clone(&lease);
            s.spawn(move || heartbeat(&db, holds, &beat, len, stopped));
            let results = self.send(outgoing, lease);
            drop(stop);
            results
        })
    }

    /// Composes each claimed message; those that cannot be (an address the
    /// relay could never take) are permanent failures at once.
    fn compose_all(
        &self,
        conn: &mut DbConnection,
        claimed: &[Claimed],
    ) -> Result<(Vec<Outgoing>, Outcomes)> {
        let mut elections: HashMap<String, StoredElection> = HashMap::new();
        let mut outgoing = Vec::with_capacity(claimed.len());
        let mut failed = Vec::new();
        for m in claimed {
            if !elections.contains_key(&m.slug) {
                elections.insert(m.slug.clone(), load_election(conn, &m.slug)?);
            }
            let e = &elections[&m.slug];
            let (Some(kind), Some(token)) = (Kind::parse(&m.kind), m.token.as_deref()) else {
                failed.push((
                    m.id,
                    Delivery::Permanent("nothing to send: the message has no link".into()),
                ));
                continue;
            };
            let draft = Draft {
                kind,
                message_id: &m.message_id,
                to_name: &m.name,
                to_email: &m.email,
                language: m.language.parse().unwrap_or(Language::En),
                token,
            };
            match self.composer.compose(e, &draft) {
                Ok((envelope, bytes)) => outgoing.push(Outgoing {
                    id: m.id,
                    envelope,
                    bytes,
                }),
                Err(Error::Invalid(why)) => {
                    failed.push((m.id, Delivery::Permanent(why.to_string())))
                }
                Err(other) => return Err(other),
            }
        }
        Ok((outgoing, failed))
    }

    fn send(&mut self, outgoing: Vec<Outgoing>, lease: Arc<Lease>) -> Outcomes {
        match &mut self.transport {
            Transport::Smtp(pool) => pool.send_all(outgoing, lease),
            Transport::File(dir) => outgoing
                .into_iter()
                .map(|m| (m.id, write_file(dir, &m)))
                .collect(),
        }
    }

    /// Records what became of one message, if this worker still holds it.
    fn record(
        &self,
        conn: &mut DbConnection,
        hold: &Hold,
        delivery: &Delivery,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let attempts = hold.attempts;
        let held = match delivery {
            Delivery::Accepted(reply) => {
                if !outbox::mark_sent(conn, hold, reply)? {
                    accepted_after_lease_lost(conn, hold, reply)?;
                }
                return Ok(());
            }
            Delivery::Permanent(reply) => outbox::give_up(conn, hold, reply)?,
            Delivery::Temporary(reply) if attempts as u32 >= self.mail.max_attempts => {
                let reply = format!("gave up after {attempts} tries; last reply: {reply}");
                outbox::give_up(conn, hold, &reply)?
            }
            Delivery::Temporary(reply) => {
                let wait = retry_delay(self.mail.retry_base_secs, attempts);
                let at =
                    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                outbox::mark_deferred(conn, hold, reply, at.timestamp_millis())?
            }
        };
        if !held {
            tracing::info!(
                outbox_id = hold.id,
                "mail lease lost: the message's new holder records it"
            );
        }
        Ok(())
    }

    /// Closes the relay connections.
    pub fn close(&mut self) {
        if let Transport::Smtp(pool) = &mut self.transport {
            pool.close();
        }
    }
}

/// The lease's end, `len` after `now`, in the outbox's milliseconds.
fn lease_end(now: DateTime<Utc>, len: Duration) -> i64 {
    (now + chrono::Duration::from_std(len).unwrap_or(chrono::Duration::hours(1))).timestamp_millis()
}

/// Renews the batch's lease every third of its length until `stop` is
/// dropped: two renewals in a row may fail before the lease runs out.
/// Messages another worker took over meanwhile drop out of `lease`.
fn heartbeat(db: &Db, holds: &[Hold], lease: &Lease, len: Duration, stop: Receiver<()>) {
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(len / 3) {
        let started = Instant::now();
        let until = lease_end(Utc::now(), len);
        let renewed = db
            .get()
            .and_then(|mut c| write_transaction(&mut c, |c| outbox::renew(c, holds, until)));
        match renewed {
            Ok(still) => lease.renewed(started + len, &still),
            Err(e) => tracing::warn!(error = %e, "cannot renew the mail batch's lease"),
        }
    }
}

/// The relay accepted a message whose lease had run out (this worker could
/// not renew it for a whole lease): another worker may hold it now. Record
/// the acceptance anyway, unless that worker finished it, so it sees it must
/// not send the message; if it already did, the member has two copies of
/// one message (same Message-ID and link).
fn accepted_after_lease_lost(conn: &mut DbConnection, hold: &Hold, reply: &str) -> Result<()> {
    let recorded = outbox::mark_sent_unheld(conn, hold.id, reply)?;
    tracing::warn!(
        outbox_id = hold.id,
        recorded,
        "the relay accepted a message after this worker's lease on it ran out"
    );
    Ok(())
}

/// The wait before try `attempts + 1`: the base doubled per try already
/// made, at most an hour (throttling relays ask for patience, not for
/// hammering).
pub fn retry_delay(base_secs: u64, attempts: i32) -> Duration {
    let doublings = (attempts.max(1) - 1).min(20) as u32;
    Duration::from_secs(base_secs.saturating_mul(1u64 << doublings).min(3600))
}

fn write_file(dir: &std::path::Path, m: &Outgoing) -> Delivery {
    let name = m
        .envelope
        .from()
        .map(|a| a.user().trim_start_matches("bounce+").to_string())
        .unwrap_or_else(|| m.id.to_string());
    let path = dir.join(format!("{name}.eml"));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| f.write_all(&m.bytes).and_then(|_| f.sync_all()));
    match written {
        Ok(()) => Delivery::Accepted(format!("written to {}", path.display())),
        Err(e) => Delivery::Temporary(format!("cannot write {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_the_base_and_stop_at_an_hour() {
        assert_eq!(retry_delay(60, 1), Duration::from_secs(60));
        assert_eq!(retry_delay(60, 2), Duration::from_secs(120));
        assert_eq!(retry_delay(60, 4), Duration::from_secs(480));
        assert_eq!(retry_delay(60, 30), Duration::from_secs(3600));
        assert_eq!(retry_delay(1, 0), Duration::from_secs(1));
    }
}
