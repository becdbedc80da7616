//! Check 12: results.json (docs/audit-format.md §"Results"). The counts are
//! recomputed by combining the shares of the trustees `results.published`
//! names; every other number and each `passed` follows from them, the roll
//! and the spec's rules in exact integer arithmetic; the file's canonical
//! JSON has the logged digest.

use std::path::Path;

use ratify_crypto::{
    combine_decryption, DecryptionShare, DlogTable, ElectionKeys, TallyRequest, TallyResult,
};
use serde_json::{json, Map, Value};

use crate::entries::Entries;
use crate::grouping::Group;
use crate::json::{canonical_digest, first_difference, parse, read_text};
use crate::layout::{ENTRIES, RESULTS};
use crate::log::Logged;
use crate::spec::{Question, Rule, Spec};
use crate::{Check, Failure};

/// Does a question pass? `c` ballots chose the `passes_on` option out of
/// `answered` that chose any option.
pub fn passes(rule: Rule, c: u64, answered: u64) -> bool {
    let (c, a) = (u128::from(c), u128::from(answered));
    match rule {
        Rule::Majority => 2 * c > a,
        Rule::AtLeast(n, d) => a > 0 && c * u128::from(d) >= u128::from(n) * a,
    }
}

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Results, RESULTS, why)
}

/// Everything check 12 needs from earlier checks.
pub struct Inputs<'a> {
    pub spec: &'a Spec,
    pub entries: &'a Entries,
    pub groups: Option<&'a [Group]>,
    pub tally: Option<&'a TallyRequest>,
    pub keys: Option<&'a ElectionKeys>,
    pub shares: &'a [DecryptionShare],
}

/// Check 12: the results as published, if they are.
pub fn check_results(dir: &Path, i: &Inputs) -> Result<Option<Value>, Failure> {
    let exists = dir.join(RESULTS).exists();
    let Some(at) = i.entries.state.results else {
        if exists {
            return Err(fail("a results file, but the log has no results.published"));
        }
        return Ok(None);
    };
    let e = i.entries.at(at).expect("check 3 found results.published");
    let (Some(tally), Some(keys), Some(groups)) = (i.tally, i.keys, i.groups) else {
        return Err(fail("results, but no tally to decrypt"));
    };
    let used = decrypted_by(e, i.shares, keys)?;
    let decrypted = combine_decryption(tally, keys, &used, DlogTable::global())
        .map_err(|err| fail(format!("the shares do not decrypt the tally: {err}")))?;
    let want = expected(i.spec, i.entries, groups, &decrypted)?;
    let got: Value = parse(
        &read_text(dir, RESULTS, Check::Results)?,
        RESULTS,
        Check::Results,
    )?;
    if let Some((field, why)) = first_difference(&want, &got, "") {
        return Err(fail(why).field(field));
    }
    let digest = hex::encode(canonical_digest(&got));
    if e.data["results_digest"].as_str() != Some(digest.as_str()) {
        return Err(Failure::new(
            Check::Results,
            ENTRIES,
            format!("is not the SHA-256 of results.json's canonical JSON ({digest})"),
        )
        .entry(at)
        .field("data.results_digest"));
    }
    Ok(Some(got))
}

