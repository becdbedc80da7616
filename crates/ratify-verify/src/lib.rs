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

mod failure;
mod json;
mod keys;
mod kinds;
mod layout;
mod log;
mod roll;
mod roster;
mod spec;

pub use failure::{Check, Failure};
pub use log::Logged;

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
}

/// Runs every check on the record in `dir`, in the documented order.
pub fn verify_record(dir: &Path, opts: &Options) -> Result<Verified, Failure> {
    let layout = layout::check_layout(dir, opts.log_only)?;
    let (summary, entries) = log::check_log(dir, &layout, opts)?;
    if opts.log_only {
        return Ok(Verified {
            slug: layout.slug.clone(),
            origin: layout.header.origin.clone(),
            entries: summary.entries,
            checkpoints: summary.checkpoints,
            root: summary.root.to_hex(),
            trustees: 0,
            key_published: false,
            public_key: None,
            log_only: true,
        });
    }
    let state = kinds::check_entries(&entries)?;
    let spec = spec::check_spec(dir, &layout, &entries, &state)?;
    let roster = roster::check_roster(dir, &spec, &entries)?;
    roll::check_roll(&spec, &entries)?;
    let keys = keys::check_keys(dir, &layout, &roster, &entries, &state)?;
    Ok(Verified {
        slug: spec.slug.clone(),
        origin: layout.header.origin.clone(),
        entries: summary.entries,
        checkpoints: summary.checkpoints,
        root: summary.root.to_hex(),
        trustees: roster.public.len(),
        key_published: keys.is_some(),
        public_key: keys.map(|k| k.public_key.to_hex()),
        log_only: false,
    })
}
