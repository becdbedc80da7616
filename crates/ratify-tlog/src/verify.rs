//! The checks of `ratify audit verify` for one log, in the order of
//! docs/audit-format.md §"Verification": stop at the first failure and say
//! which entry (index and line) or checkpoint broke, and how.
//!
//! 1. every checkpoint note: signature, form, origin;
//! 2. checkpoints in non-decreasing size, equal sizes with equal roots;
//! 3. every entry line in turn: parses, canonical, index, `prev`, time;
//!    and at each checkpoint's size, the Merkle root equals the checkpoint's;
//! 4. the last checkpoint covers every entry;
//! 5. an auditor's saved checkpoint: signature, then no rollback, no fork.

use std::io::BufRead;

use crate::entry::{check_line, CheckedLine, LineError};
use crate::hash::Hash;
use crate::merkle::Frontier;
use crate::note::{parse_and_verify_checkpoint, Checkpoint, NoteError, Verifier};
use crate::time::Timestamp;

/// The first thing that failed. `line` is 1-based in the entries file;
/// `checkpoint` is 1-based in the list of checkpoints given.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("line {line}: could not read the entries file")]
    Io {
        line: u64,
        #[source]
        source: std::io::Error,
    },
    #[error("line {line}: not a valid audit log entry: {reason}")]
    EntryParse { line: u64, reason: String },
    #[error(
        "entry {index} (line {line}): not in canonical form (RFC 8785); its bytes were changed"
    )]
    NotCanonical { index: u64, line: u64 },
    #[error("line {line}: expected entry {expected} but found entry {found}; entries were deleted, inserted or reordered")]
    IndexGap {
        line: u64,
        expected: u64,
        found: u64,
    },
    #[error(
        "entry {index} (line {line}): its prev hash does not match entry {}; entry {} was altered, or entries were removed or inserted before entry {index}",
        index - 1, index - 1
    )]
    ChainBroken { index: u64, line: u64 },
    #[error("entry {index} (line {line}): first entry must have prev = 64 zeros")]
    BadGenesis { index: u64, line: u64 },
    #[error("entry {index} (line {line}): time {time} is before the previous entry's time {prev}")]
    TimeWentBackwards {
        index: u64,
        line: u64,
        time: Timestamp,
        prev: Timestamp,
    },
    #[error("checkpoint {checkpoint}: {source}")]
    CheckpointMalformed {
        checkpoint: usize,
        #[source]
        source: NoteError,
    },
    #[error("checkpoint {checkpoint}: signature does not verify under the log's key: {source}")]
    BadSignature {
        checkpoint: usize,
        #[source]
        source: NoteError,
    },
    #[error("checkpoint {checkpoint}: origin {found:?} is not this log's origin {expected:?}")]
    WrongOrigin {
        checkpoint: usize,
        expected: String,
        found: String,
    },
    #[error("checkpoint {checkpoint}: size {size} is smaller than the previous checkpoint's size {previous}; checkpoints are out of order or the log was rolled back")]
    OutOfOrder {
        checkpoint: usize,
        size: u64,
        previous: u64,
    },
    #[error("checkpoints {earlier} and {checkpoint} both sign size {size} with different roots: the log forked")]
    Inconsistent {
        checkpoint: usize,
        earlier: usize,
        size: u64,
    },
    #[error("checkpoint {checkpoint}: the Merkle root of the first {size} entries is {computed}, not the signed {signed}; an entry before index {size} was altered")]
    RootMismatch {
        checkpoint: usize,
        size: u64,
        computed: Hash,
        signed: Hash,
    },
    #[error("checkpoint {checkpoint} signs {size} entries but the export has only {entries}: the log was truncated")]
    Truncated {
        checkpoint: usize,
        size: u64,
        entries: u64,
    },
    #[error("entries {signed} to {} are not covered by any checkpoint: truncated or unsigned tail", entries - 1)]
    UnsignedTail { signed: u64, entries: u64 },
    #[error("no checkpoint was given: the log is unsigned")]
    NoCheckpoint,
    #[error("the saved checkpoint is not valid under the log's key: {source}")]
    SavedCheckpointInvalid {
        #[source]
        source: NoteError,
    },
    #[error("the saved checkpoint is of another log (origin {found:?}, expected {expected:?})")]
    SavedCheckpointOrigin { expected: String, found: String },
    #[error("rollback: the saved checkpoint signs {saved_size} entries but the log now has only {entries}")]
    Rollback { saved_size: u64, entries: u64 },
    #[error("fork: the log's root at size {size} is {computed}, but the saved checkpoint signed {saved}; the history was rewritten")]
    Fork {
        size: u64,
        computed: Hash,
        saved: Hash,
    },
}

