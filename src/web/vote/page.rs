//! The member's pages as data for the templates: the ballot (with the
//! member's earlier choices and any problems), the review, the receipt and
//! the refusals. Everything a member reads comes from the catalogue in
//! their language.

use askama::Template;
use fluent_bundle::FluentArgs;

use crate::ballot::{AnswerProblem, Answers, Refusal};
use crate::election::ElectionSpec;
use crate::i18n::{local_time, Tr};
use crate::web::public::Chrome;

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionView {
    pub field: String,
    pub text: String,
    pub options: Vec<OptionView>,
    pub allow_blank: bool,
    pub blank_checked: bool,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "vote/ballot.html")]
pub struct BallotPage {
    pub chrome: Chrome,
    pub title: String,
    pub window: String,
    pub review_action: String,
    pub questions: Vec<QuestionView>,
    pub has_errors: bool,
}

#[derive(Template)]
#[template(path = "vote/review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub title: String,
    pub choices: Vec<(String, String)>,
    pub fields: Vec<(String, String)>,
    pub cast_action: String,
    pub review_action: String,
}

#[derive(Template)]
#[template(path = "vote/receipt.html")]
pub struct ReceiptPage {
    pub chrome: Chrome,
    pub heading: String,
    pub text: String,
    pub found: bool,
    pub short: String,
    pub tracker: String,
    pub slug: String,
    /// The inclusion proof of the ballot's cast entry, once a signed
    /// checkpoint covers it.
    pub proof: Option<crate::record::lookup::Included>,
}

/// The election's title and window in the reader's language and the
/// election's zone.
pub fn title_and_window(tr: Tr, spec: &ElectionSpec) -> (String, String) {
    let w = spec.window();
    let zone = spec.time_zone();
    let mut args = FluentArgs::new();
    args.set("opens", local_time(tr, zone, w.opens_at()));
    args.set("closes", local_time(tr, zone, w.closes_at()));
    (
        spec.title().get(tr.lang()).to_string(),
        tr.t_with("vote-window", &args),
    )
}

/// The ballot's questions, with `fields` (earlier choices) checked and
/// `problems` beside their questions.
pub fn questions(
    tr: Tr,
    spec: &ElectionSpec,
    fields: &[(String, String)],
    problems: &[(usize, AnswerProblem)],
) -> Vec<QuestionView> {
    spec.questions()
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let field = crate::ballot::answers::field_name(q);
            let chosen = fields
                .iter()
                .find(|(k, _)| *k == field)
                .map(|(_, v)| v.as_str());
            let options = q
                .options()
                .iter()
                .map(|o| OptionView {
                    value: o.id().as_str().to_string(),
                    label: o.label().get(tr.lang()).to_string(),
                    checked: chosen == Some(o.id().as_str()),
                })
                .collect();
            QuestionView {
                text: q.text().get(tr.lang()).to_string(),
                options,
                allow_blank: q.allow_blank(),
                blank_checked: chosen == Some(""),
                error: problems
                    .iter()
                    .find(|(at, _)| *at == i)
                    .map(|(_, p)| tr.t(p.message_id())),
                field,
            }
        })
        .collect()
}

/// Each question with the chosen option's label, for the review.
pub fn chosen(tr: Tr, spec: &ElectionSpec, answers: &Answers) -> Vec<(String, String)> {
    spec.questions()
        .iter()
        .zip(answers.choices())
        .map(|(q, choice)| {
            let label = choice
                .and_then(|i| q.options().get(i))
                .map(|o| o.label().get(tr.lang()).to_string())
                .unwrap_or_else(|| tr.t("vote-review-blank"));
            (q.text().get(tr.lang()).to_string(), label)
        })
        .collect()
}

/// The heading and text of a refusal page.
pub fn refusal_text(tr: Tr, refusal: Refusal) -> (String, String) {
    match refusal {
        Refusal::Unknown => (tr.t("refusal-unknown-title"), tr.t("refusal-unknown")),
        Refusal::NotOpenYet { opens_at, zone } => {
            let mut args = FluentArgs::new();
            args.set("opens", local_time(tr, zone, opens_at));
            (
                tr.t("refusal-not-open-title"),
                tr.t_with("refusal-not-open", &args),
            )
        }
        Refusal::Closed => (tr.t("refusal-closed-title"), tr.t("refusal-closed")),
        Refusal::Used => (tr.t("refusal-used-title"), tr.t("refusal-used")),
        Refusal::Revoked => (tr.t("refusal-revoked-title"), tr.t("refusal-revoked")),
    }
}

/// A tracker's short form to write down: its first 8 hex digits in two
/// groups (`3f2a-91c4`).
pub fn short_tracker(tracker: &str) -> String {
    let head = tracker.get(..8).unwrap_or(tracker);
    match head.split_at_checked(4) {
        Some((a, b)) => format!("{a}-{b}"),
        None => head.to_string(),
    }
}
