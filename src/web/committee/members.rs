//! Finding a member on the roll: whether their ballot was sent and whether
//! they have voted — never how (S7). Auditors see no contact details.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::page::{fargs, render_status, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::error::Error;
use crate::i18n::{Lang, Tr};
use crate::roll::{MemberView, SearchError, SearchScope};
use crate::web::auth::{AuthError, Staff};
use crate::web::AppState;
use crate::{election, roll};

/// Most rows one search shows.
const LIMIT: i64 = 50;

/// One row as the viewer may see it: `contact` is empty for auditors,
/// whose rows were loaded without names, emails or the voted flag.
struct MemberRow {
    member_number: String,
    unit: String,
    language: String,
    delivery: String,
    contact: Option<Contact>,
}

struct Contact {
    name: String,
    email: String,
    voted: String,
    /// Shows the Reissue link (a member who voted gets no new link, S2).
    has_voted: bool,
}

impl MemberRow {
    /// `status`: the member's newest ballot message (`db::outbox`).
    fn new(m: MemberView, tr: Tr, status: Option<&str>) -> MemberRow {
        let delivery = tr.t(match status {
            Some("queued" | "sending") => "ballot-queued",
            Some("sent") => "ballot-sent",
            Some("deferred") => "ballot-deferred",
            Some("undeliverable") => "ballot-undeliverable",
            Some("printed") => "ballot-printed",
            _ => "ballot-not-sent",
        });
        let language = |code: crate::election::Language| match code {
            crate::election::Language::En => tr.t("lang-en"),
            crate::election::Language::Es => tr.t("lang-es"),
        };
        match m {
            MemberView::Committee {
                member_number,
                name,
                email,
                unit,
                language: language_code,
                has_voted,
                ..
            } => MemberRow {
                member_number,
                unit,
                language: language(language_code),
                delivery,
                contact: Some(Contact {
                    name,
                    email,
                    voted: tr.t(if has_voted { "yes" } else { "no" }),
                    has_voted,
                }),
            },
            MemberView::Observer {
                member_number,
                unit,
                language: language_code,
                ..
            } => MemberRow {
                member_number,
                unit,
                language: language(language_code),
                delivery,
                contact: None,
            },
        }
    }
}

#[derive(Template)]
#[template(path = "committee/members.html")]
struct MembersPage {
    nav: Nav,
    slug: String,
    title: String,
    q: String,
    searched: bool,
    /// The committee and admins see names and emails (and search by
    /// them); auditors do neither (S7).
    contact: bool,
    /// Why the search was not run (an auditor typed a name or an email).
    refused: String,
    /// "No member matches …", or the table's caption.
    outcome: String,
    rows: Vec<MemberRow>,
    status: StatusCode,
}

#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// GET /committee/elections/{slug}/members?q=
pub async fn search(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    query: web::Query<Search>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadRoll)?;
    let scope = SearchScope::of(staff.account.role)
        .ok_or_else(|| Error::Forbidden("this role may not look members up".into()))?;
    let slug = slug.into_inner();
    let nav = Nav::of(
        &staff,
        lang,
        &format!("/committee/elections/{slug}/members"),
    );
    let tr = nav.tr;
    let q = query.into_inner().q.trim().to_string();
    let refused = match roll::check_search(&q, scope) {
        Err(SearchError::NotAMemberNumber) => tr.t("members-refused"),
        _ => String::new(),
    };
    let (title, found) = {
        let (slug, q, run) = (slug.clone(), q.clone(), refused.is_empty());
        state
            .db
            .run(move |conn| {
                let e = election::load_election(conn, &slug)?;
                let found = if run {
                    roll::search_members(conn, &slug, &q, LIMIT + 1, scope)?
                } else {
                    Vec::new()
                };
                let numbers: Vec<String> = found
                    .iter()
                    .map(|m| m.member_number().to_string())
                    .collect();
                let statuses = crate::mail::member_statuses(conn, e.id, &numbers)?;
                Ok((e.spec.title().get(tr.lang()).to_string(), (found, statuses)))
            })
            .await?
    };
    let (found, statuses) = found;
    let mut rows: Vec<MemberRow> = found
        .into_iter()
        .map(|m| {
            let status = statuses.get(m.member_number()).map(String::as_str);
            MemberRow::new(m, tr, status)
        })
        .collect();
    let more = rows.len() as i64 > LIMIT;
    rows.truncate(LIMIT as usize);
    let contact = scope == SearchScope::Contacts;
    let quoted = fargs!("q" => q.clone());
    let outcome = match (rows.is_empty(), contact, more) {
        (true, true, _) => tr.t_with("members-none", &quoted),
        (true, false, _) => tr.t_with("members-none-numbers", &quoted),
        (false, _, false) => tr.t_with("members-caption", &quoted),
        (false, _, true) => tr.t_with("members-caption-more", &quoted),
    };
    let page = MembersPage {
        nav,
        slug,
        title,
        searched: !q.is_empty(),
        q,
        contact,
        outcome,
        rows,
        status: if refused.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        },
        refused,
    };
    render_status(&page, page.status)
}
