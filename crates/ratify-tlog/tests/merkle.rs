//! RFC 6962 / RFC 9162 Merkle tree: known answers, exhaustive proof checks,
//! tampering, and the storage model's read counts.

use ratify_tlog::merkle::{consistency_plan, inclusion_plan, tree_hash_plan};
use ratify_tlog::{
    empty_root, leaf_hash, node_hash, prove_consistency, prove_inclusion, stored_hashes_for_append,
    tree_hash, verify_consistency, verify_inclusion, Frontier, Hash, MemoryStore, NodeId,
};

fn h(s: &str) -> Hash {
    Hash::from_hex(s).unwrap()
}

/// The leaf inputs of the Certificate Transparency reference tests
/// (certificate-transparency `merkle_tree_test.cc`, also used by
/// transparency-dev/merkle's `reference_test.go`).
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Roots of the trees of sizes 0..=8 over those leaves.
const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index, tree size, audit path) from the same reference tests.
const INCLUSION: [(u64, u64, &[&str]); 4] = [
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, consistency proof) from the same reference tests.
const CONSISTENCY: [(u64, u64, &[&str]); 4] = [
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

fn reference_store() -> MemoryStore {
    let mut s = MemoryStore::new();
    for l in LEAVES {
        s.append(leaf_hash(&hex::decode(l).unwrap()));
    }
    s
}

/// MTH straight from RFC 6962 §2.1, recursively, as an independent reference.
fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

fn leaves(n: u64) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
        .collect()
}

fn flip(h: &Hash, byte: usize) -> Hash {
    let mut x = *h;
    x.0[byte] ^= 0x01;
    x
}

#[test]
fn empty_tree_root_is_sha256_of_nothing() {
    assert_eq!(empty_root(), h(ROOTS[0]));
    assert_eq!(tree_hash(0, &MemoryStore::new()).unwrap(), h(ROOTS[0]));
    assert_eq!(Frontier::new().root(), h(ROOTS[0]));
}

#[test]
fn known_answer_roots_for_sizes_0_to_8() {
    let store = reference_store();
    let mut frontier = Frontier::new();
    assert_eq!(tree_hash(0, &store).unwrap(), h(ROOTS[0]));
    for (size, l) in LEAVES.iter().enumerate() {
        frontier.append(leaf_hash(&hex::decode(l).unwrap()));
        let size = size as u64 + 1;
        assert_eq!(
            tree_hash(size, &store).unwrap(),
            h(ROOTS[size as usize]),
            "size {size}"
        );
        assert_eq!(
            frontier.root(),
            h(ROOTS[size as usize]),
            "frontier size {size}"
        );
    }
}

#[test]
fn known_answer_inclusion_proofs() {
    let store = reference_store();
    for (index, size, path) in INCLUSION {
        let p = prove_inclusion(index, size, &store).unwrap();
        let want: Vec<Hash> = path.iter().map(|s| h(s)).collect();
        assert_eq!(p.hashes, want, "PATH({index}, D[{size}])");
        let leaf = leaf_hash(&hex::decode(LEAVES[index as usize]).unwrap());
        verify_inclusion(&leaf, index, size, &want, &h(ROOTS[size as usize])).unwrap();
    }
}

#[test]
fn known_answer_consistency_proofs() {
    let store = reference_store();
    for (m, n, path) in CONSISTENCY {
        let p = prove_consistency(m, n, &store).unwrap();
        let want: Vec<Hash> = path.iter().map(|s| h(s)).collect();
        assert_eq!(p.hashes, want, "PROOF({m}, D[{n}])");
        verify_consistency(m, n, &h(ROOTS[m as usize]), &h(ROOTS[n as usize]), &want).unwrap();
    }
}

#[test]
fn roots_match_the_recursive_definition_up_to_70_leaves() {
    let all = leaves(70);
    let mut store = MemoryStore::new();
    let mut frontier = Frontier::new();
    for (i, l) in all.iter().enumerate() {
        store.append(*l);
        frontier.append(*l);
        let want = mth(&all[..=i]);
        assert_eq!(frontier.root(), want);
        for size in 0..=i as u64 + 1 {
            assert_eq!(tree_hash(size, &store).unwrap(), mth(&all[..size as usize]));
        }
    }
}

