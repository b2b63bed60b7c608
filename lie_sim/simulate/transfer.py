"""Pauli transfer matrices of one- and two-qubit unitaries, in the Heisenberg picture.

For a unitary ``U`` on ``k`` qubits and the Pauli strings ``P_a`` on them (``a`` a base-4
index, letter of qubit ``j`` in digit ``j``, letters numbered ``x + 2z``: I, X, Z, Y as in
:mod:`lie_sim.pauli.paulis`), the Heisenberg action is

    U† P_b U = Σ_a R[a, b] P_a,      R[a, b] = Tr(P_a U† P_b U) / 2^k,

a real orthogonal ``4^k × 4^k`` matrix with ``R[0, 0] = 1`` (the Pauli transfer matrix, PTM).
Column ``b`` of ``R`` is what one Pauli term with local letters ``b`` becomes. A Clifford gate
has one ``±1`` per column (a signed permutation); a Pauli rotation ``e^{-iθP/2}`` has
``cos θ`` and ``± sin θ`` in the columns of strings that anticommute with ``P`` and a plain
``1`` in the others; any other gate a dense block.

Qubit order: digit ``j`` of ``a`` is the letter on ``op.qubits[j]``, and ``P_a`` as a matrix is
the Kronecker product with ``op.qubits[0]`` most significant, as ``cirq.unitary`` orders it.

The second half of the module applies such matrices to many Pauli terms at once, the core of
:mod:`lie_sim.simulate.propagation`: :class:`PackedTerms` holds the terms (packed ``uint64``
masks, coefficients, optional tangents) in growable buffers, :class:`GateMap` is one gate's
PTM in column form placed on its qubits, :func:`apply_gate` maps the terms the gate touches
(untouched for trivial columns, relabelled for signed permutations, expanded and merged
otherwise) and :func:`truncate` drops terms by weight and coefficient with the bookkeeping.
Pauli rotations (:attr:`GateMap.rotation`) have a faster path that pairs strings instead of
expanding columns (:mod:`lie_sim.simulate.transfer_rotation`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import numpy as np

from lie_sim.pauli.paulis import popcount

SNAP_ATOL = 1e-14  # PTM entries this close to 0 or ±1 are set exactly (Clifford maps stay exact)
DERIVATIVE_STEP = 1e-3  # step of the five-point stencil for dR/ds
DERIVATIVE_ATOL = 1e-10  # stencil entries below this are zero (the stencil's own error)
PTM_ATOL = 1e-15  # PTM entries below this are dropped

_KEY_INDEX = np.arange(16)  # z_q + 2 z_{q+1} + 4 x_q + 8 x_{q+1} (GateMap.key_values)
_KEY_LOW = (_KEY_INDEX >> 2 & 1) + 2 * (_KEY_INDEX & 1)  # the letter x + 2z on q
_KEY_HIGH = (_KEY_INDEX >> 3 & 1) + 2 * (_KEY_INDEX >> 1 & 1)  # the letter on q + 1
_KEY_ONE_QUBIT = (_KEY_INDEX & 0b1010) == 0  # one qubit: the bits of q + 1 are masked off

_SIGMA = (
    np.eye(2, dtype=complex),
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
)  # index x + 2z


@functools.cache
def pauli_basis(num_qubits: int) -> np.ndarray:
    """``(4^k, 2^k, 2^k)`` Pauli matrices ``P_a`` (digit ``j`` of ``a`` on qubit ``j``)."""
    out = []
    for a in range(4**num_qubits):
        m = np.ones((1, 1), dtype=complex)
        for j in range(num_qubits):
            m = np.kron(m, _SIGMA[(a >> (2 * j)) & 3])
        out.append(m)
    return np.array(out)


def transfer_matrix(unitary: np.ndarray) -> np.ndarray:
    """The Heisenberg PTM ``R[a, b] = Tr(P_a U† P_b U) / 2^k`` of a ``2^k × 2^k`` unitary.

    Entries within :data:`SNAP_ATOL` of 0 or ±1 are set to those values exactly.

    Example:
        >>> import cirq
        >>> r = transfer_matrix(cirq.unitary(cirq.rx(0.3)))
        >>> # U† Z U = cos θ Z + sin θ Y for U = e^{-iθX/2}: column Z (2) has rows Z (2), Y (3)
        >>> bool(np.isclose(r[2, 2], np.cos(0.3)) and np.isclose(r[3, 2], np.sin(0.3)))
        True
    """
    u = np.asarray(unitary, dtype=complex)
    dim = u.shape[0]
    k = dim.bit_length() - 1
    basis = pauli_basis(k)
    heis = np.einsum("ji,bjk,kl->bil", u.conj(), basis, u)  # U† P_b U for every b
    r = np.einsum("aij,bji->ab", basis, heis).real / dim
    return snapped(r)


def snapped(r: np.ndarray) -> np.ndarray:
    """``r`` with entries near 0, 1 or −1 (within :data:`SNAP_ATOL`) set exactly."""
    out = r.copy()
    for value in (0.0, 1.0, -1.0):
        out[np.abs(out - value) < SNAP_ATOL] = value
    return out


def stencil_derivative(values: list[np.ndarray], step: float = DERIVATIVE_STEP) -> np.ndarray:
    """Five-point central difference from ``f(s-2h), f(s-h), f(s+h), f(s+2h)``.

    The error is ``h^4 f^(5)/30`` plus rounding ``~ε/h``: about 1e-12 for ``h = 1e-3`` and
    angles ``a·s`` with ``|a| ≤ π``. Entries below :data:`DERIVATIVE_ATOL` are set to zero.
    """
    m2, m1, p1, p2 = values
    d = (m2 - 8 * m1 + 8 * p1 - p2) / (12 * step)
    d[np.abs(d) < DERIVATIVE_ATOL] = 0.0
    return d


# ------------------------------------------------------------------------------ packed terms


class PackedTerms:
    """Mutable working set in growable buffers: masks, coefficients and (optionally) tangents
    ``(m, symbols)``. Rows are removed by moving tail rows into the holes and appended into
    spare capacity, so a gate costs work in the rows it touches, not a copy of all of them.
    """

    def __init__(self, x: np.ndarray, z: np.ndarray, c: np.ndarray, t: np.ndarray | None):
        self._arrays = [x.copy(), z.copy(), c.copy()] + ([] if t is None else [t.copy()])
        self.size = len(c)
        self.bound = 0.0
        self.dropped = 0
        # qubits some term may act on (a superset: removals do not shrink it)
        self.reach = (
            np.bitwise_or.reduce(x | z, axis=0) if len(c) else np.zeros(x.shape[1], x.dtype)
        )

    @property
    def x(self) -> np.ndarray:
        return self._arrays[0][: self.size]

    @property
    def z(self) -> np.ndarray:
        return self._arrays[1][: self.size]

    @property
    def c(self) -> np.ndarray:
        return self._arrays[2][: self.size]

    @property
    def t(self) -> np.ndarray | None:
        return self._arrays[3][: self.size] if len(self._arrays) > 3 else None

    def replace(self, rows: np.ndarray, new: Sequence[np.ndarray]) -> np.ndarray:
        """Put the ``new`` rows (x, z, c[, t]) in place of ``rows`` (sorted); return where they
        now are."""
        k, p = len(rows), len(new[0])
        self.reach |= np.bitwise_or.reduce(new[0] | new[1], axis=0)
        if p <= k:
            for array, values in zip(self._arrays, new, strict=True):
                array[rows[:p]] = values
            # rows[:p] are all below size − (k − p), so removing rows[p:] never moves them
            self.remove(rows[p:])
            return rows[:p]
        start = self.size
        self._reserve(p - k)
        for array, values in zip(self._arrays, new, strict=True):
            array[rows] = values[:k]
            array[start : start + p - k] = values[k:]
        self.size += p - k
        return np.concatenate([rows, np.arange(start, self.size)])

    def append(self, new: Sequence[np.ndarray]) -> None:
        """Append the rows ``new`` (x, z, c[, t]); the caller widens :attr:`reach`."""
        p = len(new[0])
        if not p:
            return
        start = self.size
        self._reserve(p)
        for array, values in zip(self._arrays, new, strict=True):
            array[start : start + p] = values
        self.size += p

    def remove(self, rows: np.ndarray) -> None:
        """Remove the distinct ``rows``, filling holes with rows from the tail."""
        if not len(rows):
            return
        cut = self.size - len(rows)
        holes = rows[rows < cut]
        tail = np.ones(len(rows), dtype=bool)
        tail[rows[rows >= cut] - cut] = False
        movers = cut + np.flatnonzero(tail)
        for array in self._arrays:
            array[holes] = array[movers]
        self.size = cut

    def buffers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The x, z and coefficient buffers, spare capacity included (rows past :attr:`size`
        are scratch)."""
        return self._arrays[0], self._arrays[1], self._arrays[2]

    def reserve_total(self, rows: int) -> None:
        """Capacity for at least ``rows`` rows."""
        self._reserve(rows - self.size)

    def widen_reach(self) -> None:
        """Add the qubits of the current rows to :attr:`reach`."""
        if self.size:
            self.reach |= np.bitwise_or.reduce(self.x | self.z, axis=0)

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if need <= len(self._arrays[2]):
            return
        capacity = max(need, 2 * len(self._arrays[2]))
        grown = []
        for array in self._arrays:
            bigger = np.empty((capacity, *array.shape[1:]), dtype=array.dtype)
            bigger[: self.size] = array[: self.size]
            grown.append(bigger)
        self._arrays = grown


