//! The trustees' key ceremony (dealerless k-of-n, Pedersen's DKG with
//! Feldman commitments) and threshold decryption. docs/crypto.md, "Key
//! ceremony", gives the protocol; docs/trustee-guide.md the commands.
//!
//! Everything a trustee computes is derived from one 32-byte secret seed
//! (secret.key) and the public inputs (the roster, the tally), so the
//! offline commands keep no state between steps and the same inputs always
//! give the same files.

use crate::ballot::EncryptedTotals;
use crate::bsgs::DlogTable;
use crate::elgamal::{g_table, generator, ElectionPublicKey};
use crate::encoding::{file_tag, hex32, hex_bytes32, hex_vec, NonIdentity, Point, V1};
use crate::error::CryptoError;
use crate::hash::{ChallengeHash, DigestHash};
use crate::proofs::{
    prove_dleq, prove_schnorr, verify_dleq, verify_schnorr, DleqProof, SchnorrProof,
};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use hkdf::Hkdf;
use rand_core::CryptoRng;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;
use zeroize::{Zeroize, Zeroizing};

file_tag!(SecretTag, "trustee-secret");
file_tag!(PublicTag, "trustee-public");
file_tag!(RosterTag, "trustee-roster");
file_tag!(DealTag, "trustee-deal");
file_tag!(ConfirmationTag, "trustee-confirmation");
file_tag!(ComplaintTag, "trustee-complaint");
file_tag!(TallyTag, "tally-request");
file_tag!(ShareTag, "decryption-share");
file_tag!(KeysTag, "election-keys");

// ---------------------------------------------------------------- identity

/// A trustee's long-term secret: a 32-byte seed. Every secret scalar the
/// trustee uses is derived from it. `Debug` never prints it.
#[derive(Clone)]
pub struct TrusteeSecret {
    seed: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for TrusteeSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrusteeSecret([redacted])")
    }
}

#[derive(Serialize, Deserialize)]
struct SecretFile {
    #[serde(rename = "type")]
    kind: SecretTag,
    version: V1,
    seed: String,
}

impl TrusteeSecret {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut seed[..]);
        TrusteeSecret { seed }
    }

    pub fn from_seed(seed: [u8; 32]) -> Self {
        TrusteeSecret {
            seed: Zeroizing::new(seed),
        }
    }

    /// H("ratify/v1/trustee/derive", seed, label, items...) mod ℓ.
    pub(crate) fn derive(&self, label: &str, items: &[&[u8]]) -> Scalar {
        let mut h = ChallengeHash::new("ratify/v1/trustee/derive");
        h.bytes(&self.seed[..]).str(label);
        for i in items {
            h.bytes(i);
        }
        h.challenge()
    }

    fn identity_secret(&self) -> Scalar {
        self.derive("identity", &[])
    }

    pub(crate) fn receive_secret(&self) -> Scalar {
        self.derive("receive", &[])
    }

    /// The public file for this secret (deterministic).
    pub fn public(&self) -> TrusteePublic {
        let mut x = self.identity_secret();
        let mut e = self.receive_secret();
        let identity_key = Point::new(g_table() * &x);
        let receive_key = Point::new(g_table() * &e);
        let (pi, pr) = pop_contexts(&identity_key, &receive_key);
        let identity_proof = prove_schnorr(
            &pi,
            &x,
            &self.derive("pop-nonce", &[b"identity"]),
            &identity_key,
        );
        let receive_proof = prove_schnorr(
            &pr,
            &e,
            &self.derive("pop-nonce", &[b"receive"]),
            &receive_key,
        );
        x.zeroize();
        e.zeroize();
        TrusteePublic {
            kind: PublicTag,
            version: V1,
            identity_key: NonIdentity::new(identity_key).expect("nonzero secret"),
            receive_key: NonIdentity::new(receive_key).expect("nonzero secret"),
            identity_proof,
            receive_proof,
        }
    }

    /// The contents of secret.key (JSON with the seed in hex).
    pub fn to_file_json(&self) -> Zeroizing<String> {
        let f = SecretFile {
            kind: SecretTag,
            version: V1,
            seed: hex::encode(&self.seed[..]),
        };
        let s = Zeroizing::new(serde_json::to_string_pretty(&f).expect("serializable"));
        let SecretFile { mut seed, .. } = f;
        seed.zeroize();
        s
    }

    pub fn from_file_json(s: &str) -> Result<Self, CryptoError> {
        let mut f: SecretFile = serde_json::from_str(s).map_err(|e| CryptoError::Json {
            what: "secret.key".into(),
            reason: e.to_string(),
        })?;
        let seed = hex32(&f.seed).map_err(|r| CryptoError::encoding("secret.key seed", r));
        f.seed.zeroize();
        Ok(TrusteeSecret::from_seed(seed?))
    }
}

fn pop_contexts(identity: &Point, receive: &Point) -> (ChallengeHash, ChallengeHash) {
    let mut pi = ChallengeHash::new("ratify/v1/trustee/pop/identity");
    pi.point(receive);
    let mut pr = ChallengeHash::new("ratify/v1/trustee/pop/receive");
    pr.point(identity);
    (pi, pr)
}

/// `ratify trustee keygen`: a new long-term identity.
pub fn keygen<R: CryptoRng + ?Sized>(rng: &mut R) -> (TrusteeSecret, TrusteePublic) {
    let s = TrusteeSecret::generate(rng);
    let p = s.public();
    (s, p)
}

/// public.json: the identity key (signs deals, confirmations, complaints)
/// and the receiving key (other trustees encrypt shares to it), each with a
/// proof of possession bound to the other key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrusteePublic {
    #[serde(rename = "type")]
    pub kind: PublicTag,
    pub version: V1,
    pub identity_key: NonIdentity,
    pub receive_key: NonIdentity,
    pub identity_proof: SchnorrProof,
    pub receive_proof: SchnorrProof,
}

