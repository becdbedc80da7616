#!/usr/bin/env python3
"""Times ElectionGuard's reference implementation (PyPI electionguard 1.4.0)
on a ballot of ratify's benchmark shape: 2 questions x 2 options, i.e.
4 ElGamal encryptions + 4 disjunctive 0-or-1 Chaum-Pedersen proofs +
2 constant ("sum is 1") Chaum-Pedersen proofs. Prints the median.

Setup (once):
    python3 -m venv /work/venv-eg && /work/venv-eg/bin/pip install electionguard==1.4.0
Run:
    /work/venv-eg/bin/python benches/electionguard_ballot.py [--runs N]

On Python 3.11 electionguard's top-level __init__ fails to import (a
dataclass with a mutable default), so this script registers an empty
package object for `electionguard` and imports only the group, elgamal and
chaum_pedersen modules, which is all the ballot-level crypto needs.
"""
import argparse
import importlib
import importlib.util
import os
import statistics
import sys
import time
import types


def load_electionguard():
    spec = importlib.util.find_spec("electionguard")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("electionguard is not installed (pip install electionguard==1.4.0)")
    pkg = types.ModuleType("electionguard")
    pkg.__path__ = list(spec.submodule_search_locations)
    sys.modules["electionguard"] = pkg
    group = importlib.import_module("electionguard.group")
    elgamal = importlib.import_module("electionguard.elgamal")
    cp = importlib.import_module("electionguard.chaum_pedersen")
    return group, elgamal, cp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args()
    group, elgamal, cp = load_electionguard()
    # ElectionGuard logs every encryption at INFO; keep the timing clean.
    import logging
    logging.disable(logging.CRITICAL)

    keypair = elgamal.elgamal_keypair_random()
    pk = keypair.public_key
    header = group.rand_q()

    def one_ballot(choices):
        for choice in choices:  # one question: exactly one of two options
            nonces = []
            cts = []
            for option in range(2):
                m = 1 if option == choice else 0
                r = group.rand_range_q(1)
                ct = elgamal.elgamal_encrypt(m, r, pk)
                proof = cp.make_disjunctive_chaum_pedersen(ct, r, pk, header, group.rand_q(), m)
                nonces.append(r)
                cts.append((ct, proof))
            total = elgamal.elgamal_add(*[c for c, _ in cts])
            r_sum = group.add_q(*nonces)
            cp.make_constant_chaum_pedersen(total, 1, r_sum, pk, group.rand_q(), header)

    one_ballot([0, 1])  # warm up
    times = []
    for i in range(args.runs):
        t0 = time.perf_counter()
        one_ballot([i % 2, (i + 1) % 2])
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"electionguard {importlib.metadata.version('electionguard')} (python {sys.version.split()[0]}, gmpy2)")
    print(f"ballot 2x2 encrypt+prove: median {med * 1e3:.2f} ms over {args.runs} runs "
          f"(min {min(times) * 1e3:.2f} ms, max {max(times) * 1e3:.2f} ms)")


if __name__ == "__main__":
    import importlib.metadata
    main()
