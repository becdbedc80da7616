//! GET/POST /login and POST /logout.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::{client, csrf, new_token, Staff, SESSION_CSRF, SESSION_ID};
use crate::account::{self, session as sessions, LoginFailure};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang, Tr};
use crate::web::committee::page::fargs;
use crate::web::public::Chrome;
use crate::web::{render, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(form))
        .route("/login", web::post().to(sign_in))
        .route("/logout", web::post().to(sign_out));
}

/// `GET /api/v1/session`, registered in the API's scope.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.route("/v1/session", web::get().to(whoami));
}

/// The signed-in account and this session's CSRF token, for API clients
/// (send it back as `X-CSRF-Token` on every POST).
async fn whoami(staff: Staff) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "account": staff.account,
        "csrf": staff.csrf,
    }))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    chrome: Chrome,
    csrf: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

/// The sign-in form. It gets its own CSRF token (login CSRF), kept in the
/// not-yet-signed-in session.
async fn form(session: Session, lang: Lang) -> Result<HttpResponse> {
    let token = pre_session_token(&session)?;
    render(&LoginPage {
        chrome: Chrome::new(lang, "/login"),
        csrf: &token,
        email: "",
        error: None,
    })
}

fn pre_session_token(session: &Session) -> Result<String> {
    if let Ok(Some(t)) = session.get::<String>(SESSION_CSRF) {
        return Ok(t);
    }
    let t = new_token();
    session
        .insert(SESSION_CSRF, &t)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(t)
}

/// Limiter entries kept before stale ones are swept.
const LIMITER_ENTRIES_BEFORE_SWEEP: usize = 10_000;

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
    #[serde(default)]
    totp: String,
}

async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    lang: Lang,
    form: web::Form<Credentials>,
) -> Result<HttpResponse> {
    let token = pre_session_token(&session)?;
    let tr = lang.tr();
    let refuse = |token: &str, email: &str, message: &str, status: u16| {
        refuse(lang, token, email, message, status)
    };
    let Credentials {
        email,
        password,
        totp,
    } = form.into_inner();
    if !csrf::matches(&token, csrf::presented(&req).as_deref()) {
        return refuse(&token, &email, &tr.t("login-out-of-date"), 403);
    }
    let Some(client) = client::address(&req, &state.settings.server.trusted_proxies) else {
        return Err(Error::Internal("no peer address".into()));
    };
    let client = client::key(client);
    // A flood from many addresses leaves one limiter entry per address;
    // drop the ones whose minute has passed before they add up (S11: a
    // flood of sign-ins cannot exhaust memory).
    if state.login_limiter.len() > LIMITER_ENTRIES_BEFORE_SWEEP {
        state.login_limiter.retain_recent();
    }
    if state.login_limiter.check_key(&client).is_err() {
        return refuse(&token, &email, &tr.t("login-too-many"), 429);
    }
    // Bad input is refused before anything is counted or looked up (S16):
    // a NUL byte or a 10 kB "email" is nobody's address.
    if account::normalize_email(&email).is_err() {
        return refuse(&token, &email, &tr.t("login-bad-email"), 400);
    }
    if password.chars().count() > account::password::MAX_LENGTH {
        return refuse(
            &token,
            &email,
            &tr.t_with(
                "login-password-too-long",
                &fargs!("n" => account::password::MAX_LENGTH),
            ),
            400,
        );
    }
    let now = state.clock.now();
    let attempt = account::Attempt {
        email: email.clone(),
        password: SecretString::from(password),
        totp: (!totp.trim().is_empty()).then_some(totp),
        client: client.to_string(),
        now,
    };
    match account::sign_in(&state.db, &state.passwords, attempt).await? {
        Ok(account) => start_session(&state, &session, account.id, now)
            .await
            .map(|()| {
                tracing::info!(account = account.id, "signed in");
                HttpResponse::SeeOther()
                    .insert_header(("Location", "/committee"))
                    .finish()
            }),
        Err(LoginFailure::BadCredentials) => refuse(&token, &email, &tr.t("login-no-match"), 401),
        Err(LoginFailure::Locked { until }) => {
            refuse(&token, &email, &locked_message(tr, now, until), 423)
        }
    }
}

/// The lock's end as the reader can use it wherever they are: how long
/// from now (true in every time zone; the server does not know the
/// reader's zone, and the election's zone is not theirs), then the clock
/// time in UTC, said so in words.
fn locked_message(
    tr: Tr,
    now: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
) -> String {
    tr.t_with(
        "login-locked",
        &fargs!(
            // Rounded up: "in 15 minutes" rather than "in 14" at 14:30.
            "duration" => i18n::duration_words(tr, now, until + chrono::Duration::seconds(59)),
            "time" => until.format("%H:%M").to_string(),
        ),
    )
}

/// A new session (row and cookie) for a signed-in account. The cookie gets a
/// new id too: no session fixation.
pub(super) async fn start_session(
    state: &AppState,
    session: &Session,
    account_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let id = state
        .db
        .run(move |conn| sessions::start(conn, account_id, now))
        .await?;
    session.renew();
    let insert = |k: &str, v: String| {
        session
            .insert(k, v)
            .map_err(|e| Error::Internal(e.to_string()))
    };
    insert(SESSION_ID, id.expose_secret().to_string())?;
    insert(SESSION_CSRF, new_token())?;
    Ok(())
}

/// This request's session id, if the cookie has one.
pub(super) fn session_id(session: &Session) -> Option<SecretString> {
    session
        .get::<String>(SESSION_ID)
        .ok()
        .flatten()
        .map(SecretString::from)
}

fn refuse(
    lang: Lang,
    token: &str,
    email: &str,
    message: &str,
    status: u16,
) -> Result<HttpResponse> {
    // The form is filled in again, without what no address contains.
    let email: String = email
        .chars()
        .filter(|c| !c.is_control() && !account::is_bidi_control(*c))
        .take(crate::roll::Email::MAX_LEN)
        .collect();
    let page = LoginPage {
        chrome: Chrome::new(lang, "/login"),
        csrf: token,
        email: &email,
        error: Some(message),
    };
    let mut res = render(&page)?;
    *res.status_mut() = actix_web::http::StatusCode::from_u16(status).expect("valid status");
    Ok(res)
}

/// Ends the session on the server (S11), not only in this browser: a copy
/// of the cookie stops working too.
async fn sign_out(
    staff: Staff,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse> {
    if let Some(id) = session_id(&session) {
        state.db.run(move |conn| sessions::end(conn, &id)).await?;
    }
    tracing::info!(account = staff.account.id, "signed out");
    session.purge();
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/login"))
        .finish())
}
