//! The roll: who may vote in an election, imported from CSV
//! (acceptance.md, "Election spec (TOML) and roll (CSV)").
//!
//! An import is all or nothing (S16): [`parse_roll`] returns either a whole
//! valid [`Roll`] or every problem it found, each with its line and field.
//!
//! Storing a roll and searching it are in `service`, through
//! `crate::db::roll`.

mod fold;
mod import;
mod member;
mod service;

use std::collections::BTreeMap;
use std::fmt;

use ring::digest;
use serde::{Deserialize, Serialize};

use crate::election::{Language, UnitCode};
use crate::i18n::Message;

pub use fold::fold_for_search;
pub use import::{parse_roll, HEADER, MAX_REPORTED_ERRORS};
pub use member::{Email, FieldError, MemberName, MemberNumber};
pub use service::{
    check_search, could_be_member_number, import_roll, search_members, MemberView, RollImported,
    SearchError, SearchScope, MAX_QUERY_CHARS,
};

/// One eligible member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollRow {
    pub member_number: MemberNumber,
    pub name: MemberName,
    pub email: Email,
    pub unit: UnitCode,
    pub language: Language,
}

/// A valid roll: at least one member, unique member numbers, unique emails
/// (ignoring case), every unit one of the election's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roll {
    rows: Vec<RollRow>,
    units: Vec<UnitCode>,
}

/// One problem in a roll: where (1-based line in the file, the header being
/// line 1) and which field (`header`, `row`, `member_number`, `name`,
/// `email`, `unit`, `language`, or `file` for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, {field}: {message}")]
pub struct RollError {
    pub line: u64,
    pub field: &'static str,
    /// What is wrong, as a message: pages render it in the reader's
    /// language, the API and the CLI in English (issue 9).
    pub message: Message,
}

/// Every problem found in a roll (the first [`MAX_REPORTED_ERRORS`] of them,
/// and how many more there were). Nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RollErrors {
    pub errors: Vec<RollError>,
    /// Problems found beyond the ones listed.
    pub more: u64,
}

impl RollErrors {
    pub fn total(&self) -> u64 {
        self.errors.len() as u64 + self.more
    }

    /// One line for a command's exit message.
    pub fn summary(&self) -> String {
        match (self.total(), self.errors.first()) {
            (1, Some(e)) => format!("the roll was not imported: {e}"),
            (n, Some(e)) => format!("the roll was not imported: {n} problems, the first: {e}"),
            (_, None) => "the roll was not imported".to_owned(),
        }
    }
}

impl fmt::Display for RollErrors {
    /// The summary, then each problem on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.total();
        write!(
            f,
            "the roll was not imported: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n{e}")?;
        }
        if self.more > 0 {
            write!(f, "\n... and {} more", self.more)?;
        }
        Ok(())
    }
}

impl Roll {
    /// Builds a roll from rows already parsed (e.g. read back from the
    /// database), with the same checks as [`parse_roll`]. Errors give the
    /// line each row would have in a CSV file (row index + 2).
    pub fn from_rows(rows: Vec<RollRow>, units: &[UnitCode]) -> Result<Roll, RollErrors> {
        let mut checker = import::Checker::new(units, rows.len());
        for (i, row) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            checker.check_unit(line, row.unit.as_str());
            checker.check_unique(line, &row.member_number, &row.email);
        }
        checker.finish(rows)
    }

    pub fn rows(&self) -> &[RollRow] {
        &self.rows
    }

    pub fn into_rows(self) -> Vec<RollRow> {
        self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Always false: an empty roll is refused. Here for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The election's units this roll was checked against.
    pub fn units(&self) -> &[UnitCode] {
        &self.units
    }

    pub fn member(&self, member_number: impl AsRef<str>) -> Option<&RollRow> {
        self.rows
            .iter()
            .find(|r| r.member_number.as_str() == member_number.as_ref())
    }

    /// Members per unit, for every unit of the election (0 where none).
    pub fn counts_per_unit(&self) -> BTreeMap<UnitCode, u64> {
        let mut counts: BTreeMap<UnitCode, u64> =
            self.units.iter().map(|u| (u.clone(), 0)).collect();
        for row in &self.rows {
            *counts.entry(row.unit.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// The roll's commitment, recorded in the audit log in place of the roll
    /// itself (which holds names and emails that must not be published).
    ///
    /// SHA-256 over exactly these bytes:
    ///
    /// ```text
    /// "ratify-roll-v1" 0x1E
    /// then, for each member in ascending byte order of member_number
    /// (member numbers are unique ASCII, so the order is total):
    ///     member_number 0x1F name 0x1F email 0x1F unit 0x1F language 0x1E
    /// ```
    ///
    /// Each field is its UTF-8 text as stored: trimmed of surrounding
    /// whitespace at import, the email in the case it was written, the
    /// language as `en` or `es`; no Unicode normalization is applied. No field
    /// can contain 0x1E or 0x1F (control characters are refused), so the
    /// encoding is unambiguous. File order, CRLF and a BOM do not change it.
    pub fn roll_hash(&self) -> [u8; 32] {
        let mut sorted: Vec<&RollRow> = self.rows.iter().collect();
        sorted.sort_unstable_by(|a, b| {
            a.member_number
                .as_str()
                .as_bytes()
                .cmp(b.member_number.as_str().as_bytes())
        });
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(b"ratify-roll-v1\x1e");
        for r in sorted {
            for (i, field) in [
                r.member_number.as_str(),
                r.name.as_str(),
                r.email.as_str(),
                r.unit.as_str(),
                r.language.as_str(),
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    ctx.update(b"\x1f");
                }
                ctx.update(field.as_bytes());
            }
            ctx.update(b"\x1e");
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(ctx.finish().as_ref());
        out
    }

    /// [`Roll::roll_hash`] as lowercase hex.
    pub fn roll_hash_hex(&self) -> String {
        hex::encode(self.roll_hash())
    }
}
