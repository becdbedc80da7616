//! Exponential ElGamal on Ristretto255: m ↦ (A, B) = (rG, mG + rK).

use crate::encoding::{NonIdentity, Point};
use crate::error::CryptoError;
use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Arc, OnceLock};

/// The generator G (the Ristretto255 basepoint).
pub fn generator() -> RistrettoPoint {
    RISTRETTO_BASEPOINT_POINT
}

pub(crate) fn g_table() -> &'static RistrettoBasepointTable {
    RISTRETTO_BASEPOINT_TABLE
}

/// The election key K. Holds a lazily built fixed-base table for K so that
/// the constant-time multiplications r·K in encryption and proofs cost what
/// r·G costs.
#[derive(Clone)]
pub struct ElectionPublicKey {
    key: NonIdentity,
    table: Arc<OnceLock<RistrettoBasepointTable>>,
}

impl ElectionPublicKey {
    pub fn new(key: NonIdentity) -> Self {
        ElectionPublicKey {
            key,
            table: Arc::new(OnceLock::new()),
        }
    }

    pub fn from_point(p: RistrettoPoint) -> Result<Self, CryptoError> {
        NonIdentity::new(Point::new(p))
            .map(ElectionPublicKey::new)
            .ok_or_else(|| CryptoError::encoding("election key", "the identity is not a valid key"))
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        NonIdentity::new(Point::from_hex(s)?)
            .map(ElectionPublicKey::new)
            .ok_or_else(|| CryptoError::encoding("election key", "the identity is not a valid key"))
    }

    pub fn point(&self) -> &Point {
        self.key.get()
    }

    pub fn to_hex(&self) -> String {
        self.key.get().to_hex()
    }

    pub(crate) fn table(&self) -> &RistrettoBasepointTable {
        self.table
            .get_or_init(|| RistrettoBasepointTable::create(self.key.get().point()))
    }
}

/// Constant-time fixed-base multiplications. Under `cfg(test)` each call is
/// recorded so tests can check that the sequence of group operations does
/// not depend on a member's choice.
pub(crate) fn mul_g(s: &Scalar) -> RistrettoPoint {
    #[cfg(test)]
    trace::record("mul_g");
    g_table() * s
}

pub(crate) fn mul_k(pk: &ElectionPublicKey, s: &Scalar) -> RistrettoPoint {
    #[cfg(test)]
    trace::record("mul_k");
    pk.table() * s
}

#[cfg(test)]
pub(crate) mod trace {
    use std::cell::RefCell;
    thread_local!(static OPS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) });
    pub fn record(op: &'static str) {
        OPS.with(|o| o.borrow_mut().push(op));
    }
    pub fn take() -> Vec<&'static str> {
        OPS.with(|o| std::mem::take(&mut *o.borrow_mut()))
    }
}

impl PartialEq for ElectionPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for ElectionPublicKey {}

impl std::fmt::Debug for ElectionPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ElectionPublicKey({})", self.to_hex())
    }
}

impl Serialize for ElectionPublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.key.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ElectionPublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ElectionPublicKey::new(NonIdentity::deserialize(d)?))
    }
}

/// An ElGamal ciphertext (A, B).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ciphertext {
    pub a: Point,
    pub b: Point,
}

impl Ciphertext {
    /// Encrypts m·G with nonce r, in constant time in m and r.
    #[cfg(test)]
    pub(crate) fn encrypt(pk: &ElectionPublicKey, m: &Scalar, r: &Scalar) -> Ciphertext {
        let a = mul_g(r);
        let b = mul_g(m) + mul_k(pk, r);
        Ciphertext {
            a: Point::new(a),
            b: Point::new(b),
        }
    }

    /// Encrypts a bit: m·G is chosen between the identity and G with
    /// `subtle` selection, so no multiplication depends on m.
    pub(crate) fn encrypt_bit(
        pk: &ElectionPublicKey,
        bit: subtle::Choice,
        r: &Scalar,
    ) -> Ciphertext {
        use subtle::ConditionallySelectable;
        let mg = RistrettoPoint::conditional_select(
            &RistrettoPoint::default(),
            &RISTRETTO_BASEPOINT_POINT,
            bit,
        );
        let a = mul_g(r);
        let b = mg + mul_k(pk, r);
        Ciphertext {
            a: Point::new(a),
            b: Point::new(b),
        }
    }

    /// The sums (ΣA, ΣB), uncompressed.
    pub(crate) fn sum_points<'a>(
        cts: impl IntoIterator<Item = &'a Ciphertext>,
    ) -> (RistrettoPoint, RistrettoPoint) {
        cts.into_iter().fold(
            (RistrettoPoint::default(), RistrettoPoint::default()),
            |(a, b), c| (a + c.a.point(), b + c.b.point()),
        )
    }

    /// The component-wise sum of ciphertexts: an encryption of the sum.
    pub fn sum<'a>(cts: impl IntoIterator<Item = &'a Ciphertext>) -> Ciphertext {
        let (a, b) = cts.into_iter().fold(
            (RistrettoPoint::default(), RistrettoPoint::default()),
            |(a, b), c| (a + c.a.point(), b + c.b.point()),
        );
        Ciphertext {
            a: Point::new(a),
            b: Point::new(b),
        }
    }
}
