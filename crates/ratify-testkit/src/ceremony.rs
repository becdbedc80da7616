//! The trustees' key ceremony (docs/crypto.md), run in process: each
//! trustee makes a key, deals shares to the others from the roster, and
//! confirms what it received. Where the files go — straight into the
//! database, over HTTP, through the CLI — is the caller's `register`;
//! `roster` reads back everything registered so far.

use ratify_crypto::{self as crypto, ConfirmOutcome, Roster, TrusteeFile, TrusteeSecret};

/// Runs the ceremony for `trustees` trustees; returns their secrets (for a
/// later tally). Panics on a complaint: with honest in-process trustees
/// one means the crypto or the roster is broken.
pub fn key_ceremony(
    trustees: usize,
    mut register: impl FnMut(TrusteeFile),
    mut roster: impl FnMut() -> Roster,
) -> Vec<TrusteeSecret> {
    let mut rng = crypto::os_rng();
    let secrets: Vec<TrusteeSecret> = (0..trustees)
        .map(|_| {
            let (secret, public) = crypto::keygen(&mut rng);
            register(TrusteeFile::Public(public));
            secret
        })
        .collect();
    let r = roster();
    for s in &secrets {
        register(TrusteeFile::Deal(crypto::deal(s, &r).expect("deal")));
    }
    let r = roster();
    for s in &secrets {
        match crypto::confirm(s, &r).expect("confirm") {
            ConfirmOutcome::Confirmed(c) => register(TrusteeFile::Confirmation(c)),
            ConfirmOutcome::Complaint(c) => panic!("an honest trustee complained: {c:?}"),
        }
    }
    secrets
}
