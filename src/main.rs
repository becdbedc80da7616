use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ratify::cli::main(ratify::cli::Cli::parse())
}
