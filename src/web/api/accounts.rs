//! Committee accounts (admin only). Changes are logged in the system log
//! with the acting admin (S12). Passwords go in, never out.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::{self, Limit};
use super::error::{ApiError, ErrorBody};
use super::role_names;
use crate::account::Permission;
use crate::account::{self, Account, NewAccount, ReadyAccount, Role};
use crate::error::Error;
use crate::web::auth::Staff;
use crate::web::extract;
use crate::web::AppState;

/// An account: never its password hash or TOTP secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountBody {
    pub id: i64,
    #[schema(example = "chair@example.org")]
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Whether sign-in asks for an authenticator code.
    pub totp: bool,
    pub disabled: bool,
}

impl From<Account> for AccountBody {
    fn from(a: Account) -> AccountBody {
        let Account {
            id,
            email,
            name,
            role,
            totp,
            disabled,
        } = a;
        AccountBody {
            id,
            email,
            name,
            role,
            totp,
            disabled,
        }
    }
}

/// Every account, by email.
#[utoipa::path(
    tag = "accounts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The accounts", body = [AccountBody]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ManageAccounts)))),
)]
#[get("/v1/accounts")]
pub async fn list_accounts(
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAccounts)?;
    let accounts = state.db.run(account::list_accounts).await?;
    let list: Vec<AccountBody> = accounts.into_iter().map(AccountBody::from).collect();
    Ok(HttpResponse::Ok().json(list))
}

/// A new account. No `Debug`: the password must not reach a log.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountRequest {
    /// An email address; stored in lower case. No other account may have it.
    #[schema(format = Email, example = "teller@example.org")]
    pub email: String,
    /// The account holder's name: not blank, no NUL character.
    #[schema(pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$", example = "Sam Teller")]
    pub name: String,
    /// `admin`, `committee`, `trustee` or `auditor`.
    #[schema(value_type = Role)]
    pub role: String,
    /// At least 12 characters, no NUL character; hashed with argon2id,
    /// never returned.
    #[schema(format = Password, write_only, min_length = 12, pattern = r"^[^\u0000]*$")]
    pub password: String,
    /// Ask for an authenticator code at sign-in; the response then carries
    /// the `otpauth://` URL to enrol it.
    #[serde(default)]
    pub totp: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedAccountBody {
    pub account: AccountBody,
    /// Only when `totp` was asked for: hand it to the account's owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otpauth_url: Option<String>,
}

/// Creates an account, logged as `account.created` with the acting admin.
#[utoipa::path(
    tag = "accounts",
    security(("session" = [], "csrf" = [])),
    request_body = CreateAccountRequest,
    responses(
        (status = 201, description = "Created", body = CreatedAccountBody),
        (status = 400, description = "A bad email, name, role or password; `field` says which", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or no CSRF token", body = ErrorBody),
        (status = 408, description = "The body did not arrive within server.body_timeout_secs", body = ErrorBody),
        (status = 409, description = "An account with this email exists", body = ErrorBody),
        (status = 413, description = "Larger than server.max_body_bytes", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ManageAccounts)))),
)]
#[post("/v1/accounts")]
pub async fn create_account(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAccounts)?;
    let bytes = body::read(
        &req,
        payload,
        &body::JSON,
        Limit::Body,
        &state.settings.server,
    )
    .await?;
    let CreateAccountRequest {
        email,
        name,
        role,
        password,
        totp,
    } = body::json(&bytes)?;
    let role = Role::parse(role.trim()).ok_or_else(|| {
        ApiError::field(
            "role",
            "role: expected admin, committee, trustee or auditor",
        )
    })?;
    let new = NewAccount {
        email,
        name,
        role,
        password: SecretString::from(password),
        totp,
    };
    let new = ReadyAccount::prepare(new, &state.passwords)
        .await
        .map_err(field_of)?;
    let actor = staff.account.email;
    let now = state.clock.now();
    let (account, otpauth_url) = state
        .db
        .run(move |conn| account::create_account(conn, &new, Some(actor.as_str()), now))
        .await
        .map_err(field_of)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", "/api/v1/accounts"))
        .json(CreatedAccountBody {
            account: account.into(),
            otpauth_url,
        }))
}

/// An error about one field of the request keeps the field on its own.
fn field_of(e: Error) -> ApiError {
    match e {
        Error::InvalidField(f) => ApiError::Field {
            message: f.to_string(),
            field: f.field,
            line: None,
        },
        other => other.into(),
    }
}

/// The account in the path.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AccountPath {
    /// The account's id.
    id: i64,
}

/// Disables an account: it cannot sign in, and its sessions stop working
/// at their next request. Logged as `account.disabled`. An admin cannot
/// disable their own account (there would be no one left to undo it).
#[utoipa::path(
    tag = "accounts",
    security(("session" = [], "csrf" = [])),
    params(AccountPath),
    responses(
        (status = 200, description = "Disabled", body = AccountBody),
        (status = 400, description = "`id` is not a whole number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin, or no CSRF token", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 409, description = "Your own account", body = ErrorBody),
    ),
    extensions(("x-ratify-roles" = json!(role_names(Permission::ManageAccounts)))),
)]
#[post("/v1/accounts/{id}/disable")]
pub async fn disable_account(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::ManageAccounts)?;
    // Read after the role check (S11), without actix's `web::Path` (S4).
    let AccountPath { id } = extract::path(&req)?;
    let (actor_id, actor) = (staff.account.id, staff.account.email);
    let now = state.clock.now();
    let account = state
        .db
        .run(move |conn| account::set_disabled(conn, id, true, Some(actor_id), &actor, now))
        .await?;
    Ok(HttpResponse::Ok().json(AccountBody::from(account)))
}
