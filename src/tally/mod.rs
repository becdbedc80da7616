//! After the window: the close ([`close`]), the tally per reported group
//! ([`groups`], S8, S10), the sums of the encrypted ballots
//! ([`aggregate`], S14) and the results from the trustees' decryption
//! shares ([`results`], [`decrypt`]). Certification is `crate::certify`.

pub mod aggregate;
pub mod close;
pub mod decrypt;
#[cfg(test)]
mod doc_examples;
pub mod groups;
pub mod results;
mod run;

pub use close::{close_if_due, Closed};
pub use groups::Group;
pub use results::Results;
pub use run::{stored_groups, tally, Tallied};
