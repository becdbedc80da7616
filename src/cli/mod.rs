//! The `ratify` command line: parses arguments, runs one action, prints a
//! human or JSON answer, and maps errors to exit codes in one place.

mod account;
pub mod args;
mod audit;
mod ballots;
mod election;
mod mail;
mod record;
mod serve;
mod tally;
mod trustee;

use std::process::ExitCode;

use crate::config::Settings;
use crate::db::Db;
use crate::error::{Error, Result};
pub use args::Cli;
use args::*;

/// What a command prints: a sentence for people, JSON for scripts.
pub struct Report {
    pub human: String,
    pub json: serde_json::Value,
}

impl Report {
    pub fn new(human: impl Into<String>, json: serde_json::Value) -> Report {
        Report {
            human: human.into(),
            json,
        }
    }
}

/// Runs the command and returns the process exit code.
pub fn main(cli: Cli) -> ExitCode {
    let json = cli.json;
    match run(cli) {
        Ok(report) => {
            if json {
                println!("{}", report.json);
            } else if !report.human.is_empty() {
                println!("{}", report.human);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            // One line, naming what went wrong (acceptance.md).
            eprintln!("ratify: {err}");
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Exit codes: 1 verification or input problems a person must fix, 2 usage
/// (clap's own), 4 environment (config, database, keys).
pub fn exit_code(err: &Error) -> u8 {
    match err {
        Error::Invalid(_)
        | Error::InvalidField(_)
        | Error::Taken(_)
        | Error::NotFound(_)
        | Error::Forbidden(_)
        | Error::Conflict(_) => 1,
        Error::Config(_)
        | Error::Unavailable(_)
        | Error::Migration(_)
        | Error::Keys(_)
        | Error::Io { .. } => 4,
        Error::Database(_) | Error::Internal(_) => 5,
    }
}

fn run(cli: Cli) -> Result<Report> {
    let settings = || Settings::load(Some(&cli.config));
    match cli.command {
        Command::Serve => serve::run(settings()?),
        Command::Migrate => migrate(&settings()?),
        Command::Account(cmd) => account::run(&settings()?, cmd),
        Command::Election(cmd) => election::run(&settings()?, cmd),
        Command::Roll(RollCommand::Import { slug, roll }) => {
            election::import_roll(&settings()?, &slug, &roll, cli.json)
        }
        Command::Trustee(cmd) => trustee::run(&cli.config, cmd),
        Command::Ballots(cmd) => ballots::run(&settings()?, cmd),
        Command::Mail(MailCommand::Bounce { recipient }) => {
            mail::bounce(&settings()?, recipient.as_deref())
        }
        Command::Tally { slug, out } => tally::tally(&settings()?, &slug, &out),
        Command::Results { slug } => tally::results(&settings()?, &slug),
        Command::Certify {
            slug,
            email,
            password_stdin,
        } => tally::certify(&settings()?, &slug, &email, password_stdin),
        Command::Record(RecordCommand::Export { slug, out, private }) => {
            record::export(&settings()?, &slug, &out, private)
        }
        Command::Audit(AuditCommand::Verify {
            dir,
            checkpoint,
            vkey,
            log_only,
        }) => audit::verify(&dir, checkpoint.as_deref(), vkey, log_only, cli.json),
    }
}

/// Connects and brings the schema up to date.
pub fn open_database(settings: &Settings) -> Result<Db> {
    let db = Db::connect(&settings.database)?;
    db.migrate()?;
    Ok(db)
}

fn migrate(settings: &Settings) -> Result<Report> {
    let db = Db::connect(&settings.database)?;
    let applied = db.migrate()?;
    let human = if applied.is_empty() {
        format!("{} database is up to date", db.backend().name())
    } else {
        format!(
            "applied {} migration(s) to the {} database: {}",
            applied.len(),
            db.backend().name(),
            applied.join(", ")
        )
    };
    Ok(Report::new(
        human,
        serde_json::json!({ "backend": db.backend().name(), "applied": applied }),
    ))
}
