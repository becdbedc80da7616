//! The key ceremony and threshold decryption, including misbehaving trustees.
mod common;
use common::*;
use ratify_crypto::*;

#[test]
fn honest_ceremony_combines_consistent_keys() {
    let (s, r, keys) = ceremony("e1", 3, 2);
    assert_eq!(keys.verification_keys.len(), 3);
    for c in &r.confirmations {
        assert_eq!(
            c.verification_key,
            keys.verification_keys[c.trustee as usize - 1]
        );
    }
    // deterministic: dealing again gives the same deal
    assert_eq!(deal(&s[0], &r).unwrap(), r.deals[0]);
}

#[test]
fn publish_key_names_who_is_missing() {
    let s = secrets(3);
    let mut r = roster("e1", 2, &s);
    r.public.pop();
    assert!(matches!(
        combine_election_key(&r),
        Err(CryptoError::Roster(_))
    ));
    assert!(matches!(deal(&s[0], &r), Err(CryptoError::Roster(_))));
    r = roster("e1", 2, &s);
    r.deals = vec![deal(&s[0], &r).unwrap(), deal(&s[2], &r).unwrap()];
    assert!(matches!(
        combine_election_key(&r),
        Err(CryptoError::NotDealt { dealer: 2 })
    ));
    assert!(matches!(
        confirm(&s[0], &r),
        Err(CryptoError::NotDealt { dealer: 2 })
    ));
    r.deals.push(deal(&s[1], &r).unwrap());
    for t in [&s[0], &s[2]] {
        if let ConfirmOutcome::Confirmed(c) = confirm(t, &r).unwrap() {
            r.confirmations.push(c);
        }
    }
    assert!(matches!(
        combine_election_key(&r),
        Err(CryptoError::NotConfirmed { trustee: 2 })
    ));
}

#[test]
fn tampered_trustee_files_are_rejected() {
    let (_, r, keys) = ceremony("e1", 3, 2);
    for p in &r.public {
        let v = serde_json::to_value(p).unwrap();
        each_mutation(&v, &mut |path, m| {
            if let Ok(bad) = serde_json::from_value::<TrusteePublic>(m) {
                assert!(
                    bad.verify().is_err(),
                    "public key: changing {path} was not detected"
                );
            }
        });
    }
    let v = serde_json::to_value(&r.deals[1]).unwrap();
    let n = each_mutation(&v, &mut |path, m| {
        if let Ok(bad) = serde_json::from_value::<Deal>(m) {
            match verify_deal(&r, &bad) {
                Err(CryptoError::BadDeal { dealer: 2, .. }) => {}
                other => panic!("deal: changing {path} gave {other:?}"),
            }
        }
    });
    assert!(n > 8);
    let v = serde_json::to_value(&r.confirmations[2]).unwrap();
    each_mutation(&v, &mut |path, m| {
        if let Ok(bad) = serde_json::from_value::<Confirmation>(m) {
            let mut r2 = r.clone();
            r2.confirmations[2] = bad;
            match combine_election_key(&r2) {
                Err(CryptoError::Trustee { trustee: 3, .. }) => {}
                other => panic!("confirmation: changing {path} gave {other:?}"),
            }
        }
    });
    // a deal made for another roster
    let mut r2 = r.clone();
    r2.election_id = "e2".into();
    assert!(verify_deal(&r2, &r.deals[0]).is_err());
    let _ = keys;
}

