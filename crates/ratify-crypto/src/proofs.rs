//! Zero-knowledge proofs (all non-interactive, Fiat–Shamir with SHA-512).
//!
//! * `ZeroOneProof`: a disjunctive Chaum–Pedersen proof that (A, B)
//!   encrypts 0 or 1 (Cramer–Damgård–Schoenmakers OR-composition).
//! * `ConstantProof`: a Chaum–Pedersen proof that (A, B) encrypts a known
//!   constant L.
//! * `DleqProof`: log_{g1}(h1) = log_{g2}(h2) (decryption shares, complaints).
//! * `SchnorrProof`: knowledge of x with X = xG (proofs of possession,
//!   proofs of knowledge of a constant term, signatures).
//!
//! Proofs carry their commitments (not only the challenges), so that a
//! verifier can fold many of them into one multiscalar multiplication
//! (`Msm`), weighting every equation with an independent random 128-bit
//! scalar.

use crate::elgamal::{g_table, generator, mul_g, mul_k, ElectionPublicKey};
use crate::encoding::{hex_scalar, Point};
use crate::hash::ChallengeHash;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use subtle::{Choice, ConditionallySelectable};

/// Proof that a ciphertext encrypts 0 or 1. Branch j ∈ {0, 1} claims
/// B − jG = r·K with A = r·G; (a_j, b_j) are its commitments, c_j its
/// challenge (c_1 = c − c_0, c = H(context, A, B, a_0, b_0, a_1, b_1)) and
/// v_j its response:  v_j·G = a_j + c_j·A  and  v_j·K = b_j + c_j·(B − jG).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZeroOneProof {
    pub a0: Point,
    pub b0: Point,
    pub a1: Point,
    pub b1: Point,
    #[serde(with = "hex_scalar")]
    pub c0: Scalar,
    #[serde(with = "hex_scalar")]
    pub v0: Scalar,
    #[serde(with = "hex_scalar")]
    pub v1: Scalar,
}

/// Proof that a ciphertext encrypts the constant L:
/// v·G = t1 + c·A and v·K = t2 + c·(B − L·G), c = H(context, A, B, t1, t2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstantProof {
    pub t1: Point,
    pub t2: Point,
    #[serde(with = "hex_scalar")]
    pub v: Scalar,
}

/// Proof that log_{g1}(h1) = log_{g2}(h2):
/// v·g1 = t1 + c·h1 and v·g2 = t2 + c·h2, c = H(context, g1, h1, g2, h2, t1, t2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DleqProof {
    pub t1: Point,
    pub t2: Point,
    #[serde(with = "hex_scalar")]
    pub v: Scalar,
}

/// Schnorr proof of knowledge of x with X = x·G: v·G = t + c·X,
/// c = H(context, X, t).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchnorrProof {
    pub t: Point,
    #[serde(with = "hex_scalar")]
    pub v: Scalar,
}

/// `pre` already holds the statement: for a selection its (A, B); for a
/// sum, every selection's (A, B) (the sum itself is never encoded).
pub(crate) fn zero_one_challenge(pre: &ChallengeHash, p: [&Point; 4]) -> Scalar {
    let mut h = pre.clone();
    for q in p {
        h.point(q);
    }
    h.challenge()
}

