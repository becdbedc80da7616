//! Tests of `kinds.rs`.
use super::*;
use proptest::prelude::*;
use serde_json::{json, Map};

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-f0-9]{0,70}".prop_map(Value::from),
        Just(json!([1, 2])),
        Just(json!(["ab".repeat(32)])),
        Just(json!({"U1": 3})),
    ]
}

fn entry() -> impl Strategy<Value = Logged> {
    let kinds: Vec<String> = KINDS
        .iter()
        .map(|k| k.name.to_string())
        .chain(["x.y".into()])
        .collect();
    let keys = prop::sample::select(vec![
        "spec",
        "members",
        "per_unit",
        "roll_hash",
        "replaced",
        "file",
        "trustee",
        "digest",
        "against",
        "public_key",
        "tracker",
        "unit",
        "ballot_hash",
        "reason",
        "from",
        "to",
    ]);
    (
        prop::sample::select(kinds),
        prop::option::of("[a-z@.]{0,12}"),
        prop::collection::btree_map(keys, value(), 0..6),
    )
        .prop_map(|(kind, actor, data)| Logged {
            index: 0,
            time: "2026-01-01T00:00:00.000Z".into(),
            kind,
            actor,
            data: data
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Map<_, _>>(),
        })
}

proptest! {
    /// Any entries: an answer, never a panic; and a log that passes has
    /// only documented kinds with entry 0 the election's creation.
    #[test]
    fn arbitrary_entries_are_judged_without_panicking(mut es in prop::collection::vec(entry(), 1..6)) {
        for (i, e) in es.iter_mut().enumerate() {
            e.index = i as u64;
        }
        if check_entries(&es).is_ok() {
            prop_assert_eq!(es[0].kind.as_str(), "election.created");
            prop_assert!(es.iter().all(|e| KINDS.iter().any(|k| k.name == e.kind)));
        }
    }
}

#[test]
fn a_cast_naming_someone_is_refused_citing_s7() {
    let mut data = Map::new();
    data.insert("spec".into(), json!({}));
    let created = Logged {
        index: 0,
        time: String::new(),
        kind: "election.created".into(),
        actor: Some("a@b".into()),
        data,
    };
    let cast = Logged {
        index: 1,
        kind: "ballot.cast".into(),
        actor: Some("member".into()),
        data: Map::new(),
        ..created.clone()
    };
    let f = check_entries(&[created, cast]).unwrap_err();
    assert_eq!((f.entry, f.field.as_deref()), (Some(1), Some("actor")));
    assert!(f.reason.contains("S7"));
}
