"""Dense-matrix ground truth for the tests: brute-force Lie closure of 2^n x 2^n matrices.

Independent of lie_sim's Pauli machinery on purpose: the Pauli strings are built here with
``numpy.kron``, the generators' coefficients come from traces of their dense matrices, and the
adjoint action from products of the 2 x 2 Pauli matrices, checked against a dense commutator
for every generator. Only meant for n <= 5.

It works in the real space where the algebra lives. An element ``iH`` (H Hermitian and
traceless) is the real vector ``c_P = Tr(P·H) / 2^n`` over the 4^n − 1 non-identity Pauli
strings P, so ``H = Σ_P c_P·P``, and ``[iG, iH]`` is ``i·(i[G, H])``, again such a vector. So
rounding noise can never leave the subspace of traceless anti-Hermitian matrices: a rank
decision on complex matrices vectorised into 2·4^n reals let it add directions outside, up to
510 "dimensions" for an algebra of 4-qubit operators (at most 255) with some BLAS kernels
(OpenBLAS's Haswell kernel, selected by OPENBLAS_CORETYPE=Haswell or Zen).

Rank decisions are relative. Generators are scaled to unit coefficient norm, and each breadth-
first candidate is ``[g, v]`` for a unit generator g and a unit element v of the previous level,
whose size is bounded by ``2·‖G‖_op`` (``‖[G, V]‖_F ≤ 2·‖G‖_op·‖V‖_F``). A candidate is new when
its part orthogonal to the span so far exceeds ``tol`` times that bound; rounding noise is about
1e-16 of it, and a bracket that cancels to zero is rejected like any dependent one. Two choices
keep rounding noise from being amplified into spurious directions:

- the candidates of one level are accepted largest new part first (Gram-Schmidt with column
  pivoting), so no direction enters through a nearly dependent candidate whose new part is
  mostly noise;
- the next level commutes the accepted candidates themselves, not their (renormalised) new
  parts, which would carry that noise divided by the size of the new part.

Measured on the 200 seeded circuits of tests/circuits/test_extraction.py (generators as
extracted and as read numerically from the unitaries, OpenBLAS Haswell kernel): every
dimension is the same for any ``tol`` from 1e-11 to 1e-4. Without the pivoting, one is wrong
at ``tol`` = 1e-9 already: 128 instead of 127, or 255 if the new parts are commuted instead.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

import numpy as np

_SINGLE = (
    np.eye(2, dtype=complex),
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
)


@functools.cache
def pauli_matrices(n: int) -> np.ndarray:
    """The 4^n − 1 non-identity Pauli strings on n qubits as matrices, shape (4^n − 1, 2^n, 2^n).

    Qubit 0 is the most significant tensor factor, as in Cirq.
    """
    mats = [
        functools.reduce(np.kron, (_SINGLE[i] for i in index), np.eye(1, dtype=complex))
        for index in itertools.product(range(4), repeat=n)
    ]
    out = np.array(mats[1:])
    out.setflags(write=False)
    return out


@functools.cache
def _trace_map(n: int) -> np.ndarray:
    """Real matrix T with ``[A.real | A.imag] (flattened) @ T = Re Tr(P·A) / 2^n`` for every P."""
    paulis = pauli_matrices(n)
    k, d = len(paulis), 2**n
    transposed = paulis.transpose(0, 2, 1).reshape(k, d * d)  # Tr(P·A) = Σ_ij P_ji A_ij
    out = np.concatenate([transposed.real, -transposed.imag], axis=1).T / d
    out.setflags(write=False)
    return out


@functools.cache
def _bracket_table(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every non-zero ``i[P_k, P_j] = s·P_l`` between non-identity strings, as arrays (k, j, l, s).

    Built from the 2 x 2 matrices alone: their products give the one-qubit table
    ``P_a P_b = phase·P_c``, and a product of Kronecker products is the Kronecker product of the
    factors' products (``dense_lie_algebra`` checks the result against dense commutators).
    """
    one_c = np.zeros((4, 4), dtype=int)
    one_phase = np.zeros((4, 4), dtype=complex)
    for a, b in itertools.product(range(4), repeat=2):
        m = _SINGLE[a] @ _SINGLE[b]
        overlaps = [np.trace(p.conj().T @ m) / 2 for p in _SINGLE]
        one_c[a, b] = int(np.argmax(np.abs(overlaps)))
        one_phase[a, b] = overlaps[one_c[a, b]]
    digits = np.array(list(itertools.product(range(4), repeat=n))).reshape(4**n, n)
    a, b = digits[:, None, :], digits[None, :, :]
    product = (one_c[a, b] * 4 ** np.arange(n - 1, -1, -1)).sum(axis=-1)
    phase = one_phase[a, b].prod(axis=-1)
    bracket = 1j * (phase - phase.T)  # i[P_k, P_j] = i(phase_kj − phase_jk)·P_kj
    assert np.abs(bracket.imag).max() < 1e-12
    k, j = np.nonzero(np.abs(bracket.real) > 0.5)  # entries are 0 or ±2
    return k - 1, j - 1, product[k, j] - 1, bracket.real[k, j]


