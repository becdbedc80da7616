//! Tests that need the crate's internals: cheating provers, cheating
//! dealers, and the structural constant-time check.

use crate::ballot::{selection_context, selection_statement, sum_context, sum_statement};
use crate::elgamal::trace;
use crate::proofs::{prove_constant, prove_dleq, prove_zero_one};
use crate::trustee::*;
use crate::*;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::Nonce;
use rand_chacha::ChaCha20Rng;
use rand_core::{SeedableRng, TryCryptoRng, TryRng};
use subtle::Choice;

fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

fn secrets(n: u32) -> Vec<TrusteeSecret> {
    (1..=n)
        .map(|i| TrusteeSecret::from_seed([i as u8; 32]))
        .collect()
}

fn roster(n: u32, k: u32) -> (Vec<TrusteeSecret>, Roster) {
    let s = secrets(n);
    let mut r = Roster::new("e1", k, n);
    r.public = s.iter().map(|t| t.public()).collect();
    (s, r)
}

fn ctx() -> ElectionContext {
    let pk = ElectionPublicKey::from_point(generator() * Scalar::from(12345u64)).unwrap();
    ElectionContext {
        election_id: "e1".into(),
        public_key: pk,
        questions: vec![
            QuestionShape {
                id: "q".into(),
                options: 2,
                allow_blank: false,
            },
            QuestionShape {
                id: "b".into(),
                options: 3,
                allow_blank: true,
            },
        ],
    }
}

/// A ballot whose selection (0, 0) encrypts `value` with a proof made as if
/// it were 1, and whose sum proof is made honestly over the real nonces.
fn cheating_ballot(ctx: &ElectionContext, values: [u64; 2]) -> EncryptedBallot {
    let mut r = rng(3);
    let mut b = encrypt_ballot(ctx, &[Some(0), None], &mut r).unwrap();
    let pk = &ctx.public_key;
    let q = &ctx.questions[0];
    let mut nonces = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let n = Scalar::random(&mut r);
        let ct = Ciphertext::encrypt(pk, &Scalar::from(*v), &n);
        let pre = selection_statement(&selection_context("e1", pk, &q.id, i), &ct);
        let proof = prove_zero_one(pk, Choice::from((*v != 0) as u8), &n, &pre, &mut r);
        b.answers[0].selections[i] = EncryptedSelection {
            ciphertext: ct,
            proof,
        };
        nonces.push(n);
    }
    let rs: Scalar = nonces.iter().sum();
    let pre = sum_statement(
        &sum_context("e1", pk, q),
        b.answers[0].selections.iter().map(|s| &s.ciphertext),
    );
    b.answers[0].sum_proof = SumProof::ExactlyOne(prove_constant(pk, &rs, &pre, &mut r));
    b
}

#[test]
fn a_selection_encrypting_two_is_rejected() {
    let c = ctx();
    // sanity: the cheating construction accepts an honest (1, 0)
    verify_ballot(&c, &cheating_ballot(&c, [1, 0])).unwrap();
    let e = verify_ballot(&c, &cheating_ballot(&c, [2, 0])).unwrap_err();
    assert!(
        matches!(e, CryptoError::SelectionProof { selection: 0, .. }),
        "{e}"
    );
}

#[test]
fn two_selections_in_one_question_are_rejected() {
    let c = ctx();
    let e = verify_ballot(&c, &cheating_ballot(&c, [1, 1])).unwrap_err();
    assert!(matches!(e, CryptoError::SumProof { .. }), "{e}");
    assert!(e.to_string().contains("'q'"));
    // and a blank where blank is not allowed
    let e = verify_ballot(&c, &cheating_ballot(&c, [0, 0])).unwrap_err();
    assert!(matches!(e, CryptoError::SumProof { .. }), "{e}");
    let batch = vec![
        encrypt_ballot(&c, &[Some(1), Some(2)], &mut rng(1)).unwrap(),
        cheating_ballot(&c, [1, 1]),
    ];
    assert!(matches!(
        verify_ballots_batch(&c, &batch, &mut rng(2)),
        Err(CryptoError::BallotInBatch { index: 1, .. })
    ));
}

/// Counts RNG output so two runs can be compared.
struct CountingRng(ChaCha20Rng, usize, Vec<usize>);
impl TryRng for CountingRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.1 += 4;
        self.2.push(4);
        self.0.try_next_u32()
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.1 += 8;
        self.2.push(8);
        self.0.try_next_u64()
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.1 += dst.len();
        self.2.push(dst.len());
        self.0.try_fill_bytes(dst)
    }
}
impl TryCryptoRng for CountingRng {}

