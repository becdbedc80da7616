//! GET /language/{code}?back=/path: the language switch. It remembers the
//! choice in the `lang` cookie (read by `i18n::Lang`) and goes back to the
//! page it came from. A preference, not a state change: no CSRF token is
//! needed, and the cookie carries nothing secret.

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::status::not_found_page;
use crate::i18n::{Lang, Language, LANG_COOKIE};
use crate::web::AppState;

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Only a path on this site: `//host` and `/\host` are other sites to a
/// browser (an open redirect), and only visible ASCII fits a header.
fn local_path(back: Option<&str>) -> &str {
    match back {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && p.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            p
        }
        _ => "/",
    }
}

pub async fn switch(
    state: web::Data<AppState>,
    code: web::Path<String>,
    // Lenient: a malformed query only loses the way back.
    back: Option<web::Query<Back>>,
    lang: Lang,
) -> HttpResponse {
    let Ok(chosen) = code.parse::<Language>() else {
        return not_found_page(lang);
    };
    let cookie = Cookie::build(LANG_COOKIE, chosen.as_str())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.settings.server.https)
        .finish();
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((
            "Location",
            local_path(back.as_ref().and_then(|b| b.back.as_deref())),
        ))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/elections/x")), "/elections/x");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(local_path(None), "/");
    }
}
