//! C2SP tlog-checkpoint bodies, signed as C2SP signed notes with Ed25519.
//!
//! A signed note is the text (ending in `\n`), a blank line, then one line per
//! signature: `— <key name> <base64(key id ‖ signature)>\n`, where the key id
//! is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key) and the
//! signature is Ed25519 over the text bytes (the blank line excluded).
//! Verifier keys are written `<name>+<8 hex key id>+<base64(0x01 ‖ public key)>`.

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};

use crate::hash::{sha256, Hash};

/// Signature type byte for Ed25519 in C2SP signed-note key ids and vkeys.
const ALG_ED25519: u8 = 0x01;
/// At most this many signature lines are read (as Go's `note.Open`).
const MAX_SIGNATURES: usize = 100;
const EM_DASH_PREFIX: &str = "\u{2014} ";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("malformed signed note: {0}")]
    Malformed(String),
    #[error("the note carries no signature by key {0}")]
    NotSigned(String),
    #[error("the signature by key {0} does not verify")]
    BadSignature(String),
    #[error("malformed checkpoint: {0}")]
    Checkpoint(String),
    #[error("bad key: {0}")]
    Key(String),
}

/// Key names are non-empty and contain no whitespace and no `+` (C2SP signed-note).
fn valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// First 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut buf = Vec::with_capacity(name.len() + 34);
    buf.extend_from_slice(name.as_bytes());
    buf.push(b'\n');
    buf.push(ALG_ED25519);
    buf.extend_from_slice(public_key);
    let h = sha256(&buf);
    u32::from_be_bytes([h.0[0], h.0[1], h.0[2], h.0[3]])
}

/// An Ed25519 checkpoint signing key with its note key name.
pub struct Signer {
    name: String,
    key_pair: Ed25519KeyPair,
    public_key: [u8; 32],
    id: u32,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("name", &self.name)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl Signer {
    /// From a raw 32-byte Ed25519 seed (RFC 8032 private key).
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Signer, NoteError> {
        let kp =
            Ed25519KeyPair::from_seed_unchecked(seed).map_err(|e| NoteError::Key(e.to_string()))?;
        Signer::new(name, kp)
    }

    /// From a Go-style signer key `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>`
    /// (the format of `golang.org/x/mod/sumdb/note`), checking the id.
    pub fn from_skey(skey: &str) -> Result<Signer, NoteError> {
        let bad = |why: &str| NoteError::Key(format!("signer key: {why}"));
        let rest = skey
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| bad("must start with PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let (name, id_hex, key_b64) = match (parts.next(), parts.next(), parts.next()) {
            (Some(n), Some(i), Some(k)) => (n, i, k),
            _ => return Err(bad("expected PRIVATE+KEY+name+keyid+key")),
        };
        let key = B64.decode(key_b64).map_err(|_| bad("key is not base64"))?;
        if key.len() != 33 || key[0] != ALG_ED25519 {
            return Err(bad("not an Ed25519 seed (0x01 followed by 32 bytes)"));
        }
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&key[1..]);
        let signer = Signer::from_seed(name, &seed)?;
        if id_hex.len() != 8 || u32::from_str_radix(id_hex, 16).ok() != Some(signer.id) {
            return Err(bad("key id does not match name and key"));
        }
        Ok(signer)
    }

