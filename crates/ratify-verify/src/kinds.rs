//! Check 3: every entry's kind, actor and data members against the table in
//! docs/audit-format.md §"Entry kinds", and the order the kinds must come
//! in: entry 0 is `election.created` and no other entry is; nothing about
//! the roll or the trustees after `key.published`; one `key.published`;
//! no casting, links, extensions or address corrections after
//! `election.closed`; one tally after the close, shares after the tally
//! (one per trustee), one `results.published`, and the quorum's
//! `election.certified` last (the order rules are in order.rs).

use serde_json::Value;

use crate::json::{as_count, exact_members, is_hex64};
use crate::layout::ENTRIES;
use crate::log::Logged;
use crate::{Check, Failure};

/// Who may act.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// A string: an account's email or `cli:<OS user>`.
    Named,
    /// `null`: the server itself or a member (S7: a cast names no one).
    Nobody,
}

/// A data member's type.
#[derive(Clone, Copy)]
enum T {
    Count,
    Text,
    Hex,
    Bool,
    Object,
    Counts,
    CountList,
    HexList,
    /// tally.computed's `[{"name", "units": [codes], "ballots"}]`.
    Groups,
}

struct Kind {
    name: &'static str,
    actor: Actor,
    required: &'static [(&'static str, T)],
    optional: &'static [(&'static str, T)],
}

use T::*;

/// The election log's kinds (the system log's are not part of a record).
const KINDS: &[Kind] = &[
    Kind {
        name: "election.created",
        actor: Actor::Named,
        required: &[("spec", Object)],
        optional: &[],
    },
    Kind {
        name: "election.spec_replaced",
        actor: Actor::Named,
        required: &[("spec", Object)],
        optional: &[],
    },
    Kind {
        name: "election.deleted",
        actor: Actor::Named,
        required: &[("members", Count), ("trustee_files", Count)],
        optional: &[],
    },
    Kind {
        name: "roll.imported",
        actor: Actor::Named,
        required: &[
            ("members", Count),
            ("per_unit", Counts),
            ("roll_hash", Hex),
            ("replaced", Bool),
        ],
        optional: &[],
    },
    Kind {
        name: "trustee.registered",
        actor: Actor::Named,
        required: &[("file", Text), ("trustee", Count)],
        optional: &[("digest", Hex), ("against", CountList)],
    },
    Kind {
        name: "trustee.voided",
        actor: Actor::Named,
        required: &[
            ("trustee", Count),
            ("digest", Hex),
            ("complainers", CountList),
            ("reason", Text),
        ],
        optional: &[],
    },
    Kind {
        name: "key.published",
        actor: Actor::Named,
        required: &[
            ("public_key", Hex),
            ("verification_keys", HexList),
            ("decrypt_threshold", Count),
            ("roster_digest", Hex),
        ],
        optional: &[],
    },
    Kind {
        name: "window.extended",
        actor: Actor::Named,
        required: &[("from", Text), ("to", Text), ("reason", Text)],
        optional: &[],
    },
    Kind {
        name: "decryption.share",
        actor: Actor::Named,
        required: &[("trustee", Count), ("tally_digest", Hex)],
        optional: &[],
    },
    // Ballot links (issue 12): counts, never a list of who was sent what.
    Kind {
        name: "credential.issued",
        actor: Actor::Named,
        required: &[("count", Count), ("channel", Text)],
        optional: &[("replaced", Count), ("member_number", Text)],
    },
    // One member's reissue (`member_number`), or a reminder (`count`).
    Kind {
        name: "credential.reissued",
        actor: Actor::Named,
        required: &[("reason", Text)],
        optional: &[("member_number", Text), ("count", Count)],
    },
    Kind {
        name: "member.email_corrected",
        actor: Actor::Named,
        required: &[("member_number", Text)],
        optional: &[],
    },
    Kind {
        name: "mail.employer_addresses",
        actor: Actor::Named,
        required: &[("employer_only", Count), ("reason", Text)],
        optional: &[],
    },
    // Casting (issue 13).
    Kind {
        name: "ballot.cast",
        actor: Actor::Nobody,
        required: &[("tracker", Hex), ("unit", Text), ("ballot_hash", Hex)],
        optional: &[],
    },
    // Close, tally, decryption, results, certification (issue 14).
    Kind {
        name: "election.closed",
        actor: Actor::Nobody,
        required: &[("per_unit", Counts), ("voted_commitment", Hex)],
        optional: &[],
    },
    Kind {
        name: "tally.computed",
        actor: Actor::Named,
        required: &[("groups", Groups), ("tally_digest", Hex)],
        optional: &[],
    },
    Kind {
        name: "results.published",
        actor: Actor::Named,
        required: &[("results_digest", Hex), ("decrypted_by", CountList)],
        optional: &[],
    },
    Kind {
        name: "election.certified",
        actor: Actor::Named,
        required: &[("account", Text)],
        optional: &[("certificate_digest", Hex)],
    },
];

pub use crate::order::State;

