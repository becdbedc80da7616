//! The message catalogue: one Fluent bundle per language, parsed once from
//! the `.ftl` files compiled into the binary. Fluent (Project Fluent, the
//! format Firefox uses) gives translators plural rules and their own word
//! order, which hand-written `format!` strings cannot.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use super::Language;

const EN: &str = include_str!("en.ftl");
const ES: &str = include_str!("es.ftl");

/// A catalogue file that does not parse, or a message that cannot be
/// formatted. Both are defects of the compiled-in files, which the tests
/// below catch; at run time they are logged and the page still renders.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{lang}.ftl does not parse: {errors}")]
    Parse { lang: &'static str, errors: String },
    #[error("{lang}.ftl has no message `{id}`")]
    Missing { lang: &'static str, id: String },
    #[error("{lang}.ftl message `{id}`: {errors}")]
    Format {
        lang: &'static str,
        id: String,
        errors: String,
    },
}

struct Catalogue {
    en: FluentBundle<FluentResource>,
    es: FluentBundle<FluentResource>,
}

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

fn source(lang: Language) -> &'static str {
    match lang {
        Language::En => EN,
        Language::Es => ES,
    }
}

fn locale(lang: Language) -> LanguageIdentifier {
    match lang {
        Language::En => unic_langid::langid!("en-US"),
        Language::Es => unic_langid::langid!("es-ES"),
    }
}

/// Parses one language's file. A file with syntax errors still yields the
/// messages that did parse (Fluent recovers per entry), with the errors.
fn bundle(lang: Language) -> (FluentBundle<FluentResource>, Option<CatalogueError>) {
    let (resource, error) = match FluentResource::try_new(source(lang).to_string()) {
        Ok(resource) => (resource, None),
        Err((resource, errors)) => (
            resource,
            Some(CatalogueError::Parse {
                lang: lang.as_str(),
                errors: format!("{errors:?}"),
            }),
        ),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![locale(lang)]);
    // Unicode isolation marks (U+2068/U+2069) around placeables help mixed
    // scripts; both our languages are left-to-right, and the marks would
    // end up inside HTML attributes and URLs.
    bundle.set_use_isolating(false);
    // Only fails on a duplicate id, which the parse test reports.
    let _ = bundle.add_resource(resource);
    (bundle, error)
}

fn catalogue() -> &'static Catalogue {
    CATALOGUE.get_or_init(|| {
        let load = |lang| {
            let (bundle, error) = bundle(lang);
            if let Some(error) = error {
                tracing::error!(%error, "message catalogue");
            }
            bundle
        };
        Catalogue {
            en: load(Language::En),
            es: load(Language::Es),
        }
    })
}

/// Formats message `id` in `lang` with `args`.
pub fn format(
    lang: Language,
    id: &str,
    args: Option<&FluentArgs>,
) -> Result<String, CatalogueError> {
    let c = catalogue();
    let bundle = match lang {
        Language::En => &c.en,
        Language::Es => &c.es,
    };
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .ok_or_else(|| CatalogueError::Missing {
            lang: lang.as_str(),
            id: id.to_string(),
        })?;
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if errors.is_empty() {
        Ok(text.into_owned())
    } else {
        Err(CatalogueError::Format {
            lang: lang.as_str(),
            id: id.to_string(),
            errors: format!("{errors:?}"),
        })
    }
}

/// The translator a page or an email holds: `tr.t("start-heading")` in
/// Rust and in templates. A missing message is a defect caught by the
/// tests; should one slip through, the page shows its id and the log says
/// which, rather than failing the reader's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Language);

impl Tr {
    pub fn lang(&self) -> Language {
        self.0
    }

