//! An election log written as the server's is (docs/audit-format.md):
//! canonical entries chained by leaf hash, times non-decreasing, signed
//! checkpoints (C2SP signed notes) whenever the caller asks.

use ratify_tlog::note::sign_checkpoint;
use ratify_tlog::{Checkpoint, Entry, Frontier, Link, Signer, Timestamp};
use serde_json::{Map, Value};

/// The test key of docs/audit-format.md's worked example (seed 00 01 … 1f).
pub const KEY_NAME: &str = "ratify.example";
pub const HOST: &str = "ratify.example";

pub fn test_signer() -> Signer {
    let seed: [u8; 32] = std::array::from_fn(|i| i as u8);
    Signer::from_seed(KEY_NAME, &seed).expect("a 32-byte seed")
}

/// The log being written: its lines, its tree and its checkpoints.
pub struct LogWriter {
    pub origin: String,
    pub signer: Signer,
    /// Canonical lines, without `\n`.
    pub lines: Vec<String>,
    /// (size, signed note).
    pub notes: Vec<(u64, String)>,
    frontier: Frontier,
    last: Option<Link>,
    clock: i64,
}

impl LogWriter {
    pub fn new(slug: &str, signer: Signer) -> LogWriter {
        LogWriter {
            origin: format!("{HOST}/election/{slug}"),
            signer,
            lines: Vec::new(),
            notes: Vec::new(),
            frontier: Frontier::new(),
            last: None,
            // 2026-11-22T09:00:00Z, as in the worked example.
            clock: 1_795_338_000_000,
        }
    }

    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Appends an entry one second after the previous one; returns its index.
    pub fn append(&mut self, kind: &str, actor: Option<&str>, data: Value) -> u64 {
        let Value::Object(data) = data else {
            panic!("entry data must be an object")
        };
        self.append_map(kind, actor, data)
    }

    pub fn append_map(&mut self, kind: &str, actor: Option<&str>, data: Map<String, Value>) -> u64 {
        self.clock += 1000;
        let time = Timestamp::from_unix_millis(self.clock).expect("a valid time");
        let entry = Entry::next(self.last, time, kind, actor, data).expect("a valid entry");
        let bytes = entry.canonical_bytes();
        let leaf = ratify_tlog::leaf_hash(&bytes);
        self.frontier.append(leaf);
        self.last = Some(Link {
            index: entry.index(),
            leaf_hash: leaf,
            time,
        });
        self.lines
            .push(String::from_utf8(bytes).expect("canonical JSON is UTF-8"));
        entry.index()
    }

    /// Signs a checkpoint of the log as it stands; returns (size, root).
    pub fn checkpoint(&mut self) -> (u64, ratify_tlog::Hash) {
        let (size, root) = (self.size(), self.frontier.root());
        if self.notes.last().is_some_and(|n| n.0 == size) {
            return (size, root);
        }
        let cp = Checkpoint::new(&self.origin, size, root);
        let note = sign_checkpoint(&cp, &self.signer).expect("a valid checkpoint");
        self.notes.push((size, note));
        (size, root)
    }

    /// log/entries.jsonl.
    pub fn entries_file(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for l in &self.lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        out
    }
}
