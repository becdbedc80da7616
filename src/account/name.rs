//! An account's display name: free text a person typed, shown on committee
//! pages and written to the public system log (S12). Parsed once, so the
//! rest of the code never re-checks it (style guide §1).

use crate::election::text::{self, TextRule};
use crate::error::{Error, Result};

/// A trimmed, non-empty name of at most [`AccountName::MAX_CHARS`]
/// characters with no control characters and no bidirectional overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    pub const MAX_CHARS: usize = 100;

    /// The free-text rule of `election::text` (no control or invisible
    /// direction characters: a right-to-left override would make a name
    /// read differently in the log auditors read, CVE-2021-42574), with a
    /// shorter limit.
    pub fn parse(value: &str) -> Result<AccountName> {
        let rule = TextRule {
            max_chars: Self::MAX_CHARS,
            multi_line: false,
        };
        let value = value.trim();
        text::check(value, rule).map_err(|e| Error::field("name", e.message()))?;
        Ok(AccountName(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Unicode's explicit directional formatting characters (UAX #9 §2),
/// as `election::text` refuses them.
pub fn is_bidi_control(c: char) -> bool {
    text::is_direction_control(c)
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
