use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's malloc: fewer cycles per small allocation
/// on the cast path (issue 13's benchmark, docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ratify::cli::main(ratify::cli::Cli::parse())
}