#[test]
fn every_inclusion_proof_up_to_40_leaves_verifies_and_any_change_breaks_it() {
    let all = leaves(40);
    let mut store = MemoryStore::new();
    for l in &all {
        store.append(*l);
    }
    for size in 1..=40u64 {
        let root = tree_hash(size, &store).unwrap();
        for index in 0..size {
            let leaf = all[index as usize];
            let p = prove_inclusion(index, size, &store).unwrap();
            verify_inclusion(&leaf, index, size, &p.hashes, &root).unwrap();
            // Any changed byte of leaf, root or any proof hash is caught.
            for byte in [0, 13, 31] {
                assert!(
                    verify_inclusion(&flip(&leaf, byte), index, size, &p.hashes, &root).is_err()
                );
                assert!(
                    verify_inclusion(&leaf, index, size, &p.hashes, &flip(&root, byte)).is_err()
                );
                for k in 0..p.hashes.len() {
                    let mut bad = p.hashes.clone();
                    bad[k] = flip(&bad[k], byte);
                    assert!(
                        verify_inclusion(&leaf, index, size, &bad, &root).is_err(),
                        "{index} {size} {k}"
                    );
                }
            }
            // Wrong position, wrong size, missing or extra hashes.
            if size > 1 {
                let other = (index + 1) % size;
                assert!(verify_inclusion(&leaf, other, size, &p.hashes, &root).is_err());
            }
            // (The same path can be valid for a larger size with an identical
            // shape, e.g. leaf 0 in sizes 3 and 4, so size is not tampered here:
            // the checkpoint binds the size.)
            if !p.hashes.is_empty() {
                assert!(verify_inclusion(&leaf, index, size, &p.hashes[1..], &root).is_err());
            }
            let mut longer = p.hashes.clone();
            longer.push(root);
            assert!(verify_inclusion(&leaf, index, size, &longer, &root).is_err());
            assert!(verify_inclusion(&leaf, size, size, &p.hashes, &root).is_err());
        }
    }
}

#[test]
fn every_consistency_proof_up_to_40_leaves_verifies_and_any_change_breaks_it() {
    let all = leaves(40);
    let mut store = MemoryStore::new();
    for l in &all {
        store.append(*l);
    }
    let roots: Vec<Hash> = (0..=40).map(|n| tree_hash(n, &store).unwrap()).collect();
    for n in 0..=40u64 {
        for m in 0..=n {
            let (r1, r2) = (roots[m as usize], roots[n as usize]);
            let p = prove_consistency(m, n, &store).unwrap();
            verify_consistency(m, n, &r1, &r2, &p.hashes)
                .unwrap_or_else(|e| panic!("{m}->{n}: {e}"));
            for byte in [0, 31] {
                if m > 0 {
                    assert!(
                        verify_consistency(m, n, &flip(&r1, byte), &r2, &p.hashes).is_err(),
                        "{m}->{n}"
                    );
                    assert!(
                        verify_consistency(m, n, &r1, &flip(&r2, byte), &p.hashes).is_err(),
                        "{m}->{n}"
                    );
                }
                for k in 0..p.hashes.len() {
                    let mut bad = p.hashes.clone();
                    bad[k] = flip(&bad[k], byte);
                    assert!(
                        verify_consistency(m, n, &r1, &r2, &bad).is_err(),
                        "{m}->{n} hash {k}"
                    );
                }
            }
            if 0 < m && m < n {
                // The proof is for exactly these sizes.
                assert!(verify_consistency(m, n, &r1, &r2, &[]).is_err());
                assert!(verify_consistency(m, n, &r1, &r2, &p.hashes[1..]).is_err());
                let mut longer = p.hashes.clone();
                longer.push(r1);
                assert!(verify_consistency(m, n, &r1, &r2, &longer).is_err());
                if n < 40 {
                    assert!(
                        verify_consistency(m, n + 1, &r1, &roots[n as usize + 1], &p.hashes)
                            .is_err()
                    );
                }
                // A different old tree of the same size is not a prefix.
                assert!(verify_consistency(m, n, &roots[m as usize - 1], &r2, &p.hashes).is_err());
            }
        }
        if n < 40 {
            assert!(prove_consistency(n + 1, n, &store).is_err());
            assert!(
                verify_consistency(n + 1, n, &roots[n as usize], &roots[n as usize], &[]).is_err()
            );
        }
    }
}

