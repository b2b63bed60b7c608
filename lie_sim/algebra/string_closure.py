"""Lie closure of Pauli-string generators: a breadth-first search over packed strings.

When every generator is a single Pauli string the algebra is spanned by Pauli strings: the
bracket of anticommuting strings ``iP, iQ`` is ``±2·iR`` with ``R`` the string of masks
``(x_P ^ x_Q, z_P ^ z_Q)``, and commuting strings bracket to zero. So the closure is the set
of strings reachable from the generators by "multiply by a generator that anticommutes", found
by a breadth-first search (BFS) with no linear algebra. Three facts make that search fast and
small at millions of strings:

* **The search graph is undirected, so levels suffice.** Join ``s`` and ``s·g`` when the
  generator ``g`` anticommutes with ``s``; then ``s·g`` anticommutes with ``g`` and
  ``(s·g)·g = s``, so the relation is symmetric and a neighbour of a level-``L`` string lies in
  level ``L − 1``, ``L`` or ``L + 1``. A candidate found from level ``L`` is new exactly when it
  is in neither level ``L − 1`` nor level ``L``: no set of all strings found is ever kept.
* **Generators come in patterns.** Most generator sets place a few local patterns at many
  offsets (``Z_i``, ``X_iX_{i+1}``, ``Y_iY_{i+1}``). A string ``s`` anticommutes with pattern
  ``p`` placed at offset ``k`` iff ``Σ_j (s_x[k+j]·p_z[j] + s_z[k+j]·p_x[j])`` is odd; for all
  ``k`` at once that is the XOR, over the pattern's non-identity positions ``j``, of ``s``'s
  masks shifted down by ``j`` bits: ``O(weight · n/64)`` word operations per string and pattern
  instead of ``O(|G| · n/64)``, and the set bits are the anticommuting placements. A pattern
  with few placements goes through the plain broadcast test instead.
* **Keys are a linear hash, confirmed exactly.** ``h(s)`` = XOR of random 64-bit words, one per
  set bit of ``(x, z)``, is linear over GF(2), so ``h(s·g) = h(s) ^ h(g)``: a candidate's key
  costs one XOR, and candidates are deduplicated and looked up by sorting and binary search on
  ``uint64`` keys. Two distinct strings share a key with probability ``2⁻⁶⁴`` (``h`` is a
  random linear map), and every pair of equal keys is confirmed by comparing the packed strings,
  so the result is exact; a collision restarts the search with a fresh hash.

Memory is the packed basis (``16·⌈n/64⌉`` bytes a string) held once in per-level arrays and once
in the concatenated result, plus a working set bounded by :data:`WORK_BYTES`. Before each step
the search compares its estimated peak with the memory available and raises
:class:`~lie_sim.errors.ClosureLimitError` instead of allocating past it.

Basis order: the distinct generators in canonical order (:func:`word_sort_key`), then the BFS
levels; inside a level, strings in order of discovery (parent position, then generator).

References:
    The closure of Pauli-string generators as reachability in their anticommutation graph:
    Aguilar, Cichy, Eisert, Bittel, arXiv 2408.00081. The free-fermion chain
    ``{Z_i, X_iX_{i+1}, Y_iY_{i+1}}`` closes to so(2n) (Wiersema et al., arXiv 2309.05690).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

import numpy as np

from lie_sim.algebra import memory
from lie_sim.algebra.memory import check_max_dim
from lie_sim.pauli.packed import PackedSums
from lie_sim.pauli.paulis import PauliWord, anticommute, num_words, pack_ints, word_sort_key
from lie_sim.progress import Progress

WORK_BYTES = 1 << 26  # working memory of one vectorised step (candidates, shifted masks)
PATTERN_MIN_PLACEMENTS = 2  # fewer placements (or fewer than its weight): broadcast test
_SEEDS = (0x5EED, 0xC0FFEE, 0xBADC0DE, 0xFACADE)  # hash seeds, tried in turn on a collision


def pauli_string_closure(
    words: Iterable[PauliWord],
    num_qubits: int,
    *,
    max_dim: int | None = None,
    progress: Progress | None = None,
) -> PackedSums:
    """The Lie closure of the Pauli strings ``{i·P}``, as packed strings (one term each).

    Args:
        words: the generator strings (repeats are ignored); none may be the identity.
        num_qubits: the strings act on qubits ``0 .. num_qubits - 1``.
        max_dim: stop with :class:`ClosureLimitError` once the dimension exceeds this.
        progress: a progress line to update once per BFS level.

    Returns:
        The basis: the distinct generators in canonical order, then the BFS levels.

    Raises:
        ClosureLimitError: the dimension exceeded ``max_dim``, or the next step would need
            more memory than is available (the error carries the estimate).

    Example:
        >>> chain = [PauliWord.from_text(t) for t in ["ZII", "IZI", "IIZ", "XXI", "IXX"]]
        >>> basis = pauli_string_closure(chain, 3)
        >>> basis.count  # so(6), arXiv 2309.05690
        15
        >>> [str(s) for s in basis.to_pauli_sums(3)[:6]]
        ['X0 X1', 'Z0', 'X1 X2', 'Z1', 'Z2', 'Y0 X1']
    """
    gens = _checked(words, num_qubits)
    for seed in _SEEDS:
        try:
            return _Search(gens, num_qubits, seed, max_dim, progress).run()
        except HashCollision:
            continue
    raise RuntimeError("Every hash seed collided; please report this input")


def pauli_string_module(
    generators: Iterable[PauliWord],
    seeds: Iterable[PauliWord],
    num_qubits: int,
    *,
    max_dim: int | None = None,
    progress: Progress | None = None,
) -> PackedSums:
    """The smallest set of strings containing ``seeds`` and closed under ``s ↦ s·g`` for each
    generator ``g`` anticommuting with ``s``: a basis of the ``ad``-invariant subspace the
    seeds generate (their module), found by the same level search as the closure.

    Args:
        generators: the generator strings (repeats are ignored); none may be the identity.
        seeds: the starting strings (repeats are ignored).
        num_qubits: the strings act on qubits ``0 .. num_qubits - 1``.
        max_dim: stop with :class:`ClosureLimitError` once the dimension exceeds this.
        progress: a progress line to update once per level.

    Returns:
        The module's strings: the distinct seeds in canonical order, then the levels.

    Example:
        >>> chain = [PauliWord.from_text(t) for t in ["ZII", "IZI", "IIZ", "XXI", "IXX"]]
        >>> pauli_string_module(chain, [PauliWord.from_text("XII")], 3).count
        6
    """
    gens = _checked(generators, num_qubits)
    start = _checked(seeds, num_qubits, what="Seed")
    for seed in _SEEDS:
        try:
            return _Search(gens, num_qubits, seed, max_dim, progress).run(start)
        except HashCollision:
            continue
    raise RuntimeError("Every hash seed collided; please report this input")


def _checked(words: Iterable[PauliWord], num_qubits: int, what: str = "Generator") -> list:
    """The distinct strings in canonical order; each must be a non-identity on the qubits."""
    out = sorted(set(words), key=word_sort_key)
    if not out:
        raise ValueError(f"The string search needs at least one {what.lower()} string")
    for w in out:
        if not (w.x or w.z) or (w.x | w.z).bit_length() > num_qubits:
            raise ValueError(
                f"{what} {w.to_text()!r} is the identity or acts outside qubits "
                f"0..{num_qubits - 1}; give non-identity strings on num_qubits={num_qubits}"
            )
    return out


class HashCollision(Exception):
    """Two distinct strings shared a key: restart with another seed."""


# ----------------------------------------------------------------------------------------
# Packed bit operations


def _shift_down(a: np.ndarray, j: int) -> np.ndarray:
    """Rows of packed masks shifted toward qubit 0 by ``j`` bits: bit ``k`` of the result is
    bit ``k + j`` of ``a`` (bits shifted in from above are zero). ``a`` is ``(m, words)``.
    """
    q, r = divmod(j, 64)
    if q:
        out = np.zeros_like(a)
        out[:, : max(0, a.shape[1] - q)] = a[:, q:]
    else:
        out = a
    if not r:
        return out
    low = out >> np.uint64(r)
    low[:, :-1] |= out[:, 1:] << np.uint64(64 - r)
    return low


def _set_bits(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(row, bit)`` of every set bit of the packed rows ``a``, in row-major order."""
    rows, word = np.nonzero(a)
    values = np.ascontiguousarray(a[rows, word], dtype="<u8").view(np.uint8)
    bits = np.unpackbits(values.reshape(-1, 8), axis=1, bitorder="little")
    hit, bit = np.nonzero(bits)
    return rows[hit], word[hit] * 64 + bit


