//! The RFC 6962 Merkle tree over the leaf hashes of a log.
//!
//! Storage model (after Go's `golang.org/x/mod/sumdb/tlog`): the server keeps
//! only the hashes of *perfect* subtrees, `NodeId { level, index }` being the
//! hash of leaves `[index·2^level, (index+1)·2^level)`. Every appended leaf adds
//! `1 + trailing_ones(old_size)` of them ([`stored_hashes_for_append`]), which
//! never change afterwards. Any tree head, inclusion proof or consistency proof
//! of any size is then a fold over O(log n) stored hashes, fetched in a single
//! batch ([`HashReader::read_hashes`]), so a database answers with one query.
//!
//! Proof verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 literally.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::hash::{empty_root, node_hash, Hash};

/// A perfect subtree: leaves `[index << level, (index + 1) << level)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId {
    pub level: u8,
    pub index: u64,
}

impl NodeId {
    pub fn new(level: u8, index: u64) -> NodeId {
        NodeId { level, index }
    }

    /// The leaf hash of entry `index` is the level-0 node.
    pub fn leaf(index: u64) -> NodeId {
        NodeId { level: 0, index }
    }

    /// Index of the first leaf this subtree covers.
    pub fn first_leaf(&self) -> u64 {
        self.index << self.level
    }
}

/// Errors raised by a [`HashReader`] implementation (database errors).
pub type StorageError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Read access to stored perfect-subtree hashes.
///
/// `read_hashes` must return exactly one hash per id, in the order asked.
/// All tree functions in this module call it at most once per operation.
pub trait HashReader {
    fn read_hashes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, StorageError>;
}

impl<R: HashReader + ?Sized> HashReader for &R {
    fn read_hashes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, StorageError> {
        (**self).read_hashes(ids)
    }
}

/// Failure to compute a tree head or proof.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("entry {index} is not in a log of size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("cannot prove consistency from size {old_size} to the smaller size {new_size}")]
    SizeOutOfRange { old_size: u64, new_size: u64 },
    #[error("hash storage returned {got} hashes for {asked} requested node ids")]
    WrongHashCount { asked: usize, got: usize },
    #[error("reading stored node hashes failed")]
    Storage(#[source] StorageError),
}

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("entry {index} cannot be in a log of size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("a log of size {old_size} cannot be a prefix of a log of size {new_size}")]
    SizeOutOfRange { old_size: u64, new_size: u64 },
    #[error("the proof has the wrong number of hashes")]
    WrongLength,
    #[error("the proof does not lead to the expected root hash")]
    RootMismatch,
}

/// A proof that a leaf is entry `index` of the log of size `size`
/// (RFC 9162 §2.1.3, audit path ordered from the leaf up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    pub hashes: Vec<Hash>,
}

impl InclusionProof {
    pub fn verify(&self, leaf: &Hash, root: &Hash) -> Result<(), ProofError> {
        verify_inclusion(leaf, self.index, self.size, &self.hashes, root)
    }
}

/// A proof that the log of size `old_size` is a prefix of the log of size
/// `new_size` (RFC 9162 §2.1.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    pub old_size: u64,
    pub new_size: u64,
    pub hashes: Vec<Hash>,
}

impl ConsistencyProof {
    pub fn verify(&self, old_root: &Hash, new_root: &Hash) -> Result<(), ProofError> {
        verify_consistency(
            self.old_size,
            self.new_size,
            old_root,
            new_root,
            &self.hashes,
        )
    }
}

/// The node ids one operation needs, and how to fold them into its output.
///
/// Lets an async or batched store do the read itself:
/// `plan.assemble(&store.fetch(plan.ids()).await?)`.
#[derive(Clone, Debug, Default)]
pub struct HashPlan {
    ids: Vec<NodeId>,
    /// Output hash `i` is the right fold of `ids[groups[i].0..groups[i].1]`.
    groups: Vec<(usize, usize)>,
}

