//! What the committee does to an election from its page: extend the
//! window, and publish the key — after a confirmation page that says what
//! publishing does, since it cannot be undone.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::election::{election_page, load, Loaded};
use super::page::{
    fargs, refusal_words, render_status, see_other, staff_with, zone_words, Nav, PageResult,
};
use crate::account::Permission;
use crate::ceremony;
use crate::election::{self, ExtendError, LocalTime, TimeError, WindowError};
use crate::i18n::{self, Lang, Tr};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    reason: String,
}

/// A written time the extend form could not read, in the form's words.
fn time_problem(tr: Tr, e: &TimeError, zone: &str) -> String {
    match e {
        TimeError::Skipped { .. } => {
            tr.t_with("extend-skipped", &fargs!("zone" => zone.to_string()))
        }
        TimeError::Twice { .. } => tr.t_with("extend-twice", &fargs!("zone" => zone.to_string())),
        TimeError::OutOfRange { .. } => tr.t("extend-out-of-range"),
        TimeError::NotATime { .. } | TimeError::NeedsOffset { .. } => tr.t("extend-bad-time"),
    }
}

/// A refusal of the extend form, in the words of the form's labels (no
/// field codes, no timestamps in RFC 3339: times in the election's zone).
fn window_problem(tr: Tr, w: &WindowError, l: &Loaded) -> (String, StatusCode) {
    let e = &l.election;
    let local = |t: DateTime<Utc>| i18n::local_time(tr, e.spec.time_zone(), t);
    let text = match w {
        WindowError::NotLater { .. } => tr.t_with(
            "extend-not-later",
            &fargs!("time" => local(e.spec.closes_at())),
        ),
        WindowError::TooFarExtended {
            latest, max_days, ..
        } => {
            // The domain gives the latest close as RFC 3339; say it locally.
            let latest = DateTime::parse_from_rfc3339(latest)
                .map(|t| local(t.with_timezone(&Utc)))
                .unwrap_or_else(|_| latest.clone());
            tr.t_with(
                "extend-too-far",
                &fargs!("n" => *max_days, "time" => latest),
            )
        }
        WindowError::NoReason => tr.t("extend-no-reason"),
        WindowError::BadReason(why) => {
            let why = why.message().render(tr.lang());
            tr.t_with("extend-bad-reason", &fargs!("message" => why))
        }
        WindowError::AlreadyClosed { .. } => tr.t("extend-closed"),
        WindowError::OutOfRange(_) => tr.t("extend-out-of-range"),
        WindowError::BadTimestamp(_)
        | WindowError::ClosesBeforeOpens { .. }
        | WindowError::TooLong { .. } => tr.t("extend-bad-time"),
    };
    let status = if w.is_conflict() {
        StatusCode::CONFLICT
    } else {
        StatusCode::BAD_REQUEST
    };
    (text, status)
}

/// POST /committee/elections/{slug}/extend
pub async fn extend(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    form: web::Form<ExtendForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let form = form.into_inner();
    let loaded = load(&state, slug.clone()).await?;
    let now = state.clock.now();
    let tr = lang.tr();
    let refuse = |loaded: &Loaded, message: String, status: StatusCode| {
        let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}"));
        let mut page = election_page(loaded, nav, now, String::new());
        page.errors = vec![message];
        page.extend_value = form.closes_at.clone();
        page.extend_reason = form.reason.clone();
        render_status(&page, status)
    };
    // The same reading of a written time as the spec and the CLI
    // (election::LocalTime): a time the clocks skip or pass twice is
    // refused rather than guessed.
    let zone = loaded.election.spec.time_zone();
    let new_closes_at = match LocalTime::instant(&form.closes_at, zone) {
        Ok(t) => t,
        Err(e) => {
            let message = time_problem(tr, &e, &zone_words(tr, zone));
            return refuse(&loaded, message, StatusCode::BAD_REQUEST);
        }
    };
    let actor = staff.account.email.clone();
    let reason = form.reason.clone();
    let slug_db = slug.clone();
    let limits = state.settings.election.limits();
    // The window's refusals come back typed, to be shown with the form;
    // anything else is an application error.
    let result = state
        .db
        .run(move |conn| {
            let extended = election::extend_window(
                conn,
                &slug_db,
                new_closes_at,
                &reason,
                &limits,
                Some(&actor),
                now,
            );
            match extended {
                Ok(_) => Ok(None),
                Err(ExtendError::Window(w)) => Ok(Some(w)),
                Err(ExtendError::Other(e)) => Err(e),
            }
        })
        .await;
    match result {
        Ok(None) => Ok(see_other(&format!(
            "/committee/elections/{slug}?done=extended"
        ))),
        Ok(Some(w)) => {
            let (message, status) = window_problem(tr, &w, &loaded);
            refuse(&loaded, message, status)
        }
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            refuse(&loaded, refusal_words(tr, &e), status)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "committee/confirm_publish.html")]
struct ConfirmPublish {
    nav: Nav,
    slug: String,
    title: String,
    opens: String,
}

/// GET /committee/elections/{slug}/publish-key: what publishing does, and
/// the button that does it (issue 11: an irreversible step asks first).
pub async fn confirm_publish(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let here = format!("/committee/elections/{slug}/publish-key");
    let nav = Nav::of(&staff, lang, &here);
    let loaded = load(&state, slug.clone()).await?;
    let now = state.clock.now();
    if !loaded.ready_to_publish(now) {
        // Not (or no longer) ready: the election's page says why.
        return Ok(see_other(&format!("/committee/elections/{slug}")));
    }
    let e = &loaded.election;
    let tr = nav.tr;
    let opens = i18n::local_time(tr, e.spec.time_zone(), e.spec.opens_at());
    let page = ConfirmPublish {
        title: e.spec.title().get(tr.lang()).to_string(),
        opens: tr.t_with("publish-opens", &fargs!("opens" => opens)),
        slug,
        nav,
    };
    Ok(render(&page)?)
}

/// POST /committee/elections/{slug}/publish-key
pub async fn publish(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let slug_db = slug.clone();
    let max = state.settings.election.max_trustee_slots_per_account;
    let result = state
        .db
        .run(move |conn| ceremony::publish_key(conn, &slug_db, Some(&actor), now, max))
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}?done=published"
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let loaded = load(&state, slug.clone()).await?;
            let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}"));
            let mut page = election_page(&loaded, nav, now, String::new());
            page.errors = vec![refusal_words(lang.tr(), &e)];
            render_status(&page, status)
        }
        Err(e) => Err(e.into()),
    }
}
