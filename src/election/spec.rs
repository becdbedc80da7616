//! The election spec: the TOML a committee writes (acceptance.md, "Election
//! spec (TOML)") and the JSON form the server stores. Both forms pass through
//! the same checks, so an `ElectionSpec` that exists is a valid one.
//!
//! S16: every refusal names the field path (`questions[1].rule`,
//! `units[3].code`) and the offending value, and, for the TOML form, the line.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::ids::{ElectionSlug, Language, Localized, OptionId, QuestionId, UnitCode};
use super::rule::{Fraction, Rule};
use super::text::{self, echo, TextRule};
use super::time::LocalTime;
use super::window::{format_rfc3339, parse_rfc3339, Window, WindowError, WindowLimits};
use crate::i18n::Message;

/// Defaults from acceptance.md and security.md S8.
pub const DEFAULT_MIN_UNIT_REPORT: u32 = 5;
/// More trustees than this makes the key ceremony (n² deals) impractical by hand.
pub const MAX_TRUSTEES: u32 = 50;

/// Why a spec was refused: which field, what is wrong with which value, and,
/// when the spec came from TOML, on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SpecError {
    /// The field path, e.g. `questions[1].rule`; empty for a TOML syntax error.
    pub field: String,
    /// What is wrong, as a message (issue 9): English through `Display`
    /// for the CLI and the API, the reader's language on a page.
    pub message: Message,
    /// 1-based line in the TOML text, when known.
    pub line: Option<usize>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        self.message.fmt(f)
    }
}

impl SpecError {
    fn new(field: impl Into<String>, message: Message) -> SpecError {
        SpecError {
            field: field.into(),
            message,
            line: None,
        }
    }
}

/// A bargaining unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub code: UnitCode,
    pub name: String,
}

/// One choice on a question: its id (the form value) and its label in both
/// languages. Written `{ id = "yes", en = "Yes", es = "Sí" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotOption {
    id: OptionId,
    label: Localized,
}

impl BallotOption {
    pub fn id(&self) -> &OptionId {
        &self.id
    }

    pub fn label(&self) -> &Localized {
        &self.label
    }
}

/// One question on the ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    id: QuestionId,
    text: Localized,
    options: Vec<BallotOption>,
    rule: Rule,
    /// Whether a member may leave the question unanswered (counted as blank).
    allow_blank: bool,
    /// The option whose share the rule measures.
    passes_on: OptionId,
}

impl Question {
    pub fn id(&self) -> &QuestionId {
        &self.id
    }

    pub fn text(&self) -> &Localized {
        &self.text
    }

    pub fn options(&self) -> &[BallotOption] {
        &self.options
    }

    pub fn option(&self, id: impl AsRef<str>) -> Option<&BallotOption> {
        self.options.iter().find(|o| o.id.as_str() == id.as_ref())
    }

    /// Position of an option in [`Question::options`] (the ballot's
    /// ciphertext order).
    pub fn option_index(&self, id: impl AsRef<str>) -> Option<usize> {
        self.options
            .iter()
            .position(|o| o.id.as_str() == id.as_ref())
    }

    pub fn rule(&self) -> Rule {
        self.rule
    }

    pub fn allow_blank(&self) -> bool {
        self.allow_blank
    }

    pub fn passes_on(&self) -> &OptionId {
        &self.passes_on
    }

    /// Decides the question from its per-option counts, in the order of
    /// [`Question::options`]. Blank ballots are not in `counts`: the rule is
    /// about ballots that answered.
    pub fn passed(&self, counts: &[u64]) -> bool {
        let answered = counts.iter().try_fold(0u64, |a, &c| a.checked_add(c));
        match (
            answered,
            self.option_index(&self.passes_on)
                .and_then(|i| counts.get(i)),
        ) {
            (Some(answered), Some(&count)) if counts.len() == self.options.len() => {
                self.rule.passed(count, answered)
            }
            _ => false,
        }
    }
}

