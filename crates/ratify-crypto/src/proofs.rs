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

#[cfg(test)]
use crate::elgamal::double_and_encode;
use crate::elgamal::{g_table, generator, half, mul_g, mul_k, ElectionPublicKey};
use crate::encoding::{hex_scalar, Point};
use crate::hash::ChallengeHash;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroize;

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

/// The secret state of a 0-or-1 proof between its commitments and its
/// responses. Proving is split in two so that a whole ballot's points can
/// be encoded in one batch (`double_and_encode`) before any challenge is
/// computed.
pub(crate) struct ZeroOneCommit {
    real: [Choice; 2],
    s: [Scalar; 2],
    e: [Scalar; 2],
    r: Scalar,
    /// (a_0, b_0, a_1, b_1) / 2.
    pub halves: [RistrettoPoint; 4],
}

impl Drop for ZeroOneCommit {
    fn drop(&mut self) {
        self.s.zeroize();
        self.e.zeroize();
        self.r.zeroize();
    }
}

/// First half of proving that `ct` = Enc(m; r) with m ∈ {0, 1}, where
/// `one` is m = 1.
///
/// Constant time in m: both branches run the same operations. Branch j is
/// built as a_j = (s_j − e_j·r)·G, b_j = (s_j − e_j·r)·K − e_j·(m − j)·G with
/// e_j = 0 on the real branch and e_j = the simulated challenge on the
/// other; this equals the textbook simulation a_j = s_j·G − e_j·A,
/// b_j = s_j·K − e_j·(B − jG), but uses only fixed-base constant-time
/// multiplications. Exactly one of e_0·(m − 0) and e_1·(m − 1) is nonzero,
/// and their sum is T = e_0 − e_1, so T·G is computed once and subtracted
/// (with `subtle` selection) from the simulated branch's b_j only. The
/// random draws are the same for either m, and the real branch is chosen
/// with `subtle` selection, never a branch on m. Points are computed
/// halved (see `double_and_encode`).
pub(crate) fn commit_zero_one<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    one: Choice,
    r: &Scalar,
    rng: &mut R,
) -> ZeroOneCommit {
    let real = [!one, one];
    let s = [Scalar::random(rng), Scalar::random(rng)];
    let mut sim = [Scalar::random(rng), Scalar::random(rng)];
    let mut e = [Scalar::ZERO; 2];
    for j in 0..2 {
        e[j] = Scalar::conditional_select(&sim[j], &Scalar::ZERO, real[j]);
    }
    sim.zeroize();
    let h = half();
    let mut t = (e[0] - e[1]) * h;
    let th = mul_g(&t);
    t.zeroize();
    let mut halves = [RistrettoPoint::default(); 4];
    for j in 0..2 {
        let mut u = (s[j] - e[j] * r) * h;
        #[cfg(test)]
        crate::elgamal::trace::record("select");
        let tj = RistrettoPoint::conditional_select(&th, &RistrettoPoint::default(), real[j]);
        halves[2 * j] = mul_g(&u);
        halves[2 * j + 1] = mul_k(pk, &u) - tj;
        u.zeroize();
    }
    ZeroOneCommit {
        real,
        s,
        e,
        r: *r,
        halves,
    }
}

/// Second half: `points` are the encoded commitments (a_0, b_0, a_1, b_1),
/// `pre` the challenge context with the statement.
pub(crate) fn respond_zero_one(
    k: ZeroOneCommit,
    points: &[Point],
    pre: &ChallengeHash,
) -> ZeroOneProof {
    let [a0, b0, a1, b1] = [points[0], points[1], points[2], points[3]];
    let c = zero_one_challenge(pre, [&a0, &b0, &a1, &b1]);
    // The real branch takes whatever challenge is left over.
    let c0 = Scalar::conditional_select(&k.e[0], &(c - k.e[1]), k.real[0]);
    let cs = [c0, c - c0];
    let mut v = [Scalar::ZERO; 2];
    for j in 0..2 {
        let d = Scalar::conditional_select(&Scalar::ZERO, &cs[j], k.real[j]);
        v[j] = k.s[j] + d * k.r;
    }
    ZeroOneProof {
        a0,
        b0,
        a1,
        b1,
        c0,
        v0: v[0],
        v1: v[1],
    }
}

/// Proves that `ct` = Enc(m; r) with m ∈ {0, 1} in one go (tests).
#[cfg(test)]
pub(crate) fn prove_zero_one<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    one: Choice,
    r: &Scalar,
    pre: &ChallengeHash,
    rng: &mut R,
) -> ZeroOneProof {
    let k = commit_zero_one(pk, one, r, rng);
    let pts = double_and_encode(&k.halves);
    respond_zero_one(k, &pts, pre)
}

