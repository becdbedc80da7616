//! What every committee page shares: the navigation bar and the reader's
//! language, role checks that answer with a page (not JSON), and the words
//! the pages use for times, zones and counts.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use chrono_tz::Tz;

use crate::account::Permission;
use crate::error::Error;
use crate::i18n::{Lang, Tr};
use crate::web::auth::{AuthError, Staff};
use crate::web::render;

/// Fluent arguments: `fargs!("n" => 3, "zone" => name)`.
macro_rules! fargs {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut args = fluent_bundle::FluentArgs::new();
        $(args.set($key, $value);)*
        args
    }};
}
pub(crate) use fargs;

/// The signed-in navigation bar (`staff_nav.html`), the reader's language,
/// and what the account's role lets it do, so that a page offers only the
/// links and forms the server would accept (read from [`Role::grants`],
/// S11).
///
/// [`Role::grants`]: crate::account::Role::grants
pub struct Nav {
    pub tr: Tr,
    pub csrf: String,
    /// "Sign out (name)".
    pub sign_out: String,
    /// The language switch's address (it comes back to this page).
    pub switch_href: String,
    /// May manage accounts (shows "Accounts").
    pub is_admin: bool,
    /// May change elections (shows the action links and forms).
    pub can_run: bool,
    /// May look members up on the roll (shows "Find a member").
    pub can_find_members: bool,
}

impl Nav {
    pub fn of(staff: &Staff, lang: Lang, here: &str) -> Nav {
        let chrome = crate::web::public::Chrome::new(lang, here);
        Nav {
            tr: chrome.tr,
            switch_href: chrome.switch_href,
            csrf: staff.csrf.clone(),
            sign_out: chrome.tr.t_with(
                "nav-sign-out",
                &fargs!("name" => staff.account.name.clone()),
            ),
            is_admin: staff.may(Permission::ManageAccounts),
            can_run: staff.may(Permission::RunElection),
            can_find_members: staff.may(Permission::ReadRoll),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }
}

/// A time zone as people say it ("Pacific Time", "Central Mexico Time"):
/// from the catalogue's `zone-…` messages for the zones US, Canadian,
/// Mexican and Puerto Rican locals use, else "<city> time" from the IANA
/// name. chrono-tz knows only abbreviations (PST), which are not words.
pub fn zone_words(tr: Tr, zone: Tz) -> String {
    let name = zone.name();
    let id = format!("zone-{}", name.to_ascii_lowercase().replace('/', "-"));
    if let Some(words) = tr.try_t(&id) {
        return words;
    }
    let city = name.rsplit('/').next().unwrap_or(name).replace('_', " ");
    tr.t_with("zone-city", &fargs!("city" => city))
}

/// A page handler's error: not signed in (303 to /login), a failed CSRF
/// check, a role that may not be here, or an application error — each
/// shown as a short HTML page in the reader's language ([`localize`]), since
/// the readers are people, not programs.
#[derive(Debug)]
pub enum PageError {
    Auth(AuthError),
    App(Error),
}

pub type PageResult = Result<HttpResponse, PageError>;

impl From<Error> for PageError {
    fn from(e: Error) -> PageError {
        PageError::App(e)
    }
}

impl From<AuthError> for PageError {
    fn from(e: AuthError) -> PageError {
        match e {
            AuthError::Other(e) => PageError::App(e),
            e => PageError::Auth(e),
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Auth(e) => e.fmt(f),
            PageError::App(e) => e.fmt(f),
        }
    }
}

#[derive(Template)]
#[template(path = "committee/problem.html")]
struct ProblemPage<'a> {
    tr: Tr,
    heading: String,
    message: String,
    /// "Open the form again": the page the refused form came from.
    again: &'a str,
}

impl PageError {
    /// The page for this error in `tr`'s language; `again` is where the
    /// refused form can be had again (for a form that was out of date).
    fn page(&self, tr: Tr, again: &str) -> HttpResponse {
        let (heading, message, again) = match self {
            PageError::Auth(AuthError::NotSignedIn { .. }) => {
                return HttpResponse::SeeOther()
                    .insert_header(("Location", "/login"))
                    .finish()
            }
            PageError::Auth(_) => (
                tr.t("problem-out-of-date"),
                tr.t("problem-out-of-date-text"),
                again,
            ),
            PageError::App(e) => {
                let (heading, message) = app_words(tr, e);
                (heading, message, "")
            }
        };
        let page = ProblemPage {
            tr,
            heading,
            message,
            again,
        };
        match render(&page) {
            Ok(mut res) => {
                *res.status_mut() = self.status_code();
                res
            }
            Err(_) => HttpResponse::build(self.status_code()).finish(),
        }
    }
}