#[test]
fn a_forked_log_is_not_consistent() {
    let mut honest = MemoryStore::new();
    let mut forked = MemoryStore::new();
    for (i, l) in leaves(20).iter().enumerate() {
        honest.append(*l);
        forked.append(if i == 7 { leaf_hash(b"rewritten") } else { *l });
    }
    let old_root = tree_hash(10, &honest).unwrap();
    let p = prove_consistency(10, 20, &forked).unwrap();
    assert!(verify_consistency(10, 20, &old_root, &forked.root(), &p.hashes).is_err());
}

#[test]
fn stored_hashes_for_append_matches_memory_store() {
    // A store fed only through `stored_hashes_for_append`, as the server's
    // database will be, holds the same nodes and gives the same proofs.
    let mut db = MemoryStore::new();
    let mut reference = MemoryStore::new();
    for (i, l) in leaves(100).into_iter().enumerate() {
        let nodes = stored_hashes_for_append(i as u64, l, &db).unwrap();
        assert_eq!(nodes.len(), 1 + (i as u64).trailing_ones() as usize);
        assert_eq!(nodes[0], (NodeId::leaf(i as u64), l));
        db.store(&nodes);
        reference.append(l);
        assert_eq!(db.root(), reference.root());
    }
    for id in [
        NodeId::new(0, 99),
        NodeId::new(3, 11),
        NodeId::new(6, 0),
        NodeId::new(5, 2),
    ] {
        use ratify_tlog::HashReader;
        assert_eq!(
            db.read_hashes(&[id]).unwrap(),
            reference.read_hashes(&[id]).unwrap()
        );
    }
    assert_eq!(
        prove_inclusion(37, 100, &db).unwrap(),
        prove_inclusion(37, 100, &reference).unwrap()
    );
}

#[test]
fn each_operation_reads_storage_once_and_logarithmically() {
    let mut store = MemoryStore::new();
    for l in leaves(5000) {
        store.append(l);
    }
    for (index, size) in [
        (0, 1),
        (0, 5000),
        (4999, 5000),
        (1234, 4097),
        (4096, 4097),
        (2047, 2048),
    ] {
        store.reset_counters();
        let p = prove_inclusion(index, size, &store).unwrap();
        assert_eq!(store.read_calls(), u64::from(!p.hashes.is_empty()));
        assert!(
            store.hashes_read() <= 2 * 13,
            "{index}/{size}: {}",
            store.hashes_read()
        );
    }
    for (m, n) in [
        (1, 5000),
        (4999, 5000),
        (1000, 4097),
        (2048, 4096),
        (3, 4999),
    ] {
        store.reset_counters();
        prove_consistency(m, n, &store).unwrap();
        assert_eq!(store.read_calls(), 1);
        assert!(
            store.hashes_read() <= 2 * 13,
            "{m}->{n}: {}",
            store.hashes_read()
        );
    }
    store.reset_counters();
    tree_hash(4999, &store).unwrap();
    assert_eq!(store.read_calls(), 1);
    assert_eq!(store.hashes_read(), u64::from(4999u64.count_ones()));
    // The plans expose the same ids for a database that reads them itself.
    assert_eq!(
        tree_hash_plan(4999).ids().len(),
        4999u64.count_ones() as usize
    );
    assert!(inclusion_plan(5, 5).is_err());
    assert!(consistency_plan(6, 5).is_err());
}

#[test]
fn proofs_serialise_as_documented() {
    let store = reference_store();
    let p = prove_inclusion(2, 3, &store).unwrap();
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"index":2,"size":3,"hashes":["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]}"#
    );
    let c = prove_consistency(2, 5, &store).unwrap();
    let json = serde_json::to_string(&c).unwrap();
    assert!(
        json.starts_with(r#"{"old_size":2,"new_size":5,"hashes":["5f083f0a"#),
        "{json}"
    );
    let back: ratify_tlog::ConsistencyProof = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}
