//! The mail worker: delivers the outbox beside `ratify serve` (issue 12).
//! Runs batch after batch while messages are due, then sleeps
//! `mail.poll_interval_secs`.

use std::time::Duration;

use chrono::Utc;

use super::{Job, Outcome};
use crate::config::Settings;
use crate::db::Db;
use crate::error::Result;
use crate::mail::Deliverer;

pub struct MailWorker {
    deliverer: Deliverer,
    interval: Duration,
}

impl MailWorker {
    pub fn new(db: Db, settings: &Settings) -> Result<MailWorker> {
        Ok(MailWorker {
            deliverer: Deliverer::new(db, settings)?,
            interval: Duration::from_secs(settings.mail.poll_interval_secs),
        })
    }
}

impl Job for MailWorker {
    fn name(&self) -> &'static str {
        "mail"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn run_once(&mut self) -> Result<Outcome> {
        match self.deliverer.run_batch(Utc::now())? {
            0 => Ok(Outcome::Idle),
            _ => Ok(Outcome::More),
        }
    }
}

impl Drop for MailWorker {
    fn drop(&mut self) {
        self.deliverer.close();
    }
}
