//! Committee accounts (admin only): list, create, disable — after a
//! confirmation page that says what disabling does — and enable. The
//! account functions write each change to the system audit log (S12).

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use super::page::{fargs, refusal_words, render_status, see_other, staff_with, Nav, PageResult};
use crate::account::Permission;
use crate::account::{self, Account, NewAccount, Role};
use crate::error::Error;
use crate::i18n::{Lang, Tr};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

struct RoleOption {
    value: &'static str,
    label: String,
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
    notice: String,
    errors: Vec<String>,
}

fn role_words(tr: Tr, role: Role) -> String {
    tr.t(match role {
        Role::Committee => "role-committee",
        Role::Trustee => "role-trustee",
        Role::Auditor => "role-auditor",
        Role::Admin => "role-admin",
    })
}

fn roles(tr: Tr, selected: &str) -> Vec<RoleOption> {
    [Role::Committee, Role::Trustee, Role::Auditor, Role::Admin]
        .into_iter()
        .map(|role| RoleOption {
            value: role.as_str(),
            label: role_words(tr, role),
            selected: role.as_str() == selected,
        })
        .collect()
}

async fn page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    form: Option<&CreateForm>,
    notice: String,
    errors: Vec<String>,
) -> Result<AccountsPage, Error> {
    let accounts = state.db.run(account::list_accounts).await?;
    let nav = Nav::of(staff, lang, "/committee/accounts");
    Ok(AccountsPage {
        roles: roles(nav.tr, form.map_or("committee", |f| f.role.as_str())),
        nav,
        me: staff.account.id,
        accounts,
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
    lang: Lang,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let tr = lang.tr();
    let notice = match done.done.as_str() {
        "created" => tr.t("notice-account-created"),
        "disabled" => tr.t("notice-account-disabled"),
        "enabled" => tr.t("notice-account-enabled"),
        _ => String::new(),
    };
    Ok(render(
        &page(&state, &staff, lang, None, notice, Vec::new()).await?,
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
    lang: Lang,
    form: web::Form<CreateForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let form = form.into_inner();
    let Some(role) = Role::parse(&form.role) else {
        let errors = vec![lang.tr().t("account-bad-role")];
        let p = page(&state, &staff, lang, Some(&form), String::new(), errors).await?;
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
            let errors = vec![refusal_words(lang.tr(), &e)];
            let p = page(&state, &staff, lang, Some(&form), String::new(), errors).await?;
            render_status(&p, status)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "committee/confirm_disable.html")]
struct ConfirmDisable {
    nav: Nav,
    id: i64,
    what: String,
}

/// GET /committee/accounts/{id}/disable: what disabling does, and the
/// button that does it (issue 11: it ends the owner's sessions at once).
pub async fn confirm_disable(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    path: web::Path<(i64, String)>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ManageAccounts)?;
    let (id, action) = path.into_inner();
    if action != "disable" {
        return Err(Error::NotFound(format!("account page {action:?}")).into());
    }
    let accounts = state.db.run(account::list_accounts).await?;
    let Some(target) = accounts.into_iter().find(|a| a.id == id) else {
        return Err(Error::NotFound(format!("account {id}")).into());
    };
    let nav = Nav::of(&staff, lang, &format!("/committee/accounts/{id}/disable"));
    let what = nav.tr.t_with(
        "disable-what",
        &fargs!("name" => target.name.clone(), "email" => target.email.clone()),
    );
    Ok(render(&ConfirmDisable { nav, id, what })?)
}

/// POST /committee/accounts/{id}/disable and /committee/accounts/{id}/enable
pub async fn set_disabled(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
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
            let errors = vec![refusal_words(lang.tr(), &e)];
            let p = page(&state, &staff, lang, None, String::new(), errors).await?;
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
