//! GET /: where a newcomer lands. The elections whose key is published
//! (drafts can still change, so they are not announced), each with its
//! public page, and the way to the committee's sign-in.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::status::{server_error_page, Chrome};
use crate::election::{self, ElectionState};
use crate::i18n::{self, Lang};
use crate::web::AppState;

struct Listed {
    slug: String,
    title: String,
    state: String,
    window: String,
}

#[derive(Template)]
#[template(path = "public/start.html")]
struct StartPage {
    chrome: Chrome,
    elections: Vec<Listed>,
}

pub async fn start(state: web::Data<AppState>, lang: Lang) -> HttpResponse {
    let now = state.clock.now();
    let elections = match state.db.run(election::list_elections).await {
        Ok(elections) => elections,
        Err(error) => {
            tracing::error!(%error, "start page");
            return server_error_page(lang);
        }
    };
    let tr = lang.tr();
    let listed = elections
        .into_iter()
        .filter_map(|e| {
            let current = e.state(now);
            if current == ElectionState::Draft {
                return None;
            }
            let zone = e.spec.time_zone();
            let w = e.spec.window();
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("opens", i18n::local_time(tr, zone, w.opens_at()));
            args.set("closes", i18n::local_time(tr, zone, w.closes_at()));
            Some(Listed {
                title: e.spec.title().get(tr.lang()).to_string(),
                state: i18n::state_label(tr, current),
                window: tr.t_with("start-election-window", &args),
                slug: e.spec.slug().to_string(),
            })
        })
        .collect();
    let page = StartPage {
        chrome: Chrome::new(lang, "/"),
        elections: listed,
    };
    match crate::web::render(&page) {
        Ok(res) => res,
        Err(error) => {
            tracing::error!(%error, "start page");
            server_error_page(lang)
        }
    }
}
