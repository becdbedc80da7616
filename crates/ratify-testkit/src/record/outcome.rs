//! The server's side of the outcome, written from docs/audit-format.md
//! (§"Reported groups (S8)", §"Results", §"Certificate") independently of
//! the verifier, from the votes' known choices rather than by decrypting:
//! the verifier's decryption must arrive at the same numbers.

use serde_json::{json, Map, Value};

use super::{Plan, Vote};

/// A reported group: its name, units (spec order) and ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub units: Vec<String>,
    pub ballots: u64,
}

/// S8: units below `m` ballots merge; a merged group still below `m` joins
/// the smallest other group (first in spec order on a tie).
pub fn reported_groups(units: &[(String, u64)], m: u64) -> Vec<Group> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut small = Vec::new();
    for (i, (_, n)) in units.iter().enumerate() {
        if *n >= m {
            groups.push(vec![i]);
        } else {
            small.push(i);
        }
    }
    let count = |g: &[usize]| g.iter().map(|&i| units[i].1).sum::<u64>();
    if !small.is_empty() {
        if count(&small) < m && !groups.is_empty() {
            let mut best = 0;
            for g in 1..groups.len() {
                if count(&groups[g]) < count(&groups[best]) {
                    best = g;
                }
            }
            groups[best].extend(small);
            groups[best].sort_unstable();
        } else {
            groups.push(small);
        }
    }
    groups.sort_by_key(|g| g[0]);
    groups
        .iter()
        .map(|g| Group {
            name: g
                .iter()
                .map(|&i| units[i].0.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            units: g.iter().map(|&i| units[i].0.clone()).collect(),
            ballots: count(g),
        })
        .collect()
}

/// The pass rule in exact integers: majority 2c > a; at least n/d:
/// a > 0 and c·d ≥ n·a.
pub fn passes(rule: &Value, c: u64, a: u64) -> bool {
    let (c, a) = (u128::from(c), u128::from(a));
    match rule.get("at_least").and_then(Value::as_str) {
        None => 2 * c > a,
        Some(f) => {
            let (n, d) = f.split_once('/').expect("n/d");
            let (n, d): (u128, u128) = (n.parse().expect("n"), d.parse().expect("d"));
            a > 0 && c * d >= n * a
        }
    }
}

/// Counts per question per option of some votes.
fn counts(spec: &Value, votes: &[&Vote]) -> Vec<Vec<u64>> {
    let questions = spec["questions"].as_array().expect("questions");
    let mut out: Vec<Vec<u64>> = questions
        .iter()
        .map(|q| vec![0; q["options"].as_array().expect("options").len()])
        .collect();
    for v in votes {
        for (q, c) in v.choices.iter().enumerate() {
            if let Some(o) = c {
                out[q][*o] += 1;
            }
        }
    }
    out
}

fn questions_json(spec: &Value, counts: &[Vec<u64>], ballots: u64) -> Vec<Value> {
    let questions = spec["questions"].as_array().expect("questions");
    questions
        .iter()
        .zip(counts)
        .map(|(q, c)| {
            let options = q["options"].as_array().expect("options");
            let mut by_id = Map::new();
            for (o, n) in options.iter().zip(c) {
                by_id.insert(o["id"].as_str().expect("id").to_string(), json!(n));
            }
            let answered: u64 = c.iter().sum();
            let yes = options
                .iter()
                .position(|o| o["id"] == q["passes_on"])
                .map_or(0, |i| c[i]);
            json!({"id": q["id"], "counts": by_id, "blank": ballots - answered,
                   "passed": passes(&q["rule"], yes, answered)})
        })
        .collect()
}

/// results.json.
pub fn results(plan: &Plan, spec: &Value, groups: &[Group]) -> Value {
    let roll = plan.roll();
    let mut out = Vec::new();
    for g in groups {
        let votes: Vec<&Vote> = plan
            .votes
            .iter()
            .filter(|v| g.units.contains(&v.unit))
            .collect();
        let eligible: u64 = g.units.iter().map(|u| roll[u]).sum();
        out.push(json!({"name": g.name, "units": g.units, "eligible": eligible,
            "ballots": g.ballots, "questions": questions_json(spec, &counts(spec, &votes), g.ballots)}));
    }
    let all: Vec<&Vote> = plan.votes.iter().collect();
    let ballots = all.len() as u64;
    json!({
        "election": plan.slug,
        "groups": out,
        "overall": {"eligible": roll.values().sum::<u64>(), "ballots": ballots,
                    "questions": questions_json(spec, &counts(spec, &all), ballots)},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(units: &[(&str, u64)], m: u64) -> Vec<String> {
        let units: Vec<(String, u64)> = units.iter().map(|(u, n)| (u.to_string(), *n)).collect();
        reported_groups(&units, m)
            .into_iter()
            .map(|g| g.name)
            .collect()
    }

    #[test]
    fn the_fixtures_grouping_follows_the_documented_s8_examples() {
        assert_eq!(
            names(&[("U1", 10), ("U2", 3), ("U3", 10), ("XH", 2)], 5),
            ["U1", "U2+XH", "U3"]
        );
        assert_eq!(
            names(&[("U1", 9), ("U2", 1), ("U3", 6), ("XH", 2)], 5),
            ["U1", "U2+U3+XH"]
        );
        assert_eq!(
            names(&[("U1", 7), ("U2", 7), ("XH", 1)], 5),
            ["U1+XH", "U2"]
        );
        assert_eq!(names(&[("U1", 1), ("U2", 2)], 5), ["U1+U2"]);
    }

    #[test]
    fn the_fixtures_pass_rule_is_exact() {
        let two_thirds = serde_json::json!({"at_least": "2/3"});
        assert!(
            passes(&two_thirds, 4, 6) && !passes(&two_thirds, 3, 5) && !passes(&two_thirds, 0, 0)
        );
        let majority = serde_json::json!("majority");
        assert!(!passes(&majority, 2, 4) && passes(&majority, 3, 5));
    }
}
