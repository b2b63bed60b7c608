"""What the circuit builders share: argument checks, brick-wall bond lists, local rotations."""

from __future__ import annotations

from collections.abc import Callable

import cirq
import sympy


def check_size(n: int, layers: int) -> None:
    if n < 2:
        raise ValueError(f"n = {n!r} qubits is not supported; accepted: an integer n >= 2")
    if layers < 1:
        raise ValueError(f"layers = {layers!r} is not supported; accepted: an integer >= 1")


def brick_bonds(n: int, periodic: bool) -> list[list[tuple[int, int]]]:
    """Even bonds, odd bonds, and (if ``periodic`` and ``n >= 3``) the closing bond."""
    even = [(i, i + 1) for i in range(0, n - 1, 2)]
    odd = [(i, i + 1) for i in range(1, n - 1, 2)]
    closing = [(n - 1, 0)] if periodic and n >= 3 else []
    return [even, odd, closing] if closing else [even, odd]


def local_rotations(
    rotation: Callable[[sympy.Symbol], cirq.Gate], role: str, layer: int, qubits: list
) -> list[cirq.Operation]:
    """``rotation(role_{layer}_{i})`` on each qubit ``i``: one symbol per gate."""
    return [rotation(sympy.Symbol(f"{role}_{layer}_{i}")).on(q) for i, q in enumerate(qubits)]
