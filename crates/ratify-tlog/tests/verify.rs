//! S13: every tampering of an exported log is detected, naming what broke.

mod common;

use common::*;
use ratify_tlog::note::sign_checkpoint;
use ratify_tlog::{verify_log, Checkpoint, Entry, Hash, LogSummary, Signer, VerifyError};

fn verify(export: &[u8], cps: &[String]) -> Result<LogSummary, VerifyError> {
    verify_log(export, cps, &signer().verifier(), Some(ORIGIN), None)
}

fn verify_saved(export: &[u8], cps: &[String], saved: &str) -> Result<LogSummary, VerifyError> {
    verify_log(export, cps, &signer().verifier(), Some(ORIGIN), Some(saved))
}

/// 30 entries with checkpoints at 10, 20 and 30.
fn honest() -> (Vec<Entry>, Vec<u8>, Vec<String>) {
    let e = entries(30);
    let x = export(&e);
    let c = checkpoints(&e, &[10, 20, 30], &signer());
    (e, x, c)
}

fn replace_in_line(export: &[u8], line: usize, from: &str, to: &str) -> Vec<u8> {
    let mut ls = lines(export);
    let s = String::from_utf8(ls[line].clone()).unwrap();
    assert!(s.contains(from), "{s} lacks {from}");
    ls[line] = s.replacen(from, to, 1).into_bytes();
    join(&ls)
}

/// Rebuilds entries from `from` on with correct indexes and `prev` links, as
/// an insider who rewrites history would.
fn rechain(mut es: Vec<Entry>) -> Vec<Entry> {
    for i in 0..es.len() {
        let prev = if i == 0 { None } else { Some(es[i - 1].link()) };
        let e = &es[i];
        es[i] = Entry::next(prev, e.time(), e.kind(), e.actor(), e.data().clone()).unwrap();
    }
    es
}

#[test]
fn an_honest_export_verifies() {
    let (e, x, c) = honest();
    let s = verify(&x, &c).unwrap();
    assert_eq!(s.entries, 30);
    assert_eq!(s.checkpoints, 3);
    assert_eq!(s.checkpoint.size, 30);
    let mut store = ratify_tlog::MemoryStore::new();
    for entry in &e {
        store.append(entry.leaf_hash());
    }
    assert_eq!(s.root, store.root());
    // Entries read back from the export equal what was written.
    for (line, entry) in lines(&x).iter().zip(&e) {
        assert_eq!(&Entry::from_canonical_line(line).unwrap(), entry);
    }
    // Several checkpoints at one size, and a size-0 checkpoint, are fine.
    let c2 = checkpoints(&e, &[0, 10, 10, 30, 30], &signer());
    assert_eq!(verify(&x, &c2).unwrap().checkpoints, 5);
    // The empty log with a size-0 checkpoint.
    assert_eq!(
        verify(b"", &checkpoints(&[], &[0], &signer()))
            .unwrap()
            .entries,
        0
    );
}

#[test]
fn an_edited_field_breaks_the_chain_at_the_next_entry() {
    let (_, x, c) = honest();
    let bad = replace_in_line(&x, 12, "t000012", "t000099");
    let err = verify(&bad, &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::ChainBroken {
                index: 13,
                line: 14
            }
        ),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("entry 13 (line 14)") && msg.contains("entry 12 was altered"),
        "{msg}"
    );
    // The actor of entry 13, the kind of entry 14, the time of entry 15.
    let bad = replace_in_line(&x, 13, "alice@union.example", "mallory@union.example");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::ChainBroken { index: 14, .. })
    ));
    let bad = replace_in_line(&x, 14, "window.extended", "window.extendee");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::ChainBroken { index: 15, .. })
    ));
    let bad = replace_in_line(&x, 15, "09:30:15.000Z", "09:30:15.001Z");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::ChainBroken { index: 16, .. })
    ));
}

