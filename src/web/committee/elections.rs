//! The election list, creating an election from its spec, and the example
//! spec the create page offers to start from.

use actix_multipart::form::bytes::Bytes as UploadBytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::page::{fargs, render_status, see_other, staff_with, zone_words, Nav, PageResult};
use super::upload::{read_upload, size_words, UploadError};
use crate::account::Permission;
use crate::election::{self, parse_spec_within, ElectionSpec, SpecError};
use crate::i18n::{self, Lang, Tr};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

// ------------------------------------------------------------------ list

struct ElectionRow {
    slug: String,
    title: String,
    state: String,
    opens_local: String,
    closes_local: String,
    zone: String,
}

#[derive(Template)]
#[template(path = "committee/elections.html")]
struct ElectionsPage {
    nav: Nav,
    rows: Vec<ElectionRow>,
    notice: String,
}

#[derive(serde::Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: String,
}

/// GET /committee
pub async fn list(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadElection)?;
    let tr = lang.tr();
    let now = state.clock.now();
    let elections = state.db.run(election::list_elections).await?;
    let rows = elections
        .iter()
        .map(|e| {
            let (w, zone) = (e.spec.window(), e.spec.time_zone());
            ElectionRow {
                slug: e.spec.slug().to_string(),
                title: e.spec.title().get(tr.lang()).to_string(),
                state: i18n::state_label(tr, e.state(now)),
                opens_local: i18n::local_time(tr, zone, w.opens_at()),
                closes_local: i18n::local_time(tr, zone, w.closes_at()),
                zone: zone_words(tr, zone),
            }
        })
        .collect();
    let notice = super::election::notice_for(tr, &done.done);
    Ok(render(&ElectionsPage {
        nav: Nav::of(&staff, lang, "/committee"),
        rows,
        notice,
    })?)
}

// ---------------------------------------------------------------- create

/// The spec form, for creating an election or correcting a draft's spec.
#[derive(Template)]
#[template(path = "committee/new_election.html")]
pub struct SpecFormPage {
    pub nav: Nav,
    /// The draft whose spec is corrected; empty on the create page.
    pub correcting: String,
    pub spec: String,
    pub error: Option<SpecProblem>,
}

/// One refusal, in the words the form shows: where, then what.
pub struct SpecProblem {
    pub line: String,
    pub field: String,
    pub message: String,
}

impl SpecProblem {
    /// A problem with the whole form (no line, no setting).
    pub fn form(message: String) -> SpecProblem {
        SpecProblem {
            line: String::new(),
            field: String::new(),
            message,
        }
    }

    /// A spec's refusal: the line and the setting, and for a syntax error
    /// (no setting) a sentence instead of the TOML parser's jargon.
    pub fn spec(tr: Tr, e: SpecError) -> SpecProblem {
        let line = e
            .line
            .map(|line| tr.t_with("new-error-line", &fargs!("line" => line)))
            .unwrap_or_default();
        let message = if e.field.is_empty() && e.line.is_some() {
            tr.t("spec-syntax")
        } else {
            e.message.render(tr.lang())
        };
        SpecProblem {
            line,
            field: e.field,
            message,
        }
    }

    pub fn upload(tr: Tr, e: &UploadError) -> SpecProblem {
        SpecProblem::form(upload_words(tr, e))
    }
}

/// An upload's refusal in the reader's words.
pub fn upload_words(tr: Tr, e: &UploadError) -> String {
    match e {
        UploadError::TooLarge { limit } => {
            tr.t_with("new-too-large", &fargs!("size" => size_words(*limit)))
        }
        _ => tr.t("new-unreadable"),
    }
}

/// GET /committee/elections/new
pub async fn new_form(staff: Result<Staff, AuthError>, lang: Lang) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    Ok(render(&SpecFormPage {
        nav: Nav::of(&staff, lang, "/committee/elections/new"),
        correcting: String::new(),
        spec: String::new(),
        error: None,
    })?)
}

/// The spec form: pasted text, or a file (the file wins when both are given).
#[derive(MultipartForm)]
pub struct SpecUpload {
    spec: Option<Text<String>>,
    spec_file: Option<UploadBytes>,
}

/// The spec sent with the form, parsed; or the form to show again.
pub async fn read_spec(
    req: &HttpRequest,
    state: &AppState,
    payload: web::Payload,
    tr: Tr,
) -> Result<(String, ElectionSpec), (String, SpecProblem, StatusCode)> {
    let limit = state.settings.server.max_body_bytes;
    let form = read_upload::<SpecUpload>(req, payload, limit)
        .await
        .map_err(|e| (String::new(), SpecProblem::upload(tr, &e), e.status()))?;
    let file = form
        .spec_file
        .map(|f| f.data.to_vec())
        .filter(|d| !d.is_empty());
    let text = match file {
        Some(bytes) => String::from_utf8(bytes).map_err(|_| {
            let problem = SpecProblem::form(tr.t("new-not-utf8"));
            (String::new(), problem, StatusCode::BAD_REQUEST)
        })?,
        None => form.spec.map(Text::into_inner).unwrap_or_default(),
    };
    if text.trim().is_empty() {
        let problem = SpecProblem::form(tr.t("new-empty"));
        return Err((text, problem, StatusCode::BAD_REQUEST));
    }
    match parse_spec_within(&text, &state.settings.election.limits()) {
        Ok(spec) => Ok((text, spec)),
        Err(e) => Err((text, SpecProblem::spec(tr, e), StatusCode::BAD_REQUEST)),
    }
}

/// A refusal from the election service, in the form's terms and the
/// reader's language.
pub fn refusal_problem(tr: Tr, e: &crate::error::Error) -> SpecProblem {
    match e.field_error() {
        Some(f) => SpecProblem {
            line: String::new(),
            field: f.field.clone(),
            message: f.message.render(tr.lang()),
        },
        None => SpecProblem::form(super::page::refusal_words(tr, e)),
    }
}

/// POST /committee/elections/new (multipart)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let nav = Nav::of(&staff, lang, "/committee/elections/new");
    let refuse = |nav: Nav, spec: String, problem: SpecProblem, status: StatusCode| {
        let page = SpecFormPage {
            nav,
            correcting: String::new(),
            spec,
            error: Some(problem),
        };
        render_status(&page, status)
    };
    let (text, spec) = match read_spec(&req, &state, payload, lang.tr()).await {
        Ok(read) => read,
        Err((text, problem, status)) => return refuse(nav, text, problem, status),
    };
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let created = state
        .db
        .run(move |conn| election::create_election(conn, &spec, Some(&actor), now))
        .await;
    match created {
        Ok(e) => Ok(see_other(&format!(
            "/committee/elections/{}?done=created",
            e.spec.slug()
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let problem = refusal_problem(lang.tr(), &e);
            refuse(nav, text, problem, status)
        }
        Err(e) => Err(e.into()),
    }
}

/// The example spec the create page links to: the same file as
/// examples/election.toml, which a test parses with the real parser.
pub const EXAMPLE_SPEC: &str = include_str!("../../../examples/election.toml");

/// GET /committee/example-spec.toml (no sign-in: it holds nothing private).
pub async fn example_spec() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"example-election.toml\"",
        ))
        .body(EXAMPLE_SPEC)
}
