//! An election's life: draft → key published → open → closed → tallied →
//! certified. Only the next step is allowed; nothing goes back.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum ElectionState {
    /// Spec and roll may still change; no election key yet.
    Draft,
    /// The trustees' key is combined and the spec is frozen; waiting for `opens_at`.
    KeyPublished,
    /// Ballots are accepted (S10: `opens_at ≤ now < closes_at`).
    Open,
    /// No more ballots; the tally may start.
    Closed,
    /// Trustees' decryptions are in; results are known.
    Tallied,
    /// A quorum of the committee certified the results.
    Certified,
}

impl ElectionState {
    pub const ALL: [ElectionState; 6] = [
        ElectionState::Draft,
        ElectionState::KeyPublished,
        ElectionState::Open,
        ElectionState::Closed,
        ElectionState::Tallied,
        ElectionState::Certified,
    ];

    /// The text stored in the database and shown in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            ElectionState::Draft => "draft",
            ElectionState::KeyPublished => "key_published",
            ElectionState::Open => "open",
            ElectionState::Closed => "closed",
            ElectionState::Tallied => "tallied",
            ElectionState::Certified => "certified",
        }
    }

    /// The only state this one may move to.
    pub fn next(self) -> Option<ElectionState> {
        match self {
            ElectionState::Draft => Some(ElectionState::KeyPublished),
            ElectionState::KeyPublished => Some(ElectionState::Open),
            ElectionState::Open => Some(ElectionState::Closed),
            ElectionState::Closed => Some(ElectionState::Tallied),
            ElectionState::Tallied => Some(ElectionState::Certified),
            ElectionState::Certified => None,
        }
    }

    /// The spec (questions, units, window) may be edited only in draft: it is
    /// frozen when the key is published (acceptance.md, `publish-key`).
    /// Extending the window afterwards goes through [`super::Window::extend`].
    pub fn spec_editable(self) -> bool {
        self == ElectionState::Draft
    }

    /// See [`current`].
    pub fn current(
        self,
        now: DateTime<Utc>,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> ElectionState {
        current(self, now, opens_at, closes_at)
    }
}