#[test]
fn an_edited_last_entry_fails_the_checkpoint_root() {
    let (_, x, c) = honest();
    let bad = replace_in_line(&x, 29, "outage", "outagf");
    let err = verify(&bad, &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::RootMismatch {
                checkpoint: 3,
                size: 30,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_rewritten_and_rechained_history_fails_the_next_checkpoint() {
    let (mut e, _, c) = honest();
    let mut data = e[12].data().clone();
    data.insert("tracker".into(), "forged".into());
    e[12] = Entry::next(Some(e[11].link()), e[12].time(), e[12].kind(), None, data).unwrap();
    let e = rechain(e);
    let err = verify(&export(&e), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::RootMismatch {
                checkpoint: 2,
                size: 20,
                ..
            }
        ),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains("an entry before index 20 was altered"));
}

#[test]
fn non_canonical_lines_are_refused() {
    let (_, x, c) = honest();
    for (from, to) in [
        ("\"index\":6,", "\"index\": 6,"),         // whitespace
        ("{\"actor\":null,", "{ \"actor\":null,"), // whitespace
        (
            "\"tracker\":\"t000006\"",
            "\"tracker\":\"t\\u0030\\u0030\\u0030\\u0030\\u0030\\u0036\"",
        ), // needless escapes
        ("\"index\":6,", "\"index\":6.0,"),        // not an integer spelling
    ] {
        let bad = replace_in_line(&x, 6, from, to);
        let err = verify(&bad, &c).unwrap_err();
        assert!(
            matches!(
                err,
                VerifyError::NotCanonical { index: 6, line: 7 }
                    | VerifyError::EntryParse { line: 7, .. }
            ),
            "{to}: {err}"
        );
    }
    // Key order in data, key order at top level, upper-case hex, number forms.
    let line = String::from_utf8(lines(&x)[6].clone()).unwrap();
    let swapped_data = line.replace(
        "{\"tracker\":\"t000006\",\"unit\":\"warehouse\"}",
        "{\"unit\":\"warehouse\",\"tracker\":\"t000006\"}",
    );
    assert_ne!(swapped_data, line);
    let prev_hex = &line[line.find("\"prev\":\"").unwrap() + 8..][..64];
    let upper = line.replace(prev_hex, &prev_hex.to_uppercase());
    let data_pos = line.find(",\"data\":").unwrap();
    let index_pos = line.find(",\"index\":").unwrap();
    let top_swapped = format!(
        "{{\"data\":{},\"actor\":null{}",
        &line[data_pos + 8..index_pos],
        &line[index_pos..]
    );
    for bad_line in [swapped_data, upper, top_swapped] {
        let mut ls = lines(&x);
        ls[6] = bad_line.clone().into_bytes();
        let err = verify(&join(&ls), &c).unwrap_err();
        assert!(
            matches!(err, VerifyError::NotCanonical { index: 6, line: 7 }),
            "{bad_line}: {err}"
        );
    }
    let (_, x1, c1) = {
        let e = entries(3);
        let x = export(&e);
        let c = checkpoints(&e, &[3], &signer());
        (e, x, c)
    };
    let bad = replace_in_line(&x1, 1, "\"count\":1,", "\"count\":1.0,");
    assert!(matches!(
        verify(&bad, &c1),
        Err(VerifyError::NotCanonical { index: 1, line: 2 })
    ));
    let bad = replace_in_line(&x1, 1, "\"count\":1,", "\"count\":1e0,");
    assert!(matches!(
        verify(&bad, &c1),
        Err(VerifyError::NotCanonical { index: 1, line: 2 })
    ));
    let bad = replace_in_line(&x1, 1, "bulk \\\"issue\\\"\\n", "bulk \\\"issue\\\"\\u000a");
    assert!(matches!(
        verify(&bad, &c1),
        Err(VerifyError::NotCanonical { index: 1, line: 2 })
    ));
}

#[test]
fn malformed_lines_name_the_line() {
    let (_, x, c) = honest();
    let mut ls = lines(&x);
    ls.insert(4, Vec::new());
    assert!(matches!(
        verify(&join(&ls), &c),
        Err(VerifyError::EntryParse { line: 5, .. })
    ));
    let bad = replace_in_line(&x, 3, "\"kind\":", "\"extra\":1,\"kind\":");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::EntryParse { line: 4, .. })
    ));
    let bad = replace_in_line(&x, 3, "\"data\":{", "\"data\":[{");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::EntryParse { line: 4, .. })
    ));
    let mut no_newline = x.clone();
    no_newline.pop();
    assert!(matches!(
        verify(&no_newline, &c),
        Err(VerifyError::EntryParse { line: 30, .. })
    ));
    let mut ls = lines(&x);
    ls[2].push(b'\r');
    let crlf = join(&ls);
    assert!(matches!(
        verify(&crlf, &c),
        Err(VerifyError::EntryParse { line: 3, .. } | VerifyError::NotCanonical { .. })
    ));
}

