//! Ballots: what the server calls when a member casts (S6, S14).

use crate::elgamal::double_and_encode;
use crate::elgamal::{Ciphertext, ElectionPublicKey};
use crate::encoding::Point;
use crate::error::CryptoError;
use crate::hash::{ChallengeHash, DigestHash};
use crate::proofs::{
    commit_constant, commit_zero_one, constant_challenge, respond_constant, respond_zero_one,
    zero_one_challenge, ConstantCommit, ConstantProof, Msm, ZeroOneCommit, ZeroOneProof,
};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, SeedableRng};
use serde::{Deserialize, Serialize};
use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroize;

/// What the crypto needs to know about a question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionShape {
    pub id: String,
    pub options: usize,
    /// May the member leave the question blank (select nothing)?
    pub allow_blank: bool,
}

impl QuestionShape {
    fn rule(&self) -> &'static str {
        if self.allow_blank {
            AT_MOST_ONE
        } else {
            EXACTLY_ONE
        }
    }
}

const EXACTLY_ONE: &str = "exactly-one";
const AT_MOST_ONE: &str = "at-most-one";

/// Everything a ballot is bound to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionContext {
    pub election_id: String,
    pub public_key: ElectionPublicKey,
    pub questions: Vec<QuestionShape>,
}

/// One encrypted option with its 0-or-1 proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedSelection {
    pub ciphertext: Ciphertext,
    pub proof: ZeroOneProof,
}

/// The proof about the sum of a question's selections.
#[allow(clippy::large_enum_variant)] // boxing would change the API
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule")]
pub enum SumProof {
    /// The selections sum to exactly 1.
    #[serde(rename = "exactly-one")]
    ExactlyOne(ConstantProof),
    /// The selections sum to 0 or 1 (the question may be left blank).
    #[serde(rename = "at-most-one")]
    AtMostOne(ZeroOneProof),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedAnswer {
    pub question_id: String,
    pub selections: Vec<EncryptedSelection>,
    pub sum_proof: SumProof,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedBallot {
    pub election_id: String,
    pub answers: Vec<EncryptedAnswer>,
}

/// The challenge context of selection `index` of question `qid`.
pub(crate) fn selection_context(
    election_id: &str,
    pk: &ElectionPublicKey,
    qid: &str,
    index: usize,
) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/ballot/selection");
    h.str(election_id)
        .point(pk.point())
        .str(qid)
        .u64(index as u64);
    h
}

/// The challenge context and statement of a selection's 0-or-1 proof.
pub(crate) fn selection_statement(pre: &ChallengeHash, ct: &Ciphertext) -> ChallengeHash {
    let mut h = pre.clone();
    h.point(&ct.a).point(&ct.b);
    h
}

/// The challenge context of the sum proof of question `q`.
pub(crate) fn sum_context(
    election_id: &str,
    pk: &ElectionPublicKey,
    q: &QuestionShape,
) -> ChallengeHash {
    let mut h = ChallengeHash::new("ratify/v1/ballot/sum");
    h.str(election_id)
        .point(pk.point())
        .str(&q.id)
        .u64(q.options as u64)
        .str(q.rule());
    h
}

/// The statement of a sum proof is the list of the question's ciphertexts
/// (they determine the sum, and are already encoded).
pub(crate) fn sum_statement<'a>(
    pre: &ChallengeHash,
    cts: impl IntoIterator<Item = &'a Ciphertext>,
) -> ChallengeHash {
    let mut h = pre.clone();
    for ct in cts {
        h.point(&ct.a).point(&ct.b);
    }
    h
}

