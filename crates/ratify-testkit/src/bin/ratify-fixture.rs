//! Writes a shared fixture to standard output, for the shell benches and
//! by-hand runs, so they use the same data as the tests:
//!
//! ```sh
//! cargo run -p ratify-testkit --bin ratify-fixture -- spec > spec.toml   # window in December 2099
//! cargo run -p ratify-testkit --bin ratify-fixture -- roll 500000 > roll.csv
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use ratify_testkit::{roll, SpecFixture, SLUG};

const USAGE: &str = "usage: ratify-fixture spec | roll <members>";

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