impl HashPlan {
    /// The ids to read, in one batch.
    pub fn ids(&self) -> &[NodeId] {
        &self.ids
    }

    /// Combines the hashes read for [`HashPlan::ids`] (same order) into the outputs.
    pub fn assemble(&self, hashes: &[Hash]) -> Result<Vec<Hash>, TreeError> {
        if hashes.len() != self.ids.len() {
            return Err(TreeError::WrongHashCount {
                asked: self.ids.len(),
                got: hashes.len(),
            });
        }
        Ok(self
            .groups
            .iter()
            .map(|&(a, b)| fold_right(&hashes[a..b]))
            .collect())
    }

    fn push_range(&mut self, lo: u64, hi: u64) {
        let start = self.ids.len();
        decompose(lo, hi, &mut self.ids);
        self.groups.push((start, self.ids.len()));
    }

    fn run<R: HashReader + ?Sized>(&self, reader: &R) -> Result<Vec<Hash>, TreeError> {
        if self.ids.is_empty() {
            return self.assemble(&[]);
        }
        let hashes = reader.read_hashes(&self.ids).map_err(TreeError::Storage)?;
        self.assemble(&hashes)
    }
}

/// MTH of the subtree covering the given perfect subtrees, left to right.
fn fold_right(hashes: &[Hash]) -> Hash {
    match hashes.split_last() {
        None => empty_root(),
        Some((last, rest)) => rest.iter().rev().fold(*last, |acc, h| node_hash(h, &acc)),
    }
}

/// Splits `[lo, hi)` into perfect subtrees, largest first. For the ranges that
/// occur in RFC 6962 (`lo` aligned to a power of two ≥ `hi - lo`) the right
/// fold of their hashes is exactly MTH(D[lo:hi]).
fn decompose(mut lo: u64, hi: u64, out: &mut Vec<NodeId>) {
    while lo < hi {
        let mut level = if lo == 0 {
            63
        } else {
            lo.trailing_zeros().min(63)
        };
        while (1u64 << level) > hi - lo {
            level -= 1;
        }
        out.push(NodeId {
            level: level as u8,
            index: lo >> level,
        });
        lo += 1u64 << level;
    }
}

/// The largest power of two strictly less than `n` (n ≥ 2): RFC 6962's split point.
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The perfect-subtree hashes to store when appending `leaf` as entry `size`
/// of a log that has `size` entries: the leaf itself at level 0 and every
/// subtree it completes. Reads the `trailing_ones(size)` left siblings in one batch.
pub fn stored_hashes_for_append<R: HashReader + ?Sized>(
    size: u64,
    leaf: Hash,
    reader: &R,
) -> Result<Vec<(NodeId, Hash)>, TreeError> {
    let completes = size.trailing_ones() as u8;
    let ids: Vec<NodeId> = (0..completes)
        .map(|level| NodeId {
            level,
            index: (size >> level) - 1,
        })
        .collect();
    let lefts = if ids.is_empty() {
        Vec::new()
    } else {
        reader.read_hashes(&ids).map_err(TreeError::Storage)?
    };
    if lefts.len() != ids.len() {
        return Err(TreeError::WrongHashCount {
            asked: ids.len(),
            got: lefts.len(),
        });
    }
    let mut out = Vec::with_capacity(ids.len() + 1);
    let mut h = leaf;
    out.push((NodeId::leaf(size), h));
    for (level, left) in lefts.iter().enumerate() {
        h = node_hash(left, &h);
        out.push((
            NodeId {
                level: level as u8 + 1,
                index: size >> (level + 1),
            },
            h,
        ));
    }
    Ok(out)
}

/// Which stored hashes make up the tree head of size `size`.
pub fn tree_hash_plan(size: u64) -> HashPlan {
    let mut plan = HashPlan::default();
    plan.push_range(0, size);
    plan
}