def hash_columns(seed: int, nwords: int) -> np.ndarray:
    """One random 64-bit word per bit of ``[x | z]``: the linear hash of the seed."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2**64 - 1, size=128 * nwords, dtype=np.uint64, endpoint=True)


def linear_hash(x: np.ndarray, z: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """XOR of ``columns[b]`` over the set bits ``b`` of each row of ``[x | z]``.

    By bytes: a table of the 256 XORs of each byte position's 8 columns, one lookup per
    non-zero byte position, ``O(words)`` gathers per row whatever the number of set bits.
    """
    out = np.zeros(len(x), dtype=np.uint64)
    both = np.concatenate([x, z], axis=1)
    data = np.ascontiguousarray(both, dtype="<u8").view(np.uint8)
    tables = _byte_tables(columns)
    for p in np.flatnonzero(np.any(data, axis=0)):
        out ^= tables[p][data[:, p]]
    return out


def _byte_tables(columns: np.ndarray) -> np.ndarray:
    """``(bytes, 256)``: entry ``[p, v]`` is the XOR of ``columns[8p + j]`` over bits j of v."""
    bits = ((np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1).astype(bool)
    cols = columns.reshape(-1, 8)
    tables = np.zeros((len(cols), 256), dtype=np.uint64)
    for j in range(8):
        tables[:, bits[:, j]] ^= cols[:, j : j + 1]
    return tables


# ----------------------------------------------------------------------------------------
# Generators: patterns tested by shifts, the rest by broadcast


@dataclasses.dataclass
class _Pattern:
    """One string placed at several offsets: its ``(mask, shift)`` terms and placements."""

    terms: list[tuple[str, int]]  # "x", "z" or "y" (the masks of s tested), shift j
    placed: np.ndarray  # (words,) uint64: bit k set where the pattern is a generator
    index: np.ndarray  # (64·words,) int64: generator index of the placement at offset k


class StringGenerators:
    """The distinct generators, packed and hashed, grouped for the anticommutation test."""

    def __init__(self, words: list[PauliWord], nwords: int, seed: int):
        self.x = pack_ints([w.x for w in words], nwords)
        self.z = pack_ints([w.z for w in words], nwords)
        self.count = len(words)
        self.columns = hash_columns(seed, nwords)
        self.hash = linear_hash(self.x, self.z, self.columns)
        self.patterns: list[_Pattern] = []
        singles: list[int] = []
        for (px, pz), placements in _group_by_pattern(words).items():
            terms = _pattern_terms(px, pz)
            if len(placements) >= max(PATTERN_MIN_PLACEMENTS, len(terms)):
                self.patterns.append(_pattern(terms, placements, nwords))
            else:
                singles.extend(g for _, g in placements)
        self.singles = np.array(sorted(singles), dtype=np.int64)

    def row_bytes(self) -> int:
        """Working bytes of the anticommutation tests of one frontier string."""
        return 8 * self.x.shape[1] * (len(self.patterns) + 6) + len(self.singles)

    def anticommuting(self, fx: np.ndarray, fz: np.ndarray) -> _Hits:
        """Which generators anticommute with each frontier string ``(fx, fz)``."""
        masks = {"x": fx, "z": fz}
        per_pattern = []
        for p in self.patterns:
            acc = np.zeros_like(fx)
            for mask, j in p.terms:
                if mask not in masks:
                    masks[mask] = fx ^ fz
                acc ^= _shift_down(masks[mask], j)
            per_pattern.append(acc & p.placed)
        single = np.zeros((len(fx), len(self.singles)), dtype=bool)
        if len(self.singles):
            sx, sz = self.x[self.singles], self.z[self.singles]
            step = max(1, WORK_BYTES // (32 * sx.size))  # a few (rows, singles, words) temps
            for lo in range(0, len(fx), step):
                cx, cz = fx[lo : lo + step, None], fz[lo : lo + step, None]
                single[lo : lo + step] = anticommute(cx, cz, sx[None], sz[None])
        return _Hits(self, per_pattern, single)


@dataclasses.dataclass
class _Hits:
    """Anticommuting (frontier row, generator) pairs of one frontier chunk, extracted lazily."""

    gens: StringGenerators
    per_pattern: list[np.ndarray]
    single: np.ndarray

    def counts(self) -> np.ndarray:
        total = self.single.sum(axis=1, dtype=np.int64)
        for a in self.per_pattern:
            total += np.bitwise_count(a).sum(axis=1, dtype=np.int64)
        return total

    def pairs(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of rows ``lo .. hi - 1``: (row, generator index) arrays."""
        rows, gens = [], []
        for p, a in zip(self.gens.patterns, self.per_pattern, strict=True):
            r, k = _set_bits(a[lo:hi])
            rows.append(r + lo)
            gens.append(p.index[k])
        r, s = np.nonzero(self.single[lo:hi])
        rows.append(r + lo)
        gens.append(self.gens.singles[s])
        return np.concatenate(rows), np.concatenate(gens)


