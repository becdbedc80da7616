//! Checks 3–14 in order, and what each covered: a check whose stage the
//! election has not reached passes trivially and says so in the report
//! (docs/audit-format.md §"Record verification").

use std::path::Path;

use serde::Serialize;

use crate::failure::{Check, ALL_CHECKS};
use crate::layout::Layout;
use crate::{
    ballots, certificate, decryption, entries, grouping, keys, results, roll, roster, spec, totals,
    voted, Failure, Options,
};

/// One check's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub check: Check,
    pub check_number: u8,
    /// false: the election has not reached this stage, nothing to check.
    pub reached: bool,
    pub note: String,
}

fn stage(check: Check, reached: bool, note: impl Into<String>) -> Stage {
    Stage {
        check,
        check_number: check.number(),
        reached,
        note: note.into(),
    }
}

/// `--log-only`: checks 1 and 2 ran, the others did not.
pub fn log_only() -> Vec<Stage> {
    ALL_CHECKS
        .iter()
        .map(|&c| {
            let ran = matches!(c, Check::Layout | Check::Log);
            stage(
                c,
                ran,
                if ran {
                    "verified"
                } else {
                    "not run (--log-only)"
                },
            )
        })
        .collect()
}

/// What checks 3–14 found.
pub struct Found {
    pub slug: String,
    pub trustees: usize,
    pub public_key: Option<String>,
    pub ballots: u64,
    pub checks: Vec<Stage>,
}

fn not_yet(what: &str) -> String {
    format!("passed trivially: {what}")
}

pub fn run(dir: &Path, layout: &Layout, log_size: u64, opts: &Options) -> Result<Found, Failure> {
    let mut checks = vec![
        stage(Check::Layout, true, "verified"),
        stage(
            Check::Log,
            true,
            format!("{log_size} entries, chain and signed checkpoints verified"),
        ),
    ];
    let entries = entries::read_entries(dir)?;
    checks.push(stage(
        Check::Entries,
        true,
        "every entry's kind, actor, data and order verified",
    ));
    let spec = spec::check_spec(dir, layout, &entries.list, &entries.state)?;
    checks.push(stage(Check::Spec, true, "election.json is the logged spec"));
    let roster = roster::check_roster(dir, &spec, &entries.list)?;
    checks.push(stage(
        Check::Roster,
        true,
        format!("{} trustees' files verified", roster.public.len()),
    ));
    roll::check_roll(&spec, &entries.list)?;
    checks.push(stage(Check::Roll, true, "roll counts verified"));
    let keys = keys::check_keys(dir, layout, &roster, &entries.list, &entries.state)?;
    checks.push(match &keys {
        Some(_) => stage(
            Check::Keys,
            true,
            "election key and verification keys recomputed",
        ),
        None => stage(Check::Keys, false, not_yet("no key published yet")),
    });
    let ballots = ballots::check_ballots(dir, &spec, keys.as_ref(), &entries, opts.progress)?;
    checks.push(match &ballots {
        Some(b) => stage(
            Check::Ballots,
            true,
            format!(
                "{} ballots: trackers, proofs, no duplicates, exactly the ballots cast",
                b.lines
            ),
        ),
        None => stage(
            Check::Ballots,
            false,
            not_yet("the election is not closed; ballots are published at the close"),
        ),
    });
    let groups = grouping::check_grouping(&spec, &entries)?;
    checks.push(match &groups {
        Some(g) => stage(
            Check::Grouping,
            true,
            format!("{} reported groups follow S8", g.len()),
        ),
        None => stage(Check::Grouping, false, not_yet("no tally yet")),
    });
    let ctx = keys.as_ref().map(|k| ballots::context(&spec, k));
    let tally = totals::check_totals(
        dir,
        &roster,
        keys.as_ref(),
        ctx.as_ref(),
        &entries,
        groups.as_deref(),
        ballots.as_ref(),
    )?;
    checks.push(match &tally {
        Some(_) => stage(
            Check::Totals,
            true,
            "every encrypted total is the sum of its ballots",
        ),
        None => stage(Check::Totals, false, not_yet("no tally yet")),
    });
    let shares = decryption::check_shares(dir, layout, keys.as_ref(), tally.as_ref(), &entries)?;
    checks.push(match (&tally, shares.len()) {
        (None, _) => stage(Check::Decryption, false, not_yet("no tally yet")),
        (Some(_), 0) => stage(Check::Decryption, false, not_yet("no decryption share yet")),
        (Some(_), n) => stage(
            Check::Decryption,
            true,
            format!("{n} decryption shares verified"),
        ),
    });
    let inputs = results::Inputs {
        spec: &spec,
        entries: &entries,
        groups: groups.as_deref(),
        tally: tally.as_ref(),
        keys: keys.as_ref(),
        shares: &shares,
    };
    let published = results::check_results(dir, &inputs)?;
    checks.push(match &published {
        Some(_) => stage(
            Check::Results,
            true,
            "counts decrypted again; every number and pass/fail verified",
        ),
        None => stage(Check::Results, false, not_yet("no results published yet")),
    });
    let cert =
        certificate::check_certificate(dir, layout, &spec, &entries, published.as_ref(), log_size)?;
    checks.push(if cert.certified {
        stage(
            Check::Certificate,
            true,
            format!(
                "certified by {} accounts (quorum {}); signature and digest verified",
                cert.accounts, cert.quorum
            ),
        )
    } else {
        stage(
            Check::Certificate,
            false,
            not_yet(&format!(
                "not certified: {} of {} certifications",
                cert.accounts, cert.quorum
            )),
        )
    });
    let voted = voted::check_voted(dir, &entries)?;
    checks.push(match voted {
        Some(n) => stage(
            Check::VotedCommitment,
            true,
            format!("private/voted.json ({n} members) opens the commitment"),
        ),
        None => stage(
            Check::VotedCommitment,
            false,
            not_yet("no private/voted.json (only the committee's private export has it)"),
        ),
    });
    Ok(Found {
        slug: spec.slug.clone(),
        trustees: roster.public.len(),
        public_key: keys.map(|k| k.public_key.to_hex()),
        ballots: ballots.map_or(0, |b| b.lines),
        checks,
    })
}
