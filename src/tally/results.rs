//! The results (docs/audit-format.md "Results"): per reported group and
//! overall, eligible, ballots, counts per option, blanks, and whether each
//! question passed under its rule, in exact integer arithmetic
//! (`election::Rule::passed`). Overall counts are the sums of the groups'.

use std::collections::BTreeMap;

use ratify_crypto::TallyResult;
use serde::{Deserialize, Serialize};

use super::groups::Group;
use crate::election::ElectionSpec;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub election: String,
    pub groups: Vec<GroupResults>,
    pub overall: Overall,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResults {
    pub name: String,
    pub units: Vec<String>,
    pub eligible: u64,
    pub ballots: u64,
    pub questions: Vec<QuestionResults>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overall {
    pub eligible: u64,
    pub ballots: u64,
    pub questions: Vec<QuestionResults>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResults {
    pub id: String,
    /// Option id → count (an object: canonical JSON orders its keys).
    pub counts: BTreeMap<String, u64>,
    pub blank: u64,
    pub passed: bool,
}

impl Results {
    /// The results of decrypted totals: `decrypted` is in the order of
    /// `groups` (the tally's), `eligible` the roll's members per unit.
    pub fn compute(
        spec: &ElectionSpec,
        groups: &[Group],
        decrypted: &TallyResult,
        eligible: &BTreeMap<String, u64>,
    ) -> Result<Results> {
        if decrypted.groups.len() != groups.len() {
            return Err(Error::Internal(
                "decrypted totals do not match the groups".into(),
            ));
        }
        let mut out = Vec::with_capacity(groups.len());
        for (g, d) in groups.iter().zip(&decrypted.groups) {
            let counts: Vec<Vec<u64>> = d.questions.iter().map(|q| q.counts.clone()).collect();
            out.push(GroupResults {
                name: g.name.clone(),
                units: g.units.clone(),
                eligible: g
                    .units
                    .iter()
                    .map(|u| eligible.get(u).copied().unwrap_or(0))
                    .sum(),
                ballots: g.ballots,
                questions: questions(spec, &counts, g.ballots)?,
            });
        }
        let ballots = out.iter().map(|g| g.ballots).sum();
        let mut sums: Vec<Vec<u64>> = spec
            .questions()
            .iter()
            .map(|q| vec![0; q.options().len()])
            .collect();
        for d in &decrypted.groups {
            for (sum, q) in sums.iter_mut().zip(&d.questions) {
                for (s, c) in sum.iter_mut().zip(&q.counts) {
                    *s += c;
                }
            }
        }
        Ok(Results {
            election: spec.slug().to_string(),
            overall: Overall {
                eligible: eligible.values().sum(),
                ballots,
                questions: questions(spec, &sums, ballots)?,
            },
            groups: out,
        })
    }

    /// The canonical JSON of `results.json` (RFC 8785), as hashed.
    pub fn canonical(&self) -> Result<String> {
        canonical_json(self)
    }

    /// SHA-256 of [`Results::canonical`], hex.
    pub fn digest(&self) -> Result<String> {
        Ok(sha256_hex(self.canonical()?.as_bytes()))
    }
}

fn questions(
    spec: &ElectionSpec,
    counts: &[Vec<u64>],
    ballots: u64,
) -> Result<Vec<QuestionResults>> {
    if counts.len() != spec.questions().len() {
        return Err(Error::Internal(
            "decrypted totals do not match the questions".into(),
        ));
    }
    spec.questions()
        .iter()
        .zip(counts)
        .map(|(q, c)| {
            let answered: u64 = c.iter().sum();
            let blank = ballots.checked_sub(answered).ok_or_else(|| {
                Error::Internal(format!("question {} has more answers than ballots", q.id()))
            })?;
            Ok(QuestionResults {
                id: q.id().to_string(),
                counts: q
                    .options()
                    .iter()
                    .map(|o| o.id().to_string())
                    .zip(c.iter().copied())
                    .collect(),
                blank,
                passed: q.passed(c),
            })
        })
        .collect()
}

/// RFC 8785 canonical JSON of any serializable value.
pub fn canonical_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json_canonicalizer::to_string(value)
        .map_err(|e| Error::Internal(format!("canonical JSON: {e}")))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratify_crypto::{GroupResult, QuestionResult};

    fn spec() -> ElectionSpec {
        let toml = ratify_testkit::SpecFixture::kern().toml();
        crate::election::parse_spec(&toml).expect("the acceptance spec parses")
    }

    fn decrypted(groups: &[[[u64; 2]; 2]]) -> TallyResult {
        TallyResult {
            election_id: "x".into(),
            groups: groups
                .iter()
                .map(|g| GroupResult {
                    name: String::new(),
                    ballots: 0,
                    questions: ["lbfo", "strike"]
                        .iter()
                        .zip(g)
                        .map(|(id, c)| QuestionResult {
                            question_id: id.to_string(),
                            counts: c.to_vec(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn group(name: &str, ballots: u64) -> Group {
        Group {
            name: name.into(),
            units: vec![name.into()],
            ballots,
        }
    }

    #[test]
    fn exactly_two_thirds_passes_and_a_tie_fails_a_majority() {
        // lbfo: 3 yes / 3 no (a tie); strike: 4 yes / 2 no (exactly 2/3).
        let r = Results::compute(
            &spec(),
            &[group("U1", 7)],
            &decrypted(&[[[3, 3], [4, 2]]]),
            &BTreeMap::from([("U1".to_string(), 9)]),
        )
        .unwrap();
        let q = &r.groups[0].questions;
        assert!(!q[0].passed, "a tie fails a majority");
        assert_eq!(q[0].blank, 1);
        assert!(q[1].passed, "exactly 2/3 passes at_least 2/3");
        assert_eq!(q[1].counts["yes"], 4);
    }

    #[test]
    fn overall_is_the_sum_of_the_groups_and_decides_on_its_own() {
        let r = Results::compute(
            &spec(),
            &[group("U1", 10), group("U2", 10)],
            &decrypted(&[[[9, 1], [7, 3]], [[2, 8], [6, 4]]]),
            &BTreeMap::from([("U1".to_string(), 12), ("U2".to_string(), 11)]),
        )
        .unwrap();
        assert_eq!(r.overall.eligible, 23);
        assert_eq!(r.overall.ballots, 20);
        assert_eq!(r.overall.questions[0].counts["yes"], 11);
        assert!(r.overall.questions[0].passed); // 11 of 20
        assert!(!r.overall.questions[1].passed); // 13 of 20 < 2/3
        assert!(r.groups[1].questions[1].counts["no"] == 4);
    }

    #[test]
    fn more_answers_than_ballots_is_an_error_not_a_negative_blank() {
        let err = Results::compute(
            &spec(),
            &[group("U1", 3)],
            &decrypted(&[[[3, 1], [0, 0]]]),
            &BTreeMap::new(),
        );
        assert!(err.is_err());
    }
}
