"""Classification of Pauli-string algebras: an exact maximal torus of commuting strings.

1. **Centre.** The strings commuting with every generator term.
2. **Cartan subalgebra** ``t``: a maximal set of mutually commuting non-central strings. An
   element commuting with all of them is supported on strings commuting with all of them, so
   their span is maximal abelian, and every maximal abelian subalgebra of a compact Lie algebra
   is a Cartan subalgebra (Knapp, *Lie Groups Beyond an Introduction*, ch. IV).
3. **Roots.** ``ad_t`` is simultaneously diagonalised on ``t^⊥``, which splits into small
   invariant blocks (the strings reached from one string by multiplying with anticommuting
   Cartan strings); each block is diagonalised densely, and since ``ad_H^3 = -4·ad_H`` for a
   string ``H`` each root has coordinates in ``{0, ±2}`` on the Cartan strings, so roots are
   exact integer vectors.
4. **Ideal bases.** The ideal of a Dynkin component (:mod:`lie_sim.algebra.root_systems`) is
   spanned by its coroots and the real and imaginary parts of its root vectors.

Cost: ``O(dim · rank)`` bit operations plus dense eigensolves of small blocks; ``so(128)``
(dimension 8128) takes about a second.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from lie_sim.algebra import root_systems
from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.root_systems import (
    ROOT_TOL,
    Analysis,
    Component,
    Inconsistent,
    canonical_order,
    rows_to_sums,
)
from lie_sim.algebra.structure import StringIndex
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    anticommute,
    pack_ints,
    product_phase,
    unpack_ints,
)


@dataclasses.dataclass
class _Blocks:
    """Same-size invariant blocks of ``t^⊥``: their strings and ``ad_t`` eigenvectors."""

    strings: np.ndarray  # (blocks, m) basis indices
    vectors: np.ndarray  # (blocks, m, m) eigenvectors (columns) over the block's strings


@dataclasses.dataclass
class _StringAnalysis(Analysis):
    words: list[PauliWord]
    center: np.ndarray  # basis indices of the central strings
    cartan: np.ndarray  # basis indices of the non-central Cartan strings
    roots: np.ndarray  # (positive roots, rank) coordinates on the Cartan strings
    where: np.ndarray  # (positive roots, 3): block group, block, eigenvector column
    groups: list[_Blocks]

    def center_basis(self) -> tuple[PauliSum, ...]:
        return tuple(
            PauliSum(((self.words[i], 1),)) for i in canonical_order(self.center, self.words)
        )

    def ideal_basis(self, comp: Component) -> tuple[PauliSum, ...]:
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
        return rows_to_sums(matrix, self.words, comp.dim)


def analyse_strings(dla: DynamicalLieAlgebra, rng: np.random.Generator) -> _StringAnalysis:
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
    components = root_systems.root_components(roots.astype(float), heights, rank)
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
    if np.abs(alpha - roots).max(initial=0) > ROOT_TOL:
        raise Inconsistent("block eigenvectors are not joint eigenvectors (close eigenvalues)")
    if np.abs(lam - 2 * roots @ weights).max(initial=0) > ROOT_TOL * max(1, np.abs(lam).max()):
        raise Inconsistent("block eigenvalues disagree with their roots")
    b, k = np.nonzero(lam > 0)
    return _Blocks(strings, vec), roots[b, k].astype(np.int64), lam[b, k], np.column_stack([b, k])
