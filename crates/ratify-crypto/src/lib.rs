//! ratify-crypto: ballot encryption and proofs, batch verification, and the
//! trustees' dealerless k-of-n key ceremony and threshold decryption.
//!
//! docs/crypto.md describes the mathematics, the exact bytes hashed for every
//! challenge, the encodings, and test vectors.

mod ballot;
mod bsgs;
mod elgamal;
mod encoding;
mod error;
mod hash;
mod proofs;
pub mod trustee;

#[cfg(feature = "os-rng")]
pub use ballot::verify_ballots_batch_parallel;
pub use ballot::{
    aggregate, encrypt_ballot, verify_ballot, verify_ballots_batch,
    verify_ballots_batch_parallel_with_rng, Aggregator, ElectionContext, EncryptedAnswer,
    EncryptedBallot, EncryptedSelection, EncryptedTotals, QuestionShape, QuestionTotals, SumProof,
    BATCH_CHUNK,
};
pub use bsgs::DlogTable;
pub use elgamal::{generator, Ciphertext, ElectionPublicKey};
pub use encoding::{scalar_from_hex, NonIdentity, Point, V1};
pub use error::CryptoError;
pub use proofs::{ConstantProof, DleqProof, SchnorrProof, ZeroOneProof};
pub use trustee::*;

pub use curve25519_dalek::{ristretto::RistrettoPoint, scalar::Scalar};
pub use rand_core::{CryptoRng, Rng};

/// The operating system's RNG, as a `CryptoRng` (panics if the OS cannot
/// supply randomness, which no caller can recover from anyway).
#[cfg(feature = "os-rng")]
pub fn os_rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

#[cfg(test)]
mod tests;
