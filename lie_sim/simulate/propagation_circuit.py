"""A resolved Cirq circuit read into propagation steps: gate maps placed on qubit indices.

The Heisenberg-picture propagation (:mod:`lie_sim.simulate.propagation`) walks the gates last
one first. Here the circuit is read once: symbols resolved, operations on three or more
qubits decomposed, each gate value turned into its Pauli transfer matrix map
(:class:`~lie_sim.simulate.transfer.GateMap`, built once per value and kept across calls),
and, without gradients, consecutive Pauli rotations gathered into runs for the compiled
kernel (:mod:`lie_sim.simulate.rotation_kernel`) when numba is installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lie_sim.compiled import enabled
from lie_sim.errors import ParameterError, UnsupportedGateError
from lie_sim.simulate import rotation_kernel
from lie_sim.simulate.transfer import (
    DERIVATIVE_STEP,
    GateMap,
    stencil_derivative,
    transfer_matrix,
)

__all__ = ["GateMaps", "Step", "gate_steps", "program", "ptm_derivatives", "read_operations"]

# (gate map placed on its qubits, mask of those qubits, original op, moment)
Step = tuple[GateMap, int, Any, int]
_MAPS_BY_VALUE: dict[Any, GateMap] = {}  # across calls: the maps of recent gate values
_MAPS_KEPT = 4096


def read_operations(
    circuit: Any, param_resolver: Any, qubits: Sequence[Any] | None
) -> tuple[tuple[Any, ...], list[tuple[int, Any, Any]], dict[str, float], list[str]]:
    """``(qubits, operations, resolver values, symbol names)`` of a circuit.

    ``operations`` are ``(moment, op, resolved op)`` in circuit order, ops on three or more
    qubits decomposed.

    Raises:
        ValueError: the circuit acts on a qubit outside ``qubits``.
        ParameterError: a symbol has no real value.
        UnsupportedGateError: a measurement, a qudit gate, or a gate Cirq cannot decompose.
    """
    import cirq

    qubits = tuple(sorted(circuit.all_qubits()) if qubits is None else qubits)
    outside = sorted(set(circuit.all_qubits()) - set(qubits))
    if outside:
        raise ValueError(
            f"The circuit acts on {outside[0]!r}, which is not among the qubits {list(qubits)}"
        )
    resolver, symbols = _resolver_values(circuit, param_resolver)
    if symbols:
        resolved = cirq.ParamResolver(resolver)
        operations = [
            (moment, op, cirq.resolve_parameters(op, resolved))
            for moment, op in _operations(circuit)
        ]
    else:
        operations = [(moment, op, op) for moment, op in _operations(circuit)]
    return qubits, operations, resolver, symbols


def gate_steps(
    operations: list[tuple[int, Any, Any]],
    qubits: tuple[Any, ...],
    maps: GateMaps,
    derivatives: Any = None,
    symbols: int = 0,
) -> list[tuple[GateMap, tuple[int, ...], Any, int]]:
    """``(gate map, its qubit indices, op, moment)`` in the order the gates act on the
    observable (last gate first), identities left out; ``derivatives(op)`` (when given)
    gives each op's PTM derivatives by symbol index."""
    index = {q: i for i, q in enumerate(qubits)}.__getitem__
    steps = []
    for moment, op, rop in reversed(operations):
        on = rop.qubits
        gate = maps.get(rop, len(on), moment, derivatives and derivatives(op), symbols)
        if not gate.is_identity:
            steps.append((gate, tuple(map(index, on)), op, moment))
    return steps


def program(
    steps: list[tuple[GateMap, tuple[int, ...], Any, int]], maps: GateMaps
) -> list[Step | rotation_kernel.RotationRun]:
    """The steps placed, consecutive rotations gathered into compiled runs (when numba is
    available)."""
    compiled = enabled()
    out: list[Step | rotation_kernel.RotationRun] = []
    for gate, positions, op, moment in steps:
        if compiled and gate.rotation is not None:
            if not out or not isinstance(out[-1], rotation_kernel.RotationRun):
                out.append(rotation_kernel.RotationRun())
            out[-1].add(gate, positions, (op, moment))
        else:
            out.append((*maps.placed(gate, positions), op, moment))
    return out


def ptm_derivatives(
    op: Any, resolver: dict[str, float], symbols: list[str]
) -> dict[int, np.ndarray]:
    """``∂R/∂s`` of the PTM of ``op`` for each of its symbols (index into ``symbols``), by a
    five-point central difference of ``cirq.unitary``."""
    import cirq

    names = sorted(str(s) for s in cirq.parameter_symbols(op))
    out: dict[int, np.ndarray] = {}
    for name in names:
        values = []
        for step in (-2, -1, 1, 2):
            shifted = dict(resolver)
            shifted[name] = resolver[name] + step * DERIVATIVE_STEP
            rop = cirq.resolve_parameters(op, cirq.ParamResolver(shifted))
            values.append(transfer_matrix(cirq.unitary(rop)))
        out[symbols.index(name)] = stencil_derivative(values)
    return out


