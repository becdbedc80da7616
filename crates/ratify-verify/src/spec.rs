//! Check 4: election.json follows the documented spec schema
//! (docs/audit-format.md §"The election spec"), is for the record's
//! election, and equals the spec `election.created` logged with every
//! `window.extended` applied in order.

use std::path::Path;

use serde_json::{Map, Value};

use crate::json::{exact_members, parse, read_text};
use crate::kinds::State;
use crate::layout::{Layout, ELECTION, ENTRIES};
use crate::log::Logged;
use crate::{Check, Failure};

/// What the later checks need of the spec.
#[derive(Debug, Clone)]
pub struct Spec {
    pub slug: String,
    pub trustees: u64,
    pub decrypt_threshold: u64,
    pub certify_quorum: u64,
    pub min_unit_report: u64,
    pub units: Vec<String>,
    pub questions: Vec<Question>,
    pub opens_at: String,
    pub closes_at: String,
    pub time_zone: String,
}

/// A question as the results need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    /// The options' ids, in spec order.
    pub options: Vec<String>,
    pub allow_blank: bool,
    pub rule: Rule,
    pub passes_on: String,
}

/// How a question passes (docs/audit-format.md §"Results").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Strictly more than half of the ballots that answered it.
    Majority,
    /// At least n/d of them (1 ≤ n ≤ d).
    AtLeast(u64, u64),
}

const TOP: &[&str] = &[
    "slug",
    "title",
    "opens_at",
    "closes_at",
    "time_zone",
    "min_unit_report",
    "trustees",
    "decrypt_threshold",
    "certify_quorum",
    "units",
    "questions",
];

type Bad = (String, String);

fn bad(field: impl Into<String>, why: impl Into<String>) -> Bad {
    (field.into(), why.into())
}

pub fn check_spec(
    dir: &Path,
    layout: &Layout,
    entries: &[Logged],
    _: &State,
) -> Result<Spec, Failure> {
    let text = read_text(dir, ELECTION, Check::Spec)?;
    let file: Map<String, Value> = parse(&text, ELECTION, Check::Spec)?;
    let spec =
        schema(&file).map_err(|(f, why)| Failure::new(Check::Spec, ELECTION, why).field(f))?;
    if spec.slug != layout.slug {
        return Err(Failure::new(
            Check::Spec,
            ELECTION,
            format!(
                "is the spec of {:?}, but the record is of {:?}",
                spec.slug, layout.slug
            ),
        )
        .field("slug"));
    }
    let logged = logged_spec(entries)?;
    compare(&logged, &file).map_err(|(f, why)| {
        Failure::new(
            Check::Spec,
            ELECTION,
            format!("{why} (compared with the spec logged in election.created and its extensions)"),
        )
        .field(f)
    })?;
    Ok(spec)
}

/// The spec of entry 0 with each extension applied.
fn logged_spec(entries: &[Logged]) -> Result<Map<String, Value>, Failure> {
    let Some(Value::Object(mut spec)) = entries[0].data.get("spec").cloned() else {
        return Err(Failure::new(
            Check::Spec,
            ENTRIES,
            "election.created carries no spec object",
        )
        .entry(0)
        .field("data.spec"));
    };
    schema(&spec).map_err(|(f, why)| {
        Failure::new(Check::Spec, ENTRIES, why)
            .entry(0)
            .field(format!("data.spec.{f}"))
    })?;
    // A draft's corrected spec replaces the created one (issue 11).
    for e in entries
        .iter()
        .filter(|e| e.kind == "election.spec_replaced")
    {
        let Some(Value::Object(replaced)) = e.data.get("spec").cloned() else {
            return Err(Failure::new(Check::Spec, ENTRIES, "carries no spec object")
                .entry(e.index)
                .field("data.spec"));
        };
        spec = replaced;
    }
    for e in entries.iter().filter(|e| e.kind == "window.extended") {
        let fail = |f: &str, why: &str| {
            Failure::new(Check::Spec, ENTRIES, why.to_string())
                .entry(e.index)
                .field(format!("data.{f}"))
        };
        let from = e.data["from"]
            .as_str()
            .and_then(instant)
            .ok_or_else(|| fail("from", "is not an RFC 3339 time"))?;
        let to_text = e.data["to"].as_str().unwrap_or_default();
        let to = instant(to_text).ok_or_else(|| fail("to", "is not an RFC 3339 time"))?;
        let current = spec["closes_at"].as_str().and_then(instant);
        if current != Some(from) {
            return Err(fail(
                "from",
                "is not the closing time before this extension",
            ));
        }
        if to <= from {
            return Err(fail("to", "is not later than from"));
        }
        spec.insert("closes_at".into(), Value::String(to_text.to_string()));
    }
    Ok(spec)
}