    /// From a PKCS#8 v1 or v2 document, as `ring` generates.
    pub fn from_pkcs8(name: &str, der: &[u8]) -> Result<Signer, NoteError> {
        let kp = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|e| NoteError::Key(e.to_string()))?;
        Signer::new(name, kp)
    }

    fn new(name: &str, key_pair: Ed25519KeyPair) -> Result<Signer, NoteError> {
        if !valid_key_name(name) {
            return Err(NoteError::Key(format!(
                "key name {name:?} must be non-empty without spaces or '+'"
            )));
        }
        let mut public_key = [0u8; 32];
        public_key.copy_from_slice(key_pair.public_key().as_ref());
        Ok(Signer {
            name: name.to_owned(),
            id: key_id(name, &public_key),
            key_pair,
            public_key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_id(&self) -> u32 {
        self.id
    }

    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    /// The matching verifier key, `<name>+<hex id>+<base64(0x01 ‖ pubkey)>`.
    pub fn vkey(&self) -> String {
        let mut k = vec![ALG_ED25519];
        k.extend_from_slice(&self.public_key);
        format!("{}+{:08x}+{}", self.name, self.id, B64.encode(k))
    }

    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            id: self.id,
            public_key: self.public_key,
        }
    }

    /// Signs `text` (which must be valid note text) and returns the whole note.
    pub fn sign_note(&self, text: &str) -> Result<String, NoteError> {
        check_text(text)?;
        let sig = self.key_pair.sign(text.as_bytes());
        let mut blob = Vec::with_capacity(68);
        blob.extend_from_slice(&self.id.to_be_bytes());
        blob.extend_from_slice(sig.as_ref());
        Ok(format!(
            "{text}\n{EM_DASH_PREFIX}{} {}\n",
            self.name,
            B64.encode(blob)
        ))
    }
}

/// An Ed25519 note verifier key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    id: u32,
    public_key: [u8; 32],
}

impl Verifier {
    /// Parses `<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte public key)>`,
    /// checking that the key id matches the name and key.
    pub fn from_vkey(vkey: &str) -> Result<Verifier, NoteError> {
        let bad = |why: &str| NoteError::Key(format!("verifier key {vkey:?}: {why}"));
        let mut parts = vkey.trim().splitn(3, '+');
        let (name, id_hex, key_b64) = match (parts.next(), parts.next(), parts.next()) {
            (Some(n), Some(i), Some(k)) => (n, i, k),
            _ => return Err(bad("expected name+keyid+key")),
        };
        if !valid_key_name(name) {
            return Err(bad("invalid key name"));
        }
        if id_hex.len() != 8 || !id_hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad("key id is not 8 hex digits"));
        }
        let id = u32::from_str_radix(id_hex, 16).map_err(|_| bad("key id is not 8 hex digits"))?;
        let key = B64.decode(key_b64).map_err(|_| bad("key is not base64"))?;
        if key.len() != 33 || key[0] != ALG_ED25519 {
            return Err(bad("not an Ed25519 key (0x01 followed by 32 bytes)"));
        }
        let mut public_key = [0u8; 32];
        public_key.copy_from_slice(&key[1..]);
        if key_id(name, &public_key) != id {
            return Err(bad("key id does not match name and key"));
        }
        Ok(Verifier {
            name: name.to_owned(),
            id,
            public_key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_id(&self) -> u32 {
        self.id
    }

    pub fn vkey(&self) -> String {
        let mut k = vec![ALG_ED25519];
        k.extend_from_slice(&self.public_key);
        format!("{}+{:08x}+{}", self.name, self.id, B64.encode(k))
    }

    /// Opens a signed note: checks its form and that it carries a valid
    /// signature by this key; returns the text. Signatures by other keys are
    /// ignored, as C2SP signed-note requires of verifiers that do not know them.
    pub fn open<'n>(&self, note: &'n str) -> Result<&'n str, NoteError> {
        let malformed = |why: &str| NoteError::Malformed(why.to_owned());
        let split = note
            .rfind("\n\n")
            .ok_or_else(|| malformed("no blank line before the signatures"))?;
        let text = &note[..split + 1];
        check_text(text)?;
        let sigs = &note[split + 2..];
        if sigs.is_empty() || !sigs.ends_with('\n') {
            return Err(malformed("signature lines must end with a newline"));
        }
        let mut ours = None;
        for (n, line) in sigs[..sigs.len() - 1].split('\n').enumerate() {
            if n >= MAX_SIGNATURES {
                return Err(malformed("too many signatures"));
            }
            let rest = line
                .strip_prefix(EM_DASH_PREFIX)
                .ok_or_else(|| malformed("signature line must start with \"— \""))?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or_else(|| malformed("signature line needs a key name and a signature"))?;
            if !valid_key_name(name) {
                return Err(malformed("invalid key name in signature line"));
            }
            let blob = B64
                .decode(b64)
                .map_err(|_| malformed("signature is not base64"))?;
            if blob.len() < 5 {
                return Err(malformed("signature too short"));
            }
            let id = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]);
            if name == self.name && id == self.id {
                if ours.is_some() {
                    return Err(malformed("two signatures by the same key"));
                }
                ours = Some(blob);
            }
        }
        let blob = ours.ok_or_else(|| NoteError::NotSigned(self.vkey_short()))?;
        if blob.len() != 68 {
            return Err(NoteError::BadSignature(self.vkey_short()));
        }
        UnparsedPublicKey::new(&ED25519, &self.public_key)
            .verify(text.as_bytes(), &blob[4..])
            .map_err(|_| NoteError::BadSignature(self.vkey_short()))?;
        Ok(text)
    }

    fn vkey_short(&self) -> String {
        format!("{}+{:08x}", self.name, self.id)
    }
}

