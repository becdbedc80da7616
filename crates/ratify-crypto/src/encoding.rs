//! Canonical encodings: points and scalars as 64 lowercase hex characters.
//!
//! A `Point` keeps the decoded group element next to its canonical 32-byte
//! encoding, so hashing never recompresses and decoding happens once.
//! Decoding rejects upper-case hex, wrong lengths, non-canonical scalars and
//! non-canonical or invalid Ristretto encodings (dalek's decompression only
//! accepts the canonical encoding).

use crate::error::CryptoError;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

/// A Ristretto255 element together with its canonical encoding.
#[derive(Clone, Copy)]
pub struct Point {
    point: RistrettoPoint,
    bytes: [u8; 32],
}

impl Point {
    pub fn new(point: RistrettoPoint) -> Self {
        Point {
            point,
            bytes: point.compress().to_bytes(),
        }
    }

    /// A point and its encoding, computed together elsewhere (the caller
    /// guarantees `bytes` is `point`'s canonical encoding).
    pub(crate) fn from_parts(point: RistrettoPoint, bytes: [u8; 32]) -> Self {
        debug_assert_eq!(point.compress().to_bytes(), bytes);
        Point { point, bytes }
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let point = CompressedRistretto(*bytes).decompress()?;
        Some(Point {
            point,
            bytes: *bytes,
        })
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let bytes = hex32(s).map_err(|r| CryptoError::encoding("point", r))?;
        Point::from_bytes(&bytes)
            .ok_or_else(|| CryptoError::encoding("point", "not a canonical Ristretto255 encoding"))
    }

    pub fn identity() -> Self {
        Point::new(RistrettoPoint::identity())
    }

    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.bytes)
    }

    pub fn is_identity(&self) -> bool {
        self.bytes == [0u8; 32]
    }
}

impl PartialEq for Point {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl Eq for Point {}

impl std::fmt::Debug for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Point({})", self.to_hex())
    }
}

impl Serialize for Point {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Point::from_hex(&s).map_err(D::Error::custom)
    }
}

/// A point that must not be the identity (keys, commitments, ephemeral keys).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NonIdentity(Point);

impl NonIdentity {
    pub fn new(p: Point) -> Option<Self> {
        if p.is_identity() {
            None
        } else {
            Some(NonIdentity(p))
        }
    }
    pub fn get(&self) -> &Point {
        &self.0
    }
}

impl Serialize for NonIdentity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for NonIdentity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = Point::deserialize(d)?;
        NonIdentity::new(p).ok_or_else(|| {
            D::Error::custom("invalid encoding of point: the identity is not allowed here")
        })
    }
}

pub(crate) fn hex32(s: &str) -> Result<[u8; 32], String> {
    if s.len() != 64 {
        return Err(format!("expected 64 hex characters, got {}", s.len()));
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err("expected lowercase hex".into());
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

pub fn scalar_from_hex(s: &str) -> Result<Scalar, CryptoError> {
    let bytes = hex32(s).map_err(|r| CryptoError::encoding("scalar", r))?;
    Option::from(Scalar::from_canonical_bytes(bytes))
        .ok_or_else(|| CryptoError::encoding("scalar", "not reduced modulo the group order"))
}

/// `#[serde(with = "hex_scalar")]` for `Scalar` fields.
pub mod hex_scalar {
    use super::*;
    pub fn serialize<S: Serializer>(x: &Scalar, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(x.as_bytes()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        scalar_from_hex(&s).map_err(D::Error::custom)
    }
}

/// `#[serde(with = "hex_bytes32")]` for digests.
pub mod hex_bytes32 {
    use super::*;
    pub fn serialize<S: Serializer>(x: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(x))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        hex32(&s).map_err(|r| D::Error::custom(format!("invalid digest: {r}")))
    }
}

/// `#[serde(with = "hex_vec")]` for variable-length byte strings.
pub mod hex_vec {
    use super::*;
    pub fn serialize<S: Serializer>(x: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(x))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if !s
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err(D::Error::custom("expected lowercase hex"));
        }
        hex::decode(s.as_bytes()).map_err(D::Error::custom)
    }
}

/// Fixed `type` and `version` tags on top-level files. Each tag type
/// serializes to one string and refuses any other on input, so a parsed file
/// is always of the type and version this code understands.
macro_rules! file_tag {
    ($name:ident, $s:expr) => {
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;
        impl $name {
            pub const TAG: &'static str = $s;
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                if s == $s {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom(format!(
                        "expected type \"{}\", found \"{}\"",
                        $s, s
                    )))
                }
            }
        }
    };
}
pub(crate) use file_tag;

/// The format version of every file this crate writes: 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct V1;

impl Serialize for V1 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(1)
    }
}

impl<'de> Deserialize<'de> for V1 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v == 1 {
            Ok(V1)
        } else {
            Err(D::Error::custom(format!(
                "unsupported version {v}; this program reads version 1"
            )))
        }
    }
}
