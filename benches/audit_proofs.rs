//! Inclusion and consistency proofs served from the database on a
//! 1,000,000-entry log (issue 5 bar: ≤ 10 ms each), on SQLite and — when
//! RATIFY_BENCH_PG names a server where a database may be created — on
//! PostgreSQL. Run: `cargo bench --bench audit_proofs`.
//!
//! The log's node hashes are computed in memory with ratify-tlog and bulk
//! loaded (appending a million entries one by one would measure the loader,
//! not the proofs); the proofs then go through `ratify::audit`, exactly as
//! the HTTP endpoints call them.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use diesel::connection::SimpleConnection;
use ratify::audit::{self, LogName};
use ratify::config::DatabaseSettings;
use ratify::db::Db;
use ratify_tlog::leaf_hash;
use ratify_tlog::merkle::{stored_hashes_for_append, MemoryStore};

const SIZE: u64 = 1_000_000;

fn load(db: &Db) {
    let mut conn = db.get().unwrap();
    conn.batch_execute(
        "INSERT INTO audit_logs (name, size, head_time) VALUES ('election/bench', 1000000, 0)",
    )
    .unwrap();
    let mut store = MemoryStore::new();
    let mut rows: Vec<String> = Vec::with_capacity(2_000);
    let flush = |rows: &mut Vec<String>, conn: &mut ratify::db::DbConnection| {
        if rows.is_empty() {
            return;
        }
        let sql = format!(
            "INSERT INTO audit_nodes (log_id, level, idx, hash) VALUES {}",
            rows.join(",")
        );
        conn.batch_execute(&sql).unwrap();
        rows.clear();
    };
    conn.batch_execute("BEGIN").unwrap();
    for i in 0..SIZE {
        let leaf = leaf_hash(format!("entry {i}").as_bytes());
        let nodes = stored_hashes_for_append(i, leaf, &store).unwrap();
        store.store(&nodes);
        for (id, h) in &nodes {
            let lit = match &*conn {
                ratify::db::DbConnection::Sqlite(_) => format!("X'{}'", h.to_hex()),
                ratify::db::DbConnection::Postgres(_) => format!("'\\x{}'::bytea", h.to_hex()),
            };
            rows.push(format!("(1, {}, {}, {lit})", id.level, id.index));
        }
        if rows.len() >= 2_000 {
            flush(&mut rows, &mut conn);
        }
    }
    flush(&mut rows, &mut conn);
    conn.batch_execute("COMMIT").unwrap();
}

fn bench_backend(c: &mut Criterion, name: &str, url: String) {
    let db = Db::connect(&DatabaseSettings {
        url,
        pool_size: 2,
        connection_timeout_secs: 30,
    })
    .unwrap();
    db.migrate().unwrap();
    load(&db);
    let log = LogName::Election("bench".into());
    let mut conn = db.get().unwrap();
    let mut group = c.benchmark_group(format!("audit_proofs_{name}"));
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(50);
    let mut i = 0u64;
    group.bench_function("inclusion_1M", |b| {
        b.iter(|| {
            i = (i + 7_919) % SIZE;
            audit::inclusion_proof(&mut conn, &log, i, SIZE).unwrap()
        })
    });
    let mut m = 1u64;
    group.bench_function("consistency_1M", |b| {
        b.iter(|| {
            m = (m + 104_729) % (SIZE - 1) + 1;
            audit::consistency_proof(&mut conn, &log, m, SIZE).unwrap()
        })
    });
    group.finish();
}

fn proofs(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    bench_backend(
        c,
        "sqlite",
        format!("sqlite://{}", tmp.path().join("bench.db").display()),
    );
    if let Ok(admin) = std::env::var("RATIFY_BENCH_PG") {
        let name = format!("ratify_bench_{}", std::process::id());
        let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&admin).unwrap();
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        bench_backend(c, "postgres", url);
        conn.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .unwrap();
    }
}

criterion_group!(benches, proofs);
criterion_main!(benches);
