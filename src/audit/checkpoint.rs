//! Signed checkpoints (C2SP tlog-checkpoint in a signed note, Ed25519): made
//! at least every `audit.checkpoint_interval_secs` while entries arrive, and
//! on demand at open, close and certification.

use ratify_tlog::note::sign_checkpoint;
use ratify_tlog::{Checkpoint, Signer};

use super::store::{latest_checkpoint, log_head, tree_root};
use super::LogName;
use crate::config::AuditSettings;
use crate::db::audit as rows;
use crate::db::DbConnection;
use crate::error::{Error, Result};
use crate::keys::Keys;

/// The note signer. Its key name is the configured origin, so observers pin
/// one verifier key (`vkey`) for every log of this server.
pub fn signer(keys: &Keys, settings: &AuditSettings) -> Result<Signer> {
    Signer::from_pkcs8(&settings.origin, keys.checkpoint_pkcs8())
        .map_err(|e| Error::Keys(format!("checkpoint signing key: {e}")))
}

/// The verifier key in C2SP vkey form: `<name>+<key id>+<base64 key>`.
pub fn vkey(signer: &Signer) -> String {
    signer.vkey()
}

/// The checkpoint origin of one log: `<origin>/<log name>`.
pub fn origin_of(settings: &AuditSettings, log: &LogName) -> String {
    format!("{}/{}", settings.origin, log.as_string())
}

/// Signs and stores a checkpoint of the log's current size, unless the
/// newest checkpoint already covers it. Returns the new note.
pub fn make_checkpoint(
    conn: &mut DbConnection,
    log: &LogName,
    signer: &Signer,
    settings: &AuditSettings,
) -> Result<Option<String>> {
    let Some(head) = log_head(conn, log)? else {
        return Ok(None);
    };
    let size = head.size as u64;
    let covered = latest_checkpoint(conn, log)?.map_or(0, |(s, _)| s);
    if size == 0 || covered >= size {
        return Ok(None);
    }
    let root = tree_root(conn, head.id, size)?;
    let note = sign_checkpoint(
        &Checkpoint::new(&origin_of(settings, log), size, root),
        signer,
    )
    .map_err(|e| Error::Internal(format!("signing checkpoint: {e}")))?;
    rows::insert_checkpoint(conn, head.id, size as i64, &note)?;
    Ok(Some(note))
}

/// Checkpoints every log that grew since its last checkpoint (the
/// background checkpointer's tick, `worker::Checkpointer`). Returns how many were made.
pub fn checkpoint_all(
    conn: &mut DbConnection,
    signer: &Signer,
    settings: &AuditSettings,
) -> Result<usize> {
    let names = rows::non_empty_log_names(conn)?;
    let mut made = 0;
    for name in names {
        let Some(log) = LogName::parse(&name) else {
            continue;
        };
        if make_checkpoint(conn, &log, signer, settings)?.is_some() {
            made += 1;
        }
    }
    Ok(made)
}
