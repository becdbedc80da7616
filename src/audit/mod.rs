//! The audit log as the server keeps it (S12, S13): entries appended in the
//! same database transaction as the change they record, Merkle node hashes
//! stored for O(log n) proofs, and signed checkpoints.
//!
//! The format itself (canonical entries, hashing, notes, verification) is
//! `ratify-tlog`; this module only stores and serves it.

mod checkpoint;
mod store;

pub use checkpoint::{checkpoint_all, make_checkpoint, origin_of, signer, vkey};
pub use store::{
    append, append_all, checkpoints, consistency_proof, entries, entries_bytes, inclusion_proof,
    latest_checkpoint, log_head, LogHead, NewEntry,
};

use serde_json::{Map, Value};

/// Which log an entry belongs to: one per election, one for the system
/// (accounts, settings).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LogName {
    System,
    Election(String),
}

impl LogName {
    /// The stored name: `system` or `election/<slug>`.
    pub fn as_string(&self) -> String {
        match self {
            LogName::System => "system".into(),
            LogName::Election(slug) => format!("election/{slug}"),
        }
    }

    pub fn parse(name: &str) -> Option<LogName> {
        match name {
            "system" => Some(LogName::System),
            _ => name
                .strip_prefix("election/")
                .filter(|s| !s.is_empty() && !s.contains('/'))
                .map(|s| LogName::Election(s.to_string())),
        }
    }
}

/// Who did it: an account's email, or nobody (the server's own clock, e.g.
/// closing at `closes_at`). Never a member (S7).
pub type Actor<'a> = Option<&'a str>;

/// Builds an entry's `data` object from `json!({...})`.
pub fn data(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("value".into(), other);
            map
        }
    }
}