@dataclasses.dataclass(frozen=True)
class GateMap:
    """One gate as a PTM on its support, in the column form the expansion reads.

    Attributes:
        words, bits: word index and bit of each support qubit (``op.qubits`` order); empty
            until placed with :meth:`on`.
        active: per local index ``b``, whether the column is non-trivial.
        counts, starts: entries per column and their offsets in ``rows``/``values``.
        rows, values: row index and value of each kept entry, column by column.
        tangents: ``(symbols, entries)`` derivative of each entry (None without gradients).
        permutation: every active column has a single entry (a signed permutation).
        masks: ``(word, mask of the support bits in it)`` for each word the support touches
            (empty until placed).
        support: per word, the mask of the support bits (None until placed).
        axis: for a placed rotation, ``(word, x mask, z mask)`` of its axis ``P`` in each
            word it touches (None otherwise).
        rotation: for a Pauli rotation ``e^{-iθP/2}`` that is not a signed permutation
            (``cos θ ≠ 0``, ``sin θ ≠ 0``) and has no tangents, ``(p, cos θ, v)``: the local
            index of ``P``, and per column ``b`` the entry ``v[b] = R[b ^ p, b]``
            (``± sin θ`` where ``b`` anticommutes with ``P``, else 0); None otherwise.
    """

    words: tuple[int, ...]
    bits: tuple[int, ...]
    active: np.ndarray
    counts: np.ndarray
    starts: np.ndarray
    rows: np.ndarray
    values: np.ndarray
    tangents: np.ndarray | None
    permutation: bool
    masks: tuple[tuple[int, np.uint64], ...] = ()
    support: np.ndarray | None = None
    rotation: tuple[int, float, np.ndarray] | None = None
    axis: tuple[tuple[int, np.uint64, np.uint64], ...] | None = None

    @classmethod
    def build(
        cls,
        r: np.ndarray,
        derivatives: dict[int, np.ndarray] | None,
        num_symbols: int,
    ) -> GateMap:
        pattern = np.abs(r) >= PTM_ATOL
        for d in (derivatives or {}).values():
            pattern |= d != 0
        size = len(r)
        eye = np.eye(size, dtype=bool)
        trivial = np.all(pattern == eye, axis=0) & (np.diag(r) == 1.0)
        for d in (derivatives or {}).values():
            trivial &= ~np.any(d != 0, axis=0)
        col, row = np.nonzero(pattern.T)  # entries column by column
        counts = np.bincount(col, minlength=size)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        tangents = None
        if derivatives is not None:
            tangents = np.zeros((num_symbols, len(row)))
            for s, d in derivatives.items():
                tangents[s] = d[row, col]
        active = ~trivial
        permutation = bool(np.all(counts[active] == 1))
        return cls(
            words=(),
            bits=(),
            active=active,
            counts=counts,
            starts=starts,
            rows=row.astype(np.int64),
            values=r[row, col],
            tangents=tangents,
            permutation=permutation,
            rotation=None if permutation or derivatives else _rotation(r, active),
        )

    def on(self, positions: Sequence[int]) -> GateMap:
        """The same map on the qubit indices ``positions`` (``op.qubits`` order)."""
        words = tuple(q >> 6 for q in positions)
        bits = tuple(q & 63 for q in positions)
        support = [0] * (max(words) + 1)
        for w, b in zip(words, bits, strict=True):
            support[w] |= 1 << b
        axis = None
        if self.rotation is not None:
            axis = _rotation_axis(self.rotation[0], words, bits)
        return dataclasses.replace(
            self,
            words=words,
            bits=bits,
            masks=tuple((w, np.uint64(m)) for w, m in enumerate(support) if m),
            support=np.array(support, dtype=np.uint64),
            axis=axis,
        )

    @functools.cached_property
    def is_identity(self) -> bool:
        return not self.active.any()

    @functools.cached_property
    def key_values(self) -> tuple[int, np.uint64, np.ndarray] | None:
        """For a rotation placed on qubits ``q < q + 1`` of the first word, or on one qubit
        there: the PTM entry ``v`` of each string read from its packed key ``x << 32 | z``
        shifted right by ``q``, as ``(q, mask, table)``: the key's bits under ``mask``, the x
        ones moved down by 30, index ``table`` as ``z_q + 2 z_{q+1} + 4 x_q + 8 x_{q+1}``.
        None for other placements."""
        if self.rotation is None or max(self.words) > 0:
            return None
        low, high = min(self.bits), max(self.bits)
        if high - low > 1:
            return None
        if low == high:
            table = np.where(_KEY_ONE_QUBIT, self.rotation[2][_KEY_LOW & 3], 0.0)
        elif self.bits[0] == low:
            table = self.rotation[2][_KEY_LOW + 4 * _KEY_HIGH]
        else:
            table = self.rotation[2][_KEY_HIGH + 4 * _KEY_LOW]
        mask = 1 | 1 << 32 if low == high else 0b11 | 0b11 << 32
        return low, np.uint64(mask), table

    def local_index(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Base-4 local letter index of every string (digit ``j`` on support qubit ``j``)."""
        out = np.zeros(len(x), dtype=np.int64)
        for j, (w, b) in enumerate(zip(self.words, self.bits, strict=True)):
            shift = np.uint64(b)
            lx = (x[:, w] >> shift) & np.uint64(1)
            lz = (z[:, w] >> shift) & np.uint64(1)
            out += (lx + 2 * lz).astype(np.int64) << (2 * j)
        return out

    def support_masks(self, nwords: int) -> np.ndarray:
        """Per word (``nwords`` of them), the mask of the support bits."""
        mask = np.zeros(nwords, dtype=np.uint64)
        mask[: len(self.support)] = self.support
        return mask

    def write_letters(self, x: np.ndarray, z: np.ndarray, index: np.ndarray) -> None:
        """Set the support letters of rows ``x``, ``z`` (cleared there) to ``index``."""
        for j, (w, b) in enumerate(zip(self.words, self.bits, strict=True)):
            letter = (index >> (2 * j)) & 3
            shift = np.uint64(b)
            x[:, w] |= (letter & 1).astype(np.uint64) << shift
            z[:, w] |= (letter >> 1).astype(np.uint64) << shift


def _rotation_axis(p: int, words: tuple[int, ...], bits: tuple[int, ...]) -> tuple:
    """``((word, x mask, z mask), ...)`` of the axis with local index ``p`` on its qubits."""
    masks: dict[int, list[int]] = {}
    for j, (w, b) in enumerate(zip(words, bits, strict=True)):
        mx, mz = masks.setdefault(w, [0, 0])
        masks[w] = [mx | ((p >> (2 * j)) & 1) << b, mz | ((p >> (2 * j + 1)) & 1) << b]
    return tuple((w, np.uint64(mx), np.uint64(mz)) for w, (mx, mz) in masks.items())


def _rotation(r: np.ndarray, active: np.ndarray) -> tuple[int, float, np.ndarray] | None:
    """``(p, cos θ, v)`` when ``r`` is the PTM of ``e^{-iθP/2}`` (see :class:`GateMap`)."""
    columns = np.flatnonzero(active)
    if not len(columns):
        return None
    cos = float(r[columns[0], columns[0]])
    pattern = np.abs(r[:, columns]) >= PTM_ATOL
    if not np.all(pattern.sum(axis=0) == 2) or not np.all(r[columns, columns] == cos):
        return None
    other = np.argmax(pattern & (np.arange(len(r))[:, None] != columns), axis=0)
    p = int(other[0] ^ columns[0])
    if not np.all(other ^ columns == p) or not np.array_equal(active, _anticommuting(p, len(r))):
        return None
    values = np.zeros(len(r))
    values[columns] = r[other, columns]
    return p, cos, values


def _anticommuting(p: int, size: int) -> np.ndarray:
    """Which local indices ``b < size`` anticommute with the local index ``p``."""
    b = np.arange(size)
    x_b, z_b = b & 0x5, (b >> 1) & 0x5  # the x and z bit of each letter, at its low bit
    x_p, z_p = p & 0x5, (p >> 1) & 0x5
    return np.bitwise_count((x_b & z_p) ^ (z_b & x_p)) % 2 == 1


def apply_gate(
    terms: PackedTerms,
    gate: GateMap,
    max_rows: int,
    too_many: Callable[[int], Exception],
) -> np.ndarray:
    """Apply one gate to ``terms`` in place; return the indices of changed rows.

    Raises ``too_many(count)`` before expanding to more than ``max_rows`` rows.
    """
    masks = gate.masks
    if not any(terms.reach[w] & mask for w, mask in masks):
        return np.zeros(0, dtype=np.int64)  # outside the light cone of every term
    hit = np.zeros(terms.size, dtype=bool)
    for w, mask in masks:
        hit |= ((terms.x[:, w] | terms.z[:, w]) & mask) != 0
    candidates = np.flatnonzero(hit)
    index = gate.local_index(terms.x[candidates], terms.z[candidates])
    active = gate.active[index]
    touched, b = candidates[active], index[active]
    if not len(touched):
        return touched
    if gate.permutation:
        _permute(terms, gate, touched, b)
        for w, mask in masks:
            terms.reach[w] |= mask
        return touched
    counts = gate.counts[b]
    total = int(counts.sum())
    if total + terms.size - len(touched) > max_rows:
        raise too_many(total + terms.size - len(touched))
    new = _expand(terms, gate, touched, b, counts, total)
    return terms.replace(touched, [a for a in new if a is not None])


def _permute(terms: PackedTerms, gate: GateMap, touched: np.ndarray, b: np.ndarray) -> None:
    entry = gate.starts[b]
    value = gate.values[entry]
    x, z = terms.x[touched], terms.z[touched]
    support = ~gate.support_masks(x.shape[1])
    x &= support
    z &= support
    gate.write_letters(x, z, gate.rows[entry])
    terms.x[touched], terms.z[touched] = x, z
    old = terms.c[touched]
    terms.c[touched] = old * value
    if terms.t is not None:
        terms.t[touched] = (
            terms.t[touched] * value[:, None] + old[:, None] * gate.tangents[:, entry].T
        )


def _expand(
    terms: PackedTerms,
    gate: GateMap,
    touched: np.ndarray,
    b: np.ndarray,
    counts: np.ndarray,
    total: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The merged images of the touched terms (each expanded along its PTM column)."""
    support = ~gate.support_masks(terms.x.shape[1])
    off_x, off_z = terms.x[touched] & support, terms.z[touched] & support
    group, first = _row_groups(off_x, off_z)
    offsets = np.cumsum(counts) - counts
    entry = np.repeat(gate.starts[b] - offsets, counts) + np.arange(total)
    source = np.repeat(np.arange(len(touched)), counts)
    size = len(gate.counts)
    key = group[source] * size + gate.rows[entry]
    coef = terms.c[touched][source] * gate.values[entry]
    if terms.t is None:
        slots = np.bincount(key, minlength=len(first) * size)
        sums = np.bincount(key, weights=coef, minlength=len(first) * size)
        keys = np.flatnonzero(slots)
        new_c, new_t = sums[keys], None
    else:
        tangent = terms.t[touched][source] * gate.values[entry][:, None]
        tangent += terms.c[touched][source][:, None] * gate.tangents[:, entry].T
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        keys = key[starts]
        new_c = np.add.reduceat(coef[order], starts)
        new_t = np.add.reduceat(tangent[order], starts, axis=0)
    rep = first[keys // size]
    new_x, new_z = off_x[rep], off_z[rep]
    gate.write_letters(new_x, new_z, keys % size)
    return new_x, new_z, new_c, new_t


def _row_groups(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group id of each row of ``(x, z)`` and the first row of each group."""
    both = np.concatenate([x, z], axis=1)
    used = both[:, np.any(both != 0, axis=0)]  # words some row sets (few, in a light cone)
    if used.shape[1] <= 1:
        key = used[:, 0] if used.shape[1] else np.zeros(len(x), dtype=np.uint64)
        _, first, group = np.unique(key, return_index=True, return_inverse=True)
        return group.ravel(), first
    order = np.lexsort(used.T[::-1])
    ordered = used[order]
    change = np.ones(len(order), dtype=bool)
    change[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(change) - 1
    return group, order[change]


def truncate(
    terms: PackedTerms, changed: np.ndarray, max_weight: int | None, min_abs: float
) -> None:
    """Drop changed rows that are too heavy or too small; zero rows are dropped silently."""
    if not len(changed):
        return
    c = terms.c[changed]
    zero = c == 0
    if terms.t is not None:
        zero &= ~np.any(terms.t[changed] != 0, axis=1)
    drop = np.abs(c) < min_abs
    if max_weight is not None:
        drop |= popcount(terms.x[changed] | terms.z[changed]) > max_weight
    drop &= ~zero
    if not (drop.any() or zero.any()):
        return
    terms.bound += float(np.abs(c[drop]).sum())
    terms.dropped += int(drop.sum())
    terms.remove(changed[drop | zero])
