//! Check 11: shares/ holds exactly one file per `decryption.share` entry,
//! each that trustee's share of this tally, and every share's proofs
//! verify against the trustee's verification key (docs/crypto.md
//! "Decryption").

use std::path::Path;

use ratify_crypto::{verify_decryption_share, DecryptionShare, ElectionKeys, TallyRequest};

use crate::entries::Entries;
use crate::json::{parse, read_text};
use crate::layout::{Layout, ENTRIES, SHARES};
use crate::{Check, Failure};

/// Check 11: the shares by trustee, in log order.
pub fn check_shares(
    dir: &Path,
    layout: &Layout,
    keys: Option<&ElectionKeys>,
    tally: Option<&TallyRequest>,
    entries: &Entries,
) -> Result<Vec<DecryptionShare>, Failure> {
    let logged = &entries.state.shares;
    for (j, rel) in &layout.shares {
        if !logged.iter().any(|(t, _)| t == j) {
            return Err(Failure::new(
                Check::Decryption,
                rel,
                format!(
                    "a share of trustee {j}, but the log has no decryption.share of trustee {j}"
                ),
            ));
        }
    }
    let (Some(tally), Some(keys)) = (tally, keys) else {
        // Check 3 refuses a share before the tally.
        return Ok(Vec::new());
    };
    let digest = tally.digest(keys);
    let mut shares = Vec::with_capacity(logged.len());
    for &(j, at) in logged {
        let rel = format!("{SHARES}/trustee-{j}.json");
        let e = entries.at(at).expect("check 3 found decryption.share");
        if e.data["tally_digest"].as_str() != Some(hex::encode(digest).as_str()) {
            return Err(Failure::new(
                Check::Decryption,
                ENTRIES,
                "is not the digest of tally.json: the share is for another tally",
            )
            .entry(at)
            .field("data.tally_digest"));
        }
        if !layout.shares.iter().any(|(t, _)| *t == j) {
            return Err(Failure::new(
                Check::Decryption,
                &rel,
                format!(
                    "the file is missing: decryption.share entry {at} logged trustee {j}'s share"
                ),
            ));
        }
        let share: DecryptionShare = parse(
            &read_text(dir, &rel, Check::Decryption)?,
            &rel,
            Check::Decryption,
        )?;
        let fail = |why: String, field: &str| {
            Failure::new(Check::Decryption, &rel, why).field(field.to_string())
        };
        if u64::from(share.trustee) != j {
            return Err(fail(
                format!(
                    "is {}, but the file and entry {at} are trustee {j}'s",
                    share.trustee
                ),
                "trustee",
            ));
        }
        if share.tally_digest != digest {
            return Err(fail(
                "is not the digest of tally.json".into(),
                "tally_digest",
            ));
        }
        verify_decryption_share(tally, keys, &share).map_err(|e| fail(e.to_string(), "shares"))?;
        shares.push(share);
    }
    Ok(shares)
}
