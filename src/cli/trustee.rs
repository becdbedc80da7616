//! `ratify trustee ...`. keygen, deal, confirm and decrypt are offline: they
//! read and write files only and never open the database, so a trustee's
//! secret stays on the trustee's own computer.

use std::path::Path;

use chrono::Utc;
use ratify_crypto::{self as crypto, ConfirmOutcome, Roster, TallyRequest};
use serde_json::json;

use super::account::operator;
use super::args::TrusteeCommand;
use super::election::read;
use super::{open_database, Report};
use crate::ceremony;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::i18n::Message;

fn crypto_err(e: crypto::CryptoError) -> Error {
    Error::Invalid(Message::untranslated(e.to_string()))
}

pub fn run(config: &Path, cmd: TrusteeCommand) -> Result<Report> {
    match cmd {
        TrusteeCommand::Keygen { out } => keygen(&out),
        TrusteeCommand::Deal(a) => deal(&a.key, &a.roster, &a.out),
        TrusteeCommand::Confirm(a) => confirm(&a.key, &a.roster, &a.out),
        TrusteeCommand::Decrypt { key, tally, out } => decrypt(&key, &tally, &out),
        online => {
            let settings = Settings::load(Some(config))?;
            online_command(&settings, online)
        }
    }
}

fn keygen(out: &Path) -> Result<Report> {
    let public = crypto::keygen_to_dir(out, &mut crypto::os_rng()).map_err(crypto_err)?;
    let id = public.identity_key.get().to_hex();
    Ok(Report::new(
        format!(
            "wrote {0}/secret.key (keep it on this computer, never share it) and {0}/public.json (give it to the elections committee)\nyour identity key: {id}",
            out.display()
        ),
        json!({ "secret": out.join("secret.key"), "public": out.join("public.json"), "identity_key": id }),
    ))
}

fn read_roster(path: &Path) -> Result<Roster> {
    crypto::read_json(path).map_err(crypto_err)
}

fn deal(key: &Path, roster: &Path, out: &Path) -> Result<Report> {
    let secret = crypto::read_secret_key(key).map_err(crypto_err)?;
    let roster = read_roster(roster)?;
    let d = crypto::deal(&secret, &roster).map_err(crypto_err)?;
    crypto::write_json(out, &d).map_err(crypto_err)?;
    Ok(Report::new(
        format!(
            "trustee {}: wrote encrypted shares for the other trustees to {}",
            d.dealer,
            out.display()
        ),
        json!({ "trustee": d.dealer, "out": out }),
    ))
}

fn confirm(key: &Path, roster: &Path, out: &Path) -> Result<Report> {
    let secret = crypto::read_secret_key(key).map_err(crypto_err)?;
    let roster = read_roster(roster)?;
    match crypto::confirm(&secret, &roster).map_err(crypto_err)? {
        ConfirmOutcome::Confirmed(c) => {
            crypto::write_json(out, &c).map_err(crypto_err)?;
            Ok(Report::new(
                format!(
                    "trustee {}: every share you received checks out; wrote the confirmation to {}",
                    c.trustee,
                    out.display()
                ),
                json!({ "trustee": c.trustee, "confirmed": true, "out": out }),
            ))
        }
        ConfirmOutcome::Complaint(c) => {
            crypto::write_json(out, &c).map_err(crypto_err)?;
            let against: Vec<u32> = c.accusations.iter().map(|a| a.dealer).collect();
            // Exit non-zero: the ceremony cannot go on until this is resolved.
            Err(Error::Invalid(Message::untranslated(format!(
                "trustee {}: bad shares from trustee(s) {against:?}; wrote a complaint with proof to {} — register it and tell the committee",
                c.complainer,
                out.display()
            ))))
        }
    }
}

fn decrypt(key: &Path, tally: &Path, out: &Path) -> Result<Report> {
    let secret = crypto::read_secret_key(key).map_err(crypto_err)?;
    let tally: TallyRequest = crypto::read_json(tally).map_err(crypto_err)?;
    let share = crypto::decrypt_share(&secret, &tally).map_err(crypto_err)?;
    crypto::write_json(out, &share).map_err(crypto_err)?;
    Ok(Report::new(
        format!(
            "trustee {}: wrote decryption shares with proofs to {}",
            share.trustee,
            out.display()
        ),
        json!({ "trustee": share.trustee, "out": out }),
    ))
}

fn online_command(settings: &Settings, cmd: TrusteeCommand) -> Result<Report> {
    let db = open_database(settings)?;
    let mut conn = db.get()?;
    let actor = operator();
    match cmd {
        TrusteeCommand::Register { slug, file } => {
            let r = ceremony::register_trustee_file(
                &mut conn,
                &slug,
                &read(&file)?,
                Some(&actor),
                Utc::now(),
            )?;
            Ok(Report::new(
                format!("registered trustee {}'s {} for {slug}", r.trustee, r.kind),
                serde_json::to_value(&r).expect("serializable"),
            ))
        }
        TrusteeCommand::Roster { slug, out } => {
            let roster = ceremony::roster(&mut conn, &slug)?;
            crypto::write_json(&out, &roster).map_err(crypto_err)?;
            Ok(Report::new(
                format!(
                    "wrote the roster of {slug} to {}: {}/{} trustees registered, {} deals, {} confirmations, {} complaints",
                    out.display(),
                    roster.public.len(),
                    roster.trustees,
                    roster.deals.len(),
                    roster.confirmations.len(),
                    roster.complaints.len()
                ),
                json!({ "trustees": roster.trustees, "registered": roster.public.len(), "deals": roster.deals.len(), "confirmations": roster.confirmations.len(), "complaints": roster.complaints.len() }),
            ))
        }
        TrusteeCommand::Submit { slug, share } => {
            let r = ceremony::submit_share(
                &mut conn,
                &slug,
                &read(&share)?,
                ceremony::Registrar::Server(&actor),
                Utc::now(),
            )?;
            let then = match &r.results {
                Some(_) => format!("; that makes enough shares: the results of {slug} are decrypted (ratify results {slug})"),
                None => String::new(),
            };
            Ok(Report::new(
                format!(
                    "accepted trustee {}'s decryption share for {slug}: its proofs verify{then}",
                    r.trustee
                ),
                json!({ "slug": slug, "trustee": r.trustee, "decrypted": r.results.is_some() }),
            ))
        }
        TrusteeCommand::Void {
            slug,
            trustee,
            reason,
        } => {
            ceremony::void_deal(&mut conn, &slug, trustee, &reason, Some(&actor), Utc::now())?;
            Ok(Report::new(
                format!("voided trustee {trustee}'s deal for {slug}: trustee {trustee} deals again, then every trustee confirms again"),
                json!({ "slug": slug, "voided": trustee }),
            ))
        }
        _ => unreachable!("offline commands are handled before"),
    }
}
