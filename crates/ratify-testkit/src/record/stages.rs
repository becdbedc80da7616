//! The record, stage by stage, as the server writes it.

use std::path::Path;

use ratify_crypto::{
    decrypt_share, ElectionContext, ElectionKeys, QuestionShape, Roster, TallyGroup, TallyRequest,
    TrusteeFile, TrusteeSecret,
};
use serde_json::{json, Value};

use super::ballots::{encrypt_all, Encrypted};
use super::log::{test_signer, LogWriter};
use super::outcome::{reported_groups, results};
use super::{Built, Plan, Stage};

const COMMITTEE: &str = "alice@union.example";
const SECOND: &str = "bob@union.example";
/// Entries between checkpoints while ballots are cast (the server signs
/// one every minute while entries arrive).
const CHECKPOINT_EVERY: u64 = 100_000;

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    std::fs::write(path, bytes).expect("write file");
}

fn pretty(v: &impl serde::Serialize) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).expect("serialises");
    s.push(b'\n');
    s
}

/// Canonical JSON (RFC 8785) and a final newline.
fn canonical_file(v: &Value) -> Vec<u8> {
    let mut s = serde_json_canonicalizer::to_vec(v).expect("serialises");
    s.push(b'\n');
    s
}

fn digest_hex(v: &Value) -> String {
    let bytes = serde_json_canonicalizer::to_vec(v).expect("serialises");
    ratify_tlog::hash::sha256(&bytes).to_hex()
}

pub fn write_log(log: &LogWriter, dir: &Path) {
    write(dir, "log/entries.jsonl", &log.entries_file());
    let _ = std::fs::remove_dir_all(dir.join("log/checkpoints"));
    for (size, note) in &log.notes {
        write(
            dir,
            &format!("log/checkpoints/{size:020}.note"),
            note.as_bytes(),
        );
    }
    let vkey = log.signer.vkey();
    write(dir, "log/vkey", format!("{vkey}\n").as_bytes());
    let slug = log.origin.rsplit('/').next().expect("a slug");
    let record = json!({"format": "ratify-record/1", "log": format!("election/{slug}"),
        "origin": log.origin, "vkey": vkey, "entries": log.size()});
    write(dir, "record.json", format!("{record:#}\n").as_bytes());
}

/// Creation, roll, ceremony, key: returns the secrets, roster and keys.
fn setup(
    plan: &Plan,
    spec: &Value,
    log: &mut LogWriter,
) -> (Vec<TrusteeSecret>, Roster, ElectionKeys) {
    log.append("election.created", Some(COMMITTEE), json!({"spec": spec}));
    let roll = plan.roll();
    log.append(
        "roll.imported",
        Some(COMMITTEE),
        json!({
            "members": roll.values().sum::<u64>(), "per_unit": roll,
            "roll_hash": "aff3e8a19f02a1a707796bffa534356f68ceb3c268859aa8018634b9f7df95c8",
            "replaced": false,
        }),
    );
    let roster = std::cell::RefCell::new(Roster::new(&plan.slug, 2, 3));
    let secrets = crate::key_ceremony(
        3,
        |file| {
            let mut r = roster.borrow_mut();
            let (kind, trustee, digest) = match &file {
                TrusteeFile::Public(p) => {
                    r.public.push(p.clone());
                    ("public", r.public.len() as u32, None)
                }
                TrusteeFile::Deal(d) => {
                    r.deals.push(d.clone());
                    ("deal", d.dealer, Some(d.digest()))
                }
                TrusteeFile::Confirmation(c) => {
                    r.confirmations.push(c.clone());
                    ("confirmation", c.trustee, Some(c.digest()))
                }
                other => panic!("the ceremony registers no {other:?}"),
            };
            let mut data = json!({"file": kind, "trustee": trustee});
            if let Some(d) = digest {
                data["digest"] = json!(hex::encode(d));
            }
            log.append("trustee.registered", Some(COMMITTEE), data);
        },
        || roster.borrow().clone(),
    );
    let roster = roster.into_inner();
    let keys = ratify_crypto::combine_election_key(&roster).expect("a complete ceremony");
    log.append("key.published", Some(COMMITTEE), json!({
        "public_key": keys.public_key.to_hex(),
        "verification_keys": keys.verification_keys.iter().map(|k| k.to_hex()).collect::<Vec<_>>(),
        "decrypt_threshold": 2,
        "roster_digest": hex::encode(roster.digest()),
    }));
    (secrets, roster, keys)
}

