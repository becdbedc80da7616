//! Issuing ballot credentials for a 500,000-member roll (issue 12 bar:
//! ≤ 60 s, aim ≤ 20 s): `credential::queue_ballots`, exactly what
//! `ratify ballots send` runs — a token per member from `SystemRandom`, its
//! HMAC-SHA256, the credential rows and the queued messages, in one
//! transaction with the audit entry — on SQLite, and on PostgreSQL when
//! RATIFY_BENCH_PG names a server where a database may be created. Also the
//! in-memory part alone (tokens and hashes), to show where the time goes.
//! Run: `cargo bench --bench credential_issue` (RATIFY_BENCH_MEMBERS
//! changes the roll's size).

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};
use diesel::connection::SimpleConnection;
use ratify::config::DatabaseSettings;
use ratify::credential::{self, SendOptions, Token};
use ratify::db::Db;
use ratify_testkit::{roll, SpecFixture};

fn members() -> usize {
    std::env::var("RATIFY_BENCH_MEMBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500_000)
}

const SLUG: &str = "bench-issue";

/// A database with the election's key published and `n` members.
fn prepared(url: &str, n: usize) -> Db {
    let db = Db::connect(&DatabaseSettings {
        url: url.to_string(),
        pool_size: 4,
        connection_timeout_secs: 30,
    })
    .unwrap();
    db.migrate().unwrap();
    let mut conn = db.get().unwrap();
    let now = Utc::now();
    let spec = ratify::election::parse_spec(&SpecFixture::far_future(SLUG).toml()).unwrap();
    ratify::election::create_election(&mut conn, &spec, Some("bench"), now).unwrap();
    let csv = roll::csv(&roll::spread(n));
    let parsed = ratify::roll::parse_roll(csv.as_bytes(), &spec.unit_codes()).unwrap();
    ratify::roll::import_roll(&mut conn, SLUG, &parsed, Some("bench"), now, |_| {}).unwrap();
    let trustees = spec.trustees() as usize;
    let mut register = db.get().unwrap();
    ratify_testkit::key_ceremony(
        trustees,
        |file| {
            ratify::ceremony::register_trustee_file(
                &mut register,
                SLUG,
                &file.to_json(),
                None,
                now,
            )
            .unwrap();
        },
        || ratify::ceremony::roster(&mut db.get().unwrap(), SLUG).unwrap(),
    );
    ratify::ceremony::publish_key(&mut conn, SLUG, Some("bench"), now, 1).unwrap();
    db
}

fn key() -> ring::hmac::Key {
    ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[7u8; 32])
}

fn bench_backend(c: &mut Criterion, name: &str, url: &str) {
    let n = members();
    let db = prepared(url, n);
    let key = key();
    let mut group = c.benchmark_group(format!("issue {n} credentials"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(1));
    group.bench_function(format!("queue_ballots ({name})"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Untimed: forget the last run's credentials and messages.
                db.get()
                    .unwrap()
                    .batch_execute("DELETE FROM outbox; DELETE FROM credentials;")
                    .unwrap();
                let mut conn = db.get().unwrap();
                let start = Instant::now();
                let q = credential::queue_ballots(
                    &mut conn,
                    SLUG,
                    &key,
                    &SendOptions::default(),
                    Some("bench"),
                    Utc::now(),
                )
                .unwrap();
                total += start.elapsed();
                assert_eq!(q.queued, n as u64);
            }
            total
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let n = members();
    let rng = ring::rand::SystemRandom::new();
    let key = key();
    let mut group = c.benchmark_group(format!("issue {n} credentials"));
    group.sample_size(10);
    group.bench_function("tokens and HMACs in memory", |b| {
        b.iter(|| {
            for _ in 0..n {
                let t = Token::generate(&rng).unwrap();
                std::hint::black_box(t.hash(&key));
            }
        })
    });
    group.finish();

    let dir = tempfile::tempdir().unwrap();
    bench_backend(
        c,
        "sqlite",
        &format!("sqlite://{}/bench.db", dir.path().display()),
    );
    if let Ok(admin) = std::env::var("RATIFY_BENCH_PG") {
        let name = format!("ratify_bench_issue_{}", std::process::id());
        let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&admin).unwrap();
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        bench_backend(c, "postgres", url.as_str());
        conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .unwrap();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
