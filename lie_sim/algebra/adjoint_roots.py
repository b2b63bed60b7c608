"""Classification of Pauli-sum algebras in the adjoint representation, densely.

For algebras whose basis uses few strings relative to ``2^n`` (the uniform TFIM, QAOA on a
ring), where it is cheaper than :mod:`lie_sim.algebra.weight_roots`, and as its fallback. In
an orthonormal basis of the algebra (a thin QR of its exact reduced row-echelon basis,
:func:`~lie_sim.algebra.structure.conditioned_basis`: the closure's nested commutators are far
too badly conditioned for floats, ``κ ≈ 1e17`` for the uniform TFIM at ``n = 16``; the frame
is checked to be closed under brackets):

1. **Centre.** The common kernel of the generators' adjoint matrices, found inside the
   common kernel of two random elements' (which contains it, and for generic elements is it).
2. **Cartan subalgebra.** The centraliser of a random element ``x`` of the semisimple part.
3. **Roots.** ``i·ad_x`` is diagonalised densely; the coroot of an eigenvector ``v = a + ib``
   with eigenvalue ``α(x) > 0`` is ``H_α = -[a, b]/|a|^2`` (from ``[h, a] = -α(h) b``,
   ``[h, b] = α(h) a`` and the invariance of the trace form: ``⟨[a, b], h⟩ = -α(h)|a|²``).

Cost: ``O(dim³)`` for the eigensolve, plus brackets over all anticommuting pairs of the
strings the basis uses.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

from lie_sim.algebra import root_systems
from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.root_systems import Analysis, Component, Inconsistent, rows_to_sums
from lie_sim.algebra.structure import (
    StringIndex,
    anticommuting_pairs,
    basis_matrix,
    conditioned_basis,
    orthonormalised,
)
from lie_sim.pauli.paulis import PauliSum, PauliWord, pack_ints, product_phase, unpack_ints

_CHUNK = 1 << 21  # entries of a vectorised temporary


@dataclasses.dataclass
class _SumAnalysis(Analysis):
    words: list[PauliWord]
    frame: np.ndarray  # (strings, dim): orthonormal basis of the algebra, as columns
    center: np.ndarray  # (dim, center_dim) coordinates in the frame
    coroots: np.ndarray  # (positive roots, dim) coroots H_α, coordinates in the frame
    vectors: np.ndarray  # (dim, positive roots) root eigenvectors, coordinates in the frame

    def center_basis(self) -> tuple[PauliSum, ...]:
        rows = sp.csr_array((self.frame @ self.center).T)
        return rows_to_sums(rows, self.words, self.center_dim)

    def ideal_basis(self, comp: Component) -> tuple[PauliSum, ...]:
        torus, _ = np.linalg.qr(self.coroots[comp.simple].T)
        v = self.vectors[:, comp.roots] * np.sqrt(2)
        coords = np.concatenate([torus, v.real, v.imag], axis=1)
        rows = sp.csr_array((self.frame @ coords).T)
        return rows_to_sums(rows, self.words, comp.dim)


def analyse_adjoint(dla: DynamicalLieAlgebra, rng: np.random.Generator) -> _SumAnalysis:
    basis, index, sx, sz = basis_matrix(dla.packed)
    frame, _ = orthonormalised(conditioned_basis(dla, basis))
    bracket = _StringBracket(sx, sz, index)
    _check_closed(frame, bracket)

    def ad(strings: np.ndarray) -> np.ndarray:
        """Adjoint matrix, in the orthonormal frame, of the element with these coefficients."""
        return frame.T @ (bracket.adjoint(strings) @ frame)

    generators = [_string_vector(g, index, len(frame)) for g in dla.generators]
    center = _center(frame, bracket, generators, rng)
    words = [PauliWord(a, b) for a, b in zip(unpack_ints(sx), unpack_ints(sz), strict=True)]
    if center.shape[1] == frame.shape[1]:
        empty = np.zeros((0, frame.shape[1]))
        return _SumAnalysis(center.shape[1], [], words, frame, center, empty, empty.T)
    x = rng.standard_normal(frame.shape[1])
    x -= center @ (center.T @ x)
    a = ad(frame @ (x / np.linalg.norm(x)))
    lam, vec = np.linalg.eigh(1j * (a - a.T) / 2)
    tol = _KERNEL_RTOL * max(1.0, np.abs(lam).max())
    rank = int((np.abs(lam) <= tol).sum()) - center.shape[1]
    if rank < 0:
        raise Inconsistent("the centraliser of a random element is smaller than the centre")
    positive = lam > tol
    v = frame @ vec[:, positive]
    # H_α = -[a, b]/|a|² for v = a + ib (from [h, a] = -α(h) b, [h, b] = α(h) a and the
    # invariance of the trace form: ⟨[a, b], h⟩ = -α(h)|a|²).
    coroots = -(frame.T @ bracket.pairwise(v.real, v.imag)) / np.sum(v.real**2, axis=0)
    components = root_systems.root_components(coroots.T, lam[positive], rank)
    return _SumAnalysis(
        center.shape[1], components, words, frame, center, coroots.T, vec[:, positive]
    )


class _StringBracket:
    """Brackets of coefficient vectors over a fixed set of strings, products kept in the set.

    Products outside the set are dropped: they cancel for elements of a closed algebra
    spanned within the set.
    """

    def __init__(self, x: np.ndarray, z: np.ndarray, index: StringIndex):
        p, q = anticommuting_pairs(x, z)
        r = index.find(x[p] ^ x[q], z[p] ^ z[q])
        sign = 2.0 * (product_phase(x[p], z[p], x[q], z[q]) - 2)
        keep = r >= 0
        p, q, r, sign = p[keep], q[keep], r[keep], sign[keep]
        self.p, self.q = np.concatenate([p, q]), np.concatenate([q, p])
        self.r, self.sign = np.concatenate([r, r]), np.concatenate([sign, -sign])
        self.size = len(x)

    def adjoint(self, coefs: np.ndarray) -> sp.csr_array:
        """``ad_u[R, Q]``: the coefficient of ``R`` in ``[u, Q]``."""
        data = self.sign * coefs[self.p]
        return sp.csr_array((data, (self.r, self.q)), shape=(self.size, self.size))

    def pairwise(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Column ``k`` of the result is ``[u[:, k], v[:, k]]``."""
        out = np.zeros_like(u)
        step = max(1, _CHUNK // max(1, u.shape[1]))
        for lo in range(0, len(self.p), step):
            e = slice(lo, lo + step)
            products = self.sign[e, None] * u[self.p[e]] * v[self.q[e]]
            pick = sp.csr_array(
                (np.ones(len(products)), (self.r[e], np.arange(len(products)))),
                shape=(self.size, len(products)),
            )
            out += pick @ products
        return out


_KERNEL_RTOL = 1e-8
_CLOSED_RTOL = 1e-6  # relative residual of a bracket of frame elements outside the frame


def _check_closed(frame: np.ndarray, bracket: _StringBracket) -> None:
    """The brackets of a few random pairs of elements of the frame lie in its span.

    Fails where the frame was orthonormalised from a basis too badly conditioned for floats
    (its span is then off by about ``1e-16·cond``).
    """
    dim = frame.shape[1]
    rng = np.random.default_rng(dim)  # not the caller's: its draws pick the regular element
    u, v = frame @ rng.standard_normal((dim, 4)), frame @ rng.standard_normal((dim, 4))
    w = bracket.pairwise(u, v)
    residual = np.linalg.norm(w - frame @ (frame.T @ w), axis=0)
    if np.any(residual > _CLOSED_RTOL * np.linalg.norm(w, axis=0)):
        raise Inconsistent(
            "the orthonormal frame is not closed under brackets (relative residual "
            f"{np.max(residual / np.linalg.norm(w, axis=0)):.1e}): the basis is too badly "
            "conditioned"
        )


def _string_vector(s: PauliSum, index: StringIndex, width: int) -> np.ndarray:
    words = s.words
    cols = index.find(
        pack_ints([w.x for w in words], index.words), pack_ints([w.z for w in words], index.words)
    )
    if np.any(cols < 0):
        raise ValueError(f"Generator {s} is not in the span of the basis")
    out = np.zeros(width)
    out[cols] = [float(c) for c in s.coefficients]
    return out


def _center(
    frame: np.ndarray, bracket: _StringBracket, generators: list[np.ndarray], rng
) -> np.ndarray:
    """Orthonormal frame coordinates (columns) of the centre: elements commuting with every
    generator.

    The common kernel of ``ad_x`` and ``ad_y`` for two random elements contains the centre,
    and for generic ``x, y`` it is the centre (the centraliser of a regular ``x`` is a maximal
    torus, and a generic ``y`` has a component in each of its root spaces); the generators then
    cut it down to exactly the centre. Two dense adjoint matrices instead of one per generator
    (the XY mixer on a ring of 16 qubits has 64 generators, dimension 511).
    """

    def ad(strings: np.ndarray) -> np.ndarray:
        return frame.T @ (bracket.adjoint(strings) @ frame)

    pair = frame @ rng.standard_normal((frame.shape[1], 2))
    kernel, scale = _common_kernel([ad(e / np.linalg.norm(e)) for e in pair.T], 1.0)
    if not kernel.shape[1]:
        return kernel
    lifted = frame @ kernel
    restricted = [
        frame.T @ (bracket.adjoint(g / np.linalg.norm(g)) @ lifted) for g in generators if g.any()
    ]
    inner, _ = _common_kernel(restricted, scale)
    return kernel @ inner


def _common_kernel(matrices: list[np.ndarray], scale: float) -> tuple[np.ndarray, float]:
    """Orthonormal columns spanning the common kernel of the matrices (singular values up to
    ``_KERNEL_RTOL`` times the largest or ``scale``, whichever is larger), and that largest."""
    stacked = np.concatenate(matrices)
    _, sing, vt = np.linalg.svd(stacked, full_matrices=stacked.shape[0] < stacked.shape[1])
    largest = max(scale, sing.max(initial=0))
    rank = int((sing > _KERNEL_RTOL * largest).sum())
    return vt[rank:].T, largest