/// A valid election spec. Instants are UTC; `time_zone` is how they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SpecRepr", into = "SpecRepr")]
pub struct ElectionSpec {
    slug: ElectionSlug,
    title: Localized,
    window: Window,
    time_zone: Tz,
    min_unit_report: u32,
    trustees: u32,
    decrypt_threshold: u32,
    certify_quorum: u32,
    units: Vec<Unit>,
    questions: Vec<Question>,
}

impl ElectionSpec {
    pub fn slug(&self) -> &ElectionSlug {
        &self.slug
    }

    pub fn title(&self) -> &Localized {
        &self.title
    }

    pub fn window(&self) -> Window {
        self.window
    }

    pub fn opens_at(&self) -> DateTime<Utc> {
        self.window.opens_at()
    }

    pub fn closes_at(&self) -> DateTime<Utc> {
        self.window.closes_at()
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// S8: units with fewer ballots than this are merged before decryption.
    pub fn min_unit_report(&self) -> u32 {
        self.min_unit_report
    }

    pub fn trustees(&self) -> u32 {
        self.trustees
    }

    pub fn decrypt_threshold(&self) -> u32 {
        self.decrypt_threshold
    }

    pub fn certify_quorum(&self) -> u32 {
        self.certify_quorum
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn unit_codes(&self) -> Vec<UnitCode> {
        self.units.iter().map(|u| u.code.clone()).collect()
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn unit(&self, code: impl AsRef<str>) -> Option<&Unit> {
        self.units.iter().find(|u| u.code.as_str() == code.as_ref())
    }

    pub fn question(&self, id: impl AsRef<str>) -> Option<&Question> {
        self.questions.iter().find(|q| q.id.as_str() == id.as_ref())
    }

    /// The same spec with an extended window (see [`Window::extend`], which
    /// is where the rules for extending are checked).
    pub fn with_window(&self, window: Window) -> ElectionSpec {
        ElectionSpec {
            window,
            ..self.clone()
        }
    }

    /// An instant as members read it, in the election's zone:
    /// `Wed 11 Dec 2024, 5:00 pm PST`.
    pub fn display_local(&self, instant: DateTime<Utc>) -> String {
        display_local(self.time_zone, instant)
    }
}

/// An instant in `zone`, e.g. `Wed 11 Dec 2024, 5:00 pm PST`.
pub fn display_local(zone: Tz, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&zone)
        .format("%a %-d %b %Y, %-I:%M %P %Z")
        .to_string()
}

// ---------------------------------------------------------------------------
// The written form: one shape for the committee's TOML and the stored JSON.
//
// serde reads the shape — unknown fields, wrong types, malformed ids — and
// serde_path_to_error names the field of any such refusal, with toml's span
// for the line. Everything else is checked by `SpecRepr::check`, which names
// each field as data as it goes. Fields a spec must have are `Option` here so
// that a missing one is refused by the check, with its own path: serde's
// missing-field error would carry only the enclosing table's.

/// Which form is being read. The committee's TOML may leave out the fields
/// that have defaults and writes times in the election's zone; the stored
/// JSON, written by the server, has every field and UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Toml,
    Stored,
}

/// The spec as written, before any check.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an election spec")]
struct SpecRepr {
    slug: Option<Checked<ElectionSlug>>,
    title: Option<TextRepr>,
    opens_at: Option<TimeRepr>,
    closes_at: Option<TimeRepr>,
    time_zone: Option<String>,
    min_unit_report: Option<Whole>,
    trustees: Option<Whole>,
    decrypt_threshold: Option<Whole>,
    certify_quorum: Option<Whole>,
    #[serde(default)]
    units: List<UnitRepr>,
    #[serde(default)]
    questions: List<QuestionRepr>,
}

#[derive(Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "text in both languages, e.g. { en = \"Yes\", es = \"Sí\" }"
)]
struct TextRepr {
    en: Option<String>,
    es: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a unit with a code and a name")]
struct UnitRepr {
    code: Option<Checked<UnitCode>>,
    name: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a question with an id, text, options and a rule"
)]
struct QuestionRepr {
    id: Option<Checked<QuestionId>>,
    text: Option<TextRepr>,
    options: Option<List<OptionRepr>>,
    #[serde(default, deserialize_with = "read_rule")]
    rule: Option<Checked<Rule>>,
    allow_blank: Option<bool>,
    passes_on: Option<Checked<OptionId>>,
}

