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

fn logged(index: u64, kind: &str, actor: Option<&str>, data: Value) -> Logged {
    let Value::Object(data) = data else { panic!() };
    Logged {
        index,
        time: String::new(),
        kind: kind.into(),
        actor: actor.map(str::to_string),
        data,
    }
}

type Log = Vec<(&'static str, Option<&'static str>, Value)>;
type Edit = Box<dyn Fn(&mut Log)>;

/// A log through certification: created, key, a cast, closed, tally, two
/// shares, results, two certifications (the second the quorum's).
fn full_log() -> Log {
    let h = "ab".repeat(32);
    let a = Some("a@b");
    vec![
        ("election.created", a, json!({"spec": {}})),
        (
            "key.published",
            a,
            json!({"public_key": h, "verification_keys": [h], "decrypt_threshold": 1, "roster_digest": h}),
        ),
        (
            "ballot.cast",
            None,
            json!({"tracker": h, "unit": "U1", "ballot_hash": h}),
        ),
        (
            "election.closed",
            None,
            json!({"per_unit": {"U1": 1}, "voted_commitment": h}),
        ),
        (
            "tally.computed",
            a,
            json!({"groups": [{"name": "U1", "units": ["U1"], "ballots": 1}], "tally_digest": h}),
        ),
        (
            "decryption.share",
            a,
            json!({"trustee": 1, "tally_digest": h}),
        ),
        (
            "decryption.share",
            a,
            json!({"trustee": 2, "tally_digest": h}),
        ),
        (
            "results.published",
            a,
            json!({"results_digest": h, "decrypted_by": [1, 2]}),
        ),
        ("election.certified", a, json!({"account": "a@b"})),
        (
            "election.certified",
            Some("c@d"),
            json!({"account": "c@d", "certificate_digest": h}),
        ),
    ]
}

fn judge(log: &[(&str, Option<&str>, Value)]) -> Result<State, Failure> {
    let es: Vec<Logged> = log
        .iter()
        .enumerate()
        .map(|(i, (k, a, d))| logged(i as u64, k, *a, d.clone()))
        .collect();
    check_entries(&es)
}

#[test]
fn a_log_through_certification_passes_and_records_each_stage() {
    let s = judge(&full_log()).unwrap();
    assert_eq!(
        (s.closed, s.tally, s.results, s.quorum),
        (Some(3), Some(4), Some(7), Some(9))
    );
    assert_eq!(s.shares, [(1, 5), (2, 6)]);
}

#[test]
fn each_order_rule_of_the_close_tally_and_certification_names_the_entry() {
    let h = "ab".repeat(32);
    let cast = (
        "ballot.cast",
        None,
        json!({"tracker": h, "unit": "U1", "ballot_hash": h}),
    );
    let cases: Vec<(&str, Edit, u64)> = vec![
        (
            "cast after close",
            Box::new(move |l| l.insert(4, cast.clone())),
            4,
        ),
        (
            "extension after close",
            Box::new(|l| {
                l.insert(
                    4,
                    (
                        "window.extended",
                        Some("a@b"),
                        json!({"from": "x", "to": "y", "reason": "r"}),
                    ),
                )
            }),
            4,
        ),
        (
            "reminder after close",
            Box::new(|l| {
                l.insert(
                    4,
                    (
                        "credential.reissued",
                        Some("a@b"),
                        json!({"reason": "reminder", "count": 3}),
                    ),
                )
            }),
            4,
        ),
        (
            "second close",
            Box::new(|l| {
                let c = l[3].clone();
                l.insert(4, c)
            }),
            4,
        ),
        ("tally before close", Box::new(|l| l.swap(3, 4)), 3),
        (
            "second tally",
            Box::new(|l| {
                let t = l[4].clone();
                l.insert(5, t)
            }),
            5,
        ),
        (
            "share twice",
            Box::new(|l| {
                let s = l[5].clone();
                l.insert(6, s)
            }),
            6,
        ),
        ("share before tally", Box::new(|l| l.swap(4, 5)), 4),
        (
            "results twice",
            Box::new(|l| {
                let r = l[7].clone();
                l.insert(8, r)
            }),
            8,
        ),
        ("certified before results", Box::new(|l| l.swap(7, 8)), 7),
        (
            "same account twice",
            Box::new(|l| l[9].2["account"] = json!("a@b")),
            9,
        ),
        (
            "entry after the quorum",
            Box::new(|l| {
                l.push((
                    "member.email_corrected",
                    Some("a@b"),
                    json!({"member_number": "1"}),
                ))
            }),
            10,
        ),
    ];
    for (what, edit, at) in cases {
        let mut log = full_log();
        edit(&mut log);
        let f = judge(&log).expect_err(what);
        assert_eq!(
            (f.check, f.entry),
            (Check::Entries, Some(at)),
            "{what}: {f}"
        );
    }
}

#[test]
fn the_turnout_kind_is_gone_and_tally_groups_are_checked() {
    let mut log = full_log();
    log.insert(3, ("turnout", None, json!({"per_unit": {"U1": 1}})));
    let f = judge(&log).unwrap_err();
    assert_eq!((f.entry, f.field.as_deref()), (Some(3), Some("kind")));
    let mut log = full_log();
    log[4].2["groups"] = json!([{"name": "U1", "units": [], "ballots": 1}]);
    let f = judge(&log).unwrap_err();
    assert_eq!(
        (f.entry, f.field.as_deref()),
        (Some(4), Some("data.groups"))
    );
}
