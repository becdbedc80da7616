//! Entry timestamps: RFC 3339 UTC with exactly three fractional digits,
//! `YYYY-MM-DDTHH:MM:SS.mmmZ`.
//!
//! One fixed width means byte order is time order and each instant has one
//! spelling, which canonical entries need (RFC 8785 canonicalises JSON, not
//! the strings inside it).

use std::fmt;

/// A UTC instant with millisecond precision, from 1970 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

/// Last millisecond of 9999-12-31.
const MAX_MILLIS: i64 = 253_402_300_799_999;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time {0:?} is not of the form YYYY-MM-DDTHH:MM:SS.mmmZ (UTC, milliseconds)")]
pub struct TimestampError(pub String);

impl Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z; `None` outside 1970..=9999.
    pub fn from_unix_millis(millis: i64) -> Option<Timestamp> {
        (0..=MAX_MILLIS)
            .contains(&millis)
            .then_some(Timestamp { millis })
    }

    pub fn unix_millis(&self) -> i64 {
        self.millis
    }

    /// The current system time, truncated to milliseconds.
    pub fn now() -> Timestamp {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("system clock after 1970");
        Timestamp {
            millis: (d.as_millis() as i64).min(MAX_MILLIS),
        }
    }

    /// Parses exactly the canonical form; anything else (other offsets,
    /// other precision, lower-case `z`, impossible dates) is an error.
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        let err = || TimestampError(s.to_owned());
        let b = s.as_bytes();
        if b.len() != 24 {
            return Err(err());
        }
        for (i, &c) in b.iter().enumerate() {
            let ok = match i {
                4 | 7 => c == b'-',
                10 => c == b'T',
                13 | 16 => c == b':',
                19 => c == b'.',
                23 => c == b'Z',
                _ => c.is_ascii_digit(),
            };
            if !ok {
                return Err(err());
            }
        }
        let num = |a: usize, z: usize| {
            b[a..z]
                .iter()
                .fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'))
        };
        let (y, mo, d) = (num(0, 4), num(5, 7), num(8, 10));
        let (h, mi, sec, ms) = (num(11, 13), num(14, 16), num(17, 19), num(20, 23));
        if y < 1970
            || !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || sec > 59
        {
            return Err(err());
        }
        let days = days_from_civil(y, mo, d);
        let millis = ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms;
        Ok(Timestamp { millis })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.millis.div_euclid(86_400_000);
        let rem = self.millis.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, s, ms) = (
            rem / 3_600_000,
            rem / 60_000 % 60,
            rem / 1000 % 60,
            rem % 1000,
        );
        write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, y ≥ 0).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders_like_bytes() {
        let t = Timestamp::parse("2026-11-22T09:30:00.250Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-22T09:30:00.250Z");
        assert_eq!(t.unix_millis(), 1_795_339_800_250);
        assert_eq!(
            Timestamp::from_unix_millis(0).unwrap().to_string(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::parse("2024-02-29T23:59:59.999Z")
                .unwrap()
                .to_string(),
            "2024-02-29T23:59:59.999Z"
        );
        let max = Timestamp::from_unix_millis(MAX_MILLIS).unwrap();
        assert_eq!(max.to_string(), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn rejects_every_other_spelling() {
        for bad in [
            "2026-11-22T09:30:00Z",
            "2026-11-22T09:30:00.25Z",
            "2026-11-22T09:30:00.250z",
            "2026-11-22t09:30:00.250Z",
            "2026-11-22T09:30:00.250+00:00",
            "2025-02-29T00:00:00.000Z",
            "2026-13-01T00:00:00.000Z",
            "2026-11-22T24:00:00.000Z",
            "2026-11-22T23:60:00.000Z",
            "1969-12-31T23:59:59.999Z",
            "2026-11-22 09:30:00.250Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
