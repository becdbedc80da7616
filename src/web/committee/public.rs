//! GET /elections/{slug}: the public page of an election, no sign-in, in
//! the reader's language (`crate::i18n`). It shows what observers need to
//! follow along — the title (and, under it, the title in the other
//! language), when voting opens and closes in the election's local time and
//! what happens next, in plain words (no internal state names, issue 11) —
//! and the audit log's verifier key and endpoints, so anyone can pin the
//! key and watch the log grow (S13).

use actix_web::{web, HttpRequest};
use askama::Template;

use super::page::{fargs, zone_words, PageResult};
use crate::election::{self, ElectionState};
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::web::public::{page_not_found, Chrome};
use crate::web::{render, AppState};

#[derive(Template)]
#[template(path = "public/election.html")]
struct PublicPage {
    chrome: Chrome,
    slug: String,
    title: String,
    other_title: String,
    when: String,
    countdown: String,
    next: String,
    times_in: String,
    vkey: String,
    key_name: String,
    key_id: String,
    /// The certified results (nothing before certification: S9 keeps
    /// results from the public until the committee has certified them).
    results: Vec<super::results::GroupView>,
}

pub async fn election(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    lang: Lang,
    req: HttpRequest,
) -> PageResult {
    let slug = slug.into_inner();
    let now = state.clock.now();
    let loaded = {
        let slug = slug.clone();
        state
            .db
            .run(move |conn| election::load_election(conn, &slug))
            .await
    };
    let e = match loaded {
        Ok(e) => e,
        // Said in both languages' words, and leading to the list of
        // elections (not to the committee's sign-in).
        Err(Error::NotFound(_)) => {
            return Ok(page_not_found(
                lang,
                req.path(),
                "not-found-title",
                "public-not-found-text",
                "public-not-found-home",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let vkey = &state.log_vkey;
    // C2SP vkey: <name>+<key id (8 hex digits)>+<base64 key>. The name
    // cannot hold a '+'; the base64 key can.
    let mut parts = vkey.splitn(3, '+');
    let key_name = parts.next().unwrap_or_default().to_string();
    let key_id = parts.next().unwrap_or_default().to_string();
    let chrome = Chrome::new(lang, req.path());
    let tr = chrome.tr;
    let current = e.state(now);
    let w = e.spec.window();
    let zone = e.spec.time_zone();
    let times = fargs!(
        "opens" => i18n::local_time(tr, zone, w.opens_at()),
        "closes" => i18n::local_time(tr, zone, w.closes_at()),
    );
    let results = if current == ElectionState::Certified {
        let id = e.id;
        let stored = state
            .db
            .run(move |conn| crate::tally::decrypt::stored_results(conn, id))
            .await?;
        stored
            .map(|(r, _)| super::results::views(tr, &e, &r))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let (when, next) = match current {
        ElectionState::Draft => ("public-when-draft", "public-next-draft"),
        ElectionState::KeyPublished => ("public-when-waiting", "public-next-waiting"),
        ElectionState::Open => ("public-when-open", "public-next-open"),
        ElectionState::Closed => ("public-when-closed", "public-next-closed"),
        ElectionState::Tallied => ("public-when-closed", "public-next-tallied"),
        ElectionState::Certified => ("public-when-closed", "public-next-certified"),
    };
    Ok(render(&PublicPage {
        title: e.spec.title().get(tr.lang()).to_string(),
        other_title: e.spec.title().get(tr.other()).to_string(),
        when: tr.t_with(when, &times),
        countdown: i18n::countdown(tr, current, now, w.opens_at(), w.closes_at()),
        next: tr.t(next),
        times_in: tr.t_with("times-in", &fargs!("zone" => zone_words(tr, zone))),
        chrome,
        vkey: vkey.to_string(),
        key_name,
        key_id,
        slug,
        results,
    })?)
}
