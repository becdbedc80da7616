//! `ratify audit verify DIR [--checkpoint FILE] [--vkey KEY]`: runs
//! `ratify_verify`'s checks (docs/audit-format.md, "Record verification").

use std::path::Path;

use serde_json::json;

use super::Report;
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::record::verify::verify_record;

pub fn verify(
    dir: &Path,
    checkpoint: Option<&Path>,
    vkey: Option<String>,
    log_only: bool,
    json_out: bool,
) -> Result<Report> {
    let saved = checkpoint
        .map(|p| std::fs::read_to_string(p).map_err(|e| Error::io(p, e)))
        .transpose()?;
    // The bar goes to stderr, and never with --json (its output is data).
    let v = match verify_record(dir, vkey, saved.clone(), log_only, !json_out) {
        Ok(v) => v,
        Err(failure) => {
            // --json: which check failed and where, as data, on stdout;
            // the exit code and the one-line message stay as for any error.
            if json_out {
                println!("{}", json!({ "ok": false, "failure": failure }));
            }
            return Err(Error::Invalid(Message::untranslated(failure.to_string())));
        }
    };
    Ok(Report::new(
        format!(
            "verified {}: {} log entries, {} signed checkpoints, root {}; {}{}{}",
            v.origin,
            v.entries,
            v.checkpoints,
            v.root,
            if v.log_only {
                "the log only (--log-only: no spec, trustees or keys checked)".to_string()
            } else {
                format!("{} trustees", v.trustees)
            },
            v.public_key
                .as_ref()
                .map(|k| format!(", election key {k}"))
                .unwrap_or_default(),
            if saved.is_some() {
                "; consistent with the saved checkpoint"
            } else {
                ""
            }
        ) + &checks_text(&v),
        json!({ "ok": true, "verified": v }),
    ))
}

/// One line per check: what it covered, or that its stage is not reached.
fn checks_text(v: &crate::record::verify::Verified) -> String {
    v.checks
        .iter()
        .map(|c| format!("\n{:>3}. {}: {}", c.check_number, c.check.title(), c.note))
        .collect()
}
