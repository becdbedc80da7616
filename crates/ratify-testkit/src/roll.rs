//! Rolls of generated members, as the CSV the committee uploads
//! (`member_number,name,email,unit,language`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::spec::UNITS;

pub const HEADER: &str = "member_number,name,email,unit,language";

/// One row of a roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub number: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    /// `en` or `es`.
    pub language: &'static str,
}

/// `n` members spread round-robin over the seven units, every third one
/// reading Spanish: `M000012`, "Member Number 12", `member12@example.org`.
pub fn spread(n: usize) -> Vec<Member> {
    (0..n)
        .map(|i| Member {
            number: format!("M{i:06}"),
            name: format!("Member Number {i}"),
            email: format!("member{i}@example.org"),
            unit: UNITS[i % UNITS.len()].to_string(),
            language: if i % 3 == 0 { "es" } else { "en" },
        })
        .collect()
}

/// Exactly `count` members in each named unit, numbered from 100001,
/// even numbers reading Spanish: `100001`, "Member 100001",
/// `m100001@example.org`. For rolls whose unit sizes matter (S8).
pub fn in_units(units: &[(&str, usize)]) -> Vec<Member> {
    let mut number = 100_000;
    let mut members = vec![];
    for (unit, count) in units {
        for _ in 0..*count {
            number += 1;
            members.push(Member {
                number: number.to_string(),
                name: format!("Member {number}"),
                email: format!("m{number}@example.org"),
                unit: unit.to_string(),
                language: if number % 2 == 0 { "es" } else { "en" },
            });
        }
    }
    members
}

/// The roll as CSV, with its header.
pub fn csv(members: &[Member]) -> String {
    let mut out = format!("{HEADER}\n");
    for m in members {
        // Generated fields hold no comma or quote, so no CSV quoting.
        writeln!(
            out,
            "{},{},{},{},{}",
            m.number, m.name, m.email, m.unit, m.language
        )
        .expect("writing to a String");
    }
    out
}

/// How many members each unit has.
pub fn per_unit(members: &[Member]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for m in members {
        *counts.entry(m.unit.clone()).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_covers_every_unit_and_both_languages() {
        let roll = spread(14);
        assert_eq!(per_unit(&roll).values().collect::<Vec<_>>(), vec![&2; 7]);
        assert_eq!(roll.iter().filter(|m| m.language == "es").count(), 5);
        let text = csv(&roll);
        assert!(text.starts_with("member_number,name,email,unit,language\nM000000,Member Number 0,member0@example.org,U1,es\n"));
        assert_eq!(text.lines().count(), 15);
    }

    #[test]
    fn in_units_gives_exact_sizes_and_unique_numbers() {
        let roll = in_units(&[("U1", 3), ("XH", 1)]);
        assert_eq!(per_unit(&roll)["U1"], 3);
        assert_eq!(per_unit(&roll)["XH"], 1);
        let numbers: Vec<_> = roll.iter().map(|m| m.number.as_str()).collect();
        assert_eq!(numbers, ["100001", "100002", "100003", "100004"]);
    }
}
