//! Ballot credentials (S1-S3): the [`Token`] type, and the use cases that
//! issue them — queueing the ballot emails (`ratify ballots send`),
//! reminders, reissuing one member's link, and printed notices. Each runs
//! in one write transaction with its audit entry (S12); a reissue revokes
//! the old credential in the same transaction as it issues the new (S2).

mod issue;
mod token;

pub use issue::{
    is_employer_address, print_notices, queue_ballots, reissue, Notice, PrintSelection, Queued,
    Reissue, Reissued, SendOptions,
};
pub use token::{Token, TokenHash, TOKEN_CHARS};

/// A random identifier for a message (its Message-ID and VERP return
/// path): 120 bits, so ids never collide; not a secret.
pub fn random_message_id(rng: &ring::rand::SystemRandom) -> crate::error::Result<String> {
    token::random_id(rng)
}
