"""Heisenberg-picture Pauli propagation of an observable through a resolved Cirq circuit.

The loss ``⟨ψ|U† O U|ψ⟩`` of a circuit ``U = U_L ⋯ U_1`` is computed by pulling the Pauli sum
``O = Σ c_P P`` back through the gates, last one first: ``O ↦ U_L† O U_L ↦ …``, and reading
the final sum on the initial state, ``Σ c_P ⟨ψ|P|ψ⟩`` (a product of single-qubit Bloch
components for a product state, so any number of qubits works). Every gate acts on the
terms it touches through its Pauli transfer matrix (:mod:`lie_sim.simulate.transfer`):

* a term whose string is the identity on the gate's support, or whose local letters ``b``
  have a trivial column (``R[:, b] = e_b``: the string commutes with the gate), is untouched;
* a Clifford gate (one ``±1`` per column) relabels the touched strings and flips signs:
  a bijection, so nothing merges;
* a Pauli rotation ``e^{-iθP/2}`` (two entries ``cos θ``, ``± sin θ`` per anticommuting
  column, so ``Q ↦ cos θ·Q + sin θ·(i/2)[P, Q]``) pairs each touched string with its
  partner ``±iPQ`` (:mod:`lie_sim.simulate.transfer_rotation`: one sort of the touched
  strings on a key the two share); a pair's coefficients mix by the 2×2 rotation, a string
  without a partner in the sum adds one new term;
* any other gate (``cirq.MatrixGate``, FSim, controlled rotations: up to 16 entries per
  column) expands each touched term along its column. Outputs can only coincide with outputs
  of terms that agree off the support (untouched strings have rows of ``R`` that are trivial
  too), so the merge groups the touched terms by their off-support part (one sort of the
  touched terms) and sums equal (group, local letters) with ``bincount``.

Terms live in arrays: packed ``uint64`` masks ``(m, words)`` and ``float64`` coefficients;
the only Python loop is over the gates, and a gate whose qubits no term acts on (outside
the light cone) is skipped by one integer test. With numba installed, runs of consecutive
rotations (without gradients) are one call of a compiled loop instead
(:mod:`lie_sim.simulate.rotation_kernel`: the same sums, a fraction of a microsecond a gate on
small sums). The circuit is read by :mod:`lie_sim.simulate.propagation_circuit`: gates on
three or more qubits decomposed by ``cirq.decompose``, gate maps built once per gate value;
:class:`PreparedCircuit` keeps what it read for further observables.

Truncation after every gate (Rudolph et al.): terms of Pauli weight above ``max_weight`` and
terms with ``|c| < min_abs_coeff`` are dropped. A term ``c·P`` dropped with the gates ``V``
still to come would have added ``c·⟨ψ|V†PV|ψ⟩`` to the value, and ``V†PV`` has operator norm
1, so the error of the final value is at most the sum of the ``|c|`` dropped, for any state
(:attr:`PropagationResult.truncation_bound`).

Gradients (:func:`propagate_with_gradients`) carry tangent coefficients ``∂c/∂s`` for every
symbol ``s`` alongside the coefficients, through the same expansions: a gate whose PTM
``R(s)`` depends on ``s`` adds ``(∂R/∂s)·c``. ``∂R/∂s`` comes from a five-point central
difference of ``cirq.unitary`` of the gate resolved at ``s ± h, s ± 2h`` (``h = 1e-3``;
error about 1e-12 for angles ``a·s`` with ``|a| ≤ π``), which works for any gate Cirq can
give a unitary for, Pauli rotation or not. The result is the derivative of the truncated
expectation, with the truncation decisions fixed at the given parameters.

References:
    Rudolph et al., *Pauli propagation: a computational framework for simulating quantum
    systems*, arXiv 2505.21606 (PauliPropagation.jl).
    Bermejo et al., *Quantum convolutional neural networks are (effectively) classically
    simulable*, arXiv 2408.12739.
    Cerezo et al., *Does provable absence of barren plateaus imply classical simulability?*,
    Nat. Commun. (2025), doi 10.1038/s41467-025-63099-6.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from lie_sim.errors import (
    SimulationLimitError,
)
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    as_observable,
    num_words,
    pack_ints,
    sort_codes,
    unchecked_pauli_sum,
    unpack_ints,
)
from lie_sim.pauli.states import read_state
from lie_sim.simulate import rotation_kernel
from lie_sim.simulate.propagation_circuit import (
    GateMaps,
    gate_steps,
    program,
    ptm_derivatives,
    read_operations,
)
from lie_sim.simulate.transfer import (
    PackedTerms,
    apply_gate,
    truncate,
)
from lie_sim.simulate.transfer_rotation import apply_rotation

if TYPE_CHECKING:
    import cirq

# 2**24 terms: 0.4 GiB at up to 64 qubits (24 bytes a term), a few GiB while a gate expands
DEFAULT_MAX_TERMS = 2**24
EXPANSION_FACTOR = 4  # a gate may expand to this many times max_terms before merging

__all__ = [
    "DEFAULT_MAX_TERMS",
    "PreparedCircuit",
    "PropagationResult",
    "propagate",
    "propagate_with_gradients",
]


@dataclasses.dataclass(frozen=True)
class PropagationResult:
    """The propagated observable ``U†OU`` (truncated) and its value on the initial state.

    Attributes:
        expectation: ``Σ c_P ⟨ψ|P|ψ⟩`` over the final terms.
        num_terms: number of terms at the end.
        truncation_bound: sum of ``|c|`` of every term dropped; ``|exact − expectation|``
            is at most this, for any initial state.
        dropped_terms: number of terms dropped.
        qubits: the qubit order; qubit index ``i`` of :attr:`observable` is ``qubits[i]``.
        x, z, coefficients: the final terms as packed masks and coefficients (arrays,
            read-only; not compared).
    """

    expectation: float
    num_terms: int
    truncation_bound: float
    dropped_terms: int
    qubits: tuple[Any, ...]
    x: np.ndarray = dataclasses.field(repr=False, compare=False)
    z: np.ndarray = dataclasses.field(repr=False, compare=False)
    coefficients: np.ndarray = dataclasses.field(repr=False, compare=False)

    @functools.cached_property
    def observable(self) -> PauliSum:
        """The propagated Pauli sum on qubit indices (terms in canonical order; built on
        first use, one Python object per term)."""
        if not len(self.coefficients):
            return PauliSum()
        codes = sort_codes(self.x, self.z, max(1, len(self.qubits)))
        order = np.lexsort(codes.T[::-1])
        words = [
            PauliWord(a, b)
            for a, b in zip(unpack_ints(self.x[order]), unpack_ints(self.z[order]), strict=True)
        ]
        coefs = self.coefficients[order].tolist()
        return unchecked_pauli_sum(tuple(zip(words, coefs, strict=True)))

    def cirq_observable(self) -> cirq.PauliSum:
        """The propagated sum as a ``cirq.PauliSum`` on :attr:`qubits`."""
        return self.observable.to_cirq(self.qubits)


def propagate(
    circuit: cirq.AbstractCircuit,
    observable: Any,
    param_resolver: cirq.ParamResolverOrSimilarType = None,
    *,
    max_weight: int | None = None,
    min_abs_coeff: float = 0.0,
    initial_state: Any = None,
    qubits: Sequence[cirq.Qid] | None = None,
    max_terms: int = DEFAULT_MAX_TERMS,
) -> PropagationResult:
    """Pull ``observable`` back through ``circuit`` (Heisenberg picture) and evaluate it.

    Args:
        circuit: a circuit of unitary gates; symbols are resolved by ``param_resolver``.
        observable: ``cirq.PauliString``, ``cirq.PauliSum``, :class:`~lie_sim.PauliSum` or
            Pauli text (text qubit ``i`` is ``qubits[i]``); real coefficients.
        param_resolver: values of the circuit's symbols.
        max_weight: drop terms acting on more qubits than this after every gate.
        min_abs_coeff: drop terms with ``|c|`` below this after every gate.
        initial_state: ``None`` for ``|0…0⟩``, product-state text such as ``"+0-1"``, a
            basis-state int, a ``cirq.ProductState``, a list of single-qubit states, or a
            state vector (small n); see :mod:`lie_sim.pauli.states`.
        qubits: qubit order (default: the circuit's qubits, sorted).
        max_terms: stop with an error when the sum grows past this many terms.

    Returns:
        The propagated sum, its expectation and the truncation bookkeeping.

    Raises:
        ParameterError: a symbol of the circuit has no value.
        UnsupportedGateError: a measurement, channel, qudit gate or a gate on three or more
            qubits that Cirq cannot decompose (named with its moment).
        ObservableError: the observable acts on qubits outside ``qubits`` or is not real.
        SimulationLimitError: the sum grew past ``max_terms`` terms.
        StateError: an initial state of the wrong size or norm (checked before propagating).
        ValueError: a negative or non-integer ``max_weight``, a negative or non-finite
            ``min_abs_coeff``.

    Example:
        >>> import cirq
        >>> a, b = cirq.LineQubit.range(2)
        >>> circuit = cirq.Circuit(cirq.rx(0.4)(a), cirq.CNOT(a, b))
        >>> r = propagate(circuit, cirq.Z(b))
        >>> round(r.expectation, 6), r.num_terms
        (0.921061, 2)
        >>> print(r.observable)  # sin(0.4) Y0 Z1 + cos(0.4) Z0 Z1
        0.3894183423086504 Y0 Z1 + 0.9210609940028851 Z0 Z1
    """
    _check_settings(max_weight, min_abs_coeff, max_terms)
    prepared = PreparedCircuit(circuit, param_resolver, qubits=qubits)
    return prepared.propagate(
        observable,
        max_weight=max_weight,
        min_abs_coeff=min_abs_coeff,
        initial_state=initial_state,
        max_terms=max_terms,
    )


def propagate_with_gradients(
    circuit: cirq.AbstractCircuit,
    observable: Any,
    param_resolver: cirq.ParamResolverOrSimilarType,
    *,
    max_weight: int | None = None,
    min_abs_coeff: float = 0.0,
    initial_state: Any = None,
    qubits: Sequence[cirq.Qid] | None = None,
    max_terms: int = DEFAULT_MAX_TERMS,
) -> tuple[PropagationResult, dict[str, float]]:
    """:func:`propagate` and the derivative of its expectation with respect to every symbol.

    Tangent coefficients (one column per symbol) travel with the terms; each parameterized
    gate adds ``(∂R/∂s)·c`` with ``∂R/∂s`` from a five-point stencil of ``cirq.unitary``
    (module docstring). The derivative is that of the truncated expectation with the
    truncation decisions taken at ``param_resolver``. Memory grows with terms × symbols.

    Returns:
        The result of :func:`propagate` and ``{symbol name: derivative}``.

    Example:
        >>> import cirq, sympy
        >>> q = cirq.LineQubit(0)
        >>> c = cirq.Circuit(cirq.rx(sympy.Symbol("t"))(q))
        >>> r, g = propagate_with_gradients(c, cirq.Z(q), {"t": 0.5})
        >>> bool(np.isclose(g["t"], -np.sin(0.5)))
        True
    """
    _check_settings(max_weight, min_abs_coeff, max_terms)
    prepared = PreparedCircuit(circuit, param_resolver, qubits=qubits)
    run = _Run.prepare(prepared, observable, initial_state, max_weight, min_abs_coeff, max_terms)
    terms = run.propagate(gradients=True)
    result, values = run.result(terms)
    grads = values @ terms.t
    return result, {name: float(g) for name, g in zip(prepared.symbols, grads, strict=True)}


# ------------------------------------------------------------------------------ the run


class PreparedCircuit:
    """A resolved circuit read once for propagation: many observables or truncations without
    reading the circuit again.

    :func:`propagate` reads the circuit on every call (resolving symbols, building gate maps,
    gathering the rotations for the compiled kernel), which for a shallow circuit with small
    sums costs more than the propagation itself. Reading it once pays off for sweeps over
    observables (every local term of a Hamiltonian) or over truncation settings.

    Args:
        circuit: a circuit of unitary gates; symbols are resolved by ``param_resolver``.
        param_resolver: values of the circuit's symbols.
        qubits: qubit order (default: the circuit's qubits, sorted).

    Raises:
        ParameterError: a symbol of the circuit has no value.
        UnsupportedGateError: a measurement, channel, qudit gate or a gate on three or more
            qubits that Cirq cannot decompose (named with its moment).
        ValueError: the circuit acts on a qubit outside ``qubits``.

    Example:
        >>> import cirq
        >>> q = cirq.LineQubit.range(3)
        >>> prepared = PreparedCircuit(cirq.Circuit(cirq.rx(0.4).on_each(*q), cirq.CZ(*q[:2])))
        >>> [round(prepared.propagate(cirq.Z(qubit)).expectation, 6) for qubit in q]
        [0.921061, 0.921061, 0.921061]
    """

    def __init__(
        self,
        circuit: cirq.AbstractCircuit,
        param_resolver: cirq.ParamResolverOrSimilarType = None,
        *,
        qubits: Sequence[cirq.Qid] | None = None,
    ):
        self.qubits, self._operations, self._resolver, self.symbols = read_operations(
            circuit, param_resolver, qubits
        )
        self._maps = GateMaps()
        self._program: list | None = None

    def propagate(
        self,
        observable: Any,
        *,
        max_weight: int | None = None,
        min_abs_coeff: float = 0.0,
        initial_state: Any = None,
        max_terms: int = DEFAULT_MAX_TERMS,
    ) -> PropagationResult:
        """:func:`propagate` through this circuit (same arguments, same result)."""
        run = _Run.prepare(self, observable, initial_state, max_weight, min_abs_coeff, max_terms)
        return run.result(run.propagate(gradients=False))[0]

    def steps(self, *, gradients: bool) -> list:
        """Placed steps and compiled runs, in the order they act on the observable."""
        if gradients:

            def derivatives(op: Any) -> dict[int, np.ndarray]:
                return ptm_derivatives(op, self._resolver, self.symbols)

            steps = gate_steps(
                self._operations, self.qubits, self._maps, derivatives, len(self.symbols)
            )
            return [(*self._maps.placed(g, positions), op, m) for g, positions, op, m in steps]
        if self._program is None:
            steps = gate_steps(self._operations, self.qubits, self._maps)
            self._program = program(steps, self._maps)
        return self._program


@dataclasses.dataclass
class _Run:
    """A validated propagation problem: a read circuit, an observable and settings."""

    circuit: PreparedCircuit
    state: Any  # the initial state's expectation table (lie_sim.pauli.states)
    observable: PauliSum
    max_weight: int | None
    min_abs_coeff: float
    max_terms: int

    @classmethod
    def prepare(
        cls,
        circuit: PreparedCircuit,
        observable: Any,
        initial_state: Any,
        max_weight: Any,
        min_abs_coeff: Any,
        max_terms: Any,
    ) -> _Run:
        _check_settings(max_weight, min_abs_coeff, max_terms)
        qubits = circuit.qubits
        obs = as_observable(observable, qubits)
        state = read_state(initial_state, len(qubits), qubits)  # checked before the work
        return cls(
            circuit,
            state,
            obs,
            None if max_weight is None else int(max_weight),
            float(min_abs_coeff),
            int(max_terms),
        )

    @property
    def qubits(self) -> tuple[Any, ...]:
        return self.circuit.qubits

    def propagate(self, *, gradients: bool) -> PackedTerms:
        n = len(self.qubits)
        nwords = num_words(n)
        words = self.observable.words
        terms = PackedTerms(
            pack_ints([w.x for w in words], nwords),
            pack_ints([w.z for w in words], nwords),
            np.array([float(c) for c in self.observable.coefficients], dtype=float),
            np.zeros((len(words), len(self.circuit.symbols))) if gradients else None,
        )
        truncate(terms, np.arange(len(terms.c)), self.max_weight, self.min_abs_coeff)
        max_rows = EXPANSION_FACTOR * self.max_terms
        cut = (self.max_weight, self.min_abs_coeff)
        reach = functools.reduce(operator.or_, (w.x | w.z for w in words), 0)
        for step in self.circuit.steps(gradients=gradients):
            if isinstance(step, rotation_kernel.RotationRun):
                reach |= self._run_compiled(terms, step, max_rows)
                continue
            gate, support, op, moment = step
            if not reach & support:
                continue  # every term is the identity on the gate's qubits

            def too_many(count: int, op: Any = op, moment: int = moment) -> Exception:
                return self._limit_error(count, op, moment, before_merge=True)

            if gate.axis is not None and not gradients:
                if not apply_rotation(terms, gate, n, cut, max_rows, too_many):
                    continue
            else:
                changed = apply_gate(terms, gate, max_rows, too_many)
                if not len(changed):
                    continue
                truncate(terms, changed, self.max_weight, self.min_abs_coeff)
            reach |= support
            if len(terms.c) > self.max_terms:
                raise self._limit_error(len(terms.c), op, moment, before_merge=False)
        return terms

    def _run_compiled(
        self, terms: PackedTerms, run: rotation_kernel.RotationRun, max_rows: int
    ) -> int:
        """Apply ``run`` by the compiled kernel; the qubits the terms may now act on."""
        cut = (self.max_weight, self.min_abs_coeff)
        status, count, owner = rotation_kernel.run_rotations(
            terms, run, cut, max_rows, self.max_terms
        )
        if status:
            op, moment = owner
            before_merge = status == rotation_kernel.TOO_MANY_ROWS
            raise self._limit_error(count, op, moment, before_merge=before_merge)
        return int.from_bytes(terms.reach.astype("<u8").tobytes(), "little")

    def _limit_error(
        self, count: int, op: Any, moment: int, *, before_merge: bool
    ) -> SimulationLimitError:
        what = "would expand to" if before_merge else "reached"
        limit = EXPANSION_FACTOR * self.max_terms if before_merge else self.max_terms
        return SimulationLimitError(
            f"Pauli propagation {what} {count} terms at {op!r} (moment {moment}), above "
            f"{'the expansion limit ' if before_merge else ''}{limit} "
            f"(max_terms={self.max_terms}); truncate with max_weight=... (now "
            f"{self.max_weight}) or min_abs_coeff=... (now {self.min_abs_coeff}), or raise "
            "max_terms",
            dim_reached=count,
            limit=limit,
            space="Pauli propagation",
        )

    def result(self, terms: PackedTerms) -> tuple[PropagationResult, np.ndarray]:
        """The result, and ``⟨ψ|P|ψ⟩`` of each final term."""
        values = np.zeros(0)
        if terms.size:
            values = np.asarray(self.state.expectations(terms.x, terms.z), dtype=float)
        x, z, c = (np.array(a) for a in (terms.x, terms.z, terms.c))
        for a in (x, z, c):
            a.flags.writeable = False
        out = PropagationResult(
            expectation=float(values @ c),
            num_terms=len(c),
            truncation_bound=terms.bound,
            dropped_terms=terms.dropped,
            qubits=self.qubits,
            x=x,
            z=z,
            coefficients=c,
        )
        return out, values


def _check_settings(max_weight: Any, min_abs_coeff: Any, max_terms: Any) -> None:
    if max_weight is not None and (
        isinstance(max_weight, bool)
        or not isinstance(max_weight, numbers.Integral)
        or max_weight < 0
    ):
        raise ValueError(f"max_weight must be a non-negative integer or None, got {max_weight!r}")
    if (
        isinstance(min_abs_coeff, bool)
        or not isinstance(min_abs_coeff, numbers.Real)
        or not math.isfinite(min_abs_coeff)
        or min_abs_coeff < 0
    ):
        raise ValueError(
            f"min_abs_coeff must be a non-negative finite number, got {min_abs_coeff!r}"
        )
    if isinstance(max_terms, bool) or not isinstance(max_terms, numbers.Integral) or max_terms < 1:
        raise ValueError(f"max_terms must be a positive integer, got {max_terms!r}")
