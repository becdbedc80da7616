//! Encrypt → verify → aggregate → threshold-decrypt with every k-subset.
mod common;
use common::*;
use proptest::prelude::*;
use ratify_crypto::*;

fn run(n: u32, k: u32, choices: &[(usize, Option<usize>)], seed: u8) {
    let election = format!("rt-{n}-{k}");
    let (s, r, keys) = ceremony(&election, n, k);
    let ctx = context(&election, &keys, shapes());
    let mut rng = rng(seed);
    let ballots: Vec<_> = choices
        .iter()
        .map(|(a, b)| encrypt_ballot(&ctx, &[Some(*a), *b], &mut rng).unwrap())
        .collect();
    verify_ballots_batch(&ctx, &ballots, &mut rng).unwrap();
    // two reported groups: first half and the rest
    let half = ballots.len() / 2;
    let groups = vec![
        TallyGroup {
            name: "A".into(),
            totals: aggregate(&ctx, &ballots[..half]).unwrap(),
        },
        TallyGroup {
            name: "B".into(),
            totals: aggregate(&ctx, &ballots[half..]).unwrap(),
        },
    ];
    let tally = TallyRequest::new(r, groups);
    let shares: Vec<_> = s
        .iter()
        .map(|t| decrypt_share(t, &tally).unwrap())
        .collect();
    let expect = |range: &[(usize, Option<usize>)]| {
        let mut q0 = vec![0u64; 2];
        let mut q1 = vec![0u64; 2];
        for (a, b) in range {
            q0[*a] += 1;
            if let Some(b) = b {
                q1[*b] += 1;
            }
        }
        (q0, q1)
    };
    let (a0, a1) = expect(&choices[..half]);
    let (b0, b1) = expect(&choices[half..]);
    for subset in subsets(n, k) {
        let chosen: Vec<_> = subset
            .iter()
            .map(|j| shares[*j as usize - 1].clone())
            .collect();
        let res = combine_decryption(&tally, &keys, &chosen, DlogTable::global()).unwrap();
        assert_eq!(res.groups[0].questions[0].counts, a0, "subset {subset:?}");
        assert_eq!(res.groups[0].questions[1].counts, a1, "subset {subset:?}");
        assert_eq!(res.groups[1].questions[0].counts, b0, "subset {subset:?}");
        assert_eq!(res.groups[1].questions[1].counts, b1, "subset {subset:?}");
    }
    // k-1 shares never suffice
    let few: Vec<_> = shares[..k as usize - 1].to_vec();
    assert!(matches!(
        combine_decryption(&tally, &keys, &few, DlogTable::global()),
        Err(CryptoError::NotEnoughShares { .. })
    ));
}

fn choice() -> impl Strategy<Value = (usize, Option<usize>)> {
    (0usize..2, prop::option::of(0usize..2))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    #[test]
    fn three_trustees_threshold_two(choices in prop::collection::vec(choice(), 1..12), seed: u8) {
        run(3, 2, &choices, seed);
    }

    #[test]
    fn five_trustees_threshold_three(choices in prop::collection::vec(choice(), 1..8), seed: u8) {
        run(5, 3, &choices, seed);
    }
}

#[test]
fn one_of_one_and_n_of_n() {
    run(1, 1, &[(0, None), (1, Some(1))], 1);
    run(3, 3, &[(1, Some(0)), (1, None), (0, Some(1))], 2);
}
