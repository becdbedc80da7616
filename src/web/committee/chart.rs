//! Bar charts drawn on the server as SVG (no JavaScript, issue 14): one
//! bar per option and one for blanks, widths in proportion to the largest
//! count, readable on a phone (the SVG scales to the page's width). The
//! numbers are also in the table beside each chart, for screen readers.

use crate::election::ElectionSpec;
use crate::i18n::Tr;
use crate::tally::results::QuestionResults;

/// One bar: its label, count, and geometry in the SVG's own units.
pub struct Bar {
    pub label: String,
    pub count: u64,
    pub y: u32,
    pub width: u32,
    pub text_y: u32,
    /// The option the question's rule counts (drawn darker).
    pub counted: bool,
}

/// One question's chart.
pub struct Chart {
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: u32,
    /// What the chart shows, for `aria-label`.
    pub summary: String,
}

/// Bar area width and row height in SVG units (the viewBox is 320 wide).
const WIDTH: u64 = 200;
const ROW: u32 = 28;

pub fn chart(tr: Tr, spec: &ElectionSpec, q: &QuestionResults) -> Chart {
    let lang = tr.lang();
    let question = spec.question(&q.id);
    let mut rows: Vec<(String, u64, bool)> = Vec::new();
    if let Some(question) = question {
        for o in question.options() {
            let count = q.counts.get(o.id().as_str()).copied().unwrap_or(0);
            rows.push((
                o.label().get(lang).to_string(),
                count,
                o.id() == question.passes_on(),
            ));
        }
    }
    rows.push((tr.t("results-blank"), q.blank, false));
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (label, count, counted))| Bar {
            label: label.clone(),
            count: *count,
            y: i as u32 * ROW + 4,
            width: (count * WIDTH / max).max(u64::from(*count > 0)) as u32,
            text_y: i as u32 * ROW + 20,
            counted: *counted,
        })
        .collect();
    let summary = rows
        .iter()
        .map(|(l, c, _)| format!("{l}: {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    Chart {
        title: question.map_or(q.id.clone(), |qq| qq.text().get(lang).to_string()),
        height: bars.len() as u32 * ROW + 8,
        bars,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn bars_are_in_proportion_and_a_nonzero_count_is_never_invisible() {
        let spec =
            crate::election::parse_spec(&ratify_testkit::SpecFixture::kern().toml()).unwrap();
        let q = QuestionResults {
            id: "lbfo".into(),
            counts: BTreeMap::from([("yes".into(), 1000), ("no".into(), 1)]),
            blank: 0,
            passed: true,
        };
        let c = chart(
            crate::i18n::Lang(crate::election::Language::En).tr(),
            &spec,
            &q,
        );
        assert_eq!(c.bars[0].width, 200);
        assert_eq!(c.bars[1].width, 1, "one vote still shows");
        assert_eq!(c.bars[2].width, 0);
        assert!(c.bars[0].counted && !c.bars[1].counted);
        assert!(c.summary.contains("Yes: 1000"));
    }
}
