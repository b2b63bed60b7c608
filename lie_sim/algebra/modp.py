"""Exact linear algebra over ``GF(p)``: modular products and a span in reduced row-echelon form.

The closure's rank decisions (:mod:`lie_sim.algebra.exact_closure`) are made here. Every
operation is exact: residues are ``int64`` for any prime below ``2^31`` (a product of two
residues is below ``2^62``). Dense matrix products run on float BLAS, exact because every
partial sum stays below ``2^53`` (:func:`dense_matmul_mod`); sparse ones in int64, which
below :data:`SMALL_PRIME` need no splitting.

:class:`ModPSpan` keeps a basis in reduced row-echelon form (RREF): a candidate is reduced by
one product with the rows at its pivot columns. It is dense while ``rank × columns`` is small
(numpy on the whole matrix beats scipy's per-call overhead), sparse after. Candidates are
taken greedily in the order given (a vector is taken when it is independent of the span and
of those taken before it), so the basis found is the same over any prime for which no rank
drops.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

SMALL_PRIME = 1 << 21  # below this, products of residues are < 2^42: int64 sums need no split
DENSE_SPAN = 1 << 19  # a span stays dense while (rank + batch) × columns is at most this
ELIMINATION_CHUNK = 128  # sparse regime: candidates eliminated densely per step
_EXACT_TERMS = 1 << 11  # float64 sums of this many products below 2^42 are exact
BLAS_BLOCK = 1 << 18  # multiply-adds per BLAS call (at most OpenBLAS's threading threshold)


def rref_mod(m: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy Gauss-Jordan elimination of the rows of ``m`` over ``GF(p)``, in row order.

    Row ``i`` is taken when it is independent of the rows taken before it; its pivot is its
    first non-zero column after reduction by them. Returns the indices of the taken rows,
    their rows in reduced row-echelon form (1 at its own pivot, 0 at every other pivot) and
    the pivot columns. ``m`` holds int64 residues in ``[0, p)``; it is not modified.

    Example:
        >>> rows, rref, pivots = rref_mod(np.array([[1, 2], [2, 4], [0, 1]]), 7)
        >>> rows.tolist(), rref.tolist(), pivots.tolist()
        ([0, 2], [[1, 0], [0, 1]], [0, 1])
    """
    m = np.array(m, dtype=np.int64, copy=True)
    taken: list[int] = []
    pivots: list[int] = []
    for i in range(m.shape[0]):
        current = m[i]  # views: fewer fancy-indexing calls per pivot
        support = current.nonzero()[0]
        if not support.size:
            continue  # a combination of the rows taken before it
        values = current[support]
        row = values * pow(int(values[0]), -1, p) % p  # inverse by extended Euclid
        j = int(support[0])
        column = m[:, j]
        hit = column.nonzero()[0]
        if hit.size > 1:
            cells = (hit[:, None], support)
            m[cells] = (m[cells] - column[hit, None] * row) % p  # row i itself becomes 0 ...
        current[support] = row  # ... and is restored, normalised
        taken.append(i)
        pivots.append(j)
    index = np.array(taken, dtype=np.int64)
    return index, m[index], np.array(pivots, dtype=np.int64)


def dense_matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """``a @ b mod p`` for dense residues (``b`` int64 or float64), ``p < 2^31``, exact.

    Products run on float BLAS. Below :data:`SMALL_PRIME` they are below ``2^42``, so
    float64 sums of up to ``2^11`` of them are exact integers. Otherwise ``a`` is cut into
    three 11-bit slices: a slice times ``b`` has products below ``2^42`` too, and the slices
    are recombined by Horner's rule modulo ``p``. Longer inner dimensions are cut into
    pieces of ``2^11``. Returns int64.
    """
    b = b.astype(np.float64, copy=False)
    out = None
    for lo in range(0, a.shape[1], _EXACT_TERMS):
        piece, rows = a[:, lo : lo + _EXACT_TERMS], b[lo : lo + _EXACT_TERMS]
        if p < SMALL_PRIME:
            part = _blas(piece.astype(np.float64), rows).astype(np.int64) % p
        else:
            part = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
            for shift in (22, 11, 0):
                sliced = _blas(((piece >> shift) & 0x7FF).astype(np.float64), rows)
                part = (part * 2048 + sliced.astype(np.int64) % p) % p
        out = part if out is None else (out + part) % p
    return out if out is not None else np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)