/// Structural constant time: whatever the member chose (each option or
/// blank), encryption performs the same sequence of group operations
/// (fixed-base table multiplications by G and K, `subtle` point
/// selections, the one batched double-and-encode) and draws the same
/// randomness in the same pattern. (The operations
/// themselves are dalek's constant-time fixed-base multiplications; see
/// docs/crypto.md, "Constant time".)
#[test]
fn encryption_does_the_same_work_for_every_choice() {
    let c = ctx();
    let _ = c.public_key.table();
    let mut runs = Vec::new();
    for choice in [
        [Some(0), None],
        [Some(1), None],
        [Some(0), Some(0)],
        [Some(1), Some(2)],
        [Some(0), Some(1)],
    ] {
        let mut r = CountingRng(rng(7), 0, Vec::new());
        trace::take();
        encrypt_ballot(&c, &choice, &mut r).unwrap();
        let ops = trace::take();
        runs.push((ops, r.1, r.2));
    }
    assert!(
        runs[0].0.len() > 40,
        "trace records the operations: {}",
        runs[0].0.len()
    );
    // 5 selections × (2 + 5 multiplications, 3 selections) + the sum proofs
    // (2, and 5 + 2 selections), then one batched encoding of every point.
    let count = |op: &str| runs[0].0.iter().filter(|o| **o == op).count();
    assert_eq!(count("mul_g") + count("mul_k"), 5 * 7 + 2 + 5);
    assert_eq!(count("select"), 5 * 3 + 2);
    assert_eq!(runs[0].0.last(), Some(&"double_and_compress_batch"));
    assert_eq!(count("double_and_compress_batch"), 1);
    for run in &runs[1..] {
        assert_eq!(run, &runs[0]);
    }
}

/// A dealer who sends trustee 3 a wrong share.
fn cheat(secret: &TrusteeSecret, r: &Roster, victim: u32) -> Deal {
    let mut d = deal(secret, r).unwrap();
    let rd = r.digest();
    let i = d.dealer;
    let coeffs = coefficients(secret, r);
    let wrong = eval_poly(&coeffs, victim) + Scalar::ONE;
    let es = d.shares.iter_mut().find(|s| s.recipient == victim).unwrap();
    let recv = r.trustee(victim).receive_key.get();
    let eph_secret = secret.derive("ephemeral", &[&rd, &(victim as u64).to_be_bytes()]);
    let shared = Point::new(recv.point() * eph_secret);
    let binding = share_binding(&r.election_id, &rd, i, victim, es.ephemeral.get(), recv);
    es.ciphertext = share_cipher(&shared, &binding)
        .encrypt(
            &Nonce::default(),
            Payload {
                msg: wrong.as_bytes(),
                aad: &binding,
            },
        )
        .unwrap();
    d.signature = sign(secret, "deal", &d.digest());
    d
}

