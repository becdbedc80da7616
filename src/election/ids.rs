//! Names an election uses: its slug, bargaining-unit codes, question and
//! option ids, languages and bilingual text. Each type checks its value when
//! it is made ("parse, don't validate"), so code holding one never re-checks.
//!
//! These strings end up in URLs (`slug`), in ballot form field names and values
//! (question and option ids, acceptance.md) and in the audit log, so the
//! alphabets are deliberately small: nothing that needs escaping.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::text::echo;
use crate::i18n::Message;

/// Why a name was refused. The message says what is allowed; the caller adds
/// which field it came from. `value` is capped for echoing ([`echo`]);
/// `what` and `rule` are catalogue ids (issue 9: refusals are messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    pub what: &'static str,
    pub value: String,
    pub rule: &'static str,
}

impl IdError {
    pub fn message(&self) -> Message {
        Message::new("id-invalid")
            .with("value", self.value.clone())
            .with("what", Message::new(self.what))
            .with("rule", Message::new(self.rule))
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for IdError {}

impl From<IdError> for Message {
    fn from(e: IdError) -> Message {
        e.message()
    }
}

fn check_name(
    value: &str,
    what: &'static str,
    rule: &'static str,
    len: std::ops::RangeInclusive<usize>,
    allowed: impl Fn(u8) -> bool,
    edge_hyphen_ok: bool,
) -> Result<(), IdError> {
    let bytes = value.as_bytes();
    let ok = len.contains(&bytes.len())
        && bytes.iter().all(|&b| allowed(b))
        && (edge_hyphen_ok || (!value.starts_with('-') && !value.ends_with('-')));
    if ok {
        Ok(())
    } else {
        Err(IdError {
            what,
            value: echo(value).to_string(),
            rule,
        })
    }
}

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(value: impl Into<String>) -> Result<$name, IdError> {
                let value = value.into();
                let check: fn(&str) -> Result<(), IdError> = $check;
                check(&value)?;
                Ok($name(value))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<$name, IdError> {
                $name::parse(value)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(value: &str) -> Result<$name, IdError> {
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
    };
}

string_newtype!(
    /// The election's name in URLs and on the command line, e.g. `kern-lbfo-2024`:
    /// 3 to 64 of `a-z 0-9 -`, not starting or ending with `-`.
    ElectionSlug,
    |v| {
        check_name(
            v,
            "id-what-slug",
            "id-rule-slug",
            3..=64,
            |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
            false,
        )?;
        // `new` is a page of its own: /committee/elections/new.
        if v == "new" {
            return Err(IdError {
                what: "id-what-slug",
                value: echo(v).to_string(),
                rule: "id-rule-slug-new",
            });
        }
        Ok(())
    }
);

string_newtype!(
    /// A bargaining unit's code, e.g. `U1` or `XH`: 1 to 16 of `A-Z a-z 0-9 - _`.
    /// Codes are compared exactly (case matters).
    UnitCode,
    |v| check_name(
        v,
        "id-what-unit",
        "id-rule-unit",
        1..=16,
        |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_',
        true,
    )
);

string_newtype!(
    /// A question's id, which is also the ballot form's field name:
    /// 1 to 32 of `a-z 0-9 - _`, not starting or ending with `-`.
    QuestionId,
    |v| check_name(
        v,
        "id-what-question",
        "id-rule-question",
        1..=32,
        |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_',
        false,
    )
);

string_newtype!(
    /// An option's id, which is also the ballot form's field value:
    /// 1 to 32 of `a-z 0-9 - _`, not starting or ending with `-`.
    OptionId,
    |v| check_name(
        v,
        "id-what-option",
        "id-rule-question",
        1..=32,
        |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_',
        false,
    )
);

/// A language ballots and emails are written in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Es,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageError(pub String);

impl LanguageError {
    pub fn message(&self) -> Message {
        Message::new("language-invalid").with("value", self.0.clone())
    }
}

impl fmt::Display for LanguageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for LanguageError {}

impl FromStr for Language {
    type Err = LanguageError;

    /// Accepts `en` and `es` in any letter case (rolls come from spreadsheets,
    /// and `EN` is not ambiguous).
    fn from_str(value: &str) -> Result<Language, LanguageError> {
        if value.eq_ignore_ascii_case("en") {
            Ok(Language::En)
        } else if value.eq_ignore_ascii_case("es") {
            Ok(Language::Es)
        } else {
            Err(LanguageError(echo(value).to_string()))
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text shown to members in both languages. Both are required: a member who
/// reads Spanish must never get a ballot with an English-only question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LocalizedRaw")]
pub struct Localized {
    en: String,
    es: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalizedRaw {
    en: String,
    es: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedError(pub Language);

impl LocalizedError {
    pub fn message(&self) -> Message {
        Message::new("localized-empty").with("language", self.0.as_str())
    }
}

impl fmt::Display for LocalizedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for LocalizedError {}

impl Localized {
    pub fn new(en: impl Into<String>, es: impl Into<String>) -> Result<Localized, LocalizedError> {
        let (en, es) = (en.into(), es.into());
        if en.trim().is_empty() {
            return Err(LocalizedError(Language::En));
        }
        if es.trim().is_empty() {
            return Err(LocalizedError(Language::Es));
        }
        Ok(Localized { en, es })
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::En => &self.en,
            Language::Es => &self.es,
        }
    }

    pub fn en(&self) -> &str {
        &self.en
    }

    pub fn es(&self) -> &str {
        &self.es
    }
}

impl TryFrom<LocalizedRaw> for Localized {
    type Error = LocalizedError;
    fn try_from(raw: LocalizedRaw) -> Result<Localized, LocalizedError> {
        Localized::new(raw.en, raw.es)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_accepts_the_example_and_refuses_bad_ones() {
        assert_eq!(
            ElectionSlug::parse("kern-lbfo-2024").unwrap().as_str(),
            "kern-lbfo-2024"
        );
        for bad in [
            "ab",
            "-kern",
            "kern-",
            "Kern-lbfo",
            "kern_lbfo",
            "kern lbfo",
            "kérn",
            "new",
            &"a".repeat(65),
        ] {
            assert!(ElectionSlug::parse(bad).is_err(), "{bad} accepted");
        }
        assert!(ElectionSlug::parse("a".repeat(64)).is_ok());
        assert!(ElectionSlug::parse("abc").is_ok());
    }

    #[test]
    fn unit_code_rules() {
        for good in ["U1", "XH", "unit_6-a", "A"] {
            assert!(UnitCode::parse(good).is_ok(), "{good} refused");
        }
        for bad in ["", "U 1", "U1/2", "Ü1", &"U".repeat(17)] {
            assert!(UnitCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn question_and_option_ids_allow_underscore_but_not_uppercase() {
        assert!(QuestionId::parse("ulp_strike").is_ok());
        assert!(QuestionId::parse("q").is_ok());
        assert!(QuestionId::parse("Strike").is_err());
        assert!(QuestionId::parse("-strike").is_err());
        assert!(QuestionId::parse("").is_err());
        assert!(OptionId::parse("a".repeat(33)).is_err());
        assert!(OptionId::parse("yes").is_ok());
        assert!(OptionId::parse("yes no").is_err());
    }

    #[test]
    fn language_parses_en_es_only() {
        assert_eq!("en".parse::<Language>().unwrap(), Language::En);
        assert_eq!("ES".parse::<Language>().unwrap(), Language::Es);
        assert!("fr".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
        assert_eq!(serde_json::to_string(&Language::Es).unwrap(), "\"es\"");
    }

    #[test]
    fn localized_needs_both_languages() {
        assert_eq!(
            Localized::new("Yes", " ").unwrap_err(),
            LocalizedError(Language::Es)
        );
        assert_eq!(
            Localized::new("", "Sí").unwrap_err(),
            LocalizedError(Language::En)
        );
        let l = Localized::new("Yes", "Sí").unwrap();
        assert_eq!(l.get(Language::Es), "Sí");
        assert!(serde_json::from_str::<Localized>(r#"{"en":"Yes","es":""}"#).is_err());
        assert!(serde_json::from_str::<Localized>(r#"{"en":"Yes","es":"Sí","fr":"Oui"}"#).is_err());
    }

    #[test]
    fn ids_revalidate_when_deserialized() {
        assert!(serde_json::from_str::<UnitCode>("\"U 1\"").is_err());
        assert_eq!(
            serde_json::from_str::<UnitCode>("\"U1\"").unwrap().as_str(),
            "U1"
        );
    }
}
