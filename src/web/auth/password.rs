//! GET/POST /account/password: a signed-in person changes their own
//! password. Every session of the account ends (S11: whoever copied a
//! cookie, or knew the old password, is out); the browser that made the
//! change gets a fresh session so the person stays signed in.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use super::login::start_session;
use super::Staff;
use crate::account::{self, password::MIN_LENGTH};
use crate::error::{Error, Result};
use crate::web::{render, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/password", web::get().to(form))
        .route("/account/password", web::post().to(change));
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    csrf: &'a str,
    min: usize,
    error: Option<&'a str>,
    done: bool,
}

async fn form(staff: Staff) -> Result<HttpResponse> {
    page(&staff.csrf, None, false, 200)
}

fn page(csrf: &str, error: Option<&str>, done: bool, status: u16) -> Result<HttpResponse> {
    let mut res = render(&PasswordPage {
        csrf,
        min: MIN_LENGTH,
        error,
        done,
    })?;
    *res.status_mut() = actix_web::http::StatusCode::from_u16(status).expect("valid status");
    Ok(res)
}

#[derive(Deserialize)]
struct Change {
    current: String,
    new: String,
}

async fn change(
    staff: Staff,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<Change>,
) -> Result<HttpResponse> {
    let Change { current, new } = form.into_inner();
    let (current, new) = (SecretString::from(current), SecretString::from(new));
    let id = staff.account.id;
    // Read, release the connection, run argon2, then write (issue 9).
    let stored = state
        .db
        .run(move |conn| account::password_hash_of(conn, id))
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {id}")))?;
    if !state.passwords.verify(&current, Some(&stored)).await {
        return page(
            &staff.csrf,
            Some("Current password: that is not your current password."),
            false,
            403,
        );
    }
    let hash = match state.passwords.hash(&new).await {
        Ok(hash) => hash,
        Err(Error::InvalidField(f)) => {
            let why = format!("New password: {}", f.message);
            return page(&staff.csrf, Some(&why), false, 400);
        }
        Err(e) => return Err(e),
    };
    let now = state.clock.now();
    let actor = staff.account.email.clone();
    let ended = state
        .db
        .run(move |conn| account::set_password_hash(conn, id, &hash, &actor, now))
        .await?;
    tracing::info!(account = id, sessions_ended = ended, "password changed");
    start_session(&state, &session, id, now).await?;
    let csrf = session
        .get::<String>(super::SESSION_CSRF)
        .ok()
        .flatten()
        .unwrap_or_default();
    page(&csrf, None, true, 200)
}