fn context(plan: &Plan, spec: &Value, keys: &ElectionKeys) -> ElectionContext {
    ElectionContext {
        election_id: plan.slug.clone(),
        public_key: keys.public_key.clone(),
        questions: spec["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .map(|q| QuestionShape {
                id: q["id"].as_str().expect("id").to_string(),
                options: q["options"].as_array().expect("options").len(),
                allow_blank: q["allow_blank"].as_bool().expect("bool"),
            })
            .collect(),
    }
}

/// Sends the links, extends the window, casts every vote.
fn voting(plan: &Plan, ctx: &ElectionContext, log: &mut LogWriter, dir: &Path) -> Encrypted {
    let roll = plan.roll();
    log.append(
        "credential.issued",
        Some("cli:alice"),
        json!({"count": roll.values().sum::<u64>(), "channel": "email"}),
    );
    log.append(
        "window.extended",
        Some(COMMITTEE),
        json!({
        "from": "2026-12-08T02:00:00Z", "to": "2026-12-09T02:00:00Z", "reason": "mail outage"}),
    );
    let units: Vec<String> = plan.units.iter().map(|u| u.0.clone()).collect();
    let enc = encrypt_all(ctx, &units, &plan.votes, &dir.join("ballots.jsonl"));
    for c in &enc.casts {
        log.append(
            "ballot.cast",
            None,
            json!({"tracker": c.tracker, "unit": c.unit, "ballot_hash": c.ballot_hash}),
        );
        if log.size().is_multiple_of(CHECKPOINT_EVERY) {
            log.checkpoint();
        }
    }
    enc
}

/// The close: ballots per unit and the commitment to who voted (S7).
fn close(plan: &Plan, log: &mut LogWriter, dir: &Path) -> Vec<(String, u64)> {
    let per_unit: Vec<(String, u64)> = plan
        .units
        .iter()
        .map(|(u, _)| {
            (
                u.clone(),
                plan.votes.iter().filter(|v| v.unit == *u).count() as u64,
            )
        })
        .collect();
    let salt = [7u8; 32];
    let members: Vec<String> = (0..plan.votes.len()).map(|i| format!("M{i:07}")).collect();
    let mut bytes = salt.to_vec();
    for m in &members {
        bytes.extend_from_slice(m.as_bytes());
        bytes.push(0x1e);
    }
    let commitment = ratify_tlog::hash::sha256(&bytes).to_hex();
    let map: serde_json::Map<String, Value> = per_unit
        .iter()
        .map(|(u, n)| (u.clone(), json!(n)))
        .collect();
    log.append(
        "election.closed",
        None,
        json!({"per_unit": map, "voted_commitment": commitment}),
    );
    if plan.private {
        write(
            dir,
            "private/voted.json",
            &pretty(&json!({"salt": hex::encode(salt), "members": members})),
        );
    }
    per_unit
}

pub fn build(plan: &Plan, dir: &Path) -> Built {
    let spec = plan.spec();
    let mut log = LogWriter::new(&plan.slug, test_signer());
    let (secrets, roster, keys) = setup(plan, &spec, &mut log);
    let mut final_spec = spec.clone();
    final_spec["closes_at"] = json!("2026-12-09T02:00:00Z");
    write(dir, "election.json", &pretty(&final_spec));
    write(dir, "trustees/roster.json", &pretty(&roster));
    write(dir, "trustees/election-keys.json", &pretty(&keys));
    let ctx = context(plan, &spec, &keys);
    let enc = voting(plan, &ctx, &mut log, dir);
    let mut built = Built { log, results: None };
    if plan.stage == Stage::Open {
        std::fs::remove_file(dir.join("ballots.jsonl")).expect("not published before the close");
    } else {
        let per_unit = close(plan, &mut built.log, dir);
        tally_onwards(
            plan, &spec, &roster, &keys, &secrets, &enc, &per_unit, dir, &mut built,
        );
    }
    built.log.checkpoint();
    write_log(&built.log, dir);
    built
}