def _resolver_values(circuit: Any, param_resolver: Any) -> tuple[dict[Any, float], list[str]]:
    """Numeric values of the circuit's symbols (by name), and the sorted symbol names."""
    import cirq

    resolver = cirq.ParamResolver(param_resolver)
    symbols = sorted(cirq.parameter_symbols(circuit), key=str)
    values, bad = {}, []
    for symbol in symbols:
        value = resolver.value_of(symbol, recursive=True)
        try:
            values[str(symbol)] = float(value)
        except (TypeError, ValueError):
            bad.append(str(symbol))
    if bad:
        given = sorted(str(k) for k in resolver.param_dict)
        raise ParameterError(
            f"No real value for the circuit's symbol(s) {', '.join(bad)} (the resolver gives "
            f"{given}); Pauli propagation needs every symbol resolved"
        )
    return values, [str(s) for s in symbols]


def _operations(circuit: Any) -> Iterator[tuple[int, Any]]:
    """``(moment, op)`` in circuit order, ops on three or more qubits decomposed; each gate
    object is checked once."""
    import cirq

    kinds: dict[int, tuple[Any, str]] = {}  # id(gate) -> (gate, "skip" | "keep" | "split")
    for moment, layer in enumerate(circuit):
        for op in layer.operations:
            gate = op.gate
            kind = kinds.get(id(gate))
            if kind is None or kind[0] is not gate:
                kind = (gate, _kind(op, moment, cirq))
                if gate is not None:
                    kinds[id(gate)] = kind
            if kind[1] == "keep":
                yield moment, op
            elif kind[1] == "split":
                yield from ((moment, piece) for piece in _pieces(op, moment, cirq))


def _kind(op: Any, moment: int, cirq: Any) -> str:
    """How :func:`_operations` treats ``op``: skip it, keep it whole, or split it."""
    if cirq.is_measurement(op):
        raise unsupported(op, moment, "it is a measurement")
    if any(q.dimension != 2 for q in op.qubits):
        raise unsupported(op, moment, "it acts on a qudit")
    if not op.qubits or isinstance(op.gate, cirq.IdentityGate | cirq.GlobalPhaseGate):
        return "skip"
    return "keep" if len(op.qubits) <= 2 else "split"


def _pieces(op: Any, moment: int, cirq: Any) -> list[Any]:
    kind = _kind(op, moment, cirq)
    if kind != "split":
        return [op] if kind == "keep" else []
    pieces = cirq.decompose(op, keep=lambda o: len(o.qubits) <= 2, on_stuck_raise=None)
    if any(len(p.qubits) > 2 for p in pieces):
        raise unsupported(op, moment, "Cirq cannot decompose it into one- and two-qubit gates")
    return [p for piece in pieces for p in _pieces(piece, moment, cirq)]


def unsupported(op: Any, moment: int, reason: str) -> UnsupportedGateError:
    return UnsupportedGateError(
        f"Cannot propagate through {op!r} (moment {moment}): {reason}; supported: unitary "
        "gates on qubits (one- and two-qubit gates directly, larger ones that cirq.decompose "
        "breaks into those)"
    )


class GateMaps:
    """Gate maps built once per gate value (looked up by object first: Cirq's gate equality
    is slow; then by value, in a cache shared by calls) and placed once per qubit tuple."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Any, int, GateMap]] = {}
        self._by_value = _MAPS_BY_VALUE
        self._placed: dict[tuple[int, tuple[int, ...]], tuple[GateMap, GateMap, int]] = {}

    def get(
        self,
        op: Any,
        arity: int,
        moment: int,
        derivatives: dict[int, np.ndarray] | None,
        symbols: int,
    ) -> GateMap:
        """The map of ``op`` (on ``arity`` qubits), with ``derivatives`` of its PTM."""
        if derivatives:
            return GateMap.build(_transfer_matrix(op, moment), derivatives, symbols)
        gate = op.gate
        known = self._by_id.get(id(gate))
        if known is not None and known[0] is gate and known[1] == arity:
            return known[2]
        value_key = _gate_key(op)
        if value_key is not None:  # maps for gradients carry (zero) tangents per symbol
            value_key = (value_key, None if derivatives is None else symbols)
        out = self._by_value.get(value_key) if value_key is not None else None
        if out is None:
            out = GateMap.build(_transfer_matrix(op, moment), derivatives, symbols)
            if value_key is not None:
                if len(self._by_value) >= _MAPS_KEPT:
                    self._by_value.clear()
                self._by_value[value_key] = out
        if gate is not None:
            self._by_id[id(gate)] = (gate, arity, out)
        return out

    def placed(self, gate: GateMap, positions: tuple[int, ...]) -> tuple[GateMap, int]:
        """``gate`` on ``positions``, and the bit mask of those qubits."""
        key = (id(gate), positions)
        known = self._placed.get(key)
        if known is None or known[0] is not gate:
            support = sum(1 << i for i in set(positions))
            known = (gate, gate.on(positions), support)
            self._placed[key] = known
        return known[1], known[2]


def _gate_key(op: Any) -> Any:
    """A hashable key for the PTM of ``op`` (its gate and arity), or None."""
    if op.gate is None:
        return None
    key = (op.gate, len(op.qubits))
    try:
        hash(key)
    except TypeError:  # an unhashable gate
        return None
    return key


def _transfer_matrix(op: Any, moment: int) -> np.ndarray:
    import cirq

    if not cirq.has_unitary(op):
        raise unsupported(op, moment, "it has no unitary (a channel, reset or noise)")
    return transfer_matrix(cirq.unitary(op))
