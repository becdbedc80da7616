//! Per-ballot costs of check 8 on one core, for docs/performance.md
//! §"Verification": reading a line with serde_json into dalek points (the
//! obvious way) against ratify-verify's line reader, and the batched
//! proofs of 2,048 ballots. CPU time of the measuring thread, medians of 5
//! rounds over the record's first 2,048 lines:
//!
//! ```sh
//! cargo run --release -p ratify-verify --example ballot_costs -- /tmp/rec500k
//! ```

use std::io::{BufRead, BufReader};

use ratify_crypto::{ElectionContext, ElectionKeys, EncryptedBallot, QuestionShape};
use serde_json::Value;

#[derive(serde::Deserialize)]
#[allow(dead_code)] // read to measure serde's cost, not used
struct Line {
    tracker: String,
    unit: String,
    ballot: EncryptedBallot,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn context(dir: &str) -> ElectionContext {
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).expect("a record file");
    let keys: ElectionKeys =
        serde_json::from_str(&read("trustees/election-keys.json")).expect("keys");
    let spec: Value = serde_json::from_str(&read("election.json")).expect("spec");
    ElectionContext {
        election_id: spec["slug"].as_str().expect("slug").into(),
        public_key: keys.public_key,
        questions: spec["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .map(|q| QuestionShape {
                id: q["id"].as_str().expect("id").into(),
                options: q["options"].as_array().expect("options").len(),
                allow_blank: q["allow_blank"].as_bool().expect("bool"),
            })
            .collect(),
    }
}

/// This thread's CPU time (user + system) in seconds, from
/// /proc/thread-self/stat (clock ticks of 10 ms): on a machine shared with
/// other builds, wall time measures the neighbours.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    let ticks: f64 = f[11].parse::<f64>().expect("utime") + f[12].parse::<f64>().expect("stime");
    ticks / 100.0
}

/// Microseconds of CPU per item of `f` over `n` items (each round runs
/// `f` until at least 2 s of CPU have passed), median of 5 rounds.
fn per_item(n: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..5)
            .map(|_| {
                let (t, mut runs) = (cpu_seconds(), 0);
                while cpu_seconds() - t < 2.0 {
                    f();
                    runs += 1;
                }
                (cpu_seconds() - t) * 1e6 / (n * runs) as f64
            })
            .collect(),
    )
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: ballot_costs <record dir>");
    let ctx = context(&dir);
    let file = std::fs::File::open(format!("{dir}/ballots.jsonl")).expect("ballots.jsonl");
    let lines: Vec<String> = BufReader::new(file)
        .lines()
        .take(ratify_crypto::BATCH_CHUNK)
        .map(|l| l.expect("a line"))
        .collect();
    let n = lines.len();
    let serde = per_item(n, || {
        for l in &lines {
            let _: Line = serde_json::from_str(l).expect("a ballot line");
        }
    });
    let bytes_only = per_item(n, || {
        for l in &lines {
            ratify_verify::parse_line(l.as_bytes()).expect("a ballot line");
        }
    });
    let mut ballots = Vec::new();
    let decode = per_item(n, || {
        ballots = lines
            .iter()
            .map(|l| {
                ratify_verify::parse_line(l.as_bytes())
                    .and_then(|r| r.decode())
                    .expect("a ballot")
            })
            .collect();
    });
    let mut rng = ratify_crypto::os_rng();
    let proofs = per_item(n, || {
        ratify_crypto::verify_ballots_batch(&ctx, &ballots, &mut rng).expect("valid proofs");
    });
    let tracker = per_item(n, || {
        for b in &ballots {
            std::hint::black_box(b.tracker());
        }
    });
    println!("{n} ballots, µs per ballot (median of 5), one core:");
    println!("  serde_json into dalek points      {serde:7.1}");
    println!("  line reader, bytes only           {bytes_only:7.1}");
    println!("  line reader + decompress (28 pts) {decode:7.1}");
    println!("  tracker recomputed                {tracker:7.1}");
    println!("  proofs, one batch                 {proofs:7.1}");
}
