//! One error type for the crate. Every message names what failed: which
//! trustee, which question, which selection, which proof.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CryptoError {
    #[error("invalid encoding of {field}: {reason}")]
    Encoding { field: String, reason: String },

    #[error("invalid JSON in {what}: {reason}")]
    Json { what: String, reason: String },

    #[error("{path}: {reason}")]
    Io { path: String, reason: String },

    #[error("ballot does not match the election: {0}")]
    BallotShape(String),

    #[error("invalid choice for question '{question}': {reason}")]
    InvalidChoice { question: String, reason: String },

    #[error("question '{question}' selection {selection}: the proof that it encrypts 0 or 1 does not verify")]
    SelectionProof { question: String, selection: usize },

    #[error("question '{question}': the proof that the selections sum to {rule} does not verify")]
    SumProof {
        question: String,
        rule: &'static str,
    },

    #[error("ballot {index} in the batch: {source}")]
    BallotInBatch {
        index: usize,
        #[source]
        source: Box<CryptoError>,
    },

    #[error("roster: {0}")]
    Roster(String),

    #[error("trustee {trustee}: {reason}")]
    Trustee { trustee: u32, reason: String },

    #[error("trustee {dealer}'s deal is invalid: {reason}")]
    BadDeal { dealer: u32, reason: String },

    #[error("trustee {dealer} has not dealt yet")]
    NotDealt { dealer: u32 },

    #[error("trustee {trustee} has not confirmed yet")]
    NotConfirmed { trustee: u32 },

    #[error("trustee {complainer}'s complaint against trustee {dealer} is upheld: trustee {dealer} sent a bad share")]
    ComplaintUpheld { complainer: u32, dealer: u32 },

    #[error("trustee {complainer}'s complaint against trustee {dealer} does not verify: {reason}")]
    InvalidComplaint {
        complainer: u32,
        dealer: u32,
        reason: String,
    },

    #[error("this secret key does not belong to any trustee on the roster")]
    NotOnRoster,

    #[error("trustee {trustee}'s decryption share is invalid: {reason}")]
    BadDecryptionShare { trustee: u32, reason: String },

    #[error("not enough decryption shares: have {have} valid, need {need}")]
    NotEnoughShares { have: usize, need: usize },

    #[error("the decrypted total of {what} is not a count between 0 and {max}")]
    DlogNotFound { what: String, max: u64 },
}

impl CryptoError {
    pub(crate) fn encoding(field: impl Into<String>, reason: impl Into<String>) -> Self {
        CryptoError::Encoding {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
