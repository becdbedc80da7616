//! The `outbox` table: the durable mail queue (S19). `token` is the only
//! token-bearing column; every path that finishes with a message (accepted,
//! undeliverable, cancelled) sets it to NULL (S3). The worker claims due
//! messages with a lease: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
//! `ratify serve` processes never hold one message at once; SQLite has one
//! writer at a time (BEGIN IMMEDIATE), so the claiming UPDATE is enough.
//!
//! A claim is fenced: each claim adds one to `attempts`, so a message's id
//! with its `attempts` names the claim that holds it (a `Hold`). Renewing a
//! lease and recording an outcome match that pair, so a worker whose lease
//! ran out and was taken over can neither extend it nor overwrite what the
//! new holder records (issue 12: no message sent twice by two servers).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::schema::{elections, members, outbox};
use super::DbConnection;
use crate::error::Result;

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const DEFERRED: &str = "deferred";
pub const SENT: &str = "sent";
pub const UNDELIVERABLE: &str = "undeliverable";
pub const CANCELLED: &str = "cancelled";
pub const PRINTED: &str = "printed";

/// Statuses of a message still to be sent.
pub const PENDING: [&str; 3] = [QUEUED, SENDING, DEFERRED];

#[derive(Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMessage<'a> {
    pub election_id: i64,
    pub member_id: i64,
    pub kind: &'a str,
    pub message_id: String,
    pub token: Option<String>,
    pub status: &'a str,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

const CHUNK: usize = 3_000;

