//! [`Lang`]: the language a request is answered in.
//!
//! The order is: an explicit choice in the address (`?lang=es`), then the
//! `lang` cookie the language switch sets, then the browser's
//! `Accept-Language` (RFC 9110 §12.5.4: the highest q-value among the
//! languages we have; `q=0` means "not this one"), then English. A link a
//! member follows from a Spanish email can thus carry `?lang=es` and win
//! over an English browser.

use std::convert::Infallible;
use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{AcceptLanguage, Header, Preference, Quality};
use actix_web::{FromRequest, HttpRequest};

use super::{Language, Tr};

/// The cookie the language switch sets (a preference, not a secret).
pub const LANG_COOKIE: &str = "lang";

/// The reader's language, for a page handler's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(pub Language);

impl Lang {
    pub fn tr(self) -> Tr {
        Tr(self.0)
    }

    pub fn of(req: &HttpRequest) -> Lang {
        let chosen = Lang::chosen(req);
        let accepted = || {
            AcceptLanguage::parse(req)
                .ok()
                .and_then(|h| preferred_language(&h))
        };
        Lang(chosen.or_else(accepted).unwrap_or(Language::En))
    }
}

impl Lang {
    /// The reader's explicit choice (`?lang=`, then the cookie the switch
    /// sets), if any. Ballot pages put the member's roll language after
    /// this and before Accept-Language.
    pub fn chosen(req: &HttpRequest) -> Option<Language> {
        from_query(req.query_string())
            .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| c.value().parse().ok()))
    }
}

impl FromRequest for Lang {
    type Error = Infallible;
    type Future = Ready<Result<Lang, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of(req)))
    }
}

/// `lang=` in a query string; anything else in it is left alone, and a
/// value we have no catalogue for is no choice at all.
fn from_query(query: &str) -> Option<Language> {
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(|value| value.parse().ok())
}

/// The most preferred language we have a catalogue for: items sorted by
/// q-value (stable, so the listed order breaks ties), `q=0` dropped, the
/// primary subtag compared (`es-MX` is Spanish). `*` stops the search:
/// anything will do, so the default applies.
pub fn preferred_language(header: &AcceptLanguage) -> Option<Language> {
    let mut items: Vec<_> = header
        .0
        .iter()
        .filter(|i| i.quality > Quality::ZERO)
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.quality));
    for item in items {
        match &item.item {
            Preference::Any => return None,
            Preference::Specific(tag) => {
                if let Ok(lang) = tag.primary_language().parse() {
                    return Some(lang);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn lang(req: TestRequest) -> Language {
        Lang::of(&req.to_http_request()).0
    }

    fn accept(value: &str) -> TestRequest {
        TestRequest::default().insert_header(("Accept-Language", value))
    }

    #[test]
    fn english_without_any_preference() {
        assert_eq!(lang(TestRequest::default()), Language::En);
        assert_eq!(lang(accept("fr, de;q=0.5")), Language::En);
        assert_eq!(lang(accept("not a header ;;; q=x")), Language::En);
    }

    #[test]
    fn accept_language_is_ranked_by_q_value() {
        assert_eq!(lang(accept("es")), Language::Es);
        assert_eq!(lang(accept("es-MX,es;q=0.9")), Language::Es);
        assert_eq!(lang(accept("en;q=0.4, es;q=0.8")), Language::Es);
        assert_eq!(lang(accept("fr-CA, es;q=0.3, en;q=0.2")), Language::Es);
        assert_eq!(lang(accept("es;q=0.5, en;q=0.5")), Language::Es);
        assert_eq!(lang(accept("es;q=0, en;q=0.1")), Language::En);
        assert_eq!(lang(accept("*, es;q=0.5")), Language::En);
    }

    #[test]
    fn an_explicit_choice_wins_over_the_browser() {
        let cookie = actix_web::cookie::Cookie::new(LANG_COOKIE, "es");
        assert_eq!(lang(accept("en").cookie(cookie.clone())), Language::Es);
        assert_eq!(lang(accept("en").uri("/?lang=es")), Language::Es);
        assert_eq!(lang(accept("es").uri("/x?a=1&lang=en")), Language::En);
        // The address wins over the cookie: it is the newer choice.
        assert_eq!(
            lang(accept("es").cookie(cookie).uri("/?lang=EN")),
            Language::En
        );
        // A language we do not have is no choice.
        assert_eq!(lang(accept("es").uri("/?lang=fr")), Language::Es);
    }
}