/// Proves that `ct` = Enc(m; r) with m ∈ {0, 1}, where `one` is m = 1.
///
/// Constant time in m: both branches run the same operations. Branch j is
/// built as a_j = (s_j − e_j·r)·G, b_j = (s_j − e_j·r)·K − e_j·(m − j)·G with
/// e_j = 0 on the real branch and e_j = the simulated challenge on the
/// other; this equals the textbook simulation a_j = s_j·G − e_j·A,
/// b_j = s_j·K − e_j·(B − jG), but uses only fixed-base constant-time
/// multiplications. The random draws are the same for either m, and the
/// real branch is chosen with `subtle` selection, never a branch on m.
pub(crate) fn prove_zero_one<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    one: Choice,
    r: &Scalar,
    pre: &ChallengeHash,
    rng: &mut R,
) -> ZeroOneProof {
    let m = Scalar::conditional_select(&Scalar::ZERO, &Scalar::ONE, one);
    let real = [!one, one];
    let s = [Scalar::random(rng), Scalar::random(rng)];
    let sim = [Scalar::random(rng), Scalar::random(rng)];
    let mut commit = [[Point::identity(); 2]; 2];
    let mut e = [Scalar::ZERO; 2];
    for j in 0..2 {
        e[j] = Scalar::conditional_select(&sim[j], &Scalar::ZERO, real[j]);
        let u = s[j] - e[j] * r;
        let mj = m - Scalar::from(j as u64);
        commit[j][0] = Point::new(mul_g(&u));
        commit[j][1] = Point::new(mul_k(pk, &u) - mul_g(&(e[j] * mj)));
    }
    let c = zero_one_challenge(
        pre,
        [&commit[0][0], &commit[0][1], &commit[1][0], &commit[1][1]],
    );
    // The real branch takes whatever challenge is left over.
    let c0 = Scalar::conditional_select(&e[0], &(c - e[1]), real[0]);
    let cs = [c0, c - c0];
    let mut v = [Scalar::ZERO; 2];
    for j in 0..2 {
        let d = Scalar::conditional_select(&Scalar::ZERO, &cs[j], real[j]);
        v[j] = s[j] + d * r;
    }
    ZeroOneProof {
        a0: commit[0][0],
        b0: commit[0][1],
        a1: commit[1][0],
        b1: commit[1][1],
        c0,
        v0: v[0],
        v1: v[1],
    }
}

pub(crate) fn constant_challenge(pre: &ChallengeHash, t1: &Point, t2: &Point) -> Scalar {
    let mut h = pre.clone();
    h.point(t1).point(t2);
    h.challenge()
}

pub(crate) fn prove_constant<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    r: &Scalar,
    pre: &ChallengeHash,
    rng: &mut R,
) -> ConstantProof {
    let w = Scalar::random(rng);
    let t1 = Point::new(mul_g(&w));
    let t2 = Point::new(mul_k(pk, &w));
    let c = constant_challenge(pre, &t1, &t2);
    ConstantProof {
        t1,
        t2,
        v: w + c * r,
    }
}

pub(crate) fn dleq_challenge(
    pre: &ChallengeHash,
    g1: &Point,
    h1: &Point,
    g2: &Point,
    h2: &Point,
    t1: &Point,
    t2: &Point,
) -> Scalar {
    let mut h = pre.clone();
    h.point(g1)
        .point(h1)
        .point(g2)
        .point(h2)
        .point(t1)
        .point(t2);
    h.challenge()
}

/// DLEQ proof with a caller-supplied nonce `w` (the trustee code derives it
/// deterministically from the secret seed and the statement).
pub(crate) fn prove_dleq(
    pre: &ChallengeHash,
    x: &Scalar,
    w: &Scalar,
    g1: &Point,
    h1: &Point,
    g2: &Point,
    h2: &Point,
) -> DleqProof {
    let t1 = Point::new(g1.point() * w);
    let t2 = Point::new(g2.point() * w);
    let c = dleq_challenge(pre, g1, h1, g2, h2, &t1, &t2);
    DleqProof {
        t1,
        t2,
        v: w + c * x,
    }
}

pub(crate) fn verify_dleq(
    pre: &ChallengeHash,
    g1: &Point,
    h1: &Point,
    g2: &Point,
    h2: &Point,
    p: &DleqProof,
) -> bool {
    let c = dleq_challenge(pre, g1, h1, g2, h2, &p.t1, &p.t2);
    let e1 = RistrettoPoint::vartime_multiscalar_mul([p.v, -c], [*g1.point(), *h1.point()]);
    let e2 = RistrettoPoint::vartime_multiscalar_mul([p.v, -c], [*g2.point(), *h2.point()]);
    e1 == *p.t1.point() && e2 == *p.t2.point()
}

