//! The job runner: one thread per job, a shared stop signal, exponential
//! backoff after errors.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::Result;

/// What one run of a job found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing (more) to do: sleep a full interval.
    Idle,
    /// Work remains (a queue not yet drained): run again at once.
    More,
}

/// A background job. `run_once` does one bounded piece of work and returns;
/// the runner decides when to call it again.
pub trait Job: Send + 'static {
    /// A short name for logs and the thread.
    fn name(&self) -> &'static str;
    /// How long to wait between runs when idle.
    fn interval(&self) -> Duration;
    fn run_once(&mut self) -> Result<Outcome>;
}

/// The most a failing job waits between tries.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The wait after `failures` errors in a row: the interval doubled per
/// failure, capped at five minutes (a database restart should not be
/// hammered, nor should a recovered one wait long).
pub fn backoff_delay(interval: Duration, failures: u32) -> Duration {
    let factor = 1u32 << failures.min(16);
    interval
        .saturating_mul(factor)
        .min(MAX_BACKOFF.max(interval))
}

/// A stop flag that sleeping jobs wake up for.
#[derive(Default)]
struct Stop {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Stop {
    /// Sleeps up to `wait`; returns true if the runner was stopped.
    fn sleep(&self, wait: Duration) -> bool {
        let guard = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .wake
            .wait_timeout_while(guard, wait, |stopped| !*stopped)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }

    fn is_stopped(&self) -> bool {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stop(&self) {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }
}

/// The running jobs. Dropping it stops them too, so an early return from
/// `serve` never leaves a job writing behind a stopped server.
pub struct Workers {
    stop: Arc<Stop>,
    threads: Vec<JoinHandle<()>>,
}

impl Default for Workers {
    fn default() -> Self {
        Workers::new()
    }
}

impl Workers {
    pub fn new() -> Workers {
        Workers {
            stop: Arc::new(Stop::default()),
            threads: Vec::new(),
        }
    }

    /// Starts `job` on its own thread. Its first run is one interval from
    /// now.
    pub fn spawn<J: Job>(&mut self, job: J) -> Result<()> {
        let stop = Arc::clone(&self.stop);
        let thread = std::thread::Builder::new()
            .name(format!("job-{}", job.name()))
            .spawn(move || run_loop(job, &stop))
            .map_err(|e| crate::error::Error::Internal(format!("cannot start a job: {e}")))?;
        self.threads.push(thread);
        Ok(())
    }

    /// Signals every job to stop and waits for the run in progress, if
    /// any, to finish.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.stop.stop();
        for thread in self.threads.drain(..) {
            if thread.join().is_err() {
                tracing::error!("a background job panicked");
            }
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn run_loop<J: Job>(mut job: J, stop: &Stop) {
    let mut wait = job.interval();
    let mut failures = 0u32;
    while !stop.sleep(wait) {
        wait = match job.run_once() {
            Ok(Outcome::More) if !stop.is_stopped() => Duration::ZERO,
            Ok(_) => {
                failures = 0;
                job.interval()
            }
            Err(err) => {
                failures = failures.saturating_add(1);
                let delay = backoff_delay(job.interval(), failures);
                tracing::warn!(job = job.name(), error = %err, failures,
                    retry_in_secs = delay.as_secs(), "background job failed");
                delay
            }
        };
        if wait.is_zero() {
            failures = 0;
        }
    }
    tracing::debug!(job = job.name(), "background job stopped");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let s = Duration::from_secs;
        assert_eq!(backoff_delay(s(1), 1), s(2));
        assert_eq!(backoff_delay(s(1), 3), s(8));
        assert_eq!(backoff_delay(s(60), 2), s(240));
        assert_eq!(backoff_delay(s(60), 3), MAX_BACKOFF);
        assert_eq!(backoff_delay(s(1), u32::MAX), MAX_BACKOFF);
        // An interval longer than the cap is never shortened by failing.
        assert_eq!(backoff_delay(s(900), 1), s(900));
    }

    /// Returns `More` `busy` times, then fails `failing` times, then idles.
    struct Scripted {
        runs: Arc<AtomicUsize>,
        busy: usize,
        failing: usize,
        interval: Duration,
    }

    impl Job for Scripted {
        fn name(&self) -> &'static str {
            "scripted"
        }
        fn interval(&self) -> Duration {
            self.interval
        }
        fn run_once(&mut self) -> Result<Outcome> {
            let n = self.runs.fetch_add(1, Ordering::SeqCst);
            if n < self.busy {
                Ok(Outcome::More)
            } else if n < self.busy + self.failing {
                Err(Error::Internal("scripted failure".into()))
            } else {
                Ok(Outcome::Idle)
            }
        }
    }

    /// A runner with one scripted job, and the job's run counter.
    fn started(busy: usize, failing: usize, interval: Duration) -> (Workers, Arc<AtomicUsize>) {
        let runs = Arc::new(AtomicUsize::new(0));
        let mut workers = Workers::new();
        let job = Scripted {
            runs: Arc::clone(&runs),
            busy,
            failing,
            interval,
        };
        workers.spawn(job).unwrap();
        (workers, runs)
    }

    fn wait_for(runs: &AtomicUsize, at_least: usize, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if runs.load(Ordering::SeqCst) >= at_least {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    #[test]
    fn a_job_with_work_left_runs_again_at_once_then_idles() {
        let (workers, runs) = started(20, 0, Duration::from_millis(20));
        // 20 busy runs back to back, then idle runs every 20 ms.
        assert!(wait_for(&runs, 22, Duration::from_secs(10)));
        workers.stop();
    }

    #[test]
    fn a_failing_job_backs_off() {
        let (workers, runs) = started(0, 100, Duration::from_millis(50));
        // Without backoff it would run every 50 ms: ~20 times in a second.
        // With doubling it runs at 50, 150, 350, 750 ms: at most 4 times.
        std::thread::sleep(Duration::from_millis(1000));
        workers.stop();
        let n = runs.load(Ordering::SeqCst);
        assert!((1..=5).contains(&n), "ran {n} times in a second");
    }

    #[test]
    fn stopping_wakes_a_sleeping_job_and_runs_nothing_more() {
        let (workers, runs) = started(0, 0, Duration::from_secs(3600));
        let start = Instant::now();
        workers.stop();
        assert!(start.elapsed() < Duration::from_secs(5), "stop waited");
        assert_eq!(runs.load(Ordering::SeqCst), 0, "ran after stop");
    }

    #[test]
    fn dropping_the_workers_stops_them() {
        let runs;
        {
            let _workers;
            (_workers, runs) = started(0, 0, Duration::from_millis(10));
            assert!(wait_for(&runs, 2, Duration::from_secs(10)));
        }
        let after_drop = runs.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(runs.load(Ordering::SeqCst), after_drop);
    }
}
