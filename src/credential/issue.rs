//! Issuing credentials: bulk sends and reminders, one member's reissue, and
//! printed notices. Every path revokes before it issues, in one
//! transaction, and refuses members who have voted (S2).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use ring::rand::SystemRandom;
use serde::Serialize;
use serde_json::json;

use super::token::{random_id, Token};
use crate::audit::{self, Actor};
use crate::db::credentials::{self as rows, NewCredential, Recipient, ACTIVE};
use crate::db::outbox::{self, NewMessage};
use crate::db::{write_transaction, DbConnection};
use crate::election::{load_election, text::echo, ElectionState, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::roll::Email;

/// What `ballots send` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct SendOptions<'a> {
    /// Non-voters only, each with a fresh link (the old one revoked).
    pub reminder: bool,
    /// Domains whose mailboxes the employer controls (`mail.employer_domains`).
    pub employer_domains: &'a [String],
    /// The committee's recorded decision to mail employer addresses too:
    /// its reason. Without it those members are skipped and counted.
    pub employer_decision: Option<&'a str>,
}

/// What a send queued.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Queued {
    pub queued: u64,
    pub per_unit: BTreeMap<String, u64>,
    /// Members left out because their only address is an employer's.
    pub employer_only_skipped: u64,
    /// Reminders only: members left out because a message to them is
    /// still on its way.
    pub pending_skipped: u64,
}

/// True when `email`'s domain is, or is under, one of `domains`.
pub fn is_employer_address(email: &str, domains: &[String]) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_ascii_lowercase();
    domains.iter().any(|d| {
        let d = d.trim().trim_start_matches('@').to_ascii_lowercase();
        !d.is_empty() && (domain == d || domain.ends_with(&format!(".{d}")))
    })
}

/// Credentials can be issued only once the key is published and until the
/// window closes (S1, S10).
fn check_issuable(e: &StoredElection, now: DateTime<Utc>) -> Result<()> {
    let state = e.state(now);
    match state {
        ElectionState::KeyPublished | ElectionState::Open => Ok(()),
        ElectionState::Draft => Err(Error::Conflict(
            Message::new("links-not-yet").with("slug", e.spec.slug().to_string()),
        )),
        _ => Err(Error::Conflict(
            Message::new("links-no-longer")
                .with("slug", e.spec.slug().to_string())
                .with("state", state.word()),
        )),
    }
}

/// Mints a token per member: the credential rows (hash only) and the
/// tokens, in the members' order.
fn mint(
    e: &StoredElection,
    members: &[Recipient],
    key: &ring::hmac::Key,
    rng: &SystemRandom,
) -> Result<(Vec<NewCredential>, Vec<Token>)> {
    let mut creds = Vec::with_capacity(members.len());
    let mut tokens = Vec::with_capacity(members.len());
    for m in members {
        let token = Token::generate(rng)?;
        creds.push(NewCredential {
            election_id: e.id,
            member_id: m.member_id,
            token_hash: token.hash(key).0.to_vec(),
            state: ACTIVE,
        });
        tokens.push(token);
    }
    Ok((creds, tokens))
}

/// Queues one email per member, each carrying its token.
fn queue(
    conn: &mut DbConnection,
    e: &StoredElection,
    members: &[Recipient],
    tokens: Vec<Token>,
    kind: &str,
    rng: &SystemRandom,
    now: i64,
) -> Result<()> {
    let mut messages = Vec::with_capacity(members.len());
    for (m, token) in members.iter().zip(tokens) {
        messages.push(NewMessage {
            election_id: e.id,
            member_id: m.member_id,
            kind,
            message_id: random_id(rng)?,
            // The queued email's one token-bearing field, wiped once the
            // relay accepts it (S3).
            token: Some(token.expose().to_string()),
            status: outbox::QUEUED,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        });
    }
    outbox::insert(conn, &messages)
}

fn per_unit(members: &[Recipient]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for m in members {
        *counts.entry(m.unit.clone()).or_insert(0) += 1;
    }
    counts
}

