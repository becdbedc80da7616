//! Group commit for casts (issue 13's benchmark; S2, S19).
//!
//! Every cast appends to the election's one audit log, whose head row is
//! locked until commit, and a durable commit waits for the disk (an fsync
//! of SQLite's WAL, or PostgreSQL's WAL flush: about 2 ms on the benchmark
//! machine). One cast per transaction therefore caps a whole election
//! near 1 / (fsync time) casts a second, whatever the cores. Here one
//! writer thread takes every cast waiting in the queue, runs them one
//! after the other in ONE write transaction ([`super::commit::cast_all`]:
//! each cast judged as if alone, in arrival order, with a fixed number of
//! statements per batch) and commits once; only then does each request hear
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

use super::cast::{cast, Receipt, Refusal, SealedBallot};
use super::commit::{cast_all, Cast};
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
    let casts: Vec<Cast<'_>> = batch
        .iter()
        .map(|j| Cast {
            hash: &j.hash,
            sealed: &j.sealed,
            now: j.now,
        })
        .collect();
    let together = write_transaction(conn, |conn| cast_all(conn, &casts));
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

#[cfg(test)]
mod tests {
    //! The batch's rules, on a real SQLite database: casts committed
    //! together each get their own outcome, a link used twice in one batch
    //! stores one ballot, and one failing cast does not take the others'
    //! ballots with it.

    use chrono::TimeZone;
    use diesel::RunQueryDsl;
    use ratify_testkit::{roll, SpecFixture};

    use super::*;
    use crate::ballot::{answers, seal, voter};
    use crate::config::DatabaseSettings;
    use crate::credential::{print_notices, PrintSelection};