    /// The language code for `<html lang>` and links.
    pub fn code(&self) -> &'static str {
        self.0.as_str()
    }

    pub fn t(&self, id: &str) -> String {
        self.t_with(id, &FluentArgs::new())
    }

    pub fn t_with(&self, id: &str, args: &FluentArgs) -> String {
        format(self.0, id, Some(args)).unwrap_or_else(|error| {
            tracing::error!(%error, "message catalogue");
            id.to_string()
        })
    }

    /// Message `id` if the catalogue has it: for ids made from data (a
    /// time zone's name), where a missing one has a fallback.
    pub fn try_t(&self, id: &str) -> Option<String> {
        format(self.0, id, None).ok()
    }

    /// The other language: the language switch offers it.
    pub fn other(&self) -> Language {
        match self.0 {
            Language::En => Language::Es,
            Language::Es => Language::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use std::collections::BTreeMap;

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    use fluent_syntax::parser;

    use super::*;

    /// Every message id in a catalogue file, each with its attributes.
    fn ids(lang: Language) -> BTreeSet<String> {
        let resource = parser::parse(source(lang)).expect("parses");
        let mut ids = BTreeSet::new();
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                ids.insert(m.id.name.to_string());
                for a in m.attributes {
                    ids.insert(format!("{}.{}", m.id.name, a.id.name));
                }
            }
        }
        ids
    }

    #[test]
    fn both_catalogues_parse_without_errors() {
        for lang in Language::ALL {
            let (_, error) = bundle(lang);
            assert!(error.is_none(), "{error:?}");
        }
    }

    #[test]
    fn every_message_is_in_both_languages() {
        let en = ids(Language::En);
        let es = ids(Language::Es);
        assert!(en.len() > 20, "en.ftl lost its messages: {en:?}");
        let only_en: Vec<_> = en.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in es.ftl: {only_en:?}");
        assert!(only_es.is_empty(), "missing in en.ftl: {only_es:?}");
    }

    #[test]
    fn every_message_formats_in_both_languages() {
        let mut args = FluentArgs::new();
        for name in [
            "n",
            "duration",
            "larger",
            "smaller",
            "zone",
            "opens",
            "closes",
            // The committee pages' (issue 11).
            "city",
            "name",
            "message",
            "line",
            "size",
            "voted",
            "eligible",
            "percent",
            "option",
            "fraction",
            "trustees",
            "threshold",
            "quorum",
            "min",
            "count",
            "public",
            "deals",
            "confirmations",
            "q",
            "email",
            "time",
            // The ballot email and the member's pages (issues 12, 13).
            "title",
            "number",
            "unit",
            "tracker",
            "url",
            // After the window (issue 14).
            "have",
            "need",
            "ballots",
            // Domain refusals (issue 9: roll lines, spec fields, conflicts,
            // accounts).
            "text",
            "field",
            "found",
            "max",
            "at",
            "code",
            "value",
            "what",
            "rule",
            "language",
            "problem",
            "header",
            "detail",
            "units",
            "first",
            "current",
            "new",
            "created",
            "latest",
            "closed",
            "earlier",
            "later",
            "from",
            "to",
            "hint",
            "next",
            "state",
            "slug",
            "options",
            "id",
            "trustee",
            "kind",
            "account",
            "slots",
            "reason",
        ] {
            args.set(name, 2);
        }
        for lang in Language::ALL {
            for id in ids(lang).iter().filter(|id| !id.contains('.')) {
                let text = format(lang, id, Some(&args)).unwrap();
                assert!(!text.trim().is_empty(), "{lang:?} {id} is empty");
            }
        }
    }

    /// The variables (`$name`) each message uses, by id.
    fn variables(lang: Language) -> BTreeMap<String, BTreeSet<String>> {
        let resource = parser::parse(source(lang)).expect("parses");
        let mut found = BTreeMap::new();
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let mut names = BTreeSet::new();
                if let Some(value) = &m.value {
                    collect_variables(value, &mut names);
                }
                found.insert(m.id.name.to_string(), names);
            }
        }
        found
    }

    fn collect_variables(pattern: &Pattern<&str>, names: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                collect_in_expression(expression, names);
            }
        }
    }

    fn collect_in_expression(expression: &Expression<&str>, names: &mut BTreeSet<String>) {
        match expression {
            Expression::Inline(InlineExpression::VariableReference { id }) => {
                names.insert(id.name.to_string());
            }
            Expression::Inline(InlineExpression::Placeable { expression }) => {
                collect_in_expression(expression, names)
            }
            Expression::Select { selector, variants } => {
                collect_in_expression(&Expression::Inline(selector.clone()), names);
                for v in variants {
                    collect_variables(&v.value, names);
                }
            }
            Expression::Inline(_) => {}
        }
    }

    /// A translation may leave out a detail the English gives (a parser's
    /// own English words), but never use a variable the English does not:
    /// the code passes the English message's arguments, and a missing one
    /// would show as an error in the reader's language.
    #[test]
    fn no_translation_uses_a_variable_the_english_does_not() {
        let en = variables(Language::En);
        let es = variables(Language::Es);
        assert!(en["refusal-field"].contains("message"), "{en:?}");
        for (id, names) in &es {
            let english = en.get(id).cloned().unwrap_or_default();
            let extra: Vec<_> = names.difference(&english).collect();
            assert!(
                extra.is_empty(),
                "es.ftl {id} uses {extra:?}, en.ftl does not"
            );
        }
    }

    /// Every `.t("…")` / `.t_with("…"` in the source and the templates
    /// names a message that exists: a typo would otherwise show its id.
    #[test]
    fn every_message_the_code_uses_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let en = ids(Language::En);
        let mut used = BTreeSet::new();
        for dir in ["src", "templates"] {
            collect_used(&root.join(dir), &mut used);
        }
        assert!(
            used.contains("start-heading"),
            "the scan found no uses: {used:?}"
        );
        let unknown: Vec<_> = used.difference(&en).collect();
        assert!(unknown.is_empty(), "not in the catalogue: {unknown:?}");
    }

    fn collect_used(dir: &Path, used: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_used(&path, used);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for marker in [".t(\"", ".t_with(\"", "Message::new(\""] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    // This test's own markers are not uses.
                    if !id.is_empty() && !id.contains(' ') && id != "…" {
                        used.insert(id.to_string());
                    }
                }
            }
        }
    }
}