#[test]
fn a_deleted_entry_is_an_index_gap() {
    let (_, x, c) = honest();
    let mut ls = lines(&x);
    ls.remove(7);
    let err = verify(&join(&ls), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::IndexGap {
                line: 8,
                expected: 7,
                found: 8
            }
        ),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains("line 8: expected entry 7 but found entry 8"));
    // The first entry.
    let mut ls = lines(&x);
    ls.remove(0);
    assert!(matches!(
        verify(&join(&ls), &c),
        Err(VerifyError::IndexGap {
            line: 1,
            expected: 0,
            found: 1
        })
    ));
}

#[test]
fn an_inserted_entry_is_detected() {
    let (e, x, c) = honest();
    // A copy of an existing line.
    let mut ls = lines(&x);
    ls.insert(8, ls[7].clone());
    assert!(matches!(
        verify(&join(&ls), &c),
        Err(VerifyError::IndexGap {
            line: 9,
            expected: 8,
            found: 7
        })
    ));
    // A new entry that claims the next index and links correctly: the entry
    // after it no longer links.
    let forged = Entry::next(
        Some(e[7].link()),
        e[7].time(),
        "ballot.cast",
        None,
        serde_json::Map::new(),
    )
    .unwrap();
    let mut ls = lines(&x);
    ls.insert(8, forged.canonical_bytes());
    let err = verify(&join(&ls), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::IndexGap {
                line: 10,
                expected: 9,
                found: 8
            }
        ),
        "{err}"
    );
    // Renumbered and rechained throughout: the checkpoint roots differ.
    let mut es = e.clone();
    es.insert(8, forged);
    let err = verify(&export(&rechain(es)), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::RootMismatch {
                checkpoint: 1,
                size: 10,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn reordered_entries_are_detected() {
    let (_, x, c) = honest();
    let mut ls = lines(&x);
    ls.swap(4, 5);
    let err = verify(&join(&ls), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::IndexGap {
                line: 5,
                expected: 4,
                found: 5
            }
        ),
        "{err}"
    );
    // Swapping the contents but keeping index order breaks the chain.
    let (e, _, _) = honest();
    let mut es = e.clone();
    es.swap(4, 5);
    let es: Vec<Entry> = es
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if i == 4 || i == 5 {
                let prev = if i == 4 { e[3].link() } else { e[4].link() };
                Entry::next(
                    Some(ratify_tlog::Link {
                        time: x.time().min(prev.time),
                        ..prev
                    }),
                    x.time().max(prev.time),
                    x.kind(),
                    x.actor(),
                    x.data().clone(),
                )
                .unwrap()
            } else {
                x.clone()
            }
        })
        .collect();
    let err = verify(&export(&es), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::ChainBroken { index: 5, .. } | VerifyError::ChainBroken { index: 6, .. }
        ),
        "{err}"
    );
}