impl TrusteePublic {
    pub fn verify(&self) -> Result<(), String> {
        let (pi, pr) = pop_contexts(self.identity_key.get(), self.receive_key.get());
        if !verify_schnorr(&pi, self.identity_key.get(), &self.identity_proof) {
            return Err("the proof of possession of the identity key does not verify".into());
        }
        if !verify_schnorr(&pr, self.receive_key.get(), &self.receive_proof) {
            return Err("the proof of possession of the receiving key does not verify".into());
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ roster

/// What the server hands the trustees: the election, k and n, the public
/// files in index order (trustee j is `public[j - 1]`), and everything
/// registered so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    #[serde(rename = "type")]
    pub kind: RosterTag,
    pub version: V1,
    pub election_id: String,
    /// k: how many trustees are needed to decrypt.
    pub decrypt_threshold: u32,
    /// n: how many trustees there are.
    pub trustees: u32,
    pub public: Vec<TrusteePublic>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub confirmations: Vec<Confirmation>,
    #[serde(default)]
    pub complaints: Vec<Complaint>,
}

impl Roster {
    pub fn new(election_id: impl Into<String>, decrypt_threshold: u32, trustees: u32) -> Self {
        Roster {
            kind: RosterTag,
            version: V1,
            election_id: election_id.into(),
            decrypt_threshold,
            trustees,
            public: Vec::new(),
            deals: Vec::new(),
            confirmations: Vec::new(),
            complaints: Vec::new(),
        }
    }

    /// Binds deals, confirmations and complaints to this exact set of
    /// trustees: SHA-256 transcript of the election id, k, n and every
    /// trustee's two keys.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/roster");
        h.str(&self.election_id)
            .u64(self.decrypt_threshold as u64)
            .u64(self.trustees as u64)
            .u64(self.public.len() as u64);
        for p in &self.public {
            h.point(p.identity_key.get()).point(p.receive_key.get());
        }
        h.digest()
    }

    /// k and n are sane and all n public files are present and valid.
    pub fn check_complete(&self) -> Result<(), CryptoError> {
        let (k, n) = (self.decrypt_threshold, self.trustees);
        if k == 0 || k > n {
            return Err(CryptoError::Roster(format!(
                "threshold {k} must be between 1 and the number of trustees {n}"
            )));
        }
        if self.public.len() != n as usize {
            return Err(CryptoError::Roster(format!(
                "{} of {n} trustees have registered a public key",
                self.public.len()
            )));
        }
        for (i, p) in self.public.iter().enumerate() {
            p.verify().map_err(|reason| CryptoError::Trustee {
                trustee: i as u32 + 1,
                reason,
            })?;
            for (j, q) in self.public[..i].iter().enumerate() {
                if p.identity_key == q.identity_key || p.receive_key == q.receive_key {
                    return Err(CryptoError::Roster(format!(
                        "trustees {} and {} have the same key",
                        j + 1,
                        i + 1
                    )));
                }
            }
        }
        Ok(())
    }

    /// The index (1..n) of the trustee holding `secret`.
    pub fn index_of(&self, secret: &TrusteeSecret) -> Result<u32, CryptoError> {
        let me = secret.public();
        self.index_of_public(&me).ok_or(CryptoError::NotOnRoster)
    }

    pub fn index_of_public(&self, p: &TrusteePublic) -> Option<u32> {
        self.public
            .iter()
            .position(|q| q.identity_key == p.identity_key)
            .map(|i| i as u32 + 1)
    }

    pub(crate) fn trustee(&self, j: u32) -> &TrusteePublic {
        &self.public[j as usize - 1]
    }

    fn deal_from(&self, dealer: u32) -> Result<&Deal, CryptoError> {
        let mut it = self.deals.iter().filter(|d| d.dealer == dealer);
        let d = it.next().ok_or(CryptoError::NotDealt { dealer })?;
        if it.next().is_some() {
            return Err(CryptoError::Roster(format!(
                "trustee {dealer} has more than one deal"
            )));
        }
        Ok(d)
    }
}

// -------------------------------------------------------------------- deal

/// One share f_i(j), encrypted to trustee j's receiving key E_j:
/// S = r·E_j with ephemeral R = r·G; key = HKDF-SHA256(S); ChaCha20-Poly1305.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedShare {
    pub recipient: u32,
    pub ephemeral: NonIdentity,
    #[serde(with = "hex_vec")]
    pub ciphertext: Vec<u8>,
}

/// `ratify trustee deal` output: dealer i's Feldman commitments
/// C_l = a_l·G (l = 0..k−1), a proof of knowledge of a_0, the encrypted
/// shares f_i(j) for every other trustee j, and a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    #[serde(rename = "type")]
    pub kind: DealTag,
    pub version: V1,
    pub election_id: String,
    #[serde(with = "hex_bytes32")]
    pub roster_digest: [u8; 32],
    pub dealer: u32,
    pub commitments: Vec<Point>,
    pub constant_proof: SchnorrProof,
    pub shares: Vec<EncryptedShare>,
    pub signature: SchnorrProof,
}

impl Deal {
    /// SHA-256 of everything but the signature.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/deal");
        h.str(&self.election_id)
            .bytes(&self.roster_digest)
            .u64(self.dealer as u64);
        h.u64(self.commitments.len() as u64);
        for c in &self.commitments {
            h.point(c);
        }
        h.point(&self.constant_proof.t)
            .scalar(&self.constant_proof.v);
        h.u64(self.shares.len() as u64);
        for s in &self.shares {
            h.u64(s.recipient as u64)
                .point(s.ephemeral.get())
                .bytes(&s.ciphertext);
        }
        h.digest()
    }
}

fn signature_context(what: &str, digest: &[u8; 32]) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/trustee/signature");
    h.str(what).bytes(digest);
    h
}

/// A trustee's signature on one of its files: a Schnorr proof with the
/// identity key over H("ratify/v1/trustee/signature"; what, digest, X, t),
/// `what` being `deal`, `confirmation` or `complaint` (docs/crypto.md).
/// Public so that tests outside this crate can make a file that is signed
/// but wrong in another way, as a cheating trustee's own program would.
pub fn sign(secret: &TrusteeSecret, what: &str, digest: &[u8; 32]) -> SchnorrProof {
    let mut x = secret.identity_secret();
    let public = Point::new(g_table() * &x);
    let w = secret.derive("signature-nonce", &[what.as_bytes(), digest]);
    let sig = prove_schnorr(&signature_context(what, digest), &x, &w, &public);
    x.zeroize();
    sig
}

fn verify_signature(
    public: &TrusteePublic,
    what: &str,
    digest: &[u8; 32],
    sig: &SchnorrProof,
) -> bool {
    verify_schnorr(
        &signature_context(what, digest),
        public.identity_key.get(),
        sig,
    )
}

