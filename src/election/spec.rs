//! The election spec: the TOML a committee writes (acceptance.md, "Election
//! spec (TOML)") and the JSON form the server stores. Both forms pass through
//! the same checks, so an `ElectionSpec` that exists is a valid one.
//!
//! S16: every refusal names the field path (`questions[1].rule`,
//! `units[3].code`) and the offending value, and, for the TOML form, the line.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::ids::{ElectionSlug, IdError, Language, Localized, OptionId, QuestionId, UnitCode};
use super::rule::{Fraction, Rule};
use super::text::{self, echo, TextRule};
use super::time::LocalTime;
use super::window::{format_rfc3339, parse_rfc3339, Window, WindowError, WindowLimits};

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
    pub message: String,
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
        f.write_str(&self.message)
    }
}

impl SpecError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError {
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }
}

/// A bargaining unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: UnitCode,
    pub name: String,
}

/// One choice on a question: its id (the form value) and its label in both
/// languages. Written `{ id = "yes", en = "Yes", es = "Sí" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "OptionRepr", into = "OptionRepr")]
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

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionRepr {
    id: OptionId,
    en: String,
    es: String,
}

impl TryFrom<OptionRepr> for BallotOption {
    type Error = super::ids::LocalizedError;
    fn try_from(r: OptionRepr) -> Result<BallotOption, Self::Error> {
        Ok(BallotOption {
            id: r.id,
            label: Localized::new(r.en, r.es)?,
        })
    }
}

impl From<BallotOption> for OptionRepr {
    fn from(o: BallotOption) -> OptionRepr {
        OptionRepr {
            id: o.id,
            en: o.label.en().to_owned(),
            es: o.label.es().to_owned(),
        }
    }
}

/// One question on the ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
// The checks both forms go through.

/// A spec whose fields are each well-formed but not yet checked together.
struct Unchecked {
    slug: ElectionSlug,
    title: Localized,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    time_zone: Tz,
    min_unit_report: u32,
    trustees: u32,
    decrypt_threshold: u32,
    certify_quorum: u32,
    units: Vec<Unit>,
    questions: Vec<UncheckedQuestion>,
}

struct UncheckedQuestion {
    id: QuestionId,
    text: Localized,
    options: Vec<BallotOption>,
    rule: Rule,
    allow_blank: bool,
    passes_on: Option<OptionId>,
}

impl TryFrom<Unchecked> for ElectionSpec {
    type Error = SpecError;

