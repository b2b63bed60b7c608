"""Exact closure of integer Pauli sums: a search over one prime, checked over a second.

The breadth-first search of :mod:`lie_sim.algebra.closure` brackets each new basis element
with each (independent) generator. Here:

* **Brackets by table.** Pauli strings are numbered as columns (:class:`StringColumns`). For
  each column ``c`` and each generator term ``t``, the bracket ``[P_c, Q_t]`` (a signed
  string, or zero) is computed once (:class:`AdjointTable`); the brackets of a whole frontier
  are then one gather, one multiplication and one summation of repeated entries.
* **Search over a small prime.** A :class:`~lie_sim.algebra.modp.ModPSpan` over a prime
  ``p < 2^21`` (products of residues below ``2^42``: exact in float64 BLAS and in int64
  sparse products without splitting) decides which brackets enlarge the span. A rank
  over ``GF(p)`` never exceeds the rank over the rationals, so every element taken is
  independent over the rationals; the only possible error is a bracket judged dependent
  that is not (``p`` divides every maximal minor of the basis with that bracket).
* **One check over a 31-bit prime** ``q`` at the end, in a single batch (:func:`_check`):
  the basis must stay independent over ``GF(q)``, and a random combination (coefficients
  in ``[1, q)``) of *every* generator bracket of every basis element, and of every
  generator, must lie in its span over ``GF(q)``. If the span is closed over the rationals
  both hold (independence over ``GF(q)`` fails only for an unlucky ``q``, which is
  reported too). If some bracket ``v`` is outside the rational span, ``v mod q`` is outside
  the ``GF(q)`` span unless ``q`` divides every maximal minor of ``[basis; v]``, and then
  the random combination is outside it with probability at least ``1 − 2/q``. A wrong
  dimension thus needs both primes unlucky on the same matrix, as with two primes in lock
  step, at a fraction of the cost: the random combination costs one pass over the basis
  and the table, and the span over ``GF(q)`` is built once, from the basis alone (no
  dependent brackets). A failed check raises :class:`UnluckyPrime` and the caller retries
  with other primes.

A passed check proves that the span contains the generators and is invariant under each
``ad_g``: it is the whole algebra.

With numba installed, the search runs in one compiled call for up to 32 qubits
(:mod:`lie_sim.algebra.closure_kernel`: the same candidates and rank decisions, a screening
functional in front of them) and only the check runs here; larger or unsuited inputs take the
search below.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import scipy.sparse as sp

from lie_sim.algebra.memory import MemoryBudget, check_max_dim
from lie_sim.algebra.modp import ModPSpan, rref_mod
from lie_sim.pauli.packed import PackedSums, concat
from lie_sim.pauli.paulis import row_keys
from lie_sim.progress import Progress

CHECK_ROUNDS = 2  # random combinations of the brackets tested against the check span
PIVOT_CHECK = 600  # up to this dimension, the check solves on the search's pivot columns
# Bytes per gathered product in AdjointTable.brackets (index, value, coefficient, row, target,
# key and their products: about ten int64/float64 arrays of the product count).
_PRODUCT_BYTES = 80
_SAFE = 1 << 62  # int64 bound for exact sums of products
_EXACT_FLOAT = 1 << 53  # float64 bound for exact sums of integers


class UnluckyPrime(Exception):
    """The check prime found the search prime's span not closed (or lost rank itself)."""


@dataclasses.dataclass
class Terms:
    """Sums as flat terms: element ``owner[t]`` has ``coef[t]`` at column ``col[t]``.

    ``owner`` is sorted and covers ``0 .. count-1``; within an element, columns are distinct.
    Coefficients are int64 or Python ints (object array) once int64 could overflow.
    """

    owner: np.ndarray
    col: np.ndarray
    coef: np.ndarray
    count: int

    def add_to(self, span: ModPSpan, ncols: int) -> np.ndarray:
        """Offer the elements to ``span``; the indices of those it took."""
        return span.add(self.owner, self.col, self.coef, self.count, ncols)

    def select(self, elements: np.ndarray) -> Terms:
        """The given elements (in that order), renumbered."""
        starts = np.searchsorted(self.owner, elements, side="left")
        lengths = np.searchsorted(self.owner, elements, side="right") - starts
        idx = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        owner = np.repeat(np.arange(len(elements)), lengths)
        return Terms(owner, self.col[idx], self.coef[idx], len(elements))


