//! `ratify tally`, `ratify results` and `ratify certify`: after the window.

use std::path::Path;

use chrono::Utc;
use serde_json::json;

use super::account::{operator, read_password};
use super::{open_database, Report};
use crate::audit;
use crate::config::Settings;
use crate::election::load_election;
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::keys::Keys;
use crate::tally;

/// `ratify tally SLUG --out TALLY.json` (only after close, S10).
pub fn tally(settings: &Settings, slug: &str, out: &Path) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let actor = operator();
    let t = tally::tally(&mut conn, slug, Some(&actor), Utc::now())?;
    ratify_crypto::write_json(out, &t.request)
        .map_err(|e| Error::io(out, std::io::Error::other(e.to_string())))?;
    let groups: Vec<String> = t
        .groups
        .iter()
        .map(|g| format!("{} ({} ballots)", g.name, g.ballots))
        .collect();
    let how = if t.new {
        "tallied"
    } else {
        "the tally was already made for"
    };
    Ok(Report::new(
        format!(
            "{how} {slug}: {} reported groups: {}; wrote the encrypted totals for the trustees to {} (tally digest {})",
            t.groups.len(),
            groups.join(", "),
            out.display(),
            t.digest
        ),
        json!({ "slug": slug, "out": out, "groups": t.groups, "tally_digest": t.digest, "new": t.new }),
    ))
}

/// `ratify results SLUG [--json]` (acceptance.md's JSON form).
pub fn results(settings: &Settings, slug: &str) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let e = load_election(&mut conn, slug)?;
    let state = e.state(Utc::now());
    let Some((results, by)) = tally::decrypt::stored_results(&mut conn, e.id)? else {
        let shares = tally::decrypt::shares(&mut conn, e.id)?.len();
        return Err(Error::Conflict(
            Message::new("results-not-yet")
                .with("slug", slug)
                .with("have", shares)
                .with("need", e.spec.decrypt_threshold()),
        ));
    };
    let mut value = serde_json::to_value(&results).map_err(|e| Error::Internal(e.to_string()))?;
    value["state"] = json!(state.as_str());
    value["decrypted_by"] = json!(by);
    Ok(Report::new(human(&results, state.as_str()), value))
}

fn human(r: &tally::Results, state: &str) -> String {
    let mut out = format!("{} ({state})\n", r.election);
    let mut line =
        |name: &str, eligible: u64, ballots: u64, qs: &[tally::results::QuestionResults]| {
            out.push_str(&format!(
                "{name}: {ballots} ballots of {eligible} eligible\n"
            ));
            for q in qs {
                let counts: Vec<String> =
                    q.counts.iter().map(|(o, n)| format!("{o} {n}")).collect();
                let verdict = if q.passed { "PASSED" } else { "did not pass" };
                out.push_str(&format!(
                    "  {}: {}, blank {} — {verdict}\n",
                    q.id,
                    counts.join(", "),
                    q.blank
                ));
            }
        };
    for g in &r.groups {
        line(
            &format!("{} [{}]", g.name, g.units.join(", ")),
            g.eligible,
            g.ballots,
            &g.questions,
        );
    }
    line(
        "overall",
        r.overall.eligible,
        r.overall.ballots,
        &r.overall.questions,
    );
    out.trim_end().to_string()
}

/// `ratify certify SLUG --email E --password-stdin`.
pub fn certify(
    settings: &Settings,
    slug: &str,
    email: &str,
    password_stdin: bool,
) -> Result<Report> {
    let password = read_password(password_stdin)?;
    let db = open_database(settings)?;
    let keys = Keys::load(&settings.keys)?;
    let signer = audit::signer(&keys, &settings.audit)?;
    let mut conn = db.get()?;
    let who = crate::certify::check_certifier(&mut conn, email, &password)?;
    let c = crate::certify::certify(&mut conn, slug, &who, &signer, &settings.audit, Utc::now())?;
    let human = match &c.certificate {
        Some(_) => format!(
            "{} certified {slug}: the quorum of {} is reached ({}); the election is certified and can no longer change",
            who.email,
            c.quorum,
            c.certified_by.join(", ")
        ),
        None => format!(
            "{} certified {slug}: {} of the {} certifications needed",
            who.email,
            c.certified_by.len(),
            c.quorum
        ),
    };
    Ok(Report::new(
        human,
        json!({ "slug": slug, "certified_by": c.certified_by, "quorum": c.quorum, "certified": c.certificate.is_some() }),
    ))
}
