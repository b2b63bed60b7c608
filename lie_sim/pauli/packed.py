"""Packed batches of Pauli sums and their vectorised Lie brackets.

The closure's working representation: the terms of many sums in flat arrays (bit-packed
strings, coefficients, owning element), so that the brackets of a whole frontier with a
generator are a handful of numpy operations. Coefficients are exact integers (int64, or
Python ints in an object array once int64 could overflow) or floats.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np

from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    anticommute,
    pack_ints,
    product_phase,
    sort_codes,
    unchecked_pauli_sum,
    unpack_ints,
)

PAIR_CHUNK = 1 << 21  # term pairs bracketed per vectorised step
FLOAT_ZERO = 1e-12  # float-path bracket terms below this (inputs have unit norm) are zero


@dataclasses.dataclass
class PackedSums:
    """Terms of several Pauli sums, bit-packed: element ``owner[t]`` has term ``t``.

    Attributes:
        x, z: ``(terms, words)`` uint64 masks of each term's Pauli string (see
            :mod:`lie_sim.pauli.paulis`).
        coef: each term's coefficient (int64, Python-int object array, or float64).
        owner: each term's element index; sorted, covering ``0 .. count-1``.
        count: number of elements.

    ``DynamicalLieAlgebra.packed`` holds the basis in this form for vectorised work.
    """

    x: np.ndarray
    z: np.ndarray
    coef: np.ndarray
    owner: np.ndarray
    count: int

    def select(self, elements: np.ndarray) -> PackedSums:
        """The sub-batch of the given element indices (in that order), renumbered."""
        idx, owner = self.term_indices(elements)
        return PackedSums(self.x[idx], self.z[idx], self.coef[idx], owner, len(elements))

    def term_indices(self, elements: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the terms of ``elements`` (in that order), and their new owners."""
        starts = np.searchsorted(self.owner, elements, side="left")
        lengths = np.searchsorted(self.owner, elements, side="right") - starts
        idx = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return idx, np.repeat(np.arange(len(elements)), lengths)

    def to_pauli_sums(self, num_qubits: int) -> list[PauliSum]:
        """The elements as canonical :class:`PauliSum` values (terms in canonical order)."""
        order = np.arange(len(self.coef))
        if len(self.coef) != self.count:
            codes = sort_codes(self.x, self.z, num_qubits)
            order = np.lexsort(list(codes.T[::-1]) + [self.owner])
        xs, zs = unpack_ints(self.x[order]), unpack_ints(self.z[order])
        coefs = self.coef[order].tolist()
        bounds = np.searchsorted(self.owner[order], np.arange(self.count + 1)).tolist()
        words = [PauliWord(x, z) for x, z in zip(xs, zs, strict=True)]
        terms = list(zip(words, coefs, strict=True))
        return [unchecked_pauli_sum(tuple(terms[a:b])) for a, b in itertools.pairwise(bounds)]


def pack_sum(words: Sequence[PauliWord], coefs: Sequence, nwords: int) -> PackedSums:
    dtype = object if any(abs(c) >= 2**31 for c in coefs if isinstance(c, int)) else None
    coef = np.array(coefs, dtype=dtype if dtype else None)
    x = pack_ints([w.x for w in words], nwords)
    z = pack_ints([w.z for w in words], nwords)
    return PackedSums(x, z, coef, np.zeros(len(words), dtype=np.int64), 1)


def pack_float_sum(s: PauliSum, nwords: int) -> PackedSums:
    """One sum with float coefficients (a real :class:`PauliSum`), packed."""
    return pack_sum(s.words, [float(c) for c in s.coefficients], nwords)


def concat(batches: Sequence[PackedSums]) -> PackedSums:
    offsets = np.cumsum([0] + [b.count for b in batches])
    return PackedSums(
        np.concatenate([b.x for b in batches]),
        np.concatenate([b.z for b in batches]),
        _concat_coefs([b.coef for b in batches]),
        np.concatenate([b.owner + off for b, off in zip(batches, offsets, strict=False)]),
        int(offsets[-1]),
    )


def _concat_coefs(arrays: Sequence[np.ndarray]) -> np.ndarray:
    if any(a.dtype == object for a in arrays):
        return np.concatenate([a.astype(object) for a in arrays])
    return np.concatenate(arrays)


