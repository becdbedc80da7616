//! The cast benchmark (issue 13): `cargo run --release --bin loadgen`.
//!
//! Sets up an election as the committee would (the shared fixtures' spec
//! and a generated roll, the key ceremony, a printed ballot link for every
//! member: the tokens reach this driver in memory, never through a log),
//! starts `ratify serve` on it, and casts every member's ballot over HTTP
//! from N concurrent clients as a browser does: GET the ballot page, POST
//! the review with the page's radio fields, POST the cast with the review
//! page's hidden fields, expect the 303 to the receipt. It reports
//! ballots/s, latency percentiles, errors and the server's peak RSS, and
//! checks afterwards that the database holds one ballot per receipt (S19:
//! a receipt is shown only after the commit). docs/performance.md has the
//! commands and the figures.

mod drive;
mod form;
mod report;
mod server;
mod setup;

use std::path::PathBuf;

use clap::Parser;

/// Casts real ballots against a real `ratify serve` and reports the rate.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
pub struct Args {
    /// `sqlite` (a fresh file in the work directory) or a PostgreSQL admin
    /// URL (`postgres://USER@HOST:PORT/postgres`): a fresh database is
    /// created there and dropped afterwards.
    #[arg(long, default_value = "sqlite")]
    pub database: String,
    /// Members on the roll; each casts one ballot.
    #[arg(long, default_value_t = 20_000)]
    pub voters: usize,
    /// Concurrent clients (one keep-alive connection each).
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// `server.workers` of the served app (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// `database.pool_size` of the served app.
    #[arg(long, default_value_t = 8)]
    pub pool_size: u32,
    /// The `ratify` binary to serve with (default: beside this one, so
    /// `cargo build --release` first).
    #[arg(long)]
    pub ratify: Option<PathBuf>,
    /// Work directory for the config, keys, SQLite file and server log
    /// (default: a fresh one under the system's temporary directory).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Keep the work directory and the PostgreSQL database afterwards.
    #[arg(long)]
    pub keep: bool,
}

fn main() {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(message) => {
            eprintln!("loadgen: {message}");
            std::process::exit(2);
        }
    }
}

/// Sets up, serves, drives, checks; true when every ballot was counted.
fn run(args: &Args) -> Result<bool, String> {
    let work = setup::WorkDir::new(args)?;
    eprintln!(
        "loadgen: setting up {} voters in {}",
        args.voters,
        work.dir.display()
    );
    let started = std::time::Instant::now();
    let election = setup::open_election(&work, args.voters)?;
    eprintln!(
        "loadgen: set up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut serve = server::Serve::start(args, &work)?;
    let rss_idle = serve.rss_kib("VmRSS");
    let outcome = drive::drive(&serve.address, &election.tokens, args.connections)?;
    let peak_rss = serve.rss_kib("VmHWM");
    serve.stop();
    let stored = setup::stored_ballots(&work)?;
    let report = report::Report {
        args,
        outcome: &outcome,
        stored,
        rss_idle,
        peak_rss,
    };
    println!("{report}");
    let all_counted = outcome.receipts() == args.voters && stored == outcome.receipts() as i64;
    work.finish(args.keep);
    Ok(all_counted)
}
