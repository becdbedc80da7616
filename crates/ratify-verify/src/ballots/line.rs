//! One line of ballots.jsonl, read by its exact bytes.
//!
//! A line must be the compact JSON the server stored at cast time
//! (docs/audit-format.md §"Election record layout"): serde_json's output of
//! `{"tracker","unit","ballot"}` with the members in that order and no
//! whitespace. Instead of a general JSON parser followed by a
//! re-serialisation to compare, this reader walks the one permitted byte
//! layout, so "is it the compact form" and "what does it say" are one
//! pass, and each hex value is decoded once into bytes. Decompressing the
//! points (the expensive part: one inverse square root each) is a
//! separate step, [`RawBallot::decode`], so a second scan looking for a
//! duplicate needs no curve arithmetic at all.

use ratify_crypto::{
    Ciphertext, ConstantProof, EncryptedAnswer, EncryptedBallot, EncryptedSelection, Point, Scalar,
    SumProof, ZeroOneProof,
};

/// Why a line is not a ballot: the field (a JSON path) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub field: String,
    pub reason: String,
}

fn err(field: impl Into<String>, reason: impl Into<String>) -> LineError {
    LineError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// A 0-or-1 proof's seven values: a0, b0, a1, b1 (points), c0, v0, v1.
pub type Seven = [[u8; 32]; 7];

pub struct RawSelection {
    pub a: [u8; 32],
    pub b: [u8; 32],
    pub proof: Seven,
}

pub enum RawSum {
    /// t1, t2 (points), v.
    ExactlyOne([[u8; 32]; 3]),
    AtMostOne(Seven),
}

pub struct RawAnswer {
    pub question_id: String,
    pub selections: Vec<RawSelection>,
    pub sum: RawSum,
}

/// A line as bytes, before any point is decompressed.
pub struct RawBallot {
    pub tracker: [u8; 32],
    pub unit: String,
    pub election_id: String,
    pub answers: Vec<RawAnswer>,
}

const PROOF_KEYS: [&str; 7] = ["a0", "b0", "a1", "b1", "c0", "v0", "v1"];
/// The bytes before each of a proof's values, opening its object, and
/// before each value after a sum proof's `rule` (no allocation per value:
/// the reader runs 500,000 times per record).
const PROOF_OPEN: [&str; 7] = [
    "{\"a0\":", ",\"b0\":", ",\"a1\":", ",\"b1\":", ",\"c0\":", ",\"v0\":", ",\"v1\":",
];
const PROOF_AFTER_RULE: [&str; 7] = [
    ",\"a0\":", ",\"b0\":", ",\"a1\":", ",\"b1\":", ",\"c0\":", ",\"v0\":", ",\"v1\":",
];
const CONSTANT_KEYS: [&str; 3] = ["t1", "t2", "v"];
const CONSTANT_AFTER_RULE: [&str; 3] = [",\"t1\":", ",\"t2\":", ",\"v\":"];

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    /// The next bytes must be `lit`.
    fn lit(&mut self, lit: &str, field: &dyn Fn() -> String) -> Result<(), LineError> {
        if self.b[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            return Ok(());
        }
        Err(err(
            field(),
            format!(
                "not the compact form: expected {lit:?} at byte {}",
                self.i + 1
            ),
        ))
    }

    /// `lit` if it is next.
    fn maybe(&mut self, lit: u8) -> bool {
        let yes = self.b.get(self.i) == Some(&lit);
        self.i += usize::from(yes);
        yes
    }

    /// `"<64 lower-case hex>"`.
    fn hex(&mut self, field: &dyn Fn() -> String) -> Result<[u8; 32], LineError> {
        let bad = || err(field(), "is not 64 lower-case hex digits in quotes");
        let s = self.b.get(self.i..self.i + 66).ok_or_else(bad)?;
        if s[0] != b'"' || s[65] != b'"' {
            return Err(bad());
        }
        let digits = &s[1..65];
        if !digits
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(digits, &mut out).map_err(|_| bad())?;
        self.i += 66;
        Ok(out)
    }

    /// A JSON string escaped exactly as serde_json escapes (`\"`, `\\`,
    /// `\b \f \n \r \t`, other control characters `\u00xx`), nothing else.
    fn string(&mut self, field: &dyn Fn() -> String) -> Result<String, LineError> {
        let bad = |why: &str| err(field(), why.to_string());
        if !self.maybe(b'"') {
            return Err(bad("is not a string"));
        }
        let mut out = Vec::new();
        loop {
            let c = *self
                .b
                .get(self.i)
                .ok_or_else(|| bad("the string never ends"))?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => out.push(self.escape().ok_or_else(|| {
                    bad("an escape serde_json does not write: not the compact form")
                })?),
                0..=0x1f => return Err(bad("a control character must be escaped")),
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| bad("is not UTF-8"))
    }

    fn escape(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        let plain = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let h = self.b.get(self.i..self.i + 4)?;
                self.i += 4;
                let ok = h.starts_with(b"00")
                    && h[2..]
                        .iter()
                        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c));
                let v = u8::from_str_radix(std::str::from_utf8(&h[2..]).ok()?, 16).ok()?;
                let short = matches!(v, 0x08 | 0x0c | b'\n' | b'\r' | b'\t');
                return (ok && v < 0x20 && !short).then_some(v);
            }
            _ => return None,
        };
        Some(plain)
    }

    fn proof(&mut self, at: &dyn Fn(&str) -> String) -> Result<Seven, LineError> {
        let mut out = [[0u8; 32]; 7];
        for (k, key) in PROOF_KEYS.iter().enumerate() {
            self.lit(PROOF_OPEN[k], &|| at(key))?;
            out[k] = self.hex(&|| at(key))?;
        }
        self.lit("}", &|| at(""))?;
        Ok(out)
    }
}

