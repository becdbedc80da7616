//! The streaming pass over ballots.jsonl: one reader, `threads` workers.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use ratify_crypto::{
    verify_ballots_batch, Aggregator, CryptoError, ElectionContext, EncryptedBallot,
    EncryptedTotals,
};

use super::line::{self, RawBallot};
use super::{fail, Part};
use crate::entries::Cast;
use crate::layout::BALLOTS;
use crate::spec::Spec;
use crate::Failure;

/// Lines per block handed to a worker: one batched multiscalar
/// multiplication each (ratify-crypto's BATCH_CHUNK).
const BLOCK: usize = ratify_crypto::BATCH_CHUNK;

struct Block {
    /// 0-based index of its first line.
    first: u64,
    data: Vec<u8>,
    /// End of each line in `data` (exclusive, without the `\n`).
    ends: Vec<usize>,
    /// The last line of the file had no `\n`.
    unterminated_last: bool,
}

/// What a block's first and last well-formed lines were (1-based line,
/// tracker), to check the order across blocks.
type Edge = (u64, [u8; 32]);

/// The first failure of each part, at its lowest line.
#[derive(Default)]
struct Firsts([Option<(u64, Failure)>; 7]);

impl Firsts {
    fn put(&mut self, part: Part, line: u64, f: Failure) {
        let slot = &mut self.0[part as usize];
        if slot.as_ref().is_none_or(|(l, _)| line < *l) {
            *slot = Some((line, f.line(line)));
        }
    }
}

/// What the pass found.
pub struct Run {
    pub lines: u64,
    pub totals: BTreeMap<String, EncryptedTotals>,
    /// 16-byte fingerprints of every ciphertext and proof.
    pub fingerprints: Vec<[u8; 16]>,
    firsts: Firsts,
    pub log_failure: Option<Failure>,
}

impl Run {
    /// The first failure of the parts before the duplicate check.
    pub fn first_failure(&mut self) -> Option<Failure> {
        self.firsts.0[..Part::Duplicates as usize]
            .iter_mut()
            .find_map(|s| s.take().map(|(_, f)| f))
    }
}

/// Shared, read-only inputs of the workers.
struct Inputs<'a> {
    spec: &'a Spec,
    ctx: Option<&'a ElectionContext>,
    casts: &'a [Cast],
    cast_units: &'a [String],
}

/// Shared outputs.
struct Outputs {
    firsts: Mutex<Firsts>,
    edges: Mutex<Vec<(Edge, Edge)>>,
    fingerprints: Mutex<Vec<[u8; 16]>>,
    totals: Mutex<Vec<Option<Aggregator>>>,
}

pub fn run(
    dir: &Path,
    spec: &Spec,
    ctx: Option<&ElectionContext>,
    casts: &[Cast],
    cast_units: &[String],
    progress: bool,
) -> Result<Run, Failure> {
    let path = dir.join(BALLOTS);
    let file = std::fs::File::open(&path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(progress, size);
    let per_ballot: usize = spec.questions.iter().map(|q| 2 * q.options.len() + 1).sum();
    let inputs = Inputs {
        spec,
        ctx,
        casts,
        cast_units,
    };
    let out = Outputs {
        firsts: Mutex::new(Firsts::default()),
        edges: Mutex::new(Vec::new()),
        fingerprints: Mutex::new(Vec::with_capacity(casts.len() * per_ballot)),
        totals: Mutex::new(spec.units.iter().map(|_| None).collect()),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (tx, rx) = sync_channel::<Block>(threads);
    let rx = Mutex::new(rx);
    let lines = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| worker(&rx, &inputs, &out, &bar));
        }
        let read = read_blocks(BufReader::with_capacity(1 << 20, file), |b| {
            tx.send(b).is_ok()
        });
        drop(tx);
        read
    })?;
    bar.finish_and_clear();
    finish(out, lines, spec, ctx)
}

