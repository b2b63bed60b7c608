"""``GSimSimulator``: g-sim behind Cirq's expectation-value simulator interface.

Code written for ``qsimcirq.QSimSimulator.simulate_expectation_values`` runs unchanged: the
simulator builds a :class:`~lie_sim.simulate.gsim.GSim` for each (circuit, observables, qubit
order, initial state) it sees, keeps the most recent ones, and evaluates every point of a
sweep on it. A circuit without a small algebra raises
:class:`~lie_sim.errors.SimulationLimitError` saying which space passed which limit.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import cirq
import numpy as np

from lie_sim.simulate.gsim import DEFAULT_MAX_DIM, GSim, build_gsim

DEFAULT_CACHE_SIZE = 8


class GSimSimulator(cirq.SimulatesExpectationValues):
    """A Cirq expectation-value simulator running g-sim (Goh et al., arXiv 2308.01432).

    Args:
        max_dim: the largest algebra or string space to build (see :func:`build_gsim`).
        cache_size: how many built simulators to keep (least recently used dropped first).

    Initial states: a basis-state ``int`` (in the qubit order, qubit 0 most significant, as
    in Cirq), a ``cirq.ProductState``, product-state text such as ``"+0-1"``, or a state
    vector (small n).

    Example:
        >>> import sympy
        >>> q = cirq.LineQubit.range(2)
        >>> circuit = cirq.Circuit(cirq.rx(sympy.Symbol("t")).on(q[0]), cirq.CNOT(*q))
        >>> values = GSimSimulator().simulate_expectation_values(circuit, cirq.Z(q[1]), {"t": 0.5})
        >>> [round(v, 6) for v in values]
        [0.877583]
    """

    def __init__(
        self, *, max_dim: int | None = DEFAULT_MAX_DIM, cache_size: int = DEFAULT_CACHE_SIZE
    ):
        if cache_size < 1:
            raise ValueError(f"cache_size must be at least 1, got {cache_size}")
        self.max_dim = max_dim
        self.cache_size = cache_size
        self._cache: collections.OrderedDict[Any, GSim] = collections.OrderedDict()

    def simulate_expectation_values_sweep_iter(
        self,
        program: cirq.AbstractCircuit,
        observables: cirq.PauliSumLike | list[cirq.PauliSumLike],
        params: cirq.Sweepable,
        qubit_order: cirq.QubitOrderOrList = cirq.QubitOrder.DEFAULT,
        initial_state: Any = None,
        permit_terminal_measurements: bool = False,
    ) -> Iterator[list[float]]:
        """Expectation values of every observable at every point of ``params``.

        Raises:
            ValueError: the circuit has measurements (terminal ones are dropped with
                ``permit_terminal_measurements=True``).
            SimulationLimitError: the circuit has no small enough g-sim space.
        """
        program = _without_terminal_measurements(program, permit_terminal_measurements)
        items = observables if isinstance(observables, list) else [observables]
        sums = [cirq.PauliSum.wrap(o) for o in items]
        qubits = cirq.QubitOrder.as_qubit_order(qubit_order).order_for(program.all_qubits())
        gsim = self.gsim(program, sums, qubits=tuple(qubits), initial_state=initial_state)
        for resolver in cirq.to_resolvers(params):
            yield gsim.simulate_expectation_values(resolver)

    def gsim(
        self,
        program: cirq.AbstractCircuit,
        observables: list[cirq.PauliSum],
        *,
        qubits: tuple[cirq.Qid, ...],
        initial_state: Any = None,
    ) -> GSim:
        """The (cached) :class:`GSim` of a circuit, observables, qubit order and state."""
        key = (
            program.freeze(),
            tuple(_observable_key(o) for o in observables),
            qubits,
            _state_key(initial_state),
        )
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        built = build_gsim(
            program, observables, initial_state=initial_state, qubits=qubits, max_dim=self.max_dim
        )
        self._cache[key] = built
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return built


def _without_terminal_measurements(
    program: cirq.AbstractCircuit, permit: bool
) -> cirq.AbstractCircuit:
    if not program.has_measurements():
        return program
    if not permit:
        raise ValueError(
            "Circuit has measurements; pass permit_terminal_measurements=True to drop "
            "terminal measurements (g-sim computes exact expectation values)"
        )
    if not program.are_all_measurements_terminal():
        raise ValueError("Circuit has non-terminal measurements; g-sim needs a unitary circuit")
    return cirq.Circuit(
        cirq.Moment(op for op in moment if not cirq.is_measurement(op)) for moment in program
    )


def _observable_key(observable: cirq.PauliSum) -> tuple:
    def key(ps: cirq.PauliString) -> tuple:
        return tuple(sorted((q, str(p)) for q, p in ps.items())), complex(ps.coefficient)

    return tuple(sorted(key(ps) for ps in observable))


def _state_key(state: Any) -> Any:
    if isinstance(state, np.ndarray):
        return ("array", state.dtype.str, state.shape, state.tobytes())
    try:
        hash(state)
    except TypeError:
        return ("repr", repr(state))
    return state
