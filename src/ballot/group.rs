//! Group commit for casts (issue 13's benchmark; S2, S19).
//!
//! Every cast appends to the election's one audit log, whose head row is
//! locked until commit, and a durable commit waits for the disk (an fsync
//! of SQLite's WAL, or PostgreSQL's WAL flush: about 2 ms on the benchmark
//! machine). One cast per transaction therefore caps a whole election
//! near 1 / (fsync time) casts a second, whatever the cores. Here one
//! writer thread takes every cast waiting in the queue, runs them one
//! after the other in ONE write transaction ([`super::cast::cast_within`],
//! unchanged: each credential is still checked and spent before its
//! ballot is stored) and commits once; only then does each request hear
//! its outcome, so no receipt is shown before its ballot is durable (S19).
//! Casts that arrive while a batch commits form the next batch, so a lone
//! cast waits for no one.
//!
//! If one cast of a batch fails with an error (not a refusal), the batch is
//! rolled back and each of its casts is retried in its own transaction, so
//! one bad cast cannot take its neighbours' ballots with it.

use std::sync::mpsc;

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::cast::{cast, cast_within, Receipt, Refusal, SealedBallot};
use crate::credential::TokenHash;
use crate::db::{write_transaction, Db, DbConnection};
use crate::error::{Error, Result};

/// Most casts committed together: bounds the time the write lock is held.
const MAX_BATCH: usize = 128;

type Outcome = Result<std::result::Result<Receipt, Refusal>>;

struct Job {
    hash: TokenHash,
    sealed: SealedBallot,
    now: DateTime<Utc>,
    reply: oneshot::Sender<Outcome>,
}

/// The queue of casts waiting for the writer. Cheap to clone; the writer
/// thread ends when the last clone is dropped.
#[derive(Clone)]
pub struct CastQueue {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for CastQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CastQueue")
    }
}

impl CastQueue {
    /// Starts the writer thread on `db`.
    pub fn start(db: Db) -> Result<CastQueue> {
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("ratify-cast-writer".into())
            .spawn(move || writer(db, queue))
            .map_err(|e| Error::Internal(format!("starting the cast writer: {e}")))?;
        Ok(CastQueue { jobs })
    }

    /// Casts `sealed` with the link whose hash is `hash`; answers once the
    /// transaction that stored it has committed (S19).
    pub async fn cast(&self, hash: TokenHash, sealed: SealedBallot, now: DateTime<Utc>) -> Outcome {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            hash,
            sealed,
            now,
            reply,
        };
        self.jobs
            .send(job)
            .map_err(|_| Error::Internal("the cast writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| Error::Internal("the cast writer dropped a cast".into()))?
    }
}

fn writer(db: Db, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcomes = match db.get() {
            Ok(mut conn) => commit_batch(&mut conn, &batch),
            Err(e) => batch.iter().map(|_| Err(copy_error(&e))).collect(),
        };
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // The request may have gone (client hung up): its ballot stays.
            let _ = job.reply.send(outcome);
        }
    }
}

/// Runs the batch in one transaction; on an error, each cast on its own.
fn commit_batch(conn: &mut DbConnection, batch: &[Job]) -> Vec<Outcome> {
    let together = write_transaction(conn, |conn| {
        batch
            .iter()
            .map(|j| cast_within(conn, &j.hash, &j.sealed, j.now))
            .collect::<Result<Vec<_>>>()
    });
    match together {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(e) if batch.len() == 1 => vec![Err(e)],
        Err(_) => batch
            .iter()
            .map(|j| cast(conn, &j.hash, &j.sealed, j.now))
            .collect(),
    }
}

/// An error for each cast of a batch that could not start (errors are not
/// `Clone`: they may hold a database error).
fn copy_error(e: &Error) -> Error {
    Error::Unavailable(e.to_string())
}
