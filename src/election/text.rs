//! Free text a person typed: election titles, unit names, question and
//! option text, reasons for an extension (and, later, account names).
//!
//! One rule for all of them (S16): a length limit, no control characters
//! (NUL above all: PostgreSQL refuses it in a `text` column, so it must be
//! refused as bad input before it reaches the database), and none of the
//! invisible characters that make text display differently from what it
//! says (Trojan Source, CVE-2021-42574): the bidirectional embeddings and
//! overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks
//! U+200E/U+200F. Ballots are in English and Spanish, which never need
//! them. A line break is allowed only where the text is meant to have
//! several lines ([`TextRule::multi_line`]).
//!
//! [`echo`] is the other half: whenever an error message shows a value
//! back, it shows at most [`ECHO_CHARS`] characters of it, escaped, so a
//! 100 MB line is never copied into an answer.

use std::fmt;

use crate::i18n::Message;

/// How long a value an error message repeats may be, in characters.
pub const ECHO_CHARS: usize = 80;

/// What one kind of free text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// At most this many characters (Unicode scalar values).
    pub max_chars: usize,
    /// Whether line breaks (`\n`, `\r\n`) are allowed.
    pub multi_line: bool,
}

impl TextRule {
    /// A name or a label on one line: titles, unit names, option labels.
    pub const NAME: TextRule = TextRule {
        max_chars: 200,
        multi_line: false,
    };
    /// A question, which may need a few paragraphs.
    pub const PARAGRAPHS: TextRule = TextRule {
        max_chars: 2000,
        multi_line: true,
    };
    /// A reason recorded in the audit log (an extension's, for one).
    pub const REASON: TextRule = TextRule {
        max_chars: 500,
        multi_line: false,
    };
}

/// Why a piece of free text was refused; the caller names the field.
/// Positions are 1-based character positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong { max: usize, found: usize },
    Nul { at: usize },
    LineBreak { at: usize },
    Control { code: u32, at: usize },
    Direction { code: u32, at: usize },
}