#[test]
fn a_truncated_tail_is_detected() {
    let (e, x, c) = honest();
    let ls = lines(&x);
    // Entries cut, checkpoints kept.
    let err = verify(&join(&ls[..25]), &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::Truncated {
                checkpoint: 3,
                size: 30,
                entries: 25
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("truncated"));
    // Entries cut and the last checkpoint dropped: the tail is unsigned.
    let err = verify(&join(&ls[..25]), &c[..2]).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::UnsignedTail {
                signed: 20,
                entries: 25
            }
        ),
        "{err}"
    );
    // Entries added after the last checkpoint are unsigned too.
    let err = verify(&x, &checkpoints(&e, &[10, 20], &signer())).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::UnsignedTail {
                signed: 20,
                entries: 30
            }
        ),
        "{err}"
    );
    assert!(matches!(
        verify(&x, &[] as &[String]),
        Err(VerifyError::NoCheckpoint)
    ));
}

#[test]
fn a_bad_checkpoint_signature_is_detected() {
    let (_, x, c) = honest();
    // Swap the signature lines of checkpoints 1 and 2.
    let sig = |n: &str| n[n.rfind('\u{2014}').unwrap()..].to_owned();
    let body = |n: &str| n[..n.rfind('\u{2014}').unwrap()].to_owned();
    let mut swapped = c.clone();
    swapped[0] = format!("{}{}", body(&c[0]), sig(&c[1]));
    swapped[1] = format!("{}{}", body(&c[1]), sig(&c[0]));
    let err = verify(&x, &swapped).unwrap_err();
    assert!(
        matches!(err, VerifyError::BadSignature { checkpoint: 1, .. }),
        "{err}"
    );
    // Alter one character of checkpoint 2's signature.
    let mut altered = c.clone();
    let s = sig(&c[1]);
    let pos = s.len() - 10;
    let ch = if &s[pos..pos + 1] == "A" { "B" } else { "A" };
    altered[1] = format!("{}{}{}{}", body(&c[1]), &s[..pos], ch, &s[pos + 1..]);
    let err = verify(&x, &altered).unwrap_err();
    assert!(
        matches!(err, VerifyError::BadSignature { checkpoint: 2, .. }),
        "{err}"
    );
    // Alter the signed size.
    let mut resized = c.clone();
    resized[2] = c[2].replacen("\n30\n", "\n29\n", 1);
    assert!(matches!(
        verify(&x, &resized),
        Err(VerifyError::BadSignature { checkpoint: 3, .. })
    ));
}

#[test]
fn a_checkpoint_signed_by_another_key_is_refused() {
    let (e, x, c) = honest();
    let other = Signer::from_seed("ratify.example", &[43u8; 32]).unwrap();
    let mut mixed = c.clone();
    mixed[1] = checkpoints(&e, &[20], &other).remove(0);
    let err = verify(&x, &mixed).unwrap_err();
    assert!(
        matches!(err, VerifyError::BadSignature { checkpoint: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("checkpoint 2"));
}

#[test]
fn checkpoints_must_agree_with_each_other_and_the_log() {
    let (e, x, c) = honest();
    // Out of order.
    let mut rev = c.clone();
    rev.swap(0, 1);
    assert!(matches!(
        verify(&x, &rev),
        Err(VerifyError::OutOfOrder {
            checkpoint: 2,
            size: 10,
            previous: 20
        })
    ));
    // Two signed roots for one size: a fork signed by the log key itself.
    let lie = sign_checkpoint(&Checkpoint::new(ORIGIN, 20, Hash([9; 32])), &signer()).unwrap();
    let forked = vec![c[0].clone(), c[1].clone(), lie.clone(), c[2].clone()];
    assert!(matches!(
        verify(&x, &forked),
        Err(VerifyError::Inconsistent {
            checkpoint: 3,
            earlier: 2,
            size: 20
        })
    ));
    // A validly signed root that does not match the entries.
    let wrong = vec![c[0].clone(), lie, c[2].clone()];
    assert!(matches!(
        verify(&x, &wrong),
        Err(VerifyError::RootMismatch {
            checkpoint: 2,
            size: 20,
            ..
        })
    ));
    // Another log's checkpoint.
    let other_origin = sign_checkpoint(
        &Checkpoint::new("ratify.example/other", 10, Hash([0; 32])),
        &signer(),
    )
    .unwrap();
    let err = verify(&x, &[other_origin]).unwrap_err();
    assert!(
        matches!(err, VerifyError::WrongOrigin { checkpoint: 1, .. }),
        "{err}"
    );
    // A checkpoint of size 0 must have the empty root.
    let zero = sign_checkpoint(&Checkpoint::new(ORIGIN, 0, Hash([0; 32])), &signer()).unwrap();
    assert!(matches!(
        verify(&x, &[zero]),
        Err(VerifyError::RootMismatch {
            checkpoint: 1,
            size: 0,
            ..
        })
    ));
    let _ = e;
}

#[test]
fn time_must_not_go_backwards_and_the_first_prev_is_zero() {
    let (_, x, c) = honest();
    let bad = replace_in_line(&x, 5, "09:30:05.000Z", "09:30:01.000Z");
    let err = verify(&bad, &c).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::TimeWentBackwards {
                index: 5,
                line: 6,
                ..
            }
        ),
        "{err}"
    );
    // Equal times are fine (entries made in the same millisecond).
    let bad = replace_in_line(&x, 29, "09:30:29.000Z", "09:30:28.000Z");
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::RootMismatch { .. })
    ));
    let bad = replace_in_line(&x, 0, &"0".repeat(64), &format!("{}1", "0".repeat(63)));
    assert!(matches!(
        verify(&bad, &c),
        Err(VerifyError::BadGenesis { index: 0, line: 1 })
    ));
}