fn pok_context(election_id: &str, roster_digest: &[u8; 32], dealer: u32) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/dkg/constant-term");
    h.str(election_id).bytes(roster_digest).u64(dealer as u64);
    h
}

/// The binding of one encrypted share: SHA-256 transcript of the election,
/// roster, dealer, recipient, ephemeral key and recipient's receiving key.
/// It is HKDF's `info` and the AEAD's associated data.
pub(crate) fn share_binding(
    election_id: &str,
    rd: &[u8; 32],
    dealer: u32,
    recipient: u32,
    eph: &Point,
    recv: &Point,
) -> [u8; 32] {
    let mut h = DigestHash::new("ratify/v1/dkg/share");
    h.str(election_id)
        .bytes(rd)
        .u64(dealer as u64)
        .u64(recipient as u64)
        .point(eph)
        .point(recv);
    h.digest()
}

pub(crate) fn share_cipher(shared: &Point, binding: &[u8; 32]) -> ChaCha20Poly1305 {
    let hk = Hkdf::<Sha256>::new(Some(b"ratify/v1/dkg/share-key"), shared.bytes());
    let mut key = Zeroizing::new([0u8; 32]);
    hk.expand(binding, &mut key[..])
        .expect("32 bytes is a valid HKDF-SHA256 length");
    ChaCha20Poly1305::new_from_slice(&key[..]).expect("32-byte key")
}

/// Evaluates Σ a_l·x^l (Horner).
pub(crate) fn eval_poly(coeffs: &[Scalar], x: u32) -> Scalar {
    let x = Scalar::from(x as u64);
    coeffs.iter().rev().fold(Scalar::ZERO, |acc, a| acc * x + a)
}

/// Σ C_l·x^l: the public image of f(x).
fn eval_commitments(commitments: &[Point], x: u32) -> RistrettoPoint {
    let x = Scalar::from(x as u64);
    let mut pow = Scalar::ONE;
    let mut scalars = Vec::with_capacity(commitments.len());
    for _ in commitments {
        scalars.push(pow);
        pow *= x;
    }
    RistrettoPoint::vartime_multiscalar_mul(scalars, commitments.iter().map(|c| *c.point()))
}

pub(crate) fn coefficients(secret: &TrusteeSecret, roster: &Roster) -> Zeroizing<Vec<Scalar>> {
    let rd = roster.digest();
    Zeroizing::new(
        (0..roster.decrypt_threshold as u64)
            .map(|l| secret.derive("coefficient", &[&rd, &l.to_be_bytes()]))
            .collect(),
    )
}

/// `ratify trustee deal`. The polynomial is derived from the seed and the
/// roster digest, so dealing again for the same roster gives the same deal,
/// and any change of trustees, k or n gives an unrelated polynomial.
pub fn deal(secret: &TrusteeSecret, roster: &Roster) -> Result<Deal, CryptoError> {
    roster.check_complete()?;
    let i = roster.index_of(secret)?;
    let rd = roster.digest();
    let coeffs = coefficients(secret, roster);
    let commitments: Vec<Point> = coeffs.iter().map(|a| Point::new(g_table() * a)).collect();
    let constant_proof = prove_schnorr(
        &pok_context(&roster.election_id, &rd, i),
        &coeffs[0],
        &secret.derive("constant-term-nonce", &[&rd]),
        &commitments[0],
    );
    let mut shares = Vec::new();
    for j in 1..=roster.trustees {
        if j == i {
            continue;
        }
        let recv = roster.trustee(j).receive_key.get();
        let r = Zeroizing::new(secret.derive("ephemeral", &[&rd, &(j as u64).to_be_bytes()]));
        let eph = Point::new(g_table() * &*r);
        let shared = Point::new(recv.point() * *r);
        let binding = share_binding(&roster.election_id, &rd, i, j, &eph, recv);
        let mut value = eval_poly(&coeffs, j);
        let ciphertext = share_cipher(&shared, &binding)
            .encrypt(
                &Nonce::default(),
                Payload {
                    msg: value.as_bytes(),
                    aad: &binding,
                },
            )
            .expect("ChaCha20-Poly1305 encrypts 32 bytes");
        value.zeroize();
        shares.push(EncryptedShare {
            recipient: j,
            ephemeral: NonIdentity::new(eph).expect("nonzero"),
            ciphertext,
        });
    }
    let mut d = Deal {
        kind: DealTag,
        version: V1,
        election_id: roster.election_id.clone(),
        roster_digest: rd,
        dealer: i,
        commitments,
        constant_proof,
        shares,
        signature: SchnorrProof {
            t: Point::identity(),
            v: Scalar::ZERO,
        },
    };
    d.signature = sign(secret, "deal", &d.digest());
    Ok(d)
}

/// Checks everything about a deal that anyone can check: it is for this
/// roster, has k commitments, proves knowledge of its constant term, has
/// exactly one share for every other trustee, and is signed by the dealer.
/// (Whether each share is right only its recipient can tell: `confirm`.)
pub fn verify_deal(roster: &Roster, d: &Deal) -> Result<(), CryptoError> {
    let bad = |reason: &str| CryptoError::BadDeal {
        dealer: d.dealer,
        reason: reason.into(),
    };
    if d.election_id != roster.election_id {
        return Err(bad(&format!("it is for election '{}'", d.election_id)));
    }
    if d.dealer == 0 || d.dealer > roster.trustees || d.dealer as usize > roster.public.len() {
        return Err(bad("no such trustee on the roster"));
    }
    if d.roster_digest != roster.digest() {
        return Err(bad("it was made for a different roster"));
    }
    if d.commitments.len() != roster.decrypt_threshold as usize {
        return Err(bad(&format!(
            "{} commitments, expected {} (the threshold)",
            d.commitments.len(),
            roster.decrypt_threshold
        )));
    }
    if d.commitments[0].is_identity() {
        return Err(bad("the constant-term commitment is the identity"));
    }
    if !verify_schnorr(
        &pok_context(&d.election_id, &d.roster_digest, d.dealer),
        &d.commitments[0],
        &d.constant_proof,
    ) {
        return Err(bad(
            "the proof of knowledge of the constant term does not verify",
        ));
    }
    let expected: Vec<u32> = (1..=roster.trustees).filter(|&j| j != d.dealer).collect();
    let got: Vec<u32> = d.shares.iter().map(|s| s.recipient).collect();
    if got != expected {
        return Err(bad(&format!(
            "shares are for trustees {got:?}, expected {expected:?}"
        )));
    }
    if d.shares.iter().any(|s| s.ciphertext.len() != 48) {
        return Err(bad("an encrypted share is not 48 bytes"));
    }
    if !verify_signature(roster.trustee(d.dealer), "deal", &d.digest(), &d.signature) {
        return Err(bad("the signature does not verify"));
    }
    Ok(())
}

