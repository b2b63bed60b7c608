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
* any other gate (Pauli rotations: two entries ``cos θ``, ``± sin θ`` per anticommuting
  column, so ``Q ↦ cos θ·Q + sin θ·(i/2)[P, Q]`` for ``e^{-iθP/2}``; ``cirq.MatrixGate``,
  FSim, T: up to 16) expands each touched term along its column. Outputs can only coincide
  with outputs of terms that agree off the support (untouched strings have rows of ``R``
  that are trivial too), so the merge groups the touched terms by their off-support part
  (one sort of the touched terms) and sums equal (group, local letters) with ``bincount``.

Terms live in arrays: packed ``uint64`` masks ``(m, words)`` and ``float64`` coefficients;
the only Python loop is over the gates. Gates on three or more qubits are decomposed by
``cirq.decompose`` first.

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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from lie_sim.errors import (
    ObservableError,
    ParameterError,
    SimulationLimitError,
    UnsupportedGateError,
)
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    as_pauli_sum,
    num_words,
    pack_ints,
    popcount,
    sort_codes,
    unchecked_pauli_sum,
    unpack_ints,
)
from lie_sim.pauli.states import read_state
from lie_sim.simulate.transfer import (
    DERIVATIVE_STEP,
    stencil_derivative,
    transfer_matrix,
)

if TYPE_CHECKING:
    import cirq

DEFAULT_MAX_TERMS = 2**24  # about 0.5 GiB of terms at up to 64 qubits
EXPANSION_FACTOR = 4  # a gate may expand to this many times max_terms before merging
PTM_ATOL = 1e-15  # PTM entries below this are dropped

