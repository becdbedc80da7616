//! The command line. The names are an interface others script against
//! (shared/spec/acceptance.md): keep them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ratify",
    version,
    about = "A secure ballot service for union contract votes"
)]
pub struct Cli {
    /// Configuration file, layered over the embedded default and under
    /// RATIFY__SECTION__KEY environment variables.
    #[arg(long, global = true, default_value = crate::config::DEFAULT_PATH)]
    pub config: PathBuf,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server and its background jobs (checkpointer, mail).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    #[command(subcommand)]
    Account(AccountCommand),
    #[command(subcommand)]
    Election(ElectionCommand),
    #[command(subcommand)]
    Roll(RollCommand),
    #[command(subcommand)]
    Trustee(TrusteeCommand),
    #[command(subcommand)]
    Ballots(BallotsCommand),
    #[command(subcommand)]
    Mail(MailCommand),
    /// Combine the recorded ballots per reported group (after close only).
    Tally {
        slug: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show the decrypted results per group and overall.
    Results { slug: String },
    /// Certify the results (a quorum of committee members, from the spec).
    Certify {
        slug: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    #[command(subcommand)]
    Record(RecordCommand),
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: crate::account::Role,
        #[arg(long)]
        password_stdin: bool,
        /// Also set up a TOTP second factor; prints the otpauth URL.
        #[arg(long)]
        totp: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ElectionCommand {
    /// Create an election from a TOML spec; prints its slug.
    Create { spec: PathBuf },
    /// Show an election's spec summary, state and roll counts.
    Show { slug: String },
    /// Combine the trustees' key material, publish the key, freeze the spec.
    PublishKey { slug: String },
    /// Extend the closing time (only ever later), with a reason.
    Extend {
        slug: String,
        #[arg(long)]
        closes_at: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RollCommand {
    /// Import (or, while a draft, replace) the roll from CSV.
    Import { slug: String, roll: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum TrusteeCommand {
    /// Offline: make a trustee key (DIR/secret.key, DIR/public.json).
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Register a trustee file (public key, deal, confirmation, complaint).
    Register { slug: String, file: PathBuf },
    /// Write everything registered so far, for the trustees.
    Roster {
        slug: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Offline: encrypted shares for the other trustees.
    Deal(OfflineArgs),
    /// Offline: check received shares; a confirmation or a complaint.
    Confirm(OfflineArgs),
    /// Offline: decryption shares of the tally, with proofs.
    Decrypt {
        #[arg(long)]
        key: PathBuf,
        #[arg(long)]
        tally: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Submit a decryption share.
    Submit { slug: String, share: PathBuf },
    /// Void a trustee's deal after a registered complaint proved it bad;
    /// every confirmation and complaint is set aside too (logged as
    /// trustee.voided with the reason). The trustee deals again and every
    /// trustee confirms again.
    Void {
        slug: String,
        /// The dealer whose deal is voided.
        trustee: u32,
        /// Why, for the audit log.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct OfflineArgs {
    #[arg(long)]
    pub key: PathBuf,
    #[arg(long)]
    pub roster: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum BallotsCommand {
    /// Queue one ballot email per eligible member (--reminder: non-voters).
    Send {
        slug: String,
        #[arg(long)]
        reminder: bool,
        /// Also mail members whose only address is at an employer domain
        /// (mail.employer_domains): the committee's reason, logged.
        #[arg(long, value_name = "REASON")]
        employer_addresses: Option<String>,
    },
    /// Revoke a member's link and send a new one.
    Reissue {
        slug: String,
        member_number: String,
        #[arg(long)]
        reason: String,
        /// A corrected email address to send the new link to.
        #[arg(long)]
        email: Option<String>,
    },
    /// Print notices (link and QR code) for a unit or named members; each
    /// gets a new link, replacing any earlier one.
    Print {
        slug: String,
        #[arg(long, conflicts_with = "member")]
        unit: Option<String>,
        #[arg(long)]
        member: Vec<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Delivery counts per unit and the undeliverable list.
    Delivery { slug: String },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Read one delivery status notification (RFC 3464) on standard input,
    /// as an MTA's pipe delivers it, and mark the message it names.
    Bounce {
        /// The address the report was delivered to (the pipe's recipient),
        /// if the MTA passes it: bounce+<id>@domain.
        #[arg(long)]
        recipient: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// Export the election record (--private: with the voted list and salt).
    Export {
        slug: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        private: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify an exported election record; exit 0 only if all of it verifies.
    Verify {
        dir: PathBuf,
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The log's key as you got it from the committee or the election's
        /// public page: its verifier key (name+id+base64) or the Ed25519
        /// public key in hex. A record signed with any other key fails.
        #[arg(long)]
        vkey: Option<String>,
        /// Check a bare log export (record.json and log/ only, such as the
        /// system log): the layout and the log, nothing else.
        #[arg(long)]
        log_only: bool,
    },
}
