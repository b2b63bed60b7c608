"""One Pauli rotation on the terms of a register of at most 64 qubits, pair by pair.

For ``U = e^{-iθP/2}`` a string ``Q`` that anticommutes with ``P`` becomes
``cos θ·Q + v_Q·Q'`` with ``Q' = ±iPQ`` its partner (``v_Q = ± sin θ``, the PTM entry
``R[b ^ p, b]`` of its local letters ``b``); the partner anticommutes with ``P`` too. So the
touched strings fall into pairs ``{Q, Q'}`` and singletons, and the new coefficients are

    c'_Q = cos θ·c_Q + v_{Q'}·c_{Q'}      (a pair; the partner's term is 0 for a singleton),

plus a new term ``v_Q·c_Q·Q'`` for each singleton. Pairs are found by sorting the touched
strings on a key both members share (the string with the bit of one axis qubit cleared by
multiplying with ``P``): one sort of the touched terms, no expansion to ``4^k`` columns. The
sums are the ones :func:`lie_sim.simulate.transfer.apply_gate` forms, term for term.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lie_sim.simulate.transfer import GateMap, PackedTerms

__all__ = ["apply_rotation"]

_ONE = np.uint64(1)
_HALF = np.uint64(32)


def apply_rotation(
    terms: PackedTerms,
    gate: GateMap,
    num_qubits: int,
    max_rows: int,
    too_many: Callable[[int], Exception],
) -> np.ndarray:
    """Apply the placed rotation ``gate`` (``gate.rotation`` set) to single-word ``terms``
    without tangents, in place; return the indices of changed rows.

    Raises ``too_many(count)`` before growing past ``max_rows`` rows.
    """
    _, cos, values = gate.rotation
    ax, az = gate.axis
    if not terms.reach[0] & (ax | az) or not terms.size:
        return np.zeros(0, dtype=np.int64)  # outside the light cone of every term
    x, z = terms.x[:, 0], terms.z[:, 0]
    symplectic = (x & az) ^ (z & ax)
    if len(gate.bits) == 1:
        touched = np.flatnonzero(symplectic)
    else:
        touched = np.flatnonzero(np.bitwise_count(symplectic) & np.uint8(1))
    if not len(touched):
        return touched
    xt, zt, ct = x[touched], z[touched], terms.c[touched]
    partner = _partners(xt, zt, ax, az, num_qubits)
    found = partner >= 0
    flow = ct * values[_local_index(xt, zt, gate.bits)]  # what each term sends its partner
    new_c = ct * cos
    new_c[found] += flow[partner[found]]
    lonely = np.flatnonzero(~found)
    if terms.size + len(lonely) > max_rows:
        raise too_many(terms.size + len(lonely))
    new_x = np.concatenate([xt, xt[lonely] ^ ax])
    new_z = np.concatenate([zt, zt[lonely] ^ az])
    for w, mask in gate.masks:
        terms.reach[w] |= mask
    return terms.replace(
        touched, [new_x[:, None], new_z[:, None], np.concatenate([new_c, flow[lonely]])]
    )


def _partners(
    x: np.ndarray, z: np.ndarray, ax: np.uint64, az: np.uint64, num_qubits: int
) -> np.ndarray:
    """Index of each string's partner ``(x ^ ax, z ^ az)`` among them, or −1."""
    pivot_in_x = bool(ax)
    pivot = (ax if pivot_in_x else az) & (~(ax if pivot_in_x else az) + _ONE)  # lowest bit
    flip = ((x if pivot_in_x else z) & pivot) != 0
    cx = np.where(flip, x ^ ax, x)  # the member of the pair without the pivot bit
    cz = np.where(flip, z ^ az, z)
    if num_qubits <= 32:
        order = np.argsort((cx << _HALF) | cz)
        same = np.diff(((cx << _HALF) | cz)[order]) == 0
    else:
        order = np.lexsort((cz, cx))
        sx, sz = cx[order], cz[order]
        same = (sx[1:] == sx[:-1]) & (sz[1:] == sz[:-1])
    first, second = order[:-1][same], order[1:][same]
    out = np.full(len(x), -1, dtype=np.int64)
    out[first] = second
    out[second] = first
    return out


def _local_index(x: np.ndarray, z: np.ndarray, bits: tuple[int, ...]) -> np.ndarray:
    """Base-4 index of the letters on ``bits`` (digit ``j`` on ``bits[j]``)."""
    out = np.zeros(len(x), dtype=np.uint64)
    for j, b in enumerate(bits):
        shift = np.uint64(b)
        out |= ((x >> shift) & _ONE) << np.uint64(2 * j)
        out |= ((z >> shift) & _ONE) << np.uint64(2 * j + 1)
    return out.astype(np.intp)
