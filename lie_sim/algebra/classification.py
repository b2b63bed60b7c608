"""Centre, simple ideals and isomorphism type of a dynamical Lie algebra.

A DLA is a compact real Lie algebra, hence reductive: ``g = z ⊕ g_1 ⊕ ... ⊕ g_k`` with ``z``
its centre and ``g_j`` simple ideals, mutually orthogonal in the trace form
``⟨A, B⟩ = Tr(AB)/2^n = Σ_P a_P b_P``. Each ``g_j`` is ``su(N)``, ``so(N)``, ``sp(N)`` or
exceptional; Pauli-string algebras are never exceptional (Aguilar et al., arXiv 2408.00081).
The values returned (:class:`AlgebraType`, :class:`AlgebraDecomposition`) are defined in
:mod:`lie_sim.algebra.algebra_types` and re-exported here.

Ideals need not be spanned by Pauli strings ("controlled copies": ``{XX, YZ}`` on an open
chain of 4 qubits is ``4·sp(2)``, with ideals spanned by sums like ``(XXII ± ...)/√2``), so
the decomposition is read off the root system rather than from Pauli-string graphs:

1. **Centre.** For a Pauli-string basis, the strings commuting with every generator term;
   otherwise the common kernel of the generators' adjoint matrices in an orthonormal basis.
2. **Cartan subalgebra** ``t`` (a maximal torus of the semisimple part). For Pauli strings, a
   maximal set of mutually commuting non-central strings: an element commuting with all of
   them is supported on strings commuting with all of them, so their span is maximal abelian,
   and every maximal abelian subalgebra of a compact Lie algebra is a Cartan subalgebra.
   Otherwise the centraliser of a random element of the semisimple part.
3. **Roots.** ``ad_t`` is simultaneously diagonalised on ``t^⊥``. For Pauli strings, ``t^⊥``
   splits into small invariant blocks (the strings reached from one string by multiplying with
   anticommuting Cartan strings); each block is diagonalised densely, and since
   ``ad_H^3 = -4·ad_H`` for a string ``H`` each root has coordinates in ``{0, ±2}`` on the
   Cartan strings, so roots are exact integer vectors. Otherwise ``i·ad_x`` is diagonalised
   densely for the random ``x``, and the coroot of an eigenvector ``v = a + ib`` is
   ``H_α = -[a, b]/|a|^2``.
4. **Simple roots and Dynkin diagram.** Positive roots are those with ``α(x) > 0``; taken in
   increasing ``α(x)``, a positive root is simple exactly when it is linearly independent of
   the simple roots found before it. The connected components of the Dynkin diagram are the
   simple ideals; each one's type follows from its Cartan matrix (number of nodes, branch
   node, and which roots are long), so ``so(2m+1)`` (one short simple root) and ``sp(m)``
   (one long simple root) are told apart although they share dimension and rank.
5. **Ideal bases.** The ideal of a Dynkin component is spanned by its coroots and the real and
   imaginary parts of its root vectors; these are orthonormal in the trace form. Where an
   ideal turns out to be spanned by Pauli strings (its basis uses exactly ``dim`` strings),
   the unit strings themselves are returned.

Every step is checked (integral Cartan matrix, root counts of the identified type, dimensions
adding up); a failed check on the float path is retried with a fresh random element, then
raised as :class:`ClassificationError`.

References:
    Wiersema, Kökcü, Kemper, Bakalov, *Classification of dynamical Lie algebras of 2-local
    spin systems on linear and circular chains*, arXiv 2309.05690.
    Aguilar, Cichy, Eisert, Bittel, *Full classification of Pauli Lie algebras*,
    arXiv 2408.00081.
    Humphreys, *Introduction to Lie Algebras and Representation Theory*, §10–11 (simple roots,
    Cartan matrices, Dynkin diagrams); Knapp, *Lie Groups Beyond an Introduction*, ch. IV
    (compact Lie algebras, maximal tori).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from lie_sim.algebra.algebra_types import (
    FAMILIES,
    AlgebraDecomposition,
    AlgebraType,
    SimpleIdeal,
    canonical_simple,
    simple_dimension,
    simple_name,
    simple_rank,
)
from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.structure import (
    StringIndex,
    anticommuting_pairs,
    basis_matrix,
    orthonormalised,
)
from lie_sim.errors import ClassificationError
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    anticommute,
    pack_ints,
    product_phase,
    unpack_ints,
    word_sort_key,
)

# The value types live in lie_sim.algebra.algebra_types; they are re-exported here with the
# algorithms.
__all__ = [
    "FAMILIES",
    "AlgebraDecomposition",
    "AlgebraType",
    "ClassificationError",
    "SimpleIdeal",
    "canonical_simple",
    "classify_algebra",
    "decompose",
    "simple_dimension",
    "simple_name",
    "simple_rank",
]


# ----------------------------------------------------------------------------------------
# Public algorithms


def classify_algebra(dla: DynamicalLieAlgebra) -> AlgebraType:
    """The isomorphism type of ``dla``: centre dimension and simple ideals.

    See the module docstring for the algorithm (root system of a maximal torus, Dynkin
    diagram). A Pauli-string algebra costs ``O(dim · rank)`` bit operations plus dense
    eigensolves of small blocks: ``so(128)`` (dimension 8128) takes about a second. A Pauli-sum
    algebra is diagonalised densely (``O(dim³)``).

    Raises:
        ClassificationError: a consistency check of the root system failed (please report).

    Example:
        >>> from lie_sim import lie_closure
        >>> n = 5
        >>> gens = [f"X{i} X{i+1}" for i in range(n - 1)] + [f"Z{i}" for i in range(n)]
        >>> print(classify_algebra(lie_closure(gens)))  # so(2n), arXiv 2309.05690
        so(10)
        >>> controlled = ["X0 X1", "X1 X2", "X2 X3", "Y0 Z1", "Y1 Z2", "Y2 Z3"]
        >>> print(classify_algebra(lie_closure(controlled)))  # {XX, YZ}, open chain, n = 4
        4·sp(2)
    """
    return _analyse(dla).algebra_type


def decompose(dla: DynamicalLieAlgebra) -> AlgebraDecomposition:
    """The centre and simple ideals of ``dla``, each with a basis orthonormal in ``Tr(AB)/2^n``.

    The contract, for computing g-purities per simple ideal (Ragone et al., Nat. Commun. 15,
    7172 (2024): ``P_{g_j}(H) = Σ_k ⟨B_k, H⟩²`` over an orthonormal basis ``{B_k}`` of
    ``g_j``, with ``⟨A, B⟩ = Tr(AB)/2^n = Σ_P a_P b_P``): ``center`` and every ``ideal.basis`` are
    tuples of Hermitian :class:`PauliSum` elements ``B`` (the algebra element is ``i·B``),
    together an orthonormal basis of the algebra in ``Σ_P a_P b_P``; ideals come in the
    canonical order of :class:`AlgebraType` and carry their canonical ``(family, n)``.

    Raises:
        ClassificationError: a consistency check of the root system failed (please report).

    Example:
        >>> from lie_sim import lie_closure
        >>> d = decompose(lie_closure(["X0 X1", "Z0", "Z1"]))  # so(4) = su(2) ⊕ su(2)
        >>> d.algebra_type, [ideal.dim for ideal in d.ideals]
        (AlgebraType(center_dim=0, simple=(('su', 2), ('su', 2))), [3, 3])
        >>> [len(b) for b in d.ideals[0].basis]  # not spanned by Pauli strings: (Z0 - Z1)/√2, ...
        [2, 2, 2]
        >>> sorted(w.to_text(2) for b in d.ideals[0].basis for w in b.words)
        ['IZ', 'XX', 'XY', 'YX', 'YY', 'ZI']
    """
    return _analyse(dla).decomposition()


# ----------------------------------------------------------------------------------------
# Root systems: simple roots, Dynkin components, types

_ATTEMPTS = 4
_CHUNK = 1 << 21  # entries of a vectorised temporary
_ROOT_TOL = 1e-6  # distance of a computed root, Cartan integer or coefficient from exact


class _Inconsistent(Exception):
    """A check of the root analysis failed; a fresh random element may fix it."""


@dataclasses.dataclass
class _Component:
    """One simple ideal: its type and the indices of its simple and positive roots."""

    family: str
    n: int
    simple: np.ndarray
    roots: np.ndarray


def _root_components(roots: np.ndarray, heights: np.ndarray, rank: int) -> list[_Component]:
    """Split positive roots (rows; the Cartan coordinates are orthonormal) into simple ideals.

    ``heights`` is a generic positive functional of the roots (``α(x)`` for a regular ``x``).
    """
    if rank == 0:
        if len(roots):
            raise _Inconsistent("roots without a Cartan subalgebra")
        return []
    simple, span = [], np.zeros((0, roots.shape[1]))
    for i in np.argsort(heights, kind="stable"):
        if len(simple) == rank:
            break
        v = roots[i]
        residual = v - span.T @ (span @ v)
        residual -= span.T @ (span @ residual)
        norm = np.linalg.norm(residual)
        if norm > _ROOT_TOL * np.linalg.norm(v):
            simple.append(i)
            span = np.vstack([span, residual / norm])
    if len(simple) != rank:
        raise _Inconsistent(f"found {len(simple)} simple roots for rank {rank}")
    simple = np.array(simple, dtype=np.int64)
    s = roots[simple]
    gram = s @ s.T
    cartan = 2 * gram / np.diag(gram)[None, :]
    coef = np.linalg.solve(gram, s @ roots.T).T
    cartan_int, coef_int = np.rint(cartan), np.rint(coef)
    if np.abs(cartan - cartan_int).max() > _ROOT_TOL or np.abs(coef - coef_int).max() > _ROOT_TOL:
        raise _Inconsistent("Cartan integers or root coefficients are not integral")
    if coef_int.min() < 0:
        raise _Inconsistent("a positive root has a negative simple-root coefficient")
    adjacency = sp.csr_array((cartan_int != 0) & ~np.eye(rank, dtype=bool))
    count, label = connected_components(adjacency, directed=False)
    root_label = label[np.argmax(coef_int, axis=1)]
    if np.any((coef_int > 0) & (label[None, :] != root_label[:, None])):
        raise _Inconsistent("a root mixes simple roots of different Dynkin components")
    components = []
    for j in range(count):
        nodes = np.flatnonzero(label == j)
        family, n = _dynkin_type(cartan_int[np.ix_(nodes, nodes)], np.diag(gram)[nodes])
        members = np.flatnonzero(root_label == j)
        expected = (simple_dimension(family, n) - simple_rank(family, n)) // 2
        if len(members) != expected:
            raise _Inconsistent(
                f"{simple_name(family, n)} needs {expected} positive roots, got {len(members)}"
            )
        (canonical,), _ = canonical_simple(family, n)
        components.append(_Component(*canonical, simple[nodes], members))
    return components


def _dynkin_type(cartan: np.ndarray, lengths: np.ndarray) -> tuple[str, int]:
    """``(family, N)`` of a connected Dynkin diagram (Humphreys §11.4), before coincidences."""
    m = len(cartan)
    if m == 1:
        return "su", 2
    degree = (cartan != 0).sum(axis=1) - 1
    ratio = lengths.max() / lengths.min()
    long = lengths > lengths.min() * (1 + _ROOT_TOL)
    if ratio < 1 + _ROOT_TOL:
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
    elif abs(ratio - 3) < _ROOT_TOL and m == 2:
        return "g", 2
    elif abs(ratio - 2) < _ROOT_TOL:
        if long.sum() == m - 1:
            return "so", 2 * m + 1
        if long.sum() == 1:
            return "sp", m
        if m == 4 and long.sum() == 2:
            return "f", 4
    raise _Inconsistent(f"not a Dynkin diagram: Cartan matrix {cartan.tolist()}")


# ----------------------------------------------------------------------------------------
# The analyses


@dataclasses.dataclass
class _Analysis:
    """What both paths find: the centre and the simple components of the root system."""

    center_dim: int
    components: list[_Component]

    @property
    def algebra_type(self) -> AlgebraType:
        return AlgebraType(self.center_dim, tuple((c.family, c.n) for c in self.components))

    def decomposition(self) -> AlgebraDecomposition:
        center = self._center_basis()
        ideals = [
            SimpleIdeal(comp.family, comp.n, self._ideal_basis(comp)) for comp in self.components
        ]
        ideals.sort(key=lambda ideal: (ideal.family, ideal.n))
        return AlgebraDecomposition(center, tuple(ideals))

    def _center_basis(self) -> tuple[PauliSum, ...]:
        raise NotImplementedError

    def _ideal_basis(self, comp: _Component) -> tuple[PauliSum, ...]:
        raise NotImplementedError


def _analyse(dla: DynamicalLieAlgebra) -> _Analysis:
    if not isinstance(dla, DynamicalLieAlgebra):
        raise TypeError(
            f"Expected a DynamicalLieAlgebra (from lie_sim.lie_closure), got {type(dla).__name__}"
        )
    analyse = _analyse_strings if dla.is_pauli_string_basis else _analyse_sums
    failure = None
    for attempt in range(_ATTEMPTS):
        try:
            return analyse(dla, np.random.default_rng(attempt))
        except _Inconsistent as exc:
            failure = exc
    raise ClassificationError(
        f"The root-system analysis of {dla!r} failed its checks {_ATTEMPTS} times "
        f"(last: {failure}); please report this input"
    )


def _rows_to_sums(rows: sp.csr_array, words: list[PauliWord], dim: int) -> tuple[PauliSum, ...]:
    """Rows of coefficients over ``words`` as Pauli sums; unit strings when they span as many.

    When the rows (an orthonormal basis of a subspace of dimension ``dim``) use exactly
    ``dim`` strings, the subspace is the span of those strings, returned with coefficient 1.
    Otherwise each row becomes a float Pauli sum with its first coefficient positive.
    """
    rows = sp.csr_array(rows)
    rows.data[np.abs(rows.data) <= _SUPPORT_TOL] = 0
    rows.eliminate_zeros()
    support = np.unique(rows.indices)
    if len(support) == dim:
        return tuple(PauliSum(((words[i], 1),)) for i in _canonical_order(support, words))
    out = []
    for lo, hi in zip(rows.indptr[:-1], rows.indptr[1:], strict=True):
        row = PauliSum.from_terms(
            (words[i], float(c)) for i, c in zip(rows.indices[lo:hi], rows.data[lo:hi], strict=True)
        )
        out.append(-row if row.coefficients[0] < 0 else row)
    return tuple(out)


def _canonical_order(indices: np.ndarray, words: list[PauliWord]) -> list[int]:
    return sorted(indices.tolist(), key=lambda i: word_sort_key(words[i]))


_SUPPORT_TOL = 1e-10


@dataclasses.dataclass
class _Blocks:
    """Same-size invariant blocks of ``t^⊥``: their strings and ``ad_t`` eigenvectors."""

    strings: np.ndarray  # (blocks, m) basis indices
    vectors: np.ndarray  # (blocks, m, m) eigenvectors (columns) over the block's strings


@dataclasses.dataclass
class _StringAnalysis(_Analysis):
    words: list[PauliWord]
    center: np.ndarray  # basis indices of the central strings
    cartan: np.ndarray  # basis indices of the non-central Cartan strings
    roots: np.ndarray  # (positive roots, rank) coordinates on the Cartan strings
    where: np.ndarray  # (positive roots, 3): block group, block, eigenvector column
    groups: list[_Blocks]

    def _center_basis(self) -> tuple[PauliSum, ...]:
        return tuple(
            PauliSum(((self.words[i], 1),)) for i in _canonical_order(self.center, self.words)
        )

    def _ideal_basis(self, comp: _Component) -> tuple[PauliSum, ...]:
        """Coroots (on the Cartan strings) and real and imaginary parts of root vectors."""
        width = len(self.words)
        torus, _ = np.linalg.qr(self.roots[comp.simple].T.astype(float))  # (rank, k)
        rows, cols, data = [np.repeat(np.arange(torus.shape[1]), len(self.cartan))], [], []
        cols.append(np.tile(self.cartan, torus.shape[1]))
        data.append(torus.T.ravel())
        count = torus.shape[1]
        for g, group in enumerate(self.groups):
            pick = self.where[comp.roots][self.where[comp.roots, 0] == g]
            if not len(pick):
                continue
            v = group.vectors[pick[:, 1], :, pick[:, 2]] * np.sqrt(2)  # (roots, m)
            strings = group.strings[pick[:, 1]].ravel()
            for part in (v.real, v.imag):
                rows.append(count + np.repeat(np.arange(len(pick)), v.shape[1]))
                cols.append(strings)
                data.append(part.ravel())
                count += len(pick)
        matrix = sp.csr_array(
            (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
            shape=(count, width),
        )
        return _rows_to_sums(matrix, self.words, _component_dim(comp))


def _component_dim(comp: _Component) -> int:
    return simple_dimension(comp.family, comp.n)


def _analyse_strings(dla: DynamicalLieAlgebra, rng: np.random.Generator) -> _StringAnalysis:
    x, z = dla.packed.x, dla.packed.z
    index = StringIndex(x, z)
    central = _central_strings(x, z, dla.generators)
    cartan = _commuting_set(x, z, np.flatnonzero(~central))
    others = np.flatnonzero(~central)
    others = others[~np.isin(others, cartan)]
    ell, src, dst, sign = _cartan_action(x, z, cartan, others, index)
    pos = np.full(len(x), -1)
    pos[others] = np.arange(len(others))
    src, dst = pos[src], pos[dst]
    weights = rng.standard_normal(len(cartan))
    label, local, sizes = _blocks(len(others), src, dst)
    roots, heights, where, groups = [], [], [], []
    for m in np.unique(sizes):
        group, r, h, w = _block_roots(
            m, sizes, label, local, others, (ell, src, dst, sign), weights
        )
        roots.append(r)
        heights.append(h)
        where.append(np.column_stack([np.full(len(w), len(groups)), w]))
        groups.append(group)
    rank = len(cartan)
    roots = np.concatenate(roots) if roots else np.zeros((0, rank), dtype=np.int64)
    heights = np.concatenate(heights) if heights else np.zeros(0)
    where = np.concatenate(where) if where else np.zeros((0, 3), dtype=np.int64)
    components = _root_components(roots.astype(float), heights, rank)
    words = [PauliWord(a, b) for a, b in zip(unpack_ints(x), unpack_ints(z), strict=True)]
    center = np.flatnonzero(central)
    return _StringAnalysis(len(center), components, words, center, cartan, roots, where, groups)


def _central_strings(x: np.ndarray, z: np.ndarray, generators: tuple[PauliSum, ...]) -> np.ndarray:
    """A string is central iff it commutes with every term of every generator."""
    words = {w for g in generators for w in g.words}
    gx = pack_ints([w.x for w in words], x.shape[1])
    gz = pack_ints([w.z for w in words], x.shape[1])
    central = np.ones(len(x), dtype=bool)
    for i in range(len(gx)):
        central &= ~anticommute(x, z, gx[i], gz[i])
    return central


def _commuting_set(x: np.ndarray, z: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """A maximal set of mutually commuting strings among ``candidates`` (greedy, in order)."""
    chosen = []
    while len(candidates):
        h, rest = candidates[0], candidates[1:]
        chosen.append(h)
        candidates = rest[~anticommute(x[rest], z[rest], x[h], z[h])]
    return np.array(chosen, dtype=np.int64)


def _cartan_action(x, z, cartan, others, index):
    """Edges ``src → dst`` with ``[i·H_ell, i·P_src] = sign · i·P_dst``."""
    ells, srcs, dsts, signs = [], [], [], []
    for ell, h in enumerate(cartan):
        src = others[anticommute(x[others], z[others], x[h], z[h])]
        dst = index.find(x[src] ^ x[h], z[src] ^ z[h])
        if np.any(dst < 0):
            raise ValueError("The basis is not closed under brackets")
        k = product_phase(x[h][None], z[h][None], x[src], z[src])
        ells.append(np.full(len(src), ell))
        srcs.append(src)
        dsts.append(dst)
        signs.append(2 * (k - 2))
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    return cat(ells), cat(srcs), cat(dsts), cat(signs)


def _blocks(count: int, src: np.ndarray, dst: np.ndarray):
    """Connected components of the Cartan action on the ``count`` non-Cartan strings.

    Returns each string's block label and position within its block, and the block sizes.
    """
    graph = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(count, count))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    order = np.argsort(label, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    local = np.empty(count, dtype=np.int64)
    local[order] = np.arange(count) - starts[label[order]]
    return label, local, sizes


def _block_roots(m, sizes, label, local, others, edges, weights):
    """Diagonalise ``ad_t`` on all blocks of size ``m`` at once; their positive roots.

    ``T = Σ_ell w_ell ad_{H_ell}`` (random ``w``) has simple spectrum on each block, so the
    eigenvectors ``v`` of ``i·T`` are joint eigenvectors: ``i·ad_{H_ell} v = α_ell·v``. Reading
    that equation at the largest entry ``v[p]`` gives ``α_ell = -s·Im(v[src]/v[p])``, where
    ``ad_{H_ell}`` maps string ``src`` to ``s·`` string ``p`` (``s = ±2``, or 0 when ``H_ell``
    commutes with the block).
    """
    ell, src, dst, sign = edges
    rank = len(weights)
    blocks = np.flatnonzero(sizes == m)
    slot = np.full(len(sizes), -1)
    slot[blocks] = np.arange(len(blocks))
    count = len(blocks)
    members = np.flatnonzero(sizes[label] == m)
    strings = np.empty((count, m), dtype=np.int64)
    strings[slot[label[members]], local[members]] = others[members]
    e = np.flatnonzero(sizes[label[src]] == m)
    bi, sl, dl, le = slot[label[src[e]]], local[src[e]], local[dst[e]], ell[e]
    s = sign[e].astype(float)
    t = np.bincount((bi * m + dl) * m + sl, weights=weights[le] * s, minlength=count * m * m)
    lam, vec = np.linalg.eigh(1j * t.reshape(count, m, m))
    # source[b, ell, p], factor[b, ell, p]: ad_{H_ell} maps string source to factor * string p.
    source = np.zeros((count, rank, m), dtype=np.int64)
    factor = np.zeros((count, rank, m))
    source[bi, le, dl], factor[bi, le, dl] = sl, s
    pivot = np.argmax(np.abs(vec), axis=1)  # (count, m): largest entry of each eigenvector
    b = np.arange(count)[:, None, None]
    k = np.arange(m)[None, :, None]
    p = pivot[:, :, None]
    src_of = source[b, np.arange(rank)[None, None, :], p]  # (count, m eigenvectors, rank)
    ratio = vec[b, src_of, k] / vec[b, p, k]
    alpha = -factor[b, np.arange(rank)[None, None, :], p] * ratio.imag / 2
    roots = np.rint(alpha)
    if np.abs(alpha - roots).max(initial=0) > _ROOT_TOL:
        raise _Inconsistent("block eigenvectors are not joint eigenvectors (close eigenvalues)")
    if np.abs(lam - 2 * roots @ weights).max(initial=0) > _ROOT_TOL * max(1, np.abs(lam).max()):
        raise _Inconsistent("block eigenvalues disagree with their roots")
    b, k = np.nonzero(lam > 0)
    return _Blocks(strings, vec), roots[b, k].astype(np.int64), lam[b, k], np.column_stack([b, k])


# ----------------------------------------------------------------------------------------
# Pauli-sum bases: dense, in an orthonormal basis


@dataclasses.dataclass
class _SumAnalysis(_Analysis):
    words: list[PauliWord]
    frame: np.ndarray  # (strings, dim): orthonormal basis of the algebra, as columns
    center: np.ndarray  # (dim, center_dim) coordinates in the frame
    coroots: np.ndarray  # (positive roots, dim) coroots H_α, coordinates in the frame
    vectors: np.ndarray  # (dim, positive roots) root eigenvectors, coordinates in the frame

    def _center_basis(self) -> tuple[PauliSum, ...]:
        rows = sp.csr_array((self.frame @ self.center).T)
        return _rows_to_sums(rows, self.words, self.center_dim)

    def _ideal_basis(self, comp: _Component) -> tuple[PauliSum, ...]:
        torus, _ = np.linalg.qr(self.coroots[comp.simple].T)
        v = self.vectors[:, comp.roots] * np.sqrt(2)
        coords = np.concatenate([torus, v.real, v.imag], axis=1)
        rows = sp.csr_array((self.frame @ coords).T)
        return _rows_to_sums(rows, self.words, _component_dim(comp))


def _analyse_sums(dla: DynamicalLieAlgebra, rng: np.random.Generator) -> _SumAnalysis:
    basis, index, sx, sz = basis_matrix(dla.packed)
    frame, _ = orthonormalised(basis)
    bracket = _StringBracket(sx, sz, index)

    def ad(strings: np.ndarray) -> np.ndarray:
        """Adjoint matrix, in the orthonormal frame, of the element with these coefficients."""
        return frame.T @ (bracket.adjoint(strings) @ frame)

    generators = [_string_vector(g, index, len(frame)) for g in dla.generators]
    center = _common_kernel([ad(g) for g in generators])
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
        raise _Inconsistent("the centraliser of a random element is smaller than the centre")
    positive = lam > tol
    v = frame @ vec[:, positive]
    # H_α = -[a, b]/|a|² for v = a + ib (from [h, a] = -α(h) b, [h, b] = α(h) a and the
    # invariance of the trace form: ⟨[a, b], h⟩ = -α(h)|a|²).
    coroots = -(frame.T @ bracket.pairwise(v.real, v.imag)) / np.sum(v.real**2, axis=0)
    components = _root_components(coroots.T, lam[positive], rank)
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


def _common_kernel(matrices: list[np.ndarray]) -> np.ndarray:
    """Orthonormal columns spanning the common kernel of the matrices."""
    stacked = np.concatenate(matrices)
    _, sing, vt = np.linalg.svd(stacked)
    tol = _KERNEL_RTOL * max(1.0, sing.max(initial=0))
    return vt[int((sing > tol).sum()) :].T
