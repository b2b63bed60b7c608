"""Predicted loss mean and variance of deep parameterized circuits from the Lie algebra.

For a loss ``ℓ = Tr(U ρ U† O)`` with ``U`` drawn from a 2-design on the dynamical Lie group
``G = e^g`` (a deep circuit of the generators with random angles), Ragone et al. (Theorem 1)
give, when ``O ∈ i·g`` or ``ρ ∈ i·g``::

    E[ℓ]   = Tr(O)/2^n + Tr(ρ_c O_c)
    Var[ℓ] = Σ_j P_{g_j}(ρ) · P_{g_j}(O) / dim(g_j)

over the simple ideals ``g_j`` of ``g = g_1 ⊕ … ⊕ g_k ⊕ c``; the centre ``c`` is fixed by ``G``
and adds no variance, only the mean. ``H_g`` is the Hilbert–Schmidt projection of ``H`` onto
``i·g``, and the *g-purity* is ``P_g(H) = Tr(H_g²) = Σ_k Tr(B_k H)²`` over a basis ``{B_k}`` of
``i·g`` with ``Tr(B_k B_l) = δ_kl``. "In ``i·g``" means up to a multiple of the identity,
which only shifts ``ℓ`` by a constant (``ρ`` has trace 1, so ``ρ − I/2^n`` is what is tested).

Derivation sketch: the group is a product of the simple factors' groups and the centre's
torus, which acts trivially. A Haar twirl maps an element of a simple ideal to 0 (its adjoint
representation is irreducible and non-trivial), which gives the mean; the cross terms of
different ideals vanish by independence, and Schur orthogonality of the (real, irreducible)
adjoint representation gives ``E[Tr(ρ_j U†O_jU)²] = |ρ_j|²|O_j|²/dim(g_j)``. If neither ``O``
nor ``ρ − I/2^n`` lies in ``i·g``, the loss depends on representations of ``G`` outside ``g``
and the formula does not apply: :class:`FormulaNotApplicableError` is raised.

Normalisations. ``lie_sim.algebra.structure`` gives bases orthonormal in the Pauli inner product
``Σ_P a_P b_P = Tr(AB)/2^n``; with ``b_k`` such a basis, ``r_k = Tr(ρ b_k) = Σ_P b_kP ⟨P⟩_ρ``
and ``o_k = Σ_P b_kP o_P``, one has ``P_g(ρ) = Σ r_k² / 2^n`` and ``P_g(O) = 2^n Σ o_k²``, so
each ideal contributes ``Σ r_k² · Σ o_k² / dim`` and ``2^n`` never needs to be formed. For a
product state ``⟨P⟩_ρ`` is a product of single-qubit Bloch components, so any n works;
a state vector is used directly at small n.

References:
    M. Ragone et al., *A Lie algebraic theory of barren plateaus for deep parameterized
    quantum circuits*, Nat. Commun. 15, 7172 (2024), Theorem 1; E. Fontana et al., *The
    adjoint is all you need*, Nat. Commun. 15, 7171 (2024).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.cirq_types import is_cirq
from lie_sim.errors import FormulaNotApplicableError, ObservableError, StateError
from lie_sim.pauli.paulis import PauliSum, PauliWord, as_pauli_sum

if TYPE_CHECKING:
    import cirq

DEFAULT_RTOL = 1e-9
STATE_ATOL = 1e-6  # norm tolerance of state vectors (qsim states are complex64)

# Bloch components indexed by x + 2z of a single-qubit Pauli: (I, X, Z, Y).
_NAMED_STATES = {
    "0": (0.0, 0.0, 1.0),
    "1": (0.0, 0.0, -1.0),
    "+": (1.0, 0.0, 0.0),
    "-": (-1.0, 0.0, 0.0),
    "r": (0.0, 1.0, 0.0),
    "l": (0.0, -1.0, 0.0),
}


@dataclasses.dataclass(frozen=True)
class IdealContribution:
    """One simple ideal's share of the variance.

    Attributes:
        family: ``"su"``, ``"so"`` or ``"sp"``.
        n: the N of ``family(N)``.
        dim: dimension of the ideal.
        state_purity: ``P_{g_j}(ρ) = Tr(ρ_j²)`` (at most 1).
        observable_purity: ``P_{g_j}(O) = Tr(O_j²)`` (``2^n`` for a Pauli string in ``i·g_j``).
        variance: ``state_purity · observable_purity / dim``.
    """

    family: str
    n: int
    dim: int
    state_purity: float
    observable_purity: float
    variance: float

    @property
    def name(self) -> str:
        return f"{self.family}({self.n})"


@dataclasses.dataclass(frozen=True)
class VariancePrediction:
    """Predicted mean and variance of ``ℓ = Tr(U ρ U† O)`` over the dynamical Lie group.

    Attributes:
        variance: ``Var[ℓ] = Σ_j P_{g_j}(ρ) P_{g_j}(O) / dim(g_j)``.
        mean: ``E[ℓ] = Tr(O)/2^n + Tr(ρ_c O_c)``.
        ideals: per simple ideal, its purities and contribution.
        center_dim: dimension of the centre.
        center_state_purity: ``P_c(ρ)``.
        center_observable_purity: ``P_c(O)``.
        observable_in_algebra: whether ``O − Tr(O)/2^n`` lies in ``i·g``.
        state_in_algebra: whether ``ρ − I/2^n`` lies in ``i·g``.
        num_qubits: n.
    """

    variance: float
    mean: float
    ideals: tuple[IdealContribution, ...]
    center_dim: int
    center_state_purity: float
    center_observable_purity: float
    observable_in_algebra: bool
    state_in_algebra: bool
    num_qubits: int

    def __str__(self) -> str:
        where = "O ∈ ig" if self.observable_in_algebra else "ρ ∈ ig"
        lines = [f"Var[ℓ] = {self.variance:.6g}, E[ℓ] = {self.mean:.6g}  ({where})"]
        for c in self.ideals:
            lines.append(
                f"  {c.name:<8} dim {c.dim:<6} P(ρ) = {c.state_purity:.6g}  "
                f"P(O) = {c.observable_purity:.6g}  → {c.variance:.6g}"
            )
        if self.center_dim:
            lines.append(
                f"  centre   dim {self.center_dim:<6} P(ρ) = {self.center_state_purity:.6g}  "
                f"P(O) = {self.center_observable_purity:.6g}  → mean only"
            )
        return "\n".join(lines)


def loss_variance(
    dla: DynamicalLieAlgebra,
    observable: cirq.PauliString | cirq.PauliSum | PauliSum | str,
    initial_state: Any = None,
    *,
    rtol: float = DEFAULT_RTOL,
    decomposition: Any = None,
) -> VariancePrediction:
    """Predicted variance and mean of ``Tr(U ρ U† O)`` for a deep circuit on the DLA group.

    Ragone et al., Nat. Commun. 15, 7172 (2024), Theorem 1 (see the module docstring for the
    formula and its normalisations).

    Args:
        dla: the dynamical Lie algebra of the circuit.
        observable: a Hermitian Pauli sum on ``dla.qubits``: ``cirq.PauliString``,
            ``cirq.PauliSum``, :class:`~lie_sim.pauli.paulis.PauliSum` or text such as ``"Z1"``
            (text and ``PauliSum`` qubit ``i`` is ``dla.qubits[i]``).
        initial_state: ``None`` for ``|0…0⟩``; a product state as text over
            ``0 1 + - r l`` (``r``/``l`` are the ±1 eigenstates of Y), qubit 0 first, e.g.
            ``"+0-1"``; a list with one entry per qubit (such a character, a length-2 vector
            or a ``cirq`` named state like ``cirq.KET_PLUS``); a ``cirq.ProductState`` on
            the algebra's qubits; or a state vector of length ``2^n`` (Cirq's order, qubit 0
            most significant), for small n.
        rtol: relative residual under which ``O`` or ``ρ`` counts as lying in ``i·g``.
        decomposition: ``lie_sim.algebra.structure.decompose(dla)`` if already computed.

    Returns:
        The prediction, with each simple ideal's purities and contribution.

    Raises:
        FormulaNotApplicableError: neither ``O`` nor ``ρ`` lies in ``i·g``.
        ObservableError: the observable has complex coefficients or acts off the qubits.
        StateError: a state of the wrong size or norm, or an unknown state character.

    Example:
        >>> from lie_sim.algebra.closure import lie_closure
        >>> dla = lie_closure(["X0 X1", "X1 X2", "Z0", "Z1", "Z2"])  # so(6) = su(4)
        >>> pred = loss_variance(dla, "Z1")
        >>> round(pred.variance, 12), pred.mean, pred.ideals[0].name
        (0.2, 0.0, 'su(4)')
    """
    n = dla.num_qubits
    obs = _observable(observable, dla)
    state = _state(initial_state, dla)
    if decomposition is None:
        from lie_sim.algebra.structure import decompose

        decomposition = decompose(dla)
    o_identity = float(dict(obs.terms).get(PauliWord(), 0.0))
    o = {w: float(c) for w, c in obs.without_identity().terms}
    expect = _Cache(state.expectation)

    ideals, total_r2, total_o2 = [], 0.0, 0.0
    for ideal in decomposition.ideals:
        r, oo = _coordinates(ideal.basis, expect, o)
        r2, o2 = float(r @ r), float(oo @ oo)
        total_r2, total_o2 = total_r2 + r2, total_o2 + o2
        ideals.append(
            IdealContribution(
                ideal.family,
                ideal.n,
                len(ideal.basis),
                _scaled(r2, -n),
                _scaled(o2, n),
                r2 * o2 / len(ideal.basis),
            )
        )
    r, oo = _coordinates(_orthonormal(decomposition.center), expect, o)
    total_r2, total_o2 = total_r2 + float(r @ r), total_o2 + float(oo @ oo)
    obs_in = _inside(sum(c * c for c in o.values()), total_o2, rtol)
    state_in = _inside(state.traceless_norm2, total_r2, rtol)
    if not (obs_in or state_in):
        raise FormulaNotApplicableError(
            f"Neither the observable {obs} nor the initial state ({state.text}) lies in i·g "
            f"(outside parts: {_outside(sum(c * c for c in o.values()), total_o2):.3g} of "
            f"|O|², {_outside(state.traceless_norm2, total_r2):.3g} of |ρ − I/2^n|²); "
            "Ragone et al.'s Theorem 1 needs one of them in the algebra"
        )
    return VariancePrediction(
        variance=sum(c.variance for c in ideals),
        mean=o_identity + float(r @ oo),
        ideals=tuple(ideals),
        center_dim=len(decomposition.center),
        center_state_purity=_scaled(float(r @ r), -n),
        center_observable_purity=_scaled(float(oo @ oo), n),
        observable_in_algebra=obs_in,
        state_in_algebra=state_in,
        num_qubits=n,
    )


# ----------------------------------------------------------------------------------------
# Projections


class _Cache(dict):
    """``⟨P⟩_ρ`` per Pauli word, computed once."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, word: PauliWord) -> float:
        value = self[word] = self.compute(word)
        return value


