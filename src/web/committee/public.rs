//! GET /elections/{slug}: the public page of an election, no sign-in. It
//! shows what observers need to follow along — the title in both languages,
//! the window in local time, the state — and the audit log's verifier key
//! and endpoints, so anyone can pin the key and watch the log grow (S13).

use actix_web::web;
use askama::Template;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use super::page::{countdown, state_label, PageResult};
use crate::actions;
use crate::audit;
use crate::election::ElectionState;
use crate::web::{render, AppState};

#[derive(Template)]
#[template(path = "committee/public_election.html")]
struct PublicPage {
    slug: String,
    title_en: String,
    title_es: String,
    state_en: &'static str,
    state_es: &'static str,
    countdown: String,
    opens_en: String,
    closes_en: String,
    opens_es: String,
    closes_es: String,
    time_zone: String,
    vkey: String,
    key_name: String,
    key_id: String,
}

fn state_es(state: ElectionState) -> &'static str {
    match state {
        ElectionState::Draft => "En preparación",
        ElectionState::KeyPublished => "Clave publicada, a la espera de abrir",
        ElectionState::Open => "Abierta para votar",
        ElectionState::Closed => "Cerrada",
        ElectionState::Tallied => "Escrutada",
        ElectionState::Certified => "Certificada",
    }
}

/// `miércoles 11 de diciembre de 2024, 17:00 PST`.
fn display_local_es(zone: Tz, instant: DateTime<Utc>) -> String {
    const DAYS: [&str; 7] = [
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
    ];
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let t = instant.with_timezone(&zone);
    format!(
        "{} {} de {} de {}, {:02}:{:02} {}",
        DAYS[t.weekday().num_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month0() as usize],
        t.year(),
        t.hour(),
        t.minute(),
        t.format("%Z")
    )
}

pub async fn election(state: web::Data<AppState>, slug: web::Path<String>) -> PageResult {
    let slug = slug.into_inner();
    let now = state.clock.now();
    let e = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| actions::load_election(conn, &slug))
            .await?
    };
    let signer = audit::signer(&state.keys, &state.settings.audit)?;
    let vkey = audit::vkey(&signer);
    // C2SP vkey: <name>+<key id (8 hex digits)>+<base64 key>. The name
    // cannot hold a '+'; the base64 key can.
    let mut parts = vkey.splitn(3, '+');
    let key_name = parts.next().unwrap_or_default().to_string();
    let key_id = parts.next().unwrap_or_default().to_string();
    let current = e.state(now);
    let w = e.spec.window();
    let zone = e.spec.time_zone();
    Ok(render(&PublicPage {
        title_en: e.spec.title().en().to_string(),
        title_es: e.spec.title().es().to_string(),
        state_en: state_label(current),
        state_es: state_es(current),
        countdown: countdown(current, now, w.opens_at(), w.closes_at()),
        opens_en: e.spec.display_local(w.opens_at()),
        closes_en: e.spec.display_local(w.closes_at()),
        opens_es: display_local_es(zone, w.opens_at()),
        closes_es: display_local_es(zone, w.closes_at()),
        time_zone: zone.name().to_string(),
        vkey,
        key_name,
        key_id,
        slug,
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn spanish_dates_read_naturally() {
        let t = Utc.with_ymd_and_hms(2024, 12, 12, 1, 0, 0).unwrap();
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            display_local_es(zone, t),
            "miércoles 11 de diciembre de 2024, 17:00 PST"
        );
    }
}
