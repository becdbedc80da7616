//! A time as the committee writes it, turned into the UTC instant the
//! server stores (S10: "stored in UTC, shown in the election's time zone").
//!
//! One rule for every surface — the spec's `opens_at`/`closes_at`, the
//! committee page's extend form, `ratify election extend --closes-at` and
//! the JSON API:
//!
//! - A **local time** (`2024-12-11T17:00`, seconds and fractions optional,
//!   `T` or a space between date and time) is read in the election's zone
//!   with that zone's rules for that date.
//!   - A local time the clocks skip (spring forward) does not exist: it is
//!     refused, and no nearby time is guessed.
//!   - A local time the clocks pass twice (fall back) is ambiguous: it is
//!     refused, and the message offers both instants with their offsets,
//!     ready to copy.
//! - A time **with an offset** (RFC 3339: `2024-12-11T17:00:00-08:00`, or
//!   `Z`) is exactly that instant, whatever the election's zone.
//! - Either way the instant must lie in the years 0001–9999 in UTC, the
//!   range RFC 3339 can write: `9999-12-31T23:59:59-23:59` is year 10000 in
//!   UTC and is refused as bad input, not stored and failed on later.
//!
//! The API takes only the second form ([`LocalTime::parse_with_offset`]):
//! a script should not depend on the election's zone.

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::text::echo;
use crate::i18n::Message;

/// The local formats accepted, tried in order.
const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// A written time, before the election's zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTime {
    /// A wall-clock time in the election's zone.
    Local(NaiveDateTime),
    /// An instant with its offset.
    Offset(DateTime<FixedOffset>),
}

/// Why a written time was refused. The caller names the field; `value` is
/// the text as written, capped for echoing (see [`super::text::echo`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    NotATime {
        value: String,
    },
    NeedsOffset {
        value: String,
    },
    Skipped {
        value: String,
        zone: String,
    },
    Twice {
        value: String,
        zone: String,
        earlier: String,
        later: String,
    },
    OutOfRange {
        value: String,
    },
}

impl TimeError {
    /// The refusal for a person, in any language (issue 9).
    pub fn message(&self) -> Message {
        match self {
            TimeError::NotATime { value } => {
                Message::new("time-not-a-time").with("value", value.as_str())
            }
            TimeError::NeedsOffset { value } => {
                Message::new("time-needs-offset").with("value", value.as_str())
            }
            TimeError::Skipped { value, zone } => Message::new("time-skipped")
                .with("value", value.as_str())
                .with("zone", zone.as_str()),
            TimeError::Twice {
                value,
                zone,
                earlier,
                later,
            } => Message::new("time-twice")
                .with("value", value.as_str())
                .with("zone", zone.as_str())
                .with("earlier", earlier.as_str())
                .with("later", later.as_str()),
            TimeError::OutOfRange { value } => {
                Message::new("time-out-of-range").with("value", value.as_str())
            }
        }
    }
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for TimeError {}

impl LocalTime {
    /// Reads either form; see the module documentation.
    pub fn parse(text: &str) -> Result<LocalTime, TimeError> {
        let s = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(LocalTime::Offset(t));
        }
        LOCAL_FORMATS
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(LocalTime::Local)
            .ok_or_else(|| TimeError::NotATime {
                value: echo(text).to_string(),
            })
    }

    /// The instant this time names in `zone`, by the rules above.
    pub fn in_zone(self, zone: Tz, text: &str) -> Result<DateTime<Utc>, TimeError> {
        let value = || echo(text).to_string();
        let instant = match self {
            LocalTime::Offset(t) => t.with_timezone(&Utc),
            LocalTime::Local(naive) => match zone.from_local_datetime(&naive) {
                LocalResult::Single(t) => t.with_timezone(&Utc),
                LocalResult::Ambiguous(a, b) => {
                    return Err(TimeError::Twice {
                        value: value(),
                        zone: zone.name().to_owned(),
                        earlier: a.fixed_offset().to_rfc3339(),
                        later: b.fixed_offset().to_rfc3339(),
                    })
                }
                LocalResult::None => {
                    return Err(TimeError::Skipped {
                        value: value(),
                        zone: zone.name().to_owned(),
                    })
                }
            },
        };
        if representable(instant) {
            Ok(instant)
        } else {
            Err(TimeError::OutOfRange { value: value() })
        }
    }