def pauli_coefficients(matrices: np.ndarray) -> np.ndarray:
    """Real coefficients ``Re Tr(P·A) / 2^n`` of (a stack of) 2^n x 2^n matrices A.

    For Hermitian A this is A's expansion in non-identity Pauli strings (its trace part
    dropped); for any other A it is the expansion of the Hermitian part.
    """
    a = np.asarray(matrices, dtype=complex)
    d = a.shape[-1]
    flat = a.reshape(*a.shape[:-2], d * d)
    return np.concatenate([flat.real, flat.imag], axis=-1) @ _trace_map(d.bit_length() - 1)


def hermitian_from_coefficients(coefficients: np.ndarray) -> np.ndarray:
    """``Σ_P c_P·P`` for (a stack of) real Pauli-coefficient vectors."""
    c = np.asarray(coefficients, dtype=float)
    n = (c.shape[-1] + 1).bit_length() // 2
    flat = pauli_matrices(n).reshape(4**n - 1, 4**n)
    return (c @ flat.real + 1j * (c @ flat.imag)).reshape(*c.shape[:-1], 2**n, 2**n)


def _num_qubits(hermitians: Sequence[np.ndarray]) -> int:
    d = np.asarray(hermitians[0]).shape[0]
    n = d.bit_length() - 1
    for h in hermitians:
        if np.shape(h) != (2**n, 2**n):
            raise ValueError(f"Expected 2^n x 2^n matrices of one size; got shape {np.shape(h)}")
    return n


def _unit_generators(hermitians: Sequence[np.ndarray], n: int, tol: float) -> np.ndarray:
    """Unit Pauli-coefficient vectors of the generators; identity-only ones dropped.

    A generator counts as zero when its traceless part is below ``tol`` times its whole
    (identity part included), so a numerically computed traceless part of a multiple of the
    identity is dropped however large the multiple was.
    """
    out = []
    for h in hermitians:
        h = np.asarray(h, dtype=complex)
        norm = np.linalg.norm(h)
        if np.linalg.norm(h - h.conj().T) > 1e-10 * norm:
            raise ValueError(f"Not Hermitian: ‖H − H†‖ = {np.linalg.norm(h - h.conj().T):.3g}")
        c = pauli_coefficients(h)
        if np.linalg.norm(c) * np.sqrt(2**n) > tol * norm:
            out.append(c / np.linalg.norm(c))
    return np.array(out).reshape(len(out), 4**n - 1)


class _Span:
    """Orthonormal rows spanning the accepted elements; candidates are accepted a batch at a time.

    Within a batch the candidates are taken greedily, largest new part first (Gram-Schmidt with
    column pivoting, as in a rank-revealing QR): a direction then enters through the candidate
    that shows it most clearly, not through whichever nearly dependent candidate came first.
    """

    def __init__(self, size: int):
        self._rows = np.zeros((size, size))
        self.dim = 0

    @property
    def rows(self) -> np.ndarray:
        return self._rows[: self.dim]

    def _orthogonal_part(self, vectors: np.ndarray) -> np.ndarray:
        rows = self.rows
        for _ in range(2):  # twice is enough (Giraud et al., Numer. Math. 101, 87 (2005))
            vectors = vectors - (vectors @ rows.T) @ rows
        return vectors

    def add_new(self, candidates: np.ndarray, bounds: np.ndarray, tol: float) -> np.ndarray:
        """Accept the candidates whose part outside the span exceeds ``tol·bound``.

        Returns the indices of the accepted candidates, in the order they were accepted.
        """
        outside = self._orthogonal_part(candidates / bounds[:, None])
        index = np.arange(len(outside))
        accepted = []
        while True:
            norms = np.linalg.norm(outside, axis=1)
            keep = norms > tol  # a new part only shrinks as rows are added
            outside, index, norms = outside[keep], index[keep], norms[keep]
            if not len(index):
                return np.array(accepted, dtype=int)
            best = int(np.argmax(norms))
            assert self.dim < len(self._rows), f"more than {len(self._rows)} = 4^n − 1 directions"
            row = self._orthogonal_part(outside[best] / norms[best])
            self._rows[self.dim] = row / np.linalg.norm(row)
            outside = outside - np.outer(outside @ self._rows[self.dim], self._rows[self.dim])
            self.dim += 1
            accepted.append(index[best])