/// Which stored hashes make up the inclusion proof of entry `index` in size `size`.
pub fn inclusion_plan(index: u64, size: u64) -> Result<HashPlan, TreeError> {
    if index >= size {
        return Err(TreeError::IndexOutOfRange { index, size });
    }
    // PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1, unrolled from the root down;
    // the proof lists siblings from the leaf up, hence the reversal below.
    let mut ranges = Vec::new();
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index < lo + k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
        }
    }
    let mut plan = HashPlan::default();
    for &(a, b) in ranges.iter().rev() {
        plan.push_range(a, b);
    }
    Ok(plan)
}

/// Which stored hashes make up the consistency proof from `old_size` to `new_size`.
pub fn consistency_plan(old_size: u64, new_size: u64) -> Result<HashPlan, TreeError> {
    if old_size > new_size {
        return Err(TreeError::SizeOutOfRange { old_size, new_size });
    }
    let mut plan = HashPlan::default();
    if old_size == 0 || old_size == new_size {
        return Ok(plan);
    }
    // SUBPROOF(m, D[lo:hi], b) of RFC 9162 §2.1.4.1, unrolled from the root down.
    let mut outer = Vec::new();
    let mut terminal = None;
    let (mut lo, mut hi, mut m, mut whole) = (0u64, new_size, old_size, true);
    loop {
        let n = hi - lo;
        if m == n {
            if !whole {
                terminal = Some((lo, hi));
            }
            break;
        }
        let k = split_point(n);
        if m <= k {
            outer.push((lo + k, hi));
            hi = lo + k;
        } else {
            outer.push((lo, lo + k));
            lo += k;
            m -= k;
            whole = false;
        }
    }
    if let Some((a, b)) = terminal {
        plan.push_range(a, b);
    }
    for &(a, b) in outer.iter().rev() {
        plan.push_range(a, b);
    }
    Ok(plan)
}

/// The root hash of the first `size` entries (one batched read).
pub fn tree_hash<R: HashReader + ?Sized>(size: u64, reader: &R) -> Result<Hash, TreeError> {
    Ok(tree_hash_plan(size).run(reader)?[0])
}

/// The inclusion proof of entry `index` in the log of size `size` (one batched read).
pub fn prove_inclusion<R: HashReader + ?Sized>(
    index: u64,
    size: u64,
    reader: &R,
) -> Result<InclusionProof, TreeError> {
    let hashes = inclusion_plan(index, size)?.run(reader)?;
    Ok(InclusionProof {
        index,
        size,
        hashes,
    })
}

/// The consistency proof from `old_size` to `new_size` (one batched read).
pub fn prove_consistency<R: HashReader + ?Sized>(
    old_size: u64,
    new_size: u64,
    reader: &R,
) -> Result<ConsistencyProof, TreeError> {
    let hashes = consistency_plan(old_size, new_size)?.run(reader)?;
    Ok(ConsistencyProof {
        old_size,
        new_size,
        hashes,
    })
}

