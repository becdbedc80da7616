//! Reading a roll CSV: `member_number,name,email,unit,language`.
//!
//! Built for large rolls (500,000 members well under a second or two in a
//! release build): one reused `ByteRecord`, fields checked in place, hash maps
//! for duplicates, error messages formatted only while under the cap.

use std::collections::{HashMap, HashSet};

use super::member::{Email, MemberName, MemberNumber};
use super::{Roll, RollError, RollErrors, RollRow};
use crate::election::text::{echo, ECHO_CHARS};
use crate::election::{Language, UnitCode};
use crate::i18n::Message;

/// The header the file must start with, in this order.
pub const HEADER: &str = "member_number,name,email,unit,language";
const COLUMNS: [&str; 5] = ["member_number", "name", "email", "unit", "language"];

/// How many problems are listed; beyond this they are only counted.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// Reads and checks a whole roll. All or nothing (S16): the caller gets every
/// member or every problem (up to [`MAX_REPORTED_ERRORS`] listed, the rest
/// counted), each with its 1-based line (the header is line 1) and field.
///
/// Tolerated: a UTF-8 byte order mark, CRLF line ends, whitespace around
/// fields (it is trimmed), quoted fields, `EN`/`Es` for the language, and
/// rows whose fields are all blank (spreadsheets write them; they are
/// skipped). Refused: a different header, a row with other than 5 fields, an
/// empty field, a bad member number, name or email, a unit not in `units`,
/// a language other than en/es, a member number or an email (ignoring case)
/// that appears twice, and a file with no members.
pub fn parse_roll(bytes: &[u8], units: &[UnitCode]) -> Result<Roll, RollErrors> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(refusal) = overlong_header(bytes) {
        return Err(refusal);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter {
        bytes,
        offset: 0,
        line: 1,
    };

    let only = |line: u64, field: &'static str, message: Message| RollErrors {
        errors: vec![RollError {
            line,
            field,
            message,
        }],
        more: 0,
    };
    match reader.read_byte_record(&mut record) {
        Ok(true) => {
            let matches = record.len() == COLUMNS.len()
                && record
                    .iter()
                    .zip(COLUMNS)
                    .all(|(found, want)| found.trim_ascii() == want.as_bytes());
            if !matches {
                let line = lines.at(record.position().map_or(0, |p| p.byte()));
                return Err(only(line, "header", header_mismatch(header_echo(&record))));
            }
        }
        Ok(false) => {
            return Err(only(
                1,
                "header",
                Message::new("roll-file-empty").with("header", HEADER),
            ))
        }
        Err(e) => {
            let unreadable = Message::new("roll-header-unreadable").with("detail", e.to_string());
            return Err(only(csv_line(&e), "header", unreadable));
        }
    }

    let mut checker = Checker::new(units, bytes.len() / 48);
    let mut rows = Vec::with_capacity(bytes.len() / 48);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                checker.push(csv_line(&e), "row", || {
                    Message::new("roll-row-unreadable").with("detail", e.to_string())
                });
                break;
            }
        }
        let line = lines.at(record.position().map_or(0, |p| p.byte()));
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if record.len() != COLUMNS.len() {
            checker.push(line, "row", || {
                Message::new("roll-row-fields")
                    .with("header", HEADER)
                    .with("found", record.len())
            });
            continue;
        }
        if let Some(row) = checker.check_row(line, &record) {
            if !checker.failed() {
                rows.push(row);
            }
        }
    }
    checker.finish(rows)
}

/// Longer than any way of writing [`HEADER`] (quotes and spaces included).
const MAX_HEADER_BYTES: usize = 1024;

/// A first line too long to be the header is refused before the CSV reader
/// copies it: a 100 MB file on one line must cost no more than reading it.
fn overlong_header(bytes: &[u8]) -> Option<RollErrors> {
    let scanned = &bytes[..bytes.len().min(MAX_HEADER_BYTES + 1)];
    let first_line = scanned
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(scanned.len());
    (first_line > MAX_HEADER_BYTES).then(|| RollErrors {
        errors: vec![RollError {
            line: 1,
            field: "header",
            message: header_mismatch(
                echo(&String::from_utf8_lossy(&scanned[..4 * ECHO_CHARS + 4])).to_string(),
            ),
        }],
        more: 0,
    })
}

fn header_mismatch(found: String) -> Message {
    Message::new("roll-header-mismatch")
        .with("header", HEADER)
        .with("found", found)
}

/// The start of a refused header as the error shows it (see [`echo`]),
/// without copying a header that may be the whole file.
fn header_echo(record: &csv::ByteRecord) -> String {
    // Enough bytes for ECHO_CHARS characters of any script.
    let enough = 4 * ECHO_CHARS + 4;
    let mut joined = Vec::with_capacity(enough);
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            joined.push(b',');
        }
        let field = field.trim_ascii();
        joined.extend_from_slice(&field[..field.len().min(enough + 1)]);
        if joined.len() > enough {
            break;
        }
    }
    echo(&String::from_utf8_lossy(&joined)).to_string()
}

fn csv_line(e: &csv::Error) -> u64 {
    e.position().map_or(0, |p| p.line())
}

/// Line numbers as an editor shows them (a line ends with LF, CRLF or a lone
/// CR), found from each record's byte offset. The csv crate's own line count
/// skips blank lines, so it would point the committee at the wrong row.
struct LineCounter<'b> {
    bytes: &'b [u8],
    offset: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line a record starting at `offset` is on; offsets must not
    /// decrease. The csv crate reports the offset before any blank lines it
    /// skipped, so those are stepped over.
    fn at(&mut self, offset: u64) -> u64 {
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        if end > self.offset {
            let seen = &self.bytes[self.offset..end];
            for (i, &b) in seen.iter().enumerate() {
                let next = seen.get(i + 1).or_else(|| self.bytes.get(end)).copied();
                if b == b'\n' || (b == b'\r' && next != Some(b'\n')) {
                    self.line += 1;
                }
            }
            self.offset = end;
        }
        self.line
    }
}

