//! Writes a shared fixture to standard output, for the shell benches and
//! by-hand runs, so they use the same data as the tests:
//!
//! ```sh
//! cargo run -p ratify-testkit --bin ratify-fixture -- spec > spec.toml   # window in December 2099
//! cargo run -p ratify-testkit --bin ratify-fixture -- roll 500000 > roll.csv
//! cargo run --release -p ratify-testkit --bin ratify-fixture -- record DIR 500000   # a certified election record
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use ratify_testkit::{roll, SpecFixture, SLUG};

const USAGE: &str = "usage: ratify-fixture spec | roll <members> | record <empty dir> <ballots>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["spec"] => SpecFixture::far_future(SLUG).toml(),
        ["roll", n] => match n.parse::<usize>() {
            Ok(n) => roll::csv(&roll::spread(n)),
            Err(_) => {
                eprintln!("ratify-fixture: `{n}` is not a number of members\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["record", dir, n] => return record(dir, n),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match std::io::stdout().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ratify-fixture: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A certified record of `n` ballots (2 questions × 2 options) in `dir`.
fn record(dir: &str, n: &str) -> ExitCode {
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("ratify-fixture: `{n}` is not a number of ballots\n{USAGE}");
        return ExitCode::from(2);
    };
    let dir = std::path::Path::new(dir);
    if std::fs::create_dir_all(dir).is_err()
        || std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some())
    {
        eprintln!("ratify-fixture: {} must be an empty folder", dir.display());
        return ExitCode::FAILURE;
    }
    let started = std::time::Instant::now();
    ratify_testkit::record::build(&ratify_testkit::record::Plan::large("bench-2026", n), dir);
    eprintln!(
        "wrote a certified record of {n} ballots to {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
