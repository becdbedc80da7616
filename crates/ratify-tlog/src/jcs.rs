//! Is a JSON text already in RFC 8785 (JCS) canonical form?

/// Reference check: parse, canonicalise with `serde_json_canonicalizer`, compare.
pub fn is_canonical_slow(text: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(v) => serde_json_canonicalizer::to_vec(&v).map(|c| c == text).unwrap_or(false),
        Err(_) => false,
    }
}

pub fn is_canonical(text: &[u8]) -> bool {
    is_canonical_slow(text)
}
