//! The vote window (S10): ballots are accepted from `opens_at` inclusive to
//! `closes_at` exclusive, by the server's clock, in UTC.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WindowRepr", into = "WindowRepr")]
pub struct Window {
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("closes_at ({closes_at}) must be after opens_at ({opens_at})")]
    ClosesBeforeOpens { opens_at: String, closes_at: String },
    #[error("the new closing time ({new}) must be later than the current one ({current}); the window can only be extended")]
    NotLater { current: String, new: String },
    #[error("an extension needs a reason; it is recorded in the audit log")]
    NoReason,
    #[error("the election closed at {closed_at}; a closed window cannot be extended")]
    AlreadyClosed { closed_at: String },
    #[error("`{0}` is not an RFC 3339 timestamp")]
    BadTimestamp(String),
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl Window {
    pub fn new(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Window, WindowError> {
        if closes_at <= opens_at {
            return Err(WindowError::ClosesBeforeOpens {
                opens_at: rfc3339(opens_at),
                closes_at: rfc3339(closes_at),
            });
        }
        Ok(Window {
            opens_at,
            closes_at,
        })
    }

    pub fn opens_at(&self) -> DateTime<Utc> {
        self.opens_at
    }

    pub fn closes_at(&self) -> DateTime<Utc> {
        self.closes_at
    }

    /// S10: a ballot is accepted only if `opens_at ≤ now < closes_at`.
    pub fn accepts(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }

    pub fn has_closed(&self, now: DateTime<Utc>) -> bool {
        now >= self.closes_at
    }

    /// S10: once open, the window can only be extended, with a reason, and
    /// not after it closed (members who were turned away at the close must
    /// not find it reopened). Extending before the opening is allowed: it
    /// changes nothing anyone has relied on yet. The caller records `reason`
    /// in the audit log with the returned window.
    pub fn extend(
        &self,
        new_closes_at: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Window, WindowError> {
        if reason.trim().is_empty() {
            return Err(WindowError::NoReason);
        }
        if self.has_closed(now) {
            return Err(WindowError::AlreadyClosed {
                closed_at: rfc3339(self.closes_at),
            });
        }
        if new_closes_at <= self.closes_at {
            return Err(WindowError::NotLater {
                current: rfc3339(self.closes_at),
                new: rfc3339(new_closes_at),
            });
        }
        Ok(Window {
            opens_at: self.opens_at,
            closes_at: new_closes_at,
        })
    }
}

/// Stored form: RFC 3339 instants in UTC (`chrono`'s serde feature is not
/// enabled in this crate, so the strings are written here).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowRepr {
    opens_at: String,
    closes_at: String,
}

pub(crate) fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, WindowError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| WindowError::BadTimestamp(s.to_owned()))
}

pub(crate) fn format_rfc3339(t: DateTime<Utc>) -> String {
    rfc3339(t)
}

impl TryFrom<WindowRepr> for Window {
    type Error = WindowError;
    fn try_from(r: WindowRepr) -> Result<Window, WindowError> {
        Window::new(parse_rfc3339(&r.opens_at)?, parse_rfc3339(&r.closes_at)?)
    }
}

impl From<Window> for WindowRepr {
    fn from(w: Window) -> WindowRepr {
        WindowRepr {
            opens_at: rfc3339(w.opens_at),
            closes_at: rfc3339(w.closes_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn w() -> Window {
        Window::new(
            Utc.with_ymd_and_hms(2024, 12, 3, 4, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 12, 12, 1, 0, 0).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn accepts_from_open_inclusive_to_close_exclusive() {
        let w = w();
        let ms = Duration::milliseconds(1);
        assert!(!w.accepts(w.opens_at() - ms));
        assert!(w.accepts(w.opens_at()));
        assert!(w.accepts(w.closes_at() - ms));
        assert!(!w.accepts(w.closes_at()), "S10: nothing from closes_at on");
        assert!(!w.accepts(w.closes_at() + ms));
    }

    #[test]
    fn window_must_have_positive_length() {
        let t = Utc.with_ymd_and_hms(2024, 12, 3, 4, 0, 0).unwrap();
        assert!(matches!(
            Window::new(t, t),
            Err(WindowError::ClosesBeforeOpens { .. })
        ));
        assert!(Window::new(t, t - Duration::seconds(1)).is_err());
    }

    #[test]
    fn extend_only_later_with_reason_before_close() {
        let w = w();
        let during = w.opens_at() + Duration::hours(1);
        let later = w.closes_at() + Duration::hours(24);
        let x = w.extend(later, "mail outage on Dec 10", during).unwrap();
        assert_eq!(x.closes_at(), later);
        assert_eq!(x.opens_at(), w.opens_at());

        assert_eq!(
            w.extend(later, "  ", during).unwrap_err(),
            WindowError::NoReason
        );
        assert!(matches!(
            w.extend(w.closes_at(), "r", during),
            Err(WindowError::NotLater { .. })
        ));
        assert!(matches!(
            w.extend(w.closes_at() - Duration::hours(1), "r", during),
            Err(WindowError::NotLater { .. })
        ));
        assert!(matches!(
            w.extend(later, "r", w.closes_at()),
            Err(WindowError::AlreadyClosed { .. })
        ));
        // Before opening is fine.
        assert!(w
            .extend(later, "r", w.opens_at() - Duration::days(1))
            .is_ok());
    }

    #[test]
    fn json_form_is_rfc3339_utc_and_revalidated() {
        let j = serde_json::to_string(&w()).unwrap();
        assert_eq!(
            j,
            r#"{"opens_at":"2024-12-03T04:00:00Z","closes_at":"2024-12-12T01:00:00Z"}"#
        );
        assert_eq!(serde_json::from_str::<Window>(&j).unwrap(), w());
        assert!(serde_json::from_str::<Window>(
            r#"{"opens_at":"2024-12-12T01:00:00Z","closes_at":"2024-12-03T04:00:00Z"}"#
        )
        .is_err());
    }
}
