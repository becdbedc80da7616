//! Audit log entries and their canonical encoding (RFC 8785 JCS).
//!
//! An entry is the JSON object
//! `{"actor":…,"data":{…},"index":N,"kind":"…","prev":"<64 hex>","time":"…"}`
//! serialised canonically; its leaf hash is SHA-256(0x00 || those bytes).

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::hash::{leaf_hash, Hash};
use crate::time::Timestamp;

/// What the builder refuses to create.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("entry kind {0:?} must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-'")]
    BadKind(String),
    #[error("entry time {time} is before the previous entry's time {prev}")]
    TimeWentBackwards { time: Timestamp, prev: Timestamp },
    #[error("the log is full")]
    IndexOverflow,
}

/// What a new entry needs to know about the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub index: u64,
    pub leaf_hash: Hash,
    pub time: Timestamp,
}

/// One audit log entry. Fields are private so that every `Entry` holds a
/// valid kind and a chain link made by [`Entry::next`] or read from a log.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    index: u64,
    prev: Hash,
    time: Timestamp,
    kind: String,
    actor: Option<String>,
    data: Map<String, Value>,
}

/// Kinds are short dotted names such as `ballot.cast` or `account.created`.
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 64
        && kind.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

impl Entry {
    /// The entry that follows `prev` (or the first entry, index 0 with
    /// `prev` = 64 zeros, when `prev` is `None`).
    ///
    /// `time` must not be before `prev.time`: the verifier requires
    /// non-decreasing times, so a server whose clock stepped back should pass
    /// `max(now, prev.time)`.
    pub fn next(
        prev: Option<Link>,
        time: Timestamp,
        kind: &str,
        actor: Option<&str>,
        data: Map<String, Value>,
    ) -> Result<Entry, EntryError> {
        if !valid_kind(kind) {
            return Err(EntryError::BadKind(kind.to_owned()));
        }
        let (index, prev_hash) = match prev {
            None => (0, Hash::ZERO),
            Some(link) => {
                if time < link.time {
                    return Err(EntryError::TimeWentBackwards {
                        time,
                        prev: link.time,
                    });
                }
                (
                    link.index.checked_add(1).ok_or(EntryError::IndexOverflow)?,
                    link.leaf_hash,
                )
            }
        };
        Ok(Entry {
            index,
            prev: prev_hash,
            time,
            kind: kind.to_owned(),
            actor: actor.map(str::to_owned),
            data,
        })
    }

    pub fn index(&self) -> u64 {
        self.index
    }
    pub fn prev(&self) -> &Hash {
        &self.prev
    }
    pub fn time(&self) -> Timestamp {
        self.time
    }
    pub fn kind(&self) -> &str {
        &self.kind
    }
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }
    pub fn data(&self) -> &Map<String, Value> {
        &self.data
    }

    /// The RFC 8785 canonical JSON bytes: exactly one line of an export
    /// (without its `\n`), and exactly what the leaf hash covers.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let mut data = Vec::with_capacity(128);
        serde_json_canonicalizer::to_writer(&self.data, &mut data)
            .expect("a JSON map always serialises");
        let time = self.time.to_string();
        write_canonical(
            &mut out,
            self.actor.as_deref(),
            &data,
            self.index,
            &self.kind,
            &self.prev,
            &time,
        );
        out
    }

    /// RFC 6962 leaf hash SHA-256(0x00 || canonical bytes).
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.canonical_bytes())
    }

    /// What the next entry links to.
    pub fn link(&self) -> Link {
        Link {
            index: self.index,
            leaf_hash: self.leaf_hash(),
            time: self.time,
        }
    }

    /// Parses one export line and checks it is canonical.
    pub fn from_canonical_line(line: &[u8]) -> Result<Entry, LineError> {
        let mut scratch = Vec::new();
        let checked = check_line(line, &mut scratch)?;
        let data: Map<String, Value> = serde_json::from_str(checked.data.get())
            .map_err(|e| LineError::Parse(e.to_string()))?;
        Ok(Entry {
            index: checked.index,
            prev: checked.prev,
            time: checked.time,
            kind: checked.kind.into_owned(),
            actor: checked.actor.map(Cow::into_owned),
            data,
        })
    }
}

