"""Spans of packed Pauli sums: decide which candidates enlarge the span found so far.

Two kinds, with the same ``add(batch, cols, ncols) -> accepted indices`` interface:

* :class:`ModPSpan`: exact, a sparse reduced row-echelon form over ``GF(p)``; a candidate
  batch is reduced against it with one sparse product, and the survivors are eliminated
  densely on the columns they use.
* :class:`FloatSpan`: an orthonormal row basis; candidates whose residual is below ``rtol``
  times their norm are dependent, the rest are picked by rank-revealing QR.

:class:`ColumnIndex` numbers Pauli strings (columns) for all spans of one closure.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from lie_sim.pauli.packed import PackedSums
from lie_sim.pauli.paulis import row_keys

DENSE_CHUNK = 1 << 24  # entries of a dense block in the local elimination
DENSE_SPAN = 1 << 16  # a span stays dense while rank × columns is at most this
QR_CHUNK = 256  # float candidates orthonormalised per rank-revealing QR
_HASH_MODULUS = 2147483647


class ColumnIndex:
    """Consecutive column numbers for Pauli strings, shared by the spans of one closure.

    Known strings are kept as a sorted array of row keys, so a whole batch is looked up
    with one ``searchsorted``.
    """

    def __init__(self) -> None:
        self.keys: np.ndarray | None = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.size = 0
        self._weights = np.zeros(0, dtype=np.uint64)
        self._rng = np.random.default_rng(0x11E51)

    def columns(self, batch: PackedSums) -> np.ndarray:
        """Column number of every term of ``batch`` (new strings get new numbers)."""
        uniq, inverse = np.unique(row_keys(batch.x, batch.z), return_inverse=True)
        if self.keys is None:
            self.keys = uniq[:0]
        pos = np.searchsorted(self.keys, uniq)
        known = pos < len(self.keys)
        known[known] = self.keys[pos[known]] == uniq[known]
        ids = np.empty(len(uniq), dtype=np.int64)
        ids[known] = self.ids[pos[known]]
        fresh = np.flatnonzero(~known)
        ids[fresh] = self.size + np.arange(len(fresh))
        self.size += len(fresh)
        keys = np.concatenate([self.keys, uniq[fresh]])
        order = np.argsort(keys, kind="stable")
        self.keys, self.ids = keys[order], np.concatenate([self.ids, ids[fresh]])[order]
        return ids[inverse.ravel()]

    def distinct(self, batch: PackedSums, cols: np.ndarray) -> np.ndarray:
        """Indices of the elements of ``batch`` that are not repeats of an earlier element.

        Elements are hashed by random column weights times coefficients; equal hashes are
        then compared term by term, so a hash collision can never drop an element.
        """
        if len(self._weights) < self.size:
            more = self._rng.integers(
                1, 2**63, size=self.size - len(self._weights), dtype=np.uint64
            )
            self._weights = np.concatenate([self._weights, more])
        values = np.asarray(batch.coef % _HASH_MODULUS, dtype=np.int64).astype(np.uint64)
        term_hash = self._weights[cols] * values + self._weights[cols] // 2
        starts = np.searchsorted(batch.owner, np.arange(batch.count))
        element_hash = np.add.reduceat(term_hash, starts) if batch.count else term_hash[:0]
        _, first, inverse = np.unique(element_hash, return_index=True, return_inverse=True)
        keep = np.ones(batch.count, dtype=bool)
        repeats = np.flatnonzero(first[inverse] != np.arange(batch.count))
        bounds = np.append(starts, len(cols))
        for e in repeats:
            f = first[inverse[e]]
            a, b = slice(bounds[e], bounds[e + 1]), slice(bounds[f], bounds[f + 1])
            same = np.array_equal(cols[a], cols[b]) and np.array_equal(batch.coef[a], batch.coef[b])
            keep[e] = not same
        return np.flatnonzero(keep)


class ModPSpan:
    """A subspace of ``GF(p)^columns`` in reduced row-echelon form.

    Dense while small (rank × columns up to :data:`DENSE_SPAN` entries, where scipy's
    per-call overhead would dominate), sparse from then on.
    """

    def __init__(self, prime: int):
        self.p = prime
        self.dense: np.ndarray | None = np.zeros((0, 0), dtype=np.int64)
        self.rows = sp.csr_array((0, 0), dtype=np.int64)
        self.pivots = np.zeros(0, dtype=np.int64)

    def add(self, batch: PackedSums, cols: np.ndarray, ncols: int) -> np.ndarray:
        """Add the batch's elements; return the indices of those that enlarged the span."""
        data = np.asarray(batch.coef % self.p, dtype=np.int64)
        if self.dense is not None:
            if (len(self.pivots) + batch.count) * ncols <= DENSE_SPAN:
                return self._add_dense(batch, cols, data, ncols)
            self.rows, self.dense = sp.csr_array(self.dense), None
        cand = sp.csr_array((data, (batch.owner, cols)), shape=(batch.count, ncols))
        self.rows.resize((self.rows.shape[0], ncols))
        cand = self._reduce(cand)
        alive = np.flatnonzero(np.diff(cand.indptr))
        accepted = []
        step = max(1, DENSE_CHUNK // max(1, ncols))
        for lo in range(0, len(alive), step):
            rows = alive[lo : lo + step]
            block = self._reduce(cand[rows]) if lo else cand[rows]
            chosen = self._extend(block)
            accepted.append(rows[chosen])
        return np.concatenate(accepted) if accepted else alive

    def _add_dense(
        self, batch: PackedSums, cols: np.ndarray, data: np.ndarray, ncols: int
    ) -> np.ndarray:
        p, rank = self.p, len(self.pivots)
        rows = np.zeros((rank, ncols), dtype=np.int64)
        rows[:, : self.dense.shape[1]] = self.dense
        cand = np.zeros((batch.count, ncols), dtype=np.int64)
        cand[batch.owner, cols] = data
        if rank:
            cand = (cand - _dense_matmul_mod(cand[:, self.pivots], rows, p)) % p
        alive = np.flatnonzero(cand.any(axis=1))
        used = np.flatnonzero(cand[alive].any(axis=0))
        chosen, rref, pivots = rref_mod(cand[np.ix_(alive, used)], p)
        new = np.zeros((len(chosen), ncols), dtype=np.int64)
        new[:, used] = rref
        new_pivots = used[pivots]
        if rank and len(new_pivots):
            rows = (rows - _dense_matmul_mod(rows[:, new_pivots], new, p)) % p
        self.dense = np.vstack([rows, new])
        self.pivots = np.concatenate([self.pivots, new_pivots])
        return alive[chosen]

    def _reduce(self, cand: sp.csr_array) -> sp.csr_array:
        if not len(self.pivots):
            return cand
        out = cand - _matmul_mod(cand[:, self.pivots], self.rows, self.p)
        out.data %= self.p
        out.eliminate_zeros()
        return out

    def _extend(self, block: sp.csr_array) -> np.ndarray:
        used = np.unique(block.indices)
        if not len(used):
            return np.zeros(0, dtype=np.int64)
        chosen, rref, pivots = rref_mod(block[:, used].toarray(), self.p)
        new = sp.csr_array(rref)
        new = sp.csr_array(
            (new.data, used[new.indices], new.indptr), shape=(len(chosen), block.shape[1])
        )
        new_pivots = used[pivots]
        if self.rows.shape[0]:
            self.rows = self.rows - _matmul_mod(self.rows[:, new_pivots], new, self.p)
            self.rows.data %= self.p
            self.rows.eliminate_zeros()
        self.rows = sp.vstack([self.rows, new], format="csr")
        self.pivots = np.concatenate([self.pivots, new_pivots])
        return chosen


def _matmul_mod(a: sp.csr_array, b: sp.csr_array, p: int) -> sp.csr_array:
    """``a @ b mod p`` for entries in ``[0, p)``, ``p < 2^31``, without int64 overflow."""
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


def _dense_matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """Dense ``a @ b mod p`` for entries in ``[0, p)``, ``p < 2^31``, on float BLAS.

    ``a`` is cut into three 11-bit slices; each slice times ``b`` has products below 2^42,
    so sums of fewer than 2^11 of them are exact in float64. The slices are recombined by
    Horner's rule modulo ``p``.
    """
    assert a.shape[1] < 2048, "inner dimension too large for exact float products"
    bf = b.astype(np.float64)
    out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    for shift in (22, 11, 0):
        part = ((a >> shift) & 0x7FF).astype(np.float64) @ bf
        out = (out * 2048 + part.astype(np.int64) % p) % p
    return out


def rref_mod(m: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduced row-echelon form of ``m`` over ``GF(p)``.

    Returns the original indices of the pivot rows (an independent subset spanning the
    rows), the non-zero RREF rows and their pivot columns. Forward elimination touches only
    the rows below and columns right of each pivot; back substitution then works on the
    (usually far fewer) pivot rows alone.
    """
    m = m % p
    rows = np.arange(m.shape[0])
    pivots: list[int] = []
    r = 0
    for j in range(m.shape[1]):
        if r == m.shape[0]:
            break
        nz = np.flatnonzero(m[r:, j])
        if not len(nz):
            continue
        i = r + nz[0]
        if i != r:
            m[[r, i]] = m[[i, r]]
            rows[[r, i]] = rows[[i, r]]
        m[r, j:] = m[r, j:] * pow(int(m[r, j]), p - 2, p) % p
        below = r + 1 + np.flatnonzero(m[r + 1 :, j])
        if len(below):
            m[below, j:] = (m[below, j:] - m[below, j : j + 1] * m[r, j:]) % p
        pivots.append(j)
        r += 1
    echelon = m[:r]
    for k in range(r - 1, 0, -1):
        j = pivots[k]
        above = np.flatnonzero(echelon[:k, j])
        if len(above):
            echelon[above, j:] = (
                echelon[above, j:] - echelon[above, j : j + 1] * echelon[k, j:]
            ) % p
    return rows[:r], echelon, np.array(pivots, dtype=np.int64)


class FloatSpan:
    """A subspace of ``R^columns`` with an orthonormal (sparse) row basis."""

    def __init__(self, rtol: float):
        self.rtol = rtol
        self.rows = sp.csr_array((0, 0), dtype=float)

    def add(self, batch: PackedSums, cols: np.ndarray, ncols: int) -> np.ndarray:
        """Add the batch's elements; return the indices of those that enlarged the span."""
        cand = sp.csr_array(
            (batch.coef.astype(float), (batch.owner, cols)), shape=(batch.count, ncols)
        )
        self.rows.resize((self.rows.shape[0], ncols))
        norms = _row_norms(cand)
        index = np.arange(batch.count)
        chosen = []
        basis = self.rows
        while len(index):
            cand = _project_out(_project_out(cand, basis), basis)
            alive = _row_norms(cand) > self.rtol * norms[index]
            cand, index = cand[alive], index[alive]
            head = slice(0, QR_CHUNK)
            picked, basis = self._orthonormal_subset(cand[head], norms[index[head]])
            chosen.append(index[head][picked])
            self.rows = sp.vstack([self.rows, basis], format="csr")
            cand, index = cand[QR_CHUNK:], index[QR_CHUNK:]
        return np.sort(np.concatenate(chosen)) if chosen else index

    def _orthonormal_subset(
        self, block: sp.csr_array, norms: np.ndarray
    ) -> tuple[np.ndarray, sp.csr_array]:
        """Independent rows of ``block`` (relative test) and an orthonormal basis of them.

        Rank-revealing QR of the relative residuals: ``|R_ii|`` is the residual of pivot ``i``
        after the earlier pivots, the greedy test made in the best order.
        """
        used = np.unique(block.indices)
        dense = block[:, used].toarray() / norms[:, None]
        q, r, perm = scipy.linalg.qr(dense.T, mode="economic", pivoting=True)
        rank = int(np.sum(np.abs(np.diag(r)) > self.rtol))
        new = sp.csr_array(q[:, :rank].T)
        shape = (rank, block.shape[1])
        return perm[:rank], sp.csr_array((new.data, used[new.indices], new.indptr), shape=shape)


def _row_norms(m: sp.csr_array) -> np.ndarray:
    return np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())


def _project_out(m: sp.csr_array, orthonormal_rows: sp.csr_array) -> sp.csr_array:
    if not orthonormal_rows.shape[0] or not m.shape[0]:
        return m
    return m - (m @ orthonormal_rows.T) @ orthonormal_rows
