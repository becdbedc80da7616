//! Background jobs that run beside the HTTP server in `ratify serve`: each on
//! its own thread, woken every interval, backing off after errors, and
//! stopped with the server (issue 9): the checkpointer, the mail worker
//! (outbox delivery, issue 12) and the closer (the close at `closes_at`,
//! issue 14).
//!
//! Jobs are blocking code (diesel, and later SMTP), so they run on plain
//! threads rather than on the async workers that answer requests.

pub mod checkpointer;
pub mod closer;
pub mod mail;
mod runner;

pub use checkpointer::Checkpointer;
pub use closer::Closer;
pub use mail::MailWorker;
pub use runner::{backoff_delay, Job, Outcome, Workers};
