//! Criterion benches for docs/performance-crypto.md. Run with
//! `CARGO_TARGET_DIR=/work/target-crypto cargo bench -p ratify-crypto -- --measurement-time 3`
//! All figures are wall time; on a loaded machine compare runs made
//! back to back.
//! (BATCH_N ballots for the batch benches; default 12,288 = 6 chunks, so
//! that the 2-thread bench splits evenly; aggregation is measured on
//! 50,000 ballots, the BATCH_N ballots repeated).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use ratify_crypto::*;
use std::hint::black_box;
use std::sync::OnceLock;

fn ceremony() -> (Vec<TrusteeSecret>, Roster, ElectionKeys) {
    let s: Vec<_> = (1..=3u8)
        .map(|i| TrusteeSecret::from_seed([i; 32]))
        .collect();
    let mut r = Roster::new("bench", 2, 3);
    r.public = s.iter().map(|t| t.public()).collect();
    r.deals = s.iter().map(|t| deal(t, &r).unwrap()).collect();
    for t in &s {
        if let ConfirmOutcome::Confirmed(c) = confirm(t, &r).unwrap() {
            r.confirmations.push(c);
        }
    }
    let k = combine_election_key(&r).unwrap();
    (s, r, k)
}

fn context(keys: &ElectionKeys) -> ElectionContext {
    ElectionContext {
        election_id: "bench".into(),
        public_key: keys.public_key.clone(),
        questions: vec![
            QuestionShape {
                id: "lbfo".into(),
                options: 2,
                allow_blank: false,
            },
            QuestionShape {
                id: "strike".into(),
                options: 2,
                allow_blank: false,
            },
        ],
    }
}

type Setup = (
    Vec<TrusteeSecret>,
    Roster,
    ElectionKeys,
    ElectionContext,
    Vec<EncryptedBallot>,
);

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let (secrets, roster, keys) = ceremony();
        let ctx = context(&keys);
        let mut rng = ChaCha20Rng::from_seed([2; 32]);
        let n: usize = std::env::var("BATCH_N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(6 * BATCH_CHUNK);
        let ballots = (0..n)
            .map(|i| encrypt_ballot(&ctx, &[Some(i % 2), Some((i / 2) % 2)], &mut rng).unwrap())
            .collect();
        (secrets, roster, keys, ctx, ballots)
    })
}

fn parallel(c: &mut Criterion) {
    let (_, _, _, ctx, ballots) = setup();
    let n = ballots.len();
    let mut rng = ChaCha20Rng::from_seed([3; 32]);
    let mut g = c.benchmark_group("threads");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("verify_batch_{n}_1_thread"), |b| {
        b.iter(|| verify_ballots_batch(ctx, ballots, &mut rng).unwrap())
    });
    g.bench_function(format!("verify_batch_{n}_2_threads"), |b| {
        b.iter(|| verify_ballots_batch_parallel_with_rng(ctx, ballots, 2, &mut rng).unwrap())
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let (secrets, roster, keys, ctx, ballots) = setup();
    let mut rng = ChaCha20Rng::from_seed([1; 32]);
    let _ = encrypt_ballot(ctx, &[Some(0), Some(1)], &mut rng).unwrap(); // builds the K table

    let mut g = c.benchmark_group("ballot");
    g.bench_function("encrypt_prove_2x2", |b| {
        let mut choice = 0usize;
        b.iter(|| {
            choice ^= 1;
            black_box(encrypt_ballot(ctx, &[Some(choice), Some(1 - choice)], &mut rng).unwrap())
        })
    });
    let one = encrypt_ballot(ctx, &[Some(0), Some(1)], &mut rng).unwrap();
    g.bench_function("verify_one_2x2", |b| {
        b.iter(|| verify_ballot(ctx, black_box(&one)).unwrap())
    });
    let json = serde_json::to_string(&one).unwrap();
    g.bench_function("parse_json_2x2", |b| {
        b.iter(|| black_box(serde_json::from_str::<EncryptedBallot>(&json).unwrap()))
    });
    g.bench_function("tracker", |b| b.iter(|| black_box(one.tracker())));
    g.finish();

    let n = ballots.len();
    let mut g = c.benchmark_group("many");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("verify_batch_{n}"), |b| {
        b.iter(|| verify_ballots_batch(ctx, ballots, &mut rng).unwrap())
    });
    g.throughput(Throughput::Elements(50_000));
    g.bench_function("aggregate_50000", |b| {
        b.iter(|| black_box(aggregate(ctx, ballots.iter().cycle().take(50_000)).unwrap()))
    });
    g.finish();

    let totals = aggregate(ctx, ballots).unwrap();
    let tally = TallyRequest::new(
        roster.clone(),
        vec![TallyGroup {
            name: "all".into(),
            totals,
        }],
    );
    let shares: Vec<_> = secrets[..2]
        .iter()
        .map(|s| decrypt_share(s, &tally).unwrap())
        .collect();
    let mut g = c.benchmark_group("decrypt");
    g.sample_size(10);
    g.bench_function("decrypt_share_2x2_one_trustee", |b| {
        b.iter(|| black_box(decrypt_share(&secrets[0], &tally).unwrap()))
    });
    let table = DlogTable::global();
    g.bench_function("verify_and_combine_2_shares", |b| {
        b.iter(|| black_box(combine_decryption(&tally, keys, &shares, table).unwrap()))
    });
    g.bench_function("bsgs_table_build_2^16", |b| {
        b.iter(|| black_box(DlogTable::new(16)))
    });
    let y = generator() * Scalar::from(9_999_999u64);
    g.bench_function("bsgs_solve_9999999", |b| {
        b.iter(|| black_box(table.solve(&y, 10_000_000).unwrap()))
    });
    g.finish();
}

criterion_group!(crypto, benches, parallel);
criterion_main!(crypto);
