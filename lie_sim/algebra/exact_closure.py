"""Exact closure of integer Pauli sums: a search over one prime, checked over a second.

The breadth-first search of :mod:`lie_sim.algebra.closure` brackets each new basis element
with each (independent) generator. Here:

* **Brackets by table.** Pauli strings are numbered as columns (:class:`StringColumns`). For
  each column ``c`` and each generator term ``t``, the bracket ``[P_c, Q_t]`` (a signed
  string, or zero) is computed once (:class:`AdjointTable`); the brackets of a whole frontier
  are then one gather, one multiplication and one sort of integer keys.
* **Search over a small prime.** A :class:`~lie_sim.algebra.modp.ModPSpan` over a prime
  ``p < 2^21`` (exact float-BLAS products) decides which brackets enlarge the span. A rank
  over ``GF(p)`` never exceeds the rank over the rationals, so every element taken is
  independent over the rationals; the only possible error is a bracket judged dependent
  that is not (``p`` divides every maximal minor of the basis with that bracket).
* **One check over a 31-bit prime** ``q`` at the end, in a single batch: the basis must
  stay independent over ``GF(q)``, and two random combinations (coefficients in
  ``[1, q)``) of *every* bracket computed must lie in its span over ``GF(q)``. If the span
  is closed over the rationals both hold (an independence over ``GF(q)`` can only fail when
  ``q`` is unlucky, which is reported too). If some bracket ``v`` is outside the rational
  span, ``v mod q`` is outside the ``GF(q)`` span unless ``q`` divides every maximal minor
  of ``[basis; v]``, and then a random combination is outside it with probability at least
  ``1 − 1/q``. A wrong dimension thus needs both primes unlucky on the same matrix, as with
  two primes in lock step, at a fraction of the cost. A failed check raises
  :class:`UnluckyPrime` and the caller retries with other primes.

Every generator bracket of every basis element is among the brackets checked, so a passed
check proves that the span contains the generators and is invariant under each ``ad_g``:
it is the whole algebra.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from lie_sim.algebra.modp import ModPSpan
from lie_sim.errors import ClosureLimitError
from lie_sim.pauli.packed import PackedSums, concat
from lie_sim.pauli.paulis import row_keys
from lie_sim.progress import Progress

CHECK_ROUNDS = 2  # random combinations of the brackets tested against the check span
CHECK_BATCH = 1 << 20  # bracket terms folded into the check's sums at a time
_SAFE = 1 << 62  # int64 bound for exact sums of products
_MIX = np.uint64(0x9E3779B97F4A7C15)


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

    def select(self, elements: np.ndarray) -> Terms:
        """The given elements (in that order), renumbered."""
        starts = np.searchsorted(self.owner, elements, side="left")
        lengths = np.searchsorted(self.owner, elements, side="right") - starts
        idx = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        owner = np.repeat(np.arange(len(elements)), lengths)
        return Terms(owner, self.col[idx], self.coef[idx], len(elements))


class StringColumns:
    """Pauli strings numbered in order of first appearance (the columns of the spans).

    Strings are looked up by a 64-bit key in a sorted array (one ``searchsorted`` per batch):
    ``x << 32 | z`` when every string fits in 32 qubits, otherwise a multiplicative hash. A
    hashed lookup is confirmed against the stored masks; on a collision the index switches
    to exact byte keys, so a collision can slow the lookup but never merge two strings.
    """

    def __init__(self, nwords: int, *, packed_keys: bool):
        self.x = np.zeros((0, nwords), dtype=np.uint64)
        self.z = np.zeros((0, nwords), dtype=np.uint64)
        self.size = 0
        self.mode = "packed" if packed_keys and nwords == 1 else "hash"
        self._keys = self._key(self.x, self.z)
        self._ids = np.zeros(0, dtype=np.int64)

    def ids(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Column of every string (rows of ``x``, ``z``); new strings get new columns."""
        keys = self._key(x, z)
        order = keys.argsort(kind="stable")
        ordered = keys[order]
        head = _run_heads(ordered)
        uniq, first = ordered[head], order[head]
        pos = self._keys.searchsorted(uniq)
        if len(self._keys):
            at = np.minimum(pos, len(self._keys) - 1)
            found, fresh = self._ids[at], self._keys[at] != uniq
        else:
            found, fresh = np.empty(len(uniq), dtype=np.int64), np.ones(len(uniq), dtype=bool)
        new = fresh.nonzero()[0]
        found[new] = self.size + np.arange(len(new))
        self._store(x[first[new]], z[first[new]])
        self._keys = np.insert(self._keys, pos[new], uniq[new])
        self._ids = np.insert(self._ids, pos[new], found[new])
        ids = np.empty(len(keys), dtype=np.int64)
        ids[order] = found[np.cumsum(head) - 1]
        if self.mode == "hash" and not (
            np.array_equal(self.x[ids], x) and np.array_equal(self.z[ids], z)
        ):
            self._rekey_exact()
            return self.ids(x, z)
        return ids

    def _key(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        if self.mode == "packed":
            return (x[:, 0] << np.uint64(32)) | z[:, 0]
        if self.mode == "hash":
            return _hash_strings(x, z)
        return row_keys(x, z)

    def _store(self, x: np.ndarray, z: np.ndarray) -> None:
        if self.size + len(x) > len(self.x):
            grow = max(2 * len(self.x), self.size + len(x), 64)
            self.x = np.concatenate([self.x, np.zeros((grow - len(self.x), x.shape[1]), x.dtype)])
            self.z = np.concatenate([self.z, np.zeros((grow - len(self.z), z.shape[1]), z.dtype)])
        self.x[self.size : self.size + len(x)] = x
        self.z[self.size : self.size + len(z)] = z
        self.size += len(x)

    def _rekey_exact(self) -> None:
        """Drop the hash for exact keys: every stored column stays one distinct string."""
        self.mode = "exact"
        keys = row_keys(self.x[: self.size], self.z[: self.size])
        self._ids = np.argsort(keys, kind="stable").astype(np.int64)
        self._keys = keys[self._ids]


def _hash_strings(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """A 64-bit multiplicative hash of each row of the packed masks (collisions possible)."""
    h = np.zeros(len(x), dtype=np.uint64)
    for w in range(x.shape[1]):
        for part in (x[:, w], z[:, w]):
            h = (h ^ part) * _MIX
            h ^= h >> np.uint64(29)
    return h


class AdjointTable:
    """The bracket of every tabulated column's string with every generator term.

    For generator terms ``a_t Q_t`` (all generators, concatenated) and a column string
    ``P_c``, ``target[c, t]`` is the column of ``P_c Q_t`` and ``value[c, t]`` is
    ``(k − 2)·a_t`` for ``P_c Q_t = i^k R`` when they anticommute (half the bracket of
    ``iP_c`` with ``i a_t Q_t``, up to the common sign of :func:`lie_sim.pauli.packed.brackets`),
    else 0. Rows are filled on first use.
    """

    def __init__(self, gens: list[PackedSums], columns: StringColumns):
        self.columns = columns
        self.num_gens = len(gens)
        self.gx = np.concatenate([g.x for g in gens])
        self.gz = np.concatenate([g.z for g in gens])
        coef = concat(gens).coef
        self.gcoef = coef if coef.dtype == object else coef.astype(np.int64)
        self.slot = np.repeat(np.arange(len(gens)), [len(g.coef) for g in gens])
        width = len(self.slot)
        self.target = np.zeros((0, width), dtype=np.int64)
        self.value = np.zeros((0, width), dtype=self.gcoef.dtype)
        self.done = np.zeros(0, dtype=bool)
        self.max_value = int(np.abs(self.gcoef).max())

    def brackets(self, frontier: Terms) -> Terms:
        """The brackets ``[e, g]`` of every frontier element with every generator.

        Candidate ``e·G + g`` (``G`` generators), renumbered over the non-zero ones.
        """
        cols = frontier.col
        self._grow(self.columns.size)
        missing = cols[~self.done[cols]]
        if missing.size:
            self._fill(np.unique(missing))
        value = self.value[cols]
        rows, slots = value.nonzero()
        coef, value = frontier.coef[rows], value[rows, slots]
        if coef.dtype != object and value.dtype != object:
            bound = max(int(coef.max(initial=0)), -int(coef.min(initial=0)))
            if bound * self.max_value * len(coef) >= _SAFE:
                coef, value = coef.astype(object), value.astype(object)
        ncols = self.columns.size
        keys = frontier.owner[rows] * self.num_gens
        keys += self.slot[slots]
        keys *= ncols
        keys += self.target[cols[rows], slots]
        order = keys.argsort()
        keys, product = keys[order], value[order] * coef[order]
        head = _run_heads(keys)
        sums = np.add.reduceat(product, head.nonzero()[0]) if len(keys) else product
        keys = keys[head]
        keep = sums != 0
        keys, sums = keys[keep], sums[keep]
        element = keys // ncols
        first = _run_heads(element)
        return Terms(first.cumsum() - 1, keys - element * ncols, sums, int(first.sum()))

    def _fill(self, need: np.ndarray) -> None:
        """Table rows for the (distinct, untabulated) columns ``need``."""
        cx, cz = self.columns.x[need], self.columns.z[need]
        odd = _popcount((cx[:, None] & self.gz[None]) ^ (cz[:, None] & self.gx[None])) & 1
        rows, slots = odd.nonzero()
        px, pz, qx, qz = cx[rows], cz[rows], self.gx[slots], self.gz[slots]
        phase = _popcount(px & pz) + _popcount(qx & qz) + 2 * _popcount(pz & qx)
        phase -= _popcount((px ^ qx) & (pz ^ qz))  # k mod 4 in P Q = i^k R (wraps harmlessly)
        targets = self.columns.ids(px ^ qx, pz ^ qz)
        self._grow(self.columns.size)
        self.target[need[rows], slots] = targets
        self.value[need[rows], slots] = ((phase & 3).astype(np.int64) - 2) * self.gcoef[slots]
        self.done[need] = True

    def _grow(self, size: int) -> None:
        if size <= len(self.done):
            return
        size = max(size, 2 * len(self.done))
        extra = size - len(self.done)
        width = self.target.shape[1]
        self.target = np.concatenate([self.target, np.zeros((extra, width), np.int64)])
        self.value = np.concatenate([self.value, np.zeros((extra, width), self.value.dtype)])
        self.done = np.concatenate([self.done, np.zeros(extra, dtype=bool)])


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
    return dataclasses.replace(terms, coef=coef)


class _RandomCheck:
    """Random combinations over ``GF(q)`` of every bracket computed, for the final check.

    Brackets are kept until about :data:`CHECK_BATCH` terms are pending, then folded into
    the sums in one batch (a float ``bincount`` of residues below ``2^31`` is exact for fewer
    than ``2^22`` terms).
    """

    def __init__(self, prime: int):
        self.p = prime
        self.rng = np.random.default_rng(0x5EED)
        self.sums = np.zeros(0, dtype=np.int64)
        self.pending: list[Terms] = []
        self.pending_terms = 0

    def add(self, terms: Terms) -> None:
        self.pending.append(terms)
        self.pending_terms += len(terms.col)
        if self.pending_terms >= CHECK_BATCH:
            self._fold()

    def _fold(self) -> None:
        if not self.pending:
            return
        batch = _concat_terms(self.pending)
        self.pending, self.pending_terms = [], 0
        ncols = max(len(self.sums) // CHECK_ROUNDS, int(batch.col.max(initial=-1)) + 1)
        weights = self.rng.integers(1, self.p, size=(CHECK_ROUNDS, batch.count))
        values = np.asarray(batch.coef % self.p, dtype=np.int64)
        rounds = np.arange(CHECK_ROUNDS)[:, None] * ncols
        folded = np.bincount(
            (batch.col + rounds).ravel(),
            weights=(weights[:, batch.owner] * values % self.p).ravel(),
            minlength=CHECK_ROUNDS * ncols,
        )
        old = self.sums.reshape(CHECK_ROUNDS, -1)
        sums = folded.astype(np.int64).reshape(CHECK_ROUNDS, ncols)
        sums[:, : old.shape[1]] += old
        self.sums = (sums % self.p).ravel()

    def verify(self, basis: Terms, ncols: int) -> None:
        """Raise :class:`UnluckyPrime` unless the basis is closed over ``GF(q)`` (see module)."""
        self._fold()
        span = ModPSpan(self.p)
        taken = span.add(basis.owner, basis.col, basis.coef, basis.count, ncols)
        if len(taken) != basis.count:
            raise UnluckyPrime(f"basis lost rank over GF({self.p})")
        sums = np.zeros((CHECK_ROUNDS, ncols), dtype=np.int64)
        old = self.sums.reshape(CHECK_ROUNDS, -1)
        sums[:, : old.shape[1]] = old
        if span.residual(sums).any():
            raise UnluckyPrime(f"brackets outside the span over GF({self.p})")


def exact_closure(
    gens: list[PackedSums],
    max_dim: int | None,
    bar: Progress,
    span: ModPSpan,
    check_prime: int,
) -> PackedSums:
    """The basis of the algebra generated by primitive-integer sums (see the module docstring).

    ``span`` (empty, over a prime below :data:`~lie_sim.algebra.modp.SMALL_PRIME` for speed)
    makes the search's rank decisions; ``check_prime`` (below ``2^31``) checks them.

    Raises:
        ClosureLimitError: the dimension found exceeds ``max_dim`` (a proven lower bound:
            elements taken over ``GF(p)`` are independent over the rationals).
        UnluckyPrime: the check prime disagrees; retry with other primes.
    """
    nwords = gens[0].x.shape[1]
    fits = all(int(g.x.max()) < 1 << 32 and int(g.z.max()) < 1 << 32 for g in gens)
    columns = StringColumns(nwords, packed_keys=fits)
    packed = concat(gens)
    cand = Terms(packed.owner, columns.ids(packed.x, packed.z), packed.coef, packed.count)
    check = _RandomCheck(check_prime)
    check.add(cand)
    taken = span.add(cand.owner, cand.col, cand.coef, cand.count, columns.size)
    # Dependent generators are combinations of the independent ones: bracket with those only.
    table = AdjointTable([gens[i] for i in taken], columns)
    frontier = normalised(cand.select(taken))
    levels = [frontier]
    dim = frontier.count
    while frontier.count:
        _check_limit(dim, max_dim)
        bar.update(dim=dim)
        cand = table.brackets(frontier)
        check.add(cand)
        taken = span.add(cand.owner, cand.col, cand.coef, cand.count, columns.size)
        frontier = normalised(cand.select(taken))
        levels.append(frontier)
        dim += frontier.count
    _check_limit(dim, max_dim)
    basis = _concat_terms(levels)
    check.verify(basis, columns.size)
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


def _check_limit(dim: int, max_dim: int | None) -> None:
    if max_dim is not None and dim > max_dim:
        raise ClosureLimitError(dim, max_dim)