__all__ = [
    "DEFAULT_MAX_TERMS",
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
        """The propagated Pauli sum on qubit indices (terms in canonical order)."""
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
    run = _Run.prepare(
        circuit,
        observable,
        param_resolver,
        qubits,
        initial_state,
        max_weight,
        min_abs_coeff,
        max_terms,
    )
    terms = run.propagate(gradients=False)
    return run.result(terms)[0]


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
    run = _Run.prepare(
        circuit,
        observable,
        param_resolver,
        qubits,
        initial_state,
        max_weight,
        min_abs_coeff,
        max_terms,
    )
    terms = run.propagate(gradients=True)
    result, values = run.result(terms)
    grads = values @ terms.t
    return result, {name: float(g) for name, g in zip(run.symbols, grads, strict=True)}


# ------------------------------------------------------------------------------ the terms


class _Terms:
    """Mutable working set in growable buffers: masks, coefficients and (optionally) tangents
    ``(m, symbols)``. Rows are removed by moving tail rows into the holes and appended into
    spare capacity, so a gate costs work in the rows it touches, not a copy of all of them.
    """

    def __init__(self, x: np.ndarray, z: np.ndarray, c: np.ndarray, t: np.ndarray | None):
        self._arrays = [x.copy(), z.copy(), c.copy()] + ([] if t is None else [t.copy()])
        self.size = len(c)
        self.bound = 0.0
        self.dropped = 0
        # qubits some term may act on (a superset: removals do not shrink it)
        self.reach = (
            np.bitwise_or.reduce(x | z, axis=0) if len(c) else np.zeros(x.shape[1], x.dtype)
        )

    @property
    def x(self) -> np.ndarray:
        return self._arrays[0][: self.size]

    @property
    def z(self) -> np.ndarray:
        return self._arrays[1][: self.size]

    @property
    def c(self) -> np.ndarray:
        return self._arrays[2][: self.size]

    @property
    def t(self) -> np.ndarray | None:
        return self._arrays[3][: self.size] if len(self._arrays) > 3 else None

    def replace(self, rows: np.ndarray, new: Sequence[np.ndarray]) -> np.ndarray:
        """Put the ``new`` rows (x, z, c[, t]) in place of ``rows`` (sorted); return where they
        now are."""
        k, p = len(rows), len(new[0])
        if p <= k:
            self.reach |= np.bitwise_or.reduce(new[0] | new[1], axis=0)
            for array, values in zip(self._arrays, new, strict=True):
                array[rows[:p]] = values
            # rows[:p] are all below size − (k − p), so removing rows[p:] never moves them
            self.remove(rows[p:])
            return rows[:p]
        self.reach |= np.bitwise_or.reduce(new[0] | new[1], axis=0)
        start = self.size
        self._reserve(p - k)
        for array, values in zip(self._arrays, new, strict=True):
            array[rows] = values[:k]
            array[start : start + p - k] = values[k:]
        self.size += p - k
        return np.concatenate([rows, np.arange(start, self.size)])

    def remove(self, rows: np.ndarray) -> None:
        """Remove the distinct ``rows``, filling holes with rows from the tail."""
        if not len(rows):
            return
        cut = self.size - len(rows)
        holes = rows[rows < cut]
        tail = np.ones(len(rows), dtype=bool)
        tail[rows[rows >= cut] - cut] = False
        movers = cut + np.flatnonzero(tail)
        for array in self._arrays:
            array[holes] = array[movers]
        self.size = cut

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if need <= len(self._arrays[2]):
            return
        capacity = max(need, 2 * len(self._arrays[2]))
        grown = []
        for array in self._arrays:
            bigger = np.empty((capacity, *array.shape[1:]), dtype=array.dtype)
            bigger[: self.size] = array[: self.size]
            grown.append(bigger)
        self._arrays = grown


@dataclasses.dataclass(frozen=True)
class _LocalMap:
    """One gate as a PTM on its support, in the column form the expansion reads.

    Attributes:
        words, bits: word index and bit of each support qubit (``op.qubits`` order); empty
            until placed with :meth:`on`.
        active: per local index ``b``, whether the column is non-trivial.
        counts, starts: entries per column and their offsets in ``rows``/``values``.
        rows, values: row index and value of each kept entry, column by column.
        tangents: ``(symbols, entries)`` derivative of each entry (None without gradients).
        permutation: every active column has a single entry (a signed permutation).
    """

    words: tuple[int, ...]
    bits: tuple[int, ...]
    active: np.ndarray
    counts: np.ndarray
    starts: np.ndarray
    rows: np.ndarray
    values: np.ndarray
    tangents: np.ndarray | None
    permutation: bool

    @classmethod
    def build(
        cls,
        r: np.ndarray,
        derivatives: dict[int, np.ndarray] | None,
        num_symbols: int,
    ) -> _LocalMap:
        pattern = np.abs(r) >= PTM_ATOL
        for d in (derivatives or {}).values():
            pattern |= d != 0
        size = len(r)
        eye = np.eye(size, dtype=bool)
        trivial = np.all(pattern == eye, axis=0) & (np.diag(r) == 1.0)
        for d in (derivatives or {}).values():
            trivial &= ~np.any(d != 0, axis=0)
        col, row = np.nonzero(pattern.T)  # entries column by column
        counts = np.bincount(col, minlength=size)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        tangents = None
        if derivatives is not None:
            tangents = np.zeros((num_symbols, len(row)))
            for s, d in derivatives.items():
                tangents[s] = d[row, col]
        active = ~trivial
        return cls(
            words=(),
            bits=(),
            active=active,
            counts=counts,
            starts=starts,
            rows=row.astype(np.int64),
            values=r[row, col],
            tangents=tangents,
            permutation=bool(np.all(counts[active] == 1)),
        )

    def on(self, positions: Sequence[int]) -> _LocalMap:
        """The same map on the qubit indices ``positions`` (``op.qubits`` order)."""
        return dataclasses.replace(
            self, words=tuple(q // 64 for q in positions), bits=tuple(q % 64 for q in positions)
        )

    @property
    def is_identity(self) -> bool:
        return not self.active.any()

    def local_index(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Base-4 local letter index of every string (digit ``j`` on support qubit ``j``)."""
        out = np.zeros(len(x), dtype=np.int64)
        for j, (w, b) in enumerate(zip(self.words, self.bits, strict=True)):
            shift = np.uint64(b)
            lx = (x[:, w] >> shift) & np.uint64(1)
            lz = (z[:, w] >> shift) & np.uint64(1)
            out += (lx + 2 * lz).astype(np.int64) << (2 * j)
        return out

    def word_masks(self) -> list[tuple[int, np.uint64]]:
        """``(word, mask of the support bits in it)`` for each word the support touches."""
        masks: dict[int, int] = {}
        for w, b in zip(self.words, self.bits, strict=True):
            masks[w] = masks.get(w, 0) | 1 << b
        return [(w, np.uint64(m)) for w, m in masks.items()]

    def support_masks(self, nwords: int) -> np.ndarray:
        mask = np.zeros(nwords, dtype=np.uint64)
        for w, b in zip(self.words, self.bits, strict=True):
            mask[w] |= np.uint64(1) << np.uint64(b)
        return mask

    def write_letters(self, x: np.ndarray, z: np.ndarray, index: np.ndarray) -> None:
        """Set the support letters of rows ``x``, ``z`` (cleared there) to ``index``."""
        for j, (w, b) in enumerate(zip(self.words, self.bits, strict=True)):
            letter = (index >> (2 * j)) & 3
            shift = np.uint64(b)
            x[:, w] |= (letter & 1).astype(np.uint64) << shift
            z[:, w] |= (letter >> 1).astype(np.uint64) << shift


def _apply(terms: _Terms, gate: _LocalMap, max_rows: int) -> np.ndarray:
    """Apply one gate to ``terms`` in place; return the indices of changed rows."""
    masks = gate.word_masks()
    if not any(terms.reach[w] & mask for w, mask in masks):
        return np.zeros(0, dtype=np.int64)  # outside the light cone of every term
    hit = np.zeros(terms.size, dtype=bool)
    for w, mask in masks:
        hit |= ((terms.x[:, w] | terms.z[:, w]) & mask) != 0
    candidates = np.flatnonzero(hit)
    index = gate.local_index(terms.x[candidates], terms.z[candidates])
    active = gate.active[index]
    touched, b = candidates[active], index[active]
    if not len(touched):
        return touched
    if gate.permutation:
        _permute(terms, gate, touched, b)
        for w, mask in masks:
            terms.reach[w] |= mask
        return touched
    counts = gate.counts[b]
    total = int(counts.sum())
    if total + terms.size - len(touched) > max_rows:
        raise _LimitReached(total + terms.size - len(touched), before_merge=True)
    new = _expand(terms, gate, touched, b, counts, total)
    return terms.replace(touched, [a for a in new if a is not None])


def _permute(terms: _Terms, gate: _LocalMap, touched: np.ndarray, b: np.ndarray) -> None:
    entry = gate.starts[b]
    value = gate.values[entry]
    x, z = terms.x[touched], terms.z[touched]
    support = ~gate.support_masks(x.shape[1])
    x &= support
    z &= support
    gate.write_letters(x, z, gate.rows[entry])
    terms.x[touched], terms.z[touched] = x, z
    old = terms.c[touched]
    terms.c[touched] = old * value
    if terms.t is not None:
        terms.t[touched] = (
            terms.t[touched] * value[:, None] + old[:, None] * gate.tangents[:, entry].T
        )


def _expand(
    terms: _Terms,
    gate: _LocalMap,
    touched: np.ndarray,
    b: np.ndarray,
    counts: np.ndarray,
    total: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The merged images of the touched terms (each expanded along its PTM column)."""
    support = ~gate.support_masks(terms.x.shape[1])
    off_x, off_z = terms.x[touched] & support, terms.z[touched] & support
    group, first = _row_groups(off_x, off_z)
    offsets = np.cumsum(counts) - counts
    entry = np.repeat(gate.starts[b] - offsets, counts) + np.arange(total)
    source = np.repeat(np.arange(len(touched)), counts)
    size = len(gate.counts)
    key = group[source] * size + gate.rows[entry]
    coef = terms.c[touched][source] * gate.values[entry]
    if terms.t is None:
        slots = np.bincount(key, minlength=len(first) * size)
        sums = np.bincount(key, weights=coef, minlength=len(first) * size)
        keys = np.flatnonzero(slots)
        new_c, new_t = sums[keys], None
    else:
        tangent = terms.t[touched][source] * gate.values[entry][:, None]
        tangent += terms.c[touched][source][:, None] * gate.tangents[:, entry].T
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        keys = key[starts]
        new_c = np.add.reduceat(coef[order], starts)
        new_t = np.add.reduceat(tangent[order], starts, axis=0)
    rep = first[keys // size]
    new_x, new_z = off_x[rep], off_z[rep]
    gate.write_letters(new_x, new_z, keys % size)
    return new_x, new_z, new_c, new_t


def _row_groups(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group id of each row of ``(x, z)`` and the first row of each group."""
    both = np.concatenate([x, z], axis=1)
    used = both[:, np.any(both != 0, axis=0)]  # words some row sets (few, in a light cone)
    if used.shape[1] <= 1:
        key = used[:, 0] if used.shape[1] else np.zeros(len(x), dtype=np.uint64)
        _, first, group = np.unique(key, return_index=True, return_inverse=True)
        return group.ravel(), first
    order = np.lexsort(used.T[::-1])
    ordered = used[order]
    change = np.ones(len(order), dtype=bool)
    change[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(change) - 1
    return group, order[change]


class _LimitReached(Exception):
    def __init__(self, count: int, *, before_merge: bool):
        self.count = count
        self.before_merge = before_merge


def _truncate(terms: _Terms, changed: np.ndarray, max_weight: int | None, min_abs: float) -> None:
    """Drop changed rows that are too heavy or too small; zero rows are dropped silently."""
    if not len(changed):
        return
    c = terms.c[changed]
    zero = c == 0
    if terms.t is not None:
        zero &= ~np.any(terms.t[changed] != 0, axis=1)
    drop = np.abs(c) < min_abs
    if max_weight is not None:
        drop |= popcount(terms.x[changed] | terms.z[changed]) > max_weight
    drop &= ~zero
    if not (drop.any() or zero.any()):
        return
    terms.bound += float(np.abs(c[drop]).sum())
    terms.dropped += int(drop.sum())
    terms.remove(changed[drop | zero])


# ------------------------------------------------------------------------------ the run


@dataclasses.dataclass
class _Run:
    """A validated propagation problem: operations, observable and settings."""

    operations: list[tuple[int, Any, Any]]  # (moment, original op, resolved op)
    qubits: tuple[Any, ...]
    state: Any  # the initial state's expectation table (lie_sim.pauli.states)
    observable: PauliSum
    resolver: dict[Any, float]
    symbols: list[str]
    max_weight: int | None
    min_abs_coeff: float
    max_terms: int

    @classmethod
    def prepare(
        cls,
        circuit: Any,
        observable: Any,
        param_resolver: Any,
        qubits: Sequence[Any] | None,
        initial_state: Any,
        max_weight: Any,
        min_abs_coeff: Any,
        max_terms: Any,
    ) -> _Run:
        import cirq

        _check_settings(max_weight, min_abs_coeff, max_terms)
        qubits = tuple(sorted(circuit.all_qubits()) if qubits is None else qubits)
        outside = sorted(set(circuit.all_qubits()) - set(qubits))
        if outside:
            raise ValueError(
                f"The circuit acts on {outside[0]!r}, which is not among the qubits {list(qubits)}"
            )
        obs = as_pauli_sum(observable, qubits, name="The observable", error=ObservableError)
        if any(isinstance(c, complex) for c in obs.coefficients):
            raise ObservableError(
                f"The observable {obs} has complex coefficients; Pauli propagation needs a "
                "Hermitian observable (real coefficients)"
            )
        state = read_state(initial_state, len(qubits), qubits)  # checked before the work
        resolver, symbols = _resolver_values(circuit, param_resolver)
        resolved = cirq.ParamResolver(resolver)
        operations = [
            (moment, op, cirq.resolve_parameters(op, resolved))
            for moment, op in _operations(circuit)
        ]
        return cls(
            operations,
            qubits,
            state,
            obs,
            resolver,
            symbols,
            None if max_weight is None else int(max_weight),
            float(min_abs_coeff),
            int(max_terms),
        )

    def propagate(self, *, gradients: bool) -> _Terms:
        n = len(self.qubits)
        nwords = num_words(n)
        words = self.observable.words
        terms = _Terms(
            pack_ints([w.x for w in words], nwords),
            pack_ints([w.z for w in words], nwords),
            np.array([float(c) for c in self.observable.coefficients], dtype=float),
            np.zeros((len(words), len(self.symbols))) if gradients else None,
        )
        _truncate(terms, np.arange(len(terms.c)), self.max_weight, self.min_abs_coeff)
        index = {q: i for i, q in enumerate(self.qubits)}
        maps: dict[Any, _LocalMap] = {}  # by gate value, for gates without symbols
        for moment, op, rop in reversed(self.operations):
            derivatives = self._derivatives(op) if gradients else None
            key = None if derivatives else _gate_key(rop)
            gate = maps.get(key) if key is not None else None
            if gate is None:
                r = _transfer_matrix(rop, moment)
                gate = _LocalMap.build(r, derivatives, len(self.symbols))
                if key is not None:
                    maps[key] = gate
            if gate.is_identity:
                continue
            gate = gate.on([index[q] for q in rop.qubits])
            try:
                changed = _apply(terms, gate, EXPANSION_FACTOR * self.max_terms)
            except _LimitReached as e:
                raise self._limit_error(e.count, op, moment, before_merge=True) from None
            _truncate(terms, changed, self.max_weight, self.min_abs_coeff)
            if len(terms.c) > self.max_terms:
                raise self._limit_error(len(terms.c), op, moment, before_merge=False)
        return terms

    def _derivatives(self, op: Any) -> dict[int, np.ndarray]:
        import cirq

        names = sorted(str(s) for s in cirq.parameter_symbols(op))
        out: dict[int, np.ndarray] = {}
        for name in names:
            values = []
            for step in (-2, -1, 1, 2):
                shifted = dict(self.resolver)
                shifted[name] = self.resolver[name] + step * DERIVATIVE_STEP
                rop = cirq.resolve_parameters(op, cirq.ParamResolver(shifted))
                values.append(transfer_matrix(cirq.unitary(rop)))
            out[self.symbols.index(name)] = stencil_derivative(values)
        return out

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

    def result(self, terms: _Terms) -> tuple[PropagationResult, np.ndarray]:
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
    """``(moment, op)`` in circuit order, ops on three or more qubits decomposed."""
    import cirq

    for moment, layer in enumerate(circuit):
        for op in layer.operations:
            yield from ((moment, piece) for piece in _pieces(op, moment, cirq))


def _pieces(op: Any, moment: int, cirq: Any) -> list[Any]:
    if cirq.is_measurement(op):
        raise _unsupported(op, moment, "it is a measurement")
    if any(q.dimension != 2 for q in op.qubits):
        raise _unsupported(op, moment, "it acts on a qudit")
    if not op.qubits or isinstance(op.gate, cirq.IdentityGate | cirq.GlobalPhaseGate):
        return []
    if len(op.qubits) <= 2:
        return [op]
    pieces = cirq.decompose(op, keep=lambda o: len(o.qubits) <= 2, on_stuck_raise=None)
    if any(len(p.qubits) > 2 for p in pieces):
        raise _unsupported(op, moment, "Cirq cannot decompose it into one- and two-qubit gates")
    return [p for piece in pieces for p in _pieces(piece, moment, cirq)]


def _unsupported(op: Any, moment: int, reason: str) -> UnsupportedGateError:
    return UnsupportedGateError(
        f"Cannot propagate through {op!r} (moment {moment}): {reason}; supported: unitary "
        "gates on qubits (one- and two-qubit gates directly, larger ones that cirq.decompose "
        "breaks into those)"
    )


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
        raise _unsupported(op, moment, "it has no unitary (a channel, reset or noise)")
    return transfer_matrix(cirq.unitary(op))