/// Reads one line (without its `\n`).
pub fn parse(line: &[u8]) -> Result<RawBallot, LineError> {
    let mut r = Reader { b: line, i: 0 };
    let top = || String::new();
    r.lit("{\"tracker\":", &top)?;
    let tracker = r.hex(&|| "tracker".into())?;
    r.lit(",\"unit\":", &top)?;
    let unit = r.string(&|| "unit".into())?;
    r.lit(",\"ballot\":{\"election_id\":", &top)?;
    let election_id = r.string(&|| "ballot.election_id".into())?;
    r.lit(",\"answers\":[", &|| "ballot".into())?;
    let mut answers = Vec::new();
    if !r.maybe(b']') {
        loop {
            answers.push(answer(&mut r, answers.len())?);
            if r.maybe(b']') {
                break;
            }
            r.lit(",", &|| "ballot.answers".into())?;
        }
    }
    r.lit("}}", &|| "ballot".into())?;
    if r.i != line.len() {
        return Err(err(
            "",
            format!(
                "not the compact form: more after the ballot at byte {}",
                r.i + 1
            ),
        ));
    }
    Ok(RawBallot {
        tracker,
        unit,
        election_id,
        answers,
    })
}

fn answer(r: &mut Reader, q: usize) -> Result<RawAnswer, LineError> {
    let at = move |f: &str| format!("ballot.answers[{q}]{f}");
    r.lit("{\"question_id\":", &|| at(""))?;
    let question_id = r.string(&|| at(".question_id"))?;
    r.lit(",\"selections\":[", &|| at(""))?;
    let mut selections = Vec::new();
    if !r.maybe(b']') {
        loop {
            let s = selections.len();
            let sat = move |f: &str| at(&format!(".selections[{s}]{f}"));
            r.lit("{\"ciphertext\":{\"a\":", &|| sat(""))?;
            let a = r.hex(&|| sat(".ciphertext.a"))?;
            r.lit(",\"b\":", &|| sat(".ciphertext"))?;
            let b = r.hex(&|| sat(".ciphertext.b"))?;
            r.lit("},\"proof\":", &|| sat(""))?;
            let proof = r.proof(&|k| sat(&format!(".proof.{k}")))?;
            r.lit("}", &|| sat(""))?;
            selections.push(RawSelection { a, b, proof });
            if r.maybe(b']') {
                break;
            }
            r.lit(",", &|| at(".selections"))?;
        }
    }
    r.lit(",\"sum_proof\":{\"rule\":", &|| at(""))?;
    let rule = r.string(&|| at(".sum_proof.rule"))?;
    let sum = match rule.as_str() {
        "exactly-one" => {
            let mut v = [[0u8; 32]; 3];
            for (k, key) in CONSTANT_KEYS.iter().enumerate() {
                let f = || at(&format!(".sum_proof.{key}"));
                r.lit(CONSTANT_AFTER_RULE[k], &f)?;
                v[k] = r.hex(&f)?;
            }
            r.lit("}", &|| at(".sum_proof"))?;
            RawSum::ExactlyOne(v)
        }
        "at-most-one" => {
            // The rule member is followed by the proof's seven, as serde's
            // internally tagged enum writes them: `,"a0":…` not `{"a0":…`.
            let mut v = [[0u8; 32]; 7];
            for (k, key) in PROOF_KEYS.iter().enumerate() {
                let f = || at(&format!(".sum_proof.{key}"));
                r.lit(PROOF_AFTER_RULE[k], &f)?;
                v[k] = r.hex(&f)?;
            }
            r.lit("}", &|| at(".sum_proof"))?;
            RawSum::AtMostOne(v)
        }
        other => {
            return Err(err(
                at(".sum_proof.rule"),
                format!("{other:?} is neither exactly-one nor at-most-one"),
            ))
        }
    };
    r.lit("}", &|| at(""))?;
    Ok(RawAnswer {
        question_id,
        selections,
        sum,
    })
}

