#![allow(dead_code)]
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use ratify_crypto::*;

pub fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

pub fn secrets(n: u32) -> Vec<TrusteeSecret> {
    (1..=n)
        .map(|i| TrusteeSecret::from_seed([i as u8; 32]))
        .collect()
}

/// Roster with public keys registered, no deals yet.
pub fn roster(election: &str, k: u32, secrets: &[TrusteeSecret]) -> Roster {
    let mut r = Roster::new(election, k, secrets.len() as u32);
    r.public = secrets.iter().map(|s| s.public()).collect();
    r
}

/// A whole honest ceremony.
pub fn ceremony(election: &str, n: u32, k: u32) -> (Vec<TrusteeSecret>, Roster, ElectionKeys) {
    let s = secrets(n);
    let mut r = roster(election, k, &s);
    r.deals = s.iter().map(|t| deal(t, &r).unwrap()).collect();
    for t in &s {
        match confirm(t, &r).unwrap() {
            ConfirmOutcome::Confirmed(c) => r.confirmations.push(c),
            ConfirmOutcome::Complaint(c) => panic!("honest ceremony complained: {c:?}"),
        }
    }
    let keys = combine_election_key(&r).unwrap();
    (s, r, keys)
}

pub fn shapes() -> Vec<QuestionShape> {
    vec![
        QuestionShape {
            id: "lbfo".into(),
            options: 2,
            allow_blank: false,
        },
        QuestionShape {
            id: "strike".into(),
            options: 2,
            allow_blank: true,
        },
    ]
}

pub fn context(
    election: &str,
    keys: &ElectionKeys,
    questions: Vec<QuestionShape>,
) -> ElectionContext {
    ElectionContext {
        election_id: election.into(),
        public_key: keys.public_key.clone(),
        questions,
    }
}

/// Every k-subset of 1..=n.
pub fn subsets(n: u32, k: u32) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    for mask in 0u32..(1 << n) {
        if mask.count_ones() == k {
            out.push((1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect());
        }
    }
    out
}

/// Replaces every proof value in a JSON document, one at a time, by a
/// different valid value of the same kind, calling `check` on each variant.
/// Returns how many variants were produced.
pub fn each_mutation(
    v: &serde_json::Value,
    check: &mut dyn FnMut(&str, serde_json::Value),
) -> usize {
    let mut paths = Vec::new();
    collect(v, String::new(), &mut paths);
    let mut count = 0;
    for (path, key) in paths {
        let mut m = v.clone();
        let leaf = m.pointer_mut(&path).unwrap();
        let s = leaf.as_str().unwrap().to_string();
        let new = mutate(&key, &s);
        *leaf = serde_json::Value::String(new);
        check(&path, m);
        count += 1;
    }
    count
}

fn collect(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                let p = format!("{path}/{k}");
                if let serde_json::Value::String(s) = x {
                    if s.len() >= 64 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
                        out.push((p.clone(), k.clone()));
                    }
                }
                collect(x, p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{path}/{i}");
                if let serde_json::Value::String(s) = x {
                    if s.len() >= 64 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
                        let key = path.rsplit('/').next().unwrap().to_string();
                        out.push((p.clone(), key));
                    }
                }
                collect(x, p, out);
            }
        }
        _ => {}
    }
}

fn mutate(key: &str, s: &str) -> String {
    if matches!(key, "c0" | "v0" | "v1" | "v") {
        let x = scalar_from_hex(s).unwrap() + Scalar::ONE;
        return hex::encode(x.as_bytes());
    }
    if let Ok(p) = Point::from_hex(s) {
        return Point::new(p.point() + generator()).to_hex();
    }
    // digests and AEAD ciphertexts: flip one bit
    let mut b = hex::decode(s).unwrap();
    b[0] ^= 1;
    hex::encode(b)
}
