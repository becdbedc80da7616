//! The elections committee's pages (server-rendered, no JavaScript), and
//! the public page of an election.
//!
//! Every route checks the role on the server (S11): committee and admin run
//! elections; auditors read (members without contact details); trustees see
//! the election list and pages; accounts are for admins. Every POST takes
//! [`Staff`](crate::web::auth::Staff), which checks the CSRF token.

mod accounts;
mod elections;
mod members;
mod page;
mod public;
mod roll;
mod upload;

use actix_multipart::form::MultipartFormConfig;
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/committee")
            // Uploads are size-limited before parsing (`upload::read_upload`,
            // from the settings), so the parser itself needs no second limit.
            .app_data(
                MultipartFormConfig::default()
                    .total_limit(usize::MAX)
                    .memory_limit(usize::MAX),
            )
            .route("", web::get().to(elections::list))
            // Before `{slug}`: "new" is not an election.
            .route("/elections/new", web::get().to(elections::new_form))
            .route("/elections/new", web::post().to(elections::create))
            .route("/elections/{slug}", web::get().to(elections::show))
            .route(
                "/elections/{slug}/extend",
                web::post().to(elections::extend),
            )
            .route(
                "/elections/{slug}/publish-key",
                web::post().to(elections::publish),
            )
            .route("/elections/{slug}/roll", web::get().to(roll::form))
            .route("/elections/{slug}/roll", web::post().to(roll::upload))
            .route("/elections/{slug}/members", web::get().to(members::search))
            .route("/accounts", web::get().to(accounts::list))
            .route("/accounts", web::post().to(accounts::create))
            .route(
                "/accounts/{id}/{action}",
                web::post().to(accounts::set_disabled),
            ),
    )
    .route("/elections/{slug}", web::get().to(public::election));
}