#[allow(clippy::too_many_arguments)] // one call site: the stages in order
fn tally_onwards(
    plan: &Plan,
    spec: &Value,
    roster: &Roster,
    keys: &ElectionKeys,
    secrets: &[TrusteeSecret],
    enc: &Encrypted,
    per_unit: &[(String, u64)],
    dir: &Path,
    built: &mut Built,
) {
    if plan.stage < Stage::Tallied {
        return;
    }
    let log = &mut built.log;
    let groups = reported_groups(per_unit, plan.min_unit_report);
    let ctx = context(plan, spec, keys);
    let tally_groups = groups
        .iter()
        .map(|g| {
            let mut agg = ratify_crypto::Aggregator::new(&ctx);
            for (u, totals) in plan.units.iter().zip(&enc.totals) {
                if g.units.contains(&u.0) {
                    agg.add_totals(totals).expect("shape");
                }
            }
            TallyGroup {
                name: g.name.clone(),
                totals: agg.finish(),
            }
        })
        .collect();
    let tally = TallyRequest::new(roster.clone(), tally_groups);
    let digest = hex::encode(tally.digest(keys));
    write(dir, "tally.json", &pretty(&tally));
    let logged: Vec<Value> = groups
        .iter()
        .map(|g| json!({"name": g.name, "units": g.units, "ballots": g.ballots}))
        .collect();
    log.append(
        "tally.computed",
        Some("cli:alice"),
        json!({"groups": logged, "tally_digest": digest}),
    );
    let shares = match plan.stage {
        Stage::Tallied => 0,
        Stage::OneShare => 1,
        _ => 2,
    };
    for (j, secret) in secrets.iter().enumerate().take(shares) {
        let share = decrypt_share(secret, &tally).expect("an honest trustee");
        write(
            dir,
            &format!("shares/trustee-{}.json", j + 1),
            &pretty(&share),
        );
        log.append(
            "decryption.share",
            Some(&format!("trustee{}@union.example", j + 1)),
            json!({"trustee": j + 1, "tally_digest": digest}),
        );
    }
    if plan.stage < Stage::Published {
        return;
    }
    let results = results(plan, spec, &groups);
    write(dir, "results.json", &canonical_file(&results));
    log.append(
        "results.published",
        Some("cli:alice"),
        json!({"results_digest": digest_hex(&results), "decrypted_by": [1, 2]}),
    );
    built.results = Some(results.clone());
    if plan.stage == Stage::Certified {
        certify(plan, spec, &results, log, dir);
    }
}

/// Two members certify; the second completes the quorum and the
/// certificate, signed by the log's key, is the log's last entry.
fn certify(plan: &Plan, spec: &Value, results: &Value, log: &mut LogWriter, dir: &Path) {
    log.append(
        "election.certified",
        Some(COMMITTEE),
        json!({"account": COMMITTEE}),
    );
    let (size, root) = log.checkpoint();
    let roll = plan.roll();
    let mut cert = json!({
        "type": "ratify-certificate", "version": 1, "election_id": plan.slug,
        "results": results, "results_digest": digest_hex(results),
        "roll": {"members": roll.values().sum::<u64>(), "per_unit": roll,
                 "roll_hash": "aff3e8a19f02a1a707796bffa534356f68ceb3c268859aa8018634b9f7df95c8"},
        "window": {"opens_at": spec["opens_at"], "closes_at": "2026-12-09T02:00:00Z",
                   "time_zone": spec["time_zone"],
                   "extensions": [{"from": "2026-12-08T02:00:00Z", "to": "2026-12-09T02:00:00Z", "reason": "mail outage"}]},
        "decrypted_by": [1, 2],
        "certified_by": [COMMITTEE, SECOND],
        "checkpoint": {"size": size, "root": root.to_hex()},
    });
    let text = format!(
        "ratify-certificate/1\n{}\n{}\n",
        plan.slug,
        digest_hex(&cert)
    );
    cert["signature"] = json!(log.signer.sign_note(&text).expect("valid note text"));
    write(dir, "certificate.json", &canonical_file(&cert));
    log.append(
        "election.certified",
        Some(SECOND),
        json!({"account": SECOND, "certificate_digest": digest_hex(&cert)}),
    );
}
