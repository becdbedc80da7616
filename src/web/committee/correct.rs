//! Correcting a draft's spec from the pages (issue 11) — the same form as
//! creating one, at /committee/elections/{slug}/spec — and deleting a
//! draft, after a page that says what deleting does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};

use super::elections::{read_spec, refusal_problem, SpecFormPage, SpecProblem};
use super::page::{render_status, see_other, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::election;
use crate::i18n::Lang;
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

#[derive(askama::Template)]
#[template(path = "committee/confirm_delete.html")]
struct ConfirmDelete {
    nav: Nav,
    slug: String,
    what: String,
}

/// GET /committee/elections/{slug}/delete
pub async fn confirm_delete(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}/delete"));
    let now = state.clock.now();
    let e = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| election::load_election(conn, &slug))
            .await?
    };
    if e.state(now) != election::ElectionState::Draft {
        return Ok(see_other(&format!("/committee/elections/{slug}")));
    }
    let title = e.spec.title().get(nav.tr.lang()).to_string();
    let what = nav
        .tr
        .t_with("delete-what", &super::page::fargs!("name" => title));
    Ok(render(&ConfirmDelete { nav, slug, what })?)
}

/// POST /committee/elections/{slug}/delete
pub async fn delete(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| election::delete_draft(conn, &slug, Some(&actor), now))
        .await?;
    Ok(see_other("/committee?done=deleted"))
}

fn form_page(nav: Nav, slug: String, spec: String, error: Option<SpecProblem>) -> SpecFormPage {
    SpecFormPage {
        nav,
        correcting: slug,
        spec,
        error,
    }
}

/// GET /committee/elections/{slug}/spec
pub async fn form(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    // An unknown election is "not found", not an empty form.
    let known = slug.clone();
    state
        .db
        .run(move |conn| election::load_election(conn, &known))
        .await?;
    let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}/spec"));
    Ok(render(&form_page(nav, slug, String::new(), None))?)
}

/// POST /committee/elections/{slug}/spec (multipart)
pub async fn replace(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}/spec"));
    let refuse = |nav: Nav, text: String, problem: SpecProblem, status: StatusCode| {
        render_status(&form_page(nav, slug.clone(), text, Some(problem)), status)
    };
    let (text, spec) = match read_spec(&req, &state, payload, lang.tr()).await {
        Ok(read) => read,
        Err((text, problem, status)) => return refuse(nav, text, problem, status),
    };
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let slug_db = slug.clone();
    let replaced = state
        .db
        .run(move |conn| election::replace_spec(conn, &slug_db, &spec, Some(&actor), now))
        .await;
    match replaced {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}?done=spec-replaced"
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let problem = refusal_problem(lang.tr(), &e);
            refuse(nav, text, problem, status)
        }
        Err(e) => Err(e.into()),
    }
}
