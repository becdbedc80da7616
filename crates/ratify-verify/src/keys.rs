//! Check 7: the election key. Once `key.published` is logged,
//! trustees/election-keys.json must exist and equal what the roster's
//! commitments give (K = Σ_i C_{i,0}, K_j = Σ_i Σ_l C_{i,l}·j^l,
//! docs/crypto.md), and both must equal what `key.published` logged, with
//! the roster digest. Without `key.published` there is no keys file.

use std::path::Path;

use ratify_crypto::{combine_election_key, ElectionKeys, Roster};
use serde_json::Value;

use crate::json::{parse, read_text};
use crate::kinds::State;
use crate::layout::{Layout, ENTRIES, KEYS};
use crate::log::Logged;
use crate::{Check, Failure};

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Keys, KEYS, why)
}

pub fn check_keys(
    dir: &Path,
    layout: &Layout,
    roster: &Roster,
    entries: &[Logged],
    state: &State,
) -> Result<Option<ElectionKeys>, Failure> {
    let Some(at) = state.key_published else {
        if layout.has_keys {
            return Err(fail(
                "an election key file, but the log never published a key",
            ));
        }
        return Ok(None);
    };
    let file: ElectionKeys = parse(&read_text(dir, KEYS, Check::Keys)?, KEYS, Check::Keys)?;
    let computed = combine_election_key(roster).map_err(|e| {
        Failure::new(
            Check::Keys,
            crate::layout::ROSTER,
            format!("the roster does not give an election key: {e}"),
        )
    })?;
    if file.election_id != computed.election_id {
        return Err(fail("is not for this election").field("election_id"));
    }
    if file.decrypt_threshold != computed.decrypt_threshold {
        return Err(fail("is not the roster's threshold").field("decrypt_threshold"));
    }
    if file.public_key != computed.public_key {
        return Err(
            fail("is not the sum of the deals' constant-term commitments").field("public_key"),
        );
    }
    if file.verification_keys.len() != computed.verification_keys.len() {
        return Err(fail("does not have one key per trustee").field("verification_keys"));
    }
    for (j, (a, b)) in file
        .verification_keys
        .iter()
        .zip(&computed.verification_keys)
        .enumerate()
    {
        if a != b {
            return Err(fail(format!(
                "trustee {}'s key is not the one the deals' commitments give",
                j + 1
            ))
            .field(format!("verification_keys[{j}]")));
        }
    }
    let entry = entries
        .iter()
        .find(|e| e.index == at)
        .expect("check 3 found key.published here");
    logged(entry, &computed, roster)?;
    Ok(Some(file))
}

/// key.published logged the same keys and the roster's digest.
fn logged(e: &Logged, keys: &ElectionKeys, roster: &Roster) -> Result<(), Failure> {
    let fail = |why: &str, field: &str| {
        Failure::new(Check::Keys, ENTRIES, why.to_string())
            .entry(e.index)
            .field(format!("data.{field}"))
    };
    if e.data["public_key"].as_str() != Some(keys.public_key.to_hex().as_str()) {
        return Err(fail(
            "is not the election key the roster gives",
            "public_key",
        ));
    }
    let logged: Vec<&str> = e.data["verification_keys"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let expected: Vec<String> = keys.verification_keys.iter().map(|k| k.to_hex()).collect();
    if logged != expected {
        return Err(fail(
            "are not the verification keys the roster gives",
            "verification_keys",
        ));
    }
    if e.data["decrypt_threshold"].as_u64() != Some(u64::from(keys.decrypt_threshold)) {
        return Err(fail("is not the roster's threshold", "decrypt_threshold"));
    }
    if e.data["roster_digest"].as_str() != Some(hex::encode(roster.digest()).as_str()) {
        return Err(fail(
            "is not the digest of the roster in the record",
            "roster_digest",
        ));
    }
    Ok(())
}