/// The heading and the sentence for an application error: a refusal's own
/// message (a conflict, a bad field) in the reader's language, and the
/// catalogue's words for the other kinds people meet on these pages.
fn app_words(tr: Tr, e: &Error) -> (String, String) {
    let status = e.status_code();
    if status.is_server_error() {
        // Logged here in full; people get a plain sentence.
        tracing::error!(error = %e, "page failed");
        return (tr.t("problem-went-wrong"), tr.t("problem-went-wrong-text"));
    }
    match status {
        StatusCode::FORBIDDEN => (
            tr.t("problem-not-allowed"),
            tr.t("problem-not-allowed-text"),
        ),
        StatusCode::NOT_FOUND => (tr.t("problem-not-found"), tr.t("problem-not-found-text")),
        _ => (tr.t("problem-failed"), refusal_words(tr, e)),
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::Auth(e) => e.status_code(),
            PageError::App(e) => e.status_code(),
        }
    }

    /// English: [`localize`] renders it again in the reader's language.
    fn error_response(&self) -> HttpResponse {
        self.page(Tr(crate::i18n::Language::En), "")
    }
}

/// Middleware on the committee's scope: a [`PageError`] is rendered again
/// in the reader's language ([`Lang`]), with the way back to the form
/// when the form was out of date. (`ResponseError` sees no request.)
pub async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let page = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
        .map(|e| {
            let lang = Lang::of(res.request());
            e.page(lang.tr(), &form_again(res.request().path()))
        });
    Ok(match page {
        Some(page) => res.into_response(page).map_into_boxed_body(),
        None => res.map_into_boxed_body(),
    })
}

/// The page a refused form is on: the same address for forms that have a
/// page of their own, the election's page for its extend form, the
/// accounts page for enabling an account.
fn form_again(path: &str) -> String {
    if let Some(election) = path.strip_suffix("/extend") {
        return election.to_string();
    }
    if path.ends_with("/enable") {
        return "/committee/accounts".to_string();
    }
    path.to_string()
}

/// A refused form's sentence in the reader's language (issue 9): the
/// domain's message rendered for `tr`, never its English text.
pub fn refusal_words(tr: Tr, e: &Error) -> String {
    e.words(tr.lang()).unwrap_or_else(|| e.to_string())
}

/// The signed-in account, if its role grants `permission` (S11: checked on
/// the server for every route).
pub fn staff_with(
    staff: Result<Staff, AuthError>,
    permission: Permission,
) -> Result<Staff, PageError> {
    let staff = staff?;
    staff.require(permission)?;
    Ok(staff)
}

/// Renders a page with a status other than 200 (a form shown again with
/// its errors).
pub fn render_status<T: Template>(page: &T, status: StatusCode) -> PageResult {
    let mut res = render(page)?;
    *res.status_mut() = status;
    Ok(res)
}

/// Redirect after a successful POST (so reloading does not resubmit).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// "1,234" for counts people read.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "42.5%" of `part` in `whole` ("—" when nobody is on the roll).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_named_in_words_in_both_languages() {
        let en = Tr(crate::i18n::Language::En);
        let es = Tr(crate::i18n::Language::Es);
        let zone = |name: &str| name.parse::<Tz>().unwrap();
        assert_eq!(zone_words(en, zone("America/Los_Angeles")), "Pacific Time");
        // (The Spanish words live in es.ftl only: see public_pages.rs.)
        assert!(zone_words(es, zone("America/Los_Angeles")).starts_with("hora del Pac"));
        assert!(zone_words(es, zone("America/Puerto_Rico")).ends_with("(Puerto Rico)"));
        // Not in the table: the city, in words.
        assert_eq!(
            zone_words(en, zone("Europe/Isle_of_Man")),
            "Isle of Man time"
        );
        assert_eq!(zone_words(es, zone("Asia/Tokyo")), "hora de Tokyo");
    }

    #[test]
    fn a_refused_form_is_offered_again_where_it_lives() {
        assert_eq!(
            form_again("/committee/elections/x/extend"),
            "/committee/elections/x"
        );
        assert_eq!(
            form_again("/committee/accounts/3/enable"),
            "/committee/accounts"
        );
        assert_eq!(
            form_again("/committee/elections/x/roll"),
            "/committee/elections/x/roll"
        );
    }

    #[test]
    fn counts_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5000), "5,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(0, 0), "—");
    }
}
