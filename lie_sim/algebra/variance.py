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
from lie_sim.errors import FormulaNotApplicableError, ObservableError, StateError  # noqa: F401 (re-exported)
from lie_sim.pauli.paulis import PauliSum, PauliWord, as_observable
from lie_sim.pauli.states import read_state

if TYPE_CHECKING:
    import cirq

DEFAULT_RTOL = 1e-9


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
    state = read_state(
        initial_state, n, dla.qubits if is_cirq(initial_state, "ProductState") else None
    )
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
    return as_observable(observable, qubits)