    const SETUP: Option<&str> = Some("test");

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2099, 12, 5, 12, 0, 0).unwrap()
    }

    /// An open election with one member in U1 and one in U2; their links.
    fn election(db: &Db, key: &ring::hmac::Key) -> Vec<TokenHash> {
        let mut conn = db.get().unwrap();
        let spec = crate::election::parse_spec(&SpecFixture::far_future("group").toml()).unwrap();
        let before = now() - chrono::Duration::days(30);
        crate::election::create_election(&mut conn, &spec, SETUP, before).unwrap();
        let members = roll::in_units(&[("U1", 1), ("U2", 1)]);
        let csv = roll::csv(&members);
        let parsed = crate::roll::parse_roll(csv.as_bytes(), &spec.unit_codes()).unwrap();
        crate::roll::import_roll(&mut conn, "group", &parsed, SETUP, before, |_| {}).unwrap();
        ratify_testkit::key_ceremony(
            spec.trustees() as usize,
            |file| {
                let mut c = db.get().unwrap();
                crate::ceremony::register_trustee_file(
                    &mut c,
                    "group",
                    &file.to_json(),
                    SETUP,
                    before,
                )
                .unwrap();
            },
            || crate::ceremony::roster(&mut db.get().unwrap(), "group").unwrap(),
        );
        crate::ceremony::publish_key(&mut conn, "group", SETUP, before, 1).unwrap();
        let numbers = members.iter().map(|m| m.number.clone()).collect();
        let selection = PrintSelection::Members(numbers);
        let notices = print_notices(&mut conn, "group", key, &selection, SETUP, before).unwrap();
        members
            .iter()
            .map(|m| {
                let n = notices
                    .iter()
                    .find(|n| n.member_number == m.number)
                    .unwrap();
                n.token.hash(key)
            })
            .collect()
    }

    fn sealed_for(db: &Db, hash: &TokenHash) -> SealedBallot {
        let mut conn = db.get().unwrap();
        let v = voter(&mut conn, hash, now()).unwrap().unwrap();
        let fields = vec![
            ("answer-lbfo".to_string(), "yes".to_string()),
            ("answer-strike".to_string(), "no".to_string()),
        ];
        let chosen = answers::read(&v.election.spec, &fields).unwrap();
        seal(&v, &chosen).unwrap()
    }

    fn job(hash: TokenHash, sealed: SealedBallot) -> Job {
        let (reply, _) = oneshot::channel();
        Job {
            hash,
            sealed,
            now: now(),
            reply,
        }
    }

    fn ballots(db: &Db) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let q = diesel::sql_query("SELECT COUNT(*) AS n FROM ballots");
        q.get_result::<N>(&mut *db.get().unwrap()).unwrap().n
    }

    fn setup() -> (tempfile::TempDir, Db, Vec<TokenHash>) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&DatabaseSettings {
            url: format!("sqlite://{}", dir.path().join("group.db").display()),
            pool_size: 2,
            connection_timeout_secs: 5,
        })
        .unwrap();
        db.migrate().unwrap();
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"group commit test key");
        let links = election(&db, &key);
        (dir, db, links)
    }

    #[test]
    fn a_batch_gives_each_cast_its_outcome_and_one_ballot_per_link() {
        let (_dir, db, links) = setup();
        let (a, b) = (sealed_for(&db, &links[0]), sealed_for(&db, &links[1]));
        let batch = [job(links[0], a.clone()), job(links[1], b), job(links[0], a)];
        let out = commit_batch(&mut db.get().unwrap(), &batch);
        assert!(matches!(out[0], Ok(Ok(_))), "{:?}", out[0]);
        assert!(matches!(out[1], Ok(Ok(_))), "{:?}", out[1]);
        assert!(matches!(out[2], Ok(Err(Refusal::Used))), "{:?}", out[2]);
        assert_eq!(ballots(&db), 2);
    }

    #[test]
    fn a_failing_cast_does_not_take_its_batchs_ballots_with_it() {
        let (_dir, db, links) = setup();
        let u1 = sealed_for(&db, &links[0]);
        // U1's sealed ballot with U2's link: refused as an internal error.
        let batch = [job(links[0], u1.clone()), job(links[1], u1)];
        let out = commit_batch(&mut db.get().unwrap(), &batch);
        assert!(matches!(out[0], Ok(Ok(_))), "{:?}", out[0]);
        assert!(out[1].is_err(), "{:?}", out[1]);
        assert_eq!(ballots(&db), 1, "the good cast is stored, the bad one not");
        let mut conn = db.get().unwrap();
        let still = voter(&mut conn, &links[1], now()).unwrap();
        assert!(still.is_ok(), "the failed cast's link still works");
    }

    #[test]
    fn each_cast_of_a_batch_is_judged_alone_and_logged_once() {
        let (_dir, db, links) = setup();
        let (a, b) = (sealed_for(&db, &links[0]), sealed_for(&db, &links[1]));
        let unknown = TokenHash([7; 32]);
        let mut late = job(links[1], b);
        late.now = now() + chrono::Duration::days(30);
        let batch = [
            job(unknown, a.clone()),
            job(links[0], a.clone()),
            job(links[0], a),
            late,
        ];
        let out = commit_batch(&mut db.get().unwrap(), &batch);
        assert!(matches!(out[0], Ok(Err(Refusal::Unknown))), "{:?}", out[0]);
        assert!(matches!(out[1], Ok(Ok(_))), "{:?}", out[1]);
        assert!(matches!(out[2], Ok(Err(Refusal::Used))), "{:?}", out[2]);
        assert!(matches!(out[3], Ok(Err(Refusal::Closed))), "{:?}", out[3]);
        assert_eq!(ballots(&db), 1);
        let mut conn = db.get().unwrap();
        let log = crate::audit::LogName::Election("group".into());
        let head = crate::audit::log_head(&mut conn, &log).unwrap().unwrap();
        let bodies = crate::audit::entries(&mut conn, &log, 0, head.size as u64).unwrap();
        let casts = bodies.iter().filter(|b| b.contains("ballot.cast")).count();
        assert_eq!(casts, 1, "one ballot.cast entry for the one ballot stored");
        let still = voter(&mut conn, &links[1], now()).unwrap();
        assert!(still.is_ok(), "the late cast did not spend its link");
    }
}
