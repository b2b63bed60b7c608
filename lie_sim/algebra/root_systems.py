"""Root systems to simple ideals: simple roots, Dynkin components, types; shared by all paths.

Each classification path (:mod:`lie_sim.algebra.string_roots`, :mod:`lie_sim.algebra.weight_roots`,
:mod:`lie_sim.algebra.adjoint_roots`) finds the positive roots of a maximal torus as vectors in
coordinates orthonormal for an invariant inner product, with a generic positive functional
(``α(x)`` for a regular ``x``) as their heights. :func:`root_components` then finds the simple
roots (taken in increasing height, a positive root is simple exactly when it is linearly
independent of the simple roots found before it), the Cartan matrix and its connected
components, and :func:`dynkin_type` names each component from its Cartan matrix and root
lengths (Humphreys, *Introduction to Lie Algebras and Representation Theory*, §10–11).

Every step is checked (integral Cartan matrix, non-negative integral root coefficients, the
number of positive roots of the identified type); a failed check raises :class:`Inconsistent`,
which the caller answers with a fresh random element.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from lie_sim.algebra.algebra_types import (
    AlgebraDecomposition,
    AlgebraType,
    SimpleIdeal,
    canonical_simple,
    simple_dimension,
    simple_name,
    simple_rank,
)
from lie_sim.pauli.paulis import PauliSum, PauliWord, unchecked_pauli_sum, word_sort_key

ROOT_TOL = 1e-6  # distance of a computed root, Cartan integer or coefficient from exact
SUPPORT_TOL = 1e-10  # coefficients of a unit-norm basis row below this are dropped


class Inconsistent(Exception):
    """A check of the root analysis failed; a fresh random element may fix it."""


@dataclasses.dataclass
class Component:
    """One simple ideal: its type and the indices of its simple and positive roots."""

    family: str
    n: int
    simple: np.ndarray
    roots: np.ndarray

    @property
    def dim(self) -> int:
        return simple_dimension(self.family, self.n)


def root_components(
    roots: np.ndarray, heights: np.ndarray, rank: int | None = None
) -> list[Component]:
    """Split positive roots (rows; the Cartan coordinates are orthonormal) into simple ideals.

    ``heights`` is a generic positive functional of the roots (``α(x)`` for a regular ``x``).
    ``rank`` is the rank of the semisimple part when the caller knows it independently (then
    it is checked); otherwise it is the number of simple roots found.
    """
    if rank == 0 or not len(roots):
        if len(roots):
            raise Inconsistent("roots without a Cartan subalgebra")
        if rank:
            raise Inconsistent(f"found 0 simple roots for rank {rank}")
        return []
    simple = _simple_roots(roots, heights, rank)
    if rank is not None and len(simple) != rank:
        raise Inconsistent(f"found {len(simple)} simple roots for rank {rank}")
    rank = len(simple)
    s = roots[simple]
    gram = s @ s.T
    cartan = 2 * gram / np.diag(gram)[None, :]
    coef = np.linalg.solve(gram, s @ roots.T).T
    cartan_int, coef_int = np.rint(cartan), np.rint(coef)
    if np.abs(cartan - cartan_int).max() > ROOT_TOL or np.abs(coef - coef_int).max() > ROOT_TOL:
        raise Inconsistent("Cartan integers or root coefficients are not integral")
    if np.abs(coef_int @ s - roots).max() > ROOT_TOL * np.abs(roots).max():
        raise Inconsistent("a positive root is not in the span of the simple roots")
    if coef_int.min() < 0:
        raise Inconsistent("a positive root has a negative simple-root coefficient")
    adjacency = sp.csr_array((cartan_int != 0) & ~np.eye(rank, dtype=bool))
    count, label = connected_components(adjacency, directed=False)
    root_label = label[np.argmax(coef_int, axis=1)]
    if np.any((coef_int > 0) & (label[None, :] != root_label[:, None])):
        raise Inconsistent("a root mixes simple roots of different Dynkin components")
    components = []
    for j in range(count):
        nodes = np.flatnonzero(label == j)
        family, n = dynkin_type(cartan_int[np.ix_(nodes, nodes)], np.diag(gram)[nodes])
        members = np.flatnonzero(root_label == j)
        expected = (simple_dimension(family, n) - simple_rank(family, n)) // 2
        if len(members) != expected:
            raise Inconsistent(
                f"{simple_name(family, n)} needs {expected} positive roots, got {len(members)}"
            )
        (canonical,), _ = canonical_simple(family, n)
        components.append(Component(*canonical, simple[nodes], members))
    return components


def _simple_roots(roots: np.ndarray, heights: np.ndarray, rank: int | None) -> np.ndarray:
    """Greedy in increasing height: a root independent of those picked before it is simple."""
    simple, span = [], np.zeros((0, roots.shape[1]))
    for i in np.argsort(heights, kind="stable"):
        if len(simple) == rank or len(simple) == roots.shape[1]:
            break
        v = roots[i]
        residual = v - span.T @ (span @ v)
        residual -= span.T @ (span @ residual)
        norm = np.linalg.norm(residual)
        if norm > ROOT_TOL * np.linalg.norm(v):
            simple.append(i)
            span = np.vstack([span, residual / norm])
    return np.array(simple, dtype=np.int64)


def dynkin_type(cartan: np.ndarray, lengths: np.ndarray) -> tuple[str, int]:
    """``(family, N)`` of a connected Dynkin diagram (Humphreys §11.4), before coincidences."""
    m = len(cartan)
    if m == 1:
        return "su", 2
    degree = (cartan != 0).sum(axis=1) - 1
    ratio = lengths.max() / lengths.min()
    long = lengths > lengths.min() * (1 + ROOT_TOL)
    if ratio < 1 + ROOT_TOL:
        if degree.max() <= 2:
            return "su", m + 1
        branch = int(np.argmax(degree))
        rest = np.delete(np.arange(m), branch)
        sub = sp.csr_array(cartan[np.ix_(rest, rest)] != 0)
        _, arm = connected_components(sub, directed=False)
        arms = tuple(sorted(np.bincount(arm).tolist()))
        if arms[:2] == (1, 1):
            return "so", 2 * m
        exceptional = {(1, 2, 2): ("e", 6), (1, 2, 3): ("e", 7), (1, 2, 4): ("e", 8)}
        if arms in exceptional:
            return exceptional[arms]
    elif abs(ratio - 3) < ROOT_TOL and m == 2:
        return "g", 2
    elif abs(ratio - 2) < ROOT_TOL:
        if long.sum() == m - 1:
            return "so", 2 * m + 1
        if long.sum() == 1:
            return "sp", m
        if m == 4 and long.sum() == 2:
            return "f", 4
    raise Inconsistent(f"not a Dynkin diagram: Cartan matrix {cartan.tolist()}")


@dataclasses.dataclass
class Analysis:
    """What every path finds: the centre and the simple components of the root system.

    Paths subclass it with what they need to build the orthonormal bases of the parts.
    """

    center_dim: int
    components: list[Component]

    @property
    def algebra_type(self) -> AlgebraType:
        return AlgebraType(self.center_dim, tuple((c.family, c.n) for c in self.components))

    def decomposition(self) -> AlgebraDecomposition:
        center = self.center_basis()
        ideals = [
            SimpleIdeal(comp.family, comp.n, self.ideal_basis(comp)) for comp in self.components
        ]
        ideals.sort(key=lambda ideal: (ideal.family, ideal.n))
        return AlgebraDecomposition(center, tuple(ideals))

    def center_basis(self) -> tuple[PauliSum, ...]:
        raise NotImplementedError

    def ideal_basis(self, comp: Component) -> tuple[PauliSum, ...]:
        raise NotImplementedError


def rows_to_sums(rows: sp.csr_array, words: list[PauliWord], dim: int) -> tuple[PauliSum, ...]:
    """Rows of coefficients over ``words`` as Pauli sums; unit strings when they span as many.

    When the rows (an orthonormal basis of a subspace of dimension ``dim``) use exactly
    ``dim`` strings, the subspace is the span of those strings, returned with coefficient 1.
    Otherwise each row becomes a float Pauli sum with its first coefficient positive. The
    terms are put in canonical order once for all rows (a decomposition can hold millions).
    """
    rows = sp.csr_array(rows)
    rows.data[np.abs(rows.data) <= SUPPORT_TOL] = 0
    rows.eliminate_zeros()
    rank = canonical_rank(words)
    support = np.unique(rows.indices)
    if len(support) == dim:
        return tuple(PauliSum(((words[i], 1),)) for i in support[np.argsort(rank[support])])
    owner = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    order = np.lexsort((rank[rows.indices], owner))
    cols, data = rows.indices[order], rows.data[order]
    bounds = rows.indptr
    first = data[np.minimum(bounds[:-1], len(data) - 1)]
    data = data * np.repeat(np.where(first < 0, -1.0, 1.0), np.diff(bounds))
    word_array = np.empty(len(words), dtype=object)
    word_array[:] = words
    terms = list(zip(word_array[cols].tolist(), data.tolist(), strict=True))
    return tuple(
        unchecked_pauli_sum(tuple(terms[lo:hi]))
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    )


def canonical_rank(words: list[PauliWord]) -> np.ndarray:
    """Position of each word in the canonical term order (:func:`word_sort_key`)."""
    rank = np.empty(len(words), dtype=np.int64)
    rank[sorted(range(len(words)), key=lambda i: word_sort_key(words[i]))] = np.arange(len(words))
    return rank


def canonical_order(indices: np.ndarray, words: list[PauliWord]) -> list[int]:
    return sorted(indices.tolist(), key=lambda i: word_sort_key(words[i]))
