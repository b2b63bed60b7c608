"""Benchmark lie_sim.lie_closure beside PennyLane and fastdla on the same generators.

Prints one table: case, n, the known dimension, each tool's dimension (flagged when it
disagrees with the formula), its time, and each peer's time over lie_sim's. The peers are
optional (``pip install lie_sim[bench]``): PennyLane's ``qml.lie_closure`` (float
Gram-Schmidt) and fastdla's ``lie_closure`` on a ``SparsePauliSumArray`` (numba; compiled once
on a small case before timing; given ``max_dim`` = the known dimension; strings of at most
32 qubits). Each peer case runs in a child process capped at ``--peer-timeout`` seconds, and a
family's larger n are skipped for a peer once it has timed out. lie_sim runs once on a small
case first (its compiled search, with numba installed, loads or compiles then); its time
includes reading the generators. A run under 2 s is repeated, for every tool alike, and the
shortest of three kept (a first call pays for cold caches); the free-fermion rows run once, in
a fresh interpreter, and print its peak resident memory (interpreter and numpy included).

    python scripts/bench_closure.py                 # all cases
    python scripts/bench_closure.py --quick         # small cases only
    python scripts/bench_closure.py --no-peer --json
"""

from __future__ import annotations

import json
import subprocess
import sys

from peer import (
    FASTDLA_MAX_QUBITS,
    bench_parser,
    best_time,
    blas_threads,
    fastdla_available,
    peer_available,
    run_in_child,
    table_columns,
    to_fastdla,
    to_pennylane,
    warm_up_fastdla,
)

from lie_sim import lie_closure
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.cli import format_table

CASES = [
    ("tfim_open", [8, 12, 16, 24, 48]),
    ("tfim_ring", [20, 40]),
    ("heisenberg_bonds", [5, 6, 7, 8]),
    ("su_full", [5, 6]),
    ("xx_z", [20, 40, 100]),
    ("matchgate", [64, 128, 256, 512, 1024]),  # so(2n); n = 1,024 is the QCNN-scale target
]
MEASURE_MEMORY = {"matchgate"}  # run in a fresh interpreter for an honest peak RSS
QUICK = [("tfim_open", [8, 12]), ("heisenberg_bonds", [5, 6]), ("matchgate", [64, 256])]


def _pennylane_worker(name: str, n: int, queue) -> None:
    import pennylane as qml

    gens = to_pennylane(FAMILIES[name].build(n))
    dim, seconds = best_time(lambda: len(qml.lie_closure(gens, pauli=True)))
    queue.put((dim, seconds))


def _fastdla_worker(name: str, n: int, queue) -> None:
    import fastdla

    family = FAMILIES[name]
    gens = to_fastdla(family.build(n), n)
    dim, seconds = best_time(lambda: len(fastdla.lie_closure(gens, max_dim=family.dimension(n))))
    queue.put((dim, seconds))


PEERS = {"PennyLane": _pennylane_worker, "fastdla": _fastdla_worker}


def _peer_cells(peer: str, name: str, n: int, ours: float, timeout: float) -> dict:
    expected = FAMILIES[name].dimension(n)
    result, status = run_in_child(PEERS[peer], (name, n), timeout)
    if result is None:
        return {f"{peer} s": status}
    dim, seconds = result
    return {
        f"{peer} dim": dim if dim == expected else f"{dim} WRONG",
        f"{peer} s": f"{seconds:.3f}",
        f"{peer}/lie_sim": f"{seconds / ours:.0f}x",
    }


# VmHWM is the peak resident memory of this process's own address space (ru_maxrss would
# carry the parent's peak across fork and exec).
_FRESH_PROCESS = """
import re, sys, time
from lie_sim import lie_closure
from lie_sim.catalog.architectures import FAMILIES
gens = FAMILIES[sys.argv[1]].build(int(sys.argv[2]))
start = time.perf_counter()
dim = lie_closure(gens).dim
seconds = time.perf_counter() - start
with open("/proc/self/status") as f:
    peak_kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))
print(dim, seconds, peak_kib * 1024)
"""


def _closure_in_fresh_process(name: str, n: int) -> tuple[int, float, float]:
    """(dim, seconds, peak RSS in GiB) of lie_sim in a new interpreter, so the peak is its own."""
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, name, str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    dim, seconds, peak = done.stdout.split()
    return int(dim), float(seconds), int(peak) / 2**30


def _lie_sim(name: str, n: int) -> tuple[int, float, dict]:
    """lie_sim's dimension, seconds and extra cells (peak memory for the scale rows)."""
    if name in MEASURE_MEMORY:
        dim, seconds, peak = _closure_in_fresh_process(name, n)
        return dim, seconds, {"lie_sim peak GiB": f"{peak:.2f}"}
    gens = FAMILIES[name].build(n)
    dim, seconds = best_time(lambda: lie_closure(gens).dim)
    return dim, seconds, {}


def bench(cases, *, peers: list[str], peer_timeout: float) -> list[dict]:
    rows = []
    for name, ns in cases:
        family = FAMILIES[name]
        gave_up = {peer: False for peer in peers}
        for n in ns:
            dim, ours, extra = _lie_sim(name, n)
            expected = family.dimension(n)
            row = {
                "case": name,
                "n": n,
                "expected": expected,
                "lie_sim dim": dim if dim == expected else f"{dim} WRONG",
                "lie_sim s": f"{ours:.3f}",
                **extra,
            }
            for peer in peers:
                if peer == "fastdla" and n > FASTDLA_MAX_QUBITS:
                    row[f"{peer} s"] = f"n/a (>{FASTDLA_MAX_QUBITS} qubits)"
                elif gave_up[peer]:
                    row[f"{peer} s"] = "skipped"
                else:
                    row.update(_peer_cells(peer, name, n, ours, peer_timeout))
                    gave_up[peer] = row[f"{peer} s"].startswith((">", "failed"))
            rows.append(row)
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()), file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument(
        "--case", action="append", choices=[name for name, _ in CASES], help="repeatable"
    )
    args = parser.parse_args(argv)
    cases = QUICK if args.quick else CASES
    if args.case:
        cases = [(name, ns) for name, ns in cases if name in args.case]
    peers = []
    if not args.no_peer:
        available = {"PennyLane": peer_available(), "fastdla": fastdla_available()}
        peers = [peer for peer, ok in available.items() if ok]
        if len(peers) < 2:
            print("a peer is not installed (pip install 'lie_sim[bench]'); its columns are empty")
        if "fastdla" in peers:
            warm_up_fastdla()
    # lie_sim's compiled search (numba, lie_sim[fast]) loads from its cache, or compiles, on
    # first use: once, on a small case, like fastdla's compilation
    lie_closure(FAMILIES["tfim_open"].build(4))
    with blas_threads(args.blas_threads):
        rows = bench(cases, peers=peers, peer_timeout=args.peer_timeout)
    if args.json:
        print(json.dumps(rows))
    else:
        print(format_table(rows, table_columns(rows)))
    return 0 if all("WRONG" not in str(r["lie_sim dim"]) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