#[test]
fn bad_decryption_shares_are_rejected_and_named() {
    let (s, r, keys) = ceremony("e1", 3, 2);
    let ctx = context("e1", &keys, shapes());
    let b = encrypt_ballot(&ctx, &[Some(0), Some(1)], &mut rng(1)).unwrap();
    let totals = aggregate(&ctx, [&b]).unwrap();
    let tally = TallyRequest::new(
        r.clone(),
        vec![TallyGroup {
            name: "all".into(),
            totals,
        }],
    );
    let share = decrypt_share(&s[1], &tally).unwrap();
    verify_decryption_share(&tally, &keys, &share).unwrap();
    let v = serde_json::to_value(&share).unwrap();
    let n = each_mutation(&v, &mut |path, m| {
        if let Ok(bad) = serde_json::from_value::<DecryptionShare>(m) {
            match verify_decryption_share(&tally, &keys, &bad) {
                Err(CryptoError::BadDecryptionShare { trustee: 2, .. }) => {}
                other => panic!("share: changing {path} gave {other:?}"),
            }
        }
    });
    assert_eq!(n, 1 + 4 * 4);
    // claimed by another trustee
    let mut other = share.clone();
    other.trustee = 3;
    assert!(matches!(
        verify_decryption_share(&tally, &keys, &other),
        Err(CryptoError::BadDecryptionShare { trustee: 3, .. })
    ));
    // combine refuses a bad share, and refuses fewer than k
    let mut bad = share.clone();
    bad.shares[0][0][0].share = Point::new(bad.shares[0][0][0].share.point() + generator());
    let good0 = decrypt_share(&s[0], &tally).unwrap();
    assert!(matches!(
        combine_decryption(&tally, &keys, &[good0.clone(), bad], DlogTable::global()),
        Err(CryptoError::BadDecryptionShare { trustee: 2, .. })
    ));
    assert!(matches!(
        combine_decryption(
            &tally,
            &keys,
            std::slice::from_ref(&good0),
            DlogTable::global()
        ),
        Err(CryptoError::NotEnoughShares { have: 1, need: 2 })
    ));
    assert!(matches!(
        combine_decryption(
            &tally,
            &keys,
            &[good0.clone(), good0.clone()],
            DlogTable::global()
        ),
        Err(CryptoError::BadDecryptionShare { trustee: 1, .. })
    ));
    let res = combine_decryption(&tally, &keys, &[good0, share], DlogTable::global()).unwrap();
    assert_eq!(res.groups[0].questions[0].counts, vec![1, 0]);
    assert_eq!(res.groups[0].questions[1].counts, vec![0, 1]);
    // a share for another tally does not verify on this one
    let b2 = encrypt_ballot(&ctx, &[Some(1), Some(1)], &mut rng(2)).unwrap();
    let tally2 = TallyRequest::new(
        r,
        vec![TallyGroup {
            name: "all".into(),
            totals: aggregate(&ctx, [&b2]).unwrap(),
        }],
    );
    let s2 = decrypt_share(&s[0], &tally2).unwrap();
    assert!(verify_decryption_share(&tally, &keys, &s2).is_err());
}

#[test]
fn a_stranger_cannot_deal_or_decrypt() {
    let (_, r, _) = ceremony("e1", 3, 2);
    let stranger = TrusteeSecret::from_seed([99; 32]);
    assert!(matches!(deal(&stranger, &r), Err(CryptoError::NotOnRoster)));
}

#[test]
fn trustee_files_dispatch_on_type() {
    let (s, r, keys) = ceremony("e1", 3, 2);
    let files = [
        TrusteeFile::Public(r.public[0].clone()),
        TrusteeFile::Deal(r.deals[0].clone()),
        TrusteeFile::Confirmation(r.confirmations[0].clone()),
    ];
    for f in &files {
        assert_eq!(&TrusteeFile::from_json(&f.to_json()).unwrap(), f);
    }
    let secret_json = s[0].to_file_json();
    let e = TrusteeFile::from_json(&secret_json)
        .unwrap_err()
        .to_string();
    assert!(e.contains("SECRET"), "{e}");
    let e = TrusteeFile::from_json(r#"{"type":"nonsense"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown type"), "{e}");
    let e = TrusteeFile::from_json("{").unwrap_err().to_string();
    assert!(e.contains("invalid JSON"), "{e}");
    let v2 = to_json(&r.public[0]).replace("\"version\": 1", "\"version\": 2");
    let e = TrusteeFile::from_json(&v2).unwrap_err().to_string();
    assert!(e.contains("unsupported version 2"), "{e}");
    let _ = keys;
}

#[test]
fn keygen_writes_a_private_secret_file() {
    let dir = std::env::temp_dir().join(format!("ratify-keygen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let public = keygen_to_dir(&dir, &mut rng(5)).unwrap();
    let secret = read_secret_key(&dir).unwrap();
    assert_eq!(secret.public(), public);
    let read_back: TrusteePublic = read_json(&dir.join(PUBLIC_FILE)).unwrap();
    assert_eq!(read_back, public);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        keygen_to_dir(&dir, &mut rng(6)).is_err(),
        "must not overwrite secret.key"
    );
    assert_eq!(read_secret_key(&dir).unwrap().public(), public);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        !format!("{secret:?}").contains(&hex::encode([0u8; 4]))
            || format!("{secret:?}").contains("redacted")
    );
}