#[derive(Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an option, e.g. { id = \"yes\", en = \"Yes\", es = \"Sí\" }"
)]
struct OptionRepr {
    id: Option<Checked<OptionId>>,
    en: Option<String>,
    es: Option<String>,
}

/// A name or a rule as read, checked: the value, or why it was refused as
/// a message (issue 9). Read here rather than refused by serde, whose
/// errors are English text; the check turns a refusal into a [`Problem`]
/// at the field's path. A wrong type (a number for a slug) is still
/// serde's refusal.
struct Checked<T>(Result<T, Message>);

impl<T> Checked<T> {
    fn ok(value: T) -> Option<Checked<T>> {
        Some(Checked(Ok(value)))
    }
}

impl<T: Serialize> Serialize for Checked<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(value) => value.serialize(s),
            // Only checked specs are written out.
            Err(m) => Err(serde::ser::Error::custom(m)),
        }
    }
}

impl<'de, T> Deserialize<'de> for Checked<T>
where
    T: TryFrom<String>,
    T::Error: Into<Message>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked<T>, D::Error> {
        String::deserialize(d).map(|s| Checked(T::try_from(s).map_err(Into::into)))
    }
}

/// A field that must be there and must have passed its own check.
fn checked<T>(value: Option<Checked<T>>, at: FieldPath) -> Result<T, Problem> {
    required(value, at.clone())?
        .0
        .map_err(|m| Problem::new(at, m))
}

/// A list as written. Its own type only for the words of a wrong-type
/// refusal: "a sequence" is serde's word, not the committee's.
#[derive(Serialize)]
#[serde(transparent)]
struct List<T>(Vec<T>);

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List<T>, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list: [ … ], or [[ … ]] tables")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(List(items))
            }
        }
        d.deserialize_seq(ListVisitor(PhantomData))
    }
}

/// A whole number as written; the check says which range it must be in.
#[derive(Clone, Copy, Serialize)]
#[serde(transparent)]
struct Whole(i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Whole, D::Error> {
        struct WholeVisitor;
        impl Visitor<'_> for WholeVisitor {
            type Value = Whole;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number, e.g. 3")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole, E> {
                i64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
            }
        }
        d.deserialize_i64(WholeVisitor)
    }
}

/// A date and time as written, read in the election's zone by the check. In
/// TOML a bare date-time (`opens_at = 2024-12-02T20:00:00`) means the same
/// as the quoted one.
#[derive(Serialize)]
#[serde(transparent)]
struct TimeRepr(String);

impl<'de> Deserialize<'de> for TimeRepr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TimeRepr, D::Error> {
        struct TimeVisitor;
        impl<'de> Visitor<'de> for TimeVisitor {
            type Value = TimeRepr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date and time, e.g. \"2024-12-02T20:00:00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeRepr, E> {
                Ok(TimeRepr(v.to_owned()))
            }
            // toml hands a bare date-time over as a map only its own
            // `Datetime` knows how to read.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TimeRepr, A::Error> {
                toml::value::Datetime::deserialize(MapAccessDeserializer::new(map))
                    .map(|d| TimeRepr(d.to_string()))
            }
        }
        d.deserialize_any(TimeVisitor)
    }
}

