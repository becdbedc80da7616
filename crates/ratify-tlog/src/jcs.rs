//! Is a JSON text already in RFC 8785 (JCS) canonical form?
//!
//! The verifier checks every line of a 500,000-entry export, so instead of
//! parsing into `serde_json::Value` and re-serialising (allocations per key),
//! [`is_canonical`] walks the bytes once and checks each JCS rule in place.
//! The input must already be valid JSON (serde has parsed it); the tests
//! compare it against the `serde_json_canonicalizer` round trip.

/// Reference check: parse, canonicalise with `serde_json_canonicalizer`, compare.
#[cfg(test)]
pub fn is_canonical_slow(text: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(v) => serde_json_canonicalizer::to_vec(&v)
            .map(|c| c == text)
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// True if `text` (valid JSON) is exactly its RFC 8785 canonical form:
/// no whitespace, object keys strictly increasing by UTF-16 code units,
/// strings escaped only where JCS escapes, numbers in ECMAScript form.
pub fn is_canonical(text: &[u8]) -> bool {
    let mut c = Checker { b: text, i: 0 };
    c.value(0) && c.i == text.len()
}

/// Deeper nesting than this is refused rather than recursed into.
const MAX_DEPTH: usize = 128;

struct Checker<'a> {
    b: &'a [u8],
    i: usize,
}

