//! S14: every ballot proof verifies, and rejects when anything is changed.
mod common;
use common::*;
use ratify_crypto::*;

fn setup() -> (ElectionContext, EncryptedBallot) {
    let (_, _, keys) = ceremony("kern-lbfo-2024", 3, 2);
    let ctx = context("kern-lbfo-2024", &keys, shapes());
    let b = encrypt_ballot(&ctx, &[Some(1), None], &mut rng(9)).unwrap();
    (ctx, b)
}

#[test]
fn honest_ballots_verify_alone_and_in_a_batch() {
    let (ctx, _) = setup();
    let mut r = rng(1);
    let mut ballots = Vec::new();
    for c0 in [Some(0), Some(1)] {
        for c1 in [None, Some(0), Some(1)] {
            let b = encrypt_ballot(&ctx, &[c0, c1], &mut r).unwrap();
            verify_ballot(&ctx, &b).unwrap();
            ballots.push(b);
        }
    }
    verify_ballots_batch(&ctx, &ballots, &mut r).unwrap();
}

#[test]
fn every_changed_value_is_rejected() {
    let (ctx, b) = setup();
    verify_ballot(&ctx, &b).unwrap();
    let v = serde_json::to_value(&b).unwrap();
    let n = each_mutation(&v, &mut |path, m| {
        if let Ok(bad) = serde_json::from_value::<EncryptedBallot>(m) {
            assert!(
                verify_ballot(&ctx, &bad).is_err(),
                "changing {path} was not detected"
            );
            let batch = vec![b.clone(), bad.clone(), b.clone()];
            match verify_ballots_batch(&ctx, &batch, &mut rng(3)) {
                Err(CryptoError::BallotInBatch { index: 1, .. }) => {}
                other => panic!("changing {path}: batch gave {other:?}"),
            }
        }
    });
    // 4 selections × (2 ciphertext points + 7 proof values) + 3 + 7 sum-proof values
    assert_eq!(n, 4 * 9 + 3 + 7);
}

#[test]
fn error_names_the_question_and_selection() {
    let (ctx, mut b) = setup();
    b.answers[1].selections[0].proof.v1 += Scalar::ONE;
    let e = verify_ballot(&ctx, &b).unwrap_err().to_string();
    assert!(e.contains("'strike'") && e.contains("selection 0"), "{e}");
    let (ctx, mut b) = setup();
    if let SumProof::ExactlyOne(p) = &mut b.answers[0].sum_proof {
        p.v += Scalar::ONE;
    }
    let e = verify_ballot(&ctx, &b).unwrap_err().to_string();
    assert!(
        e.contains("'lbfo'") && e.contains("sum to exactly-one"),
        "{e}"
    );
}

#[test]
fn a_ballot_does_not_verify_in_another_context() {
    let (ctx, b) = setup();
    // another election id (the ballot's own field changed too)
    let mut other = ctx.clone();
    other.election_id = "another-election".into();
    let mut moved = b.clone();
    moved.election_id = other.election_id.clone();
    assert!(verify_ballot(&other, &moved).is_err());
    // another question id
    let mut other = ctx.clone();
    other.questions[0].id = "renamed".into();
    let mut moved = b.clone();
    moved.answers[0].question_id = "renamed".into();
    assert!(matches!(
        verify_ballot(&other, &moved),
        Err(CryptoError::SelectionProof { .. })
    ));
    // another election key
    let (_, _, keys2) = ceremony("kern-lbfo-2024", 2, 1);
    let other = context("kern-lbfo-2024", &keys2, shapes());
    assert!(verify_ballot(&other, &b).is_err());
    // another rule (blank allowed) for the same question
    let mut other = ctx.clone();
    other.questions[0].allow_blank = true;
    assert!(verify_ballot(&other, &b).is_err());
    // swapping two selections' proofs (selection index is bound)
    let mut swapped = b.clone();
    let s = &mut swapped.answers[0].selections;
    let p0 = s[0].proof.clone();
    s[0].proof = s[1].proof.clone();
    s[1].proof = p0;
    assert!(verify_ballot(&ctx, &swapped).is_err());
    // a ballot from another election, same questions, same trustees
    let (_, _, keys3) = ceremony("other-vote", 3, 2);
    let ctx3 = context("other-vote", &keys3, shapes());
    let b3 = encrypt_ballot(&ctx3, &[Some(0), Some(0)], &mut rng(4)).unwrap();
    let mut moved = b3.clone();
    moved.election_id = ctx.election_id.clone();
    assert!(verify_ballot(&ctx, &moved).is_err());
}

#[test]
fn bad_choices_are_refused() {
    let (ctx, _) = setup();
    assert!(encrypt_ballot(&ctx, &[Some(2), None], &mut rng(1)).is_err());
    assert!(encrypt_ballot(&ctx, &[None, None], &mut rng(1)).is_err());
    assert!(encrypt_ballot(&ctx, &[Some(0)], &mut rng(1)).is_err());
}

#[test]
fn tracker_is_stable_and_changes_with_the_ballot() {
    let (ctx, b) = setup();
    let json = serde_json::to_string(&b).unwrap();
    let back: EncryptedBallot = serde_json::from_str(&json).unwrap();
    assert_eq!(back.tracker(), b.tracker());
    assert_eq!(b.tracker_hex().len(), 64);
    let b2 = encrypt_ballot(&ctx, &[Some(1), None], &mut rng(10)).unwrap();
    assert_ne!(b2.tracker(), b.tracker());
}

#[test]
fn aggregate_checks_shape() {
    let (ctx, b) = setup();
    let t = aggregate(&ctx, [&b, &b]).unwrap();
    assert_eq!(t.ballots, 2);
    let mut bad = b.clone();
    bad.answers[0].selections.pop();
    assert!(aggregate(&ctx, [&b, &bad]).is_err());
}

#[test]
fn parallel_batch_verification_names_the_bad_ballot() {
    let (ctx, b) = setup();
    let mut bad = b.clone();
    bad.answers[0].selections[1].proof.v0 += Scalar::ONE;
    let good = vec![b.clone(), b.clone(), b.clone()];
    verify_ballots_batch_parallel(&ctx, &good, 2).unwrap();
    verify_ballots_batch_parallel_with_rng(&ctx, &good, 4, &mut rng(5)).unwrap();
    verify_ballots_batch_parallel_with_rng(&ctx, &[], 2, &mut rng(5)).unwrap();
    let batch = vec![b.clone(), b.clone(), bad, b];
    assert!(matches!(
        verify_ballots_batch_parallel(&ctx, &batch, 2),
        Err(CryptoError::BallotInBatch { index: 2, .. })
    ));
}