def _group_by_pattern(words: list[PauliWord]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Generators keyed by their pattern (masks shifted to start at qubit 0): (offset, index)."""
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for g, w in enumerate(words):
        support = w.x | w.z
        k = (support & -support).bit_length() - 1
        groups.setdefault((w.x >> k, w.z >> k), []).append((k, g))
    return groups


def _pattern_terms(px: int, pz: int) -> list[tuple[str, int]]:
    """Which mask of ``s`` meets each non-identity position: X tests s_z, Z s_x, Y s_x ^ s_z."""
    terms = []
    for j in range((px | pz).bit_length()):
        bx, bz = px >> j & 1, pz >> j & 1
        if bx or bz:
            terms.append(("y" if bx and bz else "z" if bx else "x", j))
    return terms


def _pattern(
    terms: list[tuple[str, int]], placements: list[tuple[int, int]], nwords: int
) -> _Pattern:
    index = np.full(64 * nwords, -1, dtype=np.int64)
    offsets = np.array([k for k, _ in placements])
    index[offsets] = [g for _, g in placements]
    placed = np.packbits(index >= 0, bitorder="little").view("<u8").astype(np.uint64)
    return _Pattern(terms, placed, index)


# ----------------------------------------------------------------------------------------
# Levels and the search


@dataclasses.dataclass
class KeyedStrings:
    """Strings with their keys, and the keys sorted for lookup."""

    x: np.ndarray
    z: np.ndarray
    hash: np.ndarray
    order: np.ndarray  # argsort of hash
    sorted_hash: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, z: np.ndarray, hashes: np.ndarray) -> KeyedStrings:
        order = np.argsort(hashes)
        return cls(x, z, hashes, order, hashes[order])

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows whose key matches: (mask over ``keys``, row index of each match)."""
        if not len(self.sorted_hash):
            return np.zeros(len(keys), dtype=bool), np.zeros(0, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.sorted_hash, keys), len(self.sorted_hash) - 1)
        hit = self.sorted_hash[pos] == keys
        return hit, self.order[pos[hit]]


