//! How a question is decided: the share of ballots that chose the question's
//! `passes_on` option among the ballots that answered the question. Blank
//! answers count toward neither side (product.md: "simple majority of ballots
//! cast on that question, or a stated fraction").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::text::echo;
use crate::i18n::Message;

/// A fraction a/b with 0 < a/b ≤ 1, kept exactly (no floating point decides
/// an election).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    numerator: u64,
    denominator: u64,
}

/// A refused threshold; `reason` is a catalogue id (issue 9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FractionError {
    pub value: String,
    pub reason: &'static str,
}

impl FractionError {
    pub fn message(&self) -> Message {
        Message::new("fraction-invalid")
            .with("value", self.value.as_str())
            .with("reason", Message::new(self.reason))
    }
}

impl fmt::Display for FractionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for FractionError {}

impl Fraction {
    pub fn new(numerator: u64, denominator: u64) -> Result<Fraction, FractionError> {
        let err = |reason| FractionError {
            value: format!("{numerator}/{denominator}"),
            reason,
        };
        if denominator == 0 {
            return Err(err("fraction-zero-denominator"));
        }
        if numerator == 0 {
            return Err(err("fraction-zero"));
        }
        if numerator > denominator {
            return Err(err("fraction-above-one"));
        }
        Ok(Fraction {
            numerator,
            denominator,
        })
    }

    pub fn numerator(self) -> u64 {
        self.numerator
    }

    pub fn denominator(self) -> u64 {
        self.denominator
    }
}

impl FromStr for Fraction {
    type Err = FractionError;

    /// Parses `"a/b"` with decimal digits only (`"2/3"`, not `"0.66"`).
    fn from_str(value: &str) -> Result<Fraction, FractionError> {
        let err = |reason| FractionError {
            value: echo(value).to_string(),
            reason,
        };
        let (a, b) = value
            .split_once('/')
            .ok_or_else(|| err("fraction-no-slash"))?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return Err(err("fraction-not-whole"));
        }
        let a: u64 = a.parse().map_err(|_| err("fraction-too-large"))?;
        let b: u64 = b.parse().map_err(|_| err("fraction-too-large"))?;
        Fraction::new(a, b).map_err(|e| FractionError {
            value: echo(value).to_string(),
            reason: e.reason,
        })
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// The rule deciding one question. Stored (JSON) and written (TOML) as
/// `"majority"` or `{ at_least = "a/b" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RuleRepr", into = "RuleRepr")]
pub enum Rule {
    /// Strictly more than half of the ballots that answered: a tie fails.
    Majority,
    /// At least this share of the ballots that answered.
    AtLeast(Fraction),
}

impl Rule {
    /// Whether a question passes when `option_count` of the `answered` ballots
    /// chose its `passes_on` option. Exact integer arithmetic (in u128, so no
    /// overflow). A question nobody answered does not pass: zero of zero is
    /// not a mandate, whatever the threshold.
    pub fn passed(&self, option_count: u64, answered: u64) -> bool {
        if answered == 0 || option_count > answered {
            // More votes for one option than answers can only be a caller bug;
            // refusing to pass is the safe answer.
            return false;
        }
        let (count, answered) = (u128::from(option_count), u128::from(answered));
        match self {
            Rule::Majority => 2 * count > answered,
            Rule::AtLeast(f) => {
                count * u128::from(f.denominator) >= u128::from(f.numerator) * answered
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Majority => f.write_str("majority"),
            Rule::AtLeast(fr) => write!(f, "at least {fr}"),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RuleRepr {
    Word(String),
    AtLeast(AtLeastRepr),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AtLeastRepr {
    at_least: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("unknown rule `{0}`: use \"majority\" or {{ at_least = \"a/b\" }}")]
    Unknown(String),
    #[error(transparent)]
    Fraction(#[from] FractionError),
}

impl TryFrom<RuleRepr> for Rule {
    type Error = RuleError;
    fn try_from(repr: RuleRepr) -> Result<Rule, RuleError> {
        match repr {
            RuleRepr::Word(w) if w == "majority" => Ok(Rule::Majority),
            RuleRepr::Word(w) => Err(RuleError::Unknown(echo(&w).to_string())),
            RuleRepr::AtLeast(a) => Ok(Rule::AtLeast(a.at_least.parse()?)),
        }
    }
}

impl From<Rule> for RuleRepr {
    fn from(rule: Rule) -> RuleRepr {
        match rule {
            Rule::Majority => RuleRepr::Word("majority".into()),
            Rule::AtLeast(f) => RuleRepr::AtLeast(AtLeastRepr {
                at_least: f.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_is_strictly_more_than_half() {
        assert!(!Rule::Majority.passed(50, 100), "a tie is not a majority");
        assert!(Rule::Majority.passed(51, 100));
        assert!(!Rule::Majority.passed(1, 2));
        assert!(Rule::Majority.passed(2, 3));
        assert!(Rule::Majority.passed(1, 1));
        assert!(!Rule::Majority.passed(0, 1));
    }

    #[test]
    fn two_thirds_boundary_is_exact() {
        let r = Rule::AtLeast("2/3".parse().unwrap());
        assert!(r.passed(2, 3));
        assert!(r.passed(200, 300));
        assert!(!r.passed(199, 300));
        assert!(!r.passed(666_666, 1_000_000), "0.666666 is below 2/3");
        assert!(r.passed(666_667, 1_000_000));
        // Floating point would get this wrong: 2/3 of 3·10^18.
        assert!(r.passed(2_000_000_000_000_000_000, 3_000_000_000_000_000_000));
        assert!(!r.passed(1_999_999_999_999_999_999, 3_000_000_000_000_000_000));
    }

    #[test]
    fn nobody_answering_passes_nothing() {
        assert!(!Rule::Majority.passed(0, 0));
        assert!(!Rule::AtLeast(Fraction::new(1, 100).unwrap()).passed(0, 0));
        assert!(!Rule::Majority.passed(5, 3), "impossible counts never pass");
    }

    #[test]
    fn at_least_one_means_unanimous() {
        let r = Rule::AtLeast("1/1".parse().unwrap());
        assert!(r.passed(7, 7));
        assert!(!r.passed(6, 7));
    }

    #[test]
    fn fraction_parsing() {
        assert_eq!(
            "2/3".parse::<Fraction>().unwrap(),
            Fraction::new(2, 3).unwrap()
        );
        for bad in [
            "0/3",
            "4/3",
            "2/0",
            "2",
            "0.66",
            "-1/2",
            "2 /3",
            "/3",
            "2/",
            "a/b",
            "99999999999999999999/1",
        ] {
            assert!(bad.parse::<Fraction>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn rule_json_form_round_trips() {
        let r = Rule::AtLeast(Fraction::new(2, 3).unwrap());
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, r#"{"at_least":"2/3"}"#);
        assert_eq!(serde_json::from_str::<Rule>(&j).unwrap(), r);
        assert_eq!(
            serde_json::to_string(&Rule::Majority).unwrap(),
            r#""majority""#
        );
        assert_eq!(
            serde_json::from_str::<Rule>(r#""majority""#).unwrap(),
            Rule::Majority
        );
        assert!(serde_json::from_str::<Rule>(r#""plurality""#).is_err());
        assert!(serde_json::from_str::<Rule>(r#"{"at_least":"3/2"}"#).is_err());
    }
}
