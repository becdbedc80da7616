//! What every committee page shares: the navigation bar, role checks that
//! answer with a page (not JSON), and the words the pages use for states
//! and times.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use chrono::{DateTime, Utc};

use crate::account::Permission;
use crate::election::ElectionState;
use crate::error::Error;
use crate::web::auth::{AuthError, Staff};
use crate::web::render;

/// The signed-in navigation bar (`staff_nav.html`) and what the account's
/// role lets it do, so that a page offers only the links and forms the
/// server would accept (read from [`Role::grants`], S11).
pub struct Nav {
    pub csrf: String,
    pub account_name: String,
    /// May manage accounts (shows "Accounts").
    pub is_admin: bool,
    /// May change elections (shows the action links and forms).
    pub can_run: bool,
    /// May look members up on the roll (shows "Find a member").
    pub can_find_members: bool,
}

impl Nav {
    pub fn of(staff: &Staff) -> Nav {
        Nav {
            csrf: staff.csrf.clone(),
            account_name: staff.account.name.clone(),
            is_admin: staff.may(Permission::ManageAccounts),
            can_run: staff.may(Permission::RunElection),
            can_find_members: staff.may(Permission::ReadRoll),
        }
    }
}

/// A page handler's error: not signed in (303 to /login), a failed CSRF
/// check, a role that may not be here, or an application error — each
/// shown as a short HTML page, since the readers are people, not programs.
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
    heading: &'a str,
    message: &'a str,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::Auth(e) => e.status_code(),
            PageError::App(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (heading, message) = match self {
            PageError::Auth(AuthError::NotSignedIn { .. }) => {
                return HttpResponse::SeeOther()
                    .insert_header(("Location", "/login"))
                    .finish()
            }
            PageError::Auth(e) => ("The form was out of date", e.to_string()),
            PageError::App(e) => {
                let status = e.status_code();
                if status.is_server_error() {
                    // Logged here in full; people get a plain sentence.
                    tracing::error!(error = %e, "page failed");
                    (
                        "Something went wrong",
                        "Something went wrong on our side. Please try again in a few minutes."
                            .to_string(),
                    )
                } else {
                    let heading = match status {
                        StatusCode::FORBIDDEN => "Not allowed",
                        StatusCode::NOT_FOUND => "Not found",
                        _ => "That did not work",
                    };
                    (heading, e.to_string())
                }
            }
        };
        let page = ProblemPage {
            heading,
            message: &message,
        };
        match render(&page) {
            Ok(mut res) => {
                *res.status_mut() = self.status_code();
                res
            }
            Err(_) => HttpResponse::build(self.status_code()).body(message),
        }
    }
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

/// A state as the committee reads it.
pub fn state_label(state: ElectionState) -> &'static str {
    match state {
        ElectionState::Draft => "Draft",
        ElectionState::KeyPublished => "Key published, waiting to open",
        ElectionState::Open => "Open for voting",
        ElectionState::Closed => "Closed",
        ElectionState::Tallied => "Tallied",
        ElectionState::Certified => "Certified",
    }
}

/// "2 days 3 hours", "5 hours 12 minutes", "7 minutes", "less than a
/// minute": the two largest units, computed on the server (no script).
pub fn duration_words(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let secs = (to - from).num_seconds().max(0);
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let unit = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if days > 0 {
        if hours > 0 {
            format!("{} {}", unit(days, "day"), unit(hours, "hour"))
        } else {
            unit(days, "day")
        }
    } else if hours > 0 {
        if minutes > 0 {
            format!("{} {}", unit(hours, "hour"), unit(minutes, "minute"))
        } else {
            unit(hours, "hour")
        }
    } else if minutes > 0 {
        unit(minutes, "minute")
    } else {
        "less than a minute".to_string()
    }
}

/// The countdown line for an election in `state` at `now`.
pub fn countdown(
    state: ElectionState,
    now: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> String {
    match state {
        ElectionState::Draft if now < opens_at => format!(
            "opens in {}, if the election key is published by then",
            duration_words(now, opens_at)
        ),
        ElectionState::Draft => {
            "the opening time has passed, but without a published key the election cannot open"
                .to_string()
        }
        ElectionState::KeyPublished => format!("opens in {}", duration_words(now, opens_at)),
        ElectionState::Open => format!("closes in {}", duration_words(now, closes_at)),
        ElectionState::Closed | ElectionState::Tallied | ElectionState::Certified => {
            "closed".to_string()
        }
    }
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
    use chrono::Duration;

    #[test]
    fn durations_read_as_two_units() {
        let t = Utc::now();
        let d = |s| duration_words(t, t + Duration::seconds(s));
        assert_eq!(d(2 * 86_400 + 3 * 3_600 + 59), "2 days 3 hours");
        assert_eq!(d(86_400), "1 day");
        assert_eq!(d(3_600 + 60), "1 hour 1 minute");
        assert_eq!(d(5 * 60 + 30), "5 minutes");
        assert_eq!(d(30), "less than a minute");
        assert_eq!(d(-30), "less than a minute");
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
