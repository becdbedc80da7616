//! Which surface a request is on: the JSON API or the pages people read.
//!
//! The choice is made where routes are registered, not by reading the path
//! when something fails: the API's scope (`web::api::scope`) carries
//! `Surface::Api` as scope data and the pages' scope carries
//! `Surface::Page`. Extractors that fail before a handler runs (a bad path
//! or query parameter, a missing sign-in, a NUL byte) ask [`Surface::of`]
//! and answer in that surface's form: JSON naming the field for the API, a
//! page in the reader's language for people (docs/api.md §Errors, S16).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/api/…`: errors are JSON `ErrorBody`.
    Api,
    /// Everything else: errors are pages in the reader's language.
    Page,
}

impl Surface {
    /// The surface of the scope that took `req`. A request that reached no
    /// scope is on the pages.
    pub fn of(req: &HttpRequest) -> Surface {
        req.app_data::<Surface>().copied().unwrap_or(Surface::Page)
    }

    pub fn is_api(self) -> bool {
        self == Surface::Api
    }

    /// A refusal of bad input (400) before any handler ran: the API names
    /// the field (if one is to blame); a page never echoes what was sent.
    pub fn bad_request(
        self,
        req: &HttpRequest,
        message: String,
        field: Option<String>,
    ) -> HttpResponse {
        match self {
            Surface::Api => json(StatusCode::BAD_REQUEST, message, field),
            Surface::Page => super::public::bad_request_page(Lang::of(req)),
        }
    }

    /// An address that leads nowhere.
    pub fn not_found(self, req: &HttpRequest) -> HttpResponse {
        match self {
            Surface::Api => json(
                StatusCode::NOT_FOUND,
                "not found: no such API route".into(),
                None,
            ),
            Surface::Page => super::public::not_found_page(Lang::of(req)),
        }
    }
}

/// The API's error body (`web::api::ErrorBody`), with `status`.
pub fn json(status: StatusCode, error: String, field: Option<String>) -> HttpResponse {
    HttpResponse::build(status).json(super::api::ErrorBody {
        error,
        field,
        line: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, web, App};

    async fn surface_name(req: HttpRequest) -> &'static str {
        match Surface::of(&req) {
            Surface::Api => "api",
            Surface::Page => "page",
        }
    }

    /// The surface comes from the scope a route is registered in, never
    /// from the look of the path.
    #[actix_web::test]
    async fn the_scope_decides_not_the_path() {
        let app = test::init_service(
            App::new()
                .service(
                    web::scope("/json")
                        .app_data(Surface::Api)
                        .service(web::resource("/x").to(surface_name)),
                )
                .service(
                    web::scope("")
                        .app_data(Surface::Page)
                        .service(web::resource("/api/looks-like-api").to(surface_name)),
                ),
        )
        .await;
        for (path, want) in [("/json/x", "api"), ("/api/looks-like-api", "page")] {
            let body =
                test::call_and_read_body(&app, test::TestRequest::get().uri(path).to_request())
                    .await;
            assert_eq!(body, want, "{path}");
        }
    }
}
