//! The certificate (docs/audit-format.md "Certificate"): the results, the
//! roll's counts, the window and its extensions, who decrypted, who
//! certified, and the signed checkpoint of the log just before the quorum's
//! entry, signed as a note with the log's key.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::audit::{self, LogName};
use crate::config::AuditSettings;
use crate::db::{self, DbConnection};
use crate::election::StoredElection;
use crate::error::{Error, Result};
use crate::tally::results::{canonical_json, sha256_hex};
use crate::tally::Results;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    #[serde(rename = "type")]
    pub kind: String,
    pub version: u32,
    pub election_id: String,
    pub results: Results,
    pub results_digest: String,
    pub roll: Value,
    pub window: Value,
    pub decrypted_by: Vec<u32>,
    pub certified_by: Vec<String>,
    pub checkpoint: CheckpointRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointRef {
    pub size: u64,
    /// The Merkle root, hex.
    pub root: String,
}

impl Certificate {
    pub fn canonical(&self) -> Result<String> {
        canonical_json(self)
    }

    /// SHA-256 of the canonical JSON, signature included: the quorum
    /// entry's `certificate_digest`.
    pub fn digest(&self) -> Result<String> {
        Ok(sha256_hex(self.canonical()?.as_bytes()))
    }
}

/// Builds and signs the certificate; the caller logs the quorum's entry.
pub(super) fn make(
    conn: &mut DbConnection,
    e: &StoredElection,
    certified_by: &[String],
    signer: &ratify_tlog::Signer,
    settings: &AuditSettings,
) -> Result<Certificate> {
    let slug = e.spec.slug().to_string();
    let (results, decrypted_by) = crate::tally::decrypt::stored_results(conn, e.id)?
        .ok_or_else(|| Error::Internal("certifying without results".into()))?;
    let log = e.log();
    let mut cert = Certificate {
        kind: "ratify-certificate".into(),
        version: 1,
        election_id: slug.clone(),
        results_digest: results.digest()?,
        results,
        roll: last_data(conn, &log, "roll.imported")?,
        window: window(conn, e, &log)?,
        decrypted_by,
        certified_by: certified_by.to_vec(),
        checkpoint: checkpoint(conn, &log, signer, settings)?,
        signature: None,
    };
    let text = format!(
        "ratify-certificate/1\n{slug}\n{}\n",
        sha256_hex(cert.canonical()?.as_bytes())
    );
    let note = signer
        .sign_note(&text)
        .map_err(|err| Error::Internal(format!("signing the certificate: {err}")))?;
    cert.signature = Some(note);
    Ok(cert)
}

/// The data of every entry of `kind`, in log order.
fn data_of_kind(
    conn: &mut DbConnection,
    log: &LogName,
    kind: &str,
) -> Result<Vec<Map<String, Value>>> {
    let Some(head) = db::audit::find_log(conn, &log.as_string())? else {
        return Ok(Vec::new());
    };
    db::audit::entries_of_kind(conn, head.id, kind)?
        .iter()
        .map(|body| {
            let entry: Value =
                serde_json::from_str(body).map_err(|e| Error::Internal(e.to_string()))?;
            match entry.get("data") {
                Some(Value::Object(m)) => Ok(m.clone()),
                _ => Err(Error::Internal(format!(
                    "a stored {kind} entry without data"
                ))),
            }
        })
        .collect()
}

/// `{members, per_unit, roll_hash}` of the last roll import.
fn last_data(conn: &mut DbConnection, log: &LogName, kind: &str) -> Result<Value> {
    let last = data_of_kind(conn, log, kind)?
        .pop()
        .ok_or_else(|| Error::Internal(format!("no {kind} entry")))?;
    let pick = |k: &str| last.get(k).cloned().unwrap_or(Value::Null);
    Ok(serde_json::json!({
        "members": pick("members"),
        "per_unit": pick("per_unit"),
        "roll_hash": pick("roll_hash"),
    }))
}

/// The first window, the final close and every extension in order.
fn window(conn: &mut DbConnection, e: &StoredElection, log: &LogName) -> Result<Value> {
    let extensions: Vec<Value> = data_of_kind(conn, log, "window.extended")?
        .into_iter()
        .map(Value::Object)
        .collect();
    let spec = serde_json::to_value(&e.spec).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(serde_json::json!({
        "opens_at": spec["opens_at"],
        "closes_at": spec["closes_at"],
        "time_zone": spec["time_zone"],
        "extensions": extensions,
    }))
}

/// Signs a checkpoint of the log as it stands (before the quorum's entry)
/// and names it.
fn checkpoint(
    conn: &mut DbConnection,
    log: &LogName,
    signer: &ratify_tlog::Signer,
    settings: &AuditSettings,
) -> Result<CheckpointRef> {
    audit::make_checkpoint(conn, log, signer, settings)?;
    let (size, note) = audit::latest_checkpoint(conn, log)?
        .ok_or_else(|| Error::Internal("no checkpoint of the election's log".into()))?;
    let body = note
        .split_once("\n\n")
        .map(|(b, _)| format!("{b}\n"))
        .ok_or_else(|| Error::Internal("a stored checkpoint that is not a note".into()))?;
    let parsed = ratify_tlog::Checkpoint::parse_body(&body)
        .map_err(|err| Error::Internal(format!("stored checkpoint: {err}")))?;
    if parsed.size != size {
        return Err(Error::Internal(
            "the latest checkpoint does not cover the log".into(),
        ));
    }
    Ok(CheckpointRef {
        size,
        root: hex::encode(parsed.root.0),
    })
}
