//! The verified log read for checks 3–14, in little memory: every entry
//! is judged by check 3 as it is read, and the `ballot.cast` entries (all
//! but a handful of a 500,000-ballot log) are kept as 80-byte [`Cast`]s
//! instead of JSON values.

use std::path::Path;

use crate::json::hex32;
use crate::kinds::{Judge, State};
use crate::log::{for_each_entry, Logged};
use crate::Failure;

/// One `ballot.cast` entry, as check 8 needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cast {
    pub index: u64,
    pub tracker: [u8; 32],
    pub ballot_hash: [u8; 32],
    /// Index into [`Entries::units`].
    pub unit: u16,
}

/// The log after check 3.
#[derive(Debug, Default)]
pub struct Entries {
    /// Every entry but the casts, in index order.
    pub list: Vec<Logged>,
    /// The casts, in index order.
    pub casts: Vec<Cast>,
    /// The unit codes the casts name, in order of first appearance.
    pub units: Vec<String>,
    pub state: State,
}

impl Entries {
    /// The kept entry with this index (not a cast).
    pub fn at(&self, index: u64) -> Option<&Logged> {
        self.list
            .binary_search_by_key(&index, |e| e.index)
            .ok()
            .map(|i| &self.list[i])
    }

    fn keep(&mut self, e: Logged) {
        if e.kind != "ballot.cast" {
            self.list.push(e);
            return;
        }
        // Check 3 has checked the members' types.
        let hex = |k: &str| hex32(e.data[k].as_str().unwrap_or_default()).unwrap_or_default();
        let unit = e.data["unit"].as_str().unwrap_or_default();
        let at = match self.units.iter().position(|u| u == unit) {
            Some(i) => i,
            None => {
                self.units.push(unit.to_string());
                self.units.len() - 1
            }
        };
        self.casts.push(Cast {
            index: e.index,
            tracker: hex("tracker"),
            ballot_hash: hex("ballot_hash"),
            unit: u16::try_from(at).unwrap_or(u16::MAX),
        });
    }
}

/// Check 3 over the log file, keeping what the later checks need.
pub fn read_entries(dir: &Path) -> Result<Entries, Failure> {
    let mut judge = Judge::default();
    let mut out = Entries::default();
    for_each_entry(dir, |e| {
        judge.entry(&e)?;
        out.keep(e);
        Ok(())
    })?;
    out.state = judge.finish()?;
    Ok(out)
}