fn fail(e: &Logged, why: impl Into<String>) -> Failure {
    Failure::new(Check::Entries, ENTRIES, why).entry(e.index)
}

/// Judges entries one at a time, in index order.
#[derive(Default)]
pub struct Judge {
    state: State,
    seen: u64,
}

impl Judge {
    pub fn entry(&mut self, e: &Logged) -> Result<(), Failure> {
        check_kind(e)?;
        crate::order::check_order(e, &mut self.state)?;
        self.seen += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<State, Failure> {
        if self.seen == 0 {
            return Err(Failure::new(
                Check::Entries,
                ENTRIES,
                "the log is empty: entry 0 must be election.created",
            ));
        }
        Ok(self.state)
    }
}

/// Check 3 over entries already in memory.
#[cfg(test)]
pub fn check_entries(entries: &[Logged]) -> Result<State, Failure> {
    let mut judge = Judge::default();
    for e in entries {
        judge.entry(e)?;
    }
    judge.finish()
}

fn check_kind(e: &Logged) -> Result<(), Failure> {
    let kind = KINDS.iter().find(|k| k.name == e.kind).ok_or_else(|| {
        fail(
            e,
            format!(
                "kind {:?} is not a documented kind of an election log",
                e.kind
            ),
        )
        .field("kind")
    })?;
    match (kind.actor, &e.actor) {
        (Actor::Named, None) => {
            return Err(fail(e, format!("a {} names its actor; it is null", e.kind)).field("actor"))
        }
        (Actor::Nobody, Some(_)) => {
            return Err(fail(
                e,
                format!("a {} must name no one (S7), but its actor is set", e.kind),
            )
            .field("actor"))
        }
        (Actor::Named, Some(a)) if a.is_empty() => {
            return Err(fail(e, "the actor is empty").field("actor"))
        }
        _ => {}
    }
    let required: Vec<&str> = kind.required.iter().map(|r| r.0).collect();
    let optional: Vec<&str> = kind.optional.iter().map(|r| r.0).collect();
    exact_members(&e.data, &required, &optional)
        .map_err(|(field, why)| fail(e, why).field(format!("data.{field}")))?;
    for (name, t) in kind.required.iter().chain(kind.optional) {
        if let Some(v) = e.data.get(*name) {
            if !has_type(v, *t) {
                return Err(
                    fail(e, format!("is not {}", type_name(*t))).field(format!("data.{name}"))
                );
            }
        }
    }
    if e.kind == "trustee.registered" {
        check_registration(e)?;
    }
    Ok(())
}

/// `file` names the kind of file; deals, confirmations and complaints
/// carry their digest, complaints whom they prove guilty.
fn check_registration(e: &Logged) -> Result<(), Failure> {
    let file = e.data["file"].as_str().unwrap_or_default();
    let (digest, against) = match file {
        "public" => (false, false),
        "deal" | "confirmation" => (true, false),
        "complaint" => (true, true),
        _ => {
            return Err(fail(
                e,
                format!("{file:?} is not public, deal, confirmation or complaint"),
            )
            .field("data.file"))
        }
    };
    for (name, wanted) in [("digest", digest), ("against", against)] {
        if e.data.contains_key(name) != wanted {
            let why = if wanted {
                "is missing"
            } else {
                "is not a member for this file"
            };
            return Err(fail(e, why).field(format!("data.{name}")));
        }
    }
    Ok(())
}

fn has_type(v: &Value, t: T) -> bool {
    match t {
        Count => as_count(v).is_some(),
        Text => v.is_string(),
        Hex => v.as_str().is_some_and(is_hex64),
        Bool => v.is_boolean(),
        Object => v.is_object(),
        Counts => v
            .as_object()
            .is_some_and(|m| m.values().all(|c| as_count(c).is_some())),
        CountList => v
            .as_array()
            .is_some_and(|a| a.iter().all(|c| as_count(c).is_some())),
        HexList => v
            .as_array()
            .is_some_and(|a| a.iter().all(|h| h.as_str().is_some_and(is_hex64))),
        Groups => v.as_array().is_some_and(|a| a.iter().all(is_group)),
    }
}

fn type_name(t: T) -> &'static str {
    match t {
        Count => "a whole number",
        Text => "a string",
        Hex => "64 lower-case hex digits",
        Bool => "true or false",
        Object => "an object",
        Counts => "an object of whole numbers",
        CountList => "a list of whole numbers",
        HexList => "a list of 64-hex-digit strings",
        Groups => {
            "a list of {\"name\": string, \"units\": [unit codes], \"ballots\": whole number}"
        }
    }
}

/// One of tally.computed's groups: exactly `name`, `units`, `ballots`.
fn is_group(g: &Value) -> bool {
    g.as_object().is_some_and(|o| {
        o.len() == 3
            && o.get("name").is_some_and(Value::is_string)
            && o.get("ballots").and_then(as_count).is_some()
            && o.get("units")
                .and_then(Value::as_array)
                .is_some_and(|u| !u.is_empty() && u.iter().all(Value::is_string))
    })
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