class StringColumns:
    """Pauli strings numbered in order of first appearance (the columns of the spans).

    A dict maps each string to its column: keyed by ``x << 32 | z`` when every string fits
    in 32 qubits, else by the bytes of its masks. Lookups are per string in Python, which
    beats sorting and merging arrays for the small batches of a closure's levels.
    """

    def __init__(self, nwords: int, *, packed_keys: bool):
        self.x = np.zeros((0, nwords), dtype=np.uint64)
        self.z = np.zeros((0, nwords), dtype=np.uint64)
        self.size = 0
        self.packed_keys = packed_keys and nwords == 1
        self._index: dict = {}

    def ids(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Column of every string (rows of ``x``, ``z``); new strings get new columns."""
        if self.packed_keys:
            keys = (x[:, 0] << np.uint64(32)) | z[:, 0]
        else:
            keys = row_keys(x, z)
        index = self._index
        # Known strings in one C-level pass (map of dict.get); new ones numbered in order.
        found = np.fromiter(
            map(index.get, keys.tolist(), itertools.repeat(-1)), np.int64, len(keys)
        )
        missing = (found < 0).nonzero()[0]
        if len(missing):
            size, counter = self.size, itertools.count(self.size)
            found[missing] = [
                index[k] if k in index else index.setdefault(k, next(counter))
                for k in keys[missing].tolist()
            ]
            first = np.empty(len(index) - size, dtype=np.int64)  # first occurrences, in order
            first[found[missing[::-1]] - size] = missing[::-1]  # of their new columns
            self._store(x[first], z[first])
        return found

    def _store(self, x: np.ndarray, z: np.ndarray) -> None:
        if self.size + len(x) > len(self.x):
            grow = max(2 * len(self.x), self.size + len(x), 64)
            self.x = np.concatenate([self.x, np.zeros((grow - len(self.x), x.shape[1]), x.dtype)])
            self.z = np.concatenate([self.z, np.zeros((grow - len(self.z), z.shape[1]), z.dtype)])
        self.x[self.size : self.size + len(x)] = x
        self.z[self.size : self.size + len(z)] = z
        self.size += len(x)


class AdjointTable:
    """The bracket of every tabulated column's string with every generator term.

    For generator terms ``a_t Q_t`` (all generators, concatenated) and a column string
    ``P_c`` that anticommutes with ``Q_t``, the table holds the column of ``P_c Q_t`` and the
    value ``(k − 2)·a_t`` for ``P_c Q_t = i^k R`` (half the bracket of ``iP_c`` with
    ``i a_t Q_t``, the convention of :func:`lie_sim.pauli.packed.brackets`). A column's
    entries are one run of the flat arrays ``slot``/``target``/``value`` (most pairs
    commute, so this is far smaller than a column × term array). Columns are tabulated on
    first use.
    """

    def __init__(self, gens: list[PackedSums], columns: StringColumns):
        self.columns = columns
        self.num_gens = len(gens)
        self.gx = np.concatenate([g.x for g in gens])
        self.gz = np.concatenate([g.z for g in gens])
        coef = concat(gens).coef
        self.gcoef = coef if coef.dtype == object else coef.astype(np.int64)
        self.gy = _popcount(self.gx & self.gz)  # Y factors of each generator term
        self.gslot = np.repeat(np.arange(len(gens)), [len(g.coef) for g in gens])
        # A bracket entry sums at most one product per term of its generator.
        self.max_value = int(np.abs(self.gcoef).max()) * max(len(g.coef) for g in gens)
        self.start = np.zeros(0, dtype=np.int64)
        self.count = np.zeros(0, dtype=np.int64)  # entries per column; -1: not tabulated
        self.slot = np.zeros(0, dtype=np.int64)
        self.target = np.zeros(0, dtype=np.int64)
        self.value = np.zeros(0, dtype=self.gcoef.dtype)

    def brackets(
        self, frontier: Terms, budget: MemoryBudget, dim: int, max_dim: int | None
    ) -> Terms:
        """The brackets ``[e, g]`` of every frontier element with every generator.

        Candidate ``e·G + g`` (``G`` generators), renumbered over the non-zero ones. Raises
        :class:`ClosureLimitError` (dimension ``dim``) before gathering products that would
        not fit in memory (``budget``).
        """
        cols = frontier.col
        self._grow(self.columns.size)
        count = self.count[cols]
        if count.min(initial=0) < 0:
            need = np.zeros(self.columns.size, dtype=bool)  # distinct and sorted, without
            need[cols[count < 0]] = True  # np.unique's sort and Python-level overhead
            self._fill(need.nonzero()[0])
            count = self.count[cols]
        ends = count.cumsum()
        total = int(ends[-1]) if len(ends) else 0
        step = total * _PRODUCT_BYTES
        budget.require(step, dim=dim, max_dim=max_dim, peak=step + self.nbytes)
        idx = np.repeat(self.start[cols] - ends + count, count) + np.arange(total)
        value, coef = self.value[idx], np.repeat(frontier.coef, count)  # one per product
        ncols = self.columns.size
        rows = np.repeat(frontier.owner * self.num_gens, count) + self.slot[idx]
        target = self.target[idx]
        bound = _SAFE  # on |sums of products|
        if coef.dtype != object and value.dtype != object:
            bound = max(int(coef.max(initial=0)), -int(coef.min(initial=0)))
            bound *= self.max_value
        if bound >= _SAFE:
            return _combine(rows, target, value.astype(object) * coef.astype(object), ncols)
        if bound < _EXACT_FLOAT and frontier.count * self.num_gens * ncols <= 4 * total + 65536:
            keys = rows * ncols + target
            sums = np.bincount(keys, weights=value * coef)  # exact: partial sums < 2^53
            # Distinct keys from a boolean mark: nonzero() on the bool array is ~10x faster
            # than on the float sums (Heisenberg bonds n = 6: 1.4 ms -> 0.1 ms at 580k keys).
            mark = np.zeros(len(sums), dtype=bool)
            mark[keys] = True
            keys = mark.nonzero()[0]
            keys = keys[sums[keys] != 0]
            element = keys // ncols
            first = _run_heads(element)
            cols, sums = keys - element * ncols, sums[keys].astype(np.int64)
            return Terms(first.cumsum() - 1, cols, sums, int(first.sum()))
        # scipy sums repeated entries in C (a sort within each row, not of all of them)
        shape = (frontier.count * self.num_gens, ncols)
        sums = sp.csr_array((value * coef, (rows, target)), shape=shape)
        sums.eliminate_zeros()
        per_row = np.diff(sums.indptr)
        per_row = per_row[per_row > 0]
        owner = np.repeat(np.arange(len(per_row)), per_row)
        return Terms(owner, sums.indices.astype(np.int64), sums.data, len(per_row))

    def preload(
        self,
        first: np.ndarray,
        end: np.ndarray,
        slot: np.ndarray,
        target: np.ndarray,
        value: np.ndarray,
    ) -> None:
        """Take entries tabulated elsewhere (an empty table only): column ``c``'s entries are
        ``first[c]:end[c]`` of ``slot``/``target``/``value`` (``first[c] < 0``: not tabulated)."""
        self._grow(self.columns.size)
        filled = np.flatnonzero(first >= 0)
        self.start[filled] = first[filled]
        self.count[filled] = end[filled] - first[filled]
        self.slot, self.target, self.value = slot, target, value

    def adjoint_sum(self, vectors: np.ndarray, weights: np.ndarray, prime: int) -> np.ndarray:
        """``Σ_g weights[k, g]·ad_g(vectors[k])`` mod ``prime`` for each row ``k`` (int64).

        ``vectors`` are residues over the columns; ``ad_g`` is in this table's convention.
        The result spans every column known (:attr:`StringColumns.size`).
        """
        self._grow(self.columns.size)
        cols = vectors.any(axis=0).nonzero()[0]
        if not len(cols):
            return np.zeros((len(vectors), self.columns.size), dtype=np.int64)
        if (self.count[cols] < 0).any():
            self._fill(cols[self.count[cols] < 0])
        count = self.count[cols]
        ends = count.cumsum()
        idx = np.repeat(self.start[cols] - ends + count, count) + np.arange(ends[-1])
        values = np.asarray(self.value[idx] % prime, dtype=np.int64)
        terms = vectors[:, np.repeat(cols, count)] * values % prime
        terms = terms * weights[:, self.slot[idx]]
        return _fold(self.target[idx], terms, self.columns.size, prime)

    def _fill(self, need: np.ndarray) -> None:
        """Table entries for the (distinct, untabulated) columns ``need``."""
        cx, cz = self.columns.x[need], self.columns.z[need]
        odd = _popcount((cx[:, None] & self.gz[None]) ^ (cz[:, None] & self.gx[None])) & 1
        rows, slots = odd.nonzero()
        pz, qx = cz[rows], self.gx[slots]
        rx, rz = cx[rows] ^ qx, pz ^ self.gz[slots]
        phase = _popcount(cx & cz)[rows] + self.gy[slots] + 2 * _popcount(pz & qx)
        phase -= _popcount(rx & rz)  # k mod 4 in P Q = i^k R (wraps harmlessly)
        targets = self.columns.ids(rx, rz)
        self._grow(self.columns.size)
        count = np.bincount(rows, minlength=len(need))
        self.start[need] = len(self.slot) + count.cumsum() - count
        self.count[need] = count
        self.slot = np.concatenate([self.slot, self.gslot[slots]])
        self.target = np.concatenate([self.target, targets])
        value = ((phase & 3).astype(np.int64) - 2) * self.gcoef[slots]
        self.value = np.concatenate([self.value, value])

    @property
    def nbytes(self) -> int:
        """Bytes held by the table."""
        arrays = (self.start, self.count, self.slot, self.target, self.value)
        return sum(a.nbytes for a in arrays)

    def _grow(self, size: int) -> None:
        if size <= len(self.count):
            return
        extra = max(size, 2 * len(self.count)) - len(self.count)
        self.start = np.concatenate([self.start, np.zeros(extra, dtype=np.int64)])
        self.count = np.concatenate([self.count, np.full(extra, -1, dtype=np.int64)])


def _combine(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, ncols: int) -> Terms:
    """Sum repeated ``(row, column)`` entries (any dtype, Python ints too); drop zeros."""
    keys = rows * ncols + cols
    order = keys.argsort()
    keys, values = keys[order], values[order]
    head = _run_heads(keys)
    sums = np.add.reduceat(values, head.nonzero()[0]) if len(keys) else values
    keys = keys[head]
    keep = sums != 0
    keys, sums = keys[keep], sums[keep]
    element = keys // ncols
    first = _run_heads(element)
    return Terms(first.cumsum() - 1, keys - element * ncols, sums, int(first.sum()))


def _popcount(masks: np.ndarray) -> np.ndarray:
    """Set bits summed over the last (word) axis; unsigned, so sums wrap (mod 4 stays right)."""
    counts = np.bitwise_count(masks)
    return counts[..., 0] if masks.shape[-1] == 1 else counts.sum(axis=-1)


def _run_heads(ordered: np.ndarray) -> np.ndarray:
    """True where a sorted array starts a run of equal values."""
    head = np.empty(len(ordered), dtype=bool)
    head[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=head[1:])
    return head


def normalised(terms: Terms) -> Terms:
    """Each element divided by the gcd of its coefficients, its first term positive."""
    if not terms.count:
        return terms
    starts = np.searchsorted(terms.owner, np.arange(terms.count))
    scale = np.gcd.reduceat(np.abs(terms.coef), starts) * np.sign(terms.coef[starts])
    coef = terms.coef // scale[terms.owner]
    if coef.dtype == object and np.abs(coef).max() < _SAFE:
        coef = coef.astype(np.int64)
    return Terms(terms.owner, terms.col, coef, terms.count)


def _check(basis: Terms, gens: Terms, table: AdjointTable, pivots: np.ndarray, prime: int) -> None:
    """Raise :class:`UnluckyPrime` unless the basis is closed over ``GF(prime)``.

    The basis must stay independent, and ``R = Σ_g s_g·ad_g(Σ_b r_b·b) + Σ_h t_h·h`` (basis
    elements ``b``, independent generators ``g``, all generators ``h``, random weights in
    ``[1, prime)``) must lie in its span. ``R`` is bilinear in the weights ``(r, s)``, so if
    some bracket ``[b, g]`` (or a generator) is outside the span, ``R`` is outside it with
    probability at least ``1 − 2/prime`` (Schwartz–Zippel); two independent rounds are
    tested. Computing ``R`` costs one pass over the basis and the table, however many
    brackets the search made.
    """
    ncols = table.columns.size
    rng = np.random.default_rng(0x5EED)
    r = rng.integers(1, prime, size=(CHECK_ROUNDS, basis.count))
    s = rng.integers(1, prime, size=(CHECK_ROUNDS, table.num_gens))
    t = rng.integers(1, prime, size=(CHECK_ROUNDS, gens.count))
    combination = _fold(basis.col, r[:, basis.owner] * (basis.coef % prime), ncols, prime)
    outside = table.adjoint_sum(combination, s, prime)
    outside += _fold(gens.col, t[:, gens.owner] * (gens.coef % prime), outside.shape[1], prime)
    if basis.count <= PIVOT_CHECK:
        inside = _spanned_on_pivots(basis, outside % prime, pivots, prime)
    else:
        span = ModPSpan(prime)
        if len(basis.add_to(span, outside.shape[1])) != basis.count:
            raise UnluckyPrime(f"basis lost rank over GF({prime})")
        inside = not span.residual(outside % prime).any()
    if not inside:
        raise UnluckyPrime(f"brackets outside the span over GF({prime})")


def _spanned_on_pivots(basis: Terms, vectors: np.ndarray, pivots: np.ndarray, prime: int) -> bool:
    """Whether ``vectors`` are combinations of the basis over ``GF(prime)``.

    Solved on the search's pivot columns ``pivots`` only: ``y·T = vectors[:, pivots]`` with
    ``T`` the basis at those columns (nonsingular over the rationals, since the search found
    it nonsingular over its prime), then ``y·basis == vectors`` is tested everywhere.
    """
    dim, ncols = basis.count, vectors.shape[1]
    slot = np.full(ncols, -1, dtype=np.int64)
    slot[pivots] = np.arange(dim)
    at = slot[basis.col]
    hit = at >= 0
    system = np.zeros((dim, dim + len(vectors)), dtype=np.int64)
    system[at[hit], basis.owner[hit]] = np.asarray(basis.coef[hit] % prime, dtype=np.int64)
    system[:, dim:] = vectors[:, pivots].T
    taken, rref, columns = rref_mod(system, prime)
    if len(taken) < dim or columns.max(initial=0) >= dim:
        raise UnluckyPrime(f"basis lost rank over GF({prime})")
    y = np.zeros((len(vectors), dim), dtype=np.int64)
    y[:, columns] = rref[:, dim:].T
    combination = _fold(basis.col, y[:, basis.owner] * (basis.coef % prime), ncols, prime)
    return not (combination - vectors).any()


def _fold(cols: np.ndarray, weights: np.ndarray, ncols: int, prime: int) -> np.ndarray:
    """``out[k, c] = Σ weights[k, t] over terms t at column c``, mod ``prime`` (int64).

    ``weights`` may be any integers (Python ints too); residues below ``2^31`` are summed by
    a float ``bincount``, exact for fewer than ``2^22`` of them at a time.
    """
    weights = np.asarray(weights % prime, dtype=np.int64)
    rounds = len(weights)
    out = np.zeros(rounds * ncols, dtype=np.int64)
    flat = (cols + np.arange(rounds)[:, None] * ncols).ravel()
    weights = weights.ravel()
    for lo in range(0, len(flat), 1 << 22):
        part = slice(lo, lo + (1 << 22))
        out += np.bincount(flat[part], weights[part], minlength=len(out)).astype(np.int64)
        out %= prime
    return out.reshape(rounds, ncols)


def exact_closure(
    gens: list[PackedSums],
    max_dim: int | None,
    bar: Progress,
    span: ModPSpan,
    check: int,
) -> PackedSums:
    """The basis of the algebra generated by primitive-integer sums (see the module docstring).

    ``span`` (empty, over a prime below :data:`~lie_sim.algebra.modp.SMALL_PRIME` for speed)
    makes the search's rank decisions; the prime ``check`` (below ``2^31``) checks them.

    Raises:
        ClosureLimitError: the dimension found exceeds ``max_dim`` (a proven lower bound:
            elements taken over ``GF(p)`` are independent over the rationals).
        UnluckyPrime: the check prime disagrees; retry with other primes.
    """
    from lie_sim.algebra import closure_kernel  # imports this module

    if closure_kernel.usable(gens):
        found = closure_kernel.search(gens, span.p, max_dim)
        if isinstance(found, int):
            check_max_dim(found, max_dim)
        if found is not None:
            table = found.adjoint_table(gens)
            _check(found.basis, found.generators, table, found.pivots, check)
            cols = found.basis.col
            x, z = found.columns.x[cols], found.columns.z[cols]
            return PackedSums(x, z, found.basis.coef, found.basis.owner, found.basis.count)
    nwords = gens[0].x.shape[1]
    fits = all(int(g.x.max()) < 1 << 32 and int(g.z.max()) < 1 << 32 for g in gens)
    columns = StringColumns(nwords, packed_keys=fits)
    packed = concat(gens)
    generators = Terms(packed.owner, columns.ids(packed.x, packed.z), packed.coef, packed.count)
    taken = generators.add_to(span, columns.size)
    # Dependent generators are combinations of the independent ones: bracket with those only.
    table = AdjointTable([gens[i] for i in taken], columns)
    frontier = normalised(generators.select(taken))
    levels = [frontier]
    dim = frontier.count
    budget = MemoryBudget()
    while frontier.count:
        check_max_dim(dim, max_dim)
        bar.update(dim=dim)
        cand = table.brackets(frontier, budget, dim, max_dim)
        taken = cand.add_to(span, columns.size)
        frontier = normalised(cand.select(taken))
        levels.append(frontier)
        dim += frontier.count
    check_max_dim(dim, max_dim)
    basis = _concat_terms(levels)
    _check(basis, generators, table, span.pivots, check)
    return PackedSums(columns.x[basis.col], columns.z[basis.col], basis.coef, basis.owner, dim)


def _concat_terms(parts: list[Terms]) -> Terms:
    offsets = np.cumsum([0] + [t.count for t in parts])
    coefs = [t.coef for t in parts]
    if any(c.dtype == object for c in coefs):
        coefs = [c.astype(object) for c in coefs]
    return Terms(
        np.concatenate([t.owner + off for t, off in zip(parts, offsets, strict=False)]),
        np.concatenate([t.col for t in parts]),
        np.concatenate(coefs),
        int(offsets[-1]),
    )
