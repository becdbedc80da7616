//! The ballot token (S3, S4): 160 random bits from ring's `SystemRandom`,
//! written as 32 characters of lowercase base32 (RFC 4648 alphabet, no
//! padding). Letters and digits only: nothing a mail client wraps, escapes
//! or turns into a different link, and case cannot be mangled into a
//! different token because parsing lowers it.
//!
//! The plaintext exists only in memory, in the queued email (wiped once
//! the relay accepts it) and on a printed notice. What is stored is
//! [`TokenHash`], HMAC-SHA256 under the server's token key.

use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, Result};

/// Random bytes in a token: 160 bits, above S3's 128.
pub const TOKEN_BYTES: usize = 20;
/// Characters in a written token: 160 bits / 5 bits per character.
pub const TOKEN_CHARS: usize = TOKEN_BYTES * 8 / 5;

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A ballot token. `Debug` and `Display` print `[redacted]` so that no log
/// line, error or panic can carry one (S4); the text is reached only
/// through [`Token::expose`], which every caller must justify.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Token {
    /// A fresh token from the operating system's generator.
    pub fn generate(rng: &SystemRandom) -> Result<Token> {
        let mut bytes = [0u8; TOKEN_BYTES];
        rng.fill(&mut bytes)
            .map_err(|_| Error::Internal("the system random generator failed".into()))?;
        Ok(Token(encode(&bytes)))
    }

    /// A token as typed or clicked: upper case is accepted (some clients
    /// shout links), anything else of the wrong shape is `None` — the
    /// caller answers it exactly as an unknown token (S16).
    pub fn parse(text: &str) -> Option<Token> {
        let lower = text.to_ascii_lowercase();
        (lower.len() == TOKEN_CHARS && lower.bytes().all(|b| ALPHABET.contains(&b)))
            .then_some(Token(lower))
    }

    /// The token's text, for the one place it must appear: the link in an
    /// email or on a printed notice.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// HMAC-SHA256(key, token): the only form that is stored (S3).
    pub fn hash(&self, key: &ring::hmac::Key) -> TokenHash {
        let tag = ring::hmac::sign(key, self.0.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        TokenHash(out)
    }
}

/// HMAC-SHA256 of a token under the server's key: what the database keeps
/// and looks credentials up by. Not a secret by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

/// RFC 4648 base32, lowercase, without padding (`bytes.len() * 8` must be
/// a multiple of 5, as it is for tokens).
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// 120 random bits as 24 base32 characters: a message's id.
pub(crate) fn random_id(rng: &SystemRandom) -> Result<String> {
    let mut bytes = [0u8; 15];
    rng.fill(&mut bytes)
        .map_err(|_| Error::Internal("the system random generator failed".into()))?;
    Ok(encode(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_test_vectors() {
        // RFC 4648 §10, lowercased, without padding.
        assert_eq!(encode(b"fooba"), "mzxw6ytb");
        assert_eq!(encode(b"foobar"), "mzxw6ytboi");
        assert_eq!(encode(b""), "");
    }

    #[test]
    fn tokens_are_32_url_safe_characters_and_differ() {
        let rng = SystemRandom::new();
        let a = Token::generate(&rng).unwrap();
        let b = Token::generate(&rng).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), TOKEN_CHARS);
        assert!(a
            .expose()
            .bytes()
            .all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c)));
    }

    #[test]
    fn debug_and_display_are_redacted() {
        let t = Token::generate(&SystemRandom::new()).unwrap();
        assert_eq!(format!("{t}"), "[redacted]");
        assert_eq!(format!("{t:?}"), "[redacted]");
        assert!(!format!("{:?}", Some(&t)).contains(t.expose()));
    }

    #[test]
    fn parse_accepts_upper_case_and_refuses_other_shapes() {
        let t = Token::generate(&SystemRandom::new()).unwrap();
        assert_eq!(Token::parse(&t.expose().to_uppercase()), Some(t.clone()));
        assert_eq!(Token::parse(&t.expose()[1..]), None);
        assert_eq!(Token::parse(&format!("{}1", &t.expose()[1..])), None);
        assert_eq!(Token::parse(""), None);
    }

    #[test]
    fn the_hash_is_keyed() {
        let t = Token::parse("abcdefghijklmnopqrstuvwxyz234567").unwrap();
        let k1 = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[1u8; 32]);
        let k2 = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[2u8; 32]);
        assert_eq!(t.hash(&k1), t.hash(&k1));
        assert_ne!(t.hash(&k1), t.hash(&k2));
    }
}
