//! Links whose ballot or review page was just shown, with their holder
//! (issue 13's cast benchmark: one database lookup per ballot, not three).
//!
//! The review and the cast that follow a ballot page need the holder it
//! looked up — the election (its key and questions) and the member's unit
//! and language — to check the answers, show them back and seal the
//! ballot. A page shown from an entry may be up to two minutes stale (a
//! link revoked meanwhile still gets its review page), but nothing is
//! decided from it. Whether the link may still be used is decided again
//! by the cast writer inside its transaction (`ballot::commit`), so an
//! entry here can never let a used, revoked or late link cast: at worst a
//! ballot is sealed for nothing and the member gets the refusal page the
//! writer decides. A cast takes its link's entry out; entries older than
//! [`KEPT_FOR`] are never used and are swept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::ballot::Voter;
use crate::credential::TokenHash;

/// How long a review is remembered for its cast.
const KEPT_FOR: Duration = Duration::from_secs(120);
/// Entries kept at most: past this, expired ones are swept, and if the
/// map is still full the review is not remembered (its cast looks the
/// link up again), so a flood of reviews cannot grow memory without bound.
const MOST: usize = 10_000;

/// Each link's hash, with when its review was shown and its holder.
type Entries = HashMap<[u8; 32], (Instant, Voter)>;

/// Shared by every worker; cheap to clone.
#[derive(Clone)]
pub struct Reviewed {
    entries: Arc<Mutex<Entries>>,
    kept_for: Duration,
    most: usize,
}

impl Default for Reviewed {
    fn default() -> Self {
        Reviewed::kept_for(KEPT_FOR)
    }
}

impl Reviewed {
    fn kept_for(kept_for: Duration) -> Reviewed {
        Reviewed::bounded(kept_for, MOST)
    }

    fn bounded(kept_for: Duration, most: usize) -> Reviewed {
        Reviewed {
            entries: Arc::default(),
            kept_for,
            most,
        }
    }

    /// Remembers the holder of the link whose review was shown.
    pub fn remember(&self, hash: &TokenHash, voter: &Voter) {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.most {
            map.retain(|_, (at, _)| at.elapsed() < self.kept_for);
            if map.len() >= self.most {
                return;
            }
        }
        map.insert(hash.0, (Instant::now(), voter.clone()));
    }

    /// The holder remembered for this link, taken out, if still fresh.
    pub fn take(&self, hash: &TokenHash) -> Option<Voter> {
        let mut map = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, voter) = map.remove(&hash.0)?;
        (at.elapsed() < self.kept_for).then_some(voter)
    }
}

impl std::fmt::Debug for Reviewed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reviewed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::election::parse_spec;

    fn voter() -> Voter {
        let toml = ratify_testkit::SpecFixture::far_future("reviewed").toml();
        let spec = parse_spec(&toml).unwrap();
        Voter {
            election: crate::election::StoredElection {
                id: 1,
                spec,
                stored_state: crate::election::ElectionState::Open,
                public_key: None,
            },
            unit: "U1".into(),
            language: crate::election::Language::En,
        }
    }

    #[test]
    fn a_review_is_taken_once_by_its_cast() {
        let reviewed = Reviewed::default();
        let (a, b) = (TokenHash([1; 32]), TokenHash([2; 32]));
        reviewed.remember(&a, &voter());
        assert!(reviewed.take(&b).is_none(), "another link's review");
        assert_eq!(reviewed.take(&a).unwrap().unit, "U1");
        assert!(reviewed.take(&a).is_none(), "a second cast looks again");
    }

    #[test]
    fn a_full_map_remembers_nothing_more_until_entries_expire() {
        let reviewed = Reviewed::bounded(KEPT_FOR, 2);
        for i in 0..3 {
            reviewed.remember(&TokenHash([i; 32]), &voter());
        }
        assert!(
            reviewed.take(&TokenHash([2; 32])).is_none(),
            "over the bound"
        );
        assert!(reviewed.take(&TokenHash([0; 32])).is_some());
    }

    #[test]
    fn an_old_review_is_not_used() {
        let reviewed = Reviewed::kept_for(Duration::ZERO);
        let a = TokenHash([3; 32]);
        reviewed.remember(&a, &voter());
        assert!(reviewed.take(&a).is_none());
    }
}
