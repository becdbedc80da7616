//! Elections: the spec, its validation, the states and the vote window.
//!
//! Plain domain code (no HTTP, no SQL): the web and CLI layers parse a spec
//! with [`parse_spec`], store it as JSON (`serde_json::to_string(&spec)`), and
//! ask [`current`] and [`Window::accepts`] whether a ballot may be cast.
//! Every surface reads a written time with [`LocalTime`] and checks free
//! text with [`text`], so the rules are written once.
//!
//! The use cases (create, load, list, summarize, extend) are in `service`:
//! they validate, write through `crate::db::elections` and append the audit
//! entry in one transaction (S12), so the domain code above stays free of
//! SQL.

mod correct;
mod ids;
mod parsed;
mod rule;
mod service;
mod spec;
mod state;
pub mod text;
mod time;
mod window;

pub use correct::{delete_draft, replace_spec, DELETED, SPEC_REPLACED};
pub use ids::{
    ElectionSlug, IdError, Language, LanguageError, Localized, LocalizedError, OptionId,
    QuestionId, UnitCode,
};
pub use rule::{Fraction, FractionError, Rule, RuleError};
pub(crate) use service::set_state;
pub use service::{
    ballot_context, create_election, election_summary, extend_window, list_elections,
    load_election, load_election_by_id, ElectionSummary, ExtendError, StoredElection, UnitCount,
};
pub use spec::{
    display_local, parse_spec, parse_spec_within, BallotOption, ElectionSpec, Question, SpecError,
    Unit, DEFAULT_MIN_UNIT_REPORT, MAX_TRUSTEES,
};
pub use state::{current, transition, ElectionState, StateError};
pub use text::{TextError, TextRule};
pub use time::{LocalTime, TimeError};
pub use window::{Window, WindowError, WindowLimits};
