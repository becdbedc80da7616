//! GET/POST /login and POST /logout.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use super::{csrf, new_token, Staff, SESSION_ACCOUNT, SESSION_CSRF, SESSION_SINCE};
use crate::account::{self, LoginFailure};
use crate::error::{Error, Result};
use crate::web::{render, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(form))
        .route("/login", web::post().to(sign_in))
        .route("/logout", web::post().to(sign_out))
        .route("/api/v1/session", web::get().to(whoami));
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
    csrf: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

/// The sign-in form. It gets its own CSRF token (login CSRF), kept in the
/// not-yet-signed-in session.
async fn form(session: Session) -> Result<HttpResponse> {
    let token = pre_session_token(&session)?;
    render(&LoginPage {
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
    form: web::Form<Credentials>,
) -> Result<HttpResponse> {
    let token = pre_session_token(&session)?;
    if !csrf::matches(&token, csrf::presented(&req).as_deref()) {
        return refuse(
            &token,
            &form.email,
            "The form was out of date. Please try again.",
            403,
        );
    }
    let client = req.peer_addr().map(|a| a.ip());
    if let Some(ip) = client {
        if state.login_limiter.check_key(&ip).is_err() {
            return refuse(
                &token,
                &form.email,
                "Too many sign-in attempts. Wait a minute and try again.",
                429,
            );
        }
    }
    let Credentials {
        email,
        password,
        totp,
    } = form.into_inner();
    let now = state.clock.now();
    let password = SecretString::from(password);
    let email_for_db = email.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let code = (!totp.trim().is_empty()).then_some(totp);
            account::authenticate(conn, &email_for_db, &password, code.as_deref(), now)
        })
        .await?;
    match outcome {
        Ok(account) => {
            // A new session id on sign-in: no session fixation.
            session.renew();
            let insert = |k: &str, v: serde_json::Value| {
                session
                    .insert(k, v)
                    .map_err(|e| Error::Internal(e.to_string()))
            };
            insert(SESSION_ACCOUNT, account.id.into())?;
            insert(SESSION_SINCE, now.timestamp_millis().into())?;
            insert(SESSION_CSRF, new_token().into())?;
            tracing::info!(account = account.id, "signed in");
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", "/committee"))
                .finish())
        }
        Err(LoginFailure::BadCredentials) => refuse(
            &token,
            &email,
            "That email and password do not match an account (or the authenticator code is wrong).",
            401,
        ),
        Err(LoginFailure::Locked { until }) => refuse(
            &token,
            &email,
            &format!(
                "This account is locked after too many wrong passwords. Try again after {} UTC.",
                until.format("%H:%M")
            ),
            423,
        ),
    }
}

fn refuse(token: &str, email: &str, message: &str, status: u16) -> Result<HttpResponse> {
    let page = LoginPage {
        csrf: token,
        email,
        error: Some(message),
    };
    let mut res = render(&page)?;
    *res.status_mut() = actix_web::http::StatusCode::from_u16(status).expect("valid status");
    Ok(res)
}

async fn sign_out(staff: Staff, session: Session) -> HttpResponse {
    tracing::info!(account = staff.account.id, "signed out");
    session.purge();
    HttpResponse::SeeOther()
        .insert_header(("Location", "/login"))
        .finish()
}