/// Encrypts one member's choices: `choices[i]` is the chosen option index of
/// question i, `None` for blank. Constant time in the choices: every
/// question encrypts every option and proves every proof the same way
/// whichever option (or blank) was chosen.
pub fn encrypt_ballot<R: CryptoRng + ?Sized>(
    ctx: &ElectionContext,
    choices: &[Option<usize>],
    rng: &mut R,
) -> Result<EncryptedBallot, CryptoError> {
    if choices.len() != ctx.questions.len() {
        return Err(CryptoError::BallotShape(format!(
            "{} choices for {} questions",
            choices.len(),
            ctx.questions.len()
        )));
    }
    // Validation looks at the choice; it only reveals whether the input is
    // well-formed, which the caller knows anyway.
    for (q, c) in ctx.questions.iter().zip(choices) {
        if q.options == 0 {
            return Err(CryptoError::BallotShape(format!(
                "question '{}' has no options",
                q.id
            )));
        }
        match c {
            Some(i) if *i >= q.options => {
                return Err(CryptoError::InvalidChoice {
                    question: q.id.clone(),
                    reason: format!("option {i} does not exist ({} options)", q.options),
                })
            }
            None if !q.allow_blank => {
                return Err(CryptoError::InvalidChoice {
                    question: q.id.clone(),
                    reason: "this question may not be left blank".into(),
                })
            }
            _ => {}
        }
    }
    let pk = &ctx.public_key;
    // Phase 1: draw the randomness (in the order docs/crypto.md gives) and
    // compute every point the ballot publishes, halved.
    let total: usize = ctx.questions.iter().map(|q| 6 * q.options + 4).sum();
    let mut halves = Vec::with_capacity(total);
    let mut pending = Vec::with_capacity(ctx.questions.len());
    for (q, c) in ctx.questions.iter().zip(choices) {
        // Blank is encoded as an index no option has.
        let mut chosen: u64 = c.map_or(u64::MAX, |i| i as u64);
        let mut proofs = Vec::with_capacity(q.options);
        let mut r_sum = Scalar::ZERO;
        let mut any = Choice::from(0u8);
        for i in 0..q.options {
            let bit = (i as u64).ct_eq(&chosen);
            any |= bit;
            let mut r = Scalar::random(rng);
            halves.extend(Ciphertext::encrypt_bit_halves(pk, bit, &r));
            let k = commit_zero_one(pk, bit, &r, rng);
            halves.extend(k.halves);
            proofs.push(k);
            r_sum += r;
            r.zeroize();
        }
        let sum = if q.allow_blank {
            let k = commit_zero_one(pk, any, &r_sum, rng);
            halves.extend(k.halves);
            PendingSum::AtMostOne(k)
        } else {
            let k = commit_constant(pk, &r_sum, rng);
            halves.extend(k.halves);
            PendingSum::ExactlyOne(k)
        };
        r_sum.zeroize();
        chosen.zeroize();
        pending.push((proofs, sum));
    }
    // Phase 2: double and encode all of them with one field inversion.
    let points = double_and_encode(&halves);
    // Phase 3: challenges and responses.
    let mut at = 0;
    let mut take = |n: usize| {
        let p = &points[at..at + n];
        at += n;
        p
    };
    let mut answers = Vec::with_capacity(ctx.questions.len());
    for (q, (proofs, sum)) in ctx.questions.iter().zip(pending) {
        let mut selections = Vec::with_capacity(q.options);
        for (i, k) in proofs.into_iter().enumerate() {
            let ab = take(2);
            let ct = Ciphertext { a: ab[0], b: ab[1] };
            let pre = selection_statement(&selection_context(&ctx.election_id, pk, &q.id, i), &ct);
            let proof = respond_zero_one(k, take(4), &pre);
            selections.push(EncryptedSelection {
                ciphertext: ct,
                proof,
            });
        }
        let pre = sum_statement(
            &sum_context(&ctx.election_id, pk, q),
            selections.iter().map(|s| &s.ciphertext),
        );
        let sum_proof = match sum {
            PendingSum::AtMostOne(k) => SumProof::AtMostOne(respond_zero_one(k, take(4), &pre)),
            PendingSum::ExactlyOne(k) => SumProof::ExactlyOne(respond_constant(k, take(2), &pre)),
        };
        answers.push(EncryptedAnswer {
            question_id: q.id.clone(),
            selections,
            sum_proof,
        });
    }
    Ok(EncryptedBallot {
        election_id: ctx.election_id.clone(),
        answers,
    })
}