def _minus_product(c: np.ndarray, a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """``(c − a @ b) mod p`` for int64 residues ``c`` and dense residues ``a``, ``b``; exact.

    ``c`` (a temporary of the caller) is overwritten with the result and returned. Below
    :data:`SMALL_PRIME` with an inner dimension of at most ``2^11``, the raw float product is
    exact (partial sums below ``2^53``), so the difference needs one reduction modulo ``p``
    instead of two. Otherwise :func:`dense_matmul_mod`.
    """
    if p >= SMALL_PRIME or a.shape[1] > _EXACT_TERMS:
        c -= dense_matmul_mod(a.astype(np.int64, copy=False), b, p)
    else:
        product = _blas(a.astype(np.float64, copy=False), b.astype(np.float64, copy=False))
        # Integers of magnitude below 2^53: the float difference and its cast are exact.
        np.subtract(c, product, out=c, casting="unsafe")
    np.remainder(c, p, out=c)
    return c


def _blas(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` in column blocks of at most :data:`BLAS_BLOCK` multiply-adds each.

    OpenBLAS goes multithreaded above about ``2^18`` multiply-adds; on the small blocks of a
    closure its threads cost far more than they save (measured on a shared 2-core machine,
    unblocked -> blocked, CPU ms: TFIM n = 16 133 -> 23, Heisenberg bonds n = 6 50 -> 19).
    Blocks of ``2^18`` still run on one thread (process CPU time equals wall time) and beat
    ``2^17`` (115 × 113 × 1020: 0.88 -> 0.72 ms) and ``2^19`` (0.79 ms).
    """
    step = max(1, BLAS_BLOCK // max(1, a.shape[0] * a.shape[1]))
    if step >= b.shape[1]:
        return a @ b
    return np.concatenate([a @ b[:, lo : lo + step] for lo in range(0, b.shape[1], step)], axis=1)


def sparse_matmul_mod(a: sp.csr_array, b: sp.csr_array, p: int) -> sp.csr_array:
    """``a @ b mod p`` for sparse int64 residues, ``p < 2^31``, without int64 overflow.

    Below :data:`SMALL_PRIME` one product suffices (fewer than ``2^21`` products below
    ``2^42`` per entry); otherwise ``a`` is split into 16-bit halves.
    """
    if p < SMALL_PRIME:
        out = a @ b
        out.data %= p
        return out
    lo = a.copy()
    lo.data = a.data & 0xFFFF
    hi = a.copy()
    hi.data = a.data >> 16
    high = hi @ b
    high.data %= p
    low = lo @ b
    low.data %= p
    out = high * 65536 + low
    out.data %= p
    return out


class ModPSpan:
    """A subspace of ``GF(p)^columns`` in reduced row-echelon form.

    Vectors are given as triplets ``(row, column, value)`` with integer values (int64 or
    Python ints); the number of columns may grow from one call to the next.

    Example:
        >>> span = ModPSpan(7)
        >>> rows, cols = np.array([0, 0, 1, 1, 2]), np.array([0, 1, 0, 1, 1])
        >>> span.add(rows, cols, np.array([1, 2, 2, 4, 1]), 3, 2)  # row 1 is 2 × row 0
        array([0, 2])
        >>> span.rank, span.residual(np.array([[3, 6]])).tolist()
        (2, [[0, 0]])
    """

    def __init__(self, prime: int):
        if not 2 <= prime < 1 << 31:
            raise ValueError(f"prime must be in [2, 2^31), got {prime}")
        self.p = prime
        self.ncols = 0
        self.pivots = np.zeros(0, dtype=np.int64)
        # Dense regime: the RREF rows are _buffer[:rank, :ncols] (spare capacity both ways),
        # as float64 (residues are exact) so that products need no conversion of the span.
        self._buffer: np.ndarray | None = np.zeros((16, 256))
        self.rows: sp.csr_array | None = None

    @property
    def rank(self) -> int:
        return len(self.pivots)

    @property
    def dense(self) -> np.ndarray | None:
        """The RREF rows (float64 residues) while the span is small, else None."""
        if self._buffer is None:
            return None
        return self._buffer[: self.rank, : self.ncols]

    def add(
        self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, count: int, ncols: int
    ) -> np.ndarray:
        """Add ``count`` vectors (distinct ``(row, column)`` pairs); return the taken ones."""
        self._grow(ncols)
        data = np.asarray(values % self.p, dtype=np.int64)
        if self._buffer is not None and (self.rank + count) * self.ncols <= DENSE_SPAN:
            block = np.zeros((count, self.ncols), dtype=np.int64)
            block[rows, cols] = data
            return self._add_dense(block)
        if self._buffer is not None:
            self.rows, self._buffer = sp.csr_array(self.dense.astype(np.int64)), None
        cand = sp.csr_array((data, (rows, cols)), shape=(count, self.ncols))
        cand.eliminate_zeros()
        return self._add_sparse(cand)

    def residual(self, vectors: np.ndarray) -> np.ndarray:
        """Dense ``vectors`` (integers over the columns) minus their projection, mod ``p``."""
        self._grow(vectors.shape[1])
        vectors = np.asarray(vectors % self.p, dtype=np.int64)
        if not self.rank:
            return vectors
        if self._buffer is not None:
            return self._reduce_dense(vectors)
        return self._reduce_sparse(sp.csr_array(vectors)).toarray()

    def _grow(self, ncols: int) -> None:
        if ncols <= self.ncols:
            return
        if self._buffer is not None and ncols > self._buffer.shape[1]:
            self._resize(self._buffer.shape[0], max(ncols, 2 * self._buffer.shape[1]))
        elif self._buffer is None:
            self.rows.resize((self.rank, ncols))
        self.ncols = ncols

    def _resize(self, nrows: int, ncols: int) -> None:
        bigger = np.zeros((nrows, ncols))
        bigger[: self.rank, : self.ncols] = self.dense
        self._buffer = bigger

    # --- dense regime ----------------------------------------------------------------

    def _reduce_dense(self, block: np.ndarray) -> np.ndarray:
        coeff = block[:, self.pivots]
        hit = coeff.any(axis=0).nonzero()[0]
        if not hit.size:
            return block
        if 4 * hit.size >= 3 * self.rank:  # most rows: skip gathering (copying) them
            return _minus_product(block, coeff, self.dense, self.p)
        return _minus_product(block, coeff[:, hit], self.dense[hit], self.p)

    def _add_dense(self, block: np.ndarray) -> np.ndarray:
        if self.rank:
            block = self._reduce_dense(block)
        alive = block.any(axis=1).nonzero()[0]
        if not alive.size:
            return alive
        block = block[alive]
        used = block.any(axis=0).nonzero()[0]
        taken, rref, pivots = rref_mod(block[:, used], self.p)
        new_pivots = used[pivots]
        rank, dense = self.rank, self.dense
        if rank:
            coeff = dense[:, new_pivots]
            hit = coeff.any(axis=1).nonzero()[0]
            if hit.size:
                rows = dense[hit[:, None], used].astype(np.int64)
                rows = _minus_product(rows, coeff[hit], rref, self.p)
                dense[hit[:, None], used] = rows  # 0 at the new pivots: rref is 1 there
        if rank + len(taken) > self._buffer.shape[0]:
            self._resize(max(rank + len(taken), 2 * self._buffer.shape[0]), self._buffer.shape[1])
        self._buffer[rank : rank + len(taken), used] = rref
        self.pivots = np.concatenate([self.pivots, new_pivots])
        return alive[taken]

    # --- sparse regime ---------------------------------------------------------------

    def _reduce_sparse(self, cand: sp.csr_array) -> sp.csr_array:
        return _reduce_by(cand, self.rows, self.pivots, self.p)

    def _add_sparse(self, cand: sp.csr_array) -> np.ndarray:
        if self.rank:
            cand = self._reduce_sparse(cand)
        alive = np.flatnonzero(np.diff(cand.indptr))
        new = sp.csr_array((0, self.ncols), dtype=np.int64)
        new_pivots = np.zeros(0, dtype=np.int64)
        taken = []
        for lo in range(0, len(alive), ELIMINATION_CHUNK):
            chunk = alive[lo : lo + ELIMINATION_CHUNK]
            block = _reduce_by(cand[chunk], new, new_pivots, self.p)
            used = np.unique(block.indices)
            if not len(used):
                continue
            chosen, rref, pivots = rref_mod(block[:, used].toarray(), self.p)
            rref = sp.csr_array(rref)
            rref = sp.csr_array(
                (rref.data, used[rref.indices], rref.indptr), shape=(len(chosen), self.ncols)
            )
            new = _eliminate_with(new, rref, used[pivots], self.p)
            new_pivots = np.concatenate([new_pivots, used[pivots]])
            taken.append(chunk[chosen])
        if len(new_pivots):
            self.rows = _eliminate_with(self.rows, new, new_pivots, self.p)
            self.pivots = np.concatenate([self.pivots, new_pivots])
        return np.concatenate(taken) if taken else alive[:0]


def _reduce_by(cand: sp.csr_array, rref: sp.csr_array, pivots: np.ndarray, p: int) -> sp.csr_array:
    """``cand`` minus its combination of the RREF rows that cancels it at their pivots."""
    if not len(pivots) or not cand.nnz:
        return cand
    where = np.full(cand.shape[1], -1, dtype=np.int64)
    where[pivots] = np.arange(len(pivots))
    slot = where[cand.indices]
    hit = slot >= 0
    if not hit.any():
        return cand
    row_of = np.repeat(np.arange(cand.shape[0]), np.diff(cand.indptr))
    coeff = sp.csr_array(
        (cand.data[hit], (row_of[hit], slot[hit])), shape=(cand.shape[0], len(pivots))
    )
    out = cand - sparse_matmul_mod(coeff, rref, p)
    out.data %= p
    out.eliminate_zeros()
    return out


def _eliminate_with(
    rows: sp.csr_array, new: sp.csr_array, new_pivots: np.ndarray, p: int
) -> sp.csr_array:
    """RREF ``rows`` reduced at the pivots of the RREF ``new``, with ``new`` appended."""
    rows = _reduce_by(rows, new, new_pivots, p)
    return sp.vstack([rows, new], format="csr")
