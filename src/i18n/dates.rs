//! Times, durations and election states in the reader's language. Day and
//! month names come from chrono's locale data (CLDR via
//! pure-rust-locales); word order and plurals from the catalogue.

use std::fmt::Write as _;

use chrono::{DateTime, Locale, Utc};
use chrono_tz::Tz;
use fluent_bundle::FluentArgs;

use super::{Language, Tr};
use crate::election::ElectionState;

fn locale(lang: Language) -> Locale {
    match lang {
        Language::En => Locale::en_US,
        Language::Es => Locale::es_ES,
    }
}

/// An instant in the election's zone: `Wed 11 Dec 2024, 5:00 pm PST`,
/// `miércoles 11 de diciembre de 2024, 17:00 PST`.
pub fn local_time(tr: Tr, zone: Tz, instant: DateTime<Utc>) -> String {
    let pattern = tr.t("date-time-format");
    let local = instant.with_timezone(&zone);
    let mut out = String::new();
    // chrono reports a bad pattern as a fmt error (its `to_string` would
    // panic); the pattern comes from the catalogue, so fall back to RFC 3339
    // rather than fail the page.
    if write!(
        out,
        "{}",
        local.format_localized(&pattern, locale(tr.lang()))
    )
    .is_err()
    {
        tracing::error!(pattern, "date-time-format is not a valid pattern");
        return local.to_rfc3339();
    }
    out
}

fn count(tr: Tr, id: &str, n: i64) -> String {
    let mut args = FluentArgs::new();
    args.set("n", n);
    tr.t_with(id, &args)
}

fn pair(tr: Tr, larger: String, smaller: String) -> String {
    let mut args = FluentArgs::new();
    args.set("larger", larger);
    args.set("smaller", smaller);
    tr.t_with("duration-pair", &args)
}

/// "2 days 3 hours", "2 días y 3 horas", "less than a minute": the two
/// largest units, computed on the server (pages carry no script).
pub fn duration_words(tr: Tr, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let secs = (to - from).num_seconds().max(0);
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let units = [
        ("duration-days", days),
        ("duration-hours", hours),
        ("duration-minutes", minutes),
    ];
    let Some(first) = units.iter().position(|(_, n)| *n > 0) else {
        return tr.t("duration-under-a-minute");
    };
    let (id, n) = units[first];
    let larger = count(tr, id, n);
    match units.get(first + 1) {
        Some(&(id, n)) if n > 0 => pair(tr, larger, count(tr, id, n)),
        _ => larger,
    }
}

/// An election state as a member or observer reads it.
pub fn state_label(tr: Tr, state: ElectionState) -> String {
    tr.t(match state {
        ElectionState::Draft => "state-draft",
        ElectionState::KeyPublished => "state-key-published",
        ElectionState::Open => "state-open",
        ElectionState::Closed => "state-closed",
        ElectionState::Tallied => "state-tallied",
        ElectionState::Certified => "state-certified",
    })
}

/// The countdown line for an election in `state` at `now`.
pub fn countdown(
    tr: Tr,
    state: ElectionState,
    now: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> String {
    let until = |id: &str, at: DateTime<Utc>| {
        let mut args = FluentArgs::new();
        args.set("duration", duration_words(tr, now, at));
        tr.t_with(id, &args)
    };
    match state {
        ElectionState::Draft if now < opens_at => until("countdown-draft", opens_at),
        ElectionState::Draft => tr.t("countdown-draft-late"),
        ElectionState::KeyPublished => until("countdown-opens", opens_at),
        ElectionState::Open => until("countdown-closes", closes_at),
        ElectionState::Closed | ElectionState::Tallied | ElectionState::Certified => {
            tr.t("countdown-closed")
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    const EN: Tr = Tr(Language::En);
    const ES: Tr = Tr(Language::Es);

    fn la() -> Tz {
        "America/Los_Angeles".parse().unwrap()
    }

    #[test]
    fn spanish_dates_read_naturally() {
        let t = Utc.with_ymd_and_hms(2024, 12, 12, 1, 0, 0).unwrap();
        assert_eq!(
            local_time(ES, la(), t),
            "miércoles 11 de diciembre de 2024, 17:00 PST"
        );
        let summer = Utc.with_ymd_and_hms(2025, 8, 4, 16, 30, 0).unwrap();
        assert_eq!(
            local_time(ES, la(), summer),
            "lunes 4 de agosto de 2025, 09:30 PDT"
        );
    }

    #[test]
    fn english_dates_match_the_committee_pages() {
        let t = Utc.with_ymd_and_hms(2024, 12, 12, 1, 0, 0).unwrap();
        assert_eq!(local_time(EN, la(), t), "Wed 11 Dec 2024, 5:00 pm PST");
        assert_eq!(
            local_time(EN, la(), t),
            crate::election::display_local(la(), t)
        );
    }

    #[test]
    fn durations_read_as_two_units_in_both_languages() {
        let t = Utc::now();
        let d = |tr, s| duration_words(tr, t, t + Duration::seconds(s));
        assert_eq!(d(EN, 2 * 86_400 + 3 * 3_600 + 59), "2 days 3 hours");
        assert_eq!(d(ES, 2 * 86_400 + 3 * 3_600 + 59), "2 días y 3 horas");
        assert_eq!(d(EN, 86_400), "1 day");
        assert_eq!(d(ES, 86_400 + 60), "1 día");
        assert_eq!(d(EN, 3_600 + 60), "1 hour 1 minute");
        assert_eq!(d(ES, 3_600 + 60), "1 hora y 1 minuto");
        assert_eq!(d(ES, 5 * 60 + 30), "5 minutos");
        assert_eq!(d(EN, 30), "less than a minute");
        assert_eq!(d(ES, -30), "menos de un minuto");
    }

    #[test]
    fn states_and_countdowns_are_translated() {
        let now = Utc::now();
        let opens = now + Duration::days(2);
        let closes = now + Duration::days(9);
        assert_eq!(state_label(ES, ElectionState::Open), "Abierta para votar");
        assert_eq!(state_label(EN, ElectionState::Open), "Open for voting");
        assert_eq!(
            countdown(ES, ElectionState::KeyPublished, now, opens, closes),
            "abre en 2 días"
        );
        assert_eq!(
            countdown(EN, ElectionState::Open, now, opens, closes),
            "closes in 9 days"
        );
        assert_eq!(
            countdown(ES, ElectionState::Tallied, now, opens, closes),
            "cerrada"
        );
    }
}