/// RFC 9162 §2.1.3.2: does `proof` show that `leaf` is entry `index` of the
/// log of size `size` whose root is `root`?
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.2: does `proof` show that the log of size `old_size` with
/// root `old_root` is a prefix of the log of size `new_size` with root `new_root`?
///
/// Edge cases the RFC leaves to the caller: equal sizes need an empty proof
/// and equal roots; the empty log is a prefix of every log (empty proof).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizeOutOfRange { old_size, new_size });
    }
    if old_size == new_size {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        return if old_root == new_root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if old_size == 0 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength);
        }
        return if *old_root == empty_root() {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if proof.is_empty() {
        return Err(ProofError::WrongLength);
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr != *old_root || sr != *new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// An in-memory store of perfect-subtree hashes, for tests, benchmarks and
/// the offline verifier. Counts reads so the cost of a database-backed store
/// can be estimated.
#[derive(Debug, Default)]
pub struct MemoryStore {
    /// `levels[l][i]` is the hash of `NodeId { level: l, index: i }`.
    levels: Vec<Vec<Hash>>,
    size: u64,
    read_calls: AtomicU64,
    hashes_read: AtomicU64,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf hash and stores the subtrees it completes; returns its index.
    pub fn append(&mut self, leaf: Hash) -> u64 {
        // Complete subtrees are built from the level below without going
        // through `read_hashes`, so the read counters only count proof work.
        let index = self.size;
        let mut h = leaf;
        let mut level = 0usize;
        let mut i = index;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            debug_assert_eq!(self.levels[level].len() as u64, i);
            self.levels[level].push(h);
            if i & 1 == 0 {
                break;
            }
            h = node_hash(&self.levels[level][(i - 1) as usize], &h);
            i >>= 1;
            level += 1;
        }
        self.size += 1;
        index
    }

    /// Stores hashes returned by [`stored_hashes_for_append`], as a database would.
    pub fn store(&mut self, nodes: &[(NodeId, Hash)]) {
        for &(id, h) in nodes {
            let level = id.level as usize;
            while self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            assert_eq!(
                self.levels[level].len() as u64,
                id.index,
                "nodes must be stored in order"
            );
            self.levels[level].push(h);
            if level == 0 {
                self.size = id.index + 1;
            }
        }
    }

    /// The current root hash.
    pub fn root(&self) -> Hash {
        tree_hash(self.size, self).expect("memory store holds every node")
    }

    /// Calls to `read_hashes` since the last reset.
    pub fn read_calls(&self) -> u64 {
        self.read_calls.load(Ordering::Relaxed)
    }

    /// Node hashes read since the last reset.
    pub fn hashes_read(&self) -> u64 {
        self.hashes_read.load(Ordering::Relaxed)
    }

    pub fn reset_counters(&self) {
        self.read_calls.store(0, Ordering::Relaxed);
        self.hashes_read.store(0, Ordering::Relaxed);
    }
}

#[derive(Debug, thiserror::Error)]
#[error("node {0:?} is not stored")]
struct MissingNode(NodeId);

impl HashReader for MemoryStore {
    fn read_hashes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, StorageError> {
        self.read_calls.fetch_add(1, Ordering::Relaxed);
        self.hashes_read
            .fetch_add(ids.len() as u64, Ordering::Relaxed);
        ids.iter()
            .map(|id| {
                self.levels
                    .get(id.level as usize)
                    .and_then(|l| l.get(usize::try_from(id.index).ok()?))
                    .copied()
                    .ok_or_else(|| Box::new(MissingNode(*id)) as StorageError)
            })
            .collect()
    }
}

/// A compact range over the whole log so far (the "frontier"): the hashes of
/// the perfect subtrees that make up the first `size` leaves, at most 64.
/// Appending is amortised one node hash per leaf; the root of the current
/// size costs at most 63 more. Used by the verifier to check checkpoints
/// while streaming an export.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    size: u64,
    nodes: Vec<Hash>,
}

impl Frontier {
    pub fn new() -> Frontier {
        Frontier::default()
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn append(&mut self, leaf: Hash) {
        let mut h = leaf;
        let mut s = self.size;
        while s & 1 == 1 {
            let left = self.nodes.pop().expect("one node per set bit of size");
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.nodes.push(h);
        self.size += 1;
    }

    /// The root hash of the leaves appended so far.
    pub fn root(&self) -> Hash {
        fold_right(&self.nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_splits_ranges_into_aligned_perfect_subtrees() {
        let mut v = Vec::new();
        decompose(0, 7, &mut v);
        assert_eq!(
            v,
            vec![NodeId::new(2, 0), NodeId::new(1, 2), NodeId::new(0, 6)]
        );
        v.clear();
        decompose(8, 13, &mut v);
        assert_eq!(v, vec![NodeId::new(2, 2), NodeId::new(0, 12)]);
    }

    #[test]
    fn split_point_is_largest_power_of_two_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(1 << 40), 1 << 39);
    }
}
