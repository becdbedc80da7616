//! `ratify election ...` and `ratify roll import`.

use std::path::Path;

use chrono::Utc;
use serde_json::json;

use super::account::operator;
use super::args::ElectionCommand;
use super::{open_database, Report};
use crate::ceremony;
use crate::config::Settings;
use crate::election::{self, parse_spec_within, ExtendError, LocalTime};
use crate::error::{Error, Result};
use crate::i18n::Message;

pub fn run(settings: &Settings, cmd: ElectionCommand) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let now = Utc::now();
    let actor = operator();
    match cmd {
        ElectionCommand::Create { spec } => {
            let text = read(&spec)?;
            let spec = parse_spec_within(&text, &settings.election.limits()).map_err(|e| {
                Error::Invalid(Message::untranslated(format!("{}: {e}", spec.display())))
            })?;
            let e = election::create_election(&mut conn, &spec, Some(&actor), now)?;
            let slug = e.spec.slug().to_string();
            Ok(Report::new(
                slug.clone(),
                json!({ "slug": slug, "state": "draft" }),
            ))
        }
        ElectionCommand::Show { slug } => {
            let s = election::election_summary(&mut conn, &slug, now)?;
            let mut human = format!(
                "{} ({})\nstate: {}\nopens: {}\ncloses: {}\nroll: {} eligible, {} voted\n",
                s.title, s.slug, s.state, s.opens_local, s.closes_local, s.eligible, s.voted
            );
            for u in &s.units {
                human.push_str(&format!(
                    "  {:<6} {:<28} {:>7} eligible {:>7} voted\n",
                    u.code, u.name, u.eligible, u.voted
                ));
            }
            if let Some(k) = &s.public_key {
                human.push_str(&format!("election key: {k}\n"));
            }
            Ok(Report::new(
                human.trim_end(),
                serde_json::to_value(&s).expect("serializable"),
            ))
        }
        ElectionCommand::PublishKey { slug } => {
            let keys = ceremony::publish_key(
                &mut conn,
                &slug,
                Some(&actor),
                now,
                settings.election.max_trustee_slots_per_account,
            )?;
            let key = keys.public_key.to_hex();
            Ok(Report::new(
                format!("published the election key of {slug}: {key}\nthe spec and the roll are now frozen"),
                json!({ "slug": slug, "public_key": key, "state": "key_published" }),
            ))
        }
        ElectionCommand::Extend {
            slug,
            closes_at,
            reason,
        } => {
            let e = election::load_election(&mut conn, &slug)?;
            let when = LocalTime::instant(&closes_at, e.spec.time_zone())
                .map_err(|e| Error::Invalid(Message::untranslated(format!("--closes-at: {e}"))))?;
            let limits = settings.election.limits();
            let e = election::extend_window(
                &mut conn,
                &slug,
                when,
                &reason,
                &limits,
                Some(&actor),
                now,
            )
            .map_err(|e| match e {
                // Name the option the person typed, not the API's field.
                ExtendError::Window(w) => {
                    let option = format!("--{}", w.field().replace('_', "-"));
                    let message = Message::new("refusal-field")
                        .with("field", option)
                        .with("message", w.message());
                    if w.is_conflict() {
                        Error::Conflict(message)
                    } else {
                        Error::Invalid(message)
                    }
                }
                ExtendError::Other(e) => e,
            })?;
            let closes = e.spec.window().closes_at();
            Ok(Report::new(
                format!("{slug} now closes {}", e.spec.display_local(closes)),
                json!({ "slug": slug, "closes_at": closes.to_rfc3339() }),
            ))
        }
    }
}

pub fn import_roll(settings: &Settings, slug: &str, path: &Path, json_out: bool) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let e = election::load_election(&mut conn, slug)?;
    let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    let roll = crate::roll::parse_roll(&bytes, &e.spec.unit_codes()).map_err(|errs| {
        Error::Invalid(Message::untranslated(format!("{}: {errs}", path.display())))
    })?;
    let bar = progress_bar(roll.len() as u64, json_out);
    let imported =
        crate::roll::import_roll(&mut conn, slug, &roll, Some(&operator()), Utc::now(), |n| {
            bar.inc(n as u64)
        })?;
    bar.finish_and_clear();
    let mut human = format!(
        "imported {} members into {slug}{}",
        imported.members,
        if imported.replaced {
            " (replacing the previous roll)"
        } else {
            ""
        }
    );
    for (unit, n) in &imported.per_unit {
        human.push_str(&format!("\n  {unit:<6} {n:>7}"));
    }
    Ok(Report::new(
        human,
        serde_json::to_value(&imported).expect("serializable"),
    ))
}

/// A progress bar on stderr for people; hidden for scripts and pipes.
fn progress_bar(len: u64, json_out: bool) -> indicatif::ProgressBar {
    if json_out || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("importing");
    bar
}

pub(super) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}
