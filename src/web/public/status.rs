//! What public pages share — the language switch in the header — and the
//! pages for "no such page" (404) and "our fault" (500), in the reader's
//! language.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::i18n::{Lang, Tr};

/// The frame of a public page: its language, and the address of the
/// switch to the other language (which comes back to this page).
pub struct Chrome {
    pub tr: Tr,
    pub switch_href: String,
}

impl Chrome {
    pub fn new(lang: Lang, here: &str) -> Chrome {
        let tr = lang.tr();
        let switch_href = format!(
            "/language/{}?back={}",
            tr.other().as_str(),
            url_escape(here)
        );
        Chrome { tr, switch_href }
    }
}

/// Percent-encodes a path for a query value: everything but unreserved
/// characters and '/' (RFC 3986 §2.3).
fn url_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "public/status.html")]
struct StatusPage {
    chrome: Chrome,
    title: String,
    text: String,
    home: String,
}

fn status_page(
    lang: Lang,
    here: &str,
    status: StatusCode,
    title: &str,
    text: &str,
) -> HttpResponse {
    let chrome = Chrome::new(lang, here);
    let tr = chrome.tr;
    let page = StatusPage {
        title: tr.t(title),
        text: tr.t(text),
        home: tr.t("not-found-home"),
        chrome,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(error) => {
            tracing::error!(%error, "status page");
            HttpResponse::build(status).finish()
        }
    }
}

/// A 404 page in `lang` with its own words (message ids), whose language
/// switch comes back to `here`.
pub fn page_not_found(lang: Lang, here: &str, title: &str, text: &str, home: &str) -> HttpResponse {
    let chrome = Chrome::new(lang, here);
    let tr = chrome.tr;
    let page = StatusPage {
        title: tr.t(title),
        text: tr.t(text),
        home: tr.t(home),
        chrome,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(StatusCode::NOT_FOUND)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(error) => {
            tracing::error!(%error, "status page");
            HttpResponse::build(StatusCode::NOT_FOUND).finish()
        }
    }
}

/// The 404 page in `lang`, for any address that is not a page (the
/// default service for paths outside the JSON API).
pub fn not_found_page(lang: Lang) -> HttpResponse {
    status_page(
        lang,
        "/",
        StatusCode::NOT_FOUND,
        "not-found-title",
        "not-found-text",
    )
}

/// The 400 page in `lang`: an address whose parameters make no sense.
pub fn bad_request_page(lang: Lang) -> HttpResponse {
    status_page(
        lang,
        "/",
        StatusCode::BAD_REQUEST,
        "bad-address-title",
        "bad-address-text",
    )
}

/// The 500 page in `lang`: a plain sentence, never the error itself (the
/// caller logs that).
pub fn server_error_page(lang: Lang) -> HttpResponse {
    status_page(
        lang,
        "/",
        StatusCode::INTERNAL_SERVER_ERROR,
        "error-title",
        "error-text",
    )
}

/// A handler form of [`not_found_page`], e.g. for `App::default_service`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    not_found_page(Lang::of(&req))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_comes_back_to_the_page_escaped() {
        let c = Chrome::new(Lang(crate::i18n::Language::En), "/elections/a b&c");
        assert_eq!(c.switch_href, "/language/es?back=/elections/a%20b%26c");
    }
}
