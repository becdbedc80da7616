//! The committee's ballot delivery page (issue 12): counts per unit —
//! queued, sent, deferred, undeliverable, printed, employer-only — for
//! every role that reads the roll (auditors observe delivery, S12, and see
//! no address), the undeliverable list with the relay's reply for roles
//! that read contacts, and for the committee the buttons that send the
//! ballots or reminders (the same use case as `ratify ballots send`).

use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::page::{refusal_words, render_status, see_other, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::credential::{self, SendOptions};
use crate::i18n::Lang;
use crate::mail::{delivery_report, DeliveryReport};
use crate::web::auth::{AuthError, Staff};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "committee/ballots.html")]
struct BallotsPage {
    nav: Nav,
    slug: String,
    report: DeliveryReport,
    done: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    slug: String,
) -> Result<BallotsPage, crate::error::Error> {
    let here = format!("/committee/elections/{slug}/ballots");
    let nav = Nav::of(staff, lang, &here);
    let with_addresses = staff.may(Permission::ReadContacts);
    let domains = state.settings.mail.employer_domains.clone();
    let report = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| delivery_report(conn, &slug, &domains, with_addresses))
            .await?
    };
    Ok(BallotsPage {
        nav,
        slug,
        report,
        done: None,
        errors: Vec::new(),
    })
}

/// GET /committee/elections/{slug}/ballots
pub async fn show(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    query: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadRoll)?;
    let mut p = page(&state, &staff, lang, slug.into_inner()).await?;
    p.done = match query.into_inner().done.as_deref() {
        Some("sent") => Some(p.nav.t("ballots-done-sent")),
        Some("reminded") => Some(p.nav.t("ballots-done-reminded")),
        _ => None,
    };
    render_status(&p, actix_web::http::StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    reminder: Option<String>,
    #[serde(default)]
    employer_reason: Option<String>,
}

/// POST /committee/elections/{slug}/ballots/send
pub async fn send(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    form: web::Form<SendForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let form = form.into_inner();
    let reminder = form.reminder.is_some();
    let reason = form.employer_reason.filter(|r| !r.trim().is_empty());
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let (keys, settings) = (state.keys.clone(), state.settings.clone());
    let result = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| {
                let options = SendOptions {
                    reminder,
                    employer_domains: &settings.mail.employer_domains,
                    employer_decision: reason.as_deref(),
                };
                credential::queue_ballots(
                    conn,
                    &slug,
                    keys.token_hmac(),
                    &options,
                    Some(&actor),
                    now,
                )
            })
            .await
    };
    match result {
        Ok(_) => {
            let done = if reminder { "reminded" } else { "sent" };
            Ok(see_other(&format!(
                "/committee/elections/{slug}/ballots?done={done}"
            )))
        }
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let mut p = page(&state, &staff, lang, slug).await?;
            p.errors = vec![refusal_words(lang.tr(), &e)];
            render_status(&p, status)
        }
        Err(e) => Err(e.into()),
    }
}
