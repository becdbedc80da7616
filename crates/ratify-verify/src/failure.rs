//! The one error of the verifier: which check failed, and where.

use serde::Serialize;

/// The numbered checks of docs/audit-format.md, §"Record verification".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// 1. record.json and the layout of the directory.
    Layout,
    /// 2. The log: checkpoints, chain, Merkle roots (§"Verification" 1–5).
    Log,
    /// 3. Every entry's kind, actor and data against the kinds table.
    Entries,
    /// 4. election.json against the spec the log holds.
    Spec,
    /// 5. The trustees' files against each other and the log.
    Roster,
    /// 6. The roll counts and hash as logged.
    Roll,
    /// 7. The election key and verification keys.
    Keys,
    /// 8. ballots.jsonl: form, order, trackers, units, proofs, no duplicates,
    ///    exactly the ballots cast in the log.
    Ballots,
    /// 9. The reported groups follow S8.
    Grouping,
    /// 10. tally.json's totals are the products of the ballots.
    Totals,
    /// 11. The trustees' decryption shares and their proofs.
    Decryption,
    /// 12. results.json: the decrypted counts, the arithmetic, pass/fail.
    Results,
    /// 13. certificate.json and the quorum's certification.
    Certificate,
    /// 14. private/voted.json opens the voted commitment.
    VotedCommitment,
}

/// Every check, in the order they run.
pub const ALL_CHECKS: [Check; 14] = [
    Check::Layout,
    Check::Log,
    Check::Entries,
    Check::Spec,
    Check::Roster,
    Check::Roll,
    Check::Keys,
    Check::Ballots,
    Check::Grouping,
    Check::Totals,
    Check::Decryption,
    Check::Results,
    Check::Certificate,
    Check::VotedCommitment,
];

impl Check {
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    pub fn title(self) -> &'static str {
        match self {
            Check::Layout => "record.json and layout",
            Check::Log => "audit log",
            Check::Entries => "entry kinds",
            Check::Spec => "election spec",
            Check::Roster => "key ceremony",
            Check::Roll => "roll",
            Check::Keys => "election key",
            Check::Ballots => "ballots",
            Check::Grouping => "grouping",
            Check::Totals => "totals",
            Check::Decryption => "decryption",
            Check::Results => "results",
            Check::Certificate => "certificate",
            Check::VotedCommitment => "voted commitment",
        }
    }
}

/// A failed check: the check, the file (relative to the record), the
/// entry index and line where there is one, the field path, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Failure {
    pub check: Check,
    pub check_number: u8,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

impl Failure {
    pub fn new(check: Check, file: &str, reason: impl Into<String>) -> Failure {
        Failure {
            check,
            check_number: check.number(),
            file: file.to_string(),
            entry: None,
            line: None,
            field: None,
            reason: reason.into(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Failure {
        self.field = Some(field.into());
        self
    }

    pub fn line(mut self, line: u64) -> Failure {
        self.line = Some(line);
        self
    }

    /// Entry `index` of the log, on line `index + 1` of entries.jsonl.
    pub fn entry(mut self, index: u64) -> Failure {
        self.entry = Some(index);
        self.line = Some(index + 1);
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "check {} ({}) failed: {}",
            self.check.number(),
            self.check.title(),
            self.file
        )?;
        match (self.entry, self.line) {
            (Some(e), Some(l)) => write!(f, ", entry {e} (line {l})")?,
            (None, Some(l)) => write!(f, ", line {l}")?,
            _ => {}
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}
