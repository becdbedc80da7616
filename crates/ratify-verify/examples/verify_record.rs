//! Verifies a record and prints how long it took, for the benchmark of
//! docs/performance.md §"Verification" (peak memory: run it under
//! `/usr/bin/time -v`):
//!
//! ```sh
//! cargo run --release -p ratify-testkit --bin ratify-fixture -- record /tmp/rec500k 500000
//! cargo build --release -p ratify-verify --example verify_record
//! /usr/bin/time -v target/release/examples/verify_record /tmp/rec500k
//! ```

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: verify_record <record dir>");
        return ExitCode::from(2);
    };
    // `--log-only` times checks 1 and 2 alone.
    let log_only = std::env::args().nth(2).as_deref() == Some("--log-only");
    let opts = ratify_verify::Options {
        progress: true,
        log_only,
        ..Default::default()
    };
    let started = Instant::now();
    match ratify_verify::verify_record(std::path::Path::new(&dir), &opts) {
        Ok(v) => {
            for c in &v.checks {
                println!("{:>2}. {}", c.check_number, c.note);
            }
            println!(
                "verified {} ballots, {} entries in {:.2} s",
                v.ballots,
                v.entries,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(f) => {
            println!("{f}  ({:.2} s)", started.elapsed().as_secs_f64());
            ExitCode::FAILURE
        }
    }
}
