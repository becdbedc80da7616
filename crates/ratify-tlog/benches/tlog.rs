//! Audit log benchmarks (docs/performance-tlog.md):
//! `CARGO_TARGET_DIR=/work/target-tlog cargo bench -p ratify-tlog`
//!
//! * verifying a 200,000-entry export (entries/s);
//! * inclusion and consistency proofs on a 1,000,000-entry log, with the
//!   number of stored hashes each reads (to estimate a database-backed store);
//! * checkpoint signing and verification.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ratify_tlog::note::{parse_and_verify_checkpoint, sign_checkpoint};
use ratify_tlog::{
    leaf_hash, prove_consistency, prove_inclusion, tree_hash, verify_log, Checkpoint, Entry,
    Frontier, Hash, MemoryStore, Signer, Timestamp,
};
use serde_json::json;

const ORIGIN: &str = "ratify.example/bench";

/// A log shaped like a big election: mostly `ballot.cast`, some committee entries.
fn build_log(n: u64, signer: &Signer) -> (Vec<u8>, Vec<String>) {
    let mut out = Vec::with_capacity(n as usize * 260);
    let mut notes = Vec::new();
    let mut link = None;
    let mut frontier = Frontier::new();
    for i in 0..n {
        let (kind, actor, data) = if i % 1000 == 0 {
            (
                "credential.reissued",
                Some("committee-7"),
                json!({"reason": "lost email", "unit": "warehouse-12"}),
            )
        } else {
            (
                "ballot.cast",
                None,
                json!({"tracker": format!("{:016x}{:016x}", i * 7919, i), "unit": "warehouse-12"}),
            )
        };
        let t = Timestamp::from_unix_millis(1_795_339_800_000 + i as i64 * 7).unwrap();
        let e = Entry::next(link, t, kind, actor, data.as_object().unwrap().clone()).unwrap();
        out.extend_from_slice(&e.canonical_bytes());
        out.push(b'\n');
        link = Some(e.link());
        frontier.append(e.leaf_hash());
        if frontier.size().is_multiple_of(10_000) || frontier.size() == n {
            let cp = Checkpoint::new(ORIGIN, frontier.size(), frontier.root());
            notes.push(sign_checkpoint(&cp, signer).unwrap());
        }
    }
    (out, notes)
}

fn bench_verify(c: &mut Criterion) {
    let signer = Signer::from_seed("ratify.example", &[1; 32]).unwrap();
    let verifier = signer.verifier();
    let n = 200_000u64;
    let (export, notes) = build_log(n, &signer);
    eprintln!(
        "export: {n} entries, {} bytes ({} bytes/entry), {} checkpoints",
        export.len(),
        export.len() as u64 / n,
        notes.len()
    );
    let mut g = c.benchmark_group("verify");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(n));
    g.bench_function("export_200k_entries", |b| {
        b.iter(|| {
            let s = verify_log(&export[..], &notes, &verifier, Some(ORIGIN), None).unwrap();
            assert_eq!(s.entries, n);
        })
    });
    g.finish();
}

fn bench_proofs(c: &mut Criterion) {
    let n = 1_000_000u64;
    let mut store = MemoryStore::new();
    for i in 0..n {
        store.append(leaf_hash(&i.to_be_bytes()));
    }
    // Hash reads per operation over a spread of (index, size) pairs.
    let pairs: Vec<(u64, u64)> = (1..=1000u64)
        .map(|k| {
            let size = n - (k * 7_919) % (n / 2);
            ((k * 104_729) % size, size)
        })
        .collect();
    let (mut inc_max, mut con_max, mut th_max) = (0, 0, 0);
    let (mut inc_sum, mut con_sum) = (0, 0);
    for &(index, size) in &pairs {
        store.reset_counters();
        prove_inclusion(index, size, &store).unwrap();
        assert!(store.read_calls() <= 1);
        inc_max = inc_max.max(store.hashes_read());
        inc_sum += store.hashes_read();
        store.reset_counters();
        prove_consistency(index.max(1), size, &store).unwrap();
        assert!(store.read_calls() <= 1);
        con_max = con_max.max(store.hashes_read());
        con_sum += store.hashes_read();
        store.reset_counters();
        tree_hash(size, &store).unwrap();
        th_max = th_max.max(store.hashes_read());
    }
    eprintln!(
        "1,000,000-entry log: one read_hashes call per operation; stored hashes read: inclusion mean {:.1} max {inc_max}, consistency mean {:.1} max {con_max}, tree head max {th_max}",
        inc_sum as f64 / pairs.len() as f64,
        con_sum as f64 / pairs.len() as f64
    );

    let mut g = c.benchmark_group("proofs_1m");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut k = 0usize;
    g.bench_function("inclusion_proof", |b| {
        b.iter(|| {
            k = (k + 1) % pairs.len();
            let (i, s) = pairs[k];
            black_box(prove_inclusion(i, s, &store).unwrap())
        })
    });
    g.bench_function("consistency_proof", |b| {
        b.iter(|| {
            k = (k + 1) % pairs.len();
            let (i, s) = pairs[k];
            black_box(prove_consistency(i.max(1), s, &store).unwrap())
        })
    });
    let root = store.root();
    let proof = prove_inclusion(123_456, n, &store).unwrap();
    let leaf = leaf_hash(&123_456u64.to_be_bytes());
    g.bench_function("verify_inclusion", |b| {
        b.iter(|| proof.verify(black_box(&leaf), &root).unwrap())
    });
    g.bench_function("append_leaf", |b| {
        let mut s = MemoryStore::new();
        let h = Hash([3; 32]);
        b.iter(|| s.append(black_box(h)))
    });
    g.finish();
}

fn bench_checkpoints(c: &mut Criterion) {
    let signer = Signer::from_seed("ratify.example", &[1; 32]).unwrap();
    let verifier = signer.verifier();
    let cp = Checkpoint::new(ORIGIN, 1_000_000, Hash([5; 32]));
    let note = sign_checkpoint(&cp, &signer).unwrap();
    let mut g = c.benchmark_group("checkpoint");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("sign", |b| {
        b.iter(|| sign_checkpoint(black_box(&cp), &signer).unwrap())
    });
    g.bench_function("verify", |b| {
        b.iter(|| parse_and_verify_checkpoint(black_box(&note), &verifier).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_verify, bench_proofs, bench_checkpoints);
criterion_main!(benches);
