//! C2SP signed notes and tlog checkpoints.

use ratify_tlog::note::{
    key_id, parse_and_verify_checkpoint, sign_checkpoint, Checkpoint, NoteError,
};
use ratify_tlog::{Hash, Signer, Verifier};

// The example of golang.org/x/mod/sumdb/note (package documentation and
// note_test.go): Ed25519 is deterministic (RFC 8032), so signing the text with
// this key must give exactly the published note.
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

// The example of c2sp.org/signed-note.
const SPEC_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

fn test_signer() -> Signer {
    Signer::from_seed("ratify.example/test", &[7u8; 32]).unwrap()
}

#[test]
fn signing_reproduces_the_go_note_example_byte_for_byte() {
    let signer = Signer::from_skey(PETER_SKEY).unwrap();
    assert_eq!(signer.key_id(), 0xc74f20a3);
    assert_eq!(signer.vkey(), PETER_VKEY);
    assert_eq!(signer.sign_note(PETER_TEXT).unwrap(), PETER_NOTE);
    let verifier = Verifier::from_vkey(PETER_VKEY).unwrap();
    assert_eq!(verifier, signer.verifier());
    assert_eq!(verifier.open(PETER_NOTE).unwrap(), PETER_TEXT);
}

#[test]
fn opens_the_c2sp_signed_note_example() {
    let v = Verifier::from_vkey(SPEC_VKEY).unwrap();
    assert_eq!(v.key_id(), 0x530d903a);
    assert_eq!(v.open(SPEC_NOTE).unwrap(), "This is an example message.\n");
}

#[test]
fn key_id_is_sha256_of_name_newline_type_and_key() {
    let signer = test_signer();
    let mut input = b"ratify.example/test\n\x01".to_vec();
    input.extend_from_slice(signer.public_key());
    let digest = ring::digest::digest(&ring::digest::SHA256, &input);
    assert_eq!(signer.key_id().to_be_bytes(), digest.as_ref()[..4]);
    assert_eq!(key_id(signer.name(), signer.public_key()), signer.key_id());
}

#[test]
fn mangled_verifier_keys_are_refused() {
    assert!(Verifier::from_vkey(PETER_VKEY).is_ok());
    let b = PETER_VKEY.as_bytes();
    for i in 0..b.len() {
        for j in [i + 1, b.len()] {
            if (i, j) != (0, b.len()) {
                if let Ok(s) = std::str::from_utf8(&b[i..j]) {
                    assert!(Verifier::from_vkey(s).is_err(), "{s}");
                }
            }
        }
        let mut m = b.to_vec();
        m[i] = m[i].wrapping_add(1);
        if let Ok(s) = String::from_utf8(m) {
            assert!(Verifier::from_vkey(&s).is_err(), "{s}");
        }
    }
}

#[test]
fn checkpoint_body_is_origin_size_base64_root() {
    let cp = Checkpoint::new("ratify.example/strike-2026", 3, Hash([0xab; 32]));
    assert_eq!(
        cp.body(),
        "ratify.example/strike-2026\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n"
    );
    assert_eq!(Checkpoint::parse_body(&cp.body()).unwrap(), cp);
    let mut ext = cp.clone();
    ext.extensions = vec!["voted unit-a 12".into(), "voted unit-b 9".into()];
    assert_eq!(Checkpoint::parse_body(&ext.body()).unwrap(), ext);
}

