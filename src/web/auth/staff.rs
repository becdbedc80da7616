//! The `Staff` extractor: the signed-in account, loaded with its session
//! from the database on every request (so sign-out, disabling an account, a
//! password change or a new role take effect at once, S11), with the CSRF
//! check for state-changing requests.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};

use secrecy::SecretString;

use super::{csrf, SESSION_CSRF, SESSION_ID};
use crate::account::{session as sessions, Account, Permission};
use crate::error::Error;
use crate::web::AppState;

pub struct Staff {
    pub account: Account,
    /// This session's CSRF token, for forms rendered in the response.
    pub csrf: String,
}

impl Staff {
    /// Refuses unless the account's role grants `permission` — the one
    /// table in `account::permission` (S11).
    pub fn require(&self, permission: Permission) -> Result<(), Error> {
        if self.account.role.grants(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "this needs permission to {} (the {} role)",
                permission.words(),
                permission.role_names().join(" or ")
            )))
        }
    }

    /// Whether the account's role grants `permission` (for what a page
    /// offers: links and forms).
    pub fn may(&self, permission: Permission) -> bool {
        self.account.role.grants(permission)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("sign in first")]
    NotSignedIn { api: bool },
    #[error(
        "the form was out of date or forged (CSRF check failed); go back, reload and try again"
    )]
    Csrf,
    #[error(transparent)]
    Other(#[from] Error),
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthError::NotSignedIn { api: true } => StatusCode::UNAUTHORIZED,
            AuthError::NotSignedIn { api: false } => StatusCode::SEE_OTHER,
            AuthError::Csrf => StatusCode::FORBIDDEN,
            AuthError::Other(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AuthError::NotSignedIn { api: false } => HttpResponse::SeeOther()
                .insert_header(("Location", "/login"))
                .finish(),
            AuthError::Other(e) => e.error_response(),
            _ => HttpResponse::build(self.status_code())
                .json(serde_json::json!({ "error": self.to_string() })),
        }
    }
}

impl FromRequest for Staff {
    type Error = AuthError;
    type Future = Pin<Box<dyn Future<Output = Result<Staff, AuthError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { extract(&req).await })
    }
}

async fn extract(req: &HttpRequest) -> Result<Staff, AuthError> {
    let api = crate::web::surface::Surface::of(req).is_api();
    let not_signed_in = AuthError::NotSignedIn { api };
    let session = req.get_session();
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Error::Internal("no app state".into()))?;
    let id = session.get::<String>(SESSION_ID).ok().flatten();
    let token = session.get::<String>(SESSION_CSRF).ok().flatten();
    let (Some(id), Some(token)) = (id, token) else {
        return Err(not_signed_in);
    };
    if csrf::is_state_changing(req) && !csrf::matches(&token, csrf::presented(req).as_deref()) {
        return Err(AuthError::Csrf);
    }
    let now = state.clock.now();
    let id = SecretString::from(id);
    // Expiry (12 hours), sign-out, disable and password change are all
    // answered by this one lookup.
    let found = state
        .db
        .run(move |conn| sessions::resume(conn, &id, now))
        .await?;
    match found {
        Some(account) => Ok(Staff {
            account,
            csrf: token,
        }),
        None => {
            session.purge();
            Err(not_signed_in)
        }
    }
}