impl TextError {
    /// The refusal for a person, in any language (issue 9).
    pub fn message(&self) -> Message {
        let code = |c: u32| format!("U+{c:04X}");
        match *self {
            TextError::Empty => Message::new("text-empty"),
            TextError::TooLong { max, found } => Message::new("text-too-long")
                .with("found", found)
                .with("max", max),
            TextError::Nul { at } => Message::new("text-nul").with("at", at),
            TextError::LineBreak { at } => Message::new("text-line-break").with("at", at),
            TextError::Control { code: c, at } => Message::new("text-control")
                .with("code", code(c))
                .with("at", at),
            TextError::Direction { code: c, at } => Message::new("text-direction")
                .with("code", code(c))
                .with("at", at),
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for TextError {}

/// The bidirectional controls refused everywhere (Unicode TR9 §2).
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Checks `value` against `rule`. Blank text (only spaces) counts as empty.
pub fn check(value: &str, rule: TextRule) -> Result<(), TextError> {
    if value.trim().is_empty() {
        return Err(TextError::Empty);
    }
    let mut count = 0;
    for (i, c) in value.chars().enumerate() {
        let at = i + 1;
        count = at;
        match c {
            '\0' => return Err(TextError::Nul { at }),
            '\n' | '\r' if !rule.multi_line => return Err(TextError::LineBreak { at }),
            '\n' | '\r' => {}
            // U+2028/2029 are line breaks too, and invisible in most editors.
            '\u{2028}' | '\u{2029}' => return Err(TextError::LineBreak { at }),
            c if c.is_control() => return Err(TextError::Control { code: c as u32, at }),
            c if is_direction_control(c) => {
                return Err(TextError::Direction { code: c as u32, at })
            }
            _ => {}
        }
    }
    if count > rule.max_chars {
        return Err(TextError::TooLong {
            max: rule.max_chars,
            found: count,
        });
    }
    Ok(())
}

/// Refuses a NUL anywhere in `value` (for input that is not free text but
/// still reaches the database, such as a search query).
pub fn check_no_nul(value: &str) -> Result<(), TextError> {
    match value.chars().position(|c| c == '\0') {
        Some(i) => Err(TextError::Nul { at: i + 1 }),
        None => Ok(()),
    }
}

/// A value as an error message shows it: at most [`ECHO_CHARS`] characters,
/// then `…`; control and direction characters escaped (`\u{0}`), so the
/// message itself is safe to show and to log. Reads no further than it
/// shows, whatever the value's length.
pub fn echo(value: &str) -> Echo<'_> {
    Echo(value)
}

/// See [`echo`].
pub struct Echo<'a>(&'a str);

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (shown, c) in self.0.chars().enumerate() {
            if shown == ECHO_CHARS {
                return f.write_str("…");
            }
            if c.is_control() || is_direction_control(c) || matches!(c, '\u{2028}' | '\u{2029}') {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_passes() {
        for ok in [
            "Kern County LBFO",
            "¿Aprueba el contrato?",
            "Ana Núñez-O'Brien",
        ] {
            assert_eq!(check(ok, TextRule::NAME), Ok(()), "{ok}");
        }
        assert_eq!(check("One.\n\nTwo.\r\n", TextRule::PARAGRAPHS), Ok(()));
    }

    #[test]
    fn nul_control_and_line_breaks_are_refused_with_their_position() {
        assert_eq!(
            check("ab\0c", TextRule::NAME),
            Err(TextError::Nul { at: 3 })
        );
        assert_eq!(
            check("ab\0c", TextRule::PARAGRAPHS),
            Err(TextError::Nul { at: 3 })
        );
        assert_eq!(
            check("a\u{1b}[31m", TextRule::PARAGRAPHS),
            Err(TextError::Control { code: 0x1b, at: 2 })
        );
        assert_eq!(
            check("a\tb", TextRule::NAME),
            Err(TextError::Control { code: 9, at: 2 })
        );
        assert_eq!(
            check("one\ntwo", TextRule::NAME),
            Err(TextError::LineBreak { at: 4 })
        );
        assert_eq!(
            check("one\u{2028}two", TextRule::PARAGRAPHS),
            Err(TextError::LineBreak { at: 4 })
        );
        assert_eq!(check("  ", TextRule::NAME), Err(TextError::Empty));
    }

    #[test]
    fn every_direction_control_is_refused() {
        let codes = [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E]
            .into_iter()
            .chain(0x2066..=0x2069);
        for code in codes {
            let c = char::from_u32(code).unwrap();
            let text = format!("Yes{c}No");
            assert_eq!(
                check(&text, TextRule::PARAGRAPHS),
                Err(TextError::Direction { code, at: 4 }),
                "U+{code:04X}"
            );
        }
        // Neighbours that are ordinary punctuation pass.
        assert_eq!(check("a\u{2010}b\u{2070}", TextRule::NAME), Ok(()));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check(&"ñ".repeat(200), TextRule::NAME), Ok(()));
        assert_eq!(
            check(&"ñ".repeat(201), TextRule::NAME),
            Err(TextError::TooLong {
                max: 200,
                found: 201
            })
        );
    }

    #[test]
    fn echo_is_capped_and_escaped() {
        assert_eq!(echo("short").to_string(), "short");
        assert_eq!(echo("a\0b\u{202E}").to_string(), "a\\u{0}b\\u{202e}");
        let long = "x".repeat(100_000);
        let shown = echo(&long).to_string();
        assert!(shown.starts_with(&"x".repeat(ECHO_CHARS)));
        assert_eq!(shown, format!("{}…", "x".repeat(ECHO_CHARS)));
        assert_eq!(echo(&"y".repeat(ECHO_CHARS)).to_string(), "y".repeat(80));
    }
}