#[test]
fn malformed_checkpoint_bodies_are_refused() {
    let root = "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=";
    for bad in [
        format!("o\n3\n{root}"),
        format!("\n3\n{root}\n"),
        format!("o\n03\n{root}\n"),
        format!("o\n-3\n{root}\n"),
        format!("o\n+3\n{root}\n"),
        format!("o\n18446744073709551616\n{root}\n"),
        "o\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s\n".to_owned(),
        "o\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6t=\n".to_owned(),
        "o\n3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urqw==\n".to_owned(),
        format!("o\n3\n{root}\n\nextra\n"),
        "o\n3\n".to_owned(),
    ] {
        assert!(Checkpoint::parse_body(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn signed_checkpoint_round_trips_and_detects_changes() {
    let signer = test_signer();
    let verifier = Verifier::from_vkey(&signer.vkey()).unwrap();
    let cp = Checkpoint::new("ratify.example/strike-2026", 42, Hash([1; 32]));
    let note = sign_checkpoint(&cp, &signer).unwrap();
    assert!(note.starts_with(&format!("{}\n\u{2014} ratify.example/test ", cp.body())));
    assert_eq!(parse_and_verify_checkpoint(&note, &verifier).unwrap(), cp);

    // Any change to the signed text.
    let altered = note.replacen("\n42\n", "\n43\n", 1);
    assert!(matches!(
        parse_and_verify_checkpoint(&altered, &verifier),
        Err(NoteError::BadSignature(_))
    ));
    // Any change to the signature.
    let (body, sig_line) = note.split_at(note.rfind('\u{2014}').unwrap());
    let sig_b64 = sig_line.trim_end().rsplit(' ').next().unwrap();
    use base64::Engine;
    let mut blob = base64::engine::general_purpose::STANDARD
        .decode(sig_b64)
        .unwrap();
    for i in 4..blob.len() {
        blob[i] ^= 0x40;
        let forged = format!(
            "{body}\u{2014} ratify.example/test {}\n",
            base64::engine::general_purpose::STANDARD.encode(&blob)
        );
        assert!(
            matches!(
                parse_and_verify_checkpoint(&forged, &verifier),
                Err(NoteError::BadSignature(_))
            ),
            "byte {i}"
        );
        blob[i] ^= 0x40;
    }
    // Signed by another key with the same name: the key id differs.
    let impostor = Signer::from_seed("ratify.example/test", &[8u8; 32]).unwrap();
    let other = sign_checkpoint(&cp, &impostor).unwrap();
    assert!(matches!(
        parse_and_verify_checkpoint(&other, &verifier),
        Err(NoteError::NotSigned(_))
    ));
    // Unsigned, or a signature line cut off.
    assert!(parse_and_verify_checkpoint(&cp.body(), &verifier).is_err());
    assert!(parse_and_verify_checkpoint(note.trim_end(), &verifier).is_err());
}

#[test]
fn other_signatures_are_ignored_but_ours_is_required_once() {
    let signer = test_signer();
    let verifier = signer.verifier();
    let witness = Signer::from_seed("witness.example", &[9u8; 32]).unwrap();
    let cp = Checkpoint::new("ratify.example/x", 1, Hash([2; 32]));
    let ours = sign_checkpoint(&cp, &signer).unwrap();
    let theirs = sign_checkpoint(&cp, &witness).unwrap();
    let their_line = &theirs[theirs.rfind('\u{2014}').unwrap()..];
    let our_line = &ours[ours.rfind('\u{2014}').unwrap()..];
    let both = format!("{ours}{their_line}");
    assert_eq!(parse_and_verify_checkpoint(&both, &verifier).unwrap(), cp);
    let both = format!("{}\n{their_line}{our_line}", cp.body());
    assert_eq!(parse_and_verify_checkpoint(&both, &verifier).unwrap(), cp);
    let twice = format!("{ours}{our_line}");
    assert!(matches!(
        parse_and_verify_checkpoint(&twice, &verifier),
        Err(NoteError::Malformed(_))
    ));
    assert!(matches!(
        parse_and_verify_checkpoint(&theirs, &verifier),
        Err(NoteError::NotSigned(_))
    ));
}

#[test]
fn note_text_rules() {
    let s = test_signer();
    assert!(s.sign_note("no newline").is_err());
    assert!(s.sign_note("a\n\nb\n").is_err());
    assert!(s.sign_note("tab\there\n").is_err());
    assert!(s.sign_note("\n").is_err());
    assert!(Signer::from_seed("has space", &[1; 32]).is_err());
    assert!(Signer::from_seed("has+plus", &[1; 32]).is_err());
    let pkcs8 =
        ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let from_der = Signer::from_pkcs8("k", pkcs8.as_ref()).unwrap();
    assert_eq!(
        from_der
            .verifier()
            .open(&from_der.sign_note("hi\n").unwrap())
            .unwrap(),
        "hi\n"
    );
    assert_eq!(
        format!("{s:?}"),
        "Signer { name: \"ratify.example/test\", key: \"[redacted]\" }"
    );
}