#[allow(clippy::large_enum_variant)] // short-lived, one per question
enum PendingSum {
    AtMostOne(ZeroOneCommit),
    ExactlyOne(ConstantCommit),
}

impl EncryptedBallot {
    /// The receipt tracker (S15): SHA-256 over a domain tag and the
    /// ballot's canonical binary encoding (docs/crypto.md, "Tracker").
    pub fn tracker(&self) -> [u8; 32] {
        let mut h = DigestHash::new("ratify/v1/tracker");
        h.str(&self.election_id).u64(self.answers.len() as u64);
        for a in &self.answers {
            h.str(&a.question_id).u64(a.selections.len() as u64);
            for s in &a.selections {
                h.point(&s.ciphertext.a).point(&s.ciphertext.b);
                hash_zero_one(&mut h, &s.proof);
            }
            match &a.sum_proof {
                SumProof::ExactlyOne(p) => {
                    h.str(EXACTLY_ONE).point(&p.t1).point(&p.t2).scalar(&p.v);
                }
                SumProof::AtMostOne(p) => {
                    h.str(AT_MOST_ONE);
                    hash_zero_one(&mut h, p);
                }
            }
        }
        h.digest()
    }

    pub fn tracker_hex(&self) -> String {
        hex::encode(self.tracker())
    }
}

fn hash_zero_one(h: &mut DigestHash, p: &ZeroOneProof) {
    h.point(&p.a0)
        .point(&p.b0)
        .point(&p.a1)
        .point(&p.b1)
        .scalar(&p.c0)
        .scalar(&p.v0)
        .scalar(&p.v1);
}

/// Checks that the ballot has the election's questions and options.
fn check_shape(ctx: &ElectionContext, b: &EncryptedBallot) -> Result<(), CryptoError> {
    if b.election_id != ctx.election_id {
        return Err(CryptoError::BallotShape(format!(
            "ballot is for election '{}', not '{}'",
            b.election_id, ctx.election_id
        )));
    }
    if b.answers.len() != ctx.questions.len() {
        return Err(CryptoError::BallotShape(format!(
            "{} answers for {} questions",
            b.answers.len(),
            ctx.questions.len()
        )));
    }
    for (q, a) in ctx.questions.iter().zip(&b.answers) {
        if a.question_id != q.id {
            return Err(CryptoError::BallotShape(format!(
                "expected question '{}', found '{}'",
                q.id, a.question_id
            )));
        }
        if a.selections.len() != q.options {
            return Err(CryptoError::BallotShape(format!(
                "question '{}' has {} options, the ballot has {} selections",
                q.id,
                q.options,
                a.selections.len()
            )));
        }
        let rule_ok = matches!(
            (&a.sum_proof, q.allow_blank),
            (SumProof::AtMostOne(_), true) | (SumProof::ExactlyOne(_), false)
        );
        if !rule_ok {
            return Err(CryptoError::SumProof {
                question: q.id.clone(),
                rule: q.rule(),
            });
        }
    }
    Ok(())
}

/// Prepared challenge contexts for one election, reused across ballots.
struct Contexts {
    selections: Vec<Vec<ChallengeHash>>,
    sums: Vec<ChallengeHash>,
}

impl Contexts {
    fn new(ctx: &ElectionContext) -> Self {
        let pk = &ctx.public_key;
        Contexts {
            selections: ctx
                .questions
                .iter()
                .map(|q| {
                    (0..q.options)
                        .map(|i| selection_context(&ctx.election_id, pk, &q.id, i))
                        .collect()
                })
                .collect(),
            sums: ctx
                .questions
                .iter()
                .map(|q| sum_context(&ctx.election_id, pk, q))
                .collect(),
        }
    }
}