fn progress_bar(on: bool, bytes: u64) -> ProgressBar {
    use std::io::IsTerminal;
    if !on || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "checking ballots {bar:40} {percent:>3}% ({binary_bytes} of {binary_total_bytes}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Reads whole lines into blocks of `BLOCK`; returns the number of lines.
fn read_blocks(
    mut reader: impl BufRead,
    mut send: impl FnMut(Block) -> bool,
) -> Result<u64, Failure> {
    let mut lines = 0u64;
    loop {
        let mut block = Block {
            first: lines,
            data: Vec::with_capacity(BLOCK * 4096),
            ends: Vec::with_capacity(BLOCK),
            unterminated_last: false,
        };
        while block.ends.len() < BLOCK {
            let n = reader
                .read_until(b'\n', &mut block.data)
                .map_err(|e| fail(format!("cannot be read: {e}")).line(lines + 1))?;
            if n == 0 {
                break;
            }
            if block.data.last() == Some(&b'\n') {
                block.data.pop();
            } else {
                block.unterminated_last = true;
            }
            block.ends.push(block.data.len());
            lines += 1;
        }
        let done = block.ends.len() < BLOCK;
        if !block.ends.is_empty() && !send(block) {
            return Ok(lines);
        }
        if done {
            return Ok(lines);
        }
    }
}

fn worker(rx: &Mutex<Receiver<Block>>, inputs: &Inputs, out: &Outputs, bar: &ProgressBar) {
    let units = inputs.spec.units.len();
    let mut totals: Vec<Option<Aggregator>> = (0..units)
        .map(|_| inputs.ctx.map(Aggregator::new))
        .collect();
    // Reused from block to block: 2,048 decoded ballots are about 12 MB,
    // which a fresh allocation would fault in page by page every time.
    let mut ballots: Vec<EncryptedBallot> = Vec::with_capacity(BLOCK);
    loop {
        let block = {
            let rx = rx.lock().unwrap_or_else(|p| p.into_inner());
            rx.recv()
        };
        let Ok(block) = block else { break };
        let bytes = block.data.len() as u64 + block.ends.len() as u64;
        check_block(&block, inputs, out, &mut totals, &mut ballots);
        bar.inc(bytes);
    }
    let mut shared = out.totals.lock().unwrap_or_else(|p| p.into_inner());
    for (mine, all) in totals.into_iter().zip(shared.iter_mut()) {
        let Some(mine) = mine else { continue };
        match all {
            Some(all) => {
                let _ = all.add_totals(&mine.finish());
            }
            None => *all = Some(mine),
        }
    }
}

/// Everything check 8 asks of one block of lines.
fn check_block(
    block: &Block,
    inputs: &Inputs,
    out: &Outputs,
    totals: &mut [Option<Aggregator>],
    ballots: &mut Vec<EncryptedBallot>,
) {
    let mut firsts = Firsts::default();
    ballots.clear();
    let mut at: Vec<u64> = Vec::with_capacity(block.ends.len());
    let mut fps = Vec::new();
    let mut edges: Option<(Edge, Edge)> = None;
    let mut start = 0;
    for (k, &end) in block.ends.iter().enumerate() {
        let bytes = &block.data[start..end];
        start = end;
        let index = block.first + k as u64;
        let line = index + 1;
        if block.unterminated_last && k + 1 == block.ends.len() {
            firsts.put(
                Part::Form,
                line,
                fail("the last line does not end in a newline"),
            );
        }
        let raw = match one_line(bytes) {
            Ok(raw) => raw,
            Err(f) => {
                firsts.put(Part::Form, line, f);
                continue;
            }
        };
        match &mut edges {
            None => edges = Some(((line, raw.tracker), (line, raw.tracker))),
            Some((_, last)) => {
                if raw.tracker <= last.1 {
                    firsts.put(Part::Order, line, out_of_order(last.0));
                }
                *last = (line, raw.tracker);
            }
        }
        match_log(&raw, bytes, index, inputs, &mut firsts);
        raw.items(|what, values| fps.push(super::dups::fingerprint(what, values)));
        let unit = inputs.spec.units.iter().position(|u| *u == raw.unit);
        if unit.is_none() {
            let why = format!("{:?} is not one of the spec's units", raw.unit);
            firsts.put(Part::Unit, line, fail(why).field("unit"));
        }
        let ballot = match raw.decode() {
            Ok(b) => b,
            Err(e) => {
                firsts.put(Part::Form, line, fail(e.reason).field(e.field));
                continue;
            }
        };
        if ballot.tracker() != raw.tracker {
            let why = "is not the tracker of the line's ballot (docs/crypto.md \"Tracker\"): the ballot or its tracker was changed";
            firsts.put(Part::Tracker, line, fail(why).field("tracker"));
        }
        if let Some(Some(agg)) = unit.map(|u| &mut totals[u]) {
            // A ballot of another shape fails the proof check below.
            let _ = agg.add(&ballot);
        }
        ballots.push(ballot);
        at.push(line);
    }
    verify_proofs(inputs.ctx, ballots, &at, &mut firsts);
    merge(out, firsts, edges, fps);
}

fn one_line(bytes: &[u8]) -> Result<RawBallot, Failure> {
    if bytes.is_empty() {
        return Err(fail("an empty line: each line is one ballot"));
    }
    line::parse(bytes).map_err(|e| {
        let f = fail(e.reason);
        if e.field.is_empty() {
            f
        } else {
            f.field(e.field)
        }
    })
}

fn out_of_order(prev: u64) -> Failure {
    fail(format!(
        "the tracker is not after line {prev}'s: lines must be sorted by tracker, each once \
         (a line was moved or repeated)"
    ))
    .field("tracker")
}

/// Line `index` (0-based) against the `index`-th cast by tracker.
fn match_log(raw: &RawBallot, bytes: &[u8], index: u64, inputs: &Inputs, firsts: &mut Firsts) {
    let line = index + 1;
    let Some(cast) = inputs.casts.get(index as usize) else {
        let why = format!(
            "this ballot was never cast: the log has only {} ballot.cast entries",
            inputs.casts.len()
        );
        firsts.put(Part::Log, line, fail(why).field("tracker"));
        return;
    };
    let why = if raw.tracker < cast.tracker {
        "this ballot was never cast: no ballot.cast entry has its tracker (a line was added)"
            .to_string()
    } else if raw.tracker > cast.tracker {
        format!(
            "the ballot cast in entry {} (tracker {}) has no line here (a line was deleted)",
            cast.index,
            hex::encode(cast.tracker)
        )
    } else if inputs.cast_units[cast.unit as usize] != raw.unit {
        let why = format!(
            "is {:?}, but ballot.cast entry {} says unit {:?}",
            raw.unit, cast.index, inputs.cast_units[cast.unit as usize]
        );
        firsts.put(Part::Log, line, fail(why).field("unit"));
        return;
    } else if ratify_tlog::hash::sha256(bytes).0 != cast.ballot_hash {
        format!(
            "the line's SHA-256 is not the ballot_hash logged in ballot.cast entry {}: the line was changed",
            cast.index
        )
    } else {
        return;
    };
    firsts.put(Part::Log, line, fail(why).field("tracker"));
}

fn verify_proofs(
    ctx: Option<&ElectionContext>,
    ballots: &[EncryptedBallot],
    at: &[u64],
    firsts: &mut Firsts,
) {
    if ballots.is_empty() {
        return;
    }
    let Some(ctx) = ctx else {
        let why = "a ballot, but no election key was published to verify it against";
        firsts.put(Part::Proofs, at[0], fail(why));
        return;
    };
    let mut seed = [0u8; 32];
    ratify_crypto::Rng::fill_bytes(&mut ratify_crypto::os_rng(), &mut seed);
    let mut rng = ChaCha20Rng::from_seed(seed);
    match verify_ballots_batch(ctx, ballots, &mut rng) {
        Ok(()) => {}
        Err(CryptoError::BallotInBatch { index, source }) => {
            let why = format!("the ballot's proofs do not verify: {source}");
            firsts.put(Part::Proofs, at[index], fail(why).field("ballot"));
        }
        Err(e) => firsts.put(Part::Proofs, at[0], fail(e.to_string()).field("ballot")),
    }
}

fn merge(out: &Outputs, firsts: Firsts, edges: Option<(Edge, Edge)>, fps: Vec<[u8; 16]>) {
    if firsts.0.iter().any(Option::is_some) {
        let mut all = out.firsts.lock().unwrap_or_else(|p| p.into_inner());
        for (part, slot) in firsts.0.into_iter().enumerate() {
            if let Some((line, f)) = slot {
                let part = PARTS[part];
                all.put(part, line, f);
            }
        }
    }
    if let Some(e) = edges {
        out.edges.lock().unwrap_or_else(|p| p.into_inner()).push(e);
    }
    out.fingerprints
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .extend_from_slice(&fps);
}

const PARTS: [Part; 7] = [
    Part::Form,
    Part::Order,
    Part::Tracker,
    Part::Unit,
    Part::Proofs,
    Part::Duplicates,
    Part::Log,
];

/// The order across blocks, and the per-unit totals.
fn finish(
    out: Outputs,
    lines: u64,
    spec: &Spec,
    ctx: Option<&ElectionContext>,
) -> Result<Run, Failure> {
    let mut firsts = out.firsts.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut edges = out.edges.into_inner().unwrap_or_else(|p| p.into_inner());
    edges.sort_by_key(|e| e.0 .0);
    for pair in edges.windows(2) {
        let (last, next) = (pair[0].1, pair[1].0);
        if next.1 <= last.1 {
            firsts.put(Part::Order, next.0, out_of_order(last.0));
        }
    }
    let aggs = out.totals.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut totals = BTreeMap::new();
    for (unit, agg) in spec.units.iter().zip(aggs) {
        let agg = agg.or_else(|| ctx.map(Aggregator::new));
        if let Some(agg) = agg {
            totals.insert(unit.clone(), agg.finish());
        }
    }
    let log_failure = firsts.0[Part::Log as usize].take().map(|(_, f)| f);
    Ok(Run {
        lines,
        totals,
        fingerprints: out
            .fingerprints
            .into_inner()
            .unwrap_or_else(|p| p.into_inner()),
        firsts,
        log_failure,
    })
}
