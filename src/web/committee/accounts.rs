//! Committee accounts (admin only): list, create, disable and enable. The
//! account functions write each change to the system audit log (S12).

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use super::page::{render_status, see_other, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::account::{self, Account, NewAccount, Role};
use crate::error::Error;
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

struct RoleOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "committee/accounts.html")]
struct AccountsPage {
    nav: Nav,
    me: i64,
    accounts: Vec<Account>,
    roles: Vec<RoleOption>,
    email: String,
    name: String,
    notice: &'static str,
    errors: Vec<String>,
}

fn roles(selected: &str) -> Vec<RoleOption> {
    [
        ("committee", "Committee: runs elections"),
        ("trustee", "Trustee: holds a key share"),
        ("auditor", "Auditor: reads, no contact details"),
        ("admin", "Admin: accounts and elections"),
    ]
    .into_iter()
    .map(|(value, label)| RoleOption {
        value,
        label,
        selected: value == selected,
    })
    .collect()
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: Option<&CreateForm>,
    notice: &'static str,
    errors: Vec<String>,
) -> Result<AccountsPage, Error> {
    let accounts = state.db.run(account::list_accounts).await?;
    Ok(AccountsPage {
        nav: Nav::of(staff),
        me: staff.account.id,
        accounts,
        roles: roles(form.map_or("committee", |f| f.role.as_str())),
        email: form.map(|f| f.email.clone()).unwrap_or_default(),
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        notice,
        errors,
    })
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// GET /committee/accounts
pub async fn list(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let notice = match done.done.as_str() {
        "created" => "The account was created. Give its owner the password by a separate channel.",
        "disabled" => "The account was disabled; its sessions end at once.",
        "enabled" => "The account was enabled.",
        _ => "",
    };
    Ok(render(
        &page(&state, &staff, None, notice, Vec::new()).await?,
    )?)
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// POST /committee/accounts
pub async fn create(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    form: web::Form<CreateForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let form = form.into_inner();
    let Some(role) = Role::parse(&form.role) else {
        let errors = vec![format!("Role: `{}` is not a role", form.role)];
        let p = page(&state, &staff, Some(&form), "", errors).await?;
        return render_status(&p, StatusCode::BAD_REQUEST);
    };
    let new = NewAccount {
        email: form.email.clone(),
        name: form.name.clone(),
        role,
        password: SecretString::from(form.password.clone()),
        totp: false,
    };
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let passwords = state.passwords.clone();
    let db = state.db.clone();
    let result = async move {
        let new = account::ReadyAccount::prepare(new, &passwords).await?;
        db.run(move |conn| account::create_account(conn, &new, Some(&actor), now))
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/committee/accounts?done=created")),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let p = page(&state, &staff, Some(&form), "", vec![e.to_string()]).await?;
            render_status(&p, status)
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /committee/accounts/{id}/disable and /committee/accounts/{id}/enable
pub async fn set_disabled(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    path: web::Path<(i64, String)>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let (id, action) = path.into_inner();
    let disabled = match action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(Error::NotFound(format!("account action {action:?}")).into()),
    };
    let (actor_id, actor) = (staff.account.id, staff.account.email.clone());
    let now = state.clock.now();
    let result = state
        .db
        .run(move |conn| account::set_disabled(conn, id, disabled, Some(actor_id), &actor, now))
        .await;
    match result {
        Ok(_) => {}
        // Your own account: shown on the accounts page, as a form error.
        Err(e @ Error::Conflict(_)) => {
            let p = page(&state, &staff, None, "", vec![e.to_string()]).await?;
            return render_status(&p, StatusCode::CONFLICT);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(see_other(if disabled {
        "/committee/accounts?done=disabled"
    } else {
        "/committee/accounts?done=enabled"
    }))
}
