//! Finding a member on the roll: whether their ballot was sent and whether
//! they have voted — never how (S7). Auditors see no contact details.

use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::page::{staff_with, Nav, PageResult, MEMBERS, RUN};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};
use crate::{election, roll};

/// Most rows one search shows.
const LIMIT: i64 = 50;

struct MemberRow {
    member_number: String,
    name: String,
    email: String,
    unit: String,
    language: String,
    delivery: &'static str,
    voted: &'static str,
}

#[derive(Template)]
#[template(path = "committee/members.html")]
struct MembersPage {
    nav: Nav,
    slug: String,
    title: String,
    q: String,
    searched: bool,
    /// Committee and admins see names and emails; auditors do not.
    contact: bool,
    rows: Vec<MemberRow>,
    more: bool,
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
    let staff = staff_with(staff, MEMBERS)?;
    let contact = RUN.contains(&staff.account.role);
    let slug = slug.into_inner();
    let q = query.into_inner().q.trim().to_string();
    let (title, found) = {
        let (slug, q) = (slug.clone(), q.clone());
        state
            .db
            .run(move |conn| {
                let e = election::load_election(conn, &slug)?;
                let found = roll::search_members(conn, &slug, &q, LIMIT + 1)?;
                Ok((e.spec.title().en().to_string(), found))
            })
            .await?
    };
    let q_lower = q.to_lowercase();
    let mut rows: Vec<MemberRow> = found
        .into_iter()
        // An auditor may look a member up by number only: matching on a
        // name or an email would confirm contact details they may not see.
        .filter(|m| contact || m.member_number.to_lowercase().contains(&q_lower))
        .map(|m| MemberRow {
            member_number: m.member_number,
            name: if contact { m.name } else { String::new() },
            email: if contact { m.email } else { String::new() },
            unit: m.unit,
            language: m.language,
            // Ballot delivery is not built yet (issue 5).
            delivery: "not sent",
            voted: if m.has_voted { "yes" } else { "no" },
        })
        .collect();
    let more = rows.len() as i64 > LIMIT;
    rows.truncate(LIMIT as usize);
    Ok(render(&MembersPage {
        nav: Nav::of(&staff),
        slug,
        title,
        searched: !q.is_empty(),
        q,
        contact,
        rows,
        more,
    })?)
}
