//! The worked example of docs/audit-format.md: every number printed there is
//! recomputed here, so the document cannot drift from the code.

use ratify_tlog::note::{parse_and_verify_checkpoint, sign_checkpoint};
use ratify_tlog::{
    node_hash, prove_consistency, prove_inclusion, verify_log, Checkpoint, Entry, MemoryStore,
    Signer, Timestamp,
};
use serde_json::json;

const DOC: &str = include_str!("../../../docs/audit-format.md");

fn seed() -> [u8; 32] {
    let mut s = [0u8; 32];
    for (i, b) in s.iter_mut().enumerate() {
        *b = i as u8;
    }
    s
}

/// A whole election spec (docs/audit-format.md, "The election spec").
fn spec() -> serde_json::Value {
    json!({
        "slug": "example-2026",
        "title": {"en": "Contract vote", "es": "Votación del contrato"},
        "opens_at": "2026-12-01T14:00:00Z",
        "closes_at": "2026-12-08T02:00:00Z",
        "time_zone": "America/Los_Angeles",
        "min_unit_report": 1,
        "trustees": 3,
        "decrypt_threshold": 2,
        "certify_quorum": 2,
        "units": [{"code": "U1", "name": "Depot"}, {"code": "U2", "name": "Office"}],
        "questions": [{
            "id": "ratify",
            "text": {"en": "Ratify the contract?", "es": "¿Ratifica el contrato?"},
            "options": [{"id": "yes", "en": "Yes", "es": "Sí"}, {"id": "no", "en": "No", "es": "No"}],
            "rule": "majority",
            "allow_blank": false,
            "passes_on": "yes",
        }],
    })
}

/// The roll hash test vector of docs/audit-format.md ("The roll hash"),
/// taken from the document (tests/api/verify_docs.rs recomputes it).
fn roll_hash() -> String {
    let at = DOC.find("roll_hash = ").expect("the roll hash vector") + "roll_hash = ".len();
    DOC[at..at + 64].to_string()
}

fn example() -> Vec<(String, String)> {
    let t = |s: &str| Timestamp::parse(s).unwrap();
    let obj = |v: serde_json::Value| v.as_object().unwrap().clone();
    let e0 = Entry::next(
        None,
        t("2026-11-22T09:00:00.000Z"),
        "election.created",
        Some("alice@union.example"),
        obj(json!({"spec": spec()})),
    )
    .unwrap();
    let e1 = Entry::next(
        Some(e0.link()),
        t("2026-11-22T09:05:00.000Z"),
        "roll.imported",
        Some("alice@union.example"),
        obj(json!({
            "members": 2,
            "per_unit": {"U1": 1, "U2": 1},
            "roll_hash": roll_hash(),
            "replaced": false,
        })),
    )
    .unwrap();
    let e2 = Entry::next(
        Some(e1.link()),
        t("2026-11-22T09:10:00.250Z"),
        "window.extended",
        Some("cli:alice"),
        obj(json!({
            "from": "2026-12-08T02:00:00Z",
            "to": "2026-12-09T02:00:00Z",
            "reason": "mail outage",
        })),
    )
    .unwrap();
    let entries = [e0, e1, e2];
    let mut store = MemoryStore::new();
    let mut out = Vec::new();
    for e in &entries {
        store.append(e.leaf_hash());
        out.push((
            format!("entry {} canonical", e.index()),
            String::from_utf8(e.canonical_bytes()).unwrap(),
        ));
        out.push((
            format!("entry {} leaf hash", e.index()),
            e.leaf_hash().to_hex(),
        ));
    }
    let n01 = node_hash(&entries[0].leaf_hash(), &entries[1].leaf_hash());
    out.push(("node(0,1)".into(), n01.to_hex()));
    out.push(("root".into(), store.root().to_hex()));
    assert_eq!(store.root(), node_hash(&n01, &entries[2].leaf_hash()));
    let signer = Signer::from_seed("ratify.example", &seed()).unwrap();
    out.push(("key id".into(), format!("{:08x}", signer.key_id())));
    out.push(("vkey".into(), signer.vkey()));
    let cp = Checkpoint::new("ratify.example/election/example-2026", 3, store.root());
    let note = sign_checkpoint(&cp, &signer).unwrap();
    out.push(("checkpoint body".into(), cp.body()));
    out.push(("signed checkpoint".into(), note.clone()));
    out.push((
        "inclusion proof".into(),
        serde_json::to_string(&prove_inclusion(2, 3, &store).unwrap()).unwrap(),
    ));
    out.push((
        "consistency proof".into(),
        serde_json::to_string(&prove_consistency(2, 3, &store).unwrap()).unwrap(),
    ));

    // The example verifies end to end.
    let export: Vec<u8> = entries
        .iter()
        .flat_map(|e| {
            let mut l = e.canonical_bytes();
            l.push(b'\n');
            l
        })
        .collect();
    let v = signer.verifier();
    assert_eq!(parse_and_verify_checkpoint(&note, &v).unwrap(), cp);
    verify_log(
        &export[..],
        &[note],
        &v,
        Some("ratify.example/election/example-2026"),
        None,
    )
    .unwrap();
    out
}

#[test]
fn the_documented_worked_example_is_true() {
    let mut missing = Vec::new();
    for (what, value) in example() {
        if !DOC.contains(value.as_str()) {
            missing.push(format!("--- {what}:\n{value}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/audit-format.md lacks:\n{}",
        missing.join("\n")
    );
}