/// Opens the share in `d` for `recipient` with the shared point S and
/// checks it against the dealer's commitments.
fn open_share(
    roster: &Roster,
    d: &Deal,
    recipient: u32,
    shared: &Point,
) -> Result<Scalar, &'static str> {
    let es = d
        .shares
        .iter()
        .find(|s| s.recipient == recipient)
        .ok_or("no share for this trustee")?;
    let recv = roster.trustee(recipient).receive_key.get();
    let binding = share_binding(
        &d.election_id,
        &d.roster_digest,
        d.dealer,
        recipient,
        es.ephemeral.get(),
        recv,
    );
    let plain = Zeroizing::new(
        share_cipher(shared, &binding)
            .decrypt(
                &Nonce::default(),
                Payload {
                    msg: &es.ciphertext,
                    aad: &binding,
                },
            )
            .map_err(|_| "the encrypted share does not decrypt")?,
    );
    let bytes: [u8; 32] = plain[..]
        .try_into()
        .map_err(|_| "the share is not 32 bytes")?;
    let s: Option<Scalar> = Scalar::from_canonical_bytes(bytes).into();
    let s = s.ok_or("the share is not a canonical scalar")?;
    if g_table() * &s != eval_commitments(&d.commitments, recipient) {
        return Err("the share does not match the dealer's commitments");
    }
    Ok(s)
}

pub(crate) fn shared_point(secret: &TrusteeSecret, es: &EncryptedShare) -> Point {
    let e = Zeroizing::new(secret.receive_secret());
    Point::new(es.ephemeral.get().point() * *e)
}

// ---------------------------------------------------- confirm and complain

/// `ratify trustee confirm` when every share checked out: signed, naming
/// the deals it checked and the trustee's resulting verification key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    #[serde(rename = "type")]
    pub kind: ConfirmationTag,
    pub version: V1,
    pub election_id: String,
    #[serde(with = "hex_bytes32")]
    pub roster_digest: [u8; 32],
    pub trustee: u32,
    /// Digest of deal 1..n in index order (including the trustee's own).
    pub deal_digests: Vec<Digest32>,
    /// K_j = s_j·G, which must equal Σ_i Σ_l C_{i,l}·j^l.
    pub verification_key: Point,
    pub signature: SchnorrProof,
}

/// A 32-byte digest in hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest32(#[serde(with = "hex_bytes32")] pub [u8; 32]);

impl Confirmation {
    pub fn digest(&self) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/confirmation");
        h.str(&self.election_id)
            .bytes(&self.roster_digest)
            .u64(self.trustee as u64);
        h.u64(self.deal_digests.len() as u64);
        for d in &self.deal_digests {
            h.bytes(&d.0);
        }
        h.point(&self.verification_key);
        h.digest()
    }
}

/// One accusation: the complainer reveals the DH point S = e_j·R for the
/// share the dealer sent, with a proof that log_G(E_j) = log_R(S). Anyone
/// can then decrypt that one share and see it is wrong, and nothing else
/// about the complainer's keys is revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accusation {
    pub dealer: u32,
    #[serde(with = "hex_bytes32")]
    pub deal_digest: [u8; 32],
    pub shared_point: Point,
    pub proof: DleqProof,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    #[serde(rename = "type")]
    pub kind: ComplaintTag,
    pub version: V1,
    pub election_id: String,
    #[serde(with = "hex_bytes32")]
    pub roster_digest: [u8; 32],
    pub complainer: u32,
    pub accusations: Vec<Accusation>,
    pub signature: SchnorrProof,
}

impl Complaint {
    pub fn digest(&self) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/complaint");
        h.str(&self.election_id)
            .bytes(&self.roster_digest)
            .u64(self.complainer as u64);
        h.u64(self.accusations.len() as u64);
        for a in &self.accusations {
            h.u64(a.dealer as u64)
                .bytes(&a.deal_digest)
                .point(&a.shared_point);
            h.point(&a.proof.t1).point(&a.proof.t2).scalar(&a.proof.v);
        }
        h.digest()
    }
}

pub(crate) fn complaint_context(
    election_id: &str,
    rd: &[u8; 32],
    complainer: u32,
    dealer: u32,
) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/dkg/complaint");
    h.str(election_id)
        .bytes(rd)
        .u64(complainer as u64)
        .u64(dealer as u64);
    h
}

/// What `confirm` produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Confirmed(Confirmation),
    Complaint(Complaint),
}

/// The trustee's combined share s_j = Σ_i f_i(j), from the roster's deals.
/// Returns the bad dealers instead when a share does not check out.
fn combined_share(
    secret: &TrusteeSecret,
    roster: &Roster,
    j: u32,
) -> Result<Result<Zeroizing<Scalar>, Vec<u32>>, CryptoError> {
    let coeffs = coefficients(secret, roster);
    let mut s = Zeroizing::new(eval_poly(&coeffs, j));
    let mut bad = Vec::new();
    for i in 1..=roster.trustees {
        if i == j {
            continue;
        }
        let d = roster.deal_from(i)?;
        verify_deal(roster, d)?;
        let es = d
            .shares
            .iter()
            .find(|s| s.recipient == j)
            .expect("verify_deal checked recipients");
        match open_share(roster, d, j, &shared_point(secret, es)) {
            Ok(share) => *s += share,
            Err(_) => bad.push(i),
        }
    }
    Ok(if bad.is_empty() { Ok(s) } else { Err(bad) })
}

