//! Secret ballots: reading a member's answers ([`answers`]) and casting
//! them ([`cast`]) — encrypted under the election key, stored without any
//! link to the member (S6, S7), one per credential (S2).

pub mod answers;
pub mod cast;
pub mod commit;
pub mod group;

pub use answers::{AnswerProblem, Answers};
pub use cast::{cast, seal, voter, Receipt, Refusal, SealedBallot, Voter};
pub use group::CastQueue;
