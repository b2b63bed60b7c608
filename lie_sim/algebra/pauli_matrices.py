"""Dense matrices of Pauli sums on a few qubits, and their Pauli coefficients, by fast transforms.

A Pauli string with bit masks ``(x, z)`` acts on a basis state ``|j⟩`` as
``P|j⟩ = i^{|x∧z|} (−1)^{|z∧j|} |j ⊕ x⟩``, where bit ``q`` of ``j`` is qubit ``q`` (little-endian,
unlike Cirq's matrices; these matrices stay inside the classification and never cross the API,
and conjugating by the bit-reversal permutation changes no spectrum or trace). So the matrix of
``Σ c(x, z)·P(x, z)`` has the entries ``M[j ⊕ x, j] = Σ_z c(x, z)·i^{|x∧z|}·(−1)^{|z∧j|}``: for each
``x`` one Walsh–Hadamard transform over ``z``. Back, ``c(x, z) = (−i)^{|x∧z|}/N · Σ_j (−1)^{|z∧j|}
M[j ⊕ x, j]``. Both directions cost ``O(N² log N)`` for ``N = 2^n``, against ``O(N²·terms)`` term by
term.

Strings are given as compact integer codes over the qubits an algebra touches
(:func:`compact_codes`), so an algebra on qubits 0 and 40 of a register is a 4×4 problem.
"""

from __future__ import annotations

import numpy as np

_PHASES = np.array([1, 1j, -1, -1j])
_BATCH_ENTRIES = 1 << 22  # matrix entries per vectorised batch


def compact_codes(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of packed strings over the qubits they touch, and how many qubits that is.

    ``x`` and ``z`` are ``(strings, words)`` uint64 masks; bit ``i`` of a code is the ``i``-th
    qubit (in increasing order) on which some string acts.

    Example:
        >>> from lie_sim.pauli.paulis import pack_ints
        >>> xs, zs, n = compact_codes(pack_ints([1 << 40, 1], 1), pack_ints([1, 0], 1))
        >>> xs.tolist(), zs.tolist(), n  # qubits 0 and 40 become bits 0 and 1
        ([2, 1], [1, 0], 2)
    """
    bx, bz = _bits(x), _bits(z)
    used = np.flatnonzero((bx | bz).any(axis=0))
    weights = np.left_shift(1, np.arange(len(used), dtype=np.int64))
    return bx[:, used] @ weights, bz[:, used] @ weights, len(used)


def _bits(masks: np.ndarray) -> np.ndarray:
    raw = np.ascontiguousarray(masks, dtype="<u8").view(np.uint8)
    return np.unpackbits(raw, axis=1, bitorder="little").astype(np.int64)


def pauli_matrices(coefs: np.ndarray, xs: np.ndarray, zs: np.ndarray, n: int) -> np.ndarray:
    """Matrices ``Σ_s coefs[b, s]·P(xs[s], zs[s])``: a ``(batch, N, N)`` complex array."""
    dim = 1 << n
    rows, cols = _shifted(n)
    phase = _PHASES[np.bitwise_count(xs & zs) % 4]
    out = np.empty((len(coefs), dim, dim), dtype=complex)
    for lo, hi in _batches(len(coefs), dim):
        grid = np.zeros((hi - lo, dim, dim), dtype=complex)
        grid[:, xs, zs] = coefs[lo:hi] * phase
        out[lo:hi][:, rows, cols] = walsh_hadamard(grid)
    return out


def pauli_coefficients(matrices: np.ndarray, xs: np.ndarray, zs: np.ndarray, n: int) -> np.ndarray:
    """Coefficients ``Tr(P_s·M)/N`` of the strings ``(xs, zs)`` in each matrix of the batch."""
    dim = 1 << n
    rows, cols = _shifted(n)
    phase = _PHASES[(-np.bitwise_count(xs & zs)) % 4] / dim
    out = np.empty((len(matrices), len(xs)), dtype=complex)
    for lo, hi in _batches(len(matrices), dim):
        spectrum = walsh_hadamard(matrices[lo:hi][:, rows, cols])
        out[lo:hi] = spectrum[:, xs, zs] * phase
    return out


def projector_coefficients(
    vectors: np.ndarray, starts: np.ndarray, xs: np.ndarray, zs: np.ndarray, n: int
) -> np.ndarray:
    """Coefficients ``Tr(P_s·Q_k)/N`` of the projectors ``Q_k`` onto groups of orthonormal columns.

    Group ``k`` is the columns ``starts[k]`` up to the next start. Uses
    ``⟨u|P|u⟩ = i^{|x∧z|} Σ_j (−1)^{|z∧j|} conj(u[j ⊕ x])·u[j]``: per distinct ``x`` one
    elementwise product summed over each group, then one real product with the signs of all
    strings with that ``x``; ``O(N²·(#x) + N·K·strings)``, without forming the projectors.
    Returns a real ``(K, strings)`` array.
    """
    dim = 1 << n
    j = np.arange(dim)
    out = np.empty((len(starts), len(xs)))
    order = np.argsort(xs, kind="stable")
    first = np.flatnonzero(np.diff(xs[order], prepend=-1))
    for lo, hi in zip(first, np.append(first[1:], len(order)), strict=True):
        strings = order[lo:hi]
        x = xs[strings[0]]
        grouped = np.add.reduceat(vectors[j ^ x].conj() * vectors, starts, axis=1)
        sign = 1.0 - 2.0 * (np.bitwise_count(zs[strings][:, None] & j[None, :]) & 1)
        values = sign @ grouped.real + 1j * (sign @ grouped.imag)
        phase = _PHASES[np.bitwise_count(x & zs[strings]) % 4]
        out[:, strings] = (phase[:, None] * values).real.T / dim
    return out


def walsh_hadamard(a: np.ndarray) -> np.ndarray:
    """``a[..., z] ← Σ_j (−1)^{|z∧j|}·a[..., j]`` along the last axis (a power of 2), in place.

    Radix-2 butterflies on views, one temporary per stage.

    Example:
        >>> walsh_hadamard(np.array([1.0, 2.0, 3.0, 4.0]))
        array([10., -2., -4.,  0.])
    """
    size = a.shape[-1]
    half = 1
    while half < size:
        pairs = a.reshape(*a.shape[:-1], size // (2 * half), 2, half)
        low, high = pairs[..., 0, :], pairs[..., 1, :]
        difference = low - high
        low += high
        high[...] = difference
        half *= 2
    return a


def _shifted(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays with ``M[rows, cols][x, j] = M[j ⊕ x, j]``."""
    j = np.arange(1 << n)
    return j[None, :] ^ j[:, None], np.broadcast_to(j[None, :], (1 << n, 1 << n))


def _batches(count: int, dim: int):
    step = max(1, _BATCH_ENTRIES // (dim * dim))
    for lo in range(0, count, step):
        yield lo, min(count, lo + step)
