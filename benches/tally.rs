//! The tally of a 500,000-ballot election (issue 14 bar: ≤ 30 s, aim
//! ≤ 8 s), 2 questions × 2 options, on SQLite, and on PostgreSQL when
//! RATIFY_BENCH_PG names a server where a database may be created.
//!
//! Ballots: 10,000 distinct ballots encrypted with proofs under the
//! election's real key, each stored 50 times under distinct trackers (the
//! tally parses and sums every stored line the same way whatever it holds,
//! and checks no proof, so the cost is that of 500,000 distinct ballots;
//! encrypting 500,000 would take minutes and measure nothing more).
//! Members are marked as having voted, so the close's counts agree.
//!
//! Measured: `tally::aggregate::per_unit` (stream, parse and sum per unit;
//! criterion, 10 samples), then once each `tally::close_if_due` (counts,
//! voted commitment, storage rewrite) and `tally::tally` (the rest: groups,
//! request, log entry). Run: `cargo bench --bench tally`
//! (RATIFY_BENCH_BALLOTS changes the count).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use diesel::connection::SimpleConnection;
use ratify::config::DatabaseSettings;
use ratify::db::{write_transaction, Db};
use ratify_testkit::{roll, SpecFixture};
use serde::Serialize;

const SLUG: &str = "bench-tally";
const DISTINCT: usize = 10_000;

fn ballots() -> usize {
    std::env::var("RATIFY_BENCH_BALLOTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500_000)
}

#[derive(Serialize)]
struct Line<'a> {
    tracker: &'a str,
    unit: &'a str,
    ballot: &'a ratify_crypto::EncryptedBallot,
}

/// An election with its key published, `n` members who all voted, and `n`
/// stored ballots.
fn prepared(url: &str, n: usize) -> Db {
    let db = Db::connect(&DatabaseSettings {
        url: url.to_string(),
        pool_size: 4,
        connection_timeout_secs: 60,
    })
    .unwrap();
    db.migrate().unwrap();
    let mut conn = db.get().unwrap();
    let now = Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap();
    let spec = ratify::election::parse_spec(&SpecFixture::far_future(SLUG).toml()).unwrap();
    ratify::election::create_election(&mut conn, &spec, Some("bench"), now).unwrap();
    let members = roll::spread(n);
    let csv = roll::csv(&members);
    let parsed = ratify::roll::parse_roll(csv.as_bytes(), &spec.unit_codes()).unwrap();
    ratify::roll::import_roll(&mut conn, SLUG, &parsed, Some("bench"), now, |_| {}).unwrap();
    let mut register = db.get().unwrap();
    ratify_testkit::key_ceremony(
        spec.trustees() as usize,
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
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    let ctx = ratify::election::ballot_context(&e).unwrap();
    let mut rng = ratify_crypto::os_rng();
    let started = Instant::now();
    let distinct: Vec<_> = (0..DISTINCT.min(n))
        .map(|i| {
            let choices = [Some(i % 2), (i % 3 != 0).then_some(i % 2)];
            ratify_crypto::encrypt_ballot(&ctx, &choices, &mut rng).unwrap()
        })
        .collect();
    eprintln!(
        "encrypted {} ballots in {:?}",
        distinct.len(),
        started.elapsed()
    );
    let started = Instant::now();
    write_transaction(&mut conn, |conn| -> ratify::error::Result<()> {
        for (i, m) in members.iter().enumerate() {
            let tracker = format!("{:064x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15);
            let line = serde_json::to_string(&Line {
                tracker: &tracker,
                unit: &m.unit,
                ballot: &distinct[i % distinct.len()],
            })
            .unwrap();
            ratify::db::ballots::insert(conn, e.id, &tracker, &m.unit, &line)?;
        }
        Ok(())
    })
    .unwrap();
    conn.batch_execute("UPDATE members SET has_voted = TRUE")
        .unwrap();
    eprintln!("stored {n} ballots in {:?}", started.elapsed());
    db
}

fn bench_backend(c: &mut Criterion, name: &str, url: &str) {
    let n = ballots();
    let db = prepared(url, n);
    let (id, shape) = {
        let mut conn = db.get().unwrap();
        let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
        let shape: Vec<(String, usize)> = e
            .spec
            .questions()
            .iter()
            .map(|q| (q.id().to_string(), q.options().len()))
            .collect();
        (e.id, shape)
    };
    let mut group = c.benchmark_group(format!("tally {n} ballots"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(1));
    group.bench_function(format!("stream, parse and sum per unit ({name})"), |b| {
        b.iter(|| {
            let mut conn = db.get().unwrap();
            let totals =
                ratify::tally::aggregate::per_unit(&mut conn, id, SLUG, shape.clone()).unwrap();
            assert_eq!(
                ratify_testkit::UNITS
                    .iter()
                    .map(|u| totals.ballots(u))
                    .sum::<u64>(),
                n as u64
            );
        })
    });
    group.finish();
    // The fixture closes 2099-12-11 17:00 in Los Angeles (01:00 UTC on the 12th).
    let after = Utc.with_ymd_and_hms(2099, 12, 13, 0, 0, 0).unwrap();
    let mut conn = db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    let started = Instant::now();
    ratify::tally::close_if_due(&mut conn, &e, after)
        .unwrap()
        .expect("closes");
    eprintln!(
        "tally {n} ballots/close incl. storage rewrite ({name}): {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let t = ratify::tally::tally(&mut conn, SLUG, Some("bench"), after).unwrap();
    eprintln!(
        "tally {n} ballots/ratify tally after the close ({name}): {:?}",
        started.elapsed()
    );
    assert_eq!(t.groups.iter().map(|g| g.ballots).sum::<u64>(), n as u64);
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    bench_backend(
        c,
        "sqlite",
        &format!("sqlite://{}/bench.db", dir.path().display()),
    );
    if let Ok(admin) = std::env::var("RATIFY_BENCH_PG") {
        let name = format!("ratify_bench_tally_{}", std::process::id());
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