/// The checks shared by [`parse_roll`] and [`Roll::from_rows`].
pub(super) struct Checker<'u> {
    units: &'u [UnitCode],
    unit_set: HashSet<&'u str>,
    numbers: HashMap<MemberNumber, u64>,
    emails: HashMap<String, u64>,
    errors: Vec<RollError>,
    more: u64,
}

impl<'u> Checker<'u> {
    pub(super) fn new(units: &'u [UnitCode], expected_rows: usize) -> Checker<'u> {
        Checker {
            units,
            unit_set: units.iter().map(|u| u.as_str()).collect(),
            numbers: HashMap::with_capacity(expected_rows),
            emails: HashMap::with_capacity(expected_rows),
            errors: Vec::new(),
            more: 0,
        }
    }

    fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    fn push(&mut self, line: u64, field: &'static str, message: impl FnOnce() -> Message) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(RollError {
                line,
                field,
                message: message(),
            });
        } else {
            self.more += 1;
        }
    }

    /// Checks every field of one data row, reporting each bad one.
    fn check_row(&mut self, line: u64, record: &csv::ByteRecord) -> Option<RollRow> {
        let mut fields: [&str; 5] = [""; 5];
        let mut ok = true;
        for (i, name) in COLUMNS.iter().enumerate() {
            match std::str::from_utf8(&record[i]) {
                Ok(s) if s.trim().is_empty() => {
                    self.push(line, name, || {
                        Message::new("roll-field-empty").with("field", *name)
                    });
                    ok = false;
                }
                Ok(s) => fields[i] = s.trim(),
                Err(_) => {
                    self.push(line, name, || Message::new("roll-not-utf8"));
                    ok = false;
                }
            }
        }
        let [number, name, email, unit, language] = fields;
        let number = (!number.is_empty())
            .then(|| self.field(line, "member_number", MemberNumber::parse(number)))
            .flatten();
        let name = (!name.is_empty())
            .then(|| self.field(line, "name", MemberName::parse(name)))
            .flatten();
        let email = (!email.is_empty())
            .then(|| self.field(line, "email", Email::parse(email)))
            .flatten();
        let unit = if unit.is_empty() {
            None
        } else {
            self.check_unit(line, unit)
        };
        let language = if language.is_empty() {
            None
        } else {
            self.field(
                line,
                "language",
                language.parse::<Language>().map_err(|e| e.message()),
            )
        };
        if let Some(n) = &number {
            self.check_number(line, n);
        }
        if let Some(e) = &email {
            self.check_email(line, e);
        }
        match (ok, number, name, email, unit, language) {
            (true, Some(member_number), Some(name), Some(email), Some(unit), Some(language)) => {
                Some(RollRow {
                    member_number,
                    name,
                    email,
                    unit,
                    language,
                })
            }
            _ => None,
        }
    }

    fn field<T, E: Into<Message>>(
        &mut self,
        line: u64,
        field: &'static str,
        value: Result<T, E>,
    ) -> Option<T> {
        match value {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(line, field, || e.into());
                None
            }
        }
    }

    pub(super) fn check_unit(&mut self, line: u64, unit: &str) -> Option<UnitCode> {
        if self.unit_set.contains(unit) {
            if let Ok(code) = UnitCode::parse(unit) {
                return Some(code);
            }
        }
        let units = self.units;
        self.push(line, "unit", || {
            let list: Vec<&str> = units.iter().take(20).map(|u| u.as_str()).collect();
            let more = if units.len() > list.len() {
                ", ..."
            } else {
                ""
            };
            let message = Message::new("roll-unit-unknown")
                .with("value", echo(unit).to_string())
                .with("units", format!("{}{more}", list.join(", ")));
            match units.iter().find(|u| u.as_str().eq_ignore_ascii_case(unit)) {
                Some(u) => Message::new("roll-unit-did-you-mean")
                    .with("problem", message)
                    .with("unit", u.to_string()),
                None => message,
            }
        });
        None
    }

    fn check_number(&mut self, line: u64, number: &MemberNumber) {
        if let Some(&first) = self.numbers.get(number) {
            self.push(line, "member_number", || {
                Message::new("roll-duplicate-number")
                    .with("number", number.to_string())
                    .with("first", first)
            });
        } else {
            self.numbers.insert(number.clone(), line);
        }
    }

    fn check_email(&mut self, line: u64, email: &Email) {
        let key = email.canonical();
        if let Some(&first) = self.emails.get(&key) {
            self.push(line, "email", || {
                Message::new("roll-duplicate-email")
                    .with("email", email.to_string())
                    .with("first", first)
            });
        } else {
            self.emails.insert(key, line);
        }
    }

    pub(super) fn check_unique(&mut self, line: u64, number: &MemberNumber, email: &Email) {
        self.check_number(line, number);
        self.check_email(line, email);
    }

    pub(super) fn finish(mut self, rows: Vec<RollRow>) -> Result<Roll, RollErrors> {
        if self.errors.is_empty() && rows.is_empty() {
            self.push(2, "file", || Message::new("roll-no-members"));
        }
        if self.errors.is_empty() {
            Ok(Roll {
                rows,
                units: self.units.to_vec(),
            })
        } else {
            Err(RollErrors {
                errors: self.errors,
                more: self.more,
            })
        }
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
