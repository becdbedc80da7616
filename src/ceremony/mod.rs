//! The server's side of the key ceremony and of decryption: it stores and
//! relays the trustees' public files, checks each as it arrives, combines
//! the election key, and verifies decryption shares. It never sees a
//! trustee's secret (S6).

use chrono::{DateTime, Utc};
use ratify_crypto::{
    combine_election_key, verify_complaint, verify_confirmation, verify_deal,
    verify_decryption_share, Deal, ElectionKeys, Roster, TallyRequest, TrusteeFile,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{self, write_transaction, DbConnection};
use crate::election::{load_election, set_state, ElectionState, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::Message;

mod slots;
mod void;

pub use slots::{slots, Registrar, SlotHolder, Slots};
pub use void::void_deal;

/// What a registration stored.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub kind: &'static str,
    pub trustee: u32,
}

/// The crypto crate's own words (trustee files are read by the command
/// line and the API, in English).
fn crypto(e: ratify_crypto::CryptoError) -> Error {
    Error::Invalid(Message::untranslated(e.to_string()))
}

/// Registers a trustee file on the server's command line (or a test's
/// set-up): the slot is held by no account, and `actor` is logged.
pub fn register_trustee_file(
    conn: &mut DbConnection,
    slug: &str,
    json_text: &str,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Registered> {
    let actor = actor.unwrap_or("cli:unknown");
    register_trustee_file_by(conn, slug, json_text, Registrar::Server(actor), now)
}

/// Registers any trustee file of the key ceremony: a public key, a deal, a
/// confirmation or a complaint. Each file's proofs, signature and binding
/// to its trustee are checked before it is stored (S21, issue 10: a
/// relabelled or re-signed file must not take a slot), and only the slot's
/// holder may register its later files.
pub fn register_trustee_file_by(
    conn: &mut DbConnection,
    slug: &str,
    json_text: &str,
    registrar: Registrar<'_>,
    now: DateTime<Utc>,
) -> Result<Registered> {
    let file = TrusteeFile::from_json(json_text).map_err(crypto)?;
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        if e.state(now) != ElectionState::Draft {
            return Err(Error::Conflict(
                Message::new("ceremony-over").with("slug", slug),
            ));
        }
        let roster = roster_of(conn, &e)?;
        let (kind, trustee, detail) = check_file(&roster, &file)?;
        if kind == "public" {
            slots::claim(conn, e.id, trustee, registrar)?;
        } else {
            slots::require_holder(conn, e.id, trustee, registrar)?;
        }
        store_file(conn, e.id, kind, trustee, &file.to_json())?;
        let mut data = json!({ "file": kind, "trustee": trustee });
        if let (Some(data), Some(detail)) = (data.as_object_mut(), detail.as_object()) {
            data.extend(detail.clone());
        }
        audit::append(
            conn,
            &e.log(),
            now,
            "trustee.registered",
            Some(registrar.actor()),
            audit::data(data),
        )?;
        Ok(Registered { kind, trustee })
    })
}

/// Verifies one file against the roster as registered so far; returns its
/// kind, its trustee's slot and the log entry's details.
fn check_file(
    roster: &Roster,
    file: &TrusteeFile,
) -> Result<(&'static str, u32, serde_json::Value)> {
    Ok(match file {
        TrusteeFile::Public(p) => {
            p.verify()
                .map_err(|r| Error::Invalid(Message::untranslated(format!("public key: {r}"))))?;
            if roster.index_of_public(p).is_some()
                || roster.public.iter().any(|q| q.receive_key == p.receive_key)
            {
                return Err(Error::Conflict(Message::new("trustee-key-registered")));
            }
            if roster.public.len() as u32 >= roster.trustees {
                return Err(Error::Conflict(
                    Message::new("trustees-all-registered").with("n", roster.trustees),
                ));
            }
            ("public", roster.public.len() as u32 + 1, json!({}))
        }
        TrusteeFile::Deal(d) => {
            roster.check_complete().map_err(crypto)?;
            verify_deal(roster, d).map_err(crypto)?;
            (
                "deal",
                d.dealer,
                json!({ "digest": hex::encode(d.digest()) }),
            )
        }
        TrusteeFile::Confirmation(c) => {
            verify_confirmation(roster, c).map_err(crypto)?;
            (
                "confirmation",
                c.trustee,
                json!({ "digest": hex::encode(c.digest()) }),
            )
        }
        TrusteeFile::Complaint(c) => {
            roster.check_complete().map_err(crypto)?;
            let guilty = verify_complaint(roster, c).map_err(crypto)?;
            (
                "complaint",
                c.complainer,
                json!({ "against": guilty, "digest": hex::encode(c.digest()) }),
            )
        }
        TrusteeFile::DecryptionShare(_) => {
            return Err(Error::Invalid(Message::new("ceremony-share-not-here")))
        }
    })
}

fn store_file(
    conn: &mut DbConnection,
    election_id: i64,
    kind: &str,
    trustee: u32,
    body: &str,
) -> Result<()> {
    if db::ceremony::file_exists(conn, election_id, kind, trustee)? {
        return Err(Error::Conflict(
            Message::new("trustee-file-registered")
                .with("trustee", trustee)
                .with("kind", kind),
        ));
    }
    db::ceremony::insert_file(conn, election_id, kind, trustee, body)
}

fn files_of<T: serde::de::DeserializeOwned>(
    conn: &mut DbConnection,
    election_id: i64,
    kind: &str,
) -> Result<Vec<T>> {
    let bodies = db::ceremony::file_bodies(conn, election_id, kind)?;
    bodies
        .iter()
        .map(|b| {
            serde_json::from_str(b).map_err(|e| Error::Internal(format!("stored {kind}: {e}")))
        })
        .collect()
}

