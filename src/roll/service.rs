//! Importing the roll (all or nothing, only while a draft) and finding
//! members on it. Never how anyone voted: the roll holds only whether.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::account::{Permission, Role};
use crate::audit::{self, Actor};
use crate::db::roll::{delete_members, insert_members, MemberRow, NewMember, ObserverRow};
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, text, ElectionState, Language};
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::roll::Roll;

#[derive(Debug, Clone, Serialize)]
pub struct RollImported {
    pub members: u64,
    pub per_unit: BTreeMap<String, u64>,
    pub roll_hash: String,
    pub replaced: bool,
}

/// Replaces the roll of a draft election with `roll` in one transaction and
/// logs its hash and counts per unit — never names or emails.
pub fn import_roll(
    conn: &mut DbConnection,
    slug: &str,
    roll: &Roll,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<RollImported> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        let state = e.state(now);
        if state != ElectionState::Draft {
            return Err(Error::Conflict(
                Message::new("roll-frozen-conflict")
                    .with("slug", slug)
                    .with("state", state.word()),
            ));
        }
        let replaced = delete_members(conn, e.id)? > 0;
        let rows: Vec<NewMember<'_>> = roll
            .rows()
            .iter()
            .map(|r| NewMember {
                election_id: e.id,
                member_number: r.member_number.as_str(),
                name: r.name.as_str(),
                email: r.email.as_str(),
                unit: r.unit.as_str(),
                language: r.language,
                eligible: true,
                has_voted: false,
                search_key: super::fold_for_search(&format!(
                    "{}\n{}\n{}",
                    r.member_number.as_str(),
                    r.name.as_str(),
                    r.email.as_str()
                )),
            })
            .collect();
        insert_members(conn, &rows, &mut progress)?;
        let per_unit: BTreeMap<String, u64> = roll
            .counts_per_unit()
            .into_iter()
            .map(|(u, n)| (u.to_string(), n))
            .collect();
        let imported = RollImported {
            members: roll.len() as u64,
            per_unit,
            roll_hash: roll.roll_hash_hex(),
            replaced,
        };
        let data = json!({
            "members": imported.members,
            "per_unit": imported.per_unit,
            "roll_hash": imported.roll_hash,
            "replaced": replaced,
        });
        audit::append(
            conn,
            &e.log(),
            now,
            "roll.imported",
            actor,
            audit::data(data),
        )?;
        Ok(imported)
    })
}

/// A member as the viewer may see them, shaped in the query itself: what a
/// role may not see is never loaded (S7, S11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberView {
    /// For roles granted [`Permission::ReadContacts`]: contact details and
    /// whether the member has voted — never how.
    Committee {
        member_number: String,
        name: String,
        email: String,
        unit: String,
        language: Language,
        eligible: bool,
        has_voted: bool,
    },
    /// For roles granted only [`Permission::ReadRoll`] (auditors): no
    /// name, no email, not whether they voted — who voted is sensitive in
    /// a strike vote (S7).
    Observer {
        member_number: String,
        unit: String,
        language: Language,
        eligible: bool,
    },
}

impl MemberView {
    pub fn member_number(&self) -> &str {
        match self {
            MemberView::Committee { member_number, .. }
            | MemberView::Observer { member_number, .. } => member_number,
        }
    }
}

/// What a search may match on, decided by the viewer's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchScope {
    /// Member number, name or email ([`Permission::ReadContacts`]).
    Contacts,
    /// Member numbers only: matching a name or an email would confirm
    /// contact details the viewer may not see.
    NumbersOnly,
}

impl SearchScope {
    /// The scope `role` is granted, or `None` when it may not look
    /// members up at all (trustees).
    pub fn of(role: Role) -> Option<SearchScope> {
        if role.grants(Permission::ReadContacts) {
            Some(SearchScope::Contacts)
        } else if role.grants(Permission::ReadRoll) {
            Some(SearchScope::NumbersOnly)
        } else {
            None
        }
    }
}

impl From<MemberRow> for MemberView {
    fn from(row: MemberRow) -> MemberView {
        MemberView::Committee {
            member_number: row.member_number,
            name: row.name,
            email: row.email,
            unit: row.unit,
            language: row.language,
            eligible: row.eligible,
            has_voted: row.has_voted,
        }
    }
}

impl From<ObserverRow> for MemberView {
    fn from(row: ObserverRow) -> MemberView {
        MemberView::Observer {
            member_number: row.member_number,
            unit: row.unit,
            language: row.language,
            eligible: row.eligible,
        }
    }
}

/// The longest search accepted, in characters: longer than any member
/// number, name or email on a roll.
pub const MAX_QUERY_CHARS: usize = 256;

/// Why a search was refused before it reached the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    Text(text::TextError),
    TooLong,
    /// An auditor typed something no member number contains (a name, an
    /// email): say so, rather than "no member matches".
    NotAMemberNumber,
}

impl SearchError {
    /// The refusal for a person, in any language (issue 9).
    pub fn message(&self) -> Message {
        match self {
            SearchError::Text(e) => e.message(),
            SearchError::TooLong => Message::new("search-too-long").with("n", MAX_QUERY_CHARS),
            SearchError::NotAMemberNumber => Message::new("search-member-number-only"),
        }
    }
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for SearchError {}

impl From<SearchError> for Error {
    fn from(e: SearchError) -> Error {
        Error::field("q", e.message())
    }
}

/// Whether `query` could be part of a member number (the roll's
/// `MemberNumber` rule: ASCII letters, digits and '-').
pub fn could_be_member_number(query: &str) -> bool {
    query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Checks a search before any query: no NUL (PostgreSQL refuses it in a
/// parameter), at most [`MAX_QUERY_CHARS`], and for [`SearchScope::NumbersOnly`]
/// only what a member number may contain (S16: bad input is named).
pub fn check_search(query: &str, scope: SearchScope) -> std::result::Result<(), SearchError> {
    text::check_no_nul(query).map_err(SearchError::Text)?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong);
    }
    if scope == SearchScope::NumbersOnly && !could_be_member_number(query.trim()) {
        return Err(SearchError::NotAMemberNumber);
    }
    Ok(())
}

/// Members whose text contains `query` (case-insensitive), at most
/// `limit`, by member number. With [`SearchScope::Contacts`] the number,
/// name and email are matched and [`MemberView::Committee`] rows come
/// back; with [`SearchScope::NumbersOnly`] only the number is matched, in
/// SQL, and only [`MemberView::Observer`]'s columns are selected — so
/// `LIMIT` counts exactly the rows the viewer gets, and nothing the viewer
/// may not see leaves the database.
pub fn search_members(
    conn: &mut DbConnection,
    slug: &str,
    query: &str,
    limit: i64,
    scope: SearchScope,
) -> Result<Vec<MemberView>> {
    check_search(query, scope)?;
    let e = load_election(conn, slug)?;
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    match scope {
        SearchScope::Contacts => Ok(db::roll::search_members(conn, e.id, &q, limit)?
            .into_iter()
            .map(MemberView::from)
            .collect()),
        SearchScope::NumbersOnly => Ok(db::roll::search_member_numbers(conn, e.id, &q, limit)?
            .into_iter()
            .map(MemberView::from)
            .collect()),
    }
}
