//! `ratify account create`.

use std::io::BufRead;

use secrecy::SecretString;
use serde_json::json;

use super::args::AccountCommand;
use super::{open_database, Report};
use crate::account::{self, NewAccount, ReadyAccount};
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::i18n::Message;

pub fn run(settings: &Settings, cmd: AccountCommand) -> Result<Report> {
    match cmd {
        AccountCommand::Create {
            email,
            name,
            role,
            password_stdin,
            totp,
        } => {
            let password = read_password(password_stdin)?;
            let new = ReadyAccount::prepare_blocking(NewAccount {
                email,
                name,
                role,
                password,
                totp,
            })?;
            let db = open_database(settings)?;
            let mut conn = db.get()?;
            let (acct, url) =
                account::create_account(&mut conn, &new, Some(&operator()), chrono::Utc::now())?;
            let mut human = format!("created {} account {}", acct.role.as_str(), acct.email);
            if let Some(url) = &url {
                human.push_str(&format!("\nadd this to an authenticator app: {url}"));
            }
            Ok(Report::new(
                human,
                json!({ "id": acct.id, "email": acct.email, "role": acct.role, "totp_url": url }),
            ))
        }
    }
}

/// Passwords come from standard input only, never from arguments (which
/// other users can read in the process list).
pub fn read_password(password_stdin: bool) -> Result<SecretString> {
    if !password_stdin {
        return Err(Error::Invalid(Message::untranslated(
            "--password-stdin is required: pipe the password on standard input",
        )));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Error::Invalid(Message::untranslated(format!(
            "reading the password from stdin: {e}"
        )))
    })?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if pw.is_empty() {
        return Err(Error::Invalid(Message::untranslated(
            "password: standard input was empty",
        )));
    }
    Ok(SecretString::from(pw))
}

/// The actor recorded for command-line actions: the operating-system user
/// who ran them, since the command line has no signed-in account.
pub fn operator() -> String {
    format!("cli:{}", os_user())
}

/// The name of the effective user running this command, from the system's
/// user database, not from `$USER` (which anyone can set, and which is
/// unset under `sudo -i` or cron). A uid with no name is written as the
/// number, `uid:1000` (docs/audit-format.md, "Entry kinds").
fn os_user() -> String {
    let uid = nix::unistd::geteuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid:{uid}"),
    }
}