impl Checker<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().is_some(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn object(&mut self, depth: usize) -> bool {
        self.i += 1;
        if self.eat(b'}') {
            return true;
        }
        let mut prev: Option<(usize, usize)> = None;
        loop {
            let Some(key) = self.string() else {
                return false;
            };
            if let Some(p) = prev {
                if !self.key_less(p, key) {
                    return false;
                }
            }
            prev = Some(key);
            if !self.eat(b':') || !self.value(depth + 1) {
                return false;
            }
            if self.eat(b',') {
                continue;
            }
            return self.eat(b'}');
        }
    }

    fn array(&mut self, depth: usize) -> bool {
        self.i += 1;
        if self.eat(b']') {
            return true;
        }
        loop {
            if !self.value(depth + 1) {
                return false;
            }
            if self.eat(b',') {
                continue;
            }
            return self.eat(b']');
        }
    }

    /// A canonically escaped string; returns the span including quotes.
    /// JCS (RFC 8785 §3.2.2.2) escapes `"` and `\` as `\"` `\\`, the controls
    /// U+0008, 0009, 000A, 000C, 000D as `\b \t \n \f \r`, other controls as
    /// `\u00xx` (lower-case hex), and nothing else.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.i;
        if !self.eat(b'"') {
            return None;
        }
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some((start, self.i));
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    match e {
                        b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let h = self.b.get(self.i + 2..self.i + 6)?;
                            let lower_hex =
                                |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
                            if h[0] != b'0'
                                || h[1] != b'0'
                                || !(b'0'..=b'1').contains(&h[2])
                                || !lower_hex(h[3])
                            {
                                return None;
                            }
                            let code = (h[2] - b'0') * 16
                                + if h[3].is_ascii_digit() {
                                    h[3] - b'0'
                                } else {
                                    h[3] - b'a' + 10
                                };
                            if matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d) {
                                return None;
                            }
                            self.i += 6;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    /// Is key span `a` strictly before key span `b` in UTF-16 code unit order?
    fn key_less(&self, a: (usize, usize), b: (usize, usize)) -> bool {
        let (ra, rb) = (&self.b[a.0 + 1..a.1 - 1], &self.b[b.0 + 1..b.1 - 1]);
        if !ra.contains(&b'\\') && !rb.contains(&b'\\') && ra.is_ascii() && rb.is_ascii() {
            return ra < rb;
        }
        let decode =
            |span: (usize, usize)| serde_json::from_slice::<String>(&self.b[span.0..span.1]).ok();
        match (decode(a), decode(b)) {
            (Some(x), Some(y)) => x.encode_utf16().lt(y.encode_utf16()),
            _ => false,
        }
    }

    /// Numbers as ECMAScript's Number.prototype.toString writes them
    /// (RFC 8785 §3.2.2.3).
    fn number(&mut self) -> bool {
        let start = self.i;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.i += 1;
        }
        let tok = &self.b[start..self.i];
        let digits = tok.strip_prefix(b"-").unwrap_or(tok);
        // Fast path: a short integer is canonical unless it has a leading
        // zero or is "-0" (ECMAScript writes -0 as 0).
        if !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit) {
            return if digits[0] == b'0' {
                digits.len() == 1 && tok.len() == 1
            } else {
                true
            };
        }
        let Ok(s) = std::str::from_utf8(tok) else {
            return false;
        };
        let Ok(f) = s.parse::<f64>() else {
            return false;
        };
        if !f.is_finite() {
            return false;
        }
        serde_json_canonicalizer::to_string(&f)
            .map(|c| c.as_bytes() == tok)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agree(text: &str) {
        assert_eq!(
            is_canonical(text.as_bytes()),
            is_canonical_slow(text.as_bytes()),
            "{text}"
        );
    }

    #[test]
    fn agrees_with_the_reference_on_edge_cases() {
        for t in [
            "{}",
            "[]",
            "{\"a\":1}",
            "{\"a\":1,\"b\":2}",
            "{\"b\":1,\"a\":2}",
            "{\"a\":1,\"a\":1}",
            "{ \"a\":1}",
            "{\"a\" :1}",
            "{\"a\":1 }",
            "[1,2]",
            "[1, 2]",
            "0",
            "-0",
            "1",
            "-1",
            "01",
            "1.0",
            "1.5",
            "0.1",
            "1e2",
            "1E2",
            "100",
            "1e21",
            "1e+21",
            "1e-7",
            "0.0000001",
            "1e-6",
            "0.000001",
            "123456789012345678",
            "123456789012345680",
            "9007199254740993",
            "9007199254740992",
            "-123456789012345",
            "1234567890123456",
            "\"a\"",
            "\"\\u0041\"",
            "\"\\u001f\"",
            "\"\\u001F\"",
            "\"\\n\"",
            "\"\\u000a\"",
            "\"\\/\"",
            "\"/\"",
            "\"\\u007f\"",
            "\"\u{7f}\"",
            "\"\u{2028}\"",
            "\"\\u2028\"",
            "\"é\"",
            "\"\\u00e9\"",
            "\"\\ud83d\\ude00\"",
            "\"😀\"",
            "{\"\u{e000}\":1,\"😀\":2}",
            "{\"😀\":1,\"\u{e000}\":2}",
            "{\"a\":{\"c\":1,\"b\":2}}",
            "{\"\\n\":1,\"a\":2}",
            "{\"a\":2,\"\\n\":1}",
            "true",
            "false",
            "null",
            "[true,false,null]",
            "{\"a\":[{\"b\":null}],\"b\":\"x\"}",
            "{\"\":0,\"a\":0}",
            "{\"a\":0,\"\":0}",
            "{\"A\":0,\"a\":0}",
            "4.5e-7",
            "4.5e-8",
            "5e-324",
            "1.7976931348623157e+308",
            "333333333.3333333",
            "1e400",
        ] {
            if serde_json::from_str::<serde_json::Value>(t).is_ok() {
                agree(t);
            }
        }
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[a-z\\x00-\\x1f\"\\\\/é\u{2028}😀\u{e000}]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-c\\n😀\u{e000}]{0,3}", inner, 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn canonical_output_is_accepted(v in arb_json()) {
            let c = serde_json_canonicalizer::to_vec(&v).unwrap();
            prop_assert!(is_canonical(&c), "{}", String::from_utf8_lossy(&c));
        }

        #[test]
        fn agrees_with_the_reference_on_serde_output(v in arb_json(), pretty in any::<bool>()) {
            let s = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
            prop_assert_eq!(is_canonical(s.as_bytes()), is_canonical_slow(s.as_bytes()), "{}", s);
        }
    }
}
