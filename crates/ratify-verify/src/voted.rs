//! Check 14: the committee's private/voted.json opens `election.closed`'s
//! `voted_commitment` (S7: the public record carries only the hiding
//! commitment; observers with the private copy can check who voted
//! matches it and the counts).

use std::path::Path;

use serde_json::{Map, Value};

use crate::entries::Entries;
use crate::json::{exact_members, hex32, parse, read_text};
use crate::layout::VOTED;
use crate::{Check, Failure};

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::VotedCommitment, VOTED, why)
}

/// SHA-256(salt || for each member number, sorted by UTF-8 bytes: its
/// bytes || 0x1E), docs/audit-format.md `election.closed`.
pub fn commitment(salt: &[u8; 32], members: &[&str]) -> [u8; 32] {
    let mut bytes = salt.to_vec();
    for m in members {
        bytes.extend_from_slice(m.as_bytes());
        bytes.push(0x1e);
    }
    ratify_tlog::hash::sha256(&bytes).0
}

/// Check 14: `Some(number who voted)` when the file is there.
pub fn check_voted(dir: &Path, entries: &Entries) -> Result<Option<u64>, Failure> {
    if !dir.join(VOTED).exists() {
        return Ok(None);
    }
    let Some(closed) = entries.state.closed.and_then(|c| entries.at(c)) else {
        return Err(fail("a voted list, but the log never closed the election"));
    };
    let file: Map<String, Value> = parse(
        &read_text(dir, VOTED, Check::VotedCommitment)?,
        VOTED,
        Check::VotedCommitment,
    )?;
    exact_members(&file, &["salt", "members"], &[]).map_err(|(f, why)| fail(why).field(f))?;
    let salt = file["salt"]
        .as_str()
        .and_then(hex32)
        .ok_or_else(|| fail("is not 64 lower-case hex digits (32 bytes)").field("salt"))?;
    let list = file["members"]
        .as_array()
        .ok_or_else(|| fail("is not a list").field("members"))?;
    let mut members = Vec::with_capacity(list.len());
    for (i, m) in list.iter().enumerate() {
        let m = m.as_str().ok_or_else(|| {
            fail("is not a member number (a string)").field(format!("members[{i}]"))
        })?;
        if members
            .last()
            .is_some_and(|p: &&str| p.as_bytes() >= m.as_bytes())
        {
            return Err(fail(
                "is not after the one before: the list is sorted by UTF-8 bytes, each member once",
            )
            .field(format!("members[{i}]")));
        }
        members.push(m);
    }
    let logged = closed.data["voted_commitment"].as_str().unwrap_or_default();
    if hex::encode(commitment(&salt, &members)) != logged {
        return Err(fail(format!(
            "the salt and members do not open election.closed's voted_commitment (entry {})",
            closed.index
        ))
        .field("members"));
    }
    let cast: u64 = closed.data["per_unit"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    if members.len() as u64 != cast {
        return Err(fail(format!(
            "lists {} members, but election.closed counts {cast} ballots",
            members.len()
        ))
        .field("members"));
    }
    Ok(Some(cast))
}
