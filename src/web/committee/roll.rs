//! Importing the roll through an upload form: all or nothing (S16), every
//! bad row listed with its line and field, or the counts per unit.

use actix_multipart::form::bytes::Bytes as UploadBytes;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use askama::Template;

use super::page::{render_status, staff_with, state_label, thousands, Nav, PageError, PageResult};
use super::upload::{read_upload, size_words};
use crate::account::Permission;
use crate::election::{self, ElectionState, ElectionSummary};
use crate::error::Error;
use crate::roll::{self, parse_roll, RollErrors, RollImported, HEADER};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

struct CountRow {
    code: String,
    name: String,
    count: String,
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
    state: &'static str,
    /// The roll may be replaced only while the election is a draft.
    editable: bool,
    header: &'static str,
    max_upload: String,
    /// The roll as stored now, per unit.
    current: Vec<CountRow>,
    current_total: String,
    /// A form-level problem (no file, too large, frozen election).
    error: String,
    problems: Vec<ProblemRow>,
    more_problems: u64,
    total_problems: u64,
    imported: Option<Imported>,
}

struct Imported {
    members: String,
    per_unit: Vec<CountRow>,
    roll_hash: String,
    replaced: bool,
}

fn page(staff: &Staff, summary: &ElectionSummary, state: &AppState) -> RollPage {
    let current_state = summary.state;
    RollPage {
        nav: Nav::of(staff),
        slug: summary.slug.clone(),
        title: summary.title.clone(),
        state: state_label(current_state),
        editable: current_state == ElectionState::Draft,
        header: HEADER,
        max_upload: size_words(state.settings.server.max_upload_bytes),
        current: summary
            .units
            .iter()
            .map(|u| CountRow {
                code: u.code.clone(),
                name: u.name.clone(),
                count: thousands(u.eligible),
            })
            .collect(),
        current_total: thousands(summary.eligible),
        error: String::new(),
        problems: Vec::new(),
        more_problems: 0,
        total_problems: 0,
        imported: None,
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

/// GET /committee/elections/{slug}/roll
pub async fn form(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let summary = summary(&state, &slug).await?;
    Ok(render(&page(&staff, &summary, &state))?)
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
    slug: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let before = summary(&state, &slug).await?;
    let refuse = |message: String, status: StatusCode| {
        let mut p = page(&staff, &before, &state);
        p.error = message;
        render_status(&p, status)
    };
    let limit = state.settings.server.max_upload_bytes;
    let form = match read_upload::<RollUpload>(&req, payload, limit).await {
        Ok(form) => form,
        Err(e) => return refuse(e.to_string(), e.status()),
    };
    let Some(file) = form.roll.filter(|f| !f.data.is_empty()) else {
        return refuse(
            "Choose the roll file (CSV) to upload.".into(),
            StatusCode::BAD_REQUEST,
        );
    };
    let election = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| election::load_election(conn, &slug))
            .await?
    };
    if election.state(state.clock.now()) != ElectionState::Draft {
        return refuse(
            "The roll is frozen: the election key is published, so the roll can no longer change."
                .into(),
            StatusCode::CONFLICT,
        );
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
            let mut p = page(&staff, &before, &state);
            p.total_problems = errors.len() as u64 + more;
            p.more_problems = more;
            p.problems = errors
                .into_iter()
                .map(|e| ProblemRow {
                    line: e.line,
                    field: e.field,
                    message: e.message,
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
    let imported: RollImported = match result {
        Ok(imported) => imported,
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            return refuse(e.to_string(), status);
        }
        Err(e) => return Err(e.into()),
    };
    let after = summary(&state, &slug).await?;
    let mut p = page(&staff, &after, &state);
    p.imported = Some(Imported {
        members: thousands(imported.members),
        per_unit: after
            .units
            .iter()
            .map(|u| CountRow {
                code: u.code.clone(),
                name: u.name.clone(),
                count: thousands(imported.per_unit.get(&u.code).copied().unwrap_or(0)),
            })
            .collect(),
        roll_hash: imported.roll_hash,
        replaced: imported.replaced,
    });
    Ok(render(&p)?)
}