/// The state an election is in at `now`, given the state last stored. Opening
/// and closing happen by the clock (product.md step 4: "the service stops
/// accepting ballots on its own"), so the stored state may lag; this applies
/// the clock-driven steps:
///
/// - `KeyPublished` becomes `Open` at `opens_at`, and `Closed` at `closes_at`
///   (an election whose key was published but whose window passed is closed:
///   the window is over whether or not anyone could vote in it, and reporting
///   it as anything else would invite a cast that S10 must refuse).
/// - `Open` becomes `Closed` at `closes_at`.
/// - `Draft` never moves by the clock: without an election key no ballot can
///   be cast, so a draft whose window passed stays a draft (its spec can
///   still be edited to a new window).
/// - `Closed`, `Tallied`, `Certified` move only by committee action.
///
/// The bounds follow S10: open from `opens_at` inclusive, closed from
/// `closes_at` inclusive.
pub fn current(
    stored: ElectionState,
    now: DateTime<Utc>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> ElectionState {
    match stored {
        ElectionState::KeyPublished | ElectionState::Open if now >= closes_at => {
            ElectionState::Closed
        }
        ElectionState::KeyPublished if now >= opens_at => ElectionState::Open,
        other => other,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateError {
    NotNext {
        from: ElectionState,
        to: ElectionState,
    },
    Unknown(String),
}

impl StateError {
    /// The refusal for a person, in any language (issue 9).
    pub fn message(&self) -> Message {
        match self {
            StateError::NotNext { from, to } => {
                let hint = match from.next() {
                    Some(next) => Message::new("state-only-next").with("next", next.word()),
                    None => Message::new("state-final").with("state", from.word()),
                };
                Message::new("state-not-next")
                    .with("from", from.word())
                    .with("to", to.word())
                    .with("hint", hint)
            }
            StateError::Unknown(s) => Message::new("state-unknown").with("value", s.as_str()),
        }
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for StateError {}

impl ElectionState {
    /// The state as a refusal names it: its code in English (what the CLI
    /// and the API have always said), words in other languages.
    pub fn word(self) -> Message {
        Message::new(match self {
            ElectionState::Draft => "state-word-draft",
            ElectionState::KeyPublished => "state-word-key-published",
            ElectionState::Open => "state-word-open",
            ElectionState::Closed => "state-word-closed",
            ElectionState::Tallied => "state-word-tallied",
            ElectionState::Certified => "state-word-certified",
        })
    }
}

/// Checks one committee- or clock-driven step. Only the next state is
/// allowed; skipping a state or going back is refused, naming both.
pub fn transition(from: ElectionState, to: ElectionState) -> Result<(), StateError> {
    if from.next() == Some(to) {
        Ok(())
    } else {
        Err(StateError::NotNext { from, to })
    }
}

impl FromStr for ElectionState {
    type Err = StateError;
    fn from_str(value: &str) -> Result<ElectionState, StateError> {
        ElectionState::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| StateError::Unknown(super::text::echo(value).to_string()))
    }
}

impl fmt::Display for ElectionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ElectionState::*;
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 12, 3, h, m, s).unwrap()
    }

    #[test]
    fn only_the_next_state_is_allowed() {
        let allowed = [
            (Draft, KeyPublished),
            (KeyPublished, Open),
            (Open, Closed),
            (Closed, Tallied),
            (Tallied, Certified),
        ];
        for from in ElectionState::ALL {
            for to in ElectionState::ALL {
                let ok = transition(from, to).is_ok();
                assert_eq!(ok, allowed.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn refused_transition_names_both_states() {
        let msg = transition(Open, Certified).unwrap_err().to_string();
        assert!(
            msg.contains("`open`") && msg.contains("`certified`") && msg.contains("`closed`"),
            "{msg}"
        );
        let msg = transition(Closed, Open).unwrap_err().to_string();
        assert!(msg.contains("`closed`") && msg.contains("`open`"), "{msg}");
        let msg = transition(Certified, Draft).unwrap_err().to_string();
        assert!(msg.contains("final"), "{msg}");
    }

    #[test]
    fn stored_text_round_trips() {
        for s in ElectionState::ALL {
            assert_eq!(s.as_str().parse::<ElectionState>().unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(
            "key_published".parse::<ElectionState>().unwrap(),
            KeyPublished
        );
        assert!("Open".parse::<ElectionState>().is_err());
        assert!("".parse::<ElectionState>().is_err());
    }

    #[test]
    fn clock_opens_and_closes_at_the_exact_instants() {
        let (opens, closes) = (t(4, 0, 0), t(6, 0, 0));
        let before = opens - chrono::Duration::milliseconds(1);
        let last = closes - chrono::Duration::milliseconds(1);
        assert_eq!(current(KeyPublished, before, opens, closes), KeyPublished);
        assert_eq!(current(KeyPublished, opens, opens, closes), Open);
        assert_eq!(current(Open, last, opens, closes), Open);
        assert_eq!(current(Open, closes, opens, closes), Closed);
        assert_eq!(current(KeyPublished, closes, opens, closes), Closed);
        assert_eq!(KeyPublished.current(t(5, 0, 0), opens, closes), Open);
    }

    #[test]
    fn clock_never_moves_draft_or_committee_states() {
        let (opens, closes) = (t(4, 0, 0), t(6, 0, 0));
        for s in [Draft, Closed, Tallied, Certified] {
            for now in [t(3, 0, 0), t(5, 0, 0), t(7, 0, 0)] {
                assert_eq!(current(s, now, opens, closes), s);
            }
        }
    }

    #[test]
    fn spec_is_frozen_after_draft() {
        assert!(Draft.spec_editable());
        assert!(ElectionState::ALL[1..].iter().all(|s| !s.spec_editable()));
    }
}