def brackets(frontier: PackedSums, gens: Sequence[PackedSums]) -> PackedSums:
    """All brackets ``[frontier_e, g]``, as un-normalised sums owned by ``e·len(gens) + g``.

    Each term carries ``(k-2)·a·b`` for ``PQ = i^k R``: the bracket divided by 2.
    """
    xs, zs, cs, owners = [], [], [], []
    for gi, g in enumerate(gens):
        step = max(1, PAIR_CHUNK // max(1, len(g.coef)))
        for lo in range(0, len(frontier.coef), step):
            fx, fz = frontier.x[lo : lo + step], frontier.z[lo : lo + step]
            anti = anticommute(fx[:, None, :], fz[:, None, :], g.x[None], g.z[None])
            ti, gj = np.nonzero(anti)
            sign = product_phase(fx[ti], fz[ti], g.x[gj], g.z[gj]) - 2
            coef = _times(frontier.coef[lo : lo + step][ti], g.coef[gj], len(g.coef))
            xs.append(fx[ti] ^ g.x[gj])
            zs.append(fz[ti] ^ g.z[gj])
            cs.append(coef * sign.astype(coef.dtype) if coef.dtype != object else coef * sign)
            owners.append(frontier.owner[lo : lo + step][ti] * len(gens) + gi)
    if not xs:
        empty = np.zeros((0, frontier.x.shape[1]), dtype=np.uint64)
        return PackedSums(empty, empty, frontier.coef[:0], np.zeros(0, dtype=np.int64), 0)
    return _combine(
        np.concatenate(xs), np.concatenate(zs), _concat_coefs(cs), np.concatenate(owners)
    )


def _times(a: np.ndarray, b: np.ndarray, multiplicity: int) -> np.ndarray:
    """Exact products; switches to Python ints when int64 sums could overflow."""
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return a.astype(float) * b.astype(float)
    if a.dtype == object or b.dtype == object:
        return a.astype(object) * b.astype(object)
    bound = int(np.abs(a).max(initial=0)) * int(np.abs(b).max(initial=0)) * max(multiplicity, 1)
    if bound >= 2**62:
        return a.astype(object) * b.astype(object)
    return a * b


def _combine(x: np.ndarray, z: np.ndarray, coef: np.ndarray, owner: np.ndarray) -> PackedSums:
    """Merge repeated ``(owner, string)`` terms, drop zeros, renumber non-empty owners."""
    keys = [z[:, w] for w in reversed(range(z.shape[1]))] + [
        x[:, w] for w in reversed(range(x.shape[1]))
    ]
    order = np.lexsort(keys + [owner])
    x, z, coef, owner = x[order], z[order], coef[order], owner[order]
    change = np.ones(len(owner), dtype=bool)
    change[1:] = (owner[1:] != owner[:-1]) | np.any((x[1:] != x[:-1]) | (z[1:] != z[:-1]), axis=1)
    starts = np.flatnonzero(change)
    coef = np.add.reduceat(coef, starts) if len(starts) else coef[:0]
    x, z, owner = x[starts], z[starts], owner[starts]
    keep = coef != 0
    x, z, coef, owner = x[keep], z[keep], coef[keep], owner[keep]
    uniq, owner = np.unique(owner, return_inverse=True)
    return PackedSums(x, z, coef, owner.astype(np.int64), len(uniq))


def normalised(batch: PackedSums) -> PackedSums:
    """Each element divided by its content (exact) or 2-norm (float), first term positive.

    Float elements are brackets of unit-norm sums, so rounding leaves terms near 1e-16
    where exact arithmetic would cancel: terms below :data:`FLOAT_ZERO` are dropped (and
    with them brackets that vanish), before normalising.
    """
    if batch.coef.dtype.kind == "f":
        batch = _drop_float_noise(batch)
    if not batch.count:
        return batch
    starts = np.searchsorted(batch.owner, np.arange(batch.count))
    if batch.coef.dtype.kind == "f":
        scale = np.sqrt(np.add.reduceat(batch.coef**2, starts))
    else:
        scale = np.gcd.reduceat(np.abs(batch.coef), starts)
    scale = scale * np.sign(batch.coef[starts])
    coef = (
        batch.coef / scale[batch.owner]
        if batch.coef.dtype.kind == "f"
        else batch.coef // scale[batch.owner]
    )
    if coef.dtype == object and np.abs(coef).max() < 2**31:
        coef = coef.astype(np.int64)
    return dataclasses.replace(batch, coef=coef)


def _drop_float_noise(batch: PackedSums) -> PackedSums:
    keep = np.abs(batch.coef) > FLOAT_ZERO
    if keep.all():
        return batch
    owners, owner = np.unique(batch.owner[keep], return_inverse=True)
    return PackedSums(
        batch.x[keep], batch.z[keep], batch.coef[keep], owner.astype(np.int64), len(owners)
    )