#[test]
fn a_bad_share_is_caught_and_the_dealer_named() {
    let (s, mut r) = roster(3, 2);
    r.deals = vec![
        deal(&s[0], &r).unwrap(),
        cheat(&s[1], &r, 3),
        deal(&s[2], &r).unwrap(),
    ];
    // the deal passes every public check: only trustee 3 can tell
    verify_deal(&r, &r.deals[1]).unwrap();
    for t in &s[..2] {
        match confirm(t, &r).unwrap() {
            ConfirmOutcome::Confirmed(c) => r.confirmations.push(c),
            ConfirmOutcome::Complaint(_) => panic!("trustees 1 and 2 got good shares"),
        }
    }
    let ConfirmOutcome::Complaint(c) = confirm(&s[2], &r).unwrap() else {
        panic!("trustee 3 must complain")
    };
    assert_eq!(c.complainer, 3);
    assert_eq!(verify_complaint(&r, &c).unwrap(), vec![2]);
    // the complaint survives the trip through a file
    let TrusteeFile::Complaint(c2) = TrusteeFile::from_json(&to_json(&c)).unwrap() else {
        panic!()
    };
    assert_eq!(verify_complaint(&r, &c2).unwrap(), vec![2]);
    r.complaints.push(c.clone());
    let e = combine_election_key(&r).unwrap_err();
    assert!(
        matches!(
            e,
            CryptoError::ComplaintUpheld {
                complainer: 3,
                dealer: 2
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("trustee 2 sent a bad share"));
    // tampering with the complaint makes it fail
    let mut forged = c.clone();
    forged.accusations[0].shared_point =
        Point::new(forged.accusations[0].shared_point.point() + generator());
    forged.signature = sign(&s[2], "complaint", &forged.digest());
    assert!(matches!(
        verify_complaint(&r, &forged),
        Err(CryptoError::InvalidComplaint {
            complainer: 3,
            dealer: 2,
            ..
        })
    ));
    // a fresh, honest deal from trustee 2 clears it
    r.deals[1] = deal(&s[1], &r).unwrap();
    assert!(matches!(
        verify_complaint(&r, &c),
        Err(CryptoError::InvalidComplaint { .. })
    ));
}

#[test]
fn a_forged_complaint_against_an_honest_dealer_fails() {
    let (s, mut r) = roster(3, 2);
    r.deals = s.iter().map(|t| deal(t, &r).unwrap()).collect();
    let rd = r.digest();
    let (j, i) = (3u32, 1u32);
    let d = r.deals[0].clone();
    let es = d.shares.iter().find(|x| x.recipient == j).unwrap();
    let e = s[2].receive_secret();
    let recv = *r.trustee(j).receive_key.get();
    let make = |shared: Point, proof_secret: Scalar| {
        let proof = prove_dleq(
            &complaint_context("e1", &rd, j, i),
            &proof_secret,
            &Scalar::from(77u64),
            &Point::new(generator()),
            &recv,
            es.ephemeral.get(),
            &shared,
        );
        let mut c = Complaint {
            kind: Default::default(),
            version: V1,
            election_id: "e1".into(),
            roster_digest: rd,
            complainer: j,
            accusations: vec![Accusation {
                dealer: i,
                deal_digest: d.digest(),
                shared_point: shared,
                proof,
            }],
            signature: SchnorrProof {
                t: Point::identity(),
                v: Scalar::ZERO,
            },
        };
        c.signature = sign(&s[2], "complaint", &c.digest());
        c
    };
    // the true shared point: the share decrypts and checks out
    let honest = make(shared_point(&s[2], es), e);
    let err = verify_complaint(&r, &honest).unwrap_err();
    assert!(err.to_string().contains("decrypts and matches"), "{err}");
    // a made-up shared point: its proof cannot verify
    let fake = make(
        Point::new(es.ephemeral.get().point() * Scalar::from(5u64)),
        e,
    );
    let err = verify_complaint(&r, &fake).unwrap_err();
    assert!(
        matches!(
            err,
            CryptoError::InvalidComplaint {
                complainer: 3,
                dealer: 1,
                ..
            }
        ),
        "{err}"
    );
    // signed by someone else
    let mut other = make(shared_point(&s[2], es), e);
    other.signature = sign(&s[1], "complaint", &other.digest());
    assert!(verify_complaint(&r, &other)
        .unwrap_err()
        .to_string()
        .contains("signature"));
}

#[test]
fn encodings_are_canonical() {
    let g = Point::new(generator());
    assert_eq!(Point::from_hex(&g.to_hex()).unwrap(), g);
    assert!(Point::from_hex(&g.to_hex().to_uppercase()).is_err());
    assert!(Point::from_hex(&"ff".repeat(32)).is_err());
    assert!(Point::from_hex(&g.to_hex()[..62]).is_err());
    // ℓ itself is not a canonical scalar
    let l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
    assert!(scalar_from_hex(l).is_err());
    assert!(scalar_from_hex(&"00".repeat(32)).is_ok());
    // the identity is not an election key
    assert!(ElectionPublicKey::from_hex(&"00".repeat(32)).is_err());
    assert!(
        serde_json::from_str::<ElectionPublicKey>(&format!("\"{}\"", "00".repeat(32))).is_err()
    );
}

#[test]
fn bsgs_finds_counts_up_to_ten_million() {
    let t = DlogTable::global();
    for n in [0u64, 1, 2, 65535, 65536, 65537, 1_234_567, 10_000_000] {
        assert_eq!(
            t.solve(&(generator() * Scalar::from(n)), 10_000_000),
            Some(n),
            "{n}"
        );
    }
    assert_eq!(t.solve(&(generator() * Scalar::from(11u64)), 10), None);
    assert_eq!(
        t.solve(&(generator() * Scalar::from(10_000_001u64)), 10_000_000),
        None
    );
}
