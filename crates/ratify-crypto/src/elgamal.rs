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

    /// Whether `other` is a clone of this key sharing its fixed-base table
    /// (so the table is built once for both).
    pub fn shares_table_with(&self, other: &ElectionPublicKey) -> bool {
        Arc::ptr_eq(&self.table, &other.table)
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

/// 1/2 mod ℓ.
pub(crate) fn half() -> &'static Scalar {
    static HALF: OnceLock<Scalar> = OnceLock::new();
    HALF.get_or_init(|| Scalar::from(2u64).invert())
}

/// G/2, the point whose double is G.
pub(crate) fn half_g() -> &'static RistrettoPoint {
    static HALF_G: OnceLock<RistrettoPoint> = OnceLock::new();
    HALF_G.get_or_init(|| g_table() * half())
}

/// Encodes the doubles of `halves` with one field inversion for the whole
/// batch (dalek's `double_and_compress_batch`, constant time: it uses only
/// conditional assignments and a constant-time batch inversion). The
/// prover computes every point P it publishes as P/2 (multiplying by
/// scalar/2), so that the encoding of P costs a few field multiplications
/// instead of an inverse square root each.
pub(crate) fn double_and_encode(halves: &[RistrettoPoint]) -> Vec<Point> {
    #[cfg(test)]
    trace::record("double_and_compress_batch");
    RistrettoPoint::double_and_compress_batch(halves)
        .into_iter()
        .zip(halves)
        .map(|(c, h)| Point::from_parts(h + h, c.to_bytes()))
        .collect()
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

    /// Half of the encryption of a bit, (A/2, B/2) = ((r/2)·G, m·G/2 +
    /// (r/2)·K): m·G/2 is chosen between the identity and G/2 with
    /// `subtle` selection, so no multiplication depends on m. The caller
    /// doubles and encodes the points in a batch (`double_and_encode`).
    pub(crate) fn encrypt_bit_halves(
        pk: &ElectionPublicKey,
        bit: subtle::Choice,
        r: &Scalar,
    ) -> [RistrettoPoint; 2] {
        use subtle::ConditionallySelectable;
        #[cfg(test)]
        trace::record("select");
        let mg = RistrettoPoint::conditional_select(&RistrettoPoint::default(), half_g(), bit);
        let rh = r * half();
        let a = mul_g(&rh);
        let b = mg + mul_k(pk, &rh);
        [a, b]
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