/// `ratify trustee confirm`: opens and checks every share sent to this
/// trustee. All good: a signed confirmation. Any bad: a complaint naming
/// every bad dealer, with proofs anyone can check (`verify_complaint`).
///
/// The combined secret share is not written anywhere: `decrypt_share`
/// recomputes it from the seed and the roster inside the tally request.
pub fn confirm(secret: &TrusteeSecret, roster: &Roster) -> Result<ConfirmOutcome, CryptoError> {
    roster.check_complete()?;
    let j = roster.index_of(secret)?;
    let own = roster.deal_from(j)?;
    verify_deal(roster, own)?;
    let rd = roster.digest();
    match combined_share(secret, roster, j)? {
        Ok(s) => {
            let mut deal_digests = Vec::new();
            for i in 1..=roster.trustees {
                deal_digests.push(Digest32(roster.deal_from(i)?.digest()));
            }
            let mut c = Confirmation {
                kind: ConfirmationTag,
                version: V1,
                election_id: roster.election_id.clone(),
                roster_digest: rd,
                trustee: j,
                deal_digests,
                verification_key: Point::new(g_table() * &*s),
                signature: SchnorrProof {
                    t: Point::identity(),
                    v: Scalar::ZERO,
                },
            };
            c.signature = sign(secret, "confirmation", &c.digest());
            Ok(ConfirmOutcome::Confirmed(c))
        }
        Err(bad) => {
            let e = Zeroizing::new(secret.receive_secret());
            let recv = *roster.trustee(j).receive_key.get();
            let mut accusations = Vec::new();
            for i in bad {
                let d = roster.deal_from(i)?;
                let es = d.shares.iter().find(|s| s.recipient == j).expect("checked");
                let shared = shared_point(secret, es);
                let w = secret.derive("complaint-nonce", &[&rd, &(i as u64).to_be_bytes()]);
                let proof = prove_dleq(
                    &complaint_context(&roster.election_id, &rd, j, i),
                    &e,
                    &w,
                    &Point::new(generator()),
                    &recv,
                    es.ephemeral.get(),
                    &shared,
                );
                accusations.push(Accusation {
                    dealer: i,
                    deal_digest: d.digest(),
                    shared_point: shared,
                    proof,
                });
            }
            let mut c = Complaint {
                kind: ComplaintTag,
                version: V1,
                election_id: roster.election_id.clone(),
                roster_digest: rd,
                complainer: j,
                accusations,
                signature: SchnorrProof {
                    t: Point::identity(),
                    v: Scalar::ZERO,
                },
            };
            c.signature = sign(secret, "complaint", &c.digest());
            Ok(ConfirmOutcome::Complaint(c))
        }
    }
}

/// Checks a complaint. `Ok(dealers)`: the complaint holds, and these
/// dealers sent bad shares. `Err(InvalidComplaint)`: it does not (a forged
/// or mistaken complaint), naming the complainer.
pub fn verify_complaint(roster: &Roster, c: &Complaint) -> Result<Vec<u32>, CryptoError> {
    let invalid = |dealer: u32, reason: &str| CryptoError::InvalidComplaint {
        complainer: c.complainer,
        dealer,
        reason: reason.into(),
    };
    let first = c.accusations.first().map_or(0, |a| a.dealer);
    if c.election_id != roster.election_id || c.roster_digest != roster.digest() {
        return Err(invalid(
            first,
            "it was made for a different election or roster",
        ));
    }
    if c.complainer == 0 || c.complainer as usize > roster.public.len() {
        return Err(invalid(first, "the complainer is not on the roster"));
    }
    if c.accusations.is_empty() {
        return Err(invalid(0, "it accuses no one"));
    }
    if !verify_signature(
        roster.trustee(c.complainer),
        "complaint",
        &c.digest(),
        &c.signature,
    ) {
        return Err(invalid(first, "the complainer's signature does not verify"));
    }
    let recv = roster.trustee(c.complainer).receive_key.get();
    let mut guilty = Vec::new();
    for a in &c.accusations {
        if a.dealer == c.complainer || guilty.contains(&a.dealer) {
            return Err(invalid(
                a.dealer,
                "it accuses the complainer or the same dealer twice",
            ));
        }
        let d = roster
            .deal_from(a.dealer)
            .map_err(|_| invalid(a.dealer, "that trustee has no deal"))?;
        if d.digest() != a.deal_digest {
            return Err(invalid(a.dealer, "it is about a different deal"));
        }
        if verify_deal(roster, d).is_err() {
            // A deal that fails public checks is bad whatever the complaint says.
            guilty.push(a.dealer);
            continue;
        }
        let es = d
            .shares
            .iter()
            .find(|s| s.recipient == c.complainer)
            .expect("verify_deal checked recipients");
        let ctx = complaint_context(&c.election_id, &c.roster_digest, c.complainer, a.dealer);
        if !verify_dleq(
            &ctx,
            &Point::new(generator()),
            recv,
            es.ephemeral.get(),
            &a.shared_point,
            &a.proof,
        ) {
            return Err(invalid(
                a.dealer,
                "the proof that the revealed key is the right one does not verify",
            ));
        }
        if open_share(roster, d, c.complainer, &a.shared_point).is_ok() {
            return Err(invalid(
                a.dealer,
                "the share decrypts and matches the dealer's commitments",
            ));
        }
        guilty.push(a.dealer);
    }
    Ok(guilty)
}

/// Checks a confirmation on arrival, before it is stored: it is for this
/// election and roster, from a trustee on the roster, lists exactly the
/// registered deals (all n must be registered), carries the verification
/// key those deals' commitments give for its trustee, and is signed by that
/// trustee's identity key. A confirmation relabelled with another trustee's
/// index therefore fails (its signature and key are the other trustee's).
pub fn verify_confirmation(roster: &Roster, c: &Confirmation) -> Result<(), CryptoError> {
    roster.check_complete()?;
    if c.trustee == 0 || c.trustee > roster.trustees {
        return Err(CryptoError::Trustee {
            trustee: c.trustee,
            reason: "confirmation: no such trustee on the roster".into(),
        });
    }
    let mut deal_digests = Vec::with_capacity(roster.trustees as usize);
    let mut commitments = Vec::with_capacity(roster.trustees as usize);
    for i in 1..=roster.trustees {
        let d = roster.deal_from(i)?;
        deal_digests.push(Digest32(d.digest()));
        commitments.push(d.commitments.clone());
    }
    let kj = Point::new(
        commitments
            .iter()
            .map(|cs| eval_commitments(cs, c.trustee))
            .sum(),
    );
    check_confirmation(roster, c, &deal_digests, &kj)
}

