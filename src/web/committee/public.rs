//! GET /elections/{slug}: the public page of an election, no sign-in, in
//! the reader's language (`crate::i18n`). It shows what observers need to
//! follow along — the title (and, under it, the title in the other
//! language), the window in the election's local time, the state — and the
//! audit log's verifier key and endpoints, so anyone can pin the key and
//! watch the log grow (S13).

use actix_web::{web, HttpRequest};
use askama::Template;
use fluent_bundle::FluentArgs;

use super::page::PageResult;
use crate::election;
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::web::public::{not_found_page, Chrome};
use crate::web::{render, AppState};

#[derive(Template)]
#[template(path = "public/election.html")]
struct PublicPage {
    chrome: Chrome,
    slug: String,
    title: String,
    other_title: String,
    state: String,
    countdown: String,
    opens: String,
    closes: String,
    times_in: String,
    vkey: String,
    key_name: String,
    key_id: String,
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
        Err(Error::NotFound(_)) => return Ok(not_found_page(lang)),
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
    let mut zone_arg = FluentArgs::new();
    zone_arg.set("zone", zone.name());
    Ok(render(&PublicPage {
        title: e.spec.title().get(tr.lang()).to_string(),
        other_title: e.spec.title().get(tr.other()).to_string(),
        state: i18n::state_label(tr, current),
        countdown: i18n::countdown(tr, current, now, w.opens_at(), w.closes_at()),
        opens: i18n::local_time(tr, zone, w.opens_at()),
        closes: i18n::local_time(tr, zone, w.closes_at()),
        times_in: tr.t_with("public-times-in", &zone_arg),
        chrome,
        vkey: vkey.to_string(),
        key_name,
        key_id,
        slug,
    })?)
}