    /// [`LocalTime::parse`] then [`LocalTime::in_zone`].
    pub fn instant(text: &str, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
        LocalTime::parse(text)?.in_zone(zone, text)
    }

    /// An RFC 3339 time with an offset, as the JSON API and the stored spec
    /// write it; a local time is refused here.
    pub fn parse_with_offset(text: &str) -> Result<DateTime<Utc>, TimeError> {
        match LocalTime::parse(text) {
            Ok(t @ LocalTime::Offset(_)) => t.in_zone(Tz::UTC, text),
            _ => Err(TimeError::NeedsOffset {
                value: echo(text).to_string(),
            }),
        }
    }
}

/// Whether RFC 3339 can write `t` in UTC (years 0001–9999). Every instant
/// ratify stores is, so what it stores it can always read back.
pub fn representable(t: DateTime<Utc>) -> bool {
    (1..=9999).contains(&t.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const LA: Tz = chrono_tz::America::Los_Angeles;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn local_forms_are_read_in_the_zone() {
        let want = utc(2024, 12, 12, 1, 0);
        for text in [
            "2024-12-11T17:00",
            "2024-12-11T17:00:00",
            "2024-12-11 17:00",
            "2024-12-11 17:00:00.000",
            " 2024-12-11T17:00 ",
        ] {
            assert_eq!(LocalTime::instant(text, LA), Ok(want), "{text}");
        }
    }

    #[test]
    fn an_offset_is_that_instant_in_any_zone() {
        let want = utc(2024, 12, 12, 1, 0);
        for zone in [LA, chrono_tz::Europe::Madrid] {
            assert_eq!(
                LocalTime::instant("2024-12-11T17:00:00-08:00", zone),
                Ok(want)
            );
            assert_eq!(LocalTime::instant("2024-12-12T01:00:00Z", zone), Ok(want));
        }
    }

    #[test]
    fn a_skipped_time_is_refused() {
        // 2024-03-10 02:30 does not happen in Los Angeles.
        let err = LocalTime::instant("2024-03-10T02:30", LA).unwrap_err();
        assert!(matches!(err, TimeError::Skipped { .. }), "{err}");
        assert!(err.to_string().contains("America/Los_Angeles"), "{err}");
    }

    #[test]
    fn a_time_that_happens_twice_offers_both_offsets() {
        let err = LocalTime::instant("2024-11-03T01:30", LA).unwrap_err();
        let TimeError::Twice {
            ref earlier,
            ref later,
            ..
        } = err
        else {
            panic!("{err}");
        };
        assert_eq!(earlier, "2024-11-03T01:30:00-07:00");
        assert_eq!(later, "2024-11-03T01:30:00-08:00");
        // Each suggestion is accepted as written.
        assert_eq!(
            LocalTime::instant(earlier, LA).unwrap(),
            utc(2024, 11, 3, 8, 30)
        );
        assert_eq!(
            LocalTime::instant(later, LA).unwrap(),
            utc(2024, 11, 3, 9, 30)
        );
    }

    #[test]
    fn past_year_9999_in_utc_is_refused() {
        for text in [
            "9999-12-31T23:59:59-23:59",
            "9999-12-31T23:00",
            "0001-01-01T00:00:00+01:00",
        ] {
            let err = LocalTime::instant(text, LA).unwrap_err();
            assert!(matches!(err, TimeError::OutOfRange { .. }), "{text}: {err}");
        }
        assert!(LocalTime::instant("9999-12-31T15:00", LA).is_ok());
        assert!(matches!(
            LocalTime::parse_with_offset("9999-12-31T23:59:59-23:59"),
            Err(TimeError::OutOfRange { .. })
        ));
    }

    #[test]
    fn the_api_form_needs_an_offset() {
        assert_eq!(
            LocalTime::parse_with_offset("2024-12-11T17:00:00-08:00"),
            Ok(utc(2024, 12, 12, 1, 0))
        );
        for bad in ["2024-12-11T17:00", "next tuesday", ""] {
            assert!(
                matches!(
                    LocalTime::parse_with_offset(bad),
                    Err(TimeError::NeedsOffset { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_huge_value_is_not_echoed_whole() {
        let text = "9".repeat(1_000_000);
        let message = LocalTime::instant(&text, LA).unwrap_err().to_string();
        assert!(message.len() < 400, "{}", message.len());
    }
}
