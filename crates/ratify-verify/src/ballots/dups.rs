//! No two ballots share a ciphertext or a proof (a copied ciphertext is a
//! re-cast vote even under a new tracker). Each ciphertext and proof is
//! kept as a 16-byte fingerprint (the first half of a SHA-256 over its
//! kind and bytes) in one vector, sorted once: 160 bytes per 2 × 2 ballot,
//! 80 MB for 500,000. Equal fingerprints are confirmed on the bytes by a
//! second read of the file (no curve arithmetic), so a fingerprint
//! collision can never fail an honest record.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{fail, line};
use crate::layout::BALLOTS;
use crate::Failure;

pub fn fingerprint(what: &str, values: &[[u8; 32]]) -> [u8; 16] {
    let mut buf = Vec::with_capacity(16 + 32 * values.len());
    buf.extend_from_slice(what.as_bytes());
    buf.push(0);
    for v in values {
        buf.extend_from_slice(v);
    }
    let h = ratify_tlog::hash::sha256(&buf).0;
    h[..16].try_into().expect("16 of 32 bytes")
}

/// The first line that repeats a ciphertext or proof of an earlier line,
/// if any.
pub fn find(dir: &Path, mut fps: Vec<[u8; 16]>) -> Result<Option<Failure>, Failure> {
    fps.sort_unstable();
    let mut repeated: Vec<[u8; 16]> = fps
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(fps);
    if repeated.is_empty() {
        return Ok(None);
    }
    repeated.dedup();
    rescan(dir, &repeated)
}

/// Reads the file again and returns the first line with an item, equal
/// byte for byte, seen on an earlier line.
fn rescan(dir: &Path, repeated: &[[u8; 16]]) -> Result<Option<Failure>, Failure> {
    let file =
        std::fs::File::open(dir.join(BALLOTS)).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let mut seen: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    let mut buf = Vec::new();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| fail(format!("cannot be read: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        line_no += 1;
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let Ok(raw) = line::parse(text) else { continue };
        let mut found = None;
        raw.items(|what, values| {
            if found.is_some() || repeated.binary_search(&fingerprint(what, values)).is_err() {
                return;
            }
            let mut key = what.as_bytes().to_vec();
            values.iter().for_each(|v| key.extend_from_slice(v));
            match seen.get(&key) {
                Some(&first) if first != line_no => found = Some((what, first)),
                Some(_) => found = Some((what, line_no)),
                None => {
                    seen.insert(key, line_no);
                }
            }
        });
        if let Some((what, first)) = found {
            let why = if first == line_no {
                format!("the same {what} appears twice in this ballot")
            } else {
                format!("this ballot has the same {what} as line {first}'s: a ballot was copied")
            };
            return Ok(Some(fail(why).line(line_no).field("ballot")));
        }
    }
}