    fn try_from(u: Unchecked) -> Result<ElectionSpec, SpecError> {
        let window = Window::new(u.opens_at, u.closes_at).map_err(|e| match e {
            WindowError::ClosesBeforeOpens { .. } => SpecError::new(
                "closes_at",
                format!(
                    "`{}` must be after opens_at (`{}`)",
                    display_local(u.time_zone, u.closes_at),
                    display_local(u.time_zone, u.opens_at)
                ),
            ),
            other => SpecError::new("closes_at", other.to_string()),
        })?;
        localized_text("title", &u.title, TextRule::NAME)?;
        if u.min_unit_report < 1 {
            return Err(SpecError::new(
                "min_unit_report",
                format!("`{}` must be at least 1", u.min_unit_report),
            ));
        }
        if !(1..=MAX_TRUSTEES).contains(&u.trustees) {
            return Err(SpecError::new(
                "trustees",
                format!("`{}` must be from 1 to {MAX_TRUSTEES}", u.trustees),
            ));
        }
        if !(1..=u.trustees).contains(&u.decrypt_threshold) {
            return Err(SpecError::new(
                "decrypt_threshold",
                format!(
                    "`{}` must be from 1 to trustees ({})",
                    u.decrypt_threshold, u.trustees
                ),
            ));
        }
        if u.certify_quorum < 1 {
            return Err(SpecError::new(
                "certify_quorum",
                format!("`{}` must be at least 1", u.certify_quorum),
            ));
        }

        if u.units.is_empty() {
            return Err(SpecError::new(
                "units",
                "the election needs at least one [[units]] entry",
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, unit) in u.units.iter().enumerate() {
            if let Some(first) = seen.insert(unit.code.as_str(), i) {
                return Err(SpecError::new(
                    format!("units[{i}].code"),
                    format!(
                        "duplicate unit code `{}` (also units[{first}].code)",
                        unit.code
                    ),
                ));
            }
            if unit.name.trim().is_empty() {
                return Err(SpecError::new(
                    format!("units[{i}].name"),
                    "the unit's name is empty",
                ));
            }
            free_text(format!("units[{i}].name"), &unit.name, TextRule::NAME)?;
        }

        if u.questions.is_empty() {
            return Err(SpecError::new(
                "questions",
                "the election needs at least one [[questions]] entry",
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, q) in u.questions.iter().enumerate() {
            if let Some(first) = seen.insert(q.id.as_str(), i) {
                return Err(SpecError::new(
                    format!("questions[{i}].id"),
                    format!(
                        "duplicate question id `{}` (also questions[{first}].id)",
                        q.id
                    ),
                ));
            }
            localized_text(
                &format!("questions[{i}].text"),
                &q.text,
                TextRule::PARAGRAPHS,
            )?;
            if q.options.len() < 2 {
                return Err(SpecError::new(
                    format!("questions[{i}].options"),
                    format!(
                        "a question needs at least 2 options, found {}",
                        q.options.len()
                    ),
                ));
            }
            let mut seen_opt: HashMap<&str, usize> = HashMap::new();
            for (j, o) in q.options.iter().enumerate() {
                localized_text(
                    &format!("questions[{i}].options[{j}]"),
                    &o.label,
                    TextRule::NAME,
                )?;
                if let Some(first) = seen_opt.insert(o.id.as_str(), j) {
                    return Err(SpecError::new(
                        format!("questions[{i}].options[{j}].id"),
                        format!(
                            "duplicate option id `{}` (also questions[{i}].options[{first}].id)",
                            o.id
                        ),
                    ));
                }
            }
            if let Some(p) = &q.passes_on {
                if !seen_opt.contains_key(p.as_str()) {
                    let ids: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
                    return Err(SpecError::new(
                        format!("questions[{i}].passes_on"),
                        format!(
                            "`{p}` is not one of this question's options ({})",
                            ids.join(", ")
                        ),
                    ));
                }
            }
        }

        let questions = u
            .questions
            .into_iter()
            .map(|q| Question {
                passes_on: q.passes_on.unwrap_or_else(|| q.options[0].id.clone()),
                id: q.id,
                text: q.text,
                options: q.options,
                rule: q.rule,
                allow_blank: q.allow_blank,
            })
            .collect();
        Ok(ElectionSpec {
            slug: u.slug,
            title: u.title,
            window,
            time_zone: u.time_zone,
            min_unit_report: u.min_unit_report,
            trustees: u.trustees,
            decrypt_threshold: u.decrypt_threshold,
            certify_quorum: u.certify_quorum,
            units: u.units,
            questions,
        })
    }
}

/// One piece of free text (docs/committee-guide.md: lengths, no control or
/// direction characters, line breaks only in question text).
fn free_text(field: String, value: &str, rule: TextRule) -> Result<(), SpecError> {
    text::check(value, rule).map_err(|e| SpecError::new(field, e.to_string()))
}

fn localized_text(field: &str, value: &Localized, rule: TextRule) -> Result<(), SpecError> {
    for language in Language::ALL {
        free_text(format!("{field}.{language}"), value.get(language), rule)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The stored JSON form: the same fields, instants in UTC as RFC 3339,
// `allow_blank` and `passes_on` always explicit.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecRepr {
    slug: ElectionSlug,
    title: Localized,
    opens_at: String,
    closes_at: String,
    time_zone: String,
    min_unit_report: u32,
    trustees: u32,
    decrypt_threshold: u32,
    certify_quorum: u32,
    units: Vec<Unit>,
    questions: Vec<QuestionRepr>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionRepr {
    id: QuestionId,
    text: Localized,
    options: Vec<BallotOption>,
    rule: Rule,
    allow_blank: bool,
    passes_on: OptionId,
}

impl From<ElectionSpec> for SpecRepr {
    fn from(s: ElectionSpec) -> SpecRepr {
        SpecRepr {
            slug: s.slug,
            title: s.title,
            opens_at: format_rfc3339(s.window.opens_at()),
            closes_at: format_rfc3339(s.window.closes_at()),
            time_zone: s.time_zone.name().to_owned(),
            min_unit_report: s.min_unit_report,
            trustees: s.trustees,
            decrypt_threshold: s.decrypt_threshold,
            certify_quorum: s.certify_quorum,
            units: s.units,
            questions: s
                .questions
                .into_iter()
                .map(|q| QuestionRepr {
                    id: q.id,
                    text: q.text,
                    options: q.options,
                    rule: q.rule,
                    allow_blank: q.allow_blank,
                    passes_on: q.passes_on,
                })
                .collect(),
        }
    }
}

impl TryFrom<SpecRepr> for ElectionSpec {
    type Error = SpecError;
    fn try_from(r: SpecRepr) -> Result<ElectionSpec, SpecError> {
        let instant = |field: &str, s: &str| {
            parse_rfc3339(s).map_err(|_| {
                SpecError::new(field, format!("`{}` is not an RFC 3339 timestamp", echo(s)))
            })
        };
        Unchecked {
            slug: r.slug,
            title: r.title,
            opens_at: instant("opens_at", &r.opens_at)?,
            closes_at: instant("closes_at", &r.closes_at)?,
            time_zone: parse_zone(&r.time_zone)?,
            min_unit_report: r.min_unit_report,
            trustees: r.trustees,
            decrypt_threshold: r.decrypt_threshold,
            certify_quorum: r.certify_quorum,
            units: r.units,
            questions: r
                .questions
                .into_iter()
                .map(|q| UncheckedQuestion {
                    id: q.id,
                    text: q.text,
                    options: q.options,
                    rule: q.rule,
                    allow_blank: q.allow_blank,
                    passes_on: Some(q.passes_on),
                })
                .collect(),
        }
        .try_into()
    }
}

fn parse_zone(name: &str) -> Result<Tz, SpecError> {
    name.parse::<Tz>().map_err(|_| {
        SpecError::new(
            "time_zone",
            format!(
                "`{}` is not a known IANA time zone (e.g. \"America/Los_Angeles\")",
                echo(name)
            ),
        )
    })
}

// ---------------------------------------------------------------------------
// The TOML form.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSpec {
    slug: Spanned<String>,
    title: Spanned<TomlLocalized>,
    opens_at: Spanned<toml::Value>,
    closes_at: Spanned<toml::Value>,
    time_zone: Spanned<String>,
    #[serde(default)]
    min_unit_report: Option<Spanned<i64>>,
    trustees: Spanned<i64>,
    decrypt_threshold: Spanned<i64>,
    certify_quorum: Spanned<i64>,
    #[serde(default)]
    units: Vec<TomlUnit>,
    #[serde(default)]
    questions: Vec<TomlQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLocalized {
    en: String,
    es: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlUnit {
    code: Spanned<String>,
    name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlQuestion {
    id: Spanned<String>,
    text: Spanned<TomlLocalized>,
    options: Spanned<Vec<Spanned<TomlOption>>>,
    rule: Spanned<toml::Value>,
    #[serde(default)]
    allow_blank: Option<bool>,
    #[serde(default)]
    passes_on: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlOption {
    id: Spanned<String>,
    en: String,
    es: String,
}

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
    let raw: TomlSpec = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut lines = Lines {
        text,
        map: HashMap::new(),
    };
    let result = resolve(raw, &mut lines)
        .and_then(ElectionSpec::try_from)
        .and_then(|spec| {
            spec.window()
                .check_length(limits)
                .map_err(|e| SpecError::new("closes_at", e.to_string()))?;
            Ok(spec)
        });
    result.map_err(|mut e| {
        if e.line.is_none() {
            e.line = lines.line_of_field(&e.field);
        }
        e
    })
}

/// Remembers the line of each field path so checks made after resolution can
/// still point at the line.
struct Lines<'a> {
    text: &'a str,
    map: HashMap<String, usize>,
}

impl Lines<'_> {
    /// The line of `field`, or of the nearest enclosing field known
    /// (`title.en` falls back to `title`).
    fn line_of_field(&self, field: &str) -> Option<usize> {
        let mut field = field;
        loop {
            if let Some(&line) = self.map.get(field) {
                return Some(line);
            }
            field = &field[..field.rfind(['.', '['])?];
        }
    }

    fn at(&mut self, field: &str, span: std::ops::Range<usize>) -> usize {
        let line = line_of(self.text, span.start);
        self.map.insert(field.to_owned(), line);
        line
    }

    fn err(&mut self, field: &str, span: std::ops::Range<usize>, message: String) -> SpecError {
        let line = self.at(field, span);
        SpecError {
            field: field.to_owned(),
            message,
            line: Some(line),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn resolve(raw: TomlSpec, lines: &mut Lines<'_>) -> Result<Unchecked, SpecError> {
    fn id<T>(
        lines: &mut Lines<'_>,
        field: &str,
        value: Spanned<String>,
        parse: fn(String) -> Result<T, IdError>,
    ) -> Result<T, SpecError> {
        let span = value.span();
        lines.at(field, span.clone());
        parse(value.into_inner()).map_err(|e| lines.err(field, span, e.to_string()))
    }
    fn localized(
        lines: &mut Lines<'_>,
        field: &str,
        value: Spanned<TomlLocalized>,
    ) -> Result<Localized, SpecError> {
        let span = value.span();
        lines.at(field, span.clone());
        let v = value.into_inner();
        Localized::new(v.en, v.es)
            .map_err(|e| lines.err(&format!("{field}.{}", e.0), span, e.to_string()))
    }
    fn count(lines: &mut Lines<'_>, field: &str, value: Spanned<i64>) -> Result<u32, SpecError> {
        let span = value.span();
        lines.at(field, span.clone());
        let v = *value.get_ref();
        u32::try_from(v).map_err(|_| {
            lines.err(
                field,
                span,
                format!("`{v}` is out of range; it must be a positive whole number"),
            )
        })
    }

    let slug = id(lines, "slug", raw.slug, ElectionSlug::parse)?;
    let title = localized(lines, "title", raw.title)?;
    let zone_span = raw.time_zone.span();
    lines.at("time_zone", zone_span.clone());
    let time_zone = parse_zone(raw.time_zone.get_ref())
        .map_err(|e| lines.err("time_zone", zone_span, e.message))?;
    let opens_at = local_instant(lines, "opens_at", raw.opens_at, time_zone)?;
    let closes_at = local_instant(lines, "closes_at", raw.closes_at, time_zone)?;
    let min_unit_report = match raw.min_unit_report {
        Some(v) => count(lines, "min_unit_report", v)?,
        None => DEFAULT_MIN_UNIT_REPORT,
    };
    let trustees = count(lines, "trustees", raw.trustees)?;
    let decrypt_threshold = count(lines, "decrypt_threshold", raw.decrypt_threshold)?;
    let certify_quorum = count(lines, "certify_quorum", raw.certify_quorum)?;

    let mut units = Vec::with_capacity(raw.units.len());
    for (i, u) in raw.units.into_iter().enumerate() {
        let code = id(lines, &format!("units[{i}].code"), u.code, UnitCode::parse)?;
        lines.at(&format!("units[{i}].name"), u.name.span());
        units.push(Unit {
            code,
            name: u.name.into_inner(),
        });
    }

    let mut questions = Vec::with_capacity(raw.questions.len());
    for (i, q) in raw.questions.into_iter().enumerate() {
        let p = format!("questions[{i}]");
        let qid = id(lines, &format!("{p}.id"), q.id, QuestionId::parse)?;
        let text = localized(lines, &format!("{p}.text"), q.text)?;
        lines.at(&format!("{p}.options"), q.options.span());
        let mut options = Vec::new();
        for (j, o) in q.options.into_inner().into_iter().enumerate() {
            let op = format!("{p}.options[{j}]");
            let span = o.span();
            lines.at(&op, span.clone());
            let o = o.into_inner();
            let oid = id(lines, &format!("{op}.id"), o.id, OptionId::parse)?;
            let label = Localized::new(o.en, o.es)
                .map_err(|e| lines.err(&format!("{op}.{}", e.0), span, e.to_string()))?;
            options.push(BallotOption { id: oid, label });
        }
        let rule = toml_rule(lines, &format!("{p}.rule"), q.rule)?;
        let passes_on = match q.passes_on {
            Some(v) => Some(id(lines, &format!("{p}.passes_on"), v, OptionId::parse)?),
            None => None,
        };
        questions.push(UncheckedQuestion {
            id: qid,
            text,
            options,
            rule,
            allow_blank: q.allow_blank.unwrap_or(true),
            passes_on,
        });
    }

    Ok(Unchecked {
        slug,
        title,
        opens_at,
        closes_at,
        time_zone,
        min_unit_report,
        trustees,
        decrypt_threshold,
        certify_quorum,
        units,
        questions,
    })
}

fn toml_rule(
    lines: &mut Lines<'_>,
    field: &str,
    value: Spanned<toml::Value>,
) -> Result<Rule, SpecError> {
    let span = value.span();
    lines.at(field, span.clone());
    let usage = "use \"majority\" or { at_least = \"a/b\" }";
    match value.into_inner() {
        toml::Value::String(s) if s == "majority" => Ok(Rule::Majority),
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("at_least") => match &t["at_least"]
        {
            toml::Value::String(s) => s
                .parse::<Fraction>()
                .map(Rule::AtLeast)
                .map_err(|e| lines.err(field, span, e.to_string())),
            other => Err(lines.err(
                field,
                span,
                format!(
                    "`{}` is not a fraction: write at_least = \"2/3\"",
                    echo(&other.to_string())
                ),
            )),
        },
        other => Err(lines.err(
            field,
            span,
            format!("`{}` is not a rule: {usage}", echo(&other.to_string())),
        )),
    }
}

fn local_instant(
    lines: &mut Lines<'_>,
    field: &str,
    value: Spanned<toml::Value>,
    zone: Tz,
) -> Result<DateTime<Utc>, SpecError> {
    let span = value.span();
    lines.at(field, span.clone());
    let text = match value.into_inner() {
        toml::Value::String(s) => s,
        // An unquoted TOML date-time (`opens_at = 2024-12-02T20:00:00`) means the same.
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(lines.err(
                field,
                span,
                format!(
                    "`{}` is not a date-time; write e.g. \"2024-12-02T20:00:00\"",
                    echo(&other.to_string())
                ),
            ))
        }
    };
    LocalTime::instant(&text, zone).map_err(|e| lines.err(field, span, e.to_string()))
}

/// A TOML syntax or shape error: the line from its span, and a best-effort
/// field path from the `[[table]]` headers above that line.
fn toml_error(text: &str, e: &toml::de::Error) -> SpecError {
    // serde's messages quote the offending value; cap it like every echo.
    let message = echo_message(e.message().trim());
    let Some(span) = e.span() else {
        return SpecError {
            field: String::new(),
            message,
            line: None,
        };
    };
    let line = line_of(text, span.start);
    let (table, key) = field_at_line(text, line);
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_owned()
        } else {
            format!("{a}.{b}")
        }
    };
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|r| r.split('`').next())
            .map(str::to_owned)
    };
    if let Some(name) = named("missing field `") {
        // The span is the table that lacks the field; at the top level that
        // is the whole document, whose line says nothing.
        let line = (!table.is_empty()).then_some(line);
        return SpecError {
            field: join(&table, &name),
            message,
            line,
        };
    }
    let mut field = match key {
        Some(k) => join(&table, &k),
        None => table,
    };
    if let Some(name) = named("unknown field `") {
        if !field.ends_with(&name) {
            field = join(&field, &name);
        }
    }
    SpecError {
        field,
        message,
        line: Some(line),
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

/// The table path (`questions[1]`) in force at `line`, and the key set on it.
fn field_at_line(text: &str, line: usize) -> (String, Option<String>) {
    let mut table = String::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (n, l) in text.lines().enumerate() {
        let l = l.trim();
        if let Some(name) = l.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let name = name.trim().to_owned();
            let c = counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{c}]");
            *c += 1;
        } else if let Some(name) = l.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_owned();
        }
        if n + 1 == line {
            let key = l.split_once('=').map(|(k, _)| k.trim()).filter(|k| {
                !k.is_empty()
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            });
            return (table, key.map(str::to_owned));
        }
    }
    (table, None)
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