/// What a successful verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogSummary {
    pub entries: u64,
    pub root: Hash,
    /// The last checkpoint, which covers every entry.
    pub checkpoint: Checkpoint,
    pub checkpoints: usize,
}

/// Streaming verifier for one log: give it the checkpoints, then each line
/// of the export in order, then finish. Each `push_line` hands back the
/// parsed entry, so a record verifier can run its per-entry checks (kinds,
/// actors, data fields) in the same pass; `ratify audit verify` does not do
/// that yet (issue 10).
pub struct LogVerifier {
    checkpoints: Vec<Checkpoint>,
    /// Index into `checkpoints` of the next one whose size is not yet reached.
    next_checkpoint: usize,
    frontier: Frontier,
    prev_hash: Hash,
    prev_time: Option<Timestamp>,
    line: u64,
    scratch: Vec<u8>,
    saved: Option<Checkpoint>,
    saved_root: Option<Hash>,
}

impl LogVerifier {
    /// Checks 1 and 2: every checkpoint note verifies under `key`, has origin
    /// `origin` (or, if `None`, the first checkpoint's), and sizes never
    /// decrease (equal sizes must have equal roots).
    pub fn new<S: AsRef<str>>(
        key: &Verifier,
        origin: Option<&str>,
        notes: &[S],
    ) -> Result<LogVerifier, VerifyError> {
        let mut checkpoints: Vec<Checkpoint> = Vec::with_capacity(notes.len());
        let mut expected_origin = origin.map(str::to_owned);
        for (i, note) in notes.iter().enumerate() {
            let n = i + 1;
            let cp = parse_and_verify_checkpoint(note.as_ref(), key).map_err(|e| match e {
                NoteError::NotSigned(_) | NoteError::BadSignature(_) => VerifyError::BadSignature {
                    checkpoint: n,
                    source: e,
                },
                _ => VerifyError::CheckpointMalformed {
                    checkpoint: n,
                    source: e,
                },
            })?;
            let expected = expected_origin.get_or_insert_with(|| cp.origin.clone());
            if cp.origin != *expected {
                return Err(VerifyError::WrongOrigin {
                    checkpoint: n,
                    expected: expected.clone(),
                    found: cp.origin,
                });
            }
            if let Some(last) = checkpoints.last() {
                if cp.size < last.size {
                    return Err(VerifyError::OutOfOrder {
                        checkpoint: n,
                        size: cp.size,
                        previous: last.size,
                    });
                }
                if cp.size == last.size && cp.root != last.root {
                    return Err(VerifyError::Inconsistent {
                        checkpoint: n,
                        earlier: n - 1,
                        size: cp.size,
                    });
                }
            }
            checkpoints.push(cp);
        }
        let mut v = LogVerifier {
            checkpoints,
            next_checkpoint: 0,
            frontier: Frontier::new(),
            prev_hash: Hash::ZERO,
            prev_time: None,
            line: 0,
            scratch: Vec::with_capacity(512),
            saved: None,
            saved_root: None,
        };
        v.check_reached_checkpoints()?;
        Ok(v)
    }

    /// Registers an auditor's saved checkpoint (check 5); its root is
    /// captured while streaming, so call this before the first line.
    pub fn with_saved_checkpoint(
        mut self,
        key: &Verifier,
        note: &str,
    ) -> Result<LogVerifier, VerifyError> {
        let cp = parse_and_verify_checkpoint(note, key)
            .map_err(|source| VerifyError::SavedCheckpointInvalid { source })?;
        if let Some(first) = self.checkpoints.first() {
            if first.origin != cp.origin {
                return Err(VerifyError::SavedCheckpointOrigin {
                    expected: first.origin.clone(),
                    found: cp.origin,
                });
            }
        }
        if cp.size == 0 {
            self.saved_root = Some(self.frontier.root());
        }
        self.saved = Some(cp);
        Ok(self)
    }

