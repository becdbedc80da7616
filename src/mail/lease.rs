//! This worker's view of its batch's lease (issue 12): which claimed
//! messages it still holds, and until when, as the heartbeat last renewed
//! them (`db::outbox::renew`). The sending lanes ask it before starting a
//! message and again before the final `.` — the step that hands a message
//! to the relay; closing before it makes the relay drop the message — so a
//! message another worker may have taken over is never handed over by this
//! one.
//!
//! `until` is on this machine's monotonic clock, measured from before the
//! database write that set the lease, so it never runs past the lease the
//! other workers see (given wall clocks in step across servers).

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Instant;

pub struct Lease {
    state: Mutex<State>,
}

struct State {
    until: Instant,
    held: HashSet<i64>,
}

impl Lease {
    /// Messages `ids`, held until `until`.
    pub fn new(ids: impl IntoIterator<Item = i64>, until: Instant) -> Lease {
        Lease {
            state: Mutex::new(State {
                until,
                held: ids.into_iter().collect(),
            }),
        }
    }

    /// Whether `id` is held now: it may be started, and its final `.` sent.
    pub fn holds(&self, id: i64) -> bool {
        let s = self.lock();
        s.held.contains(&id) && Instant::now() < s.until
    }

    /// The heartbeat renewed the lease of `still` until `until`; the rest
    /// are no longer this worker's.
    pub fn renewed(&self, until: Instant, still: &[i64]) {
        let still: HashSet<i64> = still.iter().copied().collect();
        let mut s = self.lock();
        s.held.retain(|id| still.contains(id));
        s.until = until;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_message_taken_over_is_no_longer_held() {
        let lease = Lease::new([1, 2], Instant::now() + Duration::from_secs(10));
        assert!(lease.holds(1) && lease.holds(2));
        assert!(!lease.holds(3));
        lease.renewed(Instant::now() + Duration::from_secs(60), &[2]);
        assert!(!lease.holds(1), "taken over by another worker");
        assert!(lease.holds(2));
    }

    #[test]
    fn nothing_is_held_once_the_lease_ran_out() {
        let lease = Lease::new([1], Instant::now());
        assert!(!lease.holds(1));
    }
}