#[test]
fn rollback_against_a_saved_checkpoint_is_detected() {
    let (e, x, c) = honest();
    let saved = c[2].clone(); // the auditor saw size 30
    assert_eq!(verify_saved(&x, &c, &saved).unwrap().entries, 30);
    // The server later shows an older, internally valid log of 20 entries.
    let old = export(&e[..20]);
    assert!(verify(&old, &c[..2]).is_ok());
    let err = verify_saved(&old, &c[..2], &saved).unwrap_err();
    assert!(
        matches!(
            err,
            VerifyError::Rollback {
                saved_size: 30,
                entries: 20
            }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("rollback"));
}

#[test]
fn a_fork_after_a_saved_checkpoint_is_detected() {
    let (e, _, c) = honest();
    let saved = c[1].clone(); // the auditor saw size 20
                              // The insider rewrites entry 15, rechains, and re-signs every checkpoint.
    let mut es = e.clone();
    let mut data = es[15].data().clone();
    data.insert("count".into(), 999.into());
    es[15] = Entry::next(
        Some(es[14].link()),
        es[15].time(),
        es[15].kind(),
        es[15].actor(),
        data,
    )
    .unwrap();
    let es = rechain(es);
    let x = export(&es);
    let resigned = checkpoints(&es, &[10, 20, 30], &signer());
    assert!(
        verify(&x, &resigned).is_ok(),
        "internally consistent on its own"
    );
    let err = verify_saved(&x, &resigned, &saved).unwrap_err();
    assert!(matches!(err, VerifyError::Fork { size: 20, .. }), "{err}");
    assert!(err.to_string().starts_with("fork"));
    // A saved checkpoint at a size between the export's checkpoints works too.
    let mid = checkpoints(&e, &[17], &signer()).remove(0);
    assert!(verify_saved(&export(&e), &c, &mid).is_ok());
    assert!(matches!(
        verify_saved(&x, &resigned, &mid),
        Err(VerifyError::Fork { size: 17, .. })
    ));
    // The saved checkpoint must itself verify.
    let other = Signer::from_seed("ratify.example", &[43u8; 32]).unwrap();
    let foreign = checkpoints(&e, &[20], &other).remove(0);
    assert!(matches!(
        verify_saved(&export(&e), &c, &foreign),
        Err(VerifyError::SavedCheckpointInvalid { .. })
    ));
}
