//! The election record: everything an auditor needs, exported as files, and
//! its offline verification (`ratify audit verify`). The layout is in
//! docs/audit-format.md §"Election record layout".

pub mod export;
pub mod lookup;
pub mod sink;
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
pub const BALLOTS_FILE: &str = "ballots.jsonl";
pub const TALLY_FILE: &str = "tally.json";
pub const SHARES_DIR: &str = "shares";
pub const RESULTS_FILE: &str = "results.json";
pub const CERTIFICATE_FILE: &str = "certificate.json";
pub const VOTED_FILE: &str = "private/voted.json";
