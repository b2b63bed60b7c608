"""g-sim on a small invariant subspace with an orthonormal basis of Pauli sums.

Used when some generator is a sum of strings that do not commute (a fixed non-Clifford gate
pushed through, a ``PhasedXPowGate`` with a generic axis), or when the strings the gates
reach are too many. The space is the smallest ``ad``-invariant subspace ``M`` containing the
observables (their traceless parts): a breadth-first search that brackets each new element
with the generators only, over floats with orthonormalised elements (relative residual test,
as the closure's float path). Since ``U†OU ∈ M`` for every gate sequence, the coordinates
``e_β = Σ_P c_βP ⟨P⟩_ρ`` of the state along an orthonormal basis ``{C_β}`` of ``M`` (Pauli
inner product) evolve by ``e ↦ exp(−θ·m_H)·e``, where ``m_H`` is the real antisymmetric
matrix of ``B ↦ i[H, B]`` on ``M``. Each ``exp`` comes from one cached eigendecomposition of
the Hermitian ``i·m_H`` per generator: ``O(d²)`` per gate, dense, so ``d`` is limited to
:data:`DENSE_MAX_DIM`.

References:
    Goh et al., arXiv 2308.01432 (g-sim); Diaz et al., arXiv 2310.11505 (simulation in a
    module of the algebra when the observable is outside it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from lie_sim.algebra.spans import ColumnIndex, FloatSpan
from lie_sim.errors import ClosureLimitError
from lie_sim.pauli.packed import PackedSums, brackets, normalised
from lie_sim.pauli.paulis import anticommute, product_phase

DENSE_MAX_DIM = 4096  # dense d×d matrices and eigendecompositions up to this dimension
INVARIANCE_RTOL = 1e-8  # the part of i[H, C] outside the space, relative to its norm


class DenseSpace:
    """An invariant subspace with dense generator matrices (same interface as StringSpace).

    Args:
        generators: each generator ``H`` (``e^{-iθH}``) as a packed single sum, float
            coefficients as they are.
        seeds: the sums the space must contain (traceless observables), packed, non-empty.
        rtol: relative residual below which a candidate is dependent.
        max_dim: the largest dimension allowed (at most :data:`DENSE_MAX_DIM`).

    Raises:
        ClosureLimitError: the space exceeds ``max_dim``.
    """

    def __init__(
        self,
        generators: Sequence[PackedSums],
        seeds: PackedSums,
        rtol: float,
        max_dim: int = DENSE_MAX_DIM,
    ):
        columns = _Columns()
        self.basis = invariant_subspace(generators, seeds, rtol, max_dim, columns)
        self.x, self.z = columns.strings()
        self.basis.resize((self.basis.shape[0], len(self.x)))
        self.eig = [self._eigensystem(g, columns) for g in generators]

    @classmethod
    def from_parts(
        cls, basis: sp.csr_array, x: np.ndarray, z: np.ndarray, matrices: Sequence[np.ndarray]
    ) -> DenseSpace:
        """A space saved earlier: its basis, column strings and generator matrices."""
        space = cls.__new__(cls)
        space.basis, space.x, space.z = basis, x, z
        space.eig = [(*_eigh(m), m) for m in matrices]
        return space

    @property
    def dim(self) -> int:
        return self.basis.shape[0]

    def coordinates(self, values: np.ndarray) -> np.ndarray:
        """``C·v`` for a vector ``v`` over the space's strings (expectations, coefficients)."""
        return self.basis @ values

    def rotate(self, generator: int, theta: float | np.ndarray, vectors: np.ndarray) -> None:
        """Apply the gate ``e^{-iθH}`` to the ``(dim, k)`` columns of ``vectors``, in place;
        ``theta`` is one angle, or one per column."""
        vecs, values, _ = self.eig[generator]
        phase = np.exp(1j * np.multiply.outer(values, theta)).reshape(len(values), -1)
        vectors[:] = (vecs @ (phase * (vecs.conj().T @ vectors))).real

    def derivative_dot(
        self, generator: int, cotangents: np.ndarray, state: np.ndarray
    ) -> np.ndarray:
        """``λ_jᵀ·(−m_H)·e`` for each column ``λ_j`` of ``cotangents``."""
        matrix = self.eig[generator][2]
        return -(cotangents.T @ (matrix @ state))

    def _eigensystem(self, generator: PackedSums, columns: _Columns):
        """``(V, λ, m)`` with ``i·m = V diag(λ) V†`` and ``m`` the matrix of ``B ↦ i[H, B]``."""
        basis = self.basis.tocoo()
        bx, bz = self.x[basis.col], self.z[basis.col]
        anti = anticommute(bx[:, None, :], bz[:, None, :], generator.x[None], generator.z[None])
        t, g = np.nonzero(anti)
        # i[P, Q] = (k − 2)·2·R for anticommuting P (of H) and Q (of C), PQ = i^k R.
        k = product_phase(generator.x[g], generator.z[g], bx[t], bz[t])
        coef = 2.0 * (k - 2) * generator.coef[g].astype(float) * basis.data[t]
        images = PackedSums(bx[t] ^ generator.x[g], bz[t] ^ generator.z[g], coef, basis.row[t], 0)
        cols = columns.columns(images)
        self.x, self.z = columns.strings()
        self.basis.resize((self.dim, len(self.x)))
        image = sp.csr_array((coef, (basis.row[t], cols)), shape=(self.dim, len(self.x)))
        inside = (image @ self.basis.T).toarray()  # [β, α] = ⟨C_α, i[H, C_β]⟩
        residual = image - sp.csr_array(inside) @ self.basis
        outside = np.sqrt(_norm2(residual))
        if outside > INVARIANCE_RTOL * max(1.0, np.sqrt(_norm2(image))):
            raise RuntimeError(f"g-sim space not invariant (residual {outside:.3g}); please report")
        matrix = inside.T
        return (*_eigh(matrix), matrix)


