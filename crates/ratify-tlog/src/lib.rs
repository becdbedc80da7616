//! The storage-free core of ratify's audit log (S12, S13, S15).
//!
//! * [`entry`]: entries, their RFC 8785 canonical bytes and hash chain;
//! * [`merkle`]: the RFC 6962 Merkle tree over leaf hashes, proofs, and the
//!   perfect-subtree storage model the server persists;
//! * [`note`]: C2SP tlog-checkpoint bodies signed as C2SP signed notes (Ed25519);
//! * [`verify`]: the checks `ratify audit verify` runs, in the order of
//!   `docs/audit-format.md`.

pub mod entry;
pub mod hash;
mod jcs;
pub mod merkle;
pub mod note;
pub mod time;
pub mod verify;

pub use entry::{Entry, EntryError, Link};
pub use hash::{empty_root, leaf_hash, node_hash, Hash};
pub use merkle::{
    prove_consistency, prove_inclusion, stored_hashes_for_append, tree_hash, verify_consistency,
    verify_inclusion, ConsistencyProof, Frontier, HashPlan, HashReader, InclusionProof,
    MemoryStore, NodeId, ProofError, StorageError, TreeError,
};
pub use note::{Checkpoint, NoteError, Signer, Verifier};
pub use time::Timestamp;
pub use verify::{verify_log, LogSummary, LogVerifier, VerifyError};
