//! Check 8: ballots.jsonl (docs/audit-format.md §"Record verification").
//!
//! Streamed: the file is read in blocks of whole lines, each block checked
//! by one of `threads` workers (parse, hash, tracker, unit, decompress,
//! batched proofs, running totals per unit, duplicate fingerprints), so
//! memory does not grow with the number of ballots beyond 16 bytes per
//! ciphertext and proof (the duplicate check) and the casts from the log.
//! Within the check, failures are reported in the documented order of its
//! parts (form, order, tracker, unit, proofs, duplicates, the log), each at
//! its lowest line, so the answer does not depend on thread timing.

mod dups;
mod line;
mod pipeline;

use std::collections::BTreeMap;
use std::path::Path;

use ratify_crypto::{ElectionContext, ElectionKeys, EncryptedTotals, QuestionShape};

use crate::entries::Entries;
use crate::layout::{BALLOTS, ENTRIES};
use crate::spec::Spec;
use crate::{Check, Failure};

pub use line::{parse as parse_line, LineError};

/// What check 8 established for checks 9–14.
#[derive(Debug, Default)]
pub struct Ballots {
    /// The encrypted totals of each unit's ballots (spec units only).
    pub per_unit: BTreeMap<String, EncryptedTotals>,
    pub lines: u64,
}

/// The parts of check 8, in the documented order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Part {
    Form,
    Order,
    Tracker,
    Unit,
    Proofs,
    Duplicates,
    Log,
}

pub(crate) fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Ballots, BALLOTS, why)
}

/// The ballot context: the election, its key and its questions.
pub fn context(spec: &Spec, keys: &ElectionKeys) -> ElectionContext {
    ElectionContext {
        election_id: spec.slug.clone(),
        public_key: keys.public_key.clone(),
        questions: spec
            .questions
            .iter()
            .map(|q| QuestionShape {
                id: q.id.clone(),
                options: q.options.len(),
                allow_blank: q.allow_blank,
            })
            .collect(),
    }
}

/// Check 8. `None` when the election is not closed (and then there must be
/// no ballots file).
pub fn check_ballots(
    dir: &Path,
    spec: &Spec,
    keys: Option<&ElectionKeys>,
    entries: &Entries,
    progress: bool,
) -> Result<Option<Ballots>, Failure> {
    let exists = dir.join(BALLOTS).exists();
    let Some(closed) = entries.state.closed else {
        if exists {
            return Err(fail(
                "a ballots file, but the log never closed the election",
            ));
        }
        return Ok(None);
    };
    if !exists {
        return Err(fail(
            "the file is missing: the election is closed, so the record must have its ballots",
        ));
    }
    let ctx = keys.map(|k| context(spec, k));
    let mut casts = entries.casts.clone();
    casts.sort_by_key(|c| c.tracker);
    let mut run = pipeline::run(dir, spec, ctx.as_ref(), &casts, &entries.units, progress)?;
    let lines = run.lines;
    if let Some(f) = run.first_failure() {
        return Err(f);
    }
    if let Some(f) = dups::find(dir, run.fingerprints)? {
        return Err(f);
    }
    if let Some(f) = run.log_failure {
        return Err(f);
    }
    if lines < casts.len() as u64 {
        let c = &casts[lines as usize];
        return Err(fail(format!(
            "the ballot cast in entry {} (tracker {}) has no line: the file ends after {lines} ballots",
            c.index,
            hex::encode(c.tracker)
        ))
        .line(lines + 1));
    }
    per_unit_counts(spec, entries, closed)?;
    Ok(Some(Ballots {
        per_unit: run.totals,
        lines,
    }))
}

/// election.closed's `per_unit`: every unit of the spec, and the casts per
/// unit.
fn per_unit_counts(spec: &Spec, entries: &Entries, closed: u64) -> Result<(), Failure> {
    let e = entries.at(closed).expect("check 3 found election.closed");
    let fail = |field: String, why: String| {
        Failure::new(Check::Ballots, ENTRIES, why)
            .entry(closed)
            .field(format!("data.per_unit{field}"))
    };
    let logged = e.data["per_unit"].as_object().cloned().unwrap_or_default();
    let mut cast: BTreeMap<&str, u64> = spec.units.iter().map(|u| (u.as_str(), 0)).collect();
    for c in &entries.casts {
        let unit = entries.units[c.unit as usize].as_str();
        *cast.entry(unit).or_default() += 1;
    }
    if let Some(u) = logged.keys().find(|u| !spec.units.contains(u)) {
        return Err(fail(
            format!(".{u}"),
            format!("{u:?} is not a unit of the spec"),
        ));
    }
    for (unit, n) in cast {
        let says = logged.get(unit).and_then(|v| v.as_u64());
        if says != Some(n) {
            let shown = says.map_or("nothing".to_string(), |s| s.to_string());
            return Err(fail(
                format!(".{unit}"),
                format!("says {shown} ballots for unit {unit}, but {n} were cast in it"),
            ));
        }
    }
    Ok(())
}
