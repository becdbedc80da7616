//! `ratify audit verify DIR [--checkpoint FILE]`.

use std::path::Path;

use serde_json::json;

use super::Report;
use crate::error::{Error, Result};
use crate::record::verify::verify_record;

pub fn verify(dir: &Path, checkpoint: Option<&Path>) -> Result<Report> {
    let saved = checkpoint
        .map(|p| std::fs::read_to_string(p).map_err(|e| Error::io(p, e)))
        .transpose()?;
    let v = verify_record(dir, None, saved.as_deref())?;
    Ok(Report::new(
        format!(
            "verified {}: {} log entries, {} signed checkpoints, root {}{}",
            v.log,
            v.entries,
            v.checkpoints,
            v.root,
            if saved.is_some() {
                "; consistent with the saved checkpoint"
            } else {
                ""
            }
        ),
        json!({ "ok": true, "verified": v }),
    ))
}