/// Note text: non-empty UTF-8 ending in `\n`, no control characters other
/// than `\n`, and no blank line (which would end the text early).
fn check_text(text: &str) -> Result<(), NoteError> {
    let malformed = |why: &str| NoteError::Malformed(why.to_owned());
    if text.is_empty() || !text.ends_with('\n') {
        return Err(malformed("note text must end with a newline"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(malformed("note text contains a control character"));
    }
    if text.starts_with('\n') || text.contains("\n\n") {
        return Err(malformed("note text contains a blank line"));
    }
    Ok(())
}

/// A C2SP tlog-checkpoint: the log `origin` had `size` entries with Merkle root `root`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Optional extra lines after the root hash, each without its `\n`.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    pub fn new(origin: &str, size: u64, root: Hash) -> Checkpoint {
        Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// `<origin>\n<size>\n<base64 root>\n` followed by any extension lines.
    pub fn body(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root.0)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parses a checkpoint body (the text of the note).
    pub fn parse_body(text: &str) -> Result<Checkpoint, NoteError> {
        let bad = |why: &str| NoteError::Checkpoint(why.to_owned());
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| bad("must end with a newline"))?;
        let mut lines = body.split('\n');
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or_else(|| bad("empty origin line"))?;
        let size_s = lines.next().ok_or_else(|| bad("missing size line"))?;
        if size_s.is_empty()
            || !size_s.bytes().all(|c| c.is_ascii_digit())
            || (size_s.len() > 1 && size_s.starts_with('0'))
        {
            return Err(bad("size is not a decimal number without leading zeros"));
        }
        let size: u64 = size_s
            .parse()
            .map_err(|_| bad("size does not fit in 64 bits"))?;
        let root_s = lines.next().ok_or_else(|| bad("missing root hash line"))?;
        let root = B64
            .decode(root_s)
            .ok()
            .filter(|r| r.len() == 32 && B64.encode(r) == root_s);
        let root = root.ok_or_else(|| bad("root hash is not 32 bytes of standard base64"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(bad("empty extension line"));
        }
        let mut r = [0u8; 32];
        r.copy_from_slice(&root);
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root: Hash(r),
            extensions,
        })
    }
}

/// Signs a checkpoint; the result is the note to publish.
pub fn sign_checkpoint(checkpoint: &Checkpoint, signer: &Signer) -> Result<String, NoteError> {
    signer.sign_note(&checkpoint.body())
}

/// Verifies a signed checkpoint note under `verifier` and parses its body.
pub fn parse_and_verify_checkpoint(
    note: &str,
    verifier: &Verifier,
) -> Result<Checkpoint, NoteError> {
    Checkpoint::parse_body(verifier.open(note)?)
}
