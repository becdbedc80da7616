//! The elections committee's pages (server-rendered, no JavaScript), in
//! the reader's language, and the public page of an election.
//!
//! Every route checks the role on the server (S11): committee and admin run
//! elections; auditors read (members without contact details); trustees see
//! the election list and pages; accounts are for admins. Every POST takes
//! [`Staff`](crate::web::auth::Staff), which checks the CSRF token (a
//! hidden form field), and answers a success with a redirect
//! (post/redirect/get) so a reload sends nothing again. An action that
//! cannot be undone (publishing the key, disabling an account) has a GET
//! page at the same address that says what it will do and asks first.

mod accounts;
mod actions;
mod ballots;
mod certificate;
mod chart;
mod correct;
mod election;
mod elections;
mod members;
mod next;
pub(crate) mod page;
mod public;
mod record;
mod reissue;
mod results;
mod roll;
mod upload;

use actix_multipart::form::MultipartFormConfig;
use actix_web::middleware::from_fn;
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/committee/example-spec.toml",
        web::get().to(elections::example_spec),
    )
    .service(
        web::scope("/committee")
            .wrap(from_fn(page::localize))
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
            .route("/elections/{slug}", web::get().to(election::show))
            .route("/elections/{slug}/extend", web::post().to(actions::extend))
            .route(
                "/elections/{slug}/publish-key",
                web::get().to(actions::confirm_publish),
            )
            .route(
                "/elections/{slug}/publish-key",
                web::post().to(actions::publish),
            )
            .route("/elections/{slug}/spec", web::get().to(correct::form))
            .route("/elections/{slug}/spec", web::post().to(correct::replace))
            .route(
                "/elections/{slug}/delete",
                web::get().to(correct::confirm_delete),
            )
            .route("/elections/{slug}/delete", web::post().to(correct::delete))
            .route("/elections/{slug}/ballots", web::get().to(ballots::show))
            .route(
                "/elections/{slug}/ballots/send",
                web::post().to(ballots::send),
            )
            .route("/elections/{slug}/results", web::get().to(results::show))
            .route("/elections/{slug}/record.tar", web::get().to(record::staff))
            .route("/elections/{slug}/tally", web::post().to(results::tally))
            .route(
                "/elections/{slug}/shares",
                web::post().to(results::submit_share),
            )
            .route(
                "/elections/{slug}/certify",
                web::post().to(results::certify),
            )
            .route("/elections/{slug}/roll", web::get().to(roll::form))
            .route("/elections/{slug}/roll", web::post().to(roll::upload))
            .route("/elections/{slug}/members", web::get().to(members::search))
            .route(
                "/elections/{slug}/members/{number}/reissue",
                web::get().to(reissue::form),
            )
            .route(
                "/elections/{slug}/members/{number}/reissue",
                web::post().to(reissue::reissue),
            )
            .route("/accounts", web::get().to(accounts::list))
            .route("/accounts", web::post().to(accounts::create))
            // GET: the confirmation before disabling (one pattern for
            // both methods, so logs and `Allow` name one route).
            .route(
                "/accounts/{id}/{action}",
                web::get().to(accounts::confirm_disable),
            )
            .route(
                "/accounts/{id}/{action}",
                web::post().to(accounts::set_disabled),
            ),
    )
    .route("/elections/{slug}", web::get().to(public::election))
    .route(
        "/elections/{slug}/certificate",
        web::get().to(certificate::page),
    )
    .route(
        "/elections/{slug}/certificate.json",
        web::get().to(certificate::json),
    )
    .route(
        "/elections/{slug}/record.tar",
        web::get().to(record::public),
    );
}
