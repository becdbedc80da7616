//! Reported groups (S8): units with fewer ballots than `min_unit_report`
//! are merged before anything is decrypted, so no decrypted total belongs
//! to a unit that small. The rule, step by step, is docs/audit-format.md
//! "Reported groups (S8)"; the verifier recomputes it independently.

use serde::{Deserialize, Serialize};

/// One reported group: its name, its units in spec order, its ballots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub units: Vec<String>,
    pub ballots: u64,
}

impl Group {
    fn of(units: Vec<(usize, String, u64)>) -> Group {
        let mut units = units;
        units.sort_by_key(|(pos, _, _)| *pos);
        Group {
            name: units
                .iter()
                .map(|(_, c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            ballots: units.iter().map(|(_, _, n)| n).sum(),
            units: units.into_iter().map(|(_, c, _)| c).collect(),
        }
    }
}

/// The reported groups of `units` (code and ballots, in spec order) with
/// minimum `min`.
pub fn report(units: &[(String, u64)], min: u64) -> Vec<Group> {
    // Each group as its members (spec position, code, ballots).
    type Members = Vec<(usize, String, u64)>;
    let (big, small): (Vec<_>, Vec<_>) = units
        .iter()
        .enumerate()
        .map(|(i, (code, n))| (i, code.clone(), *n))
        .partition(|(_, _, n)| *n >= min);
    let mut groups: Vec<Members> = big.into_iter().map(|u| vec![u]).collect();
    if !small.is_empty() {
        let merged_ballots: u64 = small.iter().map(|(_, _, n)| n).sum();
        let mut merged = small;
        if merged_ballots < min && !groups.is_empty() {
            // The smallest other group; the first in spec order on a tie
            // (groups are still in spec order here).
            let (at, _) = groups
                .iter()
                .enumerate()
                .min_by_key(|(i, g)| (g.iter().map(|(_, _, n)| n).sum::<u64>(), *i))
                .expect("not empty");
            merged.extend(groups.remove(at));
        }
        groups.push(merged);
    }
    let mut groups: Vec<Group> = groups.into_iter().map(Group::of).collect();
    let first = |g: &Group| units.iter().position(|(c, _)| *c == g.units[0]);
    groups.sort_by_key(|g| first(g));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(c, n)| (c.to_string(), *n)).collect()
    }

    fn names(groups: &[Group]) -> Vec<&str> {
        groups.iter().map(|g| g.name.as_str()).collect()
    }

    #[test]
    fn units_at_the_minimum_stand_alone_and_small_ones_merge() {
        let g = report(&units(&[("U1", 5), ("U2", 4), ("U3", 9), ("XH", 3)]), 5);
        assert_eq!(names(&g), ["U1", "U2+XH", "U3"]);
        assert_eq!(g[1].units, ["U2", "XH"]);
        assert_eq!(g[1].ballots, 7);
        assert_eq!(g.iter().map(|g| g.ballots).sum::<u64>(), 21);
    }

    #[test]
    fn a_merged_group_still_too_small_joins_the_smallest_other_group() {
        let g = report(&units(&[("U1", 40), ("U2", 6), ("U3", 6), ("XH", 3)]), 5);
        // U2 and U3 tie at 6: the first in spec order takes XH.
        assert_eq!(names(&g), ["U1", "U2+XH", "U3"]);
        assert_eq!(g[1].ballots, 9);
    }

    #[test]
    fn zero_ballot_units_merge_and_a_zero_minimum_merges_nothing() {
        let g = report(&units(&[("U1", 10), ("U2", 0), ("U3", 0)]), 5);
        assert_eq!(names(&g), ["U1+U2+U3"]);
        let g = report(&units(&[("U1", 1), ("U2", 0)]), 0);
        assert_eq!(names(&g), ["U1", "U2"]);
    }

    #[test]
    fn when_every_unit_is_small_there_is_one_group() {
        let g = report(&units(&[("U1", 1), ("U2", 2)]), 5);
        assert_eq!(names(&g), ["U1+U2"]);
        assert_eq!(g[0].ballots, 3);
    }

    #[test]
    fn no_reported_group_is_below_the_minimum_unless_all_ballots_are() {
        // Exhaustive over small cases: S8 holds whenever the election as a
        // whole has at least `min` ballots.
        for a in 0..7u64 {
            for b in 0..7u64 {
                for c in 0..7u64 {
                    let g = report(&units(&[("A", a), ("B", b), ("C", c)]), 5);
                    let total: u64 = g.iter().map(|g| g.ballots).sum();
                    assert_eq!(total, a + b + c);
                    let mut seen: Vec<&String> = g.iter().flat_map(|g| &g.units).collect();
                    seen.sort();
                    assert_eq!(seen, ["A", "B", "C"]);
                    if a + b + c >= 5 {
                        assert!(g.iter().all(|g| g.ballots >= 5), "{a} {b} {c}: {g:?}");
                    }
                }
            }
        }
    }
}
