//! The benchmark's answer, printed for docs/performance.md.

use std::fmt;
use std::time::Duration;

use crate::drive::Outcome;
use crate::Args;

pub struct Report<'a> {
    pub args: &'a Args,
    pub outcome: &'a Outcome,
    pub stored: i64,
    pub rss_idle: Option<u64>,
    pub peak_rss: Option<u64>,
}

/// The value below which `q` of the sorted `samples` lie (nearest rank).
fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

fn line(f: &mut fmt::Formatter<'_>, what: &str, samples: &[Duration]) -> fmt::Result {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    writeln!(
        f,
        "{what:<22} p50 {:>7.1} ms   p99 {:>7.1} ms   max {:>7.1} ms   ({} samples)",
        ms(quantile(&sorted, 0.50)),
        ms(quantile(&sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
        sorted.len()
    )
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("unknown".into(), |k| {
        format!("{:.0} MiB", k as f64 / 1024.0)
    })
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.outcome;
        let backend = if self.args.database == "sqlite" {
            "sqlite"
        } else {
            "postgres"
        };
        let secs = o.wall.as_secs_f64();
        writeln!(
            f,
            "backend {backend}, {} voters, {} connections, server workers {}, pool {}",
            self.args.voters, self.args.connections, self.args.workers, self.args.pool_size
        )?;
        writeln!(
            f,
            "receipts {} in {secs:.2} s: {:.0} ballots/s ({:.0} requests/s)",
            o.receipts(),
            o.receipts() as f64 / secs,
            o.request.len() as f64 / secs
        )?;
        line(f, "cast (POST) latency", &o.cast)?;
        line(f, "whole ballot (3 req.)", &o.ballot)?;
        line(f, "every request", &o.request)?;
        let errors: usize = o.errors.values().sum();
        writeln!(f, "errors {errors}")?;
        for (kind, n) in &o.errors {
            writeln!(f, "  {n} × {kind}")?;
        }
        writeln!(
            f,
            "ballots in the database after the server stopped: {} (receipts {})",
            self.stored,
            o.receipts()
        )?;
        write!(
            f,
            "serve RSS idle {}, peak (VmHWM) {}",
            mib(self.rss_idle),
            mib(self.peak_rss)
        )
    }
}
