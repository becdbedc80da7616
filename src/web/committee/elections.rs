//! The election list, creating an election from its spec, an election's
//! page (summary, countdown, turnout, what to do next), extending the
//! window and publishing the key.

use actix_multipart::form::bytes::Bytes as UploadBytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::MultipartForm;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::page::{
    countdown, duration_words, percent, render_status, see_other, staff_with, state_label,
    thousands, Nav, PageResult,
};
use super::upload::read_upload;
use crate::account::Permission;
use crate::ceremony;
use crate::election::{
    self, parse_spec_within, ElectionState, ElectionSummary, ExtendError, LocalTime, Rule,
    StoredElection, WindowError,
};
use crate::error::Error;
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

// ------------------------------------------------------------------ list

struct ElectionRow {
    slug: String,
    title: String,
    state: &'static str,
    opens_local: String,
    closes_local: String,
}

#[derive(Template)]
#[template(path = "committee/elections.html")]
struct ElectionsPage {
    nav: Nav,
    rows: Vec<ElectionRow>,
}

/// GET /committee
pub async fn list(state: web::Data<AppState>, staff: Result<Staff, AuthError>) -> PageResult {
    let staff = staff_with(staff, Permission::ReadElection)?;
    let now = state.clock.now();
    let elections = state.db.run(election::list_elections).await?;
    let rows = elections
        .iter()
        .map(|e| {
            let w = e.spec.window();
            ElectionRow {
                slug: e.spec.slug().to_string(),
                title: e.spec.title().en().to_string(),
                state: state_label(e.state(now)),
                opens_local: e.spec.display_local(w.opens_at()),
                closes_local: e.spec.display_local(w.closes_at()),
            }
        })
        .collect();
    Ok(render(&ElectionsPage {
        nav: Nav::of(&staff),
        rows,
    })?)
}

// ---------------------------------------------------------------- create

#[derive(Template)]
#[template(path = "committee/new_election.html")]
struct NewElectionPage {
    nav: Nav,
    spec: String,
    error: Option<SpecProblem>,
}

/// One refusal, in the words the form shows: where, then what.
struct SpecProblem {
    line: Option<usize>,
    field: String,
    message: String,
}

/// GET /committee/elections/new
pub async fn new_form(staff: Result<Staff, AuthError>) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    Ok(render(&NewElectionPage {
        nav: Nav::of(&staff),
        spec: String::new(),
        error: None,
    })?)
}

/// The spec form: pasted text, or a file (the file wins when both are given).
#[derive(MultipartForm)]
pub struct SpecUpload {
    spec: Option<Text<String>>,
    spec_file: Option<UploadBytes>,
}