/// `"majority"` or `{ at_least = "a/b" }`. Read here rather than by
/// [`Rule`]'s own (untagged) serde form so that every refusal quotes the
/// value and names `rule`, whatever was written, as a message the check
/// places at the rule's path ([`Checked`]).
fn read_rule<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Checked<Rule>>, D::Error> {
    struct RuleVisitor;
    impl<'de> Visitor<'de> for RuleVisitor {
        type Value = Checked<Rule>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a rule: use \"majority\" or { at_least = \"a/b\" }")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Checked<Rule>, E> {
            Ok(Checked(match v {
                "majority" => Ok(Rule::Majority),
                _ => Err(Message::new("rule-unknown").with("value", echo(v).to_string())),
            }))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked<Rule>, A::Error> {
            let mut at_least = None;
            let mut stray = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "at_least" {
                    at_least = Some(map.next_value::<Scalar>()?);
                } else {
                    // Read on to the table's end; the first stray key is
                    // the refusal.
                    map.next_value::<IgnoredAny>()?;
                    stray.get_or_insert(key);
                }
            }
            Ok(Checked(match (stray, at_least) {
                (Some(key), _) => {
                    Err(Message::new("rule-stray-key").with("value", echo(&key).to_string()))
                }
                (None, Some(Scalar::Text(s))) => s
                    .parse::<Fraction>()
                    .map(Rule::AtLeast)
                    .map_err(|e| e.message()),
                (None, Some(Scalar::Other(v))) => {
                    Err(Message::new("rule-not-fraction").with("value", v))
                }
                (None, None) => Err(Message::new("rule-no-at-least")),
            }))
        }
    }
    d.deserialize_any(RuleVisitor).map(Some)
}

/// One plain value, kept to be quoted back in a message.
enum Scalar {
    Text(String),
    Other(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fraction in quotes, e.g. \"2/3\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Other(v.to_string()))
            }
        }
        d.deserialize_any(ScalarVisitor)
    }
}

// ---------------------------------------------------------------------------
// The checks both forms go through.

/// A field path as data: `questions[1].rule` is
/// `[Key("questions"), Index(1), Key("rule")]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FieldPath(Vec<Step>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

impl FieldPath {
    fn key(&self, key: &str) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        FieldPath(steps)
    }

    fn index(&self, index: usize) -> FieldPath {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        FieldPath(steps)
    }

    fn last_key(&self) -> &str {
        self.0
            .iter()
            .rev()
            .find_map(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            })
            .unwrap_or("")
    }
}