class _Search:
    def __init__(self, words, num_qubits, seed, max_dim, progress):
        self.nwords = num_words(num_qubits)
        self.gens = StringGenerators(words, self.nwords, seed)
        self.max_dim = max_dim
        self.progress = progress
        self.guard = _MemoryGuard(self.nwords)

    def run(self, seeds: list[PauliWord] | None = None) -> PackedSums:
        """The closure (``seeds`` None: start from the generators) or the seeds' module."""
        g = self.gens
        if seeds is None:
            level = KeyedStrings.of(g.x, g.z, g.hash)
        else:
            x = pack_ints([w.x for w in seeds], self.nwords)
            z = pack_ints([w.z for w in seeds], self.nwords)
            level = KeyedStrings.of(x, z, linear_hash(x, z, g.columns))
        if np.any(level.sorted_hash[1:] == level.sorted_hash[:-1]):
            raise HashCollision
        dim = len(level.x)
        empty = np.zeros((0, self.nwords), dtype=np.uint64)
        previous = KeyedStrings.of(empty, empty, np.zeros(0, dtype=np.uint64))
        found_x, found_z = [level.x], [level.z]
        while len(level.x):
            check_max_dim(dim, self.max_dim)
            if self.progress is not None:
                self.progress.update(dim=dim)
            previous, level = level, self._next_level(previous, level, dim)
            found_x.append(level.x)
            found_z.append(level.z)
            dim += len(level.x)
        check_max_dim(dim, self.max_dim)
        owner = np.arange(dim, dtype=np.int64)
        ones = np.ones(dim, dtype=np.int64)
        return PackedSums(np.concatenate(found_x), np.concatenate(found_z), ones, owner, dim)

    def _next_level(self, previous: KeyedStrings, level: KeyedStrings, dim: int) -> KeyedStrings:
        """The strings one bracket away from ``level`` and in neither ``level`` nor ``previous``."""
        known = [previous, level]
        parts: list[tuple[KeyedStrings, np.ndarray]] = []
        new = 0
        rows = max(1, WORK_BYTES // self.gens.row_bytes())
        for lo in range(0, len(level.x), rows):
            hits = self.gens.anticommuting(level.x[lo : lo + rows], level.z[lo : lo + rows])
            counts = hits.counts()
            working = len(counts) * self.gens.row_bytes()
            self.guard.check(dim + new, int(counts.sum()), working, self.max_dim)
            for a, b in _ranges(counts, self.guard.pairs_per_step):
                r, gi = hits.pairs(a, b)
                block, first = self._fresh(level, lo + r, gi, known)
                if len(block.x):
                    known.append(block)
                    parts.append((block, first))
                    new += len(block.x)
                    check_max_dim(dim + new, self.max_dim)
        if not parts:
            return KeyedStrings.of(level.x[:0], level.z[:0], level.hash[:0])
        first = np.concatenate([f for _, f in parts])
        order = np.argsort(first, kind="stable")
        x = np.concatenate([p.x for p, _ in parts])[order]
        z = np.concatenate([p.z for p, _ in parts])[order]
        return KeyedStrings.of(x, z, np.concatenate([p.hash for p, _ in parts])[order])

    def _fresh(
        self, level: KeyedStrings, rows: np.ndarray, gi: np.ndarray, known: list[KeyedStrings]
    ) -> tuple[KeyedStrings, np.ndarray]:
        """The distinct candidates ``level[rows]·gens[gi]`` not in ``known``, with the position
        ``rows·|G| + gi`` of each one's first occurrence (its discovery order)."""
        g = self.gens
        keys = level.hash[rows] ^ g.hash[gi]
        order = np.argsort(keys)
        keys = keys[order]
        rows, gi = rows[order], gi[order]
        x, z = level.x[rows] ^ g.x[gi], level.z[rows] ^ g.z[gi]
        start = np.ones(len(keys), dtype=bool)
        start[1:] = keys[1:] != keys[:-1]
        repeat = np.nonzero(~start)[0]
        if not _rows_equal(x, z, repeat - 1, repeat):
            raise HashCollision
        starts = np.nonzero(start)[0]
        first = np.minimum.reduceat(rows * g.count + gi, starts) if len(starts) else starts
        x, z, keys = x[starts], z[starts], keys[starts]
        fresh = np.ones(len(keys), dtype=bool)
        for block in known:
            hit, at = block.find(keys)
            where = np.nonzero(hit)[0]
            if not (
                np.array_equal(block.x[at], x[where]) and np.array_equal(block.z[at], z[where])
            ):
                raise HashCollision
            fresh &= ~hit
        return KeyedStrings.of(x[fresh], z[fresh], keys[fresh]), first[fresh]


def _rows_equal(x: np.ndarray, z: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """Whether rows ``a`` and ``b`` of ``(x, z)`` are equal, pair by pair."""
    return bool(np.array_equal(x[a], x[b]) and np.array_equal(z[a], z[b]))


def _ranges(counts: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Consecutive row ranges whose counts sum to at most ``limit`` (at least one row each)."""
    total = np.cumsum(counts)
    lo = 0
    while lo < len(counts):
        base = total[lo - 1] if lo else 0
        hi = max(lo + 1, int(np.searchsorted(total, base + limit, side="right")))
        yield lo, hi
        lo = hi


# ----------------------------------------------------------------------------------------
# Memory


class _MemoryGuard:
    """Refuses a step whose estimated peak exceeds what is available, before allocating it.

    The peak of the search is the packed basis twice (the per-level arrays and the
    concatenated result, each ``16·words`` bytes a string, plus 16 bytes of coefficient and
    owner) and one step's working set. A level's new strings are at most its candidates.
    """

    def __init__(self, nwords: int):
        self.row_bytes = 16 * nwords
        self.pairs_per_step = max(1, WORK_BYTES // (2 * self.row_bytes + 64))
        self.budget = memory.MemoryBudget()

    def check(self, dim: int, candidates: int, working: int, max_dim: int | None) -> None:
        """Raise unless a step from dimension ``dim`` with ``candidates`` new strings at most,
        beside ``working`` bytes of tests, fits in the memory available."""
        upper = dim + candidates
        if max_dim is not None:  # the search stops within one step past max_dim
            upper = min(upper, max_dim + 1 + self.pairs_per_step)
        step = min(candidates, self.pairs_per_step) * (2 * self.row_bytes + 64)
        peak = upper * (2 * self.row_bytes + 16) + step + working
        allocated = dim * self.row_bytes  # the levels found so far
        self.budget.require(
            peak - allocated, dim=dim, max_dim=max_dim, peak=peak, allocated=allocated
        )