/// Writes the canonical entry object. Keys are in JCS order (UTF-16 code
/// units, here plain ASCII): actor, data, index, kind, prev, time.
fn write_canonical(
    out: &mut Vec<u8>,
    actor: Option<&str>,
    canonical_data: &[u8],
    index: u64,
    kind: &str,
    prev: &Hash,
    time: &str,
) {
    out.extend_from_slice(b"{\"actor\":");
    match actor {
        // serde_json escapes exactly as JCS (RFC 8785 §3.2.2.2) does: `"`, `\`
        // and control characters, the latter as \b \t \n \f \r or \u00xx.
        Some(a) => serde_json::to_writer(&mut *out, a).expect("writing to a Vec"),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"data\":");
    out.extend_from_slice(canonical_data);
    out.extend_from_slice(b",\"index\":");
    write_u64(out, index);
    out.extend_from_slice(b",\"kind\":");
    serde_json::to_writer(&mut *out, kind).expect("writing to a Vec");
    out.extend_from_slice(b",\"prev\":\"");
    let mut hex = [0u8; 64];
    hex::encode_to_slice(prev.0, &mut hex).expect("64 bytes");
    out.extend_from_slice(&hex);
    out.extend_from_slice(b"\",\"time\":\"");
    out.extend_from_slice(time.as_bytes());
    out.extend_from_slice(b"\"}");
}

fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Why one export line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("{0}")]
    Parse(String),
    #[error("entry {index} is not in canonical form (RFC 8785)")]
    NotCanonical { index: u64 },
}

/// An export line that parsed and is canonical, borrowing from the line.
#[derive(Debug)]
pub struct CheckedLine<'a> {
    pub index: u64,
    pub prev: Hash,
    pub time: Timestamp,
    pub kind: Cow<'a, str>,
    pub actor: Option<Cow<'a, str>>,
    pub data: &'a RawValue,
    pub leaf_hash: Hash,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry<'a> {
    index: u64,
    #[serde(borrow)]
    prev: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    actor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    data: &'a RawValue,
}

/// Parses one export line (without its `\n`), re-encodes it canonically into
/// `scratch` and requires the bytes to be identical, then hashes it.
///
/// Re-encoding rather than trusting the producer means two different byte
/// strings can never stand for the same entry.
pub fn check_line<'a>(line: &'a [u8], scratch: &mut Vec<u8>) -> Result<CheckedLine<'a>, LineError> {
    let raw: RawEntry<'a> =
        serde_json::from_slice(line).map_err(|e| LineError::Parse(e.to_string()))?;
    let not_canonical = || LineError::NotCanonical { index: raw.index };
    let prev = Hash::from_hex(&raw.prev)
        .ok_or_else(|| LineError::Parse("prev is not 64 hex digits".into()))?;
    let time = Timestamp::parse(&raw.time).map_err(|e| LineError::Parse(e.to_string()))?;
    if !valid_kind(&raw.kind) {
        return Err(LineError::Parse(
            EntryError::BadKind(raw.kind.into_owned()).to_string(),
        ));
    }
    let data_text = raw.data.get();
    if !data_text.starts_with('{') {
        return Err(LineError::Parse("data is not a JSON object".into()));
    }
    scratch.clear();
    if !crate::jcs::is_canonical(data_text.as_bytes()) {
        return Err(not_canonical());
    }
    // `Timestamp::parse` accepts exactly one spelling per instant, so the
    // string itself is the canonical form.
    write_canonical(
        scratch,
        raw.actor.as_deref(),
        data_text.as_bytes(),
        raw.index,
        &raw.kind,
        &prev,
        &raw.time,
    );
    if scratch.as_slice() != line {
        return Err(not_canonical());
    }
    Ok(CheckedLine {
        index: raw.index,
        prev,
        time,
        kind: raw.kind,
        actor: raw.actor,
        data: raw.data,
        leaf_hash: leaf_hash(line),
    })
}
