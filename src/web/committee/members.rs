//! Finding a member on the roll: whether their ballot was sent and whether
//! they have voted — never how (S7). Auditors see no contact details.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::page::{render_status, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::error::Error;
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
    delivery: &'static str,
    contact: Option<Contact>,
}

struct Contact {
    name: String,
    email: String,
    voted: &'static str,
}

impl From<MemberView> for MemberRow {
    fn from(m: MemberView) -> MemberRow {
        // Ballot delivery is not built yet (issue 5).
        let delivery = "not sent";
        match m {
            MemberView::Committee {
                member_number,
                name,
                email,
                unit,
                language,
                has_voted,
                ..
            } => MemberRow {
                member_number,
                unit,
                language: language.to_string(),
                delivery,
                contact: Some(Contact {
                    name,
                    email,
                    voted: if has_voted { "yes" } else { "no" },
                }),
            },
            MemberView::Observer {
                member_number,
                unit,
                language,
                ..
            } => MemberRow {
                member_number,
                unit,
                language: language.to_string(),
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
    rows: Vec<MemberRow>,
    more: bool,
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
    slug: web::Path<String>,
    query: web::Query<Search>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadRoll)?;
    let scope = SearchScope::of(staff.account.role)
        .ok_or_else(|| Error::Forbidden("this role may not look members up".into()))?;
    let slug = slug.into_inner();
    let q = query.into_inner().q.trim().to_string();
    let refused = match roll::check_search(&q, scope) {
        Err(SearchError::NotAMemberNumber) => {
            "Auditors search by member number only (letters, digits and '-'): names and emails are not searched.".to_string()
        }
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
                Ok((e.spec.title().en().to_string(), found))
            })
            .await?
    };
    let mut rows: Vec<MemberRow> = found.into_iter().map(MemberRow::from).collect();
    let more = rows.len() as i64 > LIMIT;
    rows.truncate(LIMIT as usize);
    let page = MembersPage {
        nav: Nav::of(&staff),
        slug,
        title,
        searched: !q.is_empty(),
        q,
        contact: scope == SearchScope::Contacts,
        rows,
        more,
        status: if refused.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        },
        refused,
    };
    render_status(&page, page.status)
}
