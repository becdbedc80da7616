//! `ratify ballots send|reissue|print|delivery`.

use chrono::Utc;
use serde_json::json;

use super::account::operator;
use super::args::BallotsCommand;
use super::{open_database, Report};
use crate::config::Settings;
use crate::credential::{self, PrintSelection, Reissue, SendOptions};
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::keys::Keys;

pub fn run(settings: &Settings, cmd: BallotsCommand) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let now = Utc::now();
    let actor = operator();
    match cmd {
        BallotsCommand::Send {
            slug,
            reminder,
            employer_addresses,
        } => {
            let keys = Keys::load(&settings.keys)?;
            let options = SendOptions {
                reminder,
                employer_domains: &settings.mail.employer_domains,
                employer_decision: employer_addresses.as_deref(),
            };
            let q = credential::queue_ballots(
                &mut conn,
                &slug,
                keys.token_hmac(),
                &options,
                Some(&actor),
                now,
            )
            .map_err(|e| cli_field(e, "employer_reason", "--employer-addresses"))?;
            let what = if reminder { "reminder" } else { "ballot email" };
            let mut human = format!("queued {} {what}(s) for {slug}", q.queued);
            for (unit, n) in &q.per_unit {
                human.push_str(&format!("\n  {unit:<6} {n:>7}"));
            }
            if q.employer_only_skipped > 0 {
                human.push_str(&format!(
                    "\nnot mailed: {} member(s) whose only address is at an employer domain (print notices for them, or send with --employer-addresses REASON)",
                    q.employer_only_skipped
                ));
            }
            if q.pending_skipped > 0 {
                human.push_str(&format!(
                    "\nnot reminded: {} member(s) whose earlier message is still on its way",
                    q.pending_skipped
                ));
            }
            Ok(Report::new(
                human,
                serde_json::to_value(&q).expect("serializable"),
            ))
        }
        BallotsCommand::Reissue {
            slug,
            member_number,
            reason,
            email,
        } => {
            let keys = Keys::load(&settings.keys)?;
            let request = Reissue {
                member_number: &member_number,
                reason: &reason,
                email: email.as_deref(),
            };
            let r = credential::reissue(
                &mut conn,
                &slug,
                keys.token_hmac(),
                &request,
                Some(&actor),
                now,
            )
            .map_err(|e| cli_field(cli_field(e, "reason", "--reason"), "email", "--email"))?;
            Ok(Report::new(
                format!("issued a new ballot link to member {member_number} of {slug}; the old link no longer works; the email is queued"),
                serde_json::to_value(&r).expect("serializable"),
            ))
        }
        BallotsCommand::Print {
            slug,
            unit,
            member,
            out,
        } => {
            let keys = Keys::load(&settings.keys)?;
            let selection = match unit {
                Some(u) => PrintSelection::Unit(u),
                None if !member.is_empty() => PrintSelection::Members(member),
                None => {
                    return Err(Error::Invalid(Message::untranslated(
                        "name a unit (--unit U) or members (--member N ...)",
                    )))
                }
            };
            let e = crate::election::load_election(&mut conn, &slug)?;
            let notices = credential::print_notices(
                &mut conn,
                &slug,
                keys.token_hmac(),
                &selection,
                Some(&actor),
                now,
            )
            .map_err(|e| cli_field(cli_field(e, "unit", "--unit"), "member", "--member"))?;
            let html = crate::mail::notice::render_notices(
                &e,
                &settings.server.public_base_url,
                &notices,
            )?;
            write_private(&out, html.as_bytes())?;
            Ok(Report::new(
                format!(
                    "wrote {} notice(s) to {}; each member's earlier link no longer works",
                    notices.len(),
                    out.display()
                ),
                json!({ "notices": notices.len(), "out": out }),
            ))
        }
        BallotsCommand::Delivery { slug } => {
            let r = crate::mail::delivery_report(
                &mut conn,
                &slug,
                &settings.mail.employer_domains,
                true,
            )?;
            let mut human = format!(
                "{:<8} {:>7} {:>7} {:>8} {:>13} {:>7} {:>13}",
                "unit", "queued", "sent", "deferred", "undeliverable", "printed", "employer-only"
            );
            for u in &r.units {
                human.push_str(&format!(
                    "\n{:<8} {:>7} {:>7} {:>8} {:>13} {:>7} {:>13}",
                    u.unit,
                    u.queued,
                    u.sent,
                    u.deferred,
                    u.undeliverable,
                    u.printed,
                    u.employer_only
                ));
            }
            for m in r.undeliverable.iter().flatten() {
                human.push_str(&format!(
                    "\nundeliverable: {} {} <{}>: {}",
                    m.member_number, m.name, m.email, m.reply
                ));
            }
            Ok(Report::new(
                human,
                serde_json::to_value(&r).expect("serializable"),
            ))
        }
    }
}

fn option_words(option: &str, message: Message) -> Message {
    Message::new("refusal-field")
        .with("field", option)
        .with("message", message)
}

/// Names the option a person typed instead of the API's field.
fn cli_field(err: Error, field: &str, option: &str) -> Error {
    match err {
        Error::InvalidField(f) if f.field == field => {
            Error::Invalid(option_words(option, f.message))
        }
        Error::Taken(f) if f.field == field => Error::Conflict(option_words(option, f.message)),
        other => other,
    }
}

/// The notices hold working ballot links: written 0600 (S3).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))
}
