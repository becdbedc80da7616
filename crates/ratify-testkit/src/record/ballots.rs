//! Encrypting many ballots quickly (all cores) and writing ballots.jsonl
//! sorted by tracker without holding the lines in memory: each worker
//! appends its lines to an unsorted scratch file and keeps (tracker,
//! offset, length); the sorted file is then copied out of it by offset.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

use ratify_crypto::{
    encrypt_ballot, Aggregator, ElectionContext, EncryptedBallot, EncryptedTotals,
};
use serde::Serialize;

use super::Vote;

/// One line of ballots.jsonl exactly as the server stores it
/// (src/ballot/cast.rs): serde_json's compact output, members in order.
#[derive(Serialize)]
struct RecordLine<'a> {
    tracker: &'a str,
    unit: &'a str,
    ballot: &'a EncryptedBallot,
}

pub fn line_of(unit: &str, ballot: &EncryptedBallot) -> String {
    serde_json::to_string(&RecordLine {
        tracker: &ballot.tracker_hex(),
        unit,
        ballot,
    })
    .expect("a ballot serialises")
}

/// A cast ballot, as the log names it, in cast order.
#[derive(Debug, Clone)]
pub struct Cast {
    pub tracker: String,
    pub unit: String,
    pub ballot_hash: String,
}

pub struct Encrypted {
    /// In the order of the votes (the cast order).
    pub casts: Vec<Cast>,
    /// Per unit (the plan's order), the sum of its ballots.
    pub totals: Vec<EncryptedTotals>,
}

struct Scratch {
    file: File,
    end: u64,
    /// (tracker, offset, length) of each line.
    index: Vec<([u8; 32], u64, usize)>,
    casts: Vec<Option<Cast>>,
}

/// Encrypts every vote, writes `out` (ballots.jsonl, sorted by tracker).
pub fn encrypt_all(
    ctx: &ElectionContext,
    units: &[String],
    votes: &[Vote],
    out: &Path,
) -> Encrypted {
    let scratch_path = out.with_extension("unsorted");
    let scratch = Mutex::new(Scratch {
        file: std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&scratch_path)
            .expect("scratch file"),
        end: 0,
        index: Vec::with_capacity(votes.len()),
        casts: vec![None; votes.len()],
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = votes.len().div_ceil(threads).max(1);
    let totals: Vec<Vec<EncryptedTotals>> = std::thread::scope(|s| {
        let handles: Vec<_> = votes
            .chunks(per)
            .enumerate()
            .map(|(t, chunk)| {
                let scratch = &scratch;
                s.spawn(move || encrypt_chunk(ctx, units, chunk, t * per, scratch))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker"))
            .collect()
    });
    let scratch = scratch.into_inner().expect("no poisoned lock");
    write_sorted(&scratch, out);
    std::fs::remove_file(&scratch_path).expect("remove scratch");
    Encrypted {
        casts: scratch
            .casts
            .into_iter()
            .map(|c| c.expect("every vote cast"))
            .collect(),
        totals: sum_workers(ctx, units.len(), totals),
    }
}

fn encrypt_chunk(
    ctx: &ElectionContext,
    units: &[String],
    chunk: &[Vote],
    first: usize,
    scratch: &Mutex<Scratch>,
) -> Vec<EncryptedTotals> {
    let mut rng = ratify_crypto::os_rng();
    let mut aggs: Vec<Aggregator> = units.iter().map(|_| Aggregator::new(ctx)).collect();
    let mut pending = Vec::new();
    for (k, vote) in chunk.iter().enumerate() {
        let ballot = encrypt_ballot(ctx, &vote.choices, &mut rng).expect("a valid vote");
        let u = units
            .iter()
            .position(|u| *u == vote.unit)
            .expect("a plan unit");
        aggs[u].add(&ballot).expect("the election's shape");
        let line = line_of(&vote.unit, &ballot);
        pending.push((first + k, ballot.tracker(), vote.unit.clone(), line));
        if pending.len() == 256 || k + 1 == chunk.len() {
            flush(scratch, &mut pending);
        }
    }
    aggs.into_iter().map(Aggregator::finish).collect()
}

fn flush(scratch: &Mutex<Scratch>, pending: &mut Vec<(usize, [u8; 32], String, String)>) {
    let mut s = scratch.lock().expect("no poisoned lock");
    let mut buf = Vec::new();
    let base = s.end;
    for (i, tracker, unit, line) in pending.drain(..) {
        let offset = base + buf.len() as u64;
        buf.extend_from_slice(line.as_bytes());
        s.index.push((tracker, offset, line.len()));
        s.casts[i] = Some(Cast {
            tracker: hex::encode(tracker),
            unit,
            ballot_hash: ratify_tlog::hash::sha256(line.as_bytes()).to_hex(),
        });
    }
    s.file.seek(SeekFrom::Start(base)).expect("seek");
    s.file.write_all(&buf).expect("write scratch");
    s.end += buf.len() as u64;
}

fn write_sorted(s: &Scratch, out: &Path) {
    let mut index = s.index.clone();
    index.sort_unstable_by_key(|a| a.0);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(out).expect("ballots.jsonl"));
    let mut buf = Vec::new();
    for (_, offset, len) in index {
        buf.resize(len, 0);
        s.file
            .read_exact_at(&mut buf, offset)
            .expect("read scratch");
        w.write_all(&buf).expect("write ballots");
        w.write_all(b"\n").expect("write ballots");
    }
    w.flush().expect("flush ballots");
}

fn sum_workers(
    ctx: &ElectionContext,
    units: usize,
    parts: Vec<Vec<EncryptedTotals>>,
) -> Vec<EncryptedTotals> {
    (0..units)
        .map(|u| {
            let mut agg = Aggregator::new(ctx);
            for p in &parts {
                agg.add_totals(&p[u]).expect("the election's shape");
            }
            agg.finish()
        })
        .collect()
}
