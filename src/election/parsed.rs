//! Stored elections and keys, parsed once per process (issue 13's cast
//! benchmark).
//!
//! Every ballot request loads its election: the spec's JSON (validated
//! again as it is read) and the key file (every trustee's verification key
//! a point to decompress, each about a field inversion). A ballot took four
//! such loads, which cost more than encrypting it. An [`ElectionPublicKey`]
//! also builds its fixed-base table for K on first use — 256 points, each
//! an inversion — which a key parsed afresh per ballot threw away after one
//! use. Here both are kept, keyed by the stored text itself: a changed row
//! (an extension, a published key) is different text and parses afresh, so
//! an entry can never be stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock, PoisonError};

use ratify_crypto::{CryptoError, ElectionPublicKey};

use super::ElectionSpec;

/// Entries kept before a cache starts over: a server runs a handful of
/// elections at once; this only bounds memory against surprises.
const MAX_ENTRIES: usize = 64;

/// A bounded map from stored text to its parsed form.
struct Cache<K, V>(OnceLock<Mutex<HashMap<K, V>>>);

impl<K: Hash + Eq, V: Clone> Cache<K, V> {
    const fn new() -> Self {
        Cache(OnceLock::new())
    }

    /// The parsed form of `key`, made by `parse` on a miss. Errors are not
    /// kept. A poisoned lock only means another thread panicked while
    /// inserting a complete value: the map is still sound.
    fn get_or_parse<E>(&self, key: K, parse: impl FnOnce(&K) -> Result<V, E>) -> Result<V, E> {
        let map = self.0.get_or_init(Default::default);
        if let Some(v) = map.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(v.clone());
        }
        let value = parse(&key)?;
        let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        Ok(map.entry(key).or_insert(value).clone())
    }
}

/// An election's spec and public key (hex), as [`super::StoredElection`]
/// holds them.
pub(super) type Parsed = (ElectionSpec, Option<String>);

/// The spec and key of a stored election row, parsed by `parse` once per
/// distinct `(spec, keys)` text.
pub(super) fn election_row<E>(
    spec: String,
    keys: Option<String>,
    parse: impl FnOnce(&str, Option<&str>) -> Result<Parsed, E>,
) -> Result<Parsed, E> {
    static ROWS: Cache<(String, Option<String>), Parsed> = Cache::new();
    ROWS.get_or_parse((spec, keys), |(s, k)| parse(s, k.as_deref()))
}

/// The key whose hex encoding is `hex`, parsed once and shared, with its
/// fixed-base table.
pub fn election_key(hex: &str) -> Result<ElectionPublicKey, CryptoError> {
    static KEYS: Cache<String, ElectionPublicKey> = Cache::new();
    KEYS.get_or_parse(hex.to_string(), |h| ElectionPublicKey::from_hex(h))
}

#[cfg(test)]
mod tests {
    use ratify_testkit::SpecFixture;

    use super::*;

    /// The Ristretto255 basepoint: a valid key.
    const KEY: &str = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76";

    #[test]
    fn a_key_is_parsed_once_and_its_table_shared() {
        let a = election_key(KEY).unwrap();
        let b = election_key(KEY).unwrap();
        assert_eq!(a.to_hex(), KEY);
        assert!(
            a.shares_table_with(&b),
            "the second lookup built a new table"
        );
    }

    #[test]
    fn a_bad_key_is_refused_every_time() {
        assert!(election_key("00").is_err());
        assert!(election_key("00").is_err());
    }

    #[test]
    fn a_row_is_parsed_once_per_distinct_text() {
        let spec = super::super::parse_spec(&SpecFixture::far_future("parsed").toml()).unwrap();
        let mut calls = 0;
        let mut load = |text: &str| {
            election_row(text.to_string(), None, |_, _| {
                calls += 1;
                Ok::<_, ()>((spec.clone(), None))
            })
            .unwrap()
        };
        load("one row's text (parsed.rs)");
        load("one row's text (parsed.rs)");
        load("another row's text (parsed.rs)");
        assert_eq!(calls, 2);
    }
}