/// `ratify ballots send SLUG [--reminder]`: issues a credential to every
/// eligible member without a working one (or, for a reminder, a fresh one
/// to every non-voter, revoking the old) and queues their emails, in one
/// transaction. The audit entry carries counts only: a list of who got a
/// reminder would tell the public who has not voted (S7).
pub fn queue_ballots(
    conn: &mut DbConnection,
    slug: &str,
    key: &ring::hmac::Key,
    options: &SendOptions<'_>,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Queued> {
    if let Some(reason) = options.employer_decision {
        if reason.trim().is_empty() {
            return Err(Error::field(
                "employer_reason",
                Message::new("links-employer-reason"),
            ));
        }
    }
    let rng = SystemRandom::new();
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        check_issuable(&e, now)?;
        let mut pending_skipped = 0;
        let candidates = if options.reminder {
            let pending: HashSet<i64> = outbox::members_pending(conn, e.id)?.into_iter().collect();
            let all = rows::non_voters_with_credential(conn, e.id)?;
            let before = all.len();
            let kept: Vec<Recipient> = all
                .into_iter()
                .filter(|m| !pending.contains(&m.member_id))
                .collect();
            pending_skipped = (before - kept.len()) as u64;
            kept
        } else {
            rows::without_credential(conn, e.id)?
        };
        let (targets, employer): (Vec<Recipient>, Vec<Recipient>) = candidates
            .into_iter()
            .partition(|m| !is_employer_address(&m.email, options.employer_domains));
        let employer_count = employer.len() as u64;
        let targets = match options.employer_decision {
            Some(_) => [targets, employer].concat(),
            None => targets,
        };
        let ids: Vec<i64> = targets.iter().map(|m| m.member_id).collect();
        if options.reminder {
            rows::revoke_active(conn, &ids)?;
        }
        let (creds, tokens) = mint(&e, &targets, key, &rng)?;
        rows::insert(conn, &creds)?;
        let kind = if options.reminder {
            "reminder"
        } else {
            "ballot"
        };
        queue(
            conn,
            &e,
            &targets,
            tokens,
            kind,
            &rng,
            now.timestamp_millis(),
        )?;
        let queued = Queued {
            queued: targets.len() as u64,
            per_unit: per_unit(&targets),
            employer_only_skipped: if options.employer_decision.is_some() {
                0
            } else {
                employer_count
            },
            pending_skipped,
        };
        if let Some(reason) = options.employer_decision {
            let data = json!({ "employer_only": employer_count, "reason": reason.trim() });
            audit::append(
                conn,
                &e.log(),
                now,
                "mail.employer_addresses",
                actor,
                audit::data(data),
            )?;
        }
        if queued.queued > 0 {
            let (kind, data) = if options.reminder {
                (
                    "credential.reissued",
                    json!({ "count": queued.queued, "reason": "reminder" }),
                )
            } else {
                (
                    "credential.issued",
                    json!({ "count": queued.queued, "channel": "email" }),
                )
            };
            audit::append(conn, &e.log(), now, kind, actor, audit::data(data))?;
        }
        Ok(queued)
    })
}

/// `ratify ballots reissue`: a new link for one member.
#[derive(Debug, Clone)]
pub struct Reissue<'a> {
    pub member_number: &'a str,
    pub reason: &'a str,
    /// A corrected email address, if the old one was wrong.
    pub email: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reissued {
    pub member_number: String,
    pub revoked: bool,
    pub email_corrected: bool,
}

/// Revokes the member's working credential, issues a new one and queues
/// its email, in one transaction with a `credential.reissued` entry (S2,
/// S12). Refused for a member who has voted. A corrected address is logged
/// as `member.email_corrected` without the address (the log is public).
pub fn reissue(
    conn: &mut DbConnection,
    slug: &str,
    key: &ring::hmac::Key,
    request: &Reissue<'_>,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Reissued> {
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(Error::field("reason", Message::new("reissue-no-reason")));
    }
    let email = match request.email.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(Email::parse(text).map_err(|e| Error::field("email", e.0))?),
        None => None,
    };
    let rng = SystemRandom::new();
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        check_issuable(&e, now)?;
        let mut member = find_member(conn, &e, request.member_number)?;
        if let Some(email) = &email {
            rows::set_member_email(conn, member.member_id, email.as_str()).map_err(
                |err| match err {
                    Error::Database(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => Error::taken("email", Message::new("reissue-email-taken")),
                    other => other,
                },
            )?;
            member.email = email.as_str().to_string();
            let data = json!({ "member_number": member.member_number });
            audit::append(
                conn,
                &e.log(),
                now,
                "member.email_corrected",
                actor,
                audit::data(data),
            )?;
        }
        let revoked = rows::revoke_active(conn, &[member.member_id])? > 0;
        outbox::cancel_pending(conn, &[member.member_id])?;
        let members = [member];
        let (creds, tokens) = mint(&e, &members, key, &rng)?;
        rows::insert(conn, &creds)?;
        queue(
            conn,
            &e,
            &members,
            tokens,
            "reissue",
            &rng,
            now.timestamp_millis(),
        )?;
        let data = json!({ "member_number": members[0].member_number, "reason": reason });
        audit::append(
            conn,
            &e.log(),
            now,
            "credential.reissued",
            actor,
            audit::data(data),
        )?;
        Ok(Reissued {
            member_number: members[0].member_number.clone(),
            revoked,
            email_corrected: email.is_some(),
        })
    })
}

