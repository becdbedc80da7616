//! An election's page: summary, countdown, turnout, the ballot, and what
//! to do next — each step with the link or button that does it, and only
//! the steps the viewer's role may take (S11).

use actix_web::web;
use askama::Template;
use chrono::{DateTime, Utc};

use super::elections::Done;
use super::page::{fargs, percent, staff_with, thousands, zone_words, Nav, PageResult};
use crate::account::Permission;
use crate::ceremony;
use crate::election::{self, ElectionState, ElectionSummary, Rule, StoredElection};
use crate::error::Error;
use crate::i18n::{self, Lang, Tr};
use crate::web::auth::{AuthError, Staff};
use crate::web::{render, AppState};

pub struct UnitRow {
    code: String,
    name: String,
    eligible: String,
    voted: String,
    turnout: String,
}

pub struct QuestionView {
    id: String,
    text: String,
    other_text: String,
    options: String,
    rule: String,
    blank: String,
}

/// One "what to do next" step: its sentence, and the link or the command
/// that does it (a command is shown in a `<code>` element).
#[derive(Default)]
pub struct NextStep {
    pub text: String,
    pub href: String,
    pub label: String,
    pub command: String,
}

#[derive(Template)]
#[template(path = "committee/election.html")]
pub struct ElectionPage {
    pub nav: Nav,
    slug: String,
    title: String,
    other_title: String,
    state: String,
    countdown: String,
    opens_local: String,
    closes_local: String,
    times_in: String,
    zone: String,
    units: Vec<UnitRow>,
    turnout_line: String,
    eligible: String,
    voted: String,
    turnout: String,
    questions: Vec<QuestionView>,
    rules: Vec<String>,
    public_key: String,
    next: Vec<NextStep>,
    /// The extend form: the committee's, while voting waits or is open.
    can_extend: bool,
    pub extend_value: String,
    pub extend_reason: String,
    notice: String,
    pub errors: Vec<String>,
}

/// What the page needs from the database, read in one blocking call.
pub struct Loaded {
    pub election: StoredElection,
    pub summary: ElectionSummary,
    /// Trustees registered, deals, confirmations, complaints (draft only).
    pub ceremony: Option<(usize, usize, usize, usize)>,
}

impl Loaded {
    /// Every trustee has confirmed and the roll is in: the key may be
    /// published.
    pub fn ready_to_publish(&self, now: DateTime<Utc>) -> bool {
        let confirmed = self
            .ceremony
            .is_some_and(|(_, _, c, _)| c >= self.election.spec.trustees() as usize);
        self.election.state(now) == ElectionState::Draft && confirmed && self.summary.eligible > 0
    }
}

pub async fn load(state: &AppState, slug: String) -> Result<Loaded, Error> {
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

fn rule_words(tr: Tr, rule: Rule, option: &str) -> String {
    match rule {
        Rule::Majority => tr.t_with("rule-majority", &fargs!("option" => option.to_string())),
        Rule::AtLeast(f) => tr.t_with(
            "rule-at-least",
            &fargs!("option" => option.to_string(), "fraction" => f.to_string()),
        ),
    }
}

/// The extend form is for a window that voting is waiting for or in: a
/// draft's window is still part of its spec, and a closed one is over.
fn extendable(state: ElectionState) -> bool {
    matches!(state, ElectionState::KeyPublished | ElectionState::Open)
}

fn questions(tr: Tr, e: &StoredElection) -> Vec<QuestionView> {
    let yes_no = |b: bool| tr.t(if b { "yes" } else { "no" });
    e.spec
        .questions()
        .iter()
        .map(|q| QuestionView {
            id: q.id().to_string(),
            text: q.text().get(tr.lang()).to_string(),
            other_text: q.text().get(tr.other()).to_string(),
            options: q
                .options()
                .iter()
                .map(|o| o.label().get(tr.lang()).to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            rule: rule_words(
                tr,
                q.rule(),
                q.option(q.passes_on())
                    .map_or(q.passes_on().as_str(), |o| o.label().get(tr.lang())),
            ),
            blank: yes_no(q.allow_blank()),
        })
        .collect()
}

fn rules(tr: Tr, e: &StoredElection) -> Vec<String> {
    let s = &e.spec;
    vec![
        tr.t_with(
            "rules-trustees",
            &fargs!("trustees" => s.trustees(), "threshold" => s.decrypt_threshold()),
        ),
        tr.t_with("rules-quorum", &fargs!("quorum" => s.certify_quorum())),
        tr.t_with("rules-min-unit", &fargs!("min" => s.min_unit_report())),
    ]
}

pub fn election_page(l: &Loaded, nav: Nav, now: DateTime<Utc>, notice: String) -> ElectionPage {
    let tr = nav.tr;
    let e = &l.election;
    let s = &l.summary;
    let current = e.state(now);
    let (w, zone) = (e.spec.window(), e.spec.time_zone());
    let zone_name = zone_words(tr, zone);
    let turnout = percent(s.voted, s.eligible);
    ElectionPage {
        slug: s.slug.clone(),
        title: e.spec.title().get(tr.lang()).to_string(),
        other_title: e.spec.title().get(tr.other()).to_string(),
        state: i18n::state_label(tr, current),
        countdown: i18n::countdown(tr, current, now, w.opens_at(), w.closes_at()),
        opens_local: i18n::local_time(tr, zone, w.opens_at()),
        closes_local: i18n::local_time(tr, zone, w.closes_at()),
        times_in: tr.t_with("times-in", &fargs!("zone" => zone_name.clone())),
        zone: zone_name,
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
        turnout_line: tr.t_with(
            "election-turnout",
            &fargs!(
                "voted" => thousands(s.voted),
                "eligible" => thousands(s.eligible),
                "percent" => turnout.clone(),
            ),
        ),
        eligible: thousands(s.eligible),
        voted: thousands(s.voted),
        turnout,
        questions: questions(tr, e),
        rules: rules(tr, e),
        public_key: e.public_key.clone().unwrap_or_default(),
        next: super::next::next_steps(l, now, &nav),
        can_extend: nav.can_run && extendable(current),
        extend_value: local_input_value(e, w.closes_at()),
        extend_reason: String::new(),
        notice,
        errors: Vec::new(),
        nav,
    }
}

pub fn notice_for(tr: Tr, done: &str) -> String {
    let id = match done {
        "created" => "notice-created",
        "extended" => "notice-extended",
        "published" => "notice-published",
        "spec-replaced" => "notice-spec-replaced",
        "deleted" => "notice-deleted",
        _ => return String::new(),
    };
    tr.t(id)
}

/// GET /committee/elections/{slug}
pub async fn show(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    done: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadElection)?;
    let slug = slug.into_inner();
    let nav = Nav::of(&staff, lang, &format!("/committee/elections/{slug}"));
    let loaded = load(&state, slug).await?;
    let notice = notice_for(nav.tr, &done.done);
    let page = election_page(&loaded, nav, state.clock.now(), notice);
    Ok(render(&page)?)
}
