//! Pages anyone may read without signing in, in the reader's language
//! (`crate::i18n`): the start page, the language switch, and the pages
//! shown for a missing page or a failure. The public page of an election
//! is `web::committee::public` (it predates this module).

mod language;
mod start;
mod status;

use actix_web::web;

pub use status::{
    bad_request_page, not_found, not_found_page, page_not_found, server_error_page, Chrome,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(start::start))
        .route("/language/{code}", web::get().to(language::switch));
}
