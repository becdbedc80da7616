//! One member's fields on the roll, each checked when made.

use std::fmt;
use std::str::FromStr;

use email_address::{EmailAddress, Options};
use serde::{Deserialize, Serialize};

use crate::election::text::{self, echo, TextError, TextRule};
use crate::i18n::Message;

/// Why a roll field was refused; the parser adds the line and field name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub Message);

impl From<FieldError> for Message {
    fn from(e: FieldError) -> Message {
        e.0
    }
}

/// The union's member number: 1 to 32 of `A-Z a-z 0-9 -`. It is what the
/// hiding commitment to who voted is made over (S7), so it must be short,
/// unambiguous text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberNumber(String);

impl MemberNumber {
    pub const MAX_LEN: usize = 32;

    pub fn parse(value: impl Into<String>) -> Result<MemberNumber, FieldError> {
        let value = value.into();
        let ok = (1..=Self::MAX_LEN).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(MemberNumber(value))
        } else {
            Err(FieldError(
                Message::new("member-number-invalid")
                    .with("value", echo(&value).to_string())
                    .with("max", Self::MAX_LEN),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A member's name as the committee wrote it (shown in emails and to the
/// committee, never in the audit log). Free text on one line
/// ([`TextRule::NAME`]): not empty, at most 200 characters, no control
/// characters (which would also break the roll hash's separators) and no
/// invisible direction characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberName(String);

impl MemberName {
    pub const MAX_CHARS: usize = TextRule::NAME.max_chars;

    pub fn parse(value: impl Into<String>) -> Result<MemberName, FieldError> {
        let value = value.into();
        match text::check(&value, TextRule::NAME) {
            Ok(()) => Ok(MemberName(value)),
            Err(TextError::Empty) => Err(FieldError(Message::new("member-name-empty"))),
            Err(e) => Err(FieldError(
                Message::new("member-name-invalid")
                    .with("value", echo(&value).to_string())
                    .with("problem", e.message()),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A member's email address, kept as written (mail is sent to exactly this),
/// compared for duplicates through [`Email::canonical`], which ignores case:
/// two members with `Ana@Example.org` and `ana@example.org` share a mailbox
/// in practice, and one of them would get both ballots.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// RFC 5321's limit on a forward path.
    pub const MAX_LEN: usize = 254;

    pub fn parse(value: impl Into<String>) -> Result<Email, FieldError> {
        let value = value.into();
        let bad =
            || FieldError(Message::new("email-invalid").with("value", echo(&value).to_string()));
        if value.is_empty() {
            return Err(FieldError(Message::new("email-empty")));
        }
        // Plain addresses only: no `Name <addr>` and no `[ip]` domains, and
        // nothing a mail header or the roll hash would have to escape.
        if value.len() > Self::MAX_LEN || value.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(bad());
        }
        let options = Options::default()
            .without_display_text()
            .without_domain_literal();
        EmailAddress::parse_with_options(&value, options).map_err(|_| bad())?;
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form duplicates are compared in: lowercase.
    pub fn canonical(&self) -> String {
        if self.0.is_ascii() {
            self.0.to_ascii_lowercase()
        } else {
            self.0.to_lowercase()
        }
    }
}

macro_rules! string_impls {
    ($($name:ident),*) => {$(
        impl TryFrom<String> for $name {
            type Error = FieldError;
            fn try_from(value: String) -> Result<$name, FieldError> {
                $name::parse(value)
            }
        }

        impl FromStr for $name {
            type Err = FieldError;
            fn from_str(value: &str) -> Result<$name, FieldError> {
                $name::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

string_impls!(MemberNumber, MemberName, Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_number_rules() {
        for good in ["100001", "A-17", "x", &"9".repeat(32)] {
            assert!(MemberNumber::parse(good).is_ok(), "{good} refused");
        }
        for bad in ["", "100 001", "100_001", "１２３", &"9".repeat(33), "10/01"] {
            assert!(MemberNumber::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn email_rules() {
        for good in [
            "ana@example.org",
            "Ana.Example+vote@Example.ORG",
            "m1@localhost",
        ] {
            assert!(Email::parse(good).is_ok(), "{good} refused");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@@example.org",
            "Ana <ana@example.org>",
            "ana@[127.0.0.1]",
            "ana @example.org",
            "ana@exa mple.org",
            "ana@example.org\u{1f}",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        let e = Email::parse("Ana@Example.ORG").unwrap();
        assert_eq!(e.as_str(), "Ana@Example.ORG", "kept as written for sending");
        assert_eq!(e.canonical(), "ana@example.org");
    }

    #[test]
    fn name_rules() {
        assert!(MemberName::parse("Ana Núñez-O'Brien").is_ok());
        assert!(MemberName::parse("  ").is_err());
        assert!(MemberName::parse("Ana\u{1e}Example").is_err());
        assert!(MemberName::parse("Ana\tExample").is_err());
        assert!(MemberName::parse("ñ".repeat(200)).is_ok());
        assert!(MemberName::parse("ñ".repeat(201)).is_err());
        assert!(MemberName::parse("Ana\0").is_err());
        assert!(MemberName::parse("Ana \u{202E}elpmaxE").is_err());
        let long = format!("{}\0", "n".repeat(199));
        let message = MemberName::parse(long).unwrap_err().to_string();
        assert!(message.contains("NUL") && message.len() < 300, "{message}");
    }
}