def _coordinates(
    basis: Sequence[PauliSum], expect: _Cache, o: dict[PauliWord, float]
) -> tuple[np.ndarray, np.ndarray]:
    """``(r_k, o_k)`` of ``ρ`` and ``O`` along each basis element (Pauli inner product)."""
    r = np.zeros(len(basis))
    oo = np.zeros(len(basis))
    for k, b in enumerate(basis):
        for word, c in b.terms:
            c = float(c)
            r[k] += c * expect[word]
            oo[k] += c * o.get(word, 0.0)
    return r, oo


def _orthonormal(elements: Sequence[PauliSum]) -> list[PauliSum]:
    """An orthonormal basis (Pauli inner product) of the span of ``elements``."""
    if not elements:
        return []
    words = sorted({w for e in elements for w in e.words})
    index = {w: i for i, w in enumerate(words)}
    matrix = np.zeros((len(words), len(elements)))
    for k, e in enumerate(elements):
        for w, c in e.terms:
            matrix[index[w], k] = float(c)
    q, _ = np.linalg.qr(matrix)
    return [PauliSum.from_terms(zip(words, col.tolist(), strict=True)) for col in q.T]


def _inside(norm2: float, projected2: float, rtol: float) -> bool:
    """Whether the part outside the algebra is below ``rtol`` of the whole (scale-free)."""
    return norm2 - projected2 <= rtol * norm2


