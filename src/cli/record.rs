//! `ratify record export SLUG --out DIR`.

use std::path::Path;

use serde_json::json;

use super::{open_database, Report};
use crate::audit;
use crate::config::Settings;
use crate::error::Result;
use crate::keys::Keys;
use crate::record::export::export_election;

pub fn export(settings: &Settings, slug: &str, out: &Path, private: bool) -> Result<Report> {
    let db = open_database(settings)?;
    let keys = Keys::load(&settings.keys)?;
    let signer = audit::signer(&keys, &settings.audit)?;
    let mut conn = db.get()?;
    let exported = export_election(
        &mut conn,
        slug,
        &signer,
        &settings.audit,
        out,
        private,
        chrono::Utc::now(),
    )?;
    Ok(Report::new(
        format!(
            "exported the record of {slug} to {}: {} log entries, {} signed checkpoints",
            out.display(),
            exported.entries,
            exported.checkpoints
        ),
        json!({ "slug": slug, "out": out, "entries": exported.entries, "checkpoints": exported.checkpoints }),
    ))
}
