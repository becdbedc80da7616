//! The vote window (S10): ballots are accepted from `opens_at` inclusive to
//! `closes_at` exclusive, by the server's clock, in UTC.
//!
//! A window is bounded (docs/committee-guide.md, "The spec"): at most
//! [`WindowLimits::max_length`] long when the election is created, and its
//! extensions together move the close at most
//! [`WindowLimits::max_extension`] past the close it was created with. An
//! extension cannot be undone, so without the bound one mistyped year would
//! leave an election open for ever and never talliable.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::text::{self, TextError, TextRule};
use super::time::{representable, LocalTime};
use crate::i18n::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WindowRepr", into = "WindowRepr")]
pub struct Window {
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
}

/// The configured bounds (`[election]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowLimits {
    /// The longest window a new election may have.
    pub max_length: Duration,
    /// How far, in total, extensions may move the close past the close the
    /// election was created with.
    pub max_extension: Duration,
}

impl Default for WindowLimits {
    /// The defaults of `config/default.toml`: 60 days each.
    fn default() -> WindowLimits {
        WindowLimits {
            max_length: Duration::days(60),
            max_extension: Duration::days(60),
        }
    }
}

impl WindowLimits {
    /// The latest close extensions may reach, given the close the election
    /// was created with.
    pub fn latest_close(&self, created_closes_at: DateTime<Utc>) -> DateTime<Utc> {
        created_closes_at
            .checked_add_signed(self.max_extension)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowError {
    ClosesBeforeOpens {
        opens_at: String,
        closes_at: String,
    },
    TooLong {
        opens_at: String,
        closes_at: String,
        max_days: i64,
    },
    NotLater {
        current: String,
        new: String,
    },
    TooFarExtended {
        new: String,
        created: String,
        latest: String,
        max_days: i64,
    },
    NoReason,
    BadReason(TextError),
    AlreadyClosed {
        closed_at: String,
    },
    BadTimestamp(String),
    OutOfRange(String),
}

impl WindowError {
    /// The refusal for a person, in any language (issue 9).
    pub fn message(&self) -> Message {
        match self {
            WindowError::ClosesBeforeOpens {
                opens_at,
                closes_at,
            } => Message::new("window-closes-before-opens")
                .with("opens", opens_at.as_str())
                .with("closes", closes_at.as_str()),
            WindowError::TooLong {
                opens_at,
                closes_at,
                max_days,
            } => Message::new("window-too-long")
                .with("opens", opens_at.as_str())
                .with("closes", closes_at.as_str())
                .with("max", *max_days),
            WindowError::NotLater { current, new } => Message::new("window-not-later")
                .with("current", current.as_str())
                .with("new", new.as_str()),
            WindowError::TooFarExtended {
                new,
                created,
                latest,
                max_days,
            } => Message::new("window-too-far")
                .with("new", new.as_str())
                .with("created", created.as_str())
                .with("latest", latest.as_str())
                .with("max", *max_days),
            WindowError::NoReason => Message::new("window-no-reason"),
            WindowError::BadReason(e) => {
                Message::new("window-bad-reason").with("problem", e.message())
            }
            WindowError::AlreadyClosed { closed_at } => {
                Message::new("window-already-closed").with("closed", closed_at.as_str())
            }
            WindowError::BadTimestamp(v) => {
                Message::new("window-bad-timestamp").with("value", v.as_str())
            }
            WindowError::OutOfRange(v) => {
                Message::new("window-out-of-range").with("value", v.as_str())
            }
        }
    }
}

impl std::fmt::Display for WindowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for WindowError {}

impl WindowError {
    /// The field of the request that is wrong: `reason` or `closes_at`.
    pub fn field(&self) -> &'static str {
        match self {
            WindowError::NoReason | WindowError::BadReason(_) => "reason",
            _ => "closes_at",
        }
    }

    /// True when the request is well-formed but the election's state
    /// refuses it (an earlier close, a closed window): a conflict, not bad
    /// input.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            WindowError::NotLater { .. } | WindowError::AlreadyClosed { .. }
        )
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl Window {
    /// A window from `opens_at` to `closes_at`, both instants RFC 3339 can
    /// write (years 0001–9999 in UTC), so a stored window always reads back.
    pub fn new(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Window, WindowError> {
        for t in [opens_at, closes_at] {
            if !representable(t) {
                return Err(WindowError::OutOfRange(format!("{t:?}")));
            }
        }
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

    /// The bound on a new election's window (see the module doc).
    pub fn check_length(&self, limits: &WindowLimits) -> Result<(), WindowError> {
        if self.closes_at - self.opens_at > limits.max_length {
            return Err(WindowError::TooLong {
                opens_at: rfc3339(self.opens_at),
                closes_at: rfc3339(self.closes_at),
                max_days: limits.max_length.num_days(),
            });
        }
        Ok(())
    }

    /// S10: once open, the window can only be extended, with a reason, and
    /// not after it closed (members who were turned away at the close must
    /// not find it reopened). Extending before the opening is allowed: it
    /// changes nothing anyone has relied on yet. Extensions together stay
    /// within `limits.max_extension` of `created_closes_at`, the close the
    /// election was created with. The caller records `reason` in the audit
    /// log with the returned window.
    pub fn extend(
        &self,
        new_closes_at: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
        created_closes_at: DateTime<Utc>,
        limits: &WindowLimits,
    ) -> Result<Window, WindowError> {
        match text::check(reason, TextRule::REASON) {
            Ok(()) => {}
            Err(TextError::Empty) => return Err(WindowError::NoReason),
            Err(e) => return Err(WindowError::BadReason(e)),
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
        let latest = limits.latest_close(created_closes_at);
        if new_closes_at > latest {
            return Err(WindowError::TooFarExtended {
                new: rfc3339(new_closes_at),
                created: rfc3339(created_closes_at),
                latest: rfc3339(latest),
                max_days: limits.max_extension.num_days(),
            });
        }
        Window::new(self.opens_at, new_closes_at)
    }
}

/// Stored form: RFC 3339 instants in UTC, written by [`rfc3339`] and read
/// by [`LocalTime::parse_with_offset`], so the stored text is the one
/// documented form whatever chrono's serde would choose.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowRepr {
    opens_at: String,
    closes_at: String,
}

pub(crate) fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, WindowError> {
    LocalTime::parse_with_offset(s)
        .map_err(|_| WindowError::BadTimestamp(text::echo(s).to_string()))
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

    /// Extends `w` as created, with the default limits.
    fn extend(
        w: &Window,
        to: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Window, WindowError> {
        w.extend(to, reason, now, w.closes_at(), &WindowLimits::default())
    }

    #[test]
    fn extend_only_later_with_reason_before_close() {
        let w = w();
        let during = w.opens_at() + Duration::hours(1);
        let later = w.closes_at() + Duration::hours(24);
        let x = extend(&w, later, "mail outage on Dec 10", during).unwrap();
        assert_eq!(x.closes_at(), later);
        assert_eq!(x.opens_at(), w.opens_at());

        assert_eq!(
            extend(&w, later, "  ", during).unwrap_err(),
            WindowError::NoReason
        );
        assert!(matches!(
            extend(&w, w.closes_at(), "r", during),
            Err(WindowError::NotLater { .. })
        ));
        assert!(matches!(
            extend(&w, w.closes_at() - Duration::hours(1), "r", during),
            Err(WindowError::NotLater { .. })
        ));
        assert!(matches!(
            extend(&w, later, "r", w.closes_at()),
            Err(WindowError::AlreadyClosed { .. })
        ));
        // Before opening is fine.
        assert!(extend(&w, later, "r", w.opens_at() - Duration::days(1)).is_ok());
    }

    #[test]
    fn the_reason_is_free_text_on_one_line() {
        let w = w();
        let during = w.opens_at() + Duration::hours(1);
        let later = w.closes_at() + Duration::hours(24);
        for bad in [
            "storm\0",
            "storm\nflood",
            "storm \u{202E}doolf",
            &"r".repeat(501),
        ] {
            let err = extend(&w, later, bad, during).unwrap_err();
            assert!(matches!(err, WindowError::BadReason(_)), "{err}");
            assert_eq!(err.field(), "reason");
        }
    }

    #[test]
    fn a_new_window_is_at_most_the_configured_length() {
        let limits = WindowLimits {
            max_length: Duration::days(10),
            max_extension: Duration::days(5),
        };
        let opens = Utc.with_ymd_and_hms(2024, 12, 1, 0, 0, 0).unwrap();
        let ok = Window::new(opens, opens + Duration::days(10)).unwrap();
        assert_eq!(ok.check_length(&limits), Ok(()));
        let long = Window::new(opens, opens + Duration::days(10) + Duration::seconds(1)).unwrap();
        let err = long.check_length(&limits).unwrap_err();
        assert!(err.to_string().contains("10 days"), "{err}");
        assert_eq!(err.field(), "closes_at");
    }

    #[test]
    fn extensions_stay_within_the_configured_total() {
        let limits = WindowLimits {
            max_length: Duration::days(60),
            max_extension: Duration::days(5),
        };
        let w = w();
        let created = w.closes_at();
        let during = w.opens_at() + Duration::hours(1);
        // Two extensions of three days each: the second passes the total.
        let first = w
            .extend(
                created + Duration::days(3),
                "outage",
                during,
                created,
                &limits,
            )
            .unwrap();
        let err = first
            .extend(
                created + Duration::days(6),
                "outage",
                during,
                created,
                &limits,
            )
            .unwrap_err();
        assert!(matches!(err, WindowError::TooFarExtended { .. }), "{err}");
        assert!(!err.is_conflict());
        assert!(first
            .extend(
                created + Duration::days(5),
                "outage",
                during,
                created,
                &limits
            )
            .is_ok());
        // The year 9999 typo.
        let far = Utc.with_ymd_and_hms(9999, 12, 31, 0, 0, 0).unwrap();
        assert!(matches!(
            w.extend(far, "typo", during, created, &limits),
            Err(WindowError::TooFarExtended { .. })
        ));
    }

    #[test]
    fn instants_rfc3339_cannot_write_are_refused() {
        let opens = Utc.with_ymd_and_hms(2024, 12, 1, 0, 0, 0).unwrap();
        let year_10000 = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
        assert!(matches!(
            Window::new(opens, year_10000),
            Err(WindowError::OutOfRange(_))
        ));
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
