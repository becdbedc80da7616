//! Check 13: certificate.json (docs/audit-format.md §"Certificate", S11,
//! S12): every member is what the record says; `certify_quorum` distinct
//! accounts certified; the checkpoint is a signed one at the quorum entry's
//! index; the signature opens with the log's key over the certificate's
//! digest; the logged digest is the file's; and nothing follows the quorum
//! entry in the log.

use std::path::Path;

use ratify_tlog::{Checkpoint, Verifier};
use serde_json::{json, Map, Value};

use crate::entries::Entries;
use crate::json::{canonical_digest, first_difference, parse, read_text};
use crate::layout::{Layout, CERTIFICATE, ENTRIES};
use crate::results::last_roll;
use crate::spec::Spec;
use crate::{Check, Failure};

fn fail(why: impl Into<String>) -> Failure {
    Failure::new(Check::Certificate, CERTIFICATE, why)
}

/// What check 13 found: how many certified, and whether it is final.
pub struct Certified {
    pub accounts: usize,
    pub quorum: u64,
    pub certified: bool,
}

/// Check 13.
pub fn check_certificate(
    dir: &Path,
    layout: &Layout,
    spec: &Spec,
    entries: &Entries,
    results: Option<&Value>,
    log_size: u64,
) -> Result<Certified, Failure> {
    let state = &entries.state;
    let exists = dir.join(CERTIFICATE).exists();
    let done = Certified {
        accounts: state.certified.len(),
        quorum: spec.certify_quorum,
        certified: state.quorum.is_some(),
    };
    let reaching = state.certified.get(spec.certify_quorum as usize - 1);
    let Some(at) = state.quorum else {
        if let Some((_, e)) = reaching {
            return Err(Failure::new(
                Check::Certificate,
                ENTRIES,
                "reaches the certify_quorum but carries no certificate_digest",
            )
            .entry(*e));
        }
        if exists {
            return Err(fail(
                "a certificate, but the log has no certification that completes the quorum",
            ));
        }
        return Ok(done);
    };
    if reaching.map(|r| r.1) != Some(at) {
        return Err(Failure::new(
            Check::Certificate,
            ENTRIES,
            format!(
                "carries the certificate, but it is certification {} of a quorum of {}",
                state.certified.len(),
                spec.certify_quorum
            ),
        )
        .entry(at)
        .field("data.certificate_digest"));
    }
    if log_size != at + 1 {
        return Err(Failure::new(
            Check::Certificate,
            ENTRIES,
            "entries follow the certification that completed the quorum",
        )
        .entry(at + 1));
    }
    let Some(results) = results else {
        return Err(fail("a certificate, but no results"));
    };
    let got: Map<String, Value> = parse(
        &read_text(dir, CERTIFICATE, Check::Certificate)?,
        CERTIFICATE,
        Check::Certificate,
    )?;
    let mut unsigned = got.clone();
    let signature = unsigned.remove("signature");
    let want = expected(layout, spec, entries, results, at)?;
    if let Some((field, why)) = first_difference(&want, &Value::Object(unsigned.clone()), "") {
        return Err(fail(why).field(field));
    }
    signature_opens(layout, spec, signature.as_ref(), &Value::Object(unsigned))?;
    let digest = hex::encode(canonical_digest(&Value::Object(got)));
    let e = entries.at(at).expect("check 3 found the quorum entry");
    if e.data["certificate_digest"].as_str() != Some(digest.as_str()) {
        return Err(Failure::new(
            Check::Certificate,
            ENTRIES,
            format!("is not the SHA-256 of certificate.json's canonical JSON ({digest})"),
        )
        .entry(at)
        .field("data.certificate_digest"));
    }
    Ok(done)
}

/// The certificate without its signature, as the record gives it.
fn expected(
    layout: &Layout,
    spec: &Spec,
    entries: &Entries,
    results: &Value,
    at: u64,
) -> Result<Value, Failure> {
    let roll = last_roll(entries).map_or(Value::Null, |r| {
        json!({"members": r.data["members"], "per_unit": r.data["per_unit"], "roll_hash": r.data["roll_hash"]})
    });
    let extensions: Vec<Value> = entries
        .list
        .iter()
        .filter(|e| e.kind == "window.extended")
        .map(|e| json!({"from": e.data["from"], "to": e.data["to"], "reason": e.data["reason"]}))
        .collect();
    let published = entries
        .state
        .results
        .and_then(|r| entries.at(r))
        .expect("check 12 found results.published");
    let certified_by: Vec<&str> = entries
        .state
        .certified
        .iter()
        .map(|c| c.0.as_str())
        .collect();
    let root = checkpoint_root(layout, at)?;
    Ok(json!({
        "type": "ratify-certificate",
        "version": 1,
        "election_id": spec.slug,
        "results": results,
        "results_digest": published.data["results_digest"],
        "roll": roll,
        "window": {
            "opens_at": spec.opens_at, "closes_at": spec.closes_at,
            "time_zone": spec.time_zone, "extensions": extensions,
        },
        "decrypted_by": published.data["decrypted_by"],
        "certified_by": certified_by,
        "checkpoint": {"size": at, "root": root},
    }))
}

/// The root (hex) of the signed checkpoint of size `size` in log/checkpoints.
fn checkpoint_root(layout: &Layout, size: u64) -> Result<String, Failure> {
    let key = Verifier::from_vkey(&layout.header.vkey).map_err(|e| fail(e.to_string()))?;
    layout
        .notes
        .iter()
        .filter(|n| n.1 == size)
        .find_map(|n| key.open(&n.2).ok().and_then(|t| Checkpoint::parse_body(t).ok()))
        .map(|cp| cp.root.to_hex())
        .ok_or_else(|| {
            fail(format!(
                "no signed checkpoint of size {size} (the log just before the quorum's certification) in log/checkpoints"
            ))
            .field("checkpoint")
        })
}

/// The signature is a note by the log's key over the three lines.
fn signature_opens(
    layout: &Layout,
    spec: &Spec,
    signature: Option<&Value>,
    unsigned: &Value,
) -> Result<(), Failure> {
    let note = signature
        .and_then(Value::as_str)
        .ok_or_else(|| fail("is missing or not a string").field("signature"))?;
    let key = Verifier::from_vkey(&layout.header.vkey).map_err(|e| fail(e.to_string()))?;
    let text = key
        .open(note)
        .map_err(|e| fail(format!("does not open with the log's key: {e}")).field("signature"))?;
    let want = signed_text(&spec.slug, &canonical_digest(unsigned));
    if text != want {
        return Err(fail(
            "signs another text: not this certificate's digest (the certificate was changed after signing)",
        )
        .field("signature"));
    }
    Ok(())
}

/// The three lines the certificate's signature covers.
pub fn signed_text(slug: &str, digest: &[u8; 32]) -> String {
    format!("ratify-certificate/1\n{slug}\n{}\n", hex::encode(digest))
}
