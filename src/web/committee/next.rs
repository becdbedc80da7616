//! "What to do next" on an election's page. Each step links to the page
//! or the button that does it, or names the command that does it (in a
//! `<code>` element); a step the viewer's role may not take is not offered
//! as theirs (S11, from the permission table via [`Nav`]).

use chrono::{DateTime, Utc};

use super::election::{Loaded, NextStep};
use super::page::{fargs, percent, thousands, Nav};
use crate::election::ElectionState;
use crate::i18n;

fn plain(text: String) -> NextStep {
    NextStep {
        text,
        ..NextStep::default()
    }
}

fn link(text: String, href: String, label: String) -> NextStep {
    NextStep {
        text,
        href,
        label,
        ..NextStep::default()
    }
}

fn command(text: String, command: String) -> NextStep {
    NextStep {
        text,
        command,
        ..NextStep::default()
    }
}

pub fn next_steps(l: &Loaded, now: DateTime<Utc>, nav: &Nav) -> Vec<NextStep> {
    let e = &l.election;
    let slug = e.spec.slug().to_string();
    match e.state(now) {
        ElectionState::Draft => draft_steps(l, now, nav),
        ElectionState::KeyPublished => {
            let opens = nav.tr.t_with(
                "next-opens-in",
                &fargs!("duration" => i18n::duration_words(nav.tr, now, e.spec.opens_at())),
            );
            // The ballots page sends them (or `ratify ballots send`).
            let send = if nav.can_run {
                link(
                    nav.t("next-send-ballots"),
                    format!("/committee/elections/{slug}/ballots"),
                    nav.t("next-ballots-page"),
                )
            } else {
                plain(nav.t("next-send-ballots-other"))
            };
            vec![send, plain(opens)]
        }
        ElectionState::Open => {
            let s = &l.summary;
            let mut steps = vec![plain(nav.tr.t_with(
                "next-turnout",
                &fargs!(
                    "voted" => thousands(s.voted),
                    "eligible" => thousands(s.eligible),
                    "percent" => percent(s.voted, s.eligible),
                ),
            ))];
            if nav.can_find_members {
                steps.push(link(
                    nav.t("ballots-intro"),
                    format!("/committee/elections/{slug}/ballots"),
                    nav.t("next-ballots-page"),
                ));
            }
            if nav.can_run {
                steps.push(link(
                    nav.t("next-extend"),
                    "#extend".into(),
                    nav.t("next-extend-link"),
                ));
            }
            steps
        }
        ElectionState::Closed | ElectionState::Tallied | ElectionState::Certified => {
            let text = match e.state(now) {
                ElectionState::Closed => nav.t("next-closed"),
                ElectionState::Tallied => nav
                    .tr
                    .t_with("next-tallied", &fargs!("quorum" => e.spec.certify_quorum())),
                _ => nav.t("next-certified"),
            };
            vec![link(
                text,
                format!("/committee/elections/{slug}/results"),
                nav.t("next-results-link"),
            )]
        }
    }
}

fn draft_steps(l: &Loaded, now: DateTime<Utc>, nav: &Nav) -> Vec<NextStep> {
    let e = &l.election;
    let s = &l.summary;
    let base = format!("/committee/elections/{}", e.spec.slug());
    let roll_href = format!("{base}/roll");
    let count = || fargs!("count" => thousands(s.eligible));
    let mut steps = Vec::new();
    steps.push(match (s.eligible, nav.can_run) {
        (0, true) => link(
            nav.t("next-import-roll"),
            roll_href,
            nav.t("next-import-roll-link"),
        ),
        (0, false) => plain(nav.t("next-roll-missing")),
        (_, true) => link(
            nav.tr.t_with("next-roll-count", &count()),
            roll_href,
            nav.t("next-roll-replace-link"),
        ),
        (_, false) => plain(nav.tr.t_with("next-roll-count-other", &count())),
    });
    let n = e.spec.trustees() as usize;
    let (public, deals, confirmations, complaints) = l.ceremony.unwrap_or_default();
    // election::replace_spec refuses once a trustee has registered a file.
    if nav.can_run && public + deals + confirmations + complaints == 0 {
        steps.push(link(
            nav.t("next-correct"),
            format!("{base}/spec"),
            nav.t("next-correct-link"),
        ));
    }
    if nav.can_run {
        steps.push(link(
            nav.t("next-delete"),
            format!("{base}/delete"),
            nav.t("next-delete-link"),
        ));
    }
    if l.ready_to_publish(now) {
        steps.push(if nav.can_run {
            link(
                nav.t("next-publish-now"),
                format!("{base}/publish-key"),
                nav.t("next-publish-link"),
            )
        } else {
            plain(nav.t("next-publish-now-other"))
        });
        return steps;
    }
    if confirmations < n {
        steps.push(command(
            nav.tr.t_with(
                "next-trustees",
                &fargs!(
                    "public" => public, "deals" => deals,
                    "confirmations" => confirmations, "n" => n,
                ),
            ),
            "ratify trustee --help".into(),
        ));
    }
    if complaints > 0 {
        steps.push(plain(
            nav.tr.t_with("next-complaints", &fargs!("n" => complaints)),
        ));
    }
    steps.push(plain(nav.t(if nav.can_run {
        "next-publish-later"
    } else {
        "next-publish-later-other"
    })));
    steps
}
