//! The offline verifier of an exported election record (`ratify audit
//! verify DIR`). One function per numbered check of docs/audit-format.md,
//! §"Record verification", run in that order; the first failure stops the
//! run and names the check, the file, the entry or line, and the field.
//!
//! Depends on the crypto (`ratify-crypto`) and the log format
//! (`ratify-tlog`) only. The election spec is read from `election.json` by
//! its documented JSON schema (`spec.rs`) rather than through the server's
//! spec types, which live in the server crate next to diesel and actix:
//! an auditor's verifier must not need the server, and checking the
//! documented schema is what an independent implementation does too.

mod ballots;
mod certificate;
mod decryption;
mod entries;
mod failure;
mod grouping;
mod json;
mod keys;
mod kinds;
mod layout;
mod log;
mod order;
mod results;
mod roll;
mod roster;
mod spec;
mod stages;
mod totals;
mod voted;

pub use ballots::{parse_line, LineError};
pub use certificate::signed_text as certificate_signed_text;
pub use failure::{Check, Failure, ALL_CHECKS};
pub use grouping::{reported_groups, Group};
pub use log::Logged;
pub use results::passes;
pub use spec::Rule;
pub use stages::Stage;
pub use voted::commitment as voted_commitment;

use std::path::Path;

/// What the auditor pins, besides the record itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The log's key as the auditor got it out of band: either the C2SP
    /// verifier key (`name+id+base64`) or the 32-byte Ed25519 public key in
    /// hex. A record re-signed end to end with another key then fails.
    pub vkey: Option<String>,
    /// A checkpoint note saved earlier: rollback and fork detection.
    pub saved_checkpoint: Option<String>,
    /// Checks 1 and 2 only, for a bare log export (`record.json` and
    /// `log/`, e.g. the system log): no spec, trustees or keys are checked,
    /// and the report says so.
    pub log_only: bool,
    /// A progress bar on stderr while the ballots are checked (drawn only
    /// when stderr is a terminal; the CLI turns it off for `--json`).
    pub progress: bool,
}

/// What verified, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub slug: String,
    pub origin: String,
    pub entries: u64,
    pub checkpoints: usize,
    pub root: String,
    pub trustees: usize,
    pub key_published: bool,
    pub public_key: Option<String>,
    /// Only checks 1 and 2 ran (`--log-only`).
    pub log_only: bool,
    /// Ballots in ballots.jsonl (0 before the close).
    pub ballots: u64,
    /// Each check, what it covered or why it passed trivially (a stage
    /// the election has not reached).
    pub checks: Vec<Stage>,
}

/// Runs every check on the record in `dir`, in the documented order.
pub fn verify_record(dir: &Path, opts: &Options) -> Result<Verified, Failure> {
    let layout = layout::check_layout(dir, opts.log_only)?;
    let summary = log::check_log(dir, &layout, opts)?;
    let mut v = Verified {
        slug: layout.slug.clone(),
        origin: layout.header.origin.clone(),
        entries: summary.entries,
        checkpoints: summary.checkpoints,
        root: summary.root.to_hex(),
        trustees: 0,
        key_published: false,
        public_key: None,
        log_only: opts.log_only,
        ballots: 0,
        checks: Vec::new(),
    };
    if opts.log_only {
        v.checks = stages::log_only();
        return Ok(v);
    }
    let found = stages::run(dir, &layout, summary.entries, opts)?;
    v.slug = found.slug;
    v.trustees = found.trustees;
    v.key_published = found.public_key.is_some();
    v.public_key = found.public_key;
    v.ballots = found.ballots;
    v.checks = found.checks;
    Ok(v)
}
