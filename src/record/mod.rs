//! The election record: everything an auditor needs, exported as files, and
//! its offline verification (`ratify audit verify`). The layout is in
//! docs/audit-format.md §"Election record layout".

pub mod export;
pub mod verify;

/// Identifies the record format in `record.json`.
pub const FORMAT: &str = "ratify-record/1";

pub const RECORD_FILE: &str = "record.json";
pub const ELECTION_FILE: &str = "election.json";
pub const ENTRIES_FILE: &str = "log/entries.jsonl";
pub const CHECKPOINT_DIR: &str = "log/checkpoints";
pub const VKEY_FILE: &str = "log/vkey";
pub const ROSTER_FILE: &str = "trustees/roster.json";
pub const KEYS_FILE: &str = "trustees/election-keys.json";