/// Adds every equation of a ballot to `msm`: per selection its commitments
/// and one term each for A and B (carrying both the 0-or-1 proof's and the
/// sum proof's coefficients), per question the sum proof's commitments.
fn add_ballot<R: CryptoRng + ?Sized>(
    pre: &Contexts,
    b: &EncryptedBallot,
    msm: &mut Msm,
    rng: &mut R,
) {
    for (qi, a) in b.answers.iter().enumerate() {
        let (sa, sb) = sum_terms(&pre.sums[qi], a, msm, rng);
        for (si, s) in a.selections.iter().enumerate() {
            let c = selection_challenge(&pre.selections[qi][si], s);
            let (ca, cb) = msm.zero_one_terms(&s.proof, c, rng);
            msm.push(ca + sa, s.ciphertext.a.point());
            msm.push(cb + sb, s.ciphertext.b.point());
        }
    }
}

fn selection_challenge(pre: &ChallengeHash, s: &EncryptedSelection) -> Scalar {
    let p = &s.proof;
    zero_one_challenge(
        &selection_statement(pre, &s.ciphertext),
        [&p.a0, &p.b0, &p.a1, &p.b1],
    )
}

/// The sum proof's equations; returns the coefficients of ΣA and ΣB, that
/// is, of every selection's A and B.
fn sum_terms<R: CryptoRng + ?Sized>(
    pre: &ChallengeHash,
    a: &EncryptedAnswer,
    msm: &mut Msm,
    rng: &mut R,
) -> (Scalar, Scalar) {
    let pre = sum_statement(pre, a.selections.iter().map(|s| &s.ciphertext));
    match &a.sum_proof {
        SumProof::ExactlyOne(p) => {
            let c = constant_challenge(&pre, &p.t1, &p.t2);
            msm.constant_terms(1, p, c, rng)
        }
        SumProof::AtMostOne(p) => {
            let c = zero_one_challenge(&pre, [&p.a0, &p.b0, &p.a1, &p.b1]);
            msm.zero_one_terms(p, c, rng)
        }
    }
}

fn points_per_ballot(ctx: &ElectionContext) -> usize {
    ctx.questions.iter().map(|q| 6 * q.options + 4).sum()
}

/// Verifies one ballot's proofs; the error names the question, selection
/// and proof that failed. All equations are folded into one multiscalar
/// multiplication; only if it fails is each proof checked on its own, to
/// name it. The random weights are derived from the ballot's tracker, so
/// they depend on every value in the ballot and need no RNG.
pub fn verify_ballot(ctx: &ElectionContext, b: &EncryptedBallot) -> Result<(), CryptoError> {
    check_shape(ctx, b)?;
    let pre = Contexts::new(ctx);
    let mut seed = DigestHash::new("ratify/v1/verify-weights");
    seed.bytes(&b.tracker());
    let mut rng = ChaCha20Rng::from_seed(seed.digest());
    let mut msm = Msm::with_capacity(points_per_ballot(ctx));
    add_ballot(&pre, b, &mut msm, &mut rng);
    if msm.holds(&ctx.public_key) {
        return Ok(());
    }
    verify_each_proof(ctx, &pre, b, &mut rng)?;
    Err(CryptoError::BallotShape(
        "the ballot's proofs fail together but each verifies alone; please report this".into(),
    ))
}

/// Checks each proof of a ballot on its own; the error names the first
/// that fails.
fn verify_each_proof<R: CryptoRng + ?Sized>(
    ctx: &ElectionContext,
    pre: &Contexts,
    b: &EncryptedBallot,
    rng: &mut R,
) -> Result<(), CryptoError> {
    for (qi, (q, a)) in ctx.questions.iter().zip(&b.answers).enumerate() {
        for (si, s) in a.selections.iter().enumerate() {
            let c = selection_challenge(&pre.selections[qi][si], s);
            let mut msm = Msm::with_capacity(6);
            let (ca, cb) = msm.zero_one_terms(&s.proof, c, rng);
            msm.push(ca, s.ciphertext.a.point());
            msm.push(cb, s.ciphertext.b.point());
            if !msm.holds(&ctx.public_key) {
                return Err(CryptoError::SelectionProof {
                    question: q.id.clone(),
                    selection: si,
                });
            }
        }
        let mut msm = Msm::with_capacity(6);
        let (ca, cb) = sum_terms(&pre.sums[qi], a, &mut msm, rng);
        let (sa, sb) = Ciphertext::sum_points(a.selections.iter().map(|s| &s.ciphertext));
        msm.push(ca, &sa);
        msm.push(cb, &sb);
        if !msm.holds(&ctx.public_key) {
            return Err(CryptoError::SumProof {
                question: q.id.clone(),
                rule: q.rule(),
            });
        }
    }
    Ok(())
}