fn point(bytes: &[u8; 32], field: impl Fn() -> String) -> Result<Point, LineError> {
    Point::from_bytes(bytes)
        .ok_or_else(|| err(field(), "is not a canonical Ristretto255 point encoding"))
}

fn scalar(bytes: &[u8; 32], field: impl Fn() -> String) -> Result<Scalar, LineError> {
    Option::from(Scalar::from_canonical_bytes(*bytes))
        .ok_or_else(|| err(field(), "is not a scalar reduced modulo the group order"))
}

fn zero_one(v: &Seven, at: &dyn Fn(&str) -> String) -> Result<ZeroOneProof, LineError> {
    Ok(ZeroOneProof {
        a0: point(&v[0], || at("a0"))?,
        b0: point(&v[1], || at("b0"))?,
        a1: point(&v[2], || at("a1"))?,
        b1: point(&v[3], || at("b1"))?,
        c0: scalar(&v[4], || at("c0"))?,
        v0: scalar(&v[5], || at("v0"))?,
        v1: scalar(&v[6], || at("v1"))?,
    })
}

impl RawBallot {
    /// Decompresses every point (once) and checks every scalar is reduced.
    pub fn decode(&self) -> Result<EncryptedBallot, LineError> {
        let mut answers = Vec::with_capacity(self.answers.len());
        for (q, a) in self.answers.iter().enumerate() {
            let mut selections = Vec::with_capacity(a.selections.len());
            for (s, sel) in a.selections.iter().enumerate() {
                let at = |f: &str| format!("ballot.answers[{q}].selections[{s}].{f}");
                selections.push(EncryptedSelection {
                    ciphertext: Ciphertext {
                        a: point(&sel.a, || at("ciphertext.a"))?,
                        b: point(&sel.b, || at("ciphertext.b"))?,
                    },
                    proof: zero_one(&sel.proof, &|k| at(&format!("proof.{k}")))?,
                });
            }
            let at = |f: &str| format!("ballot.answers[{q}].sum_proof.{f}");
            let sum_proof = match &a.sum {
                RawSum::ExactlyOne(v) => SumProof::ExactlyOne(ConstantProof {
                    t1: point(&v[0], || at("t1"))?,
                    t2: point(&v[1], || at("t2"))?,
                    v: scalar(&v[2], || at("v"))?,
                }),
                RawSum::AtMostOne(v) => SumProof::AtMostOne(zero_one(v, &at)?),
            };
            answers.push(EncryptedAnswer {
                question_id: a.question_id.clone(),
                selections,
                sum_proof,
            });
        }
        Ok(EncryptedBallot {
            election_id: self.election_id.clone(),
            answers,
        })
    }

    /// Each ciphertext and each proof of the ballot, as bytes with a tag
    /// (for the duplicate check): `(what, bytes)`.
    pub fn items(&self, mut each: impl FnMut(&'static str, &[[u8; 32]])) {
        for a in &self.answers {
            for s in &a.selections {
                each("ciphertext", &[s.a, s.b]);
                each("proof", &s.proof);
            }
            match &a.sum {
                RawSum::ExactlyOne(v) => each("sum proof", v),
                RawSum::AtMostOne(v) => each("sum proof", v),
            }
        }
    }
}

#[cfg(test)]
#[path = "line_tests.rs"]
mod tests;