    /// Check 3 for one line of the export (without its trailing `\n`).
    pub fn push_line<'a>(&mut self, line: &'a [u8]) -> Result<CheckedLine<'a>, VerifyError> {
        self.line += 1;
        let line_no = self.line;
        let expected = self.frontier.size();
        let entry = check_line(line, &mut self.scratch).map_err(|e| match e {
            LineError::Parse(reason) => VerifyError::EntryParse {
                line: line_no,
                reason,
            },
            LineError::NotCanonical { index } => VerifyError::NotCanonical {
                index,
                line: line_no,
            },
        })?;
        if entry.index != expected {
            return Err(VerifyError::IndexGap {
                line: line_no,
                expected,
                found: entry.index,
            });
        }
        if entry.prev != self.prev_hash {
            return Err(if expected == 0 {
                VerifyError::BadGenesis {
                    index: 0,
                    line: line_no,
                }
            } else {
                VerifyError::ChainBroken {
                    index: entry.index,
                    line: line_no,
                }
            });
        }
        if let Some(prev) = self.prev_time {
            if entry.time < prev {
                return Err(VerifyError::TimeWentBackwards {
                    index: entry.index,
                    line: line_no,
                    time: entry.time,
                    prev,
                });
            }
        }
        self.prev_time = Some(entry.time);
        self.prev_hash = entry.leaf_hash;
        self.frontier.append(entry.leaf_hash);
        if matches!(&self.saved, Some(s) if s.size == self.frontier.size()) {
            self.saved_root = Some(self.frontier.root());
        }
        self.check_reached_checkpoints()?;
        Ok(entry)
    }

    fn check_reached_checkpoints(&mut self) -> Result<(), VerifyError> {
        let size = self.frontier.size();
        let mut root = None;
        while let Some(cp) = self.checkpoints.get(self.next_checkpoint) {
            if cp.size != size {
                break;
            }
            let computed = *root.get_or_insert_with(|| self.frontier.root());
            if computed != cp.root {
                return Err(VerifyError::RootMismatch {
                    checkpoint: self.next_checkpoint + 1,
                    size,
                    computed,
                    signed: cp.root,
                });
            }
            self.next_checkpoint += 1;
        }
        Ok(())
    }

    /// Checks 4 and 5 once every line has been pushed.
    pub fn finish(self) -> Result<LogSummary, VerifyError> {
        let entries = self.frontier.size();
        if let Some(cp) = self.checkpoints.get(self.next_checkpoint) {
            return Err(VerifyError::Truncated {
                checkpoint: self.next_checkpoint + 1,
                size: cp.size,
                entries,
            });
        }
        let last = self.checkpoints.last().ok_or(VerifyError::NoCheckpoint)?;
        if last.size < entries {
            return Err(VerifyError::UnsignedTail {
                signed: last.size,
                entries,
            });
        }
        if let Some(saved) = &self.saved {
            if saved.size > entries {
                return Err(VerifyError::Rollback {
                    saved_size: saved.size,
                    entries,
                });
            }
            let computed = self
                .saved_root
                .expect("root captured when the saved size was reached");
            if computed != saved.root {
                return Err(VerifyError::Fork {
                    size: saved.size,
                    computed,
                    saved: saved.root,
                });
            }
        }
        Ok(LogSummary {
            entries,
            root: last.root,
            checkpoint: last.clone(),
            checkpoints: self.checkpoints.len(),
        })
    }
}

/// Verifies an exported log: `entries` is the JSON Lines export (each line the
/// canonical bytes of one entry followed by `\n`), `checkpoints` the signed
/// checkpoint notes in publication order, `saved` an auditor's earlier
/// checkpoint note if any.
pub fn verify_log<R: BufRead, S: AsRef<str>>(
    mut entries: R,
    checkpoints: &[S],
    key: &Verifier,
    origin: Option<&str>,
    saved: Option<&str>,
) -> Result<LogSummary, VerifyError> {
    let mut v = LogVerifier::new(key, origin, checkpoints)?;
    if let Some(note) = saved {
        v = v.with_saved_checkpoint(key, note)?;
    }
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let n = entries
            .read_until(b'\n', &mut buf)
            .map_err(|source| VerifyError::Io {
                line: v.line + 1,
                source,
            })?;
        if n == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') {
            return Err(VerifyError::EntryParse {
                line: v.line + 1,
                reason: "the last line does not end with a newline".into(),
            });
        }
        buf.pop();
        v.push_line(&buf)?;
    }
    v.finish()
}
