//! A synthetic election record, built the way the server builds one
//! (docs/audit-format.md §"Election record layout"): a real key ceremony,
//! ballots encrypted with known choices, the log with its hash chain and
//! signed checkpoints, the close, the tally, two trustees' decryption
//! shares, the results and the certificate signed by the log's key. It
//! passes `ratify audit verify`, so tests can tamper with copies, and the
//! 500,000-ballot benchmark verifies one.

mod ballots;
mod log;
mod outcome;
mod stages;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

pub use ballots::line_of;
pub use log::{test_signer, LogWriter, HOST, KEY_NAME};
pub use outcome::{passes, reported_groups, Group};

/// How far the election has gone when the record is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The key is published and the ballots are cast; not closed yet.
    Open,
    Closed,
    Tallied,
    /// One trustee's share is in (k = 2).
    OneShare,
    /// Two shares combined and the results published.
    Published,
    /// Two committee members certified (the quorum).
    Certified,
}

/// One member's vote: their unit, and per question the option chosen
/// (`None`: blank, only for a question that allows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub unit: String,
    pub choices: Vec<Option<usize>>,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slug: String,
    /// Units in spec order with their members on the roll.
    pub units: Vec<(String, u64)>,
    pub min_unit_report: u64,
    pub votes: Vec<Vote>,
    pub stage: Stage,
    /// Also write private/voted.json (the committee's export).
    pub private: bool,
}

impl Plan {
    /// A small election: units U1 (8 members), U2 (6), XH (3) with
    /// min_unit_report 3; 6 ballots in U1, 4 in U2, 1 in XH (XH merges
    /// with U2: "U2+XH"). Question `contract` (at least 2/3 yes, no blank)
    /// gets exactly 2/3 yes in U1; question `strike` (majority, blank
    /// allowed) ties in U1.
    pub fn small(slug: &str) -> Plan {
        let v = |unit: &str, c: usize, s: Option<usize>| Vote {
            unit: unit.to_string(),
            choices: vec![Some(c), s],
        };
        Plan {
            slug: slug.to_string(),
            units: vec![("U1".into(), 8), ("U2".into(), 6), ("XH".into(), 3)],
            min_unit_report: 3,
            votes: vec![
                v("U1", 0, Some(0)),
                v("U1", 0, Some(1)),
                v("U1", 0, Some(0)),
                v("U1", 1, Some(1)),
                v("U1", 0, None),
                v("U1", 1, None),
                v("U2", 1, Some(0)),
                v("U2", 1, Some(0)),
                v("U2", 0, Some(1)),
                v("U2", 0, None),
                v("XH", 0, Some(0)),
            ],
            stage: Stage::Certified,
            private: true,
        }
    }

    /// `n` ballots spread over seven units (2 questions × 2 options), for
    /// the benchmark; choices cycle so the counts are known.
    pub fn large(slug: &str, n: usize) -> Plan {
        let units: Vec<(String, u64)> = crate::UNITS
            .iter()
            .map(|u| (u.to_string(), (n as u64).div_ceil(7) + 10))
            .collect();
        let votes = (0..n)
            .map(|i| Vote {
                unit: crate::UNITS[i % 7].to_string(),
                choices: vec![
                    Some(usize::from(i % 3 == 2)),
                    [Some(0), Some(1), None][i % 3],
                ],
            })
            .collect();
        Plan {
            slug: slug.to_string(),
            units,
            min_unit_report: 10,
            votes,
            stage: Stage::Certified,
            private: false,
        }
    }

    /// election.json's spec before any extension.
    pub fn spec(&self) -> Value {
        let q = |id: &str, rule: Value, blank: bool| {
            json!({
                "id": id,
                "text": {"en": format!("{id}?"), "es": format!("¿{id}?")},
                "options": [{"id": "yes", "en": "Yes", "es": "Sí"}, {"id": "no", "en": "No", "es": "No"}],
                "rule": rule, "allow_blank": blank, "passes_on": "yes",
            })
        };
        json!({
            "slug": self.slug,
            "title": {"en": "Contract vote", "es": "Votación del contrato"},
            "opens_at": "2026-12-01T14:00:00Z",
            "closes_at": "2026-12-08T02:00:00Z",
            "time_zone": "America/Los_Angeles",
            "min_unit_report": self.min_unit_report,
            "trustees": 3,
            "decrypt_threshold": 2,
            "certify_quorum": 2,
            "units": self.units.iter().map(|(c, _)| json!({"code": c, "name": format!("Unit {c}")})).collect::<Vec<_>>(),
            "questions": [q("contract", json!({"at_least": "2/3"}), false), q("strike", json!("majority"), true)],
        })
    }

    /// Members on the roll per unit.
    pub fn roll(&self) -> BTreeMap<String, u64> {
        self.units.iter().cloned().collect()
    }
}

/// The built record's log (to append to and re-sign in tests) and what a
/// test may want to compare.
pub struct Built {
    pub log: LogWriter,
    pub results: Option<Value>,
}

impl Built {
    /// Writes the log's files and record.json again (after a test appended
    /// entries or signed more checkpoints).
    pub fn rewrite_log(&self, dir: &Path) {
        stages::write_log(&self.log, dir);
    }
}

/// Builds the record of `plan` into `dir` (which must exist and be empty).
pub fn build(plan: &Plan, dir: &Path) -> Built {
    stages::build(plan, dir)
}
