//! Check 5: trustees/roster.json. Every public key's proofs of
//! possession, every deal, confirmation and complaint verify
//! (docs/crypto.md); the roster is for this election with the spec's k and
//! n; and its files are exactly those the log registered (after any
//! `trustee.voided`), digest for digest.

use std::collections::BTreeMap;
use std::path::Path;

use ratify_crypto::{verify_complaint, verify_confirmation, verify_deal, Roster};

use crate::json::{parse, read_text};
use crate::layout::{ENTRIES, ROSTER};
use crate::log::Logged;
use crate::spec::Spec;
use crate::{Check, Failure};

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Roster, ROSTER, why)
}

pub fn check_roster(dir: &Path, spec: &Spec, entries: &[Logged]) -> Result<Roster, Failure> {
    let roster: Roster = parse(
        &read_text(dir, ROSTER, Check::Roster)?,
        ROSTER,
        Check::Roster,
    )?;
    if roster.election_id != spec.slug {
        return Err(fail(format!(
            "is for election {:?}, not {:?}",
            roster.election_id, spec.slug
        ))
        .field("election_id"));
    }
    if u64::from(roster.decrypt_threshold) != spec.decrypt_threshold {
        return Err(fail("is not the spec's decrypt_threshold").field("decrypt_threshold"));
    }
    if u64::from(roster.trustees) != spec.trustees || roster.public.len() > roster.trustees as usize
    {
        return Err(fail("is not the spec's number of trustees").field("trustees"));
    }
    let guilty = check_files(&roster)?;
    let logged = replay(entries)?;
    compare(&roster, &logged)?;
    for (complainer, dealers) in guilty {
        if logged.against.get(&complainer) != Some(&dealers) {
            return Err(fail(format!(
                "trustee {complainer}'s complaint proves {dealers:?} guilty, but the log registered it against others"
            ))
            .field("complaints"));
        }
    }
    Ok(roster)
}

/// Every file's proofs and signatures; returns whom each complaint proves
/// guilty, by complainer.
fn check_files(roster: &Roster) -> Result<BTreeMap<u64, Vec<u64>>, Failure> {
    for (i, p) in roster.public.iter().enumerate() {
        p.verify()
            .map_err(|why| fail(why).field(format!("public[{i}]")))?;
        if roster.public[..i]
            .iter()
            .any(|q| q.identity_key == p.identity_key || q.receive_key == p.receive_key)
        {
            return Err(fail("the same key as an earlier trustee").field(format!("public[{i}]")));
        }
    }
    for (i, d) in roster.deals.iter().enumerate() {
        verify_deal(roster, d).map_err(|e| fail(e.to_string()).field(format!("deals[{i}]")))?;
    }
    for (i, c) in roster.confirmations.iter().enumerate() {
        verify_confirmation(roster, c)
            .map_err(|e| fail(e.to_string()).field(format!("confirmations[{i}]")))?;
    }
    let mut guilty_by = BTreeMap::new();
    for (i, c) in roster.complaints.iter().enumerate() {
        let guilty = verify_complaint(roster, c)
            .map_err(|e| fail(e.to_string()).field(format!("complaints[{i}]")))?;
        if guilty.is_empty() {
            return Err(fail("proves no one guilty").field(format!("complaints[{i}]")));
        }
        guilty_by.insert(
            u64::from(c.complainer),
            guilty.into_iter().map(u64::from).collect(),
        );
    }
    Ok(guilty_by)
}

/// The files the log says are registered: (kind, trustee) → digest.
#[derive(Debug, Default)]
struct Registered {
    publics: u64,
    files: BTreeMap<(&'static str, u64), String>,
    /// Whom each registered complaint was logged against, by complainer.
    against: BTreeMap<u64, Vec<u64>>,
}

fn replay(entries: &[Logged]) -> Result<Registered, Failure> {
    let mut r = Registered::default();
    for e in entries {
        let bad = |why: String, field: &str| {
            Failure::new(Check::Roster, ENTRIES, why)
                .entry(e.index)
                .field(format!("data.{field}"))
        };
        let trustee = e.data.get("trustee").and_then(|t| t.as_u64()).unwrap_or(0);
        let digest = e
            .data
            .get("digest")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string();
        match (e.kind.as_str(), e.data.get("file").and_then(|f| f.as_str())) {
            ("trustee.registered", Some("public")) => {
                if trustee != r.publics + 1 {
                    return Err(bad(
                        format!(
                            "public key {trustee} registered, expected trustee {}",
                            r.publics + 1
                        ),
                        "trustee",
                    ));
                }
                r.publics += 1;
            }
            ("trustee.registered", Some(file)) => {
                let kind = match file {
                    "deal" => "deal",
                    "confirmation" => "confirmation",
                    _ => "complaint",
                };
                if trustee == 0 || trustee > r.publics {
                    return Err(bad(
                        format!("trustee {trustee} has no public key registered before"),
                        "trustee",
                    ));
                }
                if kind == "complaint" {
                    let against = e.data.get("against").and_then(|a| a.as_array());
                    let against = against.map(|a| a.iter().filter_map(|d| d.as_u64()).collect());
                    r.against.insert(trustee, against.unwrap_or_default());
                }
                if r.files.insert((kind, trustee), digest).is_some() {
                    return Err(bad(
                        format!("a second {kind} of trustee {trustee}"),
                        "trustee",
                    ));
                }
            }
            ("trustee.voided", _) => {
                if r.files.remove(&("deal", trustee)).as_deref() != Some(digest.as_str()) {
                    return Err(bad(format!("voids a deal of trustee {trustee} that is not registered with this digest"), "digest"));
                }
                r.files.retain(|(k, _), _| *k == "deal");
                r.against.clear();
            }
            _ => {}
        }
    }
    Ok(r)
}

/// roster.json holds exactly the registered files.
fn compare(roster: &Roster, logged: &Registered) -> Result<(), Failure> {
    if roster.public.len() as u64 != logged.publics {
        return Err(fail(format!(
            "holds {} public keys, but the log registered {}",
            roster.public.len(),
            logged.publics
        ))
        .field("public"));
    }
    let mut files = BTreeMap::new();
    for (i, d) in roster.deals.iter().enumerate() {
        files.insert(
            ("deal", u64::from(d.dealer)),
            (hex::encode(d.digest()), format!("deals[{i}]")),
        );
    }
    for (i, c) in roster.confirmations.iter().enumerate() {
        files.insert(
            ("confirmation", u64::from(c.trustee)),
            (hex::encode(c.digest()), format!("confirmations[{i}]")),
        );
    }
    for (i, c) in roster.complaints.iter().enumerate() {
        files.insert(
            ("complaint", u64::from(c.complainer)),
            (hex::encode(c.digest()), format!("complaints[{i}]")),
        );
    }
    for ((kind, t), (digest, field)) in &files {
        match logged.files.get(&(*kind, *t)) {
            Some(d) if d == digest => {}
            Some(_) => {
                return Err(fail(format!(
                    "trustee {t}'s {kind} is not the one the log registered (its digest differs)"
                ))
                .field(field.clone()))
            }
            None => {
                return Err(fail(format!(
                    "trustee {t}'s {kind} was never registered in the log"
                ))
                .field(field.clone()))
            }
        }
    }
    if let Some(((kind, t), _)) = logged.files.iter().find(|(k, _)| !files.contains_key(*k)) {
        return Err(fail(format!(
            "trustee {t}'s {kind} is registered in the log but missing here"
        )));
    }
    Ok(())
}