def _outside(norm2: float, projected2: float) -> float:
    return max(norm2 - projected2, 0.0) / norm2 if norm2 else 0.0


def _scaled(value: float, power: int) -> float:
    """``value · 2^power`` (inf or 0 where it leaves the float range)."""
    try:
        return math.ldexp(value, power)
    except OverflowError:
        return math.inf


# ----------------------------------------------------------------------------------------
# Observables


def _observable(observable: Any, dla: DynamicalLieAlgebra) -> PauliSum:
    qubits = dla.explicit_qubits or dla.num_qubits  # an int: line qubits, no Cirq import
    observable = as_pauli_sum(observable, qubits, name="The observable", error=ObservableError)
    if any(isinstance(c, complex) for c in observable.coefficients):
        raise ObservableError(
            f"The observable {observable} has complex coefficients; it must be Hermitian "
            "(real coefficients)"
        )
    return observable


# ----------------------------------------------------------------------------------------
# States


@dataclasses.dataclass(frozen=True)
class _ProductState:
    """Pure product state: per qubit the table ``(1, ⟨X⟩, ⟨Z⟩, ⟨Y⟩)`` indexed by x + 2z."""

    tables: tuple[tuple[float, float, float, float], ...]
    text: str

    def expectation(self, word: PauliWord) -> float:
        value = 1.0
        support = word.x | word.z
        while support and value:
            low = support & -support
            letter = (1 if word.x & low else 0) + (2 if word.z & low else 0)
            value *= self.tables[low.bit_length() - 1][letter]
            support ^= low
        return value

    @property
    def traceless_norm2(self) -> float:
        """``Σ_{P ≠ I} ⟨P⟩² = 2^n − 1`` for a pure product state."""
        return _scaled(1.0, len(self.tables)) - 1.0


