//! Check 9: the reported groups (S8: a unit with fewer ballots than
//! `min_unit_report` is never reported alone), docs/audit-format.md
//! §"Reported groups (S8)".

use serde_json::{json, Value};

use crate::entries::Entries;
use crate::layout::ENTRIES;
use crate::spec::Spec;
use crate::{Check, Failure};

/// One reported group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    /// Unit codes, in spec order.
    pub units: Vec<String>,
    pub ballots: u64,
}

impl Group {
    fn of(units: &[(usize, &str, u64)]) -> Group {
        let mut units = units.to_vec();
        units.sort_by_key(|u| u.0);
        Group {
            name: units.iter().map(|u| u.1).collect::<Vec<_>>().join("+"),
            units: units.iter().map(|u| u.1.to_string()).collect(),
            ballots: units.iter().map(|u| u.2).sum(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"name": self.name, "units": self.units, "ballots": self.ballots})
    }
}

/// The groups of units (spec order) with these ballot counts, for
/// `min_unit_report` = m:
/// 1. a unit with at least m ballots is its own group;
/// 2. the units with fewer form one merged group;
/// 3. a merged group itself below m joins the other group with the fewest
///    ballots (the first in spec order on a tie), if there is one;
/// 4. groups in spec order of their first unit.
pub fn reported_groups(units: &[(&str, u64)], m: u64) -> Vec<Group> {
    let indexed: Vec<(usize, &str, u64)> = units
        .iter()
        .enumerate()
        .map(|(i, (u, n))| (i, *u, *n))
        .collect();
    let (small, big): (Vec<_>, Vec<_>) = indexed.into_iter().partition(|u| u.2 < m);
    let mut groups: Vec<Vec<(usize, &str, u64)>> = big.into_iter().map(|u| vec![u]).collect();
    if !small.is_empty() {
        let merged_ballots: u64 = small.iter().map(|u| u.2).sum();
        if merged_ballots < m && !groups.is_empty() {
            // Fewest ballots, then first in spec order (groups are in spec
            // order here, and min_by_key keeps the first of equals).
            let target = (0..groups.len())
                .min_by_key(|&g| groups[g].iter().map(|u| u.2).sum::<u64>())
                .expect("a group exists");
            groups[target].extend(small);
        } else {
            groups.push(small);
        }
    }
    let mut groups: Vec<Group> = groups.iter().map(|g| Group::of(g)).collect();
    groups.sort_by_key(|g| units.iter().position(|u| u.0 == g.units[0]));
    groups
}

/// The groups `election.closed`'s counts give.
pub fn expected(spec: &Spec, entries: &Entries) -> Vec<Group> {
    let closed = entries
        .state
        .closed
        .and_then(|c| entries.at(c))
        .and_then(|e| e.data["per_unit"].as_object().cloned())
        .unwrap_or_default();
    let counts: Vec<(&str, u64)> = spec
        .units
        .iter()
        .map(|u| {
            (
                u.as_str(),
                closed.get(u).and_then(Value::as_u64).unwrap_or(0),
            )
        })
        .collect();
    reported_groups(&counts, spec.min_unit_report)
}

/// Check 9. `None` when there is no tally yet.
pub fn check_grouping(spec: &Spec, entries: &Entries) -> Result<Option<Vec<Group>>, Failure> {
    let Some(at) = entries.state.tally else {
        return Ok(None);
    };
    let e = entries.at(at).expect("check 3 found tally.computed");
    let want = expected(spec, entries);
    let logged = e.data["groups"].as_array().cloned().unwrap_or_default();
    let fail = |field: String, why: String| {
        Failure::new(Check::Grouping, ENTRIES, why)
            .entry(at)
            .field(format!("data.groups{field}"))
    };
    for (i, g) in want.iter().enumerate() {
        let Some(got) = logged.get(i) else {
            return Err(fail(
                String::new(),
                format!(
                    "has {} groups, but S8 gives {}: {}",
                    logged.len(),
                    want.len(),
                    names(&want)
                ),
            ));
        };
        if *got != g.to_json() {
            return Err(fail(
                format!("[{i}]"),
                format!(
                    "is {got}, but S8 with min_unit_report {} gives {} (groups: {})",
                    spec.min_unit_report,
                    g.to_json(),
                    names(&want)
                ),
            ));
        }
    }
    if logged.len() != want.len() {
        return Err(fail(
            format!("[{}]", want.len()),
            format!(
                "has {} groups, but S8 gives {}: {}",
                logged.len(),
                want.len(),
                names(&want)
            ),
        ));
    }
    Ok(Some(want))
}

fn names(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "grouping_tests.rs"]
mod tests;
