//! [`Message`]: a sentence for a person kept as data — a catalogue id and
//! its arguments — until the edge that knows the reader renders it.
//!
//! Domain refusals (a roll line's problem, a spec field's problem, a
//! conflict, an account refusal) are built as messages, never as English
//! text (issue 9): committee pages render them in the page's language, the
//! CLI and the JSON API in English (`Display`). The line number or field
//! path a refusal names is an argument, so every language keeps it.

use std::fmt;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fluent_bundle::{FluentArgs, FluentValue};

use super::{Language, Tr};

/// A catalogue id and its arguments. `Display` is the English text, which
/// is what logs, the CLI and the API show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Data shown as it is: an echoed value, a slug, a field path.
    Text(String),
    /// A count or a line number (Fluent picks plural forms by it).
    Number(i64),
    /// Another message, rendered in the same language (a field's own
    /// problem inside "line 7: …").
    Message(Box<Message>),
    /// An instant, shown in a zone in the reader's words and date format
    /// (`i18n::local_time`), never as an RFC 3339 stamp.
    Time(DateTime<Utc>, Tz),
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message {
            id,
            args: Vec::new(),
        }
    }

    /// Adds argument `name` (`$name` in the catalogue).
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// Adds argument `name`: `instant` as read in `zone`.
    pub fn with_time(self, name: &'static str, instant: DateTime<Utc>, zone: Tz) -> Message {
        self.with(name, Arg::Time(instant, zone))
    }

    /// Text that has no catalogue entry yet, shown as it is in every
    /// language: what the command line alone prints (its reader has no
    /// language), or what another program wrote (a parser's own words).
    pub fn untranslated(text: impl Into<String>) -> Message {
        Message::new("untranslated").with("text", text.into())
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The argument `name`, if the message has one.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// The message in `lang`, nested messages in the same language.
    pub fn render(&self, lang: Language) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &self.args {
            let value: FluentValue<'_> = match arg {
                Arg::Text(s) => s.clone().into(),
                Arg::Number(n) => (*n).into(),
                Arg::Message(m) => m.render(lang).into(),
                Arg::Time(t, zone) => super::local_time(Tr(lang), *zone, *t).into(),
            };
            args.set(*name, value);
        }
        Tr(lang).t_with(self.id, &args)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Language::En))
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}

number_args!(u32, u64, usize, i64, i32);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_renders_in_each_language_with_nested_messages() {
        let inner = Message::new("roll-duplicate-number")
            .with("number", "M7")
            .with("first", 3u64);
        let m = Message::new("refusal-field")
            .with("field", "member_number")
            .with("message", inner);
        assert_eq!(
            m.to_string(),
            "member_number: duplicate member number `M7` (also on line 3)"
        );
        assert_eq!(
            m.render(Language::Es),
            "member_number: número de miembro repetido «M7» (también en la línea 3)"
        );
    }

    #[test]
    fn untranslated_text_is_shown_as_it_is() {
        let m = Message::untranslated("as written");
        assert_eq!(m.to_string(), "as written");
        assert_eq!(m.render(Language::Es), "as written");
    }
}
