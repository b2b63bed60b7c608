"""Benchmark lie_sim.lie_closure beside PennyLane's qml.lie_closure on the same generators.

Prints one table: case, n, the known dimension, both dimensions (flagged when they disagree
with the formula), both times and the speed-up. PennyLane is optional (``pip install
lie_sim[bench]``); each peer case runs in a child process capped at ``--peer-timeout``
seconds, and larger n of a family are skipped once the peer has timed out on it.

    python scripts/bench_closure.py                 # all cases
    python scripts/bench_closure.py --quick         # small cases only
    python scripts/bench_closure.py --no-peer --json
"""

from __future__ import annotations

import json
import sys
import time

from peer import bench_parser, peer_available, run_in_child, to_pennylane

from lie_sim import lie_closure
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.cli import format_table

CASES = [
    ("xx_z", [20, 40, 100]),
    ("su_full", [5, 6, 8]),
    ("tfim_open", [8, 12, 16, 24, 48]),
    ("tfim_ring", [20, 40]),
    ("heisenberg_bonds", [5, 6, 7, 8]),
]
QUICK = [("xx_z", [20]), ("su_full", [5]), ("tfim_open", [8, 12]), ("heisenberg_bonds", [5, 6])]


def _peer_worker(name: str, n: int, queue) -> None:
    import pennylane as qml

    gens = to_pennylane(FAMILIES[name].build(n))
    start = time.perf_counter()
    dim = len(qml.lie_closure(gens, pauli=True))
    queue.put((dim, time.perf_counter() - start))


def run_peer(name: str, n: int, timeout: float) -> tuple[int | None, float | None, str]:
    """(dim, seconds, status) of PennyLane on one case, in a child process."""
    result, status = run_in_child(_peer_worker, (name, n), timeout)
    return (*result, status) if result else (None, None, status)


def bench(cases, *, peer: bool, peer_timeout: float) -> list[dict]:
    rows = []
    for name, ns in cases:
        family = FAMILIES[name]
        peer_gave_up = False
        for n in ns:
            gens = family.build(n)
            start = time.perf_counter()
            dla = lie_closure(gens)
            ours = time.perf_counter() - start
            expected = family.dimension(n)
            row = {
                "case": name,
                "n": n,
                "expected": expected,
                "lie_sim dim": dla.dim if dla.dim == expected else f"{dla.dim} WRONG",
                "lie_sim s": f"{ours:.3f}",
                "peer dim": "-",
                "peer s": "-",
                "speed-up": "-",
            }
            if peer and not peer_gave_up:
                dim, seconds, status = run_peer(name, n, peer_timeout)
                if status == "ok":
                    row["peer dim"] = dim if dim == expected else f"{dim} WRONG"
                    row["peer s"] = f"{seconds:.2f}"
                    row["speed-up"] = f"{seconds / ours:.0f}x"
                else:
                    row["peer s"] = status
                    peer_gave_up = True
            elif peer:
                row["peer s"] = "skipped"
            rows.append(row)
            print(f"  {name} n={n}: {row['lie_sim s']} s, peer {row['peer s']}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    args = parser.parse_args(argv)
    peer = not args.no_peer and peer_available()
    if not args.no_peer and not peer:
        print("PennyLane not installed (pip install 'lie_sim[bench]'); peer columns empty")
    rows = bench(QUICK if args.quick else CASES, peer=peer, peer_timeout=args.peer_timeout)
    if args.json:
        print(json.dumps(rows))
    else:
        print(format_table(rows, list(rows[0])))
    return 0 if all("WRONG" not in str(r["lie_sim dim"]) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
