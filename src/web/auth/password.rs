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
use crate::i18n::Lang;
use crate::web::committee::page::{fargs, Nav};
use crate::web::{render, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/password", web::get().to(form))
        .route("/account/password", web::post().to(change));
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    nav: Nav,
    min: usize,
    new_hint: String,
    error: Option<&'a str>,
    done: bool,
}

async fn form(staff: Staff, lang: Lang) -> Result<HttpResponse> {
    page(&staff, lang, None, false, 200)
}

fn page(
    staff: &Staff,
    lang: Lang,
    error: Option<&str>,
    done: bool,
    status: u16,
) -> Result<HttpResponse> {
    let nav = Nav::of(staff, lang, "/account/password");
    let mut res = render(&PasswordPage {
        new_hint: nav
            .tr
            .t_with("password-new-hint", &fargs!("n" => MIN_LENGTH)),
        nav,
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
    lang: Lang,
    form: web::Form<Change>,
) -> Result<HttpResponse> {
    let tr = lang.tr();
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
        return page(&staff, lang, Some(&tr.t("password-wrong")), false, 403);
    }
    let hash = match state.passwords.hash(&new).await {
        Ok(hash) => hash,
        Err(Error::InvalidField(f)) => {
            let message = f.message.render(tr.lang());
            let why = tr.t_with("password-bad-new", &fargs!("message" => message));
            return page(&staff, lang, Some(&why), false, 400);
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
    // The new session's token, for the forms on the page (post/redirect/
    // get would lose the "done" notice's meaning: this page is the answer).
    let csrf = session
        .get::<String>(super::SESSION_CSRF)
        .ok()
        .flatten()
        .unwrap_or_default();
    let staff = Staff { csrf, ..staff };
    page(&staff, lang, None, true, 200)
}