impl From<&serde_path_to_error::Path> for FieldPath {
    fn from(path: &serde_path_to_error::Path) -> FieldPath {
        use serde_path_to_error::Segment;
        FieldPath(
            path.iter()
                .map(|segment| match segment {
                    Segment::Seq { index } => Step::Index(*index),
                    Segment::Map { key } => Step::Key(key.clone()),
                    Segment::Enum { variant } => Step::Key(variant.clone()),
                    _ => Step::Key("?".to_owned()),
                })
                .collect(),
        )
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A refusal found by the check; the TOML reader adds its line.
#[derive(Debug)]
struct Problem {
    at: FieldPath,
    message: Message,
}

impl Problem {
    fn new(at: FieldPath, message: Message) -> Problem {
        Problem { at, message }
    }

    fn missing(at: FieldPath) -> Problem {
        let message = Message::new("spec-missing").with("field", at.last_key());
        Problem::new(at, message)
    }

    /// Without a line: the stored JSON form.
    fn unplaced(self) -> SpecError {
        SpecError::new(self.at.to_string(), self.message)
    }

    /// With the line of its field in `text`, or of the nearest enclosing
    /// field there (a missing `rule` points at its `[[questions]]`).
    fn placed(self, text: &str) -> SpecError {
        SpecError {
            line: line_at(text, &self.at),
            ..self.unplaced()
        }
    }
}

fn required<T>(value: Option<T>, at: FieldPath) -> Result<T, Problem> {
    value.ok_or_else(|| Problem::missing(at))
}

/// A field the TOML may leave out (then `default`), but the stored form
/// always has.
fn defaulted<T>(
    value: Option<T>,
    at: FieldPath,
    form: Form,
    default: impl FnOnce() -> T,
) -> Result<T, Problem> {
    match (value, form) {
        (Some(v), _) => Ok(v),
        (None, Form::Toml) => Ok(default()),
        (None, Form::Stored) => Err(Problem::missing(at)),
    }
}

impl SpecRepr {
    fn check(self, form: Form) -> Result<ElectionSpec, Problem> {
        let root = FieldPath::default();
        let slug = checked(self.slug, root.key("slug"))?;
        let title = localized(self.title, root.key("title"), TextRule::NAME)?;
        let time_zone = parse_zone(required(self.time_zone, root.key("time_zone"))?)?;
        let window = window(form, self.opens_at, self.closes_at, time_zone)?;
        let min_unit_report = count(
            defaulted(
                self.min_unit_report,
                root.key("min_unit_report"),
                form,
                || Whole(DEFAULT_MIN_UNIT_REPORT.into()),
            )?,
            root.key("min_unit_report"),
            None,
        )?;
        let trustees = count(
            required(self.trustees, root.key("trustees"))?,
            root.key("trustees"),
            Some((MAX_TRUSTEES, false)),
        )?;
        let decrypt_threshold = count(
            required(self.decrypt_threshold, root.key("decrypt_threshold"))?,
            root.key("decrypt_threshold"),
            Some((trustees, true)),
        )?;
        let certify_quorum = count(
            required(self.certify_quorum, root.key("certify_quorum"))?,
            root.key("certify_quorum"),
            None,
        )?;
        Ok(ElectionSpec {
            slug,
            title,
            window,
            time_zone,
            min_unit_report,
            trustees,
            decrypt_threshold,
            certify_quorum,
            units: units(self.units.0, root.key("units"))?,
            questions: questions(self.questions.0, root.key("questions"), form)?,
        })
    }
}

/// A count of at least 1 and at most `most.0` (`most.1`: that bound is
/// the number of trustees, and the message says so).
fn count(value: Whole, at: FieldPath, most: Option<(u32, bool)>) -> Result<u32, Problem> {
    let n = value.0;
    let upper = most.map_or(u32::MAX, |m| m.0);
    match u32::try_from(n) {
        Ok(c) if (1..=upper).contains(&c) => Ok(c),
        _ => Err(Problem::new(
            at,
            match most {
                Some((max, false)) => Message::new("spec-count-range").with("max", max),
                Some((max, true)) => Message::new("spec-count-trustees").with("max", max),
                None if n < 1 => Message::new("spec-count-min"),
                None => Message::new("spec-count-too-large"),
            }
            .with("value", n.to_string()),
        )),
    }
}

fn parse_zone(name: String) -> Result<Tz, Problem> {
    name.parse::<Tz>().map_err(|_| {
        Problem::new(
            FieldPath::default().key("time_zone"),
            Message::new("spec-zone-unknown").with("value", echo(&name).to_string()),
        )
    })
}

fn window(
    form: Form,
    opens_at: Option<TimeRepr>,
    closes_at: Option<TimeRepr>,
    zone: Tz,
) -> Result<Window, Problem> {
    let root = FieldPath::default();
    let opens_at = instant(form, required(opens_at, root.key("opens_at"))?, zone)
        .map_err(|m| Problem::new(root.key("opens_at"), m))?;
    let closes_at = instant(form, required(closes_at, root.key("closes_at"))?, zone)
        .map_err(|m| Problem::new(root.key("closes_at"), m))?;
    Window::new(opens_at, closes_at).map_err(|e| {
        let message = match e {
            WindowError::ClosesBeforeOpens { .. } => Message::new("spec-closes-before-opens")
                .with_time("closes", closes_at, zone)
                .with_time("opens", opens_at, zone),
            other => other.message(),
        };
        Problem::new(root.key("closes_at"), message)
    })
}

/// The TOML form reads local times in the election's zone ([`LocalTime`]);
/// the stored form is RFC 3339 in UTC.
fn instant(form: Form, written: TimeRepr, zone: Tz) -> Result<DateTime<Utc>, Message> {
    match form {
        Form::Toml => LocalTime::instant(&written.0, zone).map_err(|e| e.message()),
        Form::Stored => parse_rfc3339(&written.0).map_err(|e| e.message()),
    }
}

fn units(written: Vec<UnitRepr>, at: FieldPath) -> Result<Vec<Unit>, Problem> {
    if written.is_empty() {
        return Err(Problem::new(at, Message::new("spec-units-none")));
    }
    let units = written
        .into_iter()
        .enumerate()
        .map(|(i, u)| u.check(at.index(i)))
        .collect::<Result<Vec<Unit>, Problem>>()?;
    if let Some((i, first)) = first_duplicate(units.iter().map(|u| u.code.as_str())) {
        return Err(Problem::new(
            at.index(i).key("code"),
            Message::new("spec-unit-duplicate")
                .with("code", units[i].code.to_string())
                .with("first", at.index(first).key("code").to_string()),
        ));
    }
    Ok(units)
}

impl UnitRepr {
    fn check(self, at: FieldPath) -> Result<Unit, Problem> {
        let code = checked(self.code, at.key("code"))?;
        let name = required(self.name, at.key("name"))?;
        if name.trim().is_empty() {
            return Err(Problem::new(
                at.key("name"),
                Message::new("spec-unit-name-empty"),
            ));
        }
        free_text(at.key("name"), &name, TextRule::NAME)?;
        Ok(Unit { code, name })
    }
}

fn questions(
    written: Vec<QuestionRepr>,
    at: FieldPath,
    form: Form,
) -> Result<Vec<Question>, Problem> {
    if written.is_empty() {
        return Err(Problem::new(at, Message::new("spec-questions-none")));
    }
    let questions = written
        .into_iter()
        .enumerate()
        .map(|(i, q)| q.check(at.index(i), form))
        .collect::<Result<Vec<Question>, Problem>>()?;
    if let Some((i, first)) = first_duplicate(questions.iter().map(|q| q.id.as_str())) {
        return Err(Problem::new(
            at.index(i).key("id"),
            Message::new("spec-question-duplicate")
                .with("id", questions[i].id.to_string())
                .with("first", at.index(first).key("id").to_string()),
        ));
    }
    Ok(questions)
}

impl QuestionRepr {
    fn check(self, at: FieldPath, form: Form) -> Result<Question, Problem> {
        let id = checked(self.id, at.key("id"))?;
        let text = localized(self.text, at.key("text"), TextRule::PARAGRAPHS)?;
        let options = options(
            required(self.options, at.key("options"))?.0,
            at.key("options"),
        )?;
        let rule = checked(self.rule, at.key("rule"))?;
        let allow_blank = defaulted(self.allow_blank, at.key("allow_blank"), form, || true)?;
        // The first option is the one the rule measures unless told otherwise.
        let passes_on = defaulted(self.passes_on, at.key("passes_on"), form, || {
            Checked(Ok(options[0].id.clone()))
        })?
        .0
        .map_err(|m| Problem::new(at.key("passes_on"), m))?;
        if !options.iter().any(|o| o.id == passes_on) {
            let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
            return Err(Problem::new(
                at.key("passes_on"),
                Message::new("spec-passes-on-unknown")
                    .with("value", passes_on.to_string())
                    .with("options", ids.join(", ")),
            ));
        }
        Ok(Question {
            id,
            text,
            options,
            rule,
            allow_blank,
            passes_on,
        })
    }
}

fn options(written: Vec<OptionRepr>, at: FieldPath) -> Result<Vec<BallotOption>, Problem> {
    if written.len() < 2 {
        return Err(Problem::new(
            at,
            Message::new("spec-options-too-few").with("found", written.len()),
        ));
    }
    let options = written
        .into_iter()
        .enumerate()
        .map(|(j, o)| {
            let at = at.index(j);
            Ok(BallotOption {
                id: checked(o.id, at.key("id"))?,
                label: both_languages(o.en, o.es, &at, TextRule::NAME)?,
            })
        })
        .collect::<Result<Vec<BallotOption>, Problem>>()?;
    if let Some((j, first)) = first_duplicate(options.iter().map(|o| o.id.as_str())) {
        return Err(Problem::new(
            at.index(j).key("id"),
            Message::new("spec-option-duplicate")
                .with("id", options[j].id.to_string())
                .with("first", at.index(first).key("id").to_string()),
        ));
    }
    Ok(options)
}

/// The position of the first key seen before, and of its earlier sighting.
fn first_duplicate<'a>(keys: impl Iterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut seen = HashMap::new();
    keys.enumerate()
        .find_map(|(i, key)| seen.insert(key, i).map(|first| (i, first)))
}

fn localized(value: Option<TextRepr>, at: FieldPath, rule: TextRule) -> Result<Localized, Problem> {
    let text = required(value, at.clone())?;
    both_languages(text.en, text.es, &at, rule)
}

/// Text in both languages, each a piece of free text (docs/committee-guide.md:
/// lengths, no control or direction characters, line breaks only in
/// question text).
fn both_languages(
    en: Option<String>,
    es: Option<String>,
    at: &FieldPath,
    rule: TextRule,
) -> Result<Localized, Problem> {
    let en = required(en, at.key("en"))?;
    let es = required(es, at.key("es"))?;
    let text =
        Localized::new(en, es).map_err(|e| Problem::new(at.key(e.0.as_str()), e.message()))?;
    for language in Language::ALL {
        free_text(at.key(language.as_str()), text.get(language), rule)?;
    }
    Ok(text)
}

fn free_text(at: FieldPath, value: &str, rule: TextRule) -> Result<(), Problem> {
    text::check(value, rule).map_err(|e| Problem::new(at, e.message()))
}

// ---------------------------------------------------------------------------
// The stored JSON form: the same shape, instants in UTC as RFC 3339 and
// every field explicit.

impl From<ElectionSpec> for SpecRepr {
    fn from(s: ElectionSpec) -> SpecRepr {
        SpecRepr {
            slug: Checked::ok(s.slug),
            title: Some(TextRepr::from(s.title)),
            opens_at: Some(TimeRepr(format_rfc3339(s.window.opens_at()))),
            closes_at: Some(TimeRepr(format_rfc3339(s.window.closes_at()))),
            time_zone: Some(s.time_zone.name().to_owned()),
            min_unit_report: Some(Whole(s.min_unit_report.into())),
            trustees: Some(Whole(s.trustees.into())),
            decrypt_threshold: Some(Whole(s.decrypt_threshold.into())),
            certify_quorum: Some(Whole(s.certify_quorum.into())),
            units: List(
                s.units
                    .into_iter()
                    .map(|u| UnitRepr {
                        code: Checked::ok(u.code),
                        name: Some(u.name),
                    })
                    .collect(),
            ),
            questions: List(
                s.questions
                    .into_iter()
                    .map(|q| QuestionRepr {
                        id: Checked::ok(q.id),
                        text: Some(TextRepr::from(q.text)),
                        options: Some(List(q.options.into_iter().map(OptionRepr::from).collect())),
                        rule: Checked::ok(q.rule),
                        allow_blank: Some(q.allow_blank),
                        passes_on: Checked::ok(q.passes_on),
                    })
                    .collect(),
            ),
        }
    }
}

impl From<Localized> for TextRepr {
    fn from(text: Localized) -> TextRepr {
        TextRepr {
            en: Some(text.en().to_owned()),
            es: Some(text.es().to_owned()),
        }
    }
}

impl From<BallotOption> for OptionRepr {
    fn from(o: BallotOption) -> OptionRepr {
        OptionRepr {
            id: Checked::ok(o.id),
            en: Some(o.label.en().to_owned()),
            es: Some(o.label.es().to_owned()),
        }
    }
}

impl TryFrom<SpecRepr> for ElectionSpec {
    type Error = SpecError;
    fn try_from(r: SpecRepr) -> Result<ElectionSpec, SpecError> {
        r.check(Form::Stored).map_err(Problem::unplaced)
    }
}

// ---------------------------------------------------------------------------
// The TOML form.

/// Parses and checks an election spec written in TOML (acceptance.md), with
/// the default [`WindowLimits`]; see [`parse_spec_within`].
pub fn parse_spec(text: &str) -> Result<ElectionSpec, SpecError> {
    parse_spec_within(text, &WindowLimits::default())
}

/// Parses and checks a new election's spec written in TOML (acceptance.md),
/// its window at most `limits.max_length` long.
///
/// `opens_at` and `closes_at` are read by [`LocalTime`]: local date-times in
/// `time_zone` (`"2024-12-02T20:00:00"`) with that zone's rules for that
/// date, or RFC 3339 timestamps with an offset.
pub fn parse_spec_within(text: &str, limits: &WindowLimits) -> Result<ElectionSpec, SpecError> {
    let written: SpecRepr = serde_path_to_error::deserialize(toml::Deserializer::new(text))
        .map_err(|e| shape_error(text, e))?;
    let spec = written.check(Form::Toml).map_err(|p| p.placed(text))?;
    spec.window().check_length(limits).map_err(|e| {
        let message = match e {
            // The times in the election's zone, in the reader's words.
            WindowError::TooLong { max_days, .. } => Message::new("spec-window-too-long")
                .with_time("opens", spec.opens_at(), spec.time_zone())
                .with_time("closes", spec.closes_at(), spec.time_zone())
                .with("max", max_days),
            other => other.message(),
        };
        Problem::new(FieldPath::default().key("closes_at"), message).placed(text)
    })?;
    Ok(spec)
}

/// A refusal while reading the TOML's shape: a syntax error (no field), an
/// unknown field, a wrong type or a malformed id. serde_path_to_error gives
/// the path; toml gives the span of the offending key or value.
fn shape_error(text: &str, e: serde_path_to_error::Error<toml::de::Error>) -> SpecError {
    let at = FieldPath::from(e.path());
    let e = e.into_inner();
    SpecError {
        field: at.to_string(),
        // serde's messages quote the offending value; cap it like every
        // echo. They are the parser's own English words: a page in another
        // language says what kind of problem it is instead (spec-shape).
        message: Message::new("spec-shape").with("detail", echo_message(e.message().trim())),
        line: match e.span() {
            Some(span) => Some(line_of(text, span.start)),
            None => line_at(text, &at),
        },
    }
}

/// A parser's message, at most a few hundred characters: it may quote a
/// value of any length.
fn echo_message(message: &str) -> String {
    const MAX: usize = 300;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let cut: String = message.chars().take(MAX).collect();
    format!("{cut}…")
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of the value at `at` in the TOML `text`, or of the nearest
/// enclosing value that is there; none for the document itself, whose line
/// says nothing. Only refusals call this, so reading the text again costs
/// an accepted spec nothing.
fn line_at(text: &str, at: &FieldPath) -> Option<usize> {
    (1..=at.0.len()).rev().find_map(|n| {
        let span = Find(&at.0[..n])
            .deserialize(toml::Deserializer::new(text))
            .ok()??;
        Some(line_of(text, span.start))
    })
}

/// Walks a TOML document down a field path, skipping everything else, and
/// reads the span of the value at its end with toml's [`Spanned`].
struct Find<'a>(&'a [Step]);

impl<'de> DeserializeSeed<'de> for Find<'_> {
    type Value = Option<Range<usize>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.0.first() {
            None => Spanned::<IgnoredAny>::deserialize(d).map(|s| Some(s.span())),
            Some(Step::Key(_)) => d.deserialize_map(self),
            Some(Step::Index(_)) => d.deserialize_seq(self),
        }
    }
}

impl<'de> Visitor<'de> for Find<'_> {
    type Value = Option<Range<usize>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table or an array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some((Step::Key(wanted), rest)) = self.0.split_first() else {
            return Ok(None);
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == *wanted {
                return map.next_value_seed(Find(rest));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Some((Step::Index(wanted), rest)) = self.0.split_first() else {
            return Ok(None);
        };
        for _ in 0..*wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(None);
            }
        }
        Ok(seq.next_element_seed(Find(rest))?.flatten())
    }
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
