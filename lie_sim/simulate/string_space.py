"""g-sim over a space of Pauli strings: every gate is a set of 2×2 Givens rotations.

For a Pauli string ``P`` and a string ``Q`` that anticommutes with it, write ``QP = ε·i·R``
(``ε = ±1``). Then ``U = e^{-iαP}`` acts on expectation values as

    ⟨Q⟩ ↦ cos 2α·⟨Q⟩ + ε sin 2α·⟨R⟩,    ⟨R⟩ ↦ cos 2α·⟨R⟩ − ε sin 2α·⟨Q⟩

(``U†QU = Q e^{-2iαP}``), and leaves the expectation of every string commuting with ``P``
alone. On a set ``W`` of strings closed under ``Q ↦ QP`` for the anticommuting ``Q``, the
vector ``e_Q = ⟨Q⟩_ρ`` therefore evolves by rotations of the pairs ``(Q, QP)``: work
proportional to the pairs a gate touches, no matrix exponential. A generator that is a sum of
commuting strings is the product of its strings' rotations (their adjoint actions commute).

The pairs of every generator string are found once, for all strings of ``W`` at a time, by
the closure's anticommutation tests (local patterns tested by shifts of packed masks) and a
linear-hash lookup of each partner ``QP`` (confirmed exactly).

References:
    Goh, Larocca, Cincio, Cerezo, Sauvage, *Lie-algebraic classical simulations for variational
    quantum computing*, arXiv 2308.01432 (g-sim); the rotation of anticommuting pairs is the
    adjoint action of a Pauli rotation, ``ad_P³ = −4·ad_P``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np

from lie_sim.algebra.string_closure import (
    _SEEDS,
    WORK_BYTES,
    KeyedStrings,
    StringGenerators,
    hash_columns,
    linear_hash,
)
from lie_sim.pauli.paulis import PauliWord, pack_ints, product_phase, unpack_ints

_HASH_ROWS = 1 << 14  # strings hashed per step


@dataclasses.dataclass(frozen=True)
class TermPairs:
    """The anticommuting pairs ``(Q, R = ε·(-i)·QP)`` of one generator string in ``W``.

    Attributes:
        a, b: row indices of ``Q`` and ``R`` in the space (``a < b``).
        eps: ``ε = ±1`` in ``QP = ε·i·R``, as floats.
    """

    a: np.ndarray
    b: np.ndarray
    eps: np.ndarray


class HashedStrings:
    """Distinct packed strings with linear-hash keys, for exact lookups of other strings.

    The hash seed is the first of the closure's seeds under which no two of the strings share
    a key; a query whose key matches is confirmed by comparing the strings.
    """

    def __init__(self, x: np.ndarray, z: np.ndarray):
        self.x, self.z = x, z
        for seed in _SEEDS:
            self.seed = seed
            self.columns = hash_columns(seed, x.shape[1])
            self.keys = _keys(x, z, self.columns)
            self.index = KeyedStrings.of(x, z, self.keys)
            if not np.any(self.index.sorted_hash[1:] == self.index.sorted_hash[:-1]):
                return
        raise RuntimeError("Every hash seed collided; please report this input")

    def find(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Row of each string ``(x[i], z[i])``, or -1 where it is not one of the strings."""
        return self.find_keys(_keys(x, z, self.columns), x, z)

    def find_keys(self, keys: np.ndarray, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """:meth:`find` for strings whose keys are known."""
        hit, rows = self.index.find(keys)
        out = np.full(len(keys), -1, dtype=np.int64)
        where = np.flatnonzero(hit)
        same = np.all(self.x[rows] == x[where], axis=1) & np.all(self.z[rows] == z[where], axis=1)
        out[where[same]] = rows[same]
        return out


def _keys(x: np.ndarray, z: np.ndarray, columns: np.ndarray) -> np.ndarray:
    parts = [
        linear_hash(x[lo : lo + _HASH_ROWS], z[lo : lo + _HASH_ROWS], columns)
        for lo in range(0, len(x), _HASH_ROWS)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


class StringSpace:
    """Expectation values over a set ``W`` of distinct Pauli strings, rotated by gates.

    Args:
        x, z: ``(m, words)`` packed masks of the strings of ``W``.
        terms: the generator strings (distinct).
        generators: for each generator, its ``(term index, coefficient)`` pairs
            (``e^{-iθH}`` with ``H = Σ c·P_term``; the terms of one generator commute).

    Raises:
        LookupError: ``W`` is not closed under some term (a partner string is missing).
    """

    def __init__(
        self,
        x: np.ndarray,
        z: np.ndarray,
        terms: Sequence[PauliWord],
        generators: Sequence[Sequence[tuple[int, float]]],
    ):
        nwords = x.shape[1]
        self.term_x = pack_ints([w.x for w in terms], nwords)
        self.term_z = pack_ints([w.z for w in terms], nwords)
        self.strings = HashedStrings(x, z)
        self.generators = [
            (np.array([t for t, _ in g], dtype=np.int64), np.array([c for _, c in g], dtype=float))
            for g in generators
        ]
        self.pairs = _term_pairs(self.strings, list(terms))

    @classmethod
    def from_packed_terms(
        cls,
        x: np.ndarray,
        z: np.ndarray,
        term_x: np.ndarray,
        term_z: np.ndarray,
        generators: Sequence[Sequence[tuple[int, float]]],
    ) -> StringSpace:
        """The space from packed generator strings (as :attr:`term_x`, :attr:`term_z`)."""
        terms = [
            PauliWord(a, b) for a, b in zip(unpack_ints(term_x), unpack_ints(term_z), strict=True)
        ]
        return cls(x, z, terms, generators)

    @property
    def dim(self) -> int:
        return len(self.strings.x)

    def rotate(self, generator: int, theta: float | np.ndarray, vectors: np.ndarray) -> None:
        """Apply the gate ``e^{-iθH}`` to the ``(dim, k)`` columns of ``vectors``, in place;
        ``theta`` is one angle, or one per column."""
        terms, coefs = self.generators[generator]
        for t, c in zip(terms.tolist(), coefs.tolist(), strict=True):
            p = self.pairs[t]
            angle = 2.0 * c * theta
            cos, sin = np.cos(angle), np.sin(angle) * p.eps[:, None]
            va, vb = vectors[p.a], vectors[p.b]
            vectors[p.a] = cos * va + sin * vb
            vectors[p.b] = cos * vb - sin * va

    def derivative_dot(
        self, generator: int, cotangents: np.ndarray, state: np.ndarray
    ) -> np.ndarray:
        """``λ_jᵀ·A·e`` for each column ``λ_j`` of ``cotangents`` (``A = d/dθ`` of the gate)."""
        terms, coefs = self.generators[generator]
        total = np.zeros(cotangents.shape[1])
        for t, c in zip(terms.tolist(), coefs.tolist(), strict=True):
            p = self.pairs[t]
            mixed = cotangents[p.a] * state[p.b, None] - cotangents[p.b] * state[p.a, None]
            total += 2.0 * c * (p.eps @ mixed)
        return total


def _term_pairs(strings: HashedStrings, terms: list[PauliWord]) -> list[TermPairs]:
    """The pairs of every term (distinct strings), in the order of ``terms``."""
    if not terms:
        return []
    x, z = strings.x, strings.z
    gens = StringGenerators(terms, x.shape[1], strings.seed)
    rows_a, rows_b, eps, owner = [], [], [], []
    step = max(1, WORK_BYTES // gens.row_bytes())
    for lo in range(0, len(x), step):
        hits = gens.anticommuting(x[lo : lo + step], z[lo : lo + step])
        r, gi = hits.pairs(0, min(step, len(x) - lo))
        r = r + lo
        px, pz = x[r] ^ gens.x[gi], z[r] ^ gens.z[gi]
        partner = strings.find_keys(strings.keys[r] ^ gens.hash[gi], px, pz)
        if np.any(partner < 0):
            miss = int(np.flatnonzero(partner < 0)[0])
            raise LookupError(f"The string space is not closed under {terms_text(gens, gi[miss])}")
        keep = r < partner
        r, gi, partner = r[keep], gi[keep], partner[keep]
        k = product_phase(x[r], z[r], gens.x[gi], gens.z[gi])
        rows_a.append(r)
        rows_b.append(partner)
        eps.append(np.where(k == 1, 1.0, -1.0))
        owner.append(gi)
    a, b, e, g = (np.concatenate(v) for v in (rows_a, rows_b, eps, owner))
    order = np.argsort(g, kind="stable")
    a, b, e, g = a[order], b[order], e[order], g[order]
    bounds = np.searchsorted(g, np.arange(gens.count + 1)).tolist()
    return [TermPairs(a[lo:hi], b[lo:hi], e[lo:hi]) for lo, hi in itertools.pairwise(bounds)]


def terms_text(gens: StringGenerators, index: int) -> str:
    x, z = (unpack_ints(a[index : index + 1])[0] for a in (gens.x, gens.z))
    return f"generator string {PauliWord(x, z).to_text()}"
