//! `ratify mail bounce`: one delivery status notification on standard
//! input, as an MTA's pipe delivers it (docs/operations.md).

use std::io::Read;

use serde_json::json;

use super::{open_database, Report};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::i18n::Message;

/// Largest report read: DSNs carry at most the returned headers (or the
/// message, whose ballot emails are a few kB).
const MAX_REPORT: u64 = 1 << 20;

pub fn bounce(settings: &Settings, recipient: Option<&str>) -> Result<Report> {
    let mut raw = Vec::new();
    std::io::stdin()
        .take(MAX_REPORT + 1)
        .read_to_end(&mut raw)
        .map_err(|e| Error::io("standard input", e))?;
    if raw.len() as u64 > MAX_REPORT {
        return Err(Error::Invalid(Message::untranslated(
            "the report is larger than 1 MiB; refused",
        )));
    }
    let bounce = crate::mail::bounce::parse(&raw, recipient)
        .map_err(|e| Error::Invalid(Message::untranslated(e.to_string())))?;
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let changed = crate::mail::apply_bounce(&mut conn, &bounce)?;
    let human = if changed {
        format!(
            "message {} is now undeliverable: {}",
            bounce.message_id,
            bounce.reply()
        )
    } else {
        format!(
            "message {}: the report says {} ({}), not a failure; nothing changed",
            bounce.message_id, bounce.action, bounce.status
        )
    };
    Ok(Report::new(
        human,
        json!({ "message_id": bounce.message_id, "action": bounce.action, "status": bounce.status, "undeliverable": changed }),
    ))
}