/// Queues messages in chunks (the per-backend bulk insert, as in `roll`).
pub fn insert(conn: &mut DbConnection, rows: &[NewMessage<'_>]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        match conn {
            DbConnection::Sqlite(c) => {
                diesel::insert_into(outbox::table)
                    .values(chunk)
                    .execute(c)?;
            }
            DbConnection::Postgres(c) => {
                diesel::insert_into(outbox::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// One claim of one message: its id and the `attempts` the claim set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, QueryableByName)]
pub struct Hold {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'sending', lease_until = $1, \
     attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE \
     (status IN ('queued', 'deferred') AND next_attempt_at <= $2) \
     OR (status = 'sending' AND lease_until < $2) ORDER BY id LIMIT $3) \
     RETURNING id, attempts";

const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'sending', lease_until = $1, \
     attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE \
     (status IN ('queued', 'deferred') AND next_attempt_at <= $2) \
     OR (status = 'sending' AND lease_until < $2) ORDER BY id LIMIT $3 \
     FOR UPDATE SKIP LOCKED) RETURNING id, attempts";

/// Claims up to `limit` due messages (queued, deferred and due, or
/// `sending` with an expired lease: a worker that died or lost its lease)
/// until `lease_until`. Must run in a write transaction; returns the holds,
/// by id.
pub fn claim(conn: &mut DbConnection, now: i64, lease_until: i64, limit: i64) -> Result<Vec<Hold>> {
    let sql = match conn {
        DbConnection::Sqlite(_) => CLAIM_SQLITE,
        DbConnection::Postgres(_) => CLAIM_POSTGRES,
    };
    let mut holds: Vec<Hold> = diesel::sql_query(sql)
        .bind::<BigInt, _>(lease_until)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    holds.sort_unstable_by_key(|h| h.id);
    Ok(holds)
}

/// Extends the lease of every message still held by `holds` to
/// `lease_until` (the sending worker's heartbeat); returns the ids still
/// held. A message missing from the answer was taken over by another
/// worker, or finished, since this worker claimed it.
pub fn renew(conn: &mut DbConnection, holds: &[Hold], lease_until: i64) -> Result<Vec<i64>> {
    let mut still = Vec::with_capacity(holds.len());
    for h in holds {
        let n = diesel::update(held(h))
            .set(outbox::lease_until.eq(lease_until))
            .execute(conn)?;
        if n == 1 {
            still.push(h.id);
        }
    }
    Ok(still)
}

/// The row of a message, if a given claim still holds it.
type Held = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Find<outbox::table, i64>,
        diesel::dsl::Eq<outbox::status, &'static str>,
    >,
    diesel::dsl::Eq<outbox::attempts, i32>,
>;

/// The row of `h`, if this claim still holds it.
fn held(h: &Hold) -> Held {
    outbox::table
        .find(h.id)
        .filter(outbox::status.eq(SENDING))
        .filter(outbox::attempts.eq(h.attempts))
}

/// A claimed message with what composing it needs.
#[derive(Debug, Clone, Queryable)]
pub struct Claimed {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub message_id: String,
    pub token: Option<String>,
    pub attempts: i32,
    pub email: String,
    pub name: String,
    pub language: String,
}

pub fn load_claimed(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<Claimed>> {
    Ok(outbox::table
        .inner_join(members::table)
        .inner_join(elections::table)
        .filter(outbox::id.eq_any(ids))
        .filter(outbox::status.eq(SENDING))
        .order(outbox::id)
        .select((
            outbox::id,
            elections::slug,
            outbox::kind,
            outbox::message_id,
            outbox::token,
            outbox::attempts,
            members::email,
            members::name,
            members::language,
        ))
        .load(conn)?)
}

/// The relay accepted the message: sent, and the token wiped (S3). Only
/// while `h` still holds it; false if the lease was lost (see
/// `mark_sent_unheld`).
pub fn mark_sent(conn: &mut DbConnection, h: &Hold, reply: &str) -> Result<bool> {
    Ok(diesel::update(held(h))
        .set(finished(SENT, reply))
        .execute(conn)?
        == 1)
}

/// The relay accepted a message whose lease this worker had lost: recorded
/// as sent unless its new holder has finished it already, so the new holder
/// sees (at its next heartbeat, or before the final `.`) that it must not
/// send it again. Returns false if the message was already finished.
pub fn mark_sent_unheld(conn: &mut DbConnection, id: i64, reply: &str) -> Result<bool> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq_any(PENDING)),
    )
    .set(finished(SENT, reply))
    .execute(conn)?;
    Ok(n == 1)
}

/// A permanent failure (5xx, or tried `max_attempts` times) of a message
/// `h` still holds: undeliverable with the reply, the token wiped since no
/// retry will need it. False if the lease was lost.
pub fn give_up(conn: &mut DbConnection, h: &Hold, reply: &str) -> Result<bool> {
    Ok(diesel::update(held(h))
        .set(finished(UNDELIVERABLE, reply))
        .execute(conn)?
        == 1)
}

/// A DSN that arrived later: undeliverable with the report's status,
/// whatever the message's state (the relay's word outranks ours).
pub fn mark_undeliverable(conn: &mut DbConnection, id: i64, reply: &str) -> Result<()> {
    diesel::update(outbox::table.find(id))
        .set(finished(UNDELIVERABLE, reply))
        .execute(conn)?;
    Ok(())
}

type Finished<'a> = (
    diesel::dsl::Eq<outbox::status, &'a str>,
    diesel::dsl::Eq<outbox::token, Option<String>>,
    diesel::dsl::Eq<outbox::lease_until, Option<i64>>,
    diesel::dsl::Eq<outbox::reply, &'a str>,
);

fn finished<'a>(status: &'a str, reply: &'a str) -> Finished<'a> {
    (
        outbox::status.eq(status),
        outbox::token.eq(None::<String>),
        outbox::lease_until.eq(None::<i64>),
        outbox::reply.eq(reply),
    )
}