/// An eligible member who has not voted, or the reason why not.
fn find_member(conn: &mut DbConnection, e: &StoredElection, number: &str) -> Result<Recipient> {
    let (member, eligible) = rows::member(conn, e.id, number)?.ok_or_else(|| {
        Error::NotFound(format!(
            "member {} on the roll of {}",
            echo(number),
            e.spec.slug()
        ))
    })?;
    if !eligible {
        return Err(Error::Conflict(
            Message::new("member-not-eligible")
                .with("number", member.member_number.as_str())
                .with("slug", e.spec.slug().to_string()),
        ));
    }
    if member.has_voted {
        return Err(Error::Conflict(
            Message::new("member-has-voted").with("number", member.member_number.as_str()),
        ));
    }
    Ok(member)
}

/// Whom to print notices for.
#[derive(Debug, Clone)]
pub enum PrintSelection {
    Unit(String),
    Members(Vec<String>),
}

/// A printed notice's content: the member and their new token.
#[derive(Debug, Clone)]
pub struct Notice {
    pub member_number: String,
    pub name: String,
    pub unit: String,
    pub language: String,
    pub token: Token,
}

/// Issues (or reissues) a credential for each selected member for a
/// printed notice, in one transaction: old credentials revoked, pending
/// emails cancelled, a `printed` row for the delivery counts, and one
/// `credential.issued` entry with the count. Members who have voted are
/// refused by name when named, skipped when a whole unit is printed.
pub fn print_notices(
    conn: &mut DbConnection,
    slug: &str,
    key: &ring::hmac::Key,
    selection: &PrintSelection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Notice>> {
    let rng = SystemRandom::new();
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        check_issuable(&e, now)?;
        let members = selected(conn, &e, selection)?;
        let ids: Vec<i64> = members.iter().map(|m| m.member_id).collect();
        let revoked = rows::revoke_active(conn, &ids)?;
        outbox::cancel_pending(conn, &ids)?;
        let (creds, tokens) = mint(&e, &members, key, &rng)?;
        rows::insert(conn, &creds)?;
        let stamp = now.timestamp_millis();
        let mut printed = Vec::with_capacity(members.len());
        for m in &members {
            printed.push(NewMessage {
                election_id: e.id,
                member_id: m.member_id,
                kind: "printed",
                message_id: random_id(&rng)?,
                token: None,
                status: outbox::PRINTED,
                attempts: 0,
                next_attempt_at: stamp,
                created_at: stamp,
            });
        }
        outbox::insert(conn, &printed)?;
        let data = json!({ "count": members.len(), "channel": "print", "replaced": revoked });
        audit::append(
            conn,
            &e.log(),
            now,
            "credential.issued",
            actor,
            audit::data(data),
        )?;
        let names = crate::db::credentials::names(conn, &ids)?;
        Ok(members
            .into_iter()
            .zip(tokens)
            .map(|(m, token)| Notice {
                name: names.get(&m.member_id).cloned().unwrap_or_default(),
                member_number: m.member_number,
                unit: m.unit,
                language: m.language,
                token,
            })
            .collect())
    })
}

fn selected(
    conn: &mut DbConnection,
    e: &StoredElection,
    selection: &PrintSelection,
) -> Result<Vec<Recipient>> {
    match selection {
        PrintSelection::Unit(unit) => {
            if e.spec.unit(unit).is_none() {
                return Err(Error::field(
                    "unit",
                    Message::new("print-unit-unknown").with("unit", echo(unit).to_string()),
                ));
            }
            let all = rows::eligible_in_unit(conn, e.id, unit)?;
            Ok(all.into_iter().filter(|m| !m.has_voted).collect())
        }
        PrintSelection::Members(numbers) => {
            if numbers.is_empty() {
                return Err(Error::field("member", Message::new("print-no-members")));
            }
            let mut found = Vec::with_capacity(numbers.len());
            for n in numbers {
                found.push(find_member(conn, e, n)?);
            }
            found.sort_by(|a, b| a.member_number.cmp(&b.member_number));
            found.dedup_by_key(|m| m.member_id);
            Ok(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employer_domains_match_the_domain_and_its_subdomains_only() {
        let d = vec!["acme.com".to_string(), "@Works.ORG".to_string()];
        assert!(is_employer_address("ana@acme.com", &d));
        assert!(is_employer_address("ana@mail.ACME.com", &d));
        assert!(is_employer_address("ana@works.org", &d));
        assert!(!is_employer_address("ana@notacme.com", &d));
        assert!(!is_employer_address("ana@acme.com.evil.org", &d));
        assert!(!is_employer_address("ana@example.org", &[]));
    }
}
