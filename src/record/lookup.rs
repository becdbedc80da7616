//! A member's check that their ballot is in the record (issue 14): the
//! `ballot.cast` entry naming their tracker, and its inclusion proof
//! (RFC 6962 §2.1.1) in the tree of the latest signed checkpoint, which
//! anyone can check against the checkpoint with the log's public key.

use serde::Serialize;

use crate::audit::{self, LogName};
use crate::db::{self, DbConnection};
use crate::error::Result;

/// Where a tracker's cast entry is, and the proof that the latest signed
/// checkpoint covers it.
#[derive(Debug, Clone, Serialize)]
pub struct Included {
    /// The `ballot.cast` entry's index.
    pub index: u64,
    /// The entry's leaf hash, hex.
    pub leaf_hash: String,
    /// The checkpoint's size and its whole signed note.
    pub size: u64,
    pub checkpoint: String,
    /// The audit path, hex, leaf to root.
    pub hashes: Vec<String>,
}

/// The cast entry of `tracker` in `log`, proved against the latest signed
/// checkpoint; `None` when no entry names it or no checkpoint covers it
/// yet (the checkpointer signs one within `audit.checkpoint_interval_secs`).
pub fn cast_entry_proof(
    conn: &mut DbConnection,
    log: &LogName,
    tracker: &str,
) -> Result<Option<Included>> {
    let Some(head) = db::audit::find_log(conn, &log.as_string())? else {
        return Ok(None);
    };
    let needle = format!("\"tracker\":\"{tracker}\"");
    let Some(index) = db::audit::first_index_containing(conn, head.id, &needle)? else {
        return Ok(None);
    };
    let Some((size, note)) = audit::latest_checkpoint(conn, log)? else {
        return Ok(None);
    };
    if index as u64 >= size {
        return Ok(None);
    }
    let (leaf, proof) = audit::inclusion_proof(conn, log, index as u64, size)?;
    Ok(Some(Included {
        index: index as u64,
        leaf_hash: hex::encode(leaf.0),
        size,
        checkpoint: note,
        hashes: proof.hashes.iter().map(|h| hex::encode(h.0)).collect(),
    }))
}