pub(crate) fn schnorr_challenge(pre: &ChallengeHash, x: &Point, t: &Point) -> Scalar {
    let mut h = pre.clone();
    h.point(x).point(t);
    h.challenge()
}

pub(crate) fn prove_schnorr(
    pre: &ChallengeHash,
    x: &Scalar,
    w: &Scalar,
    public: &Point,
) -> SchnorrProof {
    let t = Point::new(g_table() * w);
    let c = schnorr_challenge(pre, public, &t);
    SchnorrProof { t, v: w + c * x }
}

pub(crate) fn verify_schnorr(pre: &ChallengeHash, public: &Point, p: &SchnorrProof) -> bool {
    let c = schnorr_challenge(pre, public, &p.t);
    RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, public.point(), &p.v) == *p.t.point()
}

/// Accumulates weighted verification equations Σ s_i·P_i = 0 for one
/// vartime multiscalar multiplication. The coefficients of G and K are
/// summed separately, so each proof adds only its own points.
pub(crate) struct Msm {
    g: Scalar,
    k: Scalar,
    scalars: Vec<Scalar>,
    points: Vec<RistrettoPoint>,
}

fn weight<R: CryptoRng + ?Sized>(rng: &mut R) -> Scalar {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    Scalar::from(u128::from_le_bytes(b))
}

impl Msm {
    pub fn with_capacity(n: usize) -> Self {
        Msm {
            g: Scalar::ZERO,
            k: Scalar::ZERO,
            scalars: Vec::with_capacity(n),
            points: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, s: Scalar, p: &Point) {
        self.scalars.push(s);
        self.points.push(*p.point());
    }

    fn push_raw(&mut self, s: Scalar, p: &RistrettoPoint) {
        self.scalars.push(s);
        self.points.push(*p);
    }

    /// (a, b) is the ciphertext the proof is about.
    pub fn add_zero_one<R: CryptoRng + ?Sized>(
        &mut self,
        a: &RistrettoPoint,
        b: &RistrettoPoint,
        p: &ZeroOneProof,
        c: Scalar,
        rng: &mut R,
    ) {
        let z = [weight(rng), weight(rng), weight(rng), weight(rng)];
        let c1 = c - p.c0;
        self.g += z[0] * p.v0 + z[2] * p.v1 + z[3] * c1;
        self.k += z[1] * p.v0 + z[3] * p.v1;
        self.push(-z[0], &p.a0);
        self.push(-z[1], &p.b0);
        self.push(-z[2], &p.a1);
        self.push(-z[3], &p.b1);
        self.push_raw(-(z[0] * p.c0 + z[2] * c1), a);
        self.push_raw(-(z[1] * p.c0 + z[3] * c1), b);
    }

    pub fn add_constant<R: CryptoRng + ?Sized>(
        &mut self,
        a: &RistrettoPoint,
        b: &RistrettoPoint,
        constant: u64,
        p: &ConstantProof,
        c: Scalar,
        rng: &mut R,
    ) {
        let z = [weight(rng), weight(rng)];
        self.g += z[0] * p.v + z[1] * c * Scalar::from(constant);
        self.k += z[1] * p.v;
        self.push(-z[0], &p.t1);
        self.push(-z[1], &p.t2);
        self.push_raw(-(z[0] * c), a);
        self.push_raw(-(z[1] * c), b);
    }

    pub fn holds(self, pk: &ElectionPublicKey) -> bool {
        let Msm {
            g,
            k,
            mut scalars,
            mut points,
        } = self;
        scalars.push(g);
        points.push(generator());
        scalars.push(k);
        points.push(*pk.point().point());
        RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity()
    }
}
