//! The strict line reader against serde_json's own output.
use super::*;
use ratify_crypto::{encrypt_ballot, ElectionContext, ElectionPublicKey, QuestionShape};

fn a_line() -> (String, EncryptedBallot) {
    let key =
        ElectionPublicKey::from_point(ratify_crypto::generator() * Scalar::from(7u64)).unwrap();
    let ctx = ElectionContext {
        election_id: "e-2026".into(),
        public_key: key,
        questions: vec![
            QuestionShape {
                id: "a".into(),
                options: 2,
                allow_blank: false,
            },
            QuestionShape {
                id: "b\"\u{1}é".into(),
                options: 3,
                allow_blank: true,
            },
        ],
    };
    let b = encrypt_ballot(&ctx, &[Some(1), None], &mut ratify_crypto::os_rng()).unwrap();
    // The server's RecordLine: members in this order.
    #[derive(serde::Serialize)]
    struct L<'a> {
        tracker: String,
        unit: &'a str,
        ballot: &'a EncryptedBallot,
    }
    let text = serde_json::to_string(&L {
        tracker: b.tracker_hex(),
        unit: "U\\1",
        ballot: &b,
    })
    .unwrap();
    (text, b)
}

#[test]
fn serde_jsons_compact_output_reads_back_to_the_same_ballot() {
    let (text, b) = a_line();
    let raw = parse(text.as_bytes()).unwrap();
    assert_eq!(raw.unit, "U\\1");
    assert_eq!(raw.tracker, b.tracker());
    assert_eq!(raw.decode().unwrap(), b);
    let mut n = 0;
    raw.items(|_, _| n += 1);
    assert_eq!(
        n,
        2 * 2 + 2 * 3 + 2,
        "a ciphertext and a proof per selection, a sum proof per question"
    );
}

#[test]
fn any_other_spelling_of_the_same_json_is_refused_naming_where() {
    let (text, _) = a_line();
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&text).unwrap())
            .unwrap();
    for (bad, field) in [
        (text.replacen("{\"tracker\":", "{ \"tracker\":", 1), ""),
        (
            text.replacen("\"unit\":\"U\\\\1\"", "\"unit\":\"U\\u005c1\"", 1),
            "unit",
        ),
        (
            text.replacen("\"ciphertext\":{\"a\":", "\"ciphertext\":{\"A\":", 1),
            "ballot.answers[0].selections[0]",
        ),
        (text.clone() + " ", ""),
        (
            text.replacen("}}", "} }", 1),
            "ballot.answers[0].selections[0]",
        ),
        (pretty, ""),
    ] {
        let e = parse(bad.as_bytes())
            .err()
            .unwrap_or_else(|| panic!("accepted {bad}"));
        assert!(e.field.starts_with(field), "{bad}: {e:?}");
    }
}

#[test]
fn upper_case_hex_and_a_non_canonical_scalar_are_refused() {
    let (text, b) = a_line();
    let a = b.answers[0].selections[0].ciphertext.a.to_hex();
    let upper = text.replacen(&a, &a.to_uppercase(), 1);
    assert_eq!(
        parse(upper.as_bytes()).err().unwrap().field,
        "ballot.answers[0].selections[0].ciphertext.a"
    );
    let v0 = hex::encode(b.answers[0].selections[0].proof.v0.as_bytes());
    let big = text.replacen(&v0, &"ff".repeat(32), 1);
    let e = parse(big.as_bytes()).unwrap().decode().unwrap_err();
    assert_eq!(e.field, "ballot.answers[0].selections[0].proof.v0");
}