fn check_confirmation(
    roster: &Roster,
    c: &Confirmation,
    deal_digests: &[Digest32],
    expected_key: &Point,
) -> Result<(), CryptoError> {
    let bad = |reason: &str| CryptoError::Trustee {
        trustee: c.trustee,
        reason: format!("confirmation: {reason}"),
    };
    if c.election_id != roster.election_id || c.roster_digest != roster.digest() {
        return Err(bad("it was made for a different election or roster"));
    }
    if c.deal_digests != deal_digests {
        return Err(bad("it confirms different deals from the ones registered"));
    }
    if c.verification_key != *expected_key {
        return Err(bad("its verification key does not match the deals"));
    }
    if !verify_signature(
        roster.trustee(c.trustee),
        "confirmation",
        &c.digest(),
        &c.signature,
    ) {
        return Err(bad("the signature does not verify"));
    }
    Ok(())
}

// ------------------------------------------------------------- election key

/// The result of the ceremony: K = Σ_i C_{i,0} and each trustee's
/// verification key K_j = Σ_i Σ_l C_{i,l}·j^l (= s_j·G).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionKeys {
    #[serde(rename = "type")]
    pub kind: KeysTag,
    pub version: V1,
    pub election_id: String,
    pub decrypt_threshold: u32,
    pub public_key: ElectionPublicKey,
    /// verification_keys[j - 1] = K_j.
    pub verification_keys: Vec<Point>,
}

/// `ratify election publish-key`: checks that every trustee has dealt a
/// valid deal and confirmed it, and that no complaint stands; then combines
/// the key. Errors name the first trustee holding things up.
pub fn combine_election_key(roster: &Roster) -> Result<ElectionKeys, CryptoError> {
    roster.check_complete()?;
    let n = roster.trustees;
    for i in 1..=n {
        verify_deal(roster, roster.deal_from(i)?)?;
    }
    // The first complaint decides: upheld, it names the dealer; invalid,
    // it names the complainer.
    if let Some(c) = roster.complaints.first() {
        let guilty = verify_complaint(roster, c)?;
        return Err(CryptoError::ComplaintUpheld {
            complainer: c.complainer,
            dealer: guilty[0],
        });
    }
    let deal_digests: Vec<Digest32> = (1..=n)
        .map(|i| roster.deal_from(i).map(|d| Digest32(d.digest())))
        .collect::<Result<_, _>>()?;
    let mut commitments = Vec::with_capacity(n as usize);
    for i in 1..=n {
        commitments.push(roster.deal_from(i)?.commitments.clone());
    }
    let public_key = ElectionPublicKey::from_point(commitments.iter().map(|c| c[0].point()).sum())?;
    let mut verification_keys = Vec::with_capacity(n as usize);
    for j in 1..=n {
        let kj: RistrettoPoint = commitments.iter().map(|c| eval_commitments(c, j)).sum();
        verification_keys.push(Point::new(kj));
    }
    for j in 1..=n {
        let mut it = roster.confirmations.iter().filter(|c| c.trustee == j);
        let c = it.next().ok_or(CryptoError::NotConfirmed { trustee: j })?;
        if it.next().is_some() {
            return Err(CryptoError::Trustee {
                trustee: j,
                reason: "confirmation: more than one confirmation".into(),
            });
        }
        check_confirmation(roster, c, &deal_digests, &verification_keys[j as usize - 1])?;
    }
    Ok(ElectionKeys {
        kind: KeysTag,
        version: V1,
        election_id: roster.election_id.clone(),
        decrypt_threshold: roster.decrypt_threshold,
        public_key,
        verification_keys,
    })
}

// ------------------------------------------------------------------- tally

/// One reported group's encrypted totals (S8: small units merged first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyGroup {
    pub name: String,
    pub totals: EncryptedTotals,
}

/// TALLY.json, written by `ratify tally`: the roster (so a trustee can
/// recompute its share and everyone the keys) and the encrypted totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyRequest {
    #[serde(rename = "type")]
    pub kind: TallyTag,
    pub version: V1,
    pub election_id: String,
    pub roster: Roster,
    pub groups: Vec<TallyGroup>,
}

impl TallyRequest {
    pub fn new(roster: Roster, groups: Vec<TallyGroup>) -> Self {
        TallyRequest {
            kind: TallyTag,
            version: V1,
            election_id: roster.election_id.clone(),
            roster,
            groups,
        }
    }

    /// Binds decryption shares to this exact tally: the election, the
    /// roster, the election key and every ciphertext.
    pub fn digest(&self, keys: &ElectionKeys) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/tally");
        h.str(&self.election_id)
            .bytes(&self.roster.digest())
            .point(keys.public_key.point());
        h.u64(self.groups.len() as u64);
        for g in &self.groups {
            h.str(&g.name)
                .u64(g.totals.ballots)
                .u64(g.totals.questions.len() as u64);
            for q in &g.totals.questions {
                h.str(&q.question_id).u64(q.options.len() as u64);
                for c in &q.options {
                    h.point(&c.a).point(&c.b);
                }
            }
        }
        h.digest()
    }

    fn ciphertexts(
        &self,
    ) -> impl Iterator<Item = ((usize, usize, usize), &crate::elgamal::Ciphertext)> {
        self.groups.iter().enumerate().flat_map(|(g, grp)| {
            grp.totals
                .questions
                .iter()
                .enumerate()
                .flat_map(move |(q, qt)| {
                    qt.options
                        .iter()
                        .enumerate()
                        .map(move |(o, c)| ((g, q, o), c))
                })
        })
    }
}

/// D = s_j·A with a proof that log_G(K_j) = log_A(D).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialDecryption {
    pub share: Point,
    pub proof: DleqProof,
}

/// SHARE.json: `shares[g][q][o]` decrypts option o of question q of group g.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecryptionShare {
    #[serde(rename = "type")]
    pub kind: ShareTag,
    pub version: V1,
    pub election_id: String,
    #[serde(with = "hex_bytes32")]
    pub tally_digest: [u8; 32],
    pub trustee: u32,
    pub shares: Vec<Vec<Vec<PartialDecryption>>>,
}