def _adjoint(g: np.ndarray, n: int) -> np.ndarray:
    """ad of ``iG`` on Pauli-coefficient vectors: ``v @ ad`` is the expansion of i[G, V].

    ([iG, iV] = i·(i[G, V]).) Checked against a dense commutator with a random V.
    """
    k, j, target, sign = _bracket_table(n)
    size = 4**n - 1
    ad = np.bincount(j * size + target, g[k] * sign, minlength=size * size).reshape(size, size)
    v = np.random.default_rng(0).standard_normal(size)
    gm, vm = hermitian_from_coefficients(g), hermitian_from_coefficients(v)
    dense = pauli_coefficients(1j * (gm @ vm - vm @ gm))
    error = np.linalg.norm(v @ ad - dense) / (np.linalg.norm(g) * np.linalg.norm(v))
    assert error < 1e-12, f"adjoint from the product table is off by {error:.3g}"
    return ad


def dense_lie_algebra(hermitians: Sequence[np.ndarray], *, tol: float = 1e-9) -> np.ndarray:
    """Orthonormal Pauli-coefficient vectors spanning the real Lie algebra generated by {i H}.

    Row k is the expansion ``H_k = Σ_P c_P·P`` of a basis element ``i·H_k`` over the non-identity
    Pauli strings (``pauli_matrices``); the rows are orthonormal, i.e. ``Tr(H_j H_k) = 2^n δ_jk``.

    Args:
        hermitians: Hermitian 2^n x 2^n matrices (identity parts are ignored).
        tol: relative rank tolerance (see the module docstring).
    """
    if len(hermitians) == 0:
        return np.zeros((0, 0))
    n = _num_qubits(hermitians)
    size = 4**n - 1
    span = _Span(size)
    gens = _unit_generators(hermitians, n, tol)
    gens = gens[np.sort(span.add_new(gens, np.ones(len(gens)), tol))]
    adjoint = np.zeros((size, 0))  # one block of columns per generator
    adjoint = np.concatenate([adjoint, *(_adjoint(g, n) for g in gens)], axis=1)
    # ‖[G, V]‖_F ≤ 2·‖G‖_op·‖V‖_F
    bounds = np.array([2 * np.linalg.norm(hermitian_from_coefficients(g), 2) for g in gens])
    frontier = gens
    while len(frontier) and span.dim < size:
        candidates = (frontier @ adjoint).reshape(len(frontier), len(gens), size)
        candidates = candidates.transpose(1, 0, 2).reshape(-1, size)  # generator-major
        accepted = candidates[span.add_new(candidates, np.repeat(bounds, len(frontier)), tol)]
        frontier = accepted / np.linalg.norm(accepted, axis=1, keepdims=True)
    rows = span.rows
    assert len(rows) <= size, f"dimension {len(rows)} > 4^{n} − 1 = {size}"
    gram_error = np.abs(rows @ rows.T - np.eye(len(rows))).max(initial=0.0)
    assert gram_error < 1e-8, f"basis not orthonormal (max |Gram − I| = {gram_error:.3g})"
    return rows


def dense_lie_closure(hermitians: Sequence[np.ndarray], *, tol: float = 1e-9) -> list[np.ndarray]:
    """Frobenius-orthonormal basis of the real Lie algebra generated by {i H}, as matrices.

    Each element is anti-Hermitian and traceless (``i·Σ_P c_P·P / 2^(n/2)``, c real).

    Args:
        hermitians: Hermitian 2^n x 2^n matrices (identity parts are ignored).
        tol: relative rank tolerance (see the module docstring).
    """
    rows = dense_lie_algebra(hermitians, tol=tol)
    if not len(rows):
        return []
    d = 2 ** _num_qubits(hermitians)
    return list(1j * hermitian_from_coefficients(rows) / np.sqrt(d))


def dense_lie_dim(hermitians: Sequence[np.ndarray], *, tol: float = 1e-9) -> int:
    """Dimension of the real Lie algebra generated by {i H} (dense brute force)."""
    return len(dense_lie_algebra(hermitians, tol=tol))