/// How many ballots go into one multiscalar multiplication.
pub const BATCH_CHUNK: usize = 2048;

/// Verifies many ballots at once: every equation of every proof, weighted
/// with independent random 128-bit scalars, summed into one vartime
/// multiscalar multiplication per chunk of `BATCH_CHUNK` ballots. A chunk
/// that fails is re-checked ballot by ballot, and the error names the
/// first bad ballot's index in `ballots`.
pub fn verify_ballots_batch<R: CryptoRng + ?Sized>(
    ctx: &ElectionContext,
    ballots: &[EncryptedBallot],
    rng: &mut R,
) -> Result<(), CryptoError> {
    let pre = Contexts::new(ctx);
    for (ci, chunk) in ballots.chunks(BATCH_CHUNK).enumerate() {
        verify_chunk(ctx, &pre, chunk, ci * BATCH_CHUNK, rng)?;
    }
    Ok(())
}

/// `verify_ballots_batch` on `threads` threads (std::thread::scope; chunks
/// of `BATCH_CHUNK` ballots are handed out in order). Each chunk's weights
/// come from a ChaCha20 stream seeded from the operating system's RNG. If
/// several ballots are bad, the error names the one with the lowest index.
#[cfg(feature = "os-rng")]
pub fn verify_ballots_batch_parallel(
    ctx: &ElectionContext,
    ballots: &[EncryptedBallot],
    threads: usize,
) -> Result<(), CryptoError> {
    verify_ballots_batch_parallel_with_rng(ctx, ballots, threads, &mut crate::os_rng())
}