fn decryption_context(
    election_id: &str,
    tally_digest: &[u8; 32],
    trustee: u32,
    pos: (usize, usize, usize),
) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/decryption");
    h.str(election_id)
        .bytes(tally_digest)
        .u64(trustee as u64)
        .u64(pos.0 as u64)
        .u64(pos.1 as u64)
        .u64(pos.2 as u64);
    h
}

/// `ratify trustee decrypt`: recomputes the trustee's share s_j from the
/// seed and the roster in the tally, checks s_j·G = K_j, and partially
/// decrypts every total with a proof.
pub fn decrypt_share(
    secret: &TrusteeSecret,
    tally: &TallyRequest,
) -> Result<DecryptionShare, CryptoError> {
    if tally.election_id != tally.roster.election_id {
        return Err(CryptoError::Roster(
            "the tally and its roster are for different elections".into(),
        ));
    }
    let keys = combine_election_key(&tally.roster)?;
    let j = tally.roster.index_of(secret)?;
    let s = combined_share(secret, &tally.roster, j)?.map_err(|bad| CryptoError::Trustee {
        trustee: j,
        reason: format!("shares from trustees {bad:?} do not check out"),
    })?;
    let kj = keys.verification_keys[j as usize - 1];
    if Point::new(g_table() * &*s) != kj {
        return Err(CryptoError::Trustee {
            trustee: j,
            reason: "the recomputed share does not match the verification key".into(),
        });
    }
    let td = tally.digest(&keys);
    let g = Point::new(generator());
    let mut shares: Vec<Vec<Vec<PartialDecryption>>> = tally
        .groups
        .iter()
        .map(|grp| {
            grp.totals
                .questions
                .iter()
                .map(|q| Vec::with_capacity(q.options.len()))
                .collect()
        })
        .collect();
    for (pos, c) in tally.ciphertexts() {
        let d = Point::new(c.a.point() * *s);
        let w = Zeroizing::new(secret.derive(
            "decryption-nonce",
            &[
                &td,
                &(pos.0 as u64).to_be_bytes(),
                &(pos.1 as u64).to_be_bytes(),
                &(pos.2 as u64).to_be_bytes(),
            ],
        ));
        let proof = prove_dleq(
            &decryption_context(&tally.election_id, &td, j, pos),
            &s,
            &w,
            &g,
            &kj,
            &c.a,
            &d,
        );
        shares[pos.0][pos.1].push(PartialDecryption { share: d, proof });
    }
    Ok(DecryptionShare {
        kind: ShareTag,
        version: V1,
        election_id: tally.election_id.clone(),
        tally_digest: td,
        trustee: j,
        shares,
    })
}

/// Checks one trustee's decryption share against the tally and the keys;
/// the error names the trustee and the total whose proof fails.
pub fn verify_decryption_share(
    tally: &TallyRequest,
    keys: &ElectionKeys,
    share: &DecryptionShare,
) -> Result<(), CryptoError> {
    let j = share.trustee;
    let bad = |reason: String| CryptoError::BadDecryptionShare { trustee: j, reason };
    if j == 0 || j as usize > keys.verification_keys.len() {
        return Err(bad("no such trustee".into()));
    }
    if share.election_id != tally.election_id || share.tally_digest != tally.digest(keys) {
        return Err(bad("it is for a different tally".into()));
    }
    let shape_ok = share.shares.len() == tally.groups.len()
        && share.shares.iter().zip(&tally.groups).all(|(sg, g)| {
            sg.len() == g.totals.questions.len()
                && sg
                    .iter()
                    .zip(&g.totals.questions)
                    .all(|(sq, q)| sq.len() == q.options.len())
        });
    if !shape_ok {
        return Err(bad(
            "it does not have one partial decryption per total".into()
        ));
    }
    let kj = &keys.verification_keys[j as usize - 1];
    let g = Point::new(generator());
    for (pos, c) in tally.ciphertexts() {
        let pd = &share.shares[pos.0][pos.1][pos.2];
        let ctx = decryption_context(&tally.election_id, &share.tally_digest, j, pos);
        if !verify_dleq(&ctx, &g, kj, &c.a, &pd.share, &pd.proof) {
            let grp = &tally.groups[pos.0];
            return Err(bad(format!(
                "the proof for group '{}', question '{}', option {} does not verify",
                grp.name, grp.totals.questions[pos.1].question_id, pos.2
            )));
        }
    }
    Ok(())
}

/// Decrypted counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyResult {
    pub election_id: String,
    pub groups: Vec<GroupResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupResult {
    pub name: String,
    pub ballots: u64,
    pub questions: Vec<QuestionResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: String,
    /// counts[o]: how many ballots chose option o.
    pub counts: Vec<u64>,
}

/// Lagrange coefficient at 0 of index j over the set `indices`.
fn lagrange_at_zero(j: u32, indices: &[u32]) -> Scalar {
    let mut num = Scalar::ONE;
    let mut den = Scalar::ONE;
    for &m in indices {
        if m != j {
            num *= Scalar::from(m as u64);
            den *= Scalar::from(m as u64) - Scalar::from(j as u64);
        }
    }
    num * den.invert()
}

/// Verifies every share given, then combines the first k of them with
/// Lagrange coefficients (M = Σ λ_j·D_j, plaintext m·G = B − M) and finds
/// each count by baby-step giant-step (at most the group's ballot count).
pub fn combine_decryption(
    tally: &TallyRequest,
    keys: &ElectionKeys,
    shares: &[DecryptionShare],
    table: &DlogTable,
) -> Result<TallyResult, CryptoError> {
    let k = keys.decrypt_threshold as usize;
    let mut used: Vec<&DecryptionShare> = Vec::new();
    for s in shares {
        verify_decryption_share(tally, keys, s)?;
        if used.iter().any(|u| u.trustee == s.trustee) {
            return Err(CryptoError::BadDecryptionShare {
                trustee: s.trustee,
                reason: "submitted twice".into(),
            });
        }
        used.push(s);
    }
    if used.len() < k {
        return Err(CryptoError::NotEnoughShares {
            have: used.len(),
            need: k,
        });
    }
    used.truncate(k);
    let indices: Vec<u32> = used.iter().map(|s| s.trustee).collect();
    let lambdas: Vec<Scalar> = indices
        .iter()
        .map(|&j| lagrange_at_zero(j, &indices))
        .collect();
    let mut groups = Vec::with_capacity(tally.groups.len());
    for (gi, g) in tally.groups.iter().enumerate() {
        let mut questions = Vec::new();
        for (qi, q) in g.totals.questions.iter().enumerate() {
            let mut counts = Vec::new();
            for (oi, c) in q.options.iter().enumerate() {
                let m = RistrettoPoint::vartime_multiscalar_mul(
                    lambdas.iter(),
                    used.iter().map(|s| *s.shares[gi][qi][oi].share.point()),
                );
                let y = c.b.point() - m;
                let n =
                    table
                        .solve(&y, g.totals.ballots)
                        .ok_or_else(|| CryptoError::DlogNotFound {
                            what: format!(
                                "group '{}', question '{}', option {}",
                                g.name, q.question_id, oi
                            ),
                            max: g.totals.ballots,
                        })?;
                counts.push(n);
            }
            questions.push(QuestionResult {
                question_id: q.question_id.clone(),
                counts,
            });
        }
        groups.push(GroupResult {
            name: g.name.clone(),
            ballots: g.totals.ballots,
            questions,
        });
    }
    Ok(TallyResult {
        election_id: tally.election_id.clone(),
        groups,
    })
}

