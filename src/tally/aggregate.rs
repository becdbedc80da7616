//! Sums the stored ballots' ciphertexts per unit (S14: no single ballot is
//! ever decrypted). Ballots stream from the database a page at a time and
//! are parsed in parallel; only the ciphertexts are decoded (proofs were
//! made by this server at cast time and are checked by every verifier).

use std::collections::BTreeMap;

use ratify_crypto::{Ciphertext, EncryptedTotals, Point, QuestionTotals, RistrettoPoint};
use serde::Deserialize;

use crate::db::{self, DbConnection};
use crate::error::{Error, Result};

/// The part of a `ballots.jsonl` line the tally needs.
#[derive(Deserialize)]
struct Line {
    unit: String,
    ballot: LeanBallot,
}

#[derive(Deserialize)]
struct LeanBallot {
    election_id: String,
    answers: Vec<LeanAnswer>,
}

#[derive(Deserialize)]
struct LeanAnswer {
    question_id: String,
    selections: Vec<LeanSelection>,
}

#[derive(Deserialize)]
struct LeanSelection {
    ciphertext: Ciphertext,
}

/// The shape every ballot must have: question ids and option counts.
pub type Shape = Vec<(String, usize)>;

/// Running sums of one unit.
#[derive(Clone)]
struct Sums {
    ballots: u64,
    points: Vec<Vec<(RistrettoPoint, RistrettoPoint)>>,
}

impl Sums {
    fn new(shape: &Shape) -> Sums {
        Sums {
            ballots: 0,
            points: shape
                .iter()
                .map(|(_, n)| vec![(RistrettoPoint::default(), RistrettoPoint::default()); *n])
                .collect(),
        }
    }

    fn add_line(&mut self, shape: &Shape, election_id: &str, b: &LeanBallot) -> Result<()> {
        let fits = b.election_id == election_id
            && b.answers.len() == shape.len()
            && b.answers
                .iter()
                .zip(shape)
                .all(|(a, (id, n))| a.question_id == *id && a.selections.len() == *n);
        if !fits {
            return Err(Error::Internal(
                "a stored ballot does not fit the election's questions".into(),
            ));
        }
        for (a, sums) in b.answers.iter().zip(&mut self.points) {
            for (s, (sa, sb)) in a.selections.iter().zip(sums.iter_mut()) {
                *sa += s.ciphertext.a.point();
                *sb += s.ciphertext.b.point();
            }
        }
        self.ballots += 1;
        Ok(())
    }

    fn merge(&mut self, other: &Sums) {
        self.ballots += other.ballots;
        for (mine, theirs) in self.points.iter_mut().zip(&other.points) {
            for ((a, b), (oa, ob)) in mine.iter_mut().zip(theirs) {
                *a += oa;
                *b += ob;
            }
        }
    }

    fn totals(&self, shape: &Shape) -> EncryptedTotals {
        EncryptedTotals {
            ballots: self.ballots,
            questions: shape
                .iter()
                .zip(&self.points)
                .map(|((id, _), sums)| QuestionTotals {
                    question_id: id.clone(),
                    options: sums
                        .iter()
                        .map(|(a, b)| Ciphertext {
                            a: Point::new(*a),
                            b: Point::new(*b),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Encrypted totals per unit, summed over every stored ballot.
pub struct UnitTotals {
    shape: Shape,
    sums: BTreeMap<String, Sums>,
}

impl UnitTotals {
    /// The sum over `units` (a reported group).
    pub fn group(&self, units: &[String]) -> EncryptedTotals {
        let mut total = Sums::new(&self.shape);
        for u in units {
            if let Some(s) = self.sums.get(u) {
                total.merge(s);
            }
        }
        total.totals(&self.shape)
    }

    /// Ballots counted per unit.
    pub fn ballots(&self, unit: &str) -> u64 {
        self.sums.get(unit).map_or(0, |s| s.ballots)
    }
}

/// Rows per page read from the database.
const PAGE: i64 = 20_000;

/// Streams the election's ballots and sums them per unit.
pub fn per_unit(
    conn: &mut DbConnection,
    election_id: i64,
    election: &str,
    shape: Shape,
) -> Result<UnitTotals> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    let mut after = String::new();
    loop {
        let rows = db::ballots::page_after(conn, election_id, &after, PAGE)?;
        let Some(last) = rows.last() else { break };
        after = last.tracker.clone();
        let chunk = rows.len().div_ceil(threads);
        let partials = std::thread::scope(|s| {
            let handles: Vec<_> = rows
                .chunks(chunk)
                .map(|part| s.spawn(|| sum_rows(part, &shape, election)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect::<Result<Vec<_>>>()
        })?;
        for partial in partials {
            for (unit, s) in partial {
                sums.entry(unit)
                    .or_insert_with(|| Sums::new(&shape))
                    .merge(&s);
            }
        }
    }
    Ok(UnitTotals { shape, sums })
}

fn sum_rows(
    rows: &[db::ballots::BallotRow],
    shape: &Shape,
    election: &str,
) -> Result<BTreeMap<String, Sums>> {
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    for row in rows {
        let line: Line = serde_json::from_str(&row.body)
            .map_err(|e| Error::Internal(format!("stored ballot {}: {e}", row.tracker)))?;
        if line.unit != row.unit {
            return Err(Error::Internal(format!(
                "stored ballot {} names another unit",
                row.tracker
            )));
        }
        sums.entry(line.unit)
            .or_insert_with(|| Sums::new(shape))
            .add_line(shape, election, &line.ballot)?;
    }
    Ok(sums)
}