@dataclasses.dataclass(frozen=True, eq=False)
class _VectorState:
    vector: np.ndarray
    num_qubits: int
    text: str = "state vector"

    def expectation(self, word: PauliWord) -> float:
        n = self.num_qubits
        x, z = _reversed_bits(word.x, n), _reversed_bits(word.z, n)
        index = np.arange(len(self.vector))
        sign = 1 - 2 * (np.bitwise_count((index ^ x) & z) & 1).astype(np.int8)
        value = np.vdot(self.vector, sign * self.vector[index ^ x])
        return float((1j ** (word.x & word.z).bit_count() * value).real)

    @property
    def traceless_norm2(self) -> float:
        return float(2**self.num_qubits - 1)


def _reversed_bits(mask: int, n: int) -> int:
    """Qubit-index mask → state-vector index mask (qubit 0 is the most significant bit)."""
    return int(format(mask, f"0{n}b")[::-1], 2) if n else 0


def _state(state: Any, dla: DynamicalLieAlgebra) -> _ProductState | _VectorState:
    n = dla.num_qubits
    if state is None:
        return _product([_NAMED_STATES["0"]] * n, "|" + "0" * n + "⟩")
    if isinstance(state, str):
        return _text_state(state, n)
    if is_cirq(state, "ProductState"):
        return _cirq_product_state(state, dla.qubits)
    if isinstance(state, list | tuple) and any(_is_single_qubit(s) for s in state):
        if len(state) != n:
            raise StateError(
                f"The product state lists {len(state)} single-qubit states; the algebra has "
                f"{n} qubits"
            )
        return _product([_bloch(s, q) for q, s in enumerate(state)], "product state")
    array = np.asarray(state)
    if array.ndim == 2 and array.shape == (n, 2):
        return _product([_bloch(row, q) for q, row in enumerate(array)], "product state")
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.number):
        raise StateError(
            f"Cannot read an initial state from {type(state).__name__} "
            f"{str(state)[:60]!r}; give text like '0+1', a list of single-qubit states, a "
            "cirq.ProductState or a state vector"
        )
    return _vector_state(array, n)