/// The k shares `decrypted_by` names, ascending, each logged and verified.
fn decrypted_by(
    e: &Logged,
    shares: &[DecryptionShare],
    keys: &ElectionKeys,
) -> Result<Vec<DecryptionShare>, Failure> {
    let fail = |why: String| {
        Failure::new(Check::Results, ENTRIES, why)
            .entry(e.index)
            .field("data.decrypted_by")
    };
    let list: Vec<u64> = e.data["decrypted_by"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if list.len() != keys.decrypt_threshold as usize {
        return Err(fail(format!(
            "names {} trustees, but the threshold is {}",
            list.len(),
            keys.decrypt_threshold
        )));
    }
    if list.windows(2).any(|w| w[0] >= w[1]) {
        return Err(fail("is not in ascending order, each trustee once".into()));
    }
    list.iter()
        .map(|&j| {
            shares
                .iter()
                .find(|s| u64::from(s.trustee) == j)
                .cloned()
                .ok_or_else(|| fail(format!("trustee {j} has no decryption share in the log")))
        })
        .collect()
}

/// results.json as the record says it must be.
fn expected(
    spec: &Spec,
    entries: &Entries,
    groups: &[Group],
    decrypted: &TallyResult,
) -> Result<Value, Failure> {
    let roll = last_roll(entries);
    let per_unit = roll
        .and_then(|r| r.data["per_unit"].as_object().cloned())
        .unwrap_or_default();
    let mut overall: Vec<Vec<u64>> = spec
        .questions
        .iter()
        .map(|q| vec![0; q.options.len()])
        .collect();
    let mut out_groups = Vec::new();
    let mut all_ballots = 0;
    for (g, d) in groups.iter().zip(&decrypted.groups) {
        let eligible: u64 = g
            .units
            .iter()
            .filter_map(|u| per_unit.get(u).and_then(Value::as_u64))
            .sum();
        let mut questions = Vec::new();
        for (qi, (q, qd)) in spec.questions.iter().zip(&d.questions).enumerate() {
            for (o, n) in qd.counts.iter().enumerate() {
                overall[qi][o] += n;
            }
            questions.push(question(q, &qd.counts, g.ballots)?);
        }
        all_ballots += g.ballots;
        out_groups.push(json!({
            "name": g.name, "units": g.units, "eligible": eligible,
            "ballots": g.ballots, "questions": questions,
        }));
    }
    let questions = spec
        .questions
        .iter()
        .zip(&overall)
        .map(|(q, counts)| question(q, counts, all_ballots))
        .collect::<Result<Vec<_>, _>>()?;
    let members = roll.and_then(|r| r.data["members"].as_u64()).unwrap_or(0);
    Ok(json!({
        "election": spec.slug,
        "groups": out_groups,
        "overall": {"eligible": members, "ballots": all_ballots, "questions": questions},
    }))
}

/// One question's counts, blanks and verdict.
fn question(q: &Question, counts: &[u64], ballots: u64) -> Result<Value, Failure> {
    let answered: u64 = counts.iter().sum();
    let blank = ballots.checked_sub(answered).ok_or_else(|| {
        fail(format!(
            "question {:?}: {answered} answers from {ballots} ballots",
            q.id
        ))
    })?;
    let chosen = q
        .options
        .iter()
        .position(|o| *o == q.passes_on)
        .map_or(0, |o| counts[o]);
    let mut by_id = Map::new();
    for (id, n) in q.options.iter().zip(counts) {
        by_id.insert(id.clone(), json!(n));
    }
    Ok(json!({
        "id": q.id, "counts": by_id, "blank": blank,
        "passed": passes(q.rule, chosen, answered),
    }))
}

/// The last `roll.imported` entry.
pub fn last_roll(entries: &Entries) -> Option<&Logged> {
    entries
        .list
        .iter()
        .rev()
        .find(|e| e.kind == "roll.imported")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_two_thirds_passes_at_least_two_thirds_and_one_less_fails() {
        assert!(passes(Rule::AtLeast(2, 3), 200, 300));
        assert!(!passes(Rule::AtLeast(2, 3), 199, 300));
        assert!(passes(Rule::AtLeast(2, 3), 2, 3));
    }

    #[test]
    fn a_tie_fails_a_majority_and_one_more_passes() {
        assert!(!passes(Rule::Majority, 50, 100));
        assert!(passes(Rule::Majority, 51, 100));
        assert!(!passes(Rule::Majority, 0, 1));
    }

    #[test]
    fn a_question_nobody_answered_fails_under_either_rule() {
        assert!(!passes(Rule::Majority, 0, 0));
        assert!(!passes(Rule::AtLeast(1, 1), 0, 0));
        assert!(!passes(Rule::AtLeast(2, 3), 0, 0));
    }

    #[test]
    fn the_arithmetic_is_exact_at_large_counts() {
        // 2/3 of 3·10^18 would round in floating point.
        let a = 3_000_000_000_000_000_000u64;
        assert!(passes(Rule::AtLeast(2, 3), 2_000_000_000_000_000_000, a));
        assert!(!passes(Rule::AtLeast(2, 3), 1_999_999_999_999_999_999, a));
    }
}