/// POST /committee/elections/new (multipart)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let nav = Nav::of(&staff);
    let refuse = |nav: Nav, spec: String, problem: SpecProblem, status: StatusCode| {
        render_status(
            &NewElectionPage {
                nav,
                spec,
                error: Some(problem),
            },
            status,
        )
    };
    let limit = state.settings.server.max_body_bytes;
    let form = match read_upload::<SpecUpload>(&req, payload, limit).await {
        Ok(form) => form,
        Err(e) => {
            let problem = SpecProblem {
                line: None,
                field: String::new(),
                message: e.to_string(),
            };
            return refuse(nav, String::new(), problem, e.status());
        }
    };
    let file = form
        .spec_file
        .map(|f| f.data.to_vec())
        .filter(|d| !d.is_empty());
    let text = match file {
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                let problem = SpecProblem {
                    line: None,
                    field: String::new(),
                    message: "the file is not UTF-8 text; save the spec as UTF-8 (plain text)"
                        .into(),
                };
                return refuse(nav, String::new(), problem, StatusCode::BAD_REQUEST);
            }
        },
        None => form.spec.map(Text::into_inner).unwrap_or_default(),
    };
    if text.trim().is_empty() {
        let problem = SpecProblem {
            line: None,
            field: String::new(),
            message: "paste the spec into the box or choose a spec file".into(),
        };
        return refuse(nav, text, problem, StatusCode::BAD_REQUEST);
    }
    let spec = match parse_spec_within(&text, &state.settings.election.limits()) {
        Ok(spec) => spec,
        Err(e) => {
            let problem = SpecProblem {
                line: e.line,
                field: e.field,
                message: e.message,
            };
            return refuse(nav, text, problem, StatusCode::BAD_REQUEST);
        }
    };
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let created = state
        .db
        .run(move |conn| election::create_election(conn, &spec, Some(&actor), now))
        .await;
    match created {
        Ok(e) => Ok(see_other(&format!(
            "/committee/elections/{}?done=created",
            e.spec.slug()
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let (field, message) = match e.field_error() {
                Some(f) => (f.field.clone(), f.message.clone()),
                None => (String::new(), e.to_string()),
            };
            let problem = SpecProblem {
                line: None,
                field,
                message,
            };
            refuse(nav, text, problem, status)
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ show

struct UnitRow {
    code: String,
    name: String,
    eligible: String,
    voted: String,
    turnout: String,
}

struct QuestionView {
    id: String,
    text_en: String,
    text_es: String,
    options: String,
    rule: String,
    blank: &'static str,
}

struct NextStep {
    text: String,
    href: String,
    label: String,
}

#[derive(Template)]
#[template(path = "committee/election.html")]
struct ElectionPage {
    nav: Nav,
    slug: String,
    title_en: String,
    title_es: String,
    state: &'static str,
    countdown: String,
    opens_local: String,
    closes_local: String,
    time_zone: String,
    units: Vec<UnitRow>,
    eligible: String,
    voted: String,
    turnout: String,
    questions: Vec<QuestionView>,
    trustees: u32,
    decrypt_threshold: u32,
    certify_quorum: u32,
    min_unit_report: u32,
    public_key: String,
    next: Vec<NextStep>,
    /// The extend form is shown to the committee until the window closes.
    can_extend: bool,
    /// The publish-key button is shown once every trustee has confirmed.
    can_publish: bool,
    extend_value: String,
    extend_reason: String,
    notice: String,
    errors: Vec<String>,
}

/// What the page needs from the database, read in one blocking call.
struct Loaded {
    election: StoredElection,
    summary: ElectionSummary,
    /// Trustees registered, deals, confirmations, complaints (draft only).
    ceremony: Option<(usize, usize, usize, usize)>,
}

async fn load(state: &AppState, slug: String) -> Result<Loaded, Error> {
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            let election = election::load_election(conn, &slug)?;
            let summary = election::election_summary(conn, &slug, now)?;
            let ceremony = if election.state(now) == ElectionState::Draft {
                ceremony::roster(conn, &slug).ok().map(|r| {
                    (
                        r.public.len(),
                        r.deals.len(),
                        r.confirmations.len(),
                        r.complaints.len(),
                    )
                })
            } else {
                None
            };
            Ok(Loaded {
                election,
                summary,
                ceremony,
            })
        })
        .await
}

/// `2024-12-11T17:00` in the election's zone, for a datetime-local input.
fn local_input_value(e: &StoredElection, t: DateTime<Utc>) -> String {
    t.with_timezone(&e.spec.time_zone())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn rule_words(rule: Rule, option: &str) -> String {
    match rule {
        Rule::Majority => format!(
            "passes if more than half of the ballots that answer it choose “{option}” (a tie fails)"
        ),
        Rule::AtLeast(f) => {
            format!("passes if at least {f} of the ballots that answer it choose “{option}”")
        }
    }
}

/// What the viewer may do on this page, from
/// [`Role::grants`](crate::account::Role::grants) via [`Nav`]: the steps
/// and forms offered are only those the server would accept (S11).
#[derive(Debug, Clone, Copy)]
struct Offer {
    /// Import the roll, extend, publish (the committee and admins).
    run: bool,
}

/// The extend form is for a window that voting is waiting for or in: a
/// draft's window is still part of its spec, and a closed one is over.
fn extendable(state: ElectionState) -> bool {
    matches!(state, ElectionState::KeyPublished | ElectionState::Open)
}

fn next_steps(l: &Loaded, now: DateTime<Utc>, offer: Offer) -> Vec<NextStep> {
    let e = &l.election;
    let s = &l.summary;
    let slug = e.spec.slug().to_string();
    let roll_href = format!("/committee/elections/{slug}/roll");
    let step = |text: String, href: String, label: &str| NextStep {
        text,
        href,
        label: label.to_string(),
    };
    let plain = |text: String| NextStep {
        text,
        href: String::new(),
        label: String::new(),
    };
    let mut steps = Vec::new();
    match e.state(now) {
        ElectionState::Draft => {
            match (s.eligible, offer.run) {
                (0, true) => steps.push(step(
                    "Import the roll: the CSV of eligible members (member_number, name, email, unit, language).".into(),
                    roll_href,
                    "Import the roll",
                )),
                (0, false) => steps.push(plain(
                    "The committee has not imported the roll yet.".into(),
                )),
                (n, true) => steps.push(step(
                    format!(
                        "The roll has {} members. You can replace it until the key is published.",
                        thousands(n)
                    ),
                    roll_href,
                    "Replace the roll",
                )),
                (n, false) => steps.push(plain(format!(
                    "The roll has {} members. The committee can replace it until the key is published.",
                    thousands(n)
                ))),
            }
            let n = e.spec.trustees() as usize;
            let (public, deals, confirmations, complaints) = l.ceremony.unwrap_or_default();
            let publisher = if offer.run { "Then publish" } else { "Then the committee publishes" };
            if confirmations < n || s.eligible == 0 {
                steps.push(plain(format!(
                    "Trustees: register keys ({public} of {n}), then deals ({deals} of {n}), then confirmations ({confirmations} of {n}). Each trustee follows the trustee guide (docs/trustee-guide.md) on their own computer."
                )));
                if complaints > 0 {
                    steps.push(plain(format!(
                        "{complaints} complaint(s) were registered: a trustee received a bad share. Talk to the trustees before going on."
                    )));
                }
                steps.push(plain(format!(
                    "{publisher} the election key. This freezes the spec and the roll."
                )));
            } else if offer.run {
                steps.push(plain(
                    "Every trustee has confirmed: publish the election key. This freezes the spec and the roll.".into(),
                ));
            } else {
                steps.push(plain(
                    "Every trustee has confirmed: the committee can now publish the election key, which freezes the spec and the roll.".into(),
                ));
            }
        }
        ElectionState::KeyPublished => {
            steps.push(plain(if offer.run {
                format!(
                    "Send the ballots (coming soon: for now `ratify ballots send {slug}`). Voting opens in {}.",
                    duration_words(now, e.spec.opens_at())
                )
            } else {
                format!(
                    "The committee sends the ballots. Voting opens in {}.",
                    duration_words(now, e.spec.opens_at())
                )
            }));
        }
        ElectionState::Open => {
            steps.push(plain(format!(
                "Turnout: {} of {} members have voted ({}). Reminders go only to members who have not voted (coming soon).",
                thousands(s.voted),
                thousands(s.eligible),
                percent(s.voted, s.eligible)
            )));
            if offer.run {
                steps.push(plain(
                    "If members could not vote (an outage, a storm), extend the closing time below, with a reason.".into(),
                ));
            }
        }
        ElectionState::Closed => steps.push(plain(format!(
            "Voting is over. Next: the tally, then the trustees decrypt the totals (coming soon: `ratify tally {slug}`)."
        ))),
        ElectionState::Tallied => steps.push(plain(format!(
            "Review the results per unit, then a quorum of {} committee members certifies (coming soon: `ratify certify {slug}`).",
            e.spec.certify_quorum()
        ))),
        ElectionState::Certified => steps.push(plain(
            "Certified. The election record can be exported for auditors (`ratify record export`).".into(),
        )),
    }
    steps
}

fn election_page(
    l: &Loaded,
    nav: Nav,
    now: DateTime<Utc>,
    notice: &str,
    errors: Vec<String>,
    extend: Option<(String, String)>,
) -> ElectionPage {
    let e = &l.election;
    let s = &l.summary;
    let current = e.state(now);
    let w = e.spec.window();
    let can_run = nav.can_run;
    let confirmed = l
        .ceremony
        .is_some_and(|(_, _, c, _)| c >= e.spec.trustees() as usize);
    let (extend_value, extend_reason) =
        extend.unwrap_or_else(|| (local_input_value(e, w.closes_at()), String::new()));
    ElectionPage {
        slug: s.slug.clone(),
        title_en: e.spec.title().en().to_string(),
        title_es: e.spec.title().es().to_string(),
        state: state_label(current),
        countdown: countdown(current, now, w.opens_at(), w.closes_at()),
        opens_local: s.opens_local.clone(),
        closes_local: s.closes_local.clone(),
        time_zone: s.time_zone.clone(),
        units: s
            .units
            .iter()
            .map(|u| UnitRow {
                code: u.code.clone(),
                name: u.name.clone(),
                eligible: thousands(u.eligible),
                voted: thousands(u.voted),
                turnout: percent(u.voted, u.eligible),
            })
            .collect(),
        eligible: thousands(s.eligible),
        voted: thousands(s.voted),
        turnout: percent(s.voted, s.eligible),
        questions: e
            .spec
            .questions()
            .iter()
            .map(|q| QuestionView {
                id: q.id().to_string(),
                text_en: q.text().en().to_string(),
                text_es: q.text().es().to_string(),
                options: q
                    .options()
                    .iter()
                    .map(|o| o.label().en().to_string())
                    .collect::<Vec<_>>()
                    .join(" / "),
                rule: rule_words(
                    q.rule(),
                    q.option(q.passes_on())
                        .map_or(q.passes_on().as_str(), |o| o.label().en()),
                ),
                blank: if q.allow_blank() { "yes" } else { "no" },
            })
            .collect(),
        trustees: e.spec.trustees(),
        decrypt_threshold: e.spec.decrypt_threshold(),
        certify_quorum: e.spec.certify_quorum(),
        min_unit_report: e.spec.min_unit_report(),
        public_key: e.public_key.clone().unwrap_or_default(),
        next: next_steps(l, now, Offer { run: can_run }),
        can_extend: can_run && extendable(current),
        can_publish: can_run && current == ElectionState::Draft && confirmed && s.eligible > 0,
        extend_value,
        extend_reason,
        notice: notice.to_string(),
        errors,
        nav,
    }
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn notice_for(done: &str) -> &'static str {
    match done {
        "created" => "The election was created as a draft.",
        "extended" => "The closing time was extended. The change is in the audit log.",
        "published" => "The election key is published. The spec and the roll are now frozen.",
        _ => "",
    }
}

/// GET /committee/elections/{slug}
pub async fn show(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadElection)?;
    let loaded = load(&state, slug.into_inner()).await?;
    let page = election_page(
        &loaded,
        Nav::of(&staff),
        state.clock.now(),
        notice_for(&done.done),
        Vec::new(),
        None,
    );
    Ok(render(&page)?)
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    reason: String,
}

/// A refusal of the extend form, in the words of the form's labels.
fn extend_problem(w: &WindowError) -> (String, StatusCode) {
    let label = match w.field() {
        "reason" => "Reason",
        _ => "New closing time",
    };
    let status = if w.is_conflict() {
        StatusCode::CONFLICT
    } else {
        StatusCode::BAD_REQUEST
    };
    (format!("{label}: {w}"), status)
}

/// POST /committee/elections/{slug}/extend
pub async fn extend(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
    form: web::Form<ExtendForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let form = form.into_inner();
    let loaded = load(&state, slug.clone()).await?;
    let now = state.clock.now();
    let refuse = |loaded: &Loaded, message: String, status: StatusCode| {
        let page = election_page(
            loaded,
            Nav::of(&staff),
            now,
            "",
            vec![message],
            Some((form.closes_at.clone(), form.reason.clone())),
        );
        render_status(&page, status)
    };
    // The same reading of a written time as the spec and the CLI
    // (election::LocalTime): a time the clocks skip or pass twice is
    // refused rather than guessed.
    let zone = loaded.election.spec.time_zone();
    let new_closes_at = match LocalTime::instant(&form.closes_at, zone) {
        Ok(t) => t,
        Err(e) => {
            return refuse(
                &loaded,
                format!("New closing time: {e}"),
                StatusCode::BAD_REQUEST,
            )
        }
    };
    let actor = staff.account.email.clone();
    let reason = form.reason.clone();
    let slug_db = slug.clone();
    let limits = state.settings.election.limits();
    // The window's refusals come back typed, to be shown with the form;
    // anything else is an application error.
    let result = state
        .db
        .run(move |conn| {
            match election::extend_window(
                conn,
                &slug_db,
                new_closes_at,
                &reason,
                &limits,
                Some(&actor),
                now,
            ) {
                Ok(_) => Ok(None),
                Err(ExtendError::Window(w)) => Ok(Some(w)),
                Err(ExtendError::Other(e)) => Err(e),
            }
        })
        .await;
    match result {
        Ok(None) => Ok(see_other(&format!(
            "/committee/elections/{slug}?done=extended"
        ))),
        Ok(Some(w)) => {
            let (message, status) = extend_problem(&w);
            refuse(&loaded, message, status)
        }
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            refuse(&loaded, e.to_string(), status)
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /committee/elections/{slug}/publish-key
pub async fn publish(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let actor = staff.account.email.clone();
    let now = state.clock.now();
    let slug_db = slug.clone();
    let max = state.settings.election.max_trustee_slots_per_account;
    let result = state
        .db
        .run(move |conn| ceremony::publish_key(conn, &slug_db, Some(&actor), now, max))
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}?done=published"
        ))),
        Err(e) if e.is_refusal() => {
            let status = actix_web::ResponseError::status_code(&e);
            let loaded = load(&state, slug).await?;
            let page = election_page(&loaded, Nav::of(&staff), now, "", vec![e.to_string()], None);
            render_status(&page, status)
        }
        Err(e) => Err(e.into()),
    }
}
