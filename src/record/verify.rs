//! `ratify audit verify`: the checks are the `ratify-verify` crate's, so
//! an auditor can build the verifier without the server (issue 10).

use std::path::Path;

pub use ratify_verify::{Failure, Verified};

/// Verifies the record in `dir` (docs/audit-format.md, "Record
/// verification"). `vkey` pins the log key the auditor got out of band;
/// `saved_checkpoint` is an earlier checkpoint note (rollback, fork);
/// `progress` draws a bar on stderr while ballots are checked (only when
/// stderr is a terminal).
pub fn verify_record(
    dir: &Path,
    vkey: Option<String>,
    saved_checkpoint: Option<String>,
    log_only: bool,
    progress: bool,
) -> Result<Verified, Failure> {
    ratify_verify::verify_record(
        dir,
        &ratify_verify::Options {
            vkey,
            saved_checkpoint,
            log_only,
            progress,
        },
    )
}
