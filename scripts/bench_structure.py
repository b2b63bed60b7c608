"""Benchmark lie_sim's structure constants and classification beside PennyLane.

For each case the DLA is closed once (not timed); then lie_sim's ``classify_algebra`` and
sparse ``structure_constants`` are timed (the latter only for bases of at most
:data:`MAX_SUM_TERMS` Pauli terms), and PennyLane's dense
``qml.structure_constants`` runs on the same basis, in a child process capped at
``--peer-timeout`` seconds. The peer's ``dim³`` float64 tensor is not attempted when it would
exceed ``--peer-max-gb``; a family's larger cases are skipped once the peer has timed out.
"bracket err" is the largest error of lie_sim's constants against exact brackets
(``lie_bracket``) of 50 random basis pairs, relative to the bracket (0 for Pauli strings:
integers); "agree" checks every stored constant of ours against the peer's tensor (to 1e-8
of the largest) and that the peer has no other non-zero entries. For Pauli-sum bases the
peer solves with a Gram matrix, whose conditioning can make it disagree; "bracket err" says
which side is right.

    python scripts/bench_structure.py               # all cases
    python scripts/bench_structure.py --quick       # small cases only
    python scripts/bench_structure.py --no-peer --json
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from peer import bench_parser, blas_threads, peer_available, run_in_child, to_pennylane

from lie_sim import lie_closure
from lie_sim.algebra.classification import classify_algebra
from lie_sim.algebra.structure import structure_constants
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.cli import format_table
from lie_sim.pauli.paulis import PauliSum, lie_bracket

CASES = [
    ("xx_z", [8, 12, 16, 24, 32, 48, 64]),  # so(2n): so(32) ... so(128)
    ("su_full", [4, 5, 6]),  # su(2^n): su(64) at n = 6
    ("tfim_open", [6, 8, 12]),  # a Pauli-sum basis: su(n) ⊕ u(1)
    ("heisenberg_bonds", [6, 7, 8]),  # n = 8: su(28) ⊕ su(20) ⊕ su(14) ⊕ su(7) ⊕ u(1)
]
# Structure constants of a Pauli-sum basis cost O(terms²) products (Heisenberg bonds n = 7,
# 55,170 terms: minutes); past this the row has the classification only.
MAX_SUM_TERMS = 20_000
QUICK = [("xx_z", [8, 16, 64]), ("su_full", [4, 6]), ("tfim_open", [6]), ("heisenberg_bonds", [6])]


def _peer_worker(name: str, n: int, queue) -> None:
    import pennylane as qml

    dla = lie_closure(FAMILIES[name].build(n))
    basis = to_pennylane(dla.basis)
    start = time.perf_counter()
    orthogonal = dla.is_pauli_string_basis  # otherwise the matrix path is the peer's fast one
    peer = np.asarray(
        qml.structure_constants(basis, pauli=True, matrix=not orthogonal, is_orthogonal=orthogonal)
    )
    seconds = time.perf_counter() - start
    ours = structure_constants(dla)
    scale = max(1.0, float(np.abs(ours.values).max(initial=0)))
    stored = peer[ours.c, ours.a, ours.b]  # the peer's indices are (gamma, alpha, beta)
    agree = bool(
        np.allclose(stored, ours.values, atol=1e-8 * scale)
        and int((np.abs(peer) > 1e-8 * scale).sum()) == ours.nnz
    )
    queue.put((seconds, agree))


def run_peer(name: str, n: int, timeout: float) -> tuple[float | None, bool | None, str]:
    """(seconds, agreement, status) of PennyLane on one case, in a child process."""
    result, status = run_in_child(_peer_worker, (name, n), timeout)
    return (*result, status) if result else (None, None, status)


def bracket_error(dla, f, pairs: int = 50) -> float:
    """Largest error of ``Σ_c f_abc b_c`` against ``lie_bracket(b_a, b_b)`` on random pairs,
    relative to the bracket's largest coefficient."""
    rng = np.random.default_rng(0)
    worst = 0.0
    for a, b in rng.integers(dla.dim, size=(pairs, 2)):
        pick = (f.a == a) & (f.b == b)
        terms = [
            (w, c * x)
            for k, x in zip(f.c[pick], f.values[pick], strict=True)
            for w, c in dla.basis[k].terms
        ]
        expected = lie_bracket(dla.basis[a], dla.basis[b])
        diff = expected - PauliSum.from_terms(terms)
        scale = max((abs(float(c)) for c in expected.coefficients), default=1.0)
        worst = max(worst, max((abs(float(c)) for c in diff.coefficients), default=0.0) / scale)
    return worst


def _timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def bench(cases, *, peer: bool | None, peer_timeout: float, peer_max_gb: float) -> list[dict]:
    """One row per case; ``peer`` None means PennyLane is not installed."""
    rows = []
    for name, ns in cases:
        gave_up = False
        for n in ns:
            dla = lie_closure(FAMILIES[name].build(n))
            kind, kind_seconds = _timed(classify_algebra, dla)
            row = {
                "case": f"{name} n={n}",
                "dim": dla.dim,
                "type": str(kind),
                "classify s": f"{kind_seconds:.3f}",
                "nnz": "-",
                "lie_sim f s": "-",
                "bracket err": "-",
                "peer f s": "not installed" if peer is None else "-",
                "ratio": "-",
                "agree": "-",
            }
            terms = len(dla.packed.coef)
            if terms > MAX_SUM_TERMS:  # Pauli-sum bases: O(terms²) products
                row["lie_sim f s"] = f"skipped ({terms} terms)"
                rows.append(row)
                continue
            f, f_seconds = _timed(structure_constants, dla)
            row["nnz"] = f.nnz
            row["lie_sim f s"] = f"{f_seconds:.3f}"
            row["bracket err"] = f"{bracket_error(dla, f):.0e}"
            tensor_gb = dla.dim**3 * 8 / 1e9
            if peer is None or not peer:
                pass
            elif gave_up:
                row["peer f s"] = "skipped"
            elif tensor_gb > peer_max_gb:
                row["peer f s"] = f"skipped ({tensor_gb:.0f} GB dense)"
            else:
                seconds, agree, status = run_peer(name, n, peer_timeout)
                if status == "ok":
                    row["peer f s"] = f"{seconds:.2f}"
                    row["ratio"] = f"{seconds / f_seconds:.0f}x"
                    row["agree"] = "yes" if agree else "NO"
                else:
                    row["peer f s"] = status
                    gave_up = True
            rows.append(row)
            print(
                f"  {row['case']}: {row['lie_sim f s']} s, peer {row['peer f s']}", file=sys.stderr
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument(
        "--peer-max-gb", type=float, default=2.0, help="largest dense peer tensor to attempt"
    )
    args = parser.parse_args(argv)
    peer = False if args.no_peer else (True if peer_available() else None)
    with blas_threads(args.blas_threads):
        rows = bench(
            QUICK if args.quick else CASES,
            peer=peer,
            peer_timeout=args.peer_timeout,
            peer_max_gb=args.peer_max_gb,
        )
    if args.json:
        print(json.dumps(rows))
    else:
        print(format_table(rows, list(rows[0])))
    errors = [float(r["bracket err"]) for r in rows if r["bracket err"] != "-"]
    return 0 if all(e < 1e-6 for e in errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
