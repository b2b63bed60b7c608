"""What the ``lie-sim`` verbs share: argument readers, the circuit front end, tables."""

from __future__ import annotations

import argparse

from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.errors import ObservableError, UsageError
from lie_sim.pauli.paulis import as_pauli_sum


def parse_range(text: str) -> range:
    """``"3:12"`` → ``range(3, 13)`` (inclusive), ``"5"`` → ``range(5, 6)``."""
    lo, _, hi = text.partition(":")
    try:
        start, stop = int(lo), int(hi or lo)
    except ValueError:
        raise UsageError(f"--n must look like 3:12 or 5, got {text!r}") from None
    if start < 1 or stop < start:
        raise UsageError(f"--n range {text!r} is empty or starts below 1")
    return range(start, stop + 1)


def max_dim(text: str) -> int:
    """``--max-dim``: a non-negative int (argparse reports anything else)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def add_parameter_arguments(p: argparse.ArgumentParser) -> None:
    """``--params NAME=VALUE ...`` and ``--random-params SEED`` (gsim, propagate)."""
    p.add_argument(
        "--params",
        metavar="NAME=VALUE",
        nargs="+",
        action="extend",
        default=[],
        help="a value for every circuit symbol, e.g. --params a=0.1 b=-0.2",
    )
    p.add_argument(
        "--random-params",
        metavar="SEED",
        type=int,
        default=None,
        help="draw every symbol uniformly from [-pi, pi) with numpy default_rng(SEED)",
    )


def circuit_algebra(
    spec: str, *, max_dim: int | None, observable: object = None
) -> tuple[DynamicalLieAlgebra | None, list[str], object]:
    """Load a circuit (``circuit_io.load_circuit`` spec) and close its generators.

    ``observable`` is Pauli text or a Pauli sum on the circuit's qubits (text qubit ``i`` is
    the ``i``-th of the sorted circuit qubits). Returns the algebra (``None`` when the circuit
    has no parameterized gates), one ``"symbol: generator"`` line per generator, and the
    observable conjugated past the circuit's fixed gates (``None`` when none was given).
    """
    from lie_sim.circuits.circuit_io import load_circuit  # imports Cirq
    from lie_sim.circuits.extraction import extract

    circuit = load_circuit(spec)
    qubits = sorted(circuit.all_qubits())
    if observable is not None:
        observable = as_pauli_sum(
            observable, qubits, name="The observable", error=ObservableError
        ).to_cirq(qubits)
    extraction = extract(circuit, observable, qubits=qubits)
    gens = extraction.generators
    conjugated = None if observable is None else extraction.observable
    if not gens:
        return None, [], conjugated
    dla = lie_closure([g.pauli_sum for g in gens], max_dim=max_dim, qubits=qubits)
    return dla, [f"{g.symbol}: {g.pauli_sum}" for g in gens], conjugated


def format_table(rows: list[dict], columns: list[str]) -> str:
    """A plain aligned text table of ``rows`` (dicts) over ``columns``."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)
