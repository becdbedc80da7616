//! Importing the roll (all or nothing, only while a draft) and finding
//! members on it. Never how anyone voted: the roll holds only whether.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::roll::{delete_members, insert_members, MemberRow, NewMember};
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, text, ElectionState};
use crate::error::{Error, Result};
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
            return Err(Error::Conflict(format!(
                "the roll of {slug} can no longer change: the election is {state} (rolls may be replaced only while it is a draft)"
            )));
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
                language: r.language.as_str(),
                eligible: true,
                has_voted: false,
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

/// A member as the committee sees them: contact details and whether they
/// have voted — never how.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub member_number: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    pub language: String,
    pub eligible: bool,
    pub has_voted: bool,
}

impl From<MemberRow> for MemberView {
    fn from(row: MemberRow) -> MemberView {
        MemberView {
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

/// The longest search accepted, in characters: longer than any member
/// number, name or email on a roll.
pub const MAX_QUERY_CHARS: usize = 256;

/// Members whose number, name or email contains `query` (case-insensitive),
/// at most `limit`. A query with a NUL character (which PostgreSQL refuses
/// in a parameter) or longer than [`MAX_QUERY_CHARS`] is bad input (S16).
pub fn search_members(
    conn: &mut DbConnection,
    slug: &str,
    query: &str,
    limit: i64,
) -> Result<Vec<MemberView>> {
    text::check_no_nul(query).map_err(|e| Error::field("q", e.to_string()))?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::field(
            "q",
            format!("at most {MAX_QUERY_CHARS} characters are allowed"),
        ));
    }
    let e = load_election(conn, slug)?;
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db::roll::search_members(conn, e.id, &q, limit)?
        .into_iter()
        .map(MemberView::from)
        .collect())
}