/// Equal member by member; times compare as instants.
fn compare(logged: &Map<String, Value>, file: &Map<String, Value>) -> Result<(), Bad> {
    for key in TOP {
        let (a, b) = (&logged[*key], &file[*key]);
        let same = match (
            *key,
            a.as_str().and_then(instant),
            b.as_str().and_then(instant),
        ) {
            ("opens_at" | "closes_at", Some(x), Some(y)) => x == y,
            _ => a == b,
        };
        if !same {
            return Err(bad(*key, format!("is {b}, but the log says {a}")));
        }
    }
    Ok(())
}

fn schema(s: &Map<String, Value>) -> Result<Spec, Bad> {
    exact_members(s, TOP, &[]).map_err(|(f, why)| bad(f, why))?;
    let slug = text(s, "slug")?;
    texts(&s["title"], "title")?;
    for t in ["opens_at", "closes_at"] {
        text(s, t).and_then(|v| instant(&v).ok_or_else(|| bad(t, "is not an RFC 3339 time")))?;
    }
    text(s, "time_zone")?;
    let count = |k: &str| s[k].as_u64().ok_or_else(|| bad(k, "is not a whole number"));
    let (n, k) = (count("trustees")?, count("decrypt_threshold")?);
    let min_unit_report = count("min_unit_report")?;
    let quorum = count("certify_quorum")?;
    if k == 0 || k > n || quorum == 0 || quorum > n {
        return Err(bad(
            "decrypt_threshold",
            "decrypt_threshold and certify_quorum must be from 1 to trustees",
        ));
    }
    let units = list(&s["units"], "units")?
        .iter()
        .enumerate()
        .map(|(i, u)| unit(u, &format!("units[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let questions = list(&s["questions"], "questions")?
        .iter()
        .enumerate()
        .map(|(i, q)| question(q, &format!("questions[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Spec {
        slug,
        trustees: n,
        decrypt_threshold: k,
        certify_quorum: quorum,
        min_unit_report,
        units,
        questions,
        opens_at: text(s, "opens_at")?,
        closes_at: text(s, "closes_at")?,
        time_zone: text(s, "time_zone")?,
    })
}

fn text(s: &Map<String, Value>, k: &str) -> Result<String, Bad> {
    s[k].as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(k, "is not a string"))
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, Bad> {
    v.as_object().ok_or_else(|| bad(at, "is not an object"))
}

fn list<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, Bad> {
    v.as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad(at, "is not a non-empty list"))
}

/// `{ "en": …, "es": … }`.
fn texts(v: &Value, at: &str) -> Result<(), Bad> {
    let o = object(v, at)?;
    exact_members(o, &["en", "es"], &[]).map_err(|(f, why)| bad(format!("{at}.{f}"), why))?;
    for l in ["en", "es"] {
        o[l].as_str()
            .ok_or_else(|| bad(format!("{at}.{l}"), "is not a string"))?;
    }
    Ok(())
}

fn unit(v: &Value, at: &str) -> Result<String, Bad> {
    let o = object(v, at)?;
    exact_members(o, &["code", "name"], &[]).map_err(|(f, why)| bad(format!("{at}.{f}"), why))?;
    o["name"]
        .as_str()
        .ok_or_else(|| bad(format!("{at}.name"), "is not a string"))?;
    o["code"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(format!("{at}.code"), "is not a string"))
}

/// A question: options, a rule (`"majority"` or `{"at_least": "n/d"}`),
/// `allow_blank` and the option it `passes_on`.
fn question(v: &Value, at: &str) -> Result<Question, Bad> {
    let o = object(v, at)?;
    let members = ["id", "text", "options", "rule", "allow_blank", "passes_on"];
    exact_members(o, &members, &[]).map_err(|(f, why)| bad(format!("{at}.{f}"), why))?;
    o["id"]
        .as_str()
        .ok_or_else(|| bad(format!("{at}.id"), "is not a string"))?;
    texts(&o["text"], &format!("{at}.text"))?;
    let mut ids = Vec::new();
    for (i, opt) in list(&o["options"], &format!("{at}.options"))?
        .iter()
        .enumerate()
    {
        let oat = format!("{at}.options[{i}]");
        let op = object(opt, &oat)?;
        exact_members(op, &["id", "en", "es"], &[])
            .map_err(|(f, why)| bad(format!("{oat}.{f}"), why))?;
        for k in ["id", "en", "es"] {
            op[k]
                .as_str()
                .ok_or_else(|| bad(format!("{oat}.{k}"), "is not a string"))?;
        }
        ids.push(op["id"].as_str().unwrap_or_default());
    }
    let rule = match &o["rule"] {
        Value::String(r) if r == "majority" => Some(Rule::Majority),
        Value::Object(r) if r.len() == 1 => r
            .get("at_least")
            .and_then(Value::as_str)
            .and_then(fraction)
            .map(|(n, d)| Rule::AtLeast(n, d)),
        _ => None,
    };
    let rule = rule.ok_or_else(|| {
        bad(
            format!("{at}.rule"),
            "is neither \"majority\" nor {\"at_least\": \"n/d\"}",
        )
    })?;
    let allow_blank = o["allow_blank"]
        .as_bool()
        .ok_or_else(|| bad(format!("{at}.allow_blank"), "is not true or false"))?;
    let passes = o["passes_on"]
        .as_str()
        .ok_or_else(|| bad(format!("{at}.passes_on"), "is not a string"))?;
    if !ids.contains(&passes) {
        return Err(bad(
            format!("{at}.passes_on"),
            "is not one of the question's option ids",
        ));
    }
    Ok(Question {
        id: o["id"].as_str().unwrap_or_default().to_string(),
        options: ids.iter().map(|s| s.to_string()).collect(),
        allow_blank,
        rule,
        passes_on: passes.to_string(),
    })
}

/// `"a/b"`: decimal digits only, 1 ≤ a ≤ b.
fn fraction(s: &str) -> Option<(u64, u64)> {
    let (n, d) = s.split_once('/')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    if !digits(n) || !digits(d) {
        return None;
    }
    match (n.parse::<u64>(), d.parse::<u64>()) {
        (Ok(n), Ok(d)) if n >= 1 && n <= d => Some((n, d)),
        _ => None,
    }
}

/// An RFC 3339 time (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`) as Unix
/// milliseconds.
pub fn instant(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<i64>()
            .ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut ms = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        ms = format!("{:0<3}", &frac[..digits.min(3)])
            .parse::<i64>()
            .ok()?;
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" => 0,
        _ if rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && &rest[3..4] == ":" =>
        {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (num_of(&rest[1..3])? * 60 + num_of(&rest[4..6])?)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + se - offset * 60) * 1000) + ms)
}

fn num_of(s: &str) -> Option<i64> {
    s.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| s.parse().ok())?
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// well-known algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
