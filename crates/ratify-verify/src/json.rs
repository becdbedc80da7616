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
