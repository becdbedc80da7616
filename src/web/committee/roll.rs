//! Importing the roll through an upload form: all or nothing (S16), every
//! bad row listed with its line and column, or — after a redirect, so a
//! reload does not send the file again — the counts per unit.

use actix_multipart::form::bytes::Bytes as UploadBytes;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use askama::Template;
use serde::Deserialize;

use super::elections::upload_words;
use super::page::{
    fargs, refusal_words, render_status, see_other, staff_with, thousands, Nav, PageError,
    PageResult,
};
use super::upload::{read_upload, size_words};
use crate::account::Permission;
use crate::election::{self, ElectionState, ElectionSummary};
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::roll::{self, parse_roll, RollErrors, HEADER};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

struct CountRow {
    code: String,
    name: String,
    count: String,
    /// Members whose only address is at an employer domain (issue 12),
    /// filled in on the import's result page.
    employer_only: String,
}

struct ProblemRow {
    line: u64,
    field: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "committee/roll.html")]
struct RollPage {
    nav: Nav,
    slug: String,
    title: String,
    state: String,
    /// The roll may be replaced only while the election is a draft.
    editable: bool,
    header: &'static str,
    file_hint: String,
    /// The roll as stored now, per unit.
    current: Vec<CountRow>,
    current_line: String,
    /// A form-level problem (no file, too large, frozen election).
    error: String,
    problems: Vec<ProblemRow>,
    problems_heading: String,
    more_problems: String,
    imported: Option<Imported>,
    /// `mail.employer_domains` is set: the result shows the employer-only
    /// column.
    employer_column: bool,
}

struct Imported {
    heading: String,
    roll_hash: String,
    replaced: bool,
}

fn page(staff: &Staff, lang: Lang, summary: &ElectionSummary, state: &AppState) -> RollPage {
    let nav = Nav::of(
        staff,
        lang,
        &format!("/committee/elections/{}/roll", summary.slug),
    );
    let tr = nav.tr;
    RollPage {
        slug: summary.slug.clone(),
        title: summary.title.clone(),
        state: i18n::state_label(tr, summary.state),
        editable: summary.state == ElectionState::Draft,
        header: HEADER,
        file_hint: tr.t_with(
            "roll-file-hint",
            &fargs!("size" => size_words(state.settings.server.max_upload_bytes)),
        ),
        current: summary
            .units
            .iter()
            .map(|u| CountRow {
                code: u.code.clone(),
                name: u.name.clone(),
                count: thousands(u.eligible),
                employer_only: String::new(),
            })
            .collect(),
        current_line: tr.t_with(
            "roll-current",
            &fargs!("count" => thousands(summary.eligible)),
        ),
        error: String::new(),
        problems: Vec::new(),
        problems_heading: String::new(),
        more_problems: String::new(),
        imported: None,
        employer_column: false,
        nav,
    }
}

async fn summary(state: &AppState, slug: &str) -> Result<ElectionSummary, Error> {
    let now = state.clock.now();
    let slug = slug.to_string();
    state
        .db
        .run(move |conn| election::election_summary(conn, &slug, now))
        .await
}

/// Where the upload's redirect says what was imported: the fingerprint is
/// public (it is in the audit log), so it may sit in the address.
#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
    #[serde(default)]
    hash: String,
    #[serde(default)]
    replaced: bool,
}

/// GET /committee/elections/{slug}/roll
pub async fn form(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let summary = summary(&state, &slug).await?;
    let mut p = page(&staff, lang, &summary, &state);
    if done.done == "imported" && done.hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        p.imported = Some(Imported {
            heading: p.nav.tr.t_with(
                "roll-imported-heading",
                &fargs!("count" => thousands(summary.eligible)),
            ),
            roll_hash: done.hash.clone(),
            replaced: done.replaced,
        });
        employer_counts(&state, &slug, &mut p).await?;
    }
    Ok(render(&p)?)
}

/// Fills in, per unit, the members whose only address is at an employer
/// domain: the delivery page's count (`mail::delivery_report`), so the
/// committee sees them as soon as the roll is in (issue 12).
async fn employer_counts(state: &AppState, slug: &str, p: &mut RollPage) -> Result<(), Error> {
    let domains = state.settings.mail.employer_domains.clone();
    if domains.is_empty() {
        return Ok(());
    }
    let slug = slug.to_string();
    let report = state
        .db
        .run(move |conn| crate::mail::delivery_report(conn, &slug, &domains, false))
        .await?;
    for row in &mut p.current {
        let n = report
            .units
            .iter()
            .find(|u| u.unit == row.code)
            .map_or(0, |u| u.employer_only);
        row.employer_only = thousands(n);
    }
    p.employer_column = true;
    Ok(())
}

#[derive(MultipartForm)]
pub struct RollUpload {
    roll: Option<UploadBytes>,
}

/// POST /committee/elections/{slug}/roll (multipart, field `roll`)
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let tr = lang.tr();
    let before = summary(&state, &slug).await?;
    let refuse = |message: String, status: StatusCode| {
        let mut p = page(&staff, lang, &before, &state);
        p.error = message;
        render_status(&p, status)
    };
    let limit = state.settings.server.max_upload_bytes;
    let form = match read_upload::<RollUpload>(&req, payload, limit).await {
        Ok(form) => form,
        Err(e) => return refuse(upload_words(tr, &e), e.status()),
    };
    let Some(file) = form.roll.filter(|f| !f.data.is_empty()) else {
        return refuse(tr.t("roll-choose-file"), StatusCode::BAD_REQUEST);
    };
    let election = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| election::load_election(conn, &slug))
            .await?
    };
    if election.state(state.clock.now()) != ElectionState::Draft {
        return refuse(tr.t("roll-frozen"), StatusCode::CONFLICT);
    }
    // Parsing a large roll takes a moment: off the async worker.
    let units = election.spec.unit_codes();
    let data = file.data;
    let parsed = web::block(move || parse_roll(&data, &units))
        .await
        .map_err(|e| PageError::App(Error::Internal(format!("roll parser: {e}"))))?;
    let roll = match parsed {
        Ok(roll) => roll,
        Err(RollErrors { errors, more }) => {
            let mut p = page(&staff, lang, &before, &state);
            let total = errors.len() as u64 + more;
            p.problems_heading = tr.t_with("roll-problems-heading", &fargs!("n" => total));
            if more > 0 {
                p.more_problems = tr.t_with("roll-more-problems", &fargs!("n" => more));
            }
            p.problems = errors
                .into_iter()
                .map(|e| ProblemRow {
                    line: e.line,
                    field: e.field,
                    message: e.message.render(tr.lang()),
                })
                .collect();
            return render_status(&p, StatusCode::BAD_REQUEST);
        }
    };
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let slug_db = slug.clone();
    let result = state
        .db
        .run(move |conn| roll::import_roll(conn, &slug_db, &roll, Some(&actor), now, |_| {}))
        .await;
    match result {
        // Post/redirect/get: a reload shows the result, not the upload.
        Ok(imported) => Ok(see_other(&format!(
            "/committee/elections/{slug}/roll?done=imported&hash={}&replaced={}",
            imported.roll_hash, imported.replaced
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            refuse(refusal_words(tr, &e), status)
        }
        Err(e) => Err(e.into()),
    }
}