/// A temporary failure (4xx, a dropped connection) of a message `h` still
/// holds: tried again at `at`. False if the lease was lost.
pub fn mark_deferred(conn: &mut DbConnection, h: &Hold, reply: &str, at: i64) -> Result<bool> {
    let n = diesel::update(held(h))
        .set((
            outbox::status.eq(DEFERRED),
            outbox::lease_until.eq(None::<i64>),
            outbox::next_attempt_at.eq(at),
            outbox::reply.eq(reply),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Cancels the members' messages not yet sent (their credential was
/// revoked), wiping the tokens they carried.
pub fn cancel_pending(conn: &mut DbConnection, member_ids: &[i64]) -> Result<usize> {
    let mut n = 0;
    for chunk in member_ids.chunks(CHUNK) {
        n += diesel::update(
            outbox::table
                .filter(outbox::member_id.eq_any(chunk))
                .filter(outbox::status.eq_any([QUEUED, DEFERRED])),
        )
        .set((
            outbox::status.eq(CANCELLED),
            outbox::token.eq(None::<String>),
        ))
        .execute(conn)?;
    }
    Ok(n)
}

/// Members with a message still to send.
pub fn members_pending(conn: &mut DbConnection, election_id: i64) -> Result<Vec<i64>> {
    Ok(outbox::table
        .filter(outbox::election_id.eq(election_id))
        .filter(outbox::status.eq_any(PENDING))
        .select(outbox::member_id)
        .distinct()
        .load(conn)?)
}

/// How many messages, over all elections, are still to be sent.
pub fn pending_count(conn: &mut DbConnection) -> Result<i64> {
    Ok(outbox::table
        .filter(outbox::status.eq_any(PENDING))
        .count()
        .get_result(conn)?)
}

/// The message with this id, with its current status.
pub fn find_by_message_id(
    conn: &mut DbConnection,
    message_id: &str,
) -> Result<Option<(i64, String)>> {
    Ok(outbox::table
        .filter(outbox::message_id.eq(message_id))
        .select((outbox::id, outbox::status))
        .first(conn)
        .optional()?)
}

#[derive(QueryableByName)]
pub struct UnitStatusCount {
    #[diesel(sql_type = Text)]
    pub unit: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Messages per unit and status, counting each member's latest message
/// only (a reissue supersedes the first send).
pub fn counts_per_unit(conn: &mut DbConnection, election_id: i64) -> Result<Vec<UnitStatusCount>> {
    Ok(diesel::sql_query(
        "SELECT m.unit AS unit, o.status AS status, COUNT(*) AS n FROM outbox o \
         JOIN members m ON m.id = o.member_id \
         WHERE o.election_id = $1 AND o.id = (SELECT MAX(o2.id) FROM outbox o2 \
         WHERE o2.member_id = o.member_id) GROUP BY m.unit, o.status ORDER BY m.unit, o.status",
    )
    .bind::<BigInt, _>(election_id)
    .load(conn)?)
}

/// An undeliverable message: who, and the relay's or the DSN's words.
#[derive(Debug, Clone, Queryable)]
pub struct Undeliverable {
    pub member_number: String,
    pub name: String,
    pub email: String,
    pub unit: String,
    pub reply: Option<String>,
}

pub fn undeliverable(conn: &mut DbConnection, election_id: i64) -> Result<Vec<Undeliverable>> {
    Ok(outbox::table
        .inner_join(members::table)
        .filter(outbox::election_id.eq(election_id))
        .filter(outbox::status.eq(UNDELIVERABLE))
        .order(members::member_number)
        .select((
            members::member_number,
            members::name,
            members::email,
            members::unit,
            outbox::reply,
        ))
        .load(conn)?)
}

/// Every eligible member's unit and email (for the employer-only count,
/// which is computed here and never sent out with addresses).
pub fn eligible_emails(conn: &mut DbConnection, election_id: i64) -> Result<Vec<(String, String)>> {
    Ok(members::table
        .filter(members::election_id.eq(election_id))
        .filter(members::eligible.eq(true))
        .select((members::unit, members::email))
        .load(conn)?)
}

/// After the queue drains on SQLite: fold the write-ahead log back into
/// the database and truncate it, so no old page image holding a token stays
/// in the `-wal` file (S3). Freed space in the database itself is zeroed as
/// it is freed (`secure_delete`, set on every connection in `db`).
/// PostgreSQL's dead tuples are vacuumed by the server.
pub fn truncate_wal(conn: &mut DbConnection) -> Result<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    Ok(())
}

/// The status of each listed member's newest message (email or printed
/// notice), by member number: what the committee's member search shows in
/// its Ballot column. Members with no message are absent.
pub fn latest_status_by_number(
    conn: &mut DbConnection,
    election_id: i64,
    numbers: &[String],
) -> Result<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> = outbox::table
        .inner_join(members::table)
        .filter(outbox::election_id.eq(election_id))
        .filter(members::member_number.eq_any(numbers))
        .order(outbox::id.asc())
        .select((members::member_number, outbox::status))
        .load(conn)?;
    // Oldest first, so the newest message of each member wins.
    Ok(rows.into_iter().collect())
}
