//! The reader's language: English and Spanish messages in a Fluent
//! catalogue (`en.ftl`, `es.ftl`, compiled in), localized dates and
//! durations, and [`Lang`], the extractor that picks the language for a
//! request — an explicit choice first (`?lang=es`, then the `lang` cookie
//! the language switch sets), then `Accept-Language` (RFC 9110 §12.5.4,
//! with q-values), English by default.
//!
//! Nothing a person reads is hand-written in a handler: pages, and later
//! emails and error pages, take a [`Tr`] and look their words up here.

mod catalogue;
mod dates;
mod lang;
mod message;

pub use crate::election::Language;
pub use catalogue::{CatalogueError, Tr};
pub use dates::{countdown, duration_words, local_time, state_label};
pub use lang::{preferred_language, Lang, LANG_COOKIE};
pub use message::{Arg, Message};
