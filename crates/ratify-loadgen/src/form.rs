//! The form fields of the member's pages, read from their HTML as a
//! browser would submit them (not hard-coded: a renamed field breaks the
//! benchmark instead of measuring refusals).

/// `(name, value)` of every `<input type="{kind}" …>` in `html`.
pub fn inputs(html: &str, kind: &str) -> Vec<(String, String)> {
    let opening = format!("<input type=\"{kind}\"");
    html.match_indices(&opening)
        .filter_map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>')?];
            Some((attribute(tag, "name")?, attribute(tag, "value")?))
        })
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_string())
}

/// A choice for each question on the ballot page: one of its non-blank
/// options, picked by `pick`.
pub fn choose(ballot_page: &str, mut pick: impl FnMut(usize) -> usize) -> Vec<(String, String)> {
    let radios = inputs(ballot_page, "radio");
    let mut questions: Vec<String> = radios.iter().map(|(n, _)| n.clone()).collect();
    questions.dedup();
    questions
        .into_iter()
        .filter_map(|q| {
            let options: Vec<&String> = radios
                .iter()
                .filter(|(n, v)| *n == q && !v.is_empty())
                .map(|(_, v)| v)
                .collect();
            let value = options.get(pick(options.len().max(1)))?.to_string();
            Some((q, value))
        })
        .collect()
}

/// The hidden fields of the review page's first form (the cast).
pub fn cast_fields(review_page: &str) -> Vec<(String, String)> {
    let first = review_page
        .find("</form>")
        .map_or(review_page, |end| &review_page[..end]);
    inputs(first, "hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_radios_and_the_cast_forms_hidden_fields() {
        let ballot = r#"<input type="radio" id="a-yes" name="answer-a" value="yes">
<input type="radio" id="a-no" name="answer-a" value="no">
<input type="radio" id="a-blank" name="answer-a" value="">
<input type="radio" id="b-x" name="answer-b" value="x">"#;
        assert_eq!(
            choose(ballot, |n| n - 1),
            vec![
                ("answer-a".to_string(), "no".to_string()),
                ("answer-b".to_string(), "x".to_string())
            ]
        );
        let review = r#"<form><input type="hidden" name="answer-a" value="no"></form>
<form><input type="hidden" name="change" value="1"></form>"#;
        assert_eq!(
            cast_fields(review),
            vec![("answer-a".to_string(), "no".to_string())]
        );
    }
}