def _is_single_qubit(item: Any) -> bool:
    return (
        isinstance(item, str)
        or callable(getattr(item, "state_vector", None))
        or (not np.isscalar(item) and np.shape(item) == (2,))
    )


def _text_state(text: str, n: int) -> _ProductState:
    if len(text) != n:
        raise StateError(f"State text {text!r} has {len(text)} characters; the algebra has {n}")
    return _product([_named(c, q) for q, c in enumerate(text)], f"|{text}⟩")


def _named(char: str, qubit: int) -> tuple[float, float, float]:
    if char not in _NAMED_STATES:
        raise StateError(
            f"Unknown single-qubit state {char!r} for qubit {qubit}; use one of "
            f"{' '.join(_NAMED_STATES)} (r, l: the +1, -1 eigenstates of Y)"
        )
    return _NAMED_STATES[char]


def _cirq_product_state(state: cirq.ProductState, qubits: Sequence[cirq.Qid]) -> _ProductState:
    given = dict(state.states)
    extra = [q for q in given if q not in set(qubits)]
    if extra:
        raise StateError(f"The product state has {extra[0]!r}, not among the qubits {list(qubits)}")
    missing = [q for q in qubits if q not in given]
    if missing:
        raise StateError(f"The product state gives no state for qubit {missing[0]!r}")
    return _product([_bloch(given[q].state_vector(), k) for k, q in enumerate(qubits)], str(state))


def _bloch(item: Any, qubit: int) -> tuple[float, float, float]:
    if isinstance(item, str):
        if len(item) != 1:
            raise StateError(f"Qubit {qubit}: expected one state character, got {item!r}")
        return _named(item, qubit)
    if hasattr(item, "state_vector") and callable(item.state_vector):
        item = item.state_vector()
    a, b = np.asarray(item, dtype=complex).reshape(2)
    norm = math.hypot(abs(a), abs(b))
    if abs(norm - 1) > STATE_ATOL:
        raise StateError(f"Qubit {qubit}: the single-qubit state has norm {norm:.6g}, not 1")
    ab = np.conj(a) * b
    return (float(2 * ab.real), float(2 * ab.imag), float(abs(a) ** 2 - abs(b) ** 2))


def _product(blochs: Sequence[tuple[float, float, float]], text: str) -> _ProductState:
    return _ProductState(tuple((1.0, x, z, y) for x, y, z in blochs), text)


def _vector_state(vector: np.ndarray, n: int) -> _VectorState:
    if len(vector) != 2**n:
        raise StateError(
            f"The state vector has {len(vector)} amplitudes; the algebra's {n} qubits need "
            f"2**{n} = {2**n}"
        )
    norm = float(np.linalg.norm(vector))
    if abs(norm - 1) > STATE_ATOL:
        raise StateError(f"The state vector has norm {norm:.6g}, not 1")
    return _VectorState(vector.astype(complex), n)
