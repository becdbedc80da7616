//! The closer job: within a few seconds of `closes_at`, makes the close of
//! every election whose window is over (the `election.closed` entry with
//! the voted commitment, and the storage rewrite; `tally::close`), so the
//! physical traces of the vote do not wait for the tally (issue 13).

use std::time::Duration;

use chrono::Utc;

use super::{Job, Outcome};
use crate::db::Db;
use crate::election::{list_elections, ElectionState};
use crate::error::Result;
use crate::tally::close_if_due;

pub struct Closer {
    db: Db,
}

impl Closer {
    pub fn new(db: Db) -> Closer {
        Closer { db }
    }
}

impl Job for Closer {
    fn name(&self) -> &'static str {
        "closer"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(5)
    }

    fn run_once(&mut self) -> Result<Outcome> {
        let mut conn = self.db.get()?;
        let now = Utc::now();
        for e in list_elections(&mut conn)? {
            if e.stored_state < ElectionState::Closed && e.state(now) == ElectionState::Closed {
                if let Some(closed) = close_if_due(&mut conn, &e, now)? {
                    let ballots: u64 = closed.per_unit.values().sum();
                    tracing::info!(election = %e.spec.slug(), ballots, "closed the vote");
                }
            }
        }
        Ok(Outcome::Idle)
    }
}