pub(crate) fn constant_challenge(pre: &ChallengeHash, t1: &Point, t2: &Point) -> Scalar {
    let mut h = pre.clone();
    h.point(t1).point(t2);
    h.challenge()
}

/// The secret state of a constant proof between commitments and response.
pub(crate) struct ConstantCommit {
    w: Scalar,
    r: Scalar,
    /// (t1, t2) / 2.
    pub halves: [RistrettoPoint; 2],
}

impl Drop for ConstantCommit {
    fn drop(&mut self) {
        self.w.zeroize();
        self.r.zeroize();
    }
}

pub(crate) fn commit_constant<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    r: &Scalar,
    rng: &mut R,
) -> ConstantCommit {
    let w = Scalar::random(rng);
    let mut wh = w * half();
    let halves = [mul_g(&wh), mul_k(pk, &wh)];
    wh.zeroize();
    ConstantCommit { w, r: *r, halves }
}

pub(crate) fn respond_constant(
    k: ConstantCommit,
    points: &[Point],
    pre: &ChallengeHash,
) -> ConstantProof {
    let (t1, t2) = (points[0], points[1]);
    let c = constant_challenge(pre, &t1, &t2);
    ConstantProof {
        t1,
        t2,
        v: k.w + c * k.r,
    }
}

#[cfg(test)]
pub(crate) fn prove_constant<R: CryptoRng + ?Sized>(
    pk: &ElectionPublicKey,
    r: &Scalar,
    pre: &ChallengeHash,
    rng: &mut R,
) -> ConstantProof {
    let k = commit_constant(pk, r, rng);
    let pts = double_and_encode(&k.halves);
    respond_constant(k, &pts, pre)
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
/// vartime multiscalar multiplication. Every proof's equations are
/// oriented so that its commitments get the bare random 128-bit weight as
/// coefficient (short scalars make dalek's Pippenger cheaper); the
/// coefficients of G and K are summed into one term each; the coefficients
/// of a statement's points (A, B) are returned to the caller, who merges
/// the contributions of every proof about the same ciphertext (a
/// selection's 0-or-1 proof and its question's sum proof) into one term.
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
            scalars: Vec::with_capacity(n + 2),
            points: Vec::with_capacity(n + 2),
        }
    }

    pub fn push(&mut self, s: Scalar, p: &RistrettoPoint) {
        self.scalars.push(s);
        self.points.push(*p);
    }

    /// The four equations of a 0-or-1 proof with challenge `c` about some
    /// (A, B):  a_0 + c_0·A − v_0·G = 0,  b_0 + c_0·B − v_0·K = 0,
    /// a_1 + c_1·A − v_1·G = 0,  b_1 + c_1·B − c_1·G − v_1·K = 0.
    /// Pushes the commitments; returns the coefficients of A and B.
    pub fn zero_one_terms<R: CryptoRng + ?Sized>(
        &mut self,
        p: &ZeroOneProof,
        c: Scalar,
        rng: &mut R,
    ) -> (Scalar, Scalar) {
        let z = [weight(rng), weight(rng), weight(rng), weight(rng)];
        let c1 = c - p.c0;
        self.g -= z[0] * p.v0 + z[2] * p.v1 + z[3] * c1;
        self.k -= z[1] * p.v0 + z[3] * p.v1;
        self.push(z[0], p.a0.point());
        self.push(z[1], p.b0.point());
        self.push(z[2], p.a1.point());
        self.push(z[3], p.b1.point());
        (z[0] * p.c0 + z[2] * c1, z[1] * p.c0 + z[3] * c1)
    }

    /// The two equations of a constant proof (constant L) about some
    /// (A, B):  t1 + c·A − v·G = 0,  t2 + c·B − c·L·G − v·K = 0.
    pub fn constant_terms<R: CryptoRng + ?Sized>(
        &mut self,
        constant: u64,
        p: &ConstantProof,
        c: Scalar,
        rng: &mut R,
    ) -> (Scalar, Scalar) {
        let z = [weight(rng), weight(rng)];
        self.g -= z[0] * p.v + z[1] * c * Scalar::from(constant);
        self.k -= z[1] * p.v;
        self.push(z[0], p.t1.point());
        self.push(z[1], p.t2.point());
        (z[0] * c, z[1] * c)
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
