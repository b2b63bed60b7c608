"""What the benchmark scripts share: peer conversions, a time-capped child process, BLAS threads.

Peers: PennyLane (``qml.lie_closure``, ``qml.structure_constants``), fastdla
(``fastdla.lie_closure`` on ``SparsePauliSumArray``, numba) and pauli-prop
(``propagate_through_rotation_gates``, Rust core, Qiskit circuits); all in the ``bench`` extra.

Imported by the ``bench_*.py`` scripts (run as ``python scripts/...``, so this folder is on
``sys.path``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from collections.abc import Callable, Sequence
from typing import Any

from lie_sim.pauli.paulis import PauliSum


def peer_available() -> bool:
    """Whether PennyLane (the ``bench`` extra) is installed."""
    try:
        import pennylane  # noqa: F401
    except ImportError:
        return False
    return True


def fastdla_available() -> bool:
    """Whether fastdla (the ``bench`` extra) is installed."""
    try:
        import fastdla  # noqa: F401
    except ImportError:
        return False
    return True


FASTDLA_MAX_QUBITS = 32  # fastdla packs a Pauli string into one uint64 (2 bits per qubit)


def to_fastdla(sums: Sequence[PauliSum], num_qubits: int):
    """lie_sim Pauli sums as a fastdla ``SparsePauliSumArray`` (its strings end with qubit 0)."""
    from fastdla import SparsePauliSum, SparsePauliSumArray

    return SparsePauliSumArray(
        [
            SparsePauliSum(
                [w.to_text(num_qubits)[::-1] for w, _ in s.terms],
                [float(c) for _, c in s.terms],
            )
            for s in sums
        ]
    )


def warm_up_fastdla() -> None:
    """Compile fastdla's numba kernels once (in this process, before children fork)."""
    import fastdla

    gens = [PauliSum.from_text(t) for t in ("X0 X1 + Y0 Y1", "Z0 + Z1", "Z0 Z1")]
    fastdla.lie_closure(to_fastdla(gens, 2), max_dim=15)


def to_pennylane(sums: Sequence[PauliSum]) -> list:
    """lie_sim Pauli sums as PennyLane ``PauliSentence`` objects (qubit index = wire)."""
    from pennylane.pauli import PauliSentence, PauliWord

    return [
        PauliSentence(
            {PauliWord({q: w.letter(q) for q in w.support}): float(c) for w, c in s.terms}
        )
        for s in sums
    ]


def pauli_prop_available() -> bool:
    """Whether pauli-prop and Qiskit (the ``bench`` extra) are installed."""
    try:
        import pauli_prop  # noqa: F401
        import qiskit  # noqa: F401
    except ImportError:
        return False
    return True


def to_qiskit(circuit, qubits: Sequence) -> Any:
    """A resolved Cirq circuit of Pauli rotations as a Qiskit ``QuantumCircuit``.

    Cirq's ``P**t`` (``XPowGate`` … ``ZZPowGate``, ``cirq.rx`` …) with any global shift
    conjugates an operator as ``exp(-iπtP/2)`` does (the shift is a global phase), so it
    becomes Qiskit's ``rp(πt)``. Qiskit qubit ``i`` is ``qubits[i]``.

    Raises:
        TypeError: a gate that is not a Pauli rotation (pauli-prop reads only those).
    """
    import math

    import cirq
    from qiskit import QuantumCircuit

    table = (
        (cirq.XPowGate, "rx"),
        (cirq.YPowGate, "ry"),
        (cirq.ZPowGate, "rz"),
        (cirq.XXPowGate, "rxx"),
        (cirq.YYPowGate, "ryy"),
        (cirq.ZZPowGate, "rzz"),
    )
    index = {q: i for i, q in enumerate(qubits)}
    qc = QuantumCircuit(len(qubits))
    for op in circuit.all_operations():
        name = next((name for cls, name in table if isinstance(op.gate, cls)), None)
        if name is None:
            raise TypeError(f"pauli-prop reads Pauli rotations only, not {op!r}")
        getattr(qc, name)(math.pi * float(op.gate.exponent), *(index[q] for q in op.qubits))
    return qc


def to_sparse_pauli_op(observable: PauliSum, num_qubits: int) -> Any:
    """A lie_sim Pauli sum as a Qiskit ``SparsePauliOp`` (qubit index = Qiskit qubit)."""
    from qiskit.quantum_info import SparsePauliOp

    terms = [
        ("".join(w.letter(q) for q in w.support), list(w.support), float(c))
        for w, c in observable.terms
    ]
    return SparsePauliOp.from_sparse_list(terms, num_qubits=num_qubits)


def zero_state_value(operator: Any) -> float:
    """``⟨0…0|O|0…0⟩`` of a ``SparsePauliOp``: the sum of the coefficients of its Z-type terms."""
    diagonal = ~operator.paulis.x.any(axis=1)
    return float(operator.coeffs[diagonal].real.sum())


REPEAT_BELOW = 2.0  # seconds: a run this short is repeated, the best of REPEATS kept
REPEATS = 3


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[Any, float]:
    """``run()``'s result and its shortest wall time over ``repeat`` calls."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return out, best


def best_time(run: Callable[[], Any]) -> tuple[Any, float]:
    """``run()``'s result and its wall time; a run under :data:`REPEAT_BELOW` seconds is
    repeated and the shortest of :data:`REPEATS` kept (first calls pay for cold caches)."""
    out, first = best_of(1, run)
    if first >= REPEAT_BELOW:
        return out, first
    out, rest = best_of(REPEATS - 1, run)
    return out, min(first, rest)


def run_in_child(
    worker: Callable[..., None], args: tuple, timeout: float
) -> tuple[Any | None, str]:
    """Run ``worker(*args, queue)`` in a forked child, at most ``timeout`` seconds.

    Returns what the worker put on the queue and ``"ok"``, or ``None`` and ``">Ns"`` (timed
    out, child killed) or ``"failed"`` (the child ended without a result).
    """
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=worker, args=(*args, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, f">{timeout:.0f}s"
    if queue.empty():
        return None, "failed"
    return queue.get(), "ok"


def bench_parser(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: --quick, --no-peer, --peer-timeout, --json."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small cases only")
    parser.add_argument("--no-peer", action="store_true", help="skip the peers")
    parser.add_argument("--peer-timeout", type=float, default=120.0, help="seconds per peer case")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit BLAS threads (threadpoolctl) for lie_sim and the peers; default: BLAS's own",
    )
    return parser


def blas_threads(limit: int | None):
    """A context limiting BLAS threads to ``limit`` (threadpoolctl); no-op for None."""
    import contextlib

    if limit is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=limit, user_api="blas")


def table_columns(rows: list[dict]) -> list[str]:
    """Every column that some row has, in order of first appearance; ``_`` keys are private."""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns and not c.startswith("_")]
    return columns