pub(crate) fn roster_of(conn: &mut DbConnection, e: &StoredElection) -> Result<Roster> {
    let mut roster = Roster::new(
        e.spec.slug().to_string(),
        e.spec.decrypt_threshold(),
        e.spec.trustees(),
    );
    roster.public = files_of(conn, e.id, "public")?;
    roster.deals = files_of::<Deal>(conn, e.id, "deal")?;
    roster.confirmations = files_of(conn, e.id, "confirmation")?;
    roster.complaints = files_of(conn, e.id, "complaint")?;
    Ok(roster)
}

/// Everything registered so far, for the trustees (`ratify trustee roster`).
pub fn roster(conn: &mut DbConnection, slug: &str) -> Result<Roster> {
    let e = load_election(conn, slug)?;
    roster_of(conn, &e)
}

/// Combines the election key once every trustee has dealt and confirmed,
/// freezes the spec and the roll (draft → key published).
pub fn publish_key(
    conn: &mut DbConnection,
    slug: &str,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    max_slots_per_account: u32,
) -> Result<ElectionKeys> {
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        if e.spec.window().has_closed(now) {
            return Err(Error::taken(
                "closes_at",
                Message::new("publish-window-over").with("slug", slug),
            ));
        }
        let on_roll = db::roll::count_members(conn, e.id)?;
        if on_roll == 0 {
            return Err(Error::Conflict(
                Message::new("publish-no-roll").with("slug", slug),
            ));
        }
        slots::check_spread(conn, e.id, max_slots_per_account)?;
        let roster = roster_of(conn, &e)?;
        let keys = combine_election_key(&roster).map_err(|err| {
            Error::Conflict(Message::new("publish-not-yet").with("detail", err.to_string()))
        })?;
        set_state(conn, &e, ElectionState::KeyPublished, now)?;
        let public_key = keys.public_key.to_hex();
        db::ceremony::insert_keys(conn, e.id, &ratify_crypto::to_json(&keys))?;
        let verification: Vec<String> = keys.verification_keys.iter().map(|p| p.to_hex()).collect();
        let data = json!({
            "public_key": public_key,
            "verification_keys": verification,
            "decrypt_threshold": keys.decrypt_threshold,
            "roster_digest": hex::encode(roster.digest()),
        });
        audit::append(
            conn,
            &e.log(),
            now,
            "key.published",
            actor,
            audit::data(data),
        )?;
        Ok(keys)
    })
}

/// The stored election keys (after publish-key).
pub fn election_keys_of(conn: &mut DbConnection, election_id: i64) -> Result<ElectionKeys> {
    let body = db::ceremony::keys(conn, election_id)?
        .ok_or_else(|| Error::Conflict(Message::new("key-not-published")))?;
    serde_json::from_str(&body).map_err(|e| Error::Internal(format!("stored keys: {e}")))
}

/// The stored tally request (written by `ratify tally`).
pub fn tally_request_of(conn: &mut DbConnection, election_id: i64) -> Result<TallyRequest> {
    let body = db::tally::request(conn, election_id)?.ok_or_else(|| {
        Error::Conflict(Message::untranslated(
            "there is no tally yet: run `ratify tally` after the close",
        ))
    })?;
    serde_json::from_str(&body).map_err(|e| Error::Internal(format!("stored tally: {e}")))
}

/// What a submitted decryption share did.
#[derive(Debug, Clone)]
pub struct ShareAccepted {
    pub trustee: u32,
    /// The results, when this share was the k-th valid one.
    pub results: Option<crate::tally::Results>,
}

/// Checks a trustee's decryption share against the tally and their
/// verification key (Chaum–Pedersen proofs) and stores it; a bad one is
/// refused naming the trustee and changes nothing. When it is the k-th
/// valid share, the results are combined in the same transaction.
pub fn submit_share(
    conn: &mut DbConnection,
    slug: &str,
    json_text: &str,
    by: Registrar<'_>,
    now: DateTime<Utc>,
) -> Result<ShareAccepted> {
    let TrusteeFile::DecryptionShare(share) = TrusteeFile::from_json(json_text).map_err(crypto)?
    else {
        return Err(Error::Invalid(Message::untranslated(
            "not a decryption share (type must be decryption-share)",
        )));
    };
    write_transaction(conn, |conn| {
        let e = load_election(conn, slug)?;
        if db::tally::results(conn, e.id)?.is_some() {
            return Err(Error::Conflict(
                Message::new("shares-not-needed").with("slug", slug),
            ));
        }
        let tally = tally_request_of(conn, e.id)?;
        let keys = election_keys_of(conn, e.id)?;
        slots::require_holder(conn, e.id, share.trustee, by)?;
        verify_decryption_share(&tally, &keys, &share).map_err(|err| {
            Error::Invalid(
                Message::new("share-refused")
                    .with("trustee", share.trustee)
                    .with("reason", Message::untranslated(err.to_string())),
            )
        })?;
        store_file(
            conn,
            e.id,
            "share",
            share.trustee,
            &ratify_crypto::to_json(&share),
        )?;
        let data =
            json!({ "trustee": share.trustee, "tally_digest": hex::encode(share.tally_digest) });
        let actor = Some(by.actor());
        audit::append(
            conn,
            &e.log(),
            now,
            "decryption.share",
            actor,
            audit::data(data),
        )?;
        let results = crate::tally::decrypt::combine_if_ready(conn, &e, now, actor)?;
        Ok(ShareAccepted {
            trustee: share.trustee,
            results,
        })
    })
}