def invariant_subspace(
    generators: Sequence[PackedSums],
    seeds: PackedSums,
    rtol: float,
    max_dim: int | None,
    columns: ColumnIndex | None = None,
) -> sp.csr_array:
    """An orthonormal row basis (over ``columns``) of the smallest subspace containing
    ``seeds`` and invariant under ``ad`` of every generator: brackets of each new element
    with the generators only, kept when their relative residual exceeds ``rtol``.

    Raises:
        ClosureLimitError: the dimension passed ``max_dim``.
    """
    columns = ColumnIndex() if columns is None else columns
    span = FloatSpan(rtol)
    unit = [normalised(g) for g in generators]
    frontier = _add(normalised(seeds), span, columns)
    while frontier.count:
        if max_dim is not None and span.rows.shape[0] > max_dim:
            raise ClosureLimitError(span.rows.shape[0], max_dim)
        frontier = _add(normalised(brackets(frontier, unit)), span, columns)
    if max_dim is not None and span.rows.shape[0] > max_dim:
        raise ClosureLimitError(span.rows.shape[0], max_dim)
    return span.rows


def _eigh(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(V, λ)`` with ``i·m = V diag(λ) V†`` for the real antisymmetric ``m``."""
    values, vecs = np.linalg.eigh(1j * matrix)
    return vecs, values


def _norm2(matrix: sp.csr_array) -> float:
    return float(matrix.multiply(matrix).sum())


def _add(candidates: PackedSums, span: FloatSpan, columns: _Columns) -> PackedSums:
    """Offer ``candidates`` to the span; those that enlarged it, as the next frontier."""
    if not candidates.count:
        return candidates
    cols = columns.columns(candidates)
    taken = span.add(candidates, cols, columns.size)
    return candidates.select(np.sort(taken))


class _Columns(ColumnIndex):
    """A column index that also keeps each column's string."""

    def __init__(self) -> None:
        super().__init__()
        self._x: list[np.ndarray] = []
        self._z: list[np.ndarray] = []
        self._ids: list[np.ndarray] = []

    def columns(self, batch: PackedSums) -> np.ndarray:
        ids = super().columns(batch)
        self._x.append(batch.x)
        self._z.append(batch.z)
        self._ids.append(ids)
        return ids

    def strings(self) -> tuple[np.ndarray, np.ndarray]:
        ids = np.concatenate(self._ids)
        x = np.zeros((self.size, self._x[0].shape[1]), dtype=np.uint64)
        z = np.zeros_like(x)
        x[ids] = np.concatenate(self._x)
        z[ids] = np.concatenate(self._z)
        return x, z


__all__ = ["DENSE_MAX_DIM", "DenseSpace"]
