//! The public lookup of a tracker (issue 14): the receipt's page, the form
//! that finds a ballot by its full or short tracker, and the inclusion
//! proof of its `ballot.cast` entry to the latest signed checkpoint.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use fluent_bundle::FluentArgs;

use super::page::*;
use super::{failed, html};
use crate::error::Result;
use crate::i18n::Lang;
use crate::web::public::{not_found_page, Chrome};
use crate::web::AppState;

/// A tracker as shown on receipts: 64 lowercase hex digits.
fn is_tracker(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(super) async fn lookup(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let lang = Lang::of(&req);
    let slug = req.match_info().get("slug").unwrap_or_default().to_string();
    let tracker = req
        .match_info()
        .get("tracker")
        .unwrap_or_default()
        .to_string();
    if !is_tracker(&tracker) {
        return not_found_page(lang);
    }
    let found = {
        let (slug, tracker) = (slug.clone(), tracker.clone());
        state
            .db
            .run(move |conn| -> Result<_> {
                let e = crate::election::load_election(conn, &slug)?;
                let found = crate::db::ballots::has_tracker(conn, e.id, &tracker)?;
                let proof = match found {
                    true => crate::record::lookup::cast_entry_proof(conn, &e.log(), &tracker)?,
                    false => None,
                };
                Ok((e, found, proof))
            })
            .await
    };
    let (election, found, proof) = match found {
        Ok(loaded) => loaded,
        Err(crate::error::Error::NotFound(_)) => return not_found_page(lang),
        Err(error) => return failed(&req, error),
    };
    let tr = lang.tr();
    let mut args = FluentArgs::new();
    args.set("title", election.spec.title().get(tr.lang()).to_string());
    let just_cast = req.query_string().split('&').any(|p| p == "cast=1");
    let (heading, text) = match (found, just_cast) {
        (true, true) => (tr.t("receipt-title"), tr.t_with("receipt-cast", &args)),
        (true, false) => (tr.t("ballot-found-title"), tr.t_with("ballot-found", &args)),
        (false, _) => (
            tr.t("ballot-missing-title"),
            tr.t_with("ballot-missing", &args),
        ),
    };
    let here = format!("/elections/{slug}/ballots/{tracker}");
    let page = ReceiptPage {
        chrome: Chrome::new(lang, &here),
        heading,
        text,
        found,
        short: short_tracker(&tracker),
        tracker,
        slug,
        proof,
    };
    let status = if found {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    html(status, &page, lang)
}

/// The short form a receipt shows (`abcd-ef01`), or a full tracker, as a
/// member types it: spaces and dashes dropped, lower case.
fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// GET /elections/{slug}/ballots?tracker=… — the lookup form's target: a
/// full tracker, or the 8-digit short form when exactly one ballot has it.
pub(super) async fn find(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let lang = Lang::of(&req);
    let slug = req.match_info().get("slug").unwrap_or_default().to_string();
    let typed = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "tracker")
        .map(|(_, v)| normalize(&v))
        .unwrap_or_default();
    let found = {
        let (slug, typed) = (slug.clone(), typed.clone());
        state
            .db
            .run(move |conn| -> Result<_> {
                let e = crate::election::load_election(conn, &slug)?;
                let hex = !typed.is_empty() && typed.bytes().all(|b| b.is_ascii_hexdigit());
                let full = match typed.len() {
                    64 if hex => Some(typed),
                    8 if hex => {
                        let list = crate::db::ballots::trackers_starting(conn, e.id, &typed, 2)?;
                        (list.len() == 1).then(|| list.into_iter().next()).flatten()
                    }
                    _ => None,
                };
                Ok((e, full))
            })
            .await
    };
    match found {
        Ok((_, Some(t))) => HttpResponse::SeeOther()
            .insert_header(("Location", format!("/elections/{slug}/ballots/{t}")))
            .finish(),
        // Not one ballot of this election: the "not found" answer of a
        // tracker, with the election named, so the member can try again.
        Ok((e, None)) => {
            let tr = lang.tr();
            let mut args = FluentArgs::new();
            args.set("title", e.spec.title().get(tr.lang()).to_string());
            let page = ReceiptPage {
                chrome: Chrome::new(lang, req.path()),
                heading: tr.t("ballot-missing-title"),
                text: tr.t_with("ballot-missing", &args),
                found: false,
                short: String::new(),
                tracker: String::new(),
                slug,
                proof: None,
            };
            html(StatusCode::NOT_FOUND, &page, lang)
        }
        Err(crate::error::Error::NotFound(_)) => not_found_page(lang),
        Err(error) => failed(&req, error),
    }
}