// ------------------------------------------------------------------- files

/// Any file a trustee hands the server, told apart by its `type`.
#[allow(clippy::large_enum_variant)] // parsed once per file; boxing would change the API
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrusteeFile {
    Public(TrusteePublic),
    Deal(Deal),
    Confirmation(Confirmation),
    Complaint(Complaint),
    DecryptionShare(DecryptionShare),
}

impl TrusteeFile {
    pub fn from_json(s: &str) -> Result<Self, CryptoError> {
        let v: serde_json::Value = serde_json::from_str(s).map_err(|e| CryptoError::Json {
            what: "trustee file".into(),
            reason: e.to_string(),
        })?;
        let t = v
            .get("type")
            .and_then(|t| t.as_str())
            .ok_or_else(|| CryptoError::Json {
                what: "trustee file".into(),
                reason: "no \"type\" field".into(),
            })?;
        fn parse<T: DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T, CryptoError> {
            serde_json::from_value(v).map_err(|e| CryptoError::Json {
                what: what.into(),
                reason: e.to_string(),
            })
        }
        Ok(match t {
            PublicTag::TAG => TrusteeFile::Public(parse(v, "trustee public key")?),
            DealTag::TAG => TrusteeFile::Deal(parse(v, "deal")?),
            ConfirmationTag::TAG => TrusteeFile::Confirmation(parse(v, "confirmation")?),
            ComplaintTag::TAG => TrusteeFile::Complaint(parse(v, "complaint")?),
            ShareTag::TAG => TrusteeFile::DecryptionShare(parse(v, "decryption share")?),
            SecretTag::TAG => {
                return Err(CryptoError::Json {
                    what: "trustee file".into(),
                    reason:
                        "this is a trustee's SECRET key; it must never leave the trustee's computer"
                            .into(),
                })
            }
            other => {
                return Err(CryptoError::Json {
                    what: "trustee file".into(),
                    reason: format!(
                        "unknown type \"{other}\"; expected one of {}, {}, {}, {}, {}",
                        PublicTag::TAG,
                        DealTag::TAG,
                        ConfirmationTag::TAG,
                        ComplaintTag::TAG,
                        ShareTag::TAG
                    ),
                })
            }
        })
    }

    pub fn read(path: &Path) -> Result<Self, CryptoError> {
        let s = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
        TrusteeFile::from_json(&s).map_err(|e| match e {
            CryptoError::Json { what, reason } => CryptoError::Json {
                what: format!("{what} {}", path.display()),
                reason,
            },
            e => e,
        })
    }

    pub fn to_json(&self) -> String {
        match self {
            TrusteeFile::Public(x) => to_json(x),
            TrusteeFile::Deal(x) => to_json(x),
            TrusteeFile::Confirmation(x) => to_json(x),
            TrusteeFile::Complaint(x) => to_json(x),
            TrusteeFile::DecryptionShare(x) => to_json(x),
        }
    }
}

fn io_err(path: &Path, e: std::io::Error) -> CryptoError {
    CryptoError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Pretty JSON as every file is written.
pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("these types always serialize")
}

pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, CryptoError> {
    let s = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
    serde_json::from_str(&s).map_err(|e| CryptoError::Json {
        what: path.display().to_string(),
        reason: e.to_string(),
    })
}

pub fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<(), CryptoError> {
    let mut s = to_json(v);
    s.push('\n');
    std::fs::write(path, s).map_err(|e| io_err(path, e))
}

/// Writes a new file readable by its owner only (0600 on Unix); refuses to
/// overwrite an existing file.
pub fn write_secret_file(path: &Path, contents: &[u8]) -> Result<(), CryptoError> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path).map_err(|e| io_err(path, e))?;
    f.write_all(contents)
        .and_then(|_| f.sync_all())
        .map_err(|e| io_err(path, e))
}

pub const SECRET_FILE: &str = "secret.key";
pub const PUBLIC_FILE: &str = "public.json";

/// `ratify trustee keygen --out DIR`: creates DIR if needed and writes
/// DIR/secret.key (0600, never overwritten) and DIR/public.json.
pub fn keygen_to_dir<R: CryptoRng + ?Sized>(
    dir: &Path,
    rng: &mut R,
) -> Result<TrusteePublic, CryptoError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let secret_path = dir.join(SECRET_FILE);
    if secret_path.exists() {
        return Err(CryptoError::Io {
            path: secret_path.display().to_string(),
            reason: "already exists; refusing to overwrite a trustee's secret key".into(),
        });
    }
    let (secret, public) = keygen(rng);
    write_secret_file(&secret_path, secret.to_file_json().as_bytes())?;
    write_json(&dir.join(PUBLIC_FILE), &public)?;
    Ok(public)
}

/// Reads DIR/secret.key (or the file itself if `path` is a file).
pub fn read_secret_key(path: &Path) -> Result<TrusteeSecret, CryptoError> {
    let file = if path.is_dir() {
        path.join(SECRET_FILE)
    } else {
        path.to_path_buf()
    };
    let s = Zeroizing::new(std::fs::read_to_string(&file).map_err(|e| io_err(&file, e))?);
    TrusteeSecret::from_file_json(&s)
}
