//! An account's display name: free text a person typed, shown on committee
//! pages and written to the public system log (S12). Parsed once, so the
//! rest of the code never re-checks it (style guide §1).

use crate::error::{Error, Result};

/// A trimmed, non-empty name of at most [`AccountName::MAX_CHARS`]
/// characters with no control characters and no bidirectional overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(value: &str) -> Result<AccountName> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Error::Invalid("name: must not be empty".into()));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(Error::Invalid(format!(
                "name: must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            return Err(Error::Invalid(format!(
                "name: must not contain control characters (found U+{:04X})",
                c as u32
            )));
        }
        if let Some(c) = value.chars().find(|c| is_bidi_control(*c)) {
            // A right-to-left override makes a name read differently from
            // what it is (Trojan Source, CVE-2021-42574), in a log that
            // auditors read to see who did what.
            return Err(Error::Invalid(format!(
                "name: must not contain invisible text-direction characters (found U+{:04X})",
                c as u32
            )));
        }
        Ok(AccountName(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Unicode's explicit directional formatting characters (UAX #9 §2):
/// embeddings, overrides, isolates and marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_trimmed() {
        assert_eq!(
            AccountName::parse("  Ana Peña ").unwrap().as_str(),
            "Ana Peña"
        );
        assert!(AccountName::parse("محمد علي").is_ok());
    }

    #[test]
    fn bad_names_are_refused_naming_the_field() {
        for bad in [
            "",
            "   ",
            "Ana\u{0}",
            "Ana\nBob",
            "Ana\u{202E}lanimirc",
            "x\u{2066}y",
            &"a".repeat(101),
        ] {
            let err = AccountName::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("name: "), "{bad:?}: {err}");
        }
    }
}
