"""Classification of Pauli-sum algebras on a few qubits, in their defining representation.

The algebra ``g`` (Hermitian picture: ``g = i·span{B}``) acts on ``C^N``, ``N = 2^n`` over the
``n`` qubits its basis touches, and nothing here brackets two elements of ``g``:

1. **Weights.** For a random element ``x``, if ``x`` is regular its centraliser is a maximal
   torus ``t`` (it contains the centre), and the eigenspaces ``W_k`` of ``x`` (clusters of equal
   eigenvalues ``λ_k``, multiplicity ``m_k``) are the weight spaces of ``t``: ``t`` acts on
   ``W_k`` by a scalar ``μ_k``.
2. **Roots.** For a second random element ``y`` written in the eigenbasis of ``x``, the block
   ``y_kl: W_l → W_k`` is its component in the root space of ``α = μ_k − μ_l``. So the diagonal
   blocks, its ``t``-component, are scalars (checked: this certifies that ``x`` is regular and
   that each cluster is one weight); an off-diagonal block is non-zero only when ``μ_k − μ_l`` is
   a root (and for a random ``y`` it is then non-zero); grouping the non-zero blocks by the value
   ``α(x) = λ_k − λ_l`` gives the roots, positive when ``α(x) > 0``.
3. **Coroots.** ``E = y^(α)``, the blocks of one root, lies in the complexified root space
   ``g_α`` and ``E†`` in ``g_−α``, so ``[E, E†]`` is a non-zero multiple of the coroot ``H_α``; its
   scalar on ``W_k`` is ``h_k = (Σ_l |y_kl|² − Σ_l |y_lk|²)/m_k`` (Frobenius norms of the blocks of
   ``α``), and ``α([E, E†]) = h_k − h_l`` must agree over all blocks of ``α`` (checked; two roots
   with equal ``α(x)`` would break it). ``H_α = 2·[E, E†]/α([E, E†])``.
4. **Roots as vectors.** The trace form ``Tr(AB)/N`` is invariant and positive definite, so on
   each simple ideal it is a multiple of the Killing form; in the coordinates
   ``w_k = √(m_k/N)·h_k``, orthonormal for it on ``t``, the root ``α`` is the vector
   ``2·w(H_α)/|w(H_α)|²``. Root lengths, hence ``so(2m+1)`` against ``sp(m)``, come out right.
5. **Completeness and centre.** The ``t``-components of the basis elements (read off the Pauli
   coefficients of the weight-space projectors) span ``t``; their rank must equal
   ``dim g − 2·#(positive roots)`` (checked: no root was missed, and every coroot lies in it).
   The centre is the part of ``t`` orthogonal to the coroots.

Random elements and the ``t``-components of step 5 are taken over the exact echelon basis of
the algebra where it has one (:func:`~lie_sim.algebra.structure.conditioned_basis`), so the
rank decision does not depend on how badly conditioned the closure's nested commutators are.

Cost: an ``N × N`` eigensolve and change of basis, ``O(N³)``, and ``O(N³ + K·N·S)`` for the
Pauli coefficients of the ``K`` weight-space projectors on the ``S`` strings of the basis
(:mod:`lie_sim.algebra.pauli_matrices`). The
Heisenberg chain with one generator per bond at ``n = 8`` (dimension 1426, ``N = 256``) takes
about a second on one core; the dense adjoint path (:mod:`lie_sim.algebra.adjoint_roots`) did
not finish in 300 s.

References:
    Humphreys, *Introduction to Lie Algebras and Representation Theory*, §8 (root space
    decomposition; ``[g_α, g_−α]`` is spanned by the coroot) and §20 (weights of a representation);
    Knapp, *Lie Groups Beyond an Introduction*, ch. IV (compact Lie algebras, maximal tori).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

from lie_sim.algebra import root_systems
from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.pauli_matrices import (
    compact_codes,
    pauli_coefficients,
    pauli_matrices,
    projector_coefficients,
)
from lie_sim.algebra.root_systems import Analysis, Component, Inconsistent, rows_to_sums
from lie_sim.algebra.structure import basis_matrix, conditioned_basis
from lie_sim.pauli.paulis import PauliSum, PauliWord, unpack_ints

_CLUSTER_RTOL = 1e-10  # eigenvalues of x closer than this (relative to its norm) are one weight
_GAP_RTOL = 1e-6  # distinct eigenvalues closer than this: x is too close to singular
_BLOCK_RTOL = 1e-8  # a block of y above this (relative to |y|) is a root component
_VALUE_RTOL = 1e-8  # values α(x) closer than this (relative to |x|) are one root
_COROOT_RTOL = 1e-6  # agreement of α([E, E†]) over the blocks of α; coroots inside t
_RANK_RTOL = 1e-9  # singular values of the t-components counted as non-zero
_BATCH = 1 << 22  # matrix entries per batch of root vectors


@dataclasses.dataclass
class _Weights:
    """The eigenvectors of ``x``, grouped into weight spaces (contiguous columns)."""

    vectors: np.ndarray  # (N, N), columns by increasing eigenvalue
    starts: np.ndarray  # (K,) first column of each weight space
    sizes: np.ndarray  # (K,) multiplicities m_k
    values: np.ndarray  # (K,) eigenvalues λ_k of x

    @property
    def label(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.sizes)), self.sizes)


@dataclasses.dataclass
class _Pairs:
    """Blocks ``(k, l)`` of ``y`` assigned to positive roots: ``y_kl`` is in ``g_root``."""

    k: np.ndarray
    l: np.ndarray  # noqa: E741 - the block index of the papers
    root: np.ndarray


@dataclasses.dataclass
class _WeightAnalysis(Analysis):
    words: list[PauliWord]
    codes: tuple[np.ndarray, np.ndarray, int]  # compact (xs, zs, n) of the words
    weights: _Weights
    y: np.ndarray  # y in the eigenbasis of x
    pairs: _Pairs
    projectors: np.ndarray  # (K, strings) Pauli coefficients of the weight-space projectors
    coroots: np.ndarray  # (positive roots, K) coroots in orthonormal coordinates w
    center: np.ndarray  # (center_dim, K) orthonormal basis of the centre, coordinates w

    def center_basis(self) -> tuple[PauliSum, ...]:
        return rows_to_sums(
            sp.csr_array(self._torus_rows(self.center)), self.words, self.center_dim
        )

    def ideal_basis(self, comp: Component) -> tuple[PauliSum, ...]:
        """Coroots (orthonormalised) and real and imaginary parts of the root vectors."""
        torus, _ = np.linalg.qr(self.coroots[comp.simple].T)
        rows = [self._torus_rows(torus.T)]
        dim = len(self.weights.vectors)
        step = max(1, _BATCH // (dim * dim))
        for lo in range(0, len(comp.roots), step):
            coef = pauli_coefficients(self._root_matrices(comp.roots[lo : lo + step]), *self.codes)
            rows += [_unit_rows(coef.real), _unit_rows(coef.imag)]
        return rows_to_sums(sp.csr_array(np.concatenate(rows)), self.words, comp.dim)

    def _torus_rows(self, w: np.ndarray) -> np.ndarray:
        """Pauli coefficients of ``Σ_k h_k P_k`` for torus elements in coordinates ``w``."""
        dim = len(self.weights.vectors)
        return (w * np.sqrt(dim / self.weights.sizes)) @ self.projectors

    def _root_matrices(self, roots: np.ndarray) -> np.ndarray:
        """``E = y^(α)`` in the computational basis, for each of the given positive roots."""
        vectors, label = self.weights.vectors, self.weights.label
        out = np.empty((len(roots), len(vectors), len(vectors)), dtype=complex)
        for i, r in enumerate(roots):
            pick = self.pairs.root == r
            mask = np.zeros((len(self.weights.sizes),) * 2, dtype=bool)
            mask[self.pairs.k[pick], self.pairs.l[pick]] = True
            rows = np.flatnonzero(mask.any(axis=1)[label])
            cols = np.flatnonzero(mask.any(axis=0)[label])
            block = np.where(mask[np.ix_(label[rows], label[cols])], self.y[np.ix_(rows, cols)], 0)
            out[i] = (vectors[:, rows] @ block) @ vectors[:, cols].conj().T
        return out


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def analyse_weights(dla: DynamicalLieAlgebra, rng: np.random.Generator) -> _WeightAnalysis:
    basis, _, sx, sz = basis_matrix(dla.packed)
    basis = conditioned_basis(dla, basis)
    codes = compact_codes(sx, sz)
    norms = np.sqrt(np.asarray(basis.multiply(basis).sum(axis=1)).ravel())
    unit = sp.csr_array(sp.diags_array(1 / norms) @ basis)
    dim = unit.shape[0]
    hx, hy = pauli_matrices((unit.T @ rng.standard_normal((dim, 2))).T, *codes)
    weights = _weight_spaces(hx)
    y = weights.vectors.conj().T @ hy @ weights.vectors
    _check_torus_blocks(y, weights)
    norms2 = _block_norms(y, weights)
    pairs, significant, values = _roots(norms2, weights, np.linalg.norm(y))
    coroots = _coroots(norms2, weights, pairs, significant, len(values))
    projectors = projector_coefficients(weights.vectors, weights.starts, *codes)
    torus = _torus(unit, projectors, weights)
    _check_in_torus(torus, np.vstack([coroots, _coordinates(weights.values[None], weights)]))
    if torus.shape[1] != dim - 2 * len(values):
        raise Inconsistent(
            f"the torus has dimension {torus.shape[1]}, but dim g − 2·(positive roots) is "
            f"{dim - 2 * len(values)}"
        )
    roots = 2 * coroots / np.sum(coroots**2, axis=1, keepdims=True)
    components = root_systems.root_components(roots, values)
    simple = np.concatenate([c.simple for c in components]) if components else np.zeros(0, int)
    center = _center(torus, coroots[simple])
    words = [PauliWord(a, b) for a, b in zip(unpack_ints(sx), unpack_ints(sz), strict=True)]
    return _WeightAnalysis(
        len(center), components, words, codes, weights, y, pairs, projectors, coroots, center
    )


def _weight_spaces(hx: np.ndarray) -> _Weights:
    """Eigenvectors of ``x`` in clusters of equal eigenvalues; near-equal ones raise."""
    lam, vectors = np.linalg.eigh(hx)
    scale = np.abs(lam).max()
    gaps = np.diff(lam)
    if np.any((gaps > _CLUSTER_RTOL * scale) & (gaps <= _GAP_RTOL * scale)):
        raise Inconsistent("two eigenvalues of the random element are nearly equal")
    starts = np.concatenate([[0], np.flatnonzero(gaps > _CLUSTER_RTOL * scale) + 1])
    sizes = np.diff(np.append(starts, len(lam)))
    values = np.add.reduceat(lam, starts) / sizes
    return _Weights(vectors, starts, sizes, values)


def _check_torus_blocks(y: np.ndarray, weights: _Weights) -> None:
    """The diagonal blocks of ``y`` (its component in the centraliser of ``x``) are scalars."""
    label = weights.label
    same = label[:, None] == label[None, :]
    scalar = np.bincount(label, weights=np.diag(y).real, minlength=len(weights.sizes))
    deviation = np.where(same, y, 0) - np.diag((scalar / weights.sizes)[label])
    if np.linalg.norm(deviation) > _BLOCK_RTOL * np.linalg.norm(y):
        raise Inconsistent("the random element is not regular (its centraliser is not abelian)")


def _block_norms(y: np.ndarray, weights: _Weights) -> np.ndarray:
    """``|y_kl|²`` (Frobenius) for all pairs of weight spaces."""
    power = np.abs(y) ** 2
    return np.add.reduceat(np.add.reduceat(power, weights.starts, axis=0), weights.starts, axis=1)


def _roots(norms2: np.ndarray, weights: _Weights, y_norm: float):
    """Group the blocks ``k > l`` into positive roots by ``α(x) = λ_k − λ_l``.

    Returns the blocks of each root (every block whose value lies in a root's range, so the root
    vectors are complete), which of them are significant, and the value ``α(x)`` of each root.
    """
    k, l = np.tril_indices(len(weights.sizes), -1)  # noqa: E741
    diff = weights.values[k] - weights.values[l]
    significant = norms2[k, l] > (_BLOCK_RTOL * y_norm) ** 2
    found = np.sort(diff[significant])
    if not len(found):
        empty = np.zeros(0, dtype=np.int64)
        return _Pairs(empty, empty, empty), np.zeros(0, dtype=bool), np.zeros(0)
    tol = _VALUE_RTOL * np.abs(weights.values).max()
    first = np.append(0, np.flatnonzero(np.diff(found) > tol) + 1)
    last = np.append(first[1:], len(found)) - 1
    root = np.searchsorted(found[first] - tol, diff, side="right") - 1
    inside = (root >= 0) & (diff <= found[last[np.maximum(root, 0)]] + tol)
    values = np.add.reduceat(found, first) / (last - first + 1)
    return _Pairs(k[inside], l[inside], root[inside]), significant[inside], values


def _coroots(norms2, weights: _Weights, pairs: _Pairs, significant, count: int) -> np.ndarray:
    """``H_α`` in orthonormal torus coordinates ``w``, from the Frobenius norms of its blocks."""
    h = np.zeros((count, len(weights.sizes)))
    power = norms2[pairs.k, pairs.l]
    np.add.at(h, (pairs.root, pairs.k), power)
    np.add.at(h, (pairs.root, pairs.l), -power)
    h /= weights.sizes[None, :]
    r, k, l = pairs.root[significant], pairs.k[significant], pairs.l[significant]  # noqa: E741
    alpha = h[r, k] - h[r, l]
    value = np.zeros(count)
    for i in range(count):
        value[i] = np.median(alpha[r == i])
    scale = np.abs(h).max(axis=1)
    if np.any(np.abs(value) <= _COROOT_RTOL * scale):
        raise Inconsistent("a root vanishes on its own coroot")
    if np.any(np.abs(alpha - value[r]) > _COROOT_RTOL * np.abs(value[r])):
        raise Inconsistent("two roots share a value α(x) (blocks disagree on the coroot)")
    return _coordinates(2 * h / value[:, None], weights)


def _coordinates(h: np.ndarray, weights: _Weights) -> np.ndarray:
    """Torus elements given by their scalars ``h_k`` on the weight spaces, in coordinates ``w``."""
    return h * np.sqrt(weights.sizes / len(weights.vectors))


def _torus(unit: sp.csr_array, projectors: np.ndarray, weights: _Weights) -> np.ndarray:
    """Orthonormal basis (columns, coordinates ``w``) of the span of the basis' t-components."""
    dim = len(weights.vectors)
    components = (unit @ projectors.T).T * np.sqrt(dim / weights.sizes)[:, None]
    u, s, _ = np.linalg.svd(components, full_matrices=False)
    return u[:, : int((s > _RANK_RTOL * s.max(initial=0)).sum())]


def _check_in_torus(torus: np.ndarray, w: np.ndarray) -> None:
    residual = w - (w @ torus) @ torus.T
    if np.any(np.linalg.norm(residual, axis=1) > _COROOT_RTOL * np.linalg.norm(w, axis=1)):
        raise Inconsistent("a coroot or the random element lies outside the torus")


def _center(torus: np.ndarray, coroots: np.ndarray) -> np.ndarray:
    """Orthonormal basis (rows) of the part of the torus orthogonal to the coroots."""
    if len(coroots):
        q, _ = np.linalg.qr(coroots.T)
        torus = torus - q @ (q.T @ torus)
    u, s, _ = np.linalg.svd(torus, full_matrices=False)
    expected = torus.shape[1] - len(coroots)
    if expected < 0 or np.any(s[:expected] < 0.5) or np.any(s[expected:] > _COROOT_RTOL):
        raise Inconsistent("the simple coroots do not lie in the torus independently")
    return u[:, :expected].T
