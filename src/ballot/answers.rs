//! A member's answers as the ballot form sends them, checked against each
//! question's rule before anything is encrypted. The plaintext lives only
//! here, in the request's memory (S6): it is never logged, stored or
//! echoed except back to the member on the review page.

use crate::election::{ElectionSpec, Question};

/// The form field of a question: `answer-<question id>`, whose value is
/// the chosen option's id, or empty for a chosen blank.
pub fn field_name(question: &Question) -> String {
    format!("answer-{}", question.id().as_str())
}

/// Why a question's answer was refused; shown beside the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// No option chosen where the question does not allow a blank.
    Required,
    /// More than one option, or a value that is not an option.
    NotOneOption,
}

impl AnswerProblem {
    /// The catalogue message id (`i18n`).
    pub fn message_id(self) -> &'static str {
        match self {
            AnswerProblem::Required => "vote-error-required",
            AnswerProblem::NotOneOption => "vote-error-one-option",
        }
    }
}

/// Per question, in the spec's order: the chosen option's index, or `None`
/// for blank (what `ratify_crypto::encrypt_ballot` takes).
#[derive(Clone, PartialEq, Eq)]
pub struct Answers(Vec<Option<usize>>);

// The choices are the secret of the ballot (S6): never printed.
impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Answers([redacted])")
    }
}

impl Answers {
    pub fn choices(&self) -> &[Option<usize>] {
        &self.0
    }
}

/// The answers in `fields` (name, value pairs from the form), or every
/// question's problem. Fields that are not answers are ignored.
pub fn read(
    spec: &ElectionSpec,
    fields: &[(String, String)],
) -> Result<Answers, Vec<(usize, AnswerProblem)>> {
    let mut choices = Vec::new();
    let mut problems = Vec::new();
    for (i, q) in spec.questions().iter().enumerate() {
        let name = field_name(q);
        let values: Vec<&str> = fields
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        // A blank is chosen, never assumed: a question the member skipped
        // comes back to them, even where a blank is allowed.
        match values.as_slice() {
            [] => problems.push((i, AnswerProblem::Required)),
            [""] if q.allow_blank() => choices.push(None),
            [""] => problems.push((i, AnswerProblem::Required)),
            [one] => match q.option_index(one) {
                Some(index) => choices.push(Some(index)),
                None => problems.push((i, AnswerProblem::NotOneOption)),
            },
            _ => problems.push((i, AnswerProblem::NotOneOption)),
        }
    }
    if problems.is_empty() {
        Ok(Answers(choices))
    } else {
        Err(problems)
    }
}

/// The form fields that carry `answers` (the review page's hidden inputs,
/// so the cast posts exactly what was reviewed).
pub fn fields(spec: &ElectionSpec, answers: &Answers) -> Vec<(String, String)> {
    spec.questions()
        .iter()
        .zip(answers.choices())
        .map(|(q, choice)| {
            let value = choice
                .and_then(|i| q.options().get(i))
                .map(|o| o.id().as_str().to_string())
                .unwrap_or_default();
            (field_name(q), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ElectionSpec {
        crate::election::parse_spec(include_str!("../election/testdata/kern-lbfo-2024.toml"))
            .unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn each_question_takes_one_option_or_a_chosen_blank() {
        let s = spec();
        let ok = read(&s, &form(&[("answer-lbfo", "no"), ("answer-strike", "")])).unwrap();
        assert_eq!(ok.choices(), &[Some(1), None]);
        assert_eq!(
            fields(&s, &ok),
            form(&[("answer-lbfo", "no"), ("answer-strike", "")])
        );
        let skipped = read(&s, &form(&[("answer-lbfo", "yes")])).unwrap_err();
        assert_eq!(skipped, vec![(1, AnswerProblem::Required)]);
        let two = read(
            &s,
            &form(&[
                ("answer-lbfo", "yes"),
                ("answer-lbfo", "no"),
                ("answer-strike", "maybe"),
            ]),
        )
        .unwrap_err();
        assert_eq!(
            two,
            vec![
                (0, AnswerProblem::NotOneOption),
                (1, AnswerProblem::NotOneOption)
            ]
        );
        assert_eq!(format!("{ok:?}"), "Answers([redacted])");
    }
}
