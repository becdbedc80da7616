//! Reading the record's JSON files so that a malformed one fails naming
//! the file, the line and the field, never with a panic.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{Check, Failure};

/// Reads `rel` under `dir` as text; a missing file is a layout failure.
pub fn read_text(dir: &Path, rel: &str, check: Check) -> Result<String, Failure> {
    std::fs::read_to_string(dir.join(rel)).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "the file is missing".to_string()
        } else {
            format!("cannot be read: {e}")
        };
        Failure::new(check, rel, why)
    })
}

/// Parses `text` (the contents of `rel`) as `T`, naming the field path.
pub fn parse<T: DeserializeOwned>(text: &str, rel: &str, check: Check) -> Result<T, Failure> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let parsed = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut f = Failure::new(check, rel, inner.to_string());
        if inner.line() > 0 {
            f = f.line(inner.line() as u64);
        }
        if path != "." && !path.is_empty() {
            f = f.field(path);
        }
        f
    })?;
    Ok(parsed)
}

/// The object's members must be exactly `allowed` (every one of
/// `required`, nothing else).
pub fn exact_members(
    obj: &Map<String, Value>,
    required: &[&str],
    optional: &[&str],
) -> Result<(), (String, String)> {
    for r in required {
        if !obj.contains_key(*r) {
            return Err((r.to_string(), "is missing".into()));
        }
    }
    for k in obj.keys() {
        if !required.contains(&k.as_str()) && !optional.contains(&k.as_str()) {
            return Err((k.clone(), "is not a documented member".into()));
        }
    }
    Ok(())
}

/// 64 lower-case hex digits.
pub fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A JSON integer that fits in u64 (JCS: below 2^53 in practice).
pub fn as_count(v: &Value) -> Option<u64> {
    v.as_u64()
}

/// 64 lower-case hex digits as 32 bytes.
pub fn hex32(s: &str) -> Option<[u8; 32]> {
    if !is_hex64(s) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

/// SHA-256 of the RFC 8785 canonical JSON of `v` (results.json's and the
/// certificate's digests, docs/audit-format.md).
pub fn canonical_digest(v: &Value) -> [u8; 32] {
    let bytes = serde_json_canonicalizer::to_vec(v).expect("a JSON value always serialises");
    ratify_tlog::hash::sha256(&bytes).0
}

/// The first place where `got` differs from `want`, as (JSON path, why).
/// Strings that are both RFC 3339 times compare as instants.
pub fn first_difference(want: &Value, got: &Value, path: &str) -> Option<(String, String)> {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    None => return Some((join(k), "is missing".into())),
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, &join(k)) {
                            return Some(d);
                        }
                    }
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| (join(k), "is not a documented member".into()))
        }
        (Value::Array(w), Value::Array(g)) => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                if let Some(d) = first_difference(wv, gv, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (w.len() != g.len()).then(|| {
                (
                    path.to_string(),
                    format!("has {} items, but should have {}", g.len(), w.len()),
                )
            })
        }
        (Value::String(w), Value::String(g))
            if crate::spec::instant(w).is_some()
                && crate::spec::instant(w) == crate::spec::instant(g) =>
        {
            None
        }
        _ if want == got => None,
        _ => Some((path.to_string(), format!("is {got}, but should be {want}"))),
    }
}
