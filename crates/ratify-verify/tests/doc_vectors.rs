//! docs/crypto.md's test vectors, recomputed from the document's own
//! numbers (issue 10): the seeds in its table give the keys, the roster
//! digest, the deals, the confirmations and the election key it prints,
//! and its full files parse and verify as they are. The document cannot
//! drift from the code.
//!
//! `RATIFY_PRINT_VECTORS=1 cargo test -p ratify-verify --test doc_vectors`
//! prints the full files for the document.

use std::collections::BTreeMap;

use ratify_crypto::{
    self as crypto, combine_election_key, verify_confirmation, verify_deal, ConfirmOutcome, Roster,
    TrusteeSecret,
};
use serde_json::Value;

const DOC: &str = include_str!("../../../docs/crypto.md");

/// `| name | `hex` |` rows of the vector table.
fn table() -> BTreeMap<String, String> {
    DOC.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            if cells.len() != 4 {
                return None;
            }
            let hex = cells[2].strip_prefix('`')?.strip_suffix('`')?;
            (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (cells[1].to_string(), hex.to_string()))
        })
        .collect()
}

/// The code block whose fence reads ```` ```json vector:NAME ````.
fn block(name: &str) -> Option<Value> {
    let fence = format!("```json vector:{name}");
    let start = DOC.find(&fence)? + fence.len();
    let end = DOC[start..].find("```")? + start;
    Some(serde_json::from_str(&DOC[start..end]).expect("a vector block is JSON"))
}

fn seed(t: &BTreeMap<String, String>, j: u32) -> [u8; 32] {
    let hex = &t[&format!("seed of trustee {j}")];
    hex::decode(hex).unwrap().try_into().unwrap()
}

struct Ceremony {
    secrets: Vec<TrusteeSecret>,
    roster: Roster,
}

fn ceremony(t: &BTreeMap<String, String>) -> Ceremony {
    let secrets: Vec<TrusteeSecret> = (1..=3)
        .map(|j| TrusteeSecret::from_seed(seed(t, j)))
        .collect();
    let mut roster = Roster::new("vector-election", 2, 3);
    roster.public = secrets.iter().map(TrusteeSecret::public).collect();
    let dealt = roster.clone();
    roster.deals = secrets
        .iter()
        .map(|s| crypto::deal(s, &dealt).unwrap())
        .collect();
    let confirmed = roster.clone();
    roster.confirmations = secrets
        .iter()
        .map(|s| match crypto::confirm(s, &confirmed).unwrap() {
            ConfirmOutcome::Confirmed(c) => c,
            ConfirmOutcome::Complaint(_) => panic!("honest trustees complain"),
        })
        .collect();
    Ceremony { secrets, roster }
}

#[test]
fn every_key_and_digest_in_the_table_recomputes_from_the_seeds() {
    let t = table();
    let c = ceremony(&t);
    for (j, p) in c.roster.public.iter().enumerate() {
        let j = j + 1;
        assert_eq!(
            p.identity_key.get().to_hex(),
            t[&format!("identity key of trustee {j}")]
        );
        assert_eq!(
            p.receive_key.get().to_hex(),
            t[&format!("receiving key of trustee {j}")]
        );
    }
    assert_eq!(hex::encode(c.roster.digest()), t["roster digest"]);
    for d in &c.roster.deals {
        assert_eq!(
            hex::encode(d.digest()),
            t[&format!("digest of trustee {}'s deal", d.dealer)]
        );
    }
    let keys = combine_election_key(&c.roster).unwrap();
    assert_eq!(keys.public_key.to_hex(), t["election key K"]);
    for (j, k) in keys.verification_keys.iter().enumerate() {
        assert_eq!(k.to_hex(), t[&format!("verification key K_{}", j + 1)]);
    }
}

#[test]
fn the_full_files_in_the_document_are_the_ones_the_seeds_give_and_verify() {
    let t = table();
    let c = ceremony(&t);
    let files = [
        (
            "secret-1",
            serde_json::from_str::<Value>(&c.secrets[0].to_file_json()).unwrap(),
        ),
        (
            "public-1",
            serde_json::to_value(&c.roster.public[0]).unwrap(),
        ),
        ("deal-1", serde_json::to_value(&c.roster.deals[0]).unwrap()),
        (
            "confirmation-1",
            serde_json::to_value(&c.roster.confirmations[0]).unwrap(),
        ),
    ];
    if std::env::var_os("RATIFY_PRINT_VECTORS").is_some() {
        for (name, v) in &files {
            println!("```json vector:{name}\n{v:#}\n```\n");
        }
    }
    for (name, v) in &files {
        assert_eq!(
            block(name).as_ref(),
            Some(v),
            "docs/crypto.md's vector:{name}"
        );
    }
    // As files, parsed from the document's text alone, they verify.
    let deal: crypto::Deal = serde_json::from_value(block("deal-1").unwrap()).unwrap();
    verify_deal(&c.roster, &deal).unwrap();
    let conf: crypto::Confirmation =
        serde_json::from_value(block("confirmation-1").unwrap()).unwrap();
    verify_confirmation(&c.roster, &conf).unwrap();
    let secret = TrusteeSecret::from_file_json(&block("secret-1").unwrap().to_string()).unwrap();
    assert_eq!(secret.public(), c.roster.public[0]);
}