/// `verify_ballots_batch_parallel` with the chunks' seeds drawn from `rng`.
pub fn verify_ballots_batch_parallel_with_rng<R: CryptoRng + ?Sized>(
    ctx: &ElectionContext,
    ballots: &[EncryptedBallot],
    threads: usize,
    rng: &mut R,
) -> Result<(), CryptoError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let chunks: Vec<&[EncryptedBallot]> = ballots.chunks(BATCH_CHUNK).collect();
    let seeds: Vec<[u8; 32]> = chunks
        .iter()
        .map(|_| {
            let mut s = [0u8; 32];
            rng.fill_bytes(&mut s);
            s
        })
        .collect();
    let threads = threads.clamp(1, chunks.len().max(1));
    let pre = Contexts::new(ctx);
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<(usize, CryptoError)>> = Mutex::new(None);
    let work = || loop {
        let ci = next.fetch_add(1, Ordering::Relaxed);
        if ci >= chunks.len() {
            break;
        }
        let mut rng = ChaCha20Rng::from_seed(seeds[ci]);
        if let Err(e) = verify_chunk(ctx, &pre, chunks[ci], ci * BATCH_CHUNK, &mut rng) {
            let mut f = failed.lock().unwrap_or_else(|p| p.into_inner());
            if f.as_ref().is_none_or(|(i, _)| ci < *i) {
                *f = Some((ci, e));
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

fn verify_chunk<R: CryptoRng + ?Sized>(
    ctx: &ElectionContext,
    pre: &Contexts,
    chunk: &[EncryptedBallot],
    base: usize,
    rng: &mut R,
) -> Result<(), CryptoError> {
    let mut msm = Msm::with_capacity(points_per_ballot(ctx) * chunk.len());
    for (i, b) in chunk.iter().enumerate() {
        check_shape(ctx, b).map_err(|e| CryptoError::BallotInBatch {
            index: base + i,
            source: Box::new(e),
        })?;
        add_ballot(pre, b, &mut msm, rng);
    }
    if msm.holds(&ctx.public_key) {
        return Ok(());
    }
    for (i, b) in chunk.iter().enumerate() {
        verify_ballot(ctx, b).map_err(|e| CryptoError::BallotInBatch {
            index: base + i,
            source: Box::new(e),
        })?;
    }
    Err(CryptoError::BallotShape(
        "batch verification failed but every ballot verifies alone; please report this".into(),
    ))
}

/// Encrypted totals of one set of ballots: per question, per option, the
/// sum of the ciphertexts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedTotals {
    pub ballots: u64,
    pub questions: Vec<QuestionTotals>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionTotals {
    pub question_id: String,
    pub options: Vec<Ciphertext>,
}

/// Running sums for `aggregate`: keeps uncompressed points so that adding a
/// ballot costs only point additions.
pub struct Aggregator {
    ids: Vec<String>,
    sums: Vec<Vec<(RistrettoPoint, RistrettoPoint)>>,
    ballots: u64,
    ctx_shape: Vec<QuestionShape>,
    election_id: String,
}

impl Aggregator {
    pub fn new(ctx: &ElectionContext) -> Self {
        Aggregator {
            ids: ctx.questions.iter().map(|q| q.id.clone()).collect(),
            sums: ctx
                .questions
                .iter()
                .map(|q| vec![(RistrettoPoint::default(), RistrettoPoint::default()); q.options])
                .collect(),
            ballots: 0,
            ctx_shape: ctx.questions.clone(),
            election_id: ctx.election_id.clone(),
        }
    }

    /// Adds a ballot (its shape is checked; its proofs are not: verify them
    /// first, in a batch).
    pub fn add(&mut self, b: &EncryptedBallot) -> Result<(), CryptoError> {
        if b.election_id != self.election_id || b.answers.len() != self.ctx_shape.len() {
            return Err(CryptoError::BallotShape(
                "ballot does not belong to this election".into(),
            ));
        }
        for ((q, a), sums) in self.ctx_shape.iter().zip(&b.answers).zip(&mut self.sums) {
            if a.question_id != q.id || a.selections.len() != q.options {
                return Err(CryptoError::BallotShape(format!(
                    "question '{}' does not match",
                    q.id
                )));
            }
            for (s, (sa, sb)) in a.selections.iter().zip(sums.iter_mut()) {
                *sa += s.ciphertext.a.point();
                *sb += s.ciphertext.b.point();
            }
        }
        self.ballots += 1;
        Ok(())
    }

    /// Adds totals computed elsewhere (e.g. merging small units, S8).
    pub fn add_totals(&mut self, t: &EncryptedTotals) -> Result<(), CryptoError> {
        if t.questions.len() != self.ids.len() {
            return Err(CryptoError::BallotShape(
                "totals do not match the election's questions".into(),
            ));
        }
        for ((id, qt), sums) in self.ids.iter().zip(&t.questions).zip(&mut self.sums) {
            if &qt.question_id != id || qt.options.len() != sums.len() {
                return Err(CryptoError::BallotShape(format!(
                    "totals for question '{id}' do not match"
                )));
            }
            for (c, (sa, sb)) in qt.options.iter().zip(sums.iter_mut()) {
                *sa += c.a.point();
                *sb += c.b.point();
            }
        }
        self.ballots += t.ballots;
        Ok(())
    }

    pub fn finish(self) -> EncryptedTotals {
        EncryptedTotals {
            ballots: self.ballots,
            questions: self
                .ids
                .into_iter()
                .zip(self.sums)
                .map(|(question_id, sums)| QuestionTotals {
                    question_id,
                    options: sums
                        .into_iter()
                        .map(|(a, b)| Ciphertext {
                            a: Point::new(a),
                            b: Point::new(b),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Sums the ballots' ciphertexts per question and option (S14).
pub fn aggregate<'a>(
    ctx: &ElectionContext,
    ballots: impl IntoIterator<Item = &'a EncryptedBallot>,
) -> Result<EncryptedTotals, CryptoError> {
    let mut agg = Aggregator::new(ctx);
    for b in ballots {
        agg.add(b)?;
    }
    Ok(agg.finish())
}
