//! The JSON API under /api/v1 for the committee's actions (docs/api.md).
//!
//! Every route takes the signed-in [`Staff`](crate::web::auth::Staff) and
//! checks its role on the server before it reads the body (S11); the
//! extractor itself refuses a state-changing request without the session's
//! CSRF token. Each route calls one action, which writes its audit-log
//! entry with the acting account in the same transaction (S12).
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from the
//! handlers' annotations, and the handlers are registered from the same
//! list ([`api_routes!`]), so a route cannot be served without being
//! documented, nor documented without being served.

mod accounts;
mod body;
mod elections;
mod error;
mod mail;
mod published;
mod record;
mod roll;
mod tally;
mod trustees;

use std::sync::OnceLock;

use actix_web::middleware::from_fn;
use actix_web::{get, web, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::account::Permission;
use crate::web::audit::log as audit_log;
use crate::web::surface::Surface;
use crate::web::{edge, fallback};

pub use error::{ApiError, ErrorBody, RollErrorBody};
pub(crate) use tally::certify_as;

/// Where the API is served. Handlers name their paths under it
/// (`/v1/elections`); the OpenAPI document names them in full
/// ([`ScopePrefix`]).
pub const SCOPE: &str = "/api";

/// Registers the API's scope: every API route (with the public audit-log
/// routes and the session), errors as JSON (`web::surface`), and a JSON
/// 404/405 for anything under `/api` that no route takes.
pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(SCOPE)
            .app_data(Surface::Api)
            .wrap(from_fn(edge::refuse_nul_api))
            .configure(configure)
            .configure(crate::web::audit::configure)
            .configure(crate::web::auth::configure_api)
            .default_service(web::to(fallback::no_route)),
    );
}

/// The roles that may call a route needing `permission`, for
/// `x-ratify-roles`: read from the same table the handler checks
/// ([`Role::grants`](crate::account::Role::grants)), so the document cannot
/// disagree with the server.
pub(crate) fn role_names(permission: Permission) -> Vec<&'static str> {
    permission.role_names()
}

/// Registers `served` handlers and documents them together with
/// `documented` ones (routes another module serves), from one list.
macro_rules! api_routes {
    (
        served: [$($sm:ident :: $sh:ident),* $(,)?],
        documented: [$($dm:ident :: $dh:ident),* $(,)?] $(,)?
    ) => {
        /// Registers the API's own routes (inside [`register`]'s scope).
        fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.service($sm::$sh);)*
        }

        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "ratify API",
                description = "The elections committee's JSON API. See docs/api.md for sign-in, CSRF and examples.",
            ),
            paths($($sm::$sh,)* $($dm::$dh,)*),
            modifiers(&ScopePrefix, &SessionAuth, &EdgeResponses),
            tags(
                (name = "elections", description = "Creating elections, the roll, the window"),
                (name = "trustees", description = "The key ceremony as the server sees it"),
                (name = "results", description = "The tally, decryption shares, results and certification"),
                (name = "accounts", description = "Committee accounts (admin only)"),
                (name = "audit", description = "Public audit-log endpoints (no sign-in)"),
                (name = "meta", description = "The session and this document"),
            ),
        )]
        pub struct ApiDoc;
    };
}

api_routes! {
    served: [
        elections::list_elections,
        elections::create_election,
        elections::show_election,
        roll::import_roll,
        roll::search_members,
        elections::extend_window,
        trustees::register_trustee_file,
        trustees::roster,
        trustees::publish_key,
        trustees::slots,
        trustees::void_deal,
        accounts::list_accounts,
        accounts::create_account,
        accounts::disable_account,
        mail::send_ballots,
        mail::reissue_ballot,
        mail::delivery,
        tally::tally,
        tally::tally_request,
        tally::submit_share,
        tally::results,
        tally::certify,
        record::record,
        self::openapi_json,
    ],
    documented: [
        published::session,
        audit_log::checkpoint,
        audit_log::entries,
        audit_log::inclusion,
        audit_log::consistency,
        audit_log::vkey,
    ],
}

/// The security schemes every signed-in route refers to.
struct SessionAuth;

impl Modify for SessionAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "ratify_session",
                "The encrypted session cookie set by POST /login.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token from GET /api/v1/session; required on every POST.",
            ))),
        );
    }
}

/// Handlers name their paths inside the API's scope; the document names
/// them as clients call them, under [`SCOPE`].
struct ScopePrefix;

impl Modify for ScopePrefix {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut doc.paths.paths);
        doc.paths.paths = paths
            .into_iter()
            .map(|(route, item)| (format!("{SCOPE}{route}"), item))
            .collect();
    }
}

/// Answers every route can give besides its own (docs/api.md §Errors):
/// 400 for a NUL character in the address or query string
/// (`web::edge::refuse_nul`), and 503 when the database cannot be reached.
struct EdgeResponses;

impl Modify for EdgeResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let error = |description: &str| {
            utoipa::openapi::ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    utoipa::openapi::Content::new(Some(utoipa::openapi::Ref::from_schema_name(
                        "ErrorBody",
                    ))),
                )
                .build()
        };
        for (route, item) in doc.paths.paths.iter_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                let responses = &mut op.responses.responses;
                responses.entry("400".into()).or_insert_with(|| {
                    error("A NUL character (%00) in the address or query string").into()
                });
                if route != "/api/v1/openapi.json" {
                    responses
                        .entry("503".into())
                        .or_insert_with(|| error("The database cannot be reached").into());
                }
            }
        }
    }
}

/// The OpenAPI document, built once.
pub fn openapi_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serializes")
    })
}

/// This API's OpenAPI document, generated from the code.
#[utoipa::path(
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")),
    extensions(("x-ratify-roles" = json!(["anonymous"]))),
)]
#[get("/v1/openapi.json")]
async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(openapi_document())
}
