//! Check 10: tally.json is the tally request the trustees decrypt: its
//! roster is the record's, its groups are tally.computed's, each group's
//! totals are the products (sums, in additive notation) of its units'
//! ballots' ciphertexts as check 8 added them up, and its digest is the one
//! logged (docs/crypto.md "Decryption").

use std::collections::BTreeMap;
use std::path::Path;

use ratify_crypto::{Aggregator, ElectionContext, ElectionKeys, Roster, TallyRequest};

use crate::ballots::Ballots;
use crate::entries::Entries;
use crate::grouping::Group;
use crate::json::{parse, read_text};
use crate::layout::{ENTRIES, TALLY};
use crate::{Check, Failure};

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Totals, TALLY, why)
}

/// Check 10. `None` when there is no tally yet (and then no tally.json).
pub fn check_totals(
    dir: &Path,
    roster: &Roster,
    keys: Option<&ElectionKeys>,
    ctx: Option<&ElectionContext>,
    entries: &Entries,
    groups: Option<&[Group]>,
    ballots: Option<&Ballots>,
) -> Result<Option<TallyRequest>, Failure> {
    let exists = dir.join(TALLY).exists();
    let (Some(at), Some(groups)) = (entries.state.tally, groups) else {
        if exists {
            return Err(fail("a tally file, but the log has no tally.computed"));
        }
        return Ok(None);
    };
    let tally: TallyRequest = parse(&read_text(dir, TALLY, Check::Totals)?, TALLY, Check::Totals)?;
    let (Some(keys), Some(ctx), Some(ballots)) = (keys, ctx, ballots) else {
        return Err(fail("a tally, but no election key was published"));
    };
    if tally.election_id != ctx.election_id {
        return Err(fail("is not for this election").field("election_id"));
    }
    if tally.roster != *roster {
        return Err(fail("is not trustees/roster.json").field("roster"));
    }
    if tally.groups.len() != groups.len() {
        return Err(fail(format!(
            "has {} groups, but tally.computed has {}",
            tally.groups.len(),
            groups.len()
        ))
        .field("groups"));
    }
    for (i, (g, want)) in tally.groups.iter().zip(groups).enumerate() {
        if g.name != want.name {
            return Err(fail(format!(
                "is {:?}, not tally.computed's {:?}",
                g.name, want.name
            ))
            .field(format!("groups[{i}].name")));
        }
        let sum = sum_of(ctx, &ballots.per_unit, &want.units)?;
        if g.totals.ballots != want.ballots || sum.ballots != want.ballots {
            return Err(fail(format!(
                "is {}, but the group has {} ballots",
                g.totals.ballots, sum.ballots
            ))
            .field(format!("groups[{i}].totals.ballots")));
        }
        if let Some(field) = first_difference(&g.totals, &sum) {
            return Err(fail(
                "is not the sum of the group's ballots' ciphertexts: a total was changed",
            )
            .field(format!("groups[{i}].totals.{field}")));
        }
    }
    let digest = hex::encode(tally.digest(keys));
    let logged = entries.at(at).expect("check 3 found tally.computed");
    if logged.data["tally_digest"].as_str() != Some(digest.as_str()) {
        return Err(Failure::new(
            Check::Totals,
            ENTRIES,
            format!("is not tally.json's digest ({digest})"),
        )
        .entry(at)
        .field("data.tally_digest"));
    }
    Ok(Some(tally))
}

/// The totals of a group's units, added up.
fn sum_of(
    ctx: &ElectionContext,
    per_unit: &BTreeMap<String, ratify_crypto::EncryptedTotals>,
    units: &[String],
) -> Result<ratify_crypto::EncryptedTotals, Failure> {
    let mut agg = Aggregator::new(ctx);
    for u in units {
        if let Some(t) = per_unit.get(u) {
            agg.add_totals(t)
                .map_err(|e| fail(format!("unit {u}: {e}")))?;
        }
    }
    Ok(agg.finish())
}

/// Where two totals first differ: `questions[q].options[o].a`, ….
fn first_difference(
    got: &ratify_crypto::EncryptedTotals,
    want: &ratify_crypto::EncryptedTotals,
) -> Option<String> {
    if got.questions.len() != want.questions.len() {
        return Some("questions".into());
    }
    for (q, (g, w)) in got.questions.iter().zip(&want.questions).enumerate() {
        if g.question_id != w.question_id {
            return Some(format!("questions[{q}].question_id"));
        }
        if g.options.len() != w.options.len() {
            return Some(format!("questions[{q}].options"));
        }
        for (o, (gc, wc)) in g.options.iter().zip(&w.options).enumerate() {
            if gc.a != wc.a {
                return Some(format!("questions[{q}].options[{o}].a"));
            }
            if gc.b != wc.b {
                return Some(format!("questions[{q}].options[{o}].b"));
            }
        }
    }
    None
}
