//! A new ballot link for one member (issue 12): the committee's Reissue
//! form, reached from the member search. It runs the same use case as
//! `ratify ballots reissue` and the API (`credential::reissue`): the old
//! link is revoked and a new one queued in one transaction, with the
//! required reason in the audit log (S2, S12); an optional corrected
//! address is logged without the address. A member who has voted gets no
//! form, and a POST for them is refused with the same words (S2: one vote).
//! The form is CSRF-protected like every committee form (`Staff`).

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::page::{fargs, render_status, see_other, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::credential::{self, Reissue};
use crate::error::Error;
use crate::i18n::Lang;
use crate::roll::{MemberView, SearchScope};
use crate::web::auth::{AuthError, Staff};
use crate::web::AppState;
use crate::{election, roll};

/// The member as the committee sees them on this page.
struct Member {
    number: String,
    name: String,
    email: String,
    unit: String,
    eligible: bool,
    has_voted: bool,
    /// Where their newest ballot link is (`db::outbox` status).
    delivery: String,
}

#[derive(Template)]
#[template(path = "committee/reissue.html")]
struct ReissuePage {
    nav: Nav,
    slug: String,
    title: String,
    member: Member,
    /// Why no form is offered (voted, not eligible), if so.
    blocked: String,
    done: bool,
    reason: String,
    email: String,
    reason_error: String,
    email_error: String,
    /// A refusal not about one field (the election closed, a race).
    error: String,
}

/// The election's title and the member numbered `number` (exactly).
async fn load(
    state: &AppState,
    slug: &str,
    number: &str,
    lang: crate::election::Language,
) -> Result<(String, Member), Error> {
    let (slug, number) = (slug.to_string(), number.to_string());
    state
        .db
        .run(move |conn| {
            let e = election::load_election(conn, &slug)?;
            let found = roll::search_members(conn, &slug, &number, 51, SearchScope::Contacts)?;
            let status = crate::mail::member_statuses(conn, e.id, std::slice::from_ref(&number))?;
            let member = found
                .into_iter()
                .find_map(|m| match m {
                    MemberView::Committee {
                        member_number,
                        name,
                        email,
                        unit,
                        eligible,
                        has_voted,
                        ..
                    } if member_number == number => Some(Member {
                        delivery: status.get(&number).cloned().unwrap_or_default(),
                        number: member_number,
                        name,
                        email,
                        unit,
                        eligible,
                        has_voted,
                    }),
                    _ => None,
                })
                .ok_or_else(|| Error::NotFound(format!("member {number} of {slug}")))?;
            Ok((e.spec.title().get(lang).to_string(), member))
        })
        .await
}

async fn page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    slug: &str,
    number: &str,
) -> Result<ReissuePage, Error> {
    let here = format!("/committee/elections/{slug}/members/{number}/reissue");
    let nav = Nav::of(staff, lang, &here);
    let (title, member) = load(state, slug, number, nav.tr.lang()).await?;
    let blocked = if member.has_voted {
        nav.tr
            .t_with("reissue-voted", &fargs!("number" => member.number.clone()))
    } else if !member.eligible {
        nav.t("reissue-not-eligible")
    } else {
        String::new()
    };
    let delivery = delivery_words(&nav, &member.delivery);
    Ok(ReissuePage {
        slug: slug.to_string(),
        title,
        member: Member { delivery, ..member },
        blocked,
        done: false,
        reason: String::new(),
        email: String::new(),
        reason_error: String::new(),
        email_error: String::new(),
        error: String::new(),
        nav,
    })
}

fn delivery_words(nav: &Nav, status: &str) -> String {
    nav.t(match status {
        "queued" | "sending" => "ballot-queued",
        "sent" => "ballot-sent",
        "deferred" => "ballot-deferred",
        "undeliverable" => "ballot-undeliverable",
        "printed" => "ballot-printed",
        _ => "ballot-not-sent",
    })
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// GET /committee/elections/{slug}/members/{number}/reissue
pub async fn form(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    path: web::Path<(String, String)>,
    query: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let (slug, number) = path.into_inner();
    let mut p = page(&state, &staff, lang, &slug, &number).await?;
    p.done = query.done == "reissued";
    render_status(&p, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct ReissueForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    email: String,
}

/// POST /committee/elections/{slug}/members/{number}/reissue
pub async fn reissue(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    path: web::Path<(String, String)>,
    form: web::Form<ReissueForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let (slug, number) = path.into_inner();
    let form = form.into_inner();
    let mut p = page(&state, &staff, lang, &slug, &number).await?;
    p.reason = form.reason.clone();
    p.email = form.email.clone();
    if !p.blocked.is_empty() {
        return render_status(&p, StatusCode::CONFLICT);
    }
    if form.reason.trim().is_empty() {
        p.reason_error = p.nav.t("reissue-reason-required");
        return render_status(&p, StatusCode::BAD_REQUEST);
    }
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let keys = state.keys.clone();
    let result = {
        let (slug, number) = (slug.clone(), number.clone());
        state
            .db
            .run(move |conn| {
                let r = Reissue {
                    member_number: &number,
                    reason: &form.reason,
                    email: Some(form.email.as_str()),
                };
                credential::reissue(conn, &slug, keys.token_hmac(), &r, Some(&actor), now)
            })
            .await
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}/members/{number}/reissue?done=reissued"
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            match e.field_error() {
                Some(f) if f.field == "email" => p.email_error = f.message.render(lang.0),
                Some(f) if f.field == "reason" => p.reason_error = f.message.render(lang.0),
                _ => p.error = super::page::refusal_words(lang.tr(), &e),
            }
            render_status(&p, status)
        }
        Err(e) => Err(e.into()),
    }
}
