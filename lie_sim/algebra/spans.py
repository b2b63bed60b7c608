"""Spans of packed Pauli sums: decide which candidates enlarge the span found so far.

* :class:`FloatSpan`: an orthonormal row basis; candidates whose residual is below ``rtol``
  times their norm are dependent, the rest are picked by rank-revealing QR (the closure's
  float path). The exact span over ``GF(p)`` is :class:`~lie_sim.algebra.modp.ModPSpan`.

:class:`ColumnIndex` numbers Pauli strings (columns) for the float path.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from lie_sim.pauli.packed import PackedSums
from lie_sim.pauli.paulis import row_keys

QR_CHUNK = 256  # float candidates orthonormalised per rank-revealing QR
_HASH_MODULUS = 2147483647

__all__ = ["ColumnIndex", "FloatSpan"]


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
