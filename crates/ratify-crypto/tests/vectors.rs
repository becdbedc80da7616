//! Fixed seeds → fixed outputs. tests/vectors.json holds the expected
//! values and docs/crypto.md quotes them; this test checks both.
//! Regenerate (after a deliberate format change) with
//! `RATIFY_WRITE_VECTORS=1 cargo test -p ratify-crypto --test vectors`.
mod common;
use common::*;
use ratify_crypto::*;
use serde_json::json;

fn compute() -> serde_json::Value {
    let election = "vector-election";
    let (s, r, keys) = ceremony(election, 3, 2);
    let ctx = context(election, &keys, shapes());
    let ballot = encrypt_ballot(&ctx, &[Some(1), None], &mut rng(7)).unwrap();
    verify_ballot(&ctx, &ballot).unwrap();
    let totals = aggregate(&ctx, [&ballot]).unwrap();
    let tally = TallyRequest::new(
        r.clone(),
        vec![TallyGroup {
            name: "all".into(),
            totals,
        }],
    );
    let shares: Vec<_> = s[1..]
        .iter()
        .map(|t| decrypt_share(t, &tally).unwrap())
        .collect();
    let result = combine_decryption(&tally, &keys, &shares, DlogTable::global()).unwrap();
    let sel = &ballot.answers[0].selections[1];
    json!({
        "trustee_seeds": ["01".repeat(32), "02".repeat(32), "03".repeat(32)],
        "identity_keys": r.public.iter().map(|p| p.identity_key.get().to_hex()).collect::<Vec<_>>(),
        "receive_keys": r.public.iter().map(|p| p.receive_key.get().to_hex()).collect::<Vec<_>>(),
        "roster_digest": hex::encode(r.digest()),
        "deal_digests": r.deals.iter().map(|d| hex::encode(d.digest())).collect::<Vec<_>>(),
        "election_key": keys.public_key.to_hex(),
        "verification_keys": keys.verification_keys.iter().map(|k| k.to_hex()).collect::<Vec<_>>(),
        "ballot_rng_seed": "07".repeat(32),
        "ballot_choices": "lbfo: option 1; strike: blank",
        "ballot_lbfo_1_a": sel.ciphertext.a.to_hex(),
        "ballot_lbfo_1_b": sel.ciphertext.b.to_hex(),
        "ballot_lbfo_1_c0": hex::encode(sel.proof.c0.as_bytes()),
        "ballot_tracker": ballot.tracker_hex(),
        "decrypted_counts": result.groups[0].questions.iter().map(|q| q.counts.clone()).collect::<Vec<_>>(),
    })
}

#[test]
fn fixed_seeds_give_fixed_outputs() {
    let got = compute();
    if std::env::var("RATIFY_WRITE_VECTORS").is_ok() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json");
        std::fs::write(path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let want: serde_json::Value = serde_json::from_str(include_str!("vectors.json")).unwrap();
    assert_eq!(got, want);
    // every value the doc quotes is the one the code produces
    let doc = include_str!("../../../docs/crypto.md");
    let mut checked = 0;
    for (k, v) in want.as_object().unwrap() {
        let vals: Vec<String> = match v {
            serde_json::Value::String(s) if s.len() == 64 => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str())
                .filter(|s| s.len() == 64)
                .map(String::from)
                .collect(),
            _ => vec![],
        };
        for s in vals {
            assert!(doc.contains(&s), "docs/crypto.md does not quote {k} = {s}");
            checked += 1;
        }
    }
    assert!(checked >= 15);
}

/// The hashing convention, byte by byte (docs/crypto.md, "Hashing").
#[test]
fn hash_convention() {
    use sha2::{Digest, Sha512};
    let mut bytes = Vec::new();
    for item in [
        &b"ratify/v1/ballot/selection"[..],
        b"e",
        &Point::new(generator()).bytes()[..],
        b"q",
        &0u64.to_be_bytes(),
    ] {
        bytes.extend_from_slice(&(item.len() as u64).to_be_bytes());
        bytes.extend_from_slice(item);
    }
    assert_eq!(bytes.len(), 8 * 5 + 26 + 1 + 32 + 1 + 8);
    let h: [u8; 64] = Sha512::digest(&bytes).into();
    let _ = Scalar::from_bytes_mod_order_wide(&h);
}
