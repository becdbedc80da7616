//! Fiat–Shamir and digests. Every hash starts with a domain tag and then
//! length-prefixed items, so no two different sequences of inputs hash the
//! same bytes (docs/crypto.md, "Hashing").
//!
//! bytes = u64be(len(tag)) || tag || for each item: u64be(len(item)) || item
//!
//! Challenges and derived scalars are SHA-512(bytes) read as a 512-bit
//! little-endian integer reduced modulo the group order; digests are
//! SHA-256(bytes).

use crate::encoding::Point;
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha256, Sha512};

#[derive(Clone)]
pub(crate) struct Transcript<D: Digest> {
    h: D,
}

pub(crate) type ChallengeHash = Transcript<Sha512>;
pub(crate) type DigestHash = Transcript<Sha256>;

impl<D: Digest> Transcript<D> {
    pub fn new(tag: &str) -> Self {
        let mut t = Transcript { h: D::new() };
        t.bytes(tag.as_bytes());
        t
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.h.update((b.len() as u64).to_be_bytes());
        self.h.update(b);
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    pub fn point(&mut self, p: &Point) -> &mut Self {
        self.bytes(p.bytes())
    }

    pub fn scalar(&mut self, s: &Scalar) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Integers are items of 8 bytes, big-endian.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
}

impl Transcript<Sha512> {
    pub fn challenge(self) -> Scalar {
        let out = self.h.finalize();
        let mut wide = [0u8; 64];
        wide.copy_from_slice(&out);
        Scalar::from_bytes_mod_order_wide(&wide)
    }
}

impl Transcript<Sha256> {
    pub fn digest(self) -> [u8; 32] {
        let out = self.h.finalize();
        let mut d = [0u8; 32];
        d.copy_from_slice(&out);
        d
    }
}
