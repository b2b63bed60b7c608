"""One Pauli rotation on the packed terms, pair by pair.

For ``U = e^{-iθP/2}`` a string ``Q`` that anticommutes with ``P`` becomes
``cos θ·Q + v_Q·Q'`` with ``Q' = ±iPQ`` its partner (``v_Q = ± sin θ``, the PTM entry
``R[b ^ p, b]`` of its local letters ``b``); the partner anticommutes with ``P`` too. So the
touched strings fall into pairs ``{Q, Q'}`` and singletons, and the new coefficients are

    c'_Q = cos θ·c_Q + v_{Q'}·c_{Q'}      (a pair; the partner's term is 0 for a singleton),

plus a new term ``v_Q·c_Q·Q'`` for each singleton. Pairs are found by sorting the touched
strings on a key both members share (the member without the bit of one axis qubit): one
sort of the touched terms, no expansion to ``4^k`` columns. Registers of up to 32 qubits sort
one packed ``uint64`` key; wider ones sort a 64-bit hash of the key and check that every run
of equal hashes holds one string or one pair (else they sort the strings themselves). The sums
are the ones :func:`lie_sim.simulate.transfer.apply_gate` forms, term for term.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from lie_sim.pauli.paulis import popcount
from lie_sim.simulate.transfer import GateMap, PackedTerms

__all__ = ["apply_rotation"]

_ONE = np.uint64(1)
_HALF = np.uint64(32)
_READ_SHIFT = np.uint64(30)  # moves the x bits next to the z bits
_READ_INDEX = np.uint64(0b1111)


@functools.cache
def _hash_constants(nwords: int) -> np.ndarray:
    """``(2, nwords)`` odd 64-bit multipliers of the x and z words (fixed seed)."""
    rng = np.random.default_rng(2024)
    return rng.integers(1, 2**63, size=(2, nwords), dtype=np.uint64) | _ONE


def apply_rotation(
    terms: PackedTerms,
    gate: GateMap,
    num_qubits: int,
    cut: tuple[int | None, float],
    max_rows: int,
    too_many: Callable[[int], Exception],
) -> bool:
    """Apply the placed rotation ``gate`` (``gate.axis`` set) to ``terms`` without tangents, in
    place, and truncate what changed as :func:`lie_sim.simulate.transfer.truncate` would with
    ``cut = (max_weight, min_abs_coeff)``; return whether any term anticommuted with it.

    The touched strings keep their place and weight (only their coefficients change), so only
    the new strings are weighed and written. Raises ``too_many(count)`` before growing past
    ``max_rows`` rows.
    """
    if num_qubits <= 32:
        return _rotate_narrow(terms, gate, cut, max_rows, too_many)
    _, cos, values = gate.rotation
    touched = _anticommuting(terms, gate.axis, len(gate.bits))
    if not len(touched):
        return False
    xt, zt, ct = terms.x[touched], terms.z[touched], terms.c[touched]
    first, second, flip = _pairs(xt, zt, gate.axis, num_qubits, terms.reach)
    flow = ct * _values(xt, zt, gate, values, flip)  # what each term sends to its partner
    new_c = ct * cos
    new_c[first] += flow[second]
    new_c[second] += flow[first]
    if 2 * len(first) < len(touched):
        alone = np.ones(len(touched), dtype=bool)
        alone[first] = False
        alone[second] = False
        lonely = np.flatnonzero(alone)
    else:
        lonely = first[:0]
    if terms.size + len(lonely) > max_rows:
        raise too_many(terms.size + len(lonely))
    max_weight, min_abs = cut
    terms.c[touched] = new_c
    for w, mask in gate.masks:
        terms.reach[w] |= mask
    gone = _dropped(terms, new_c, min_abs)
    if len(lonely):
        add_x, add_z, add_c = xt[lonely], zt[lonely], flow[lonely]
        for w, ax, az in gate.axis:
            add_x[:, w] ^= ax
            add_z[:, w] ^= az
        heavy = None if max_weight is None else popcount(add_x | add_z) > max_weight
        drop = _dropped(terms, add_c, min_abs, heavy)
        if drop is not None:
            keep = ~drop
            add_x, add_z, add_c = add_x[keep], add_z[keep], add_c[keep]
        terms.append([add_x, add_z, add_c])
    if gone is not None:
        terms.remove(touched[gone])
    return True


def _rotate_narrow(
    terms: PackedTerms,
    gate: GateMap,
    cut: tuple[int | None, float],
    max_rows: int,
    too_many: Callable[[int], Exception],
) -> bool:
    """:func:`apply_rotation` on at most 32 qubits: the same steps on one packed key per
    string (``x << 32 | z``), with as few array passes as the small sums of shallow circuits
    need (their cost is the number of NumPy calls, not their length)."""
    _, cos, values = gate.rotation
    ((_, ax, az),) = gate.axis
    x, z, c = terms.x[:, 0], terms.z[:, 0], terms.c
    if not ax:
        symplectic = x & az
    elif not az:
        symplectic = z & ax
    else:
        symplectic = (x & az) ^ (z & ax)
    if len(gate.bits) > 1:
        symplectic = np.bitwise_count(symplectic) & np.uint8(1)
    touched = np.flatnonzero(symplectic)
    if not len(touched):
        return False
    xt, zt, ct = x[touched], z[touched], c[touched]
    key = (xt << _HALF) | zt
    readout = gate.key_values
    if readout is None:
        value = values[_local_index(xt[:, None], zt[:, None], gate.words, gate.bits)]
    else:  # the letters on q, q + 1 (or q) gathered from the key in four steps
        low, mask, table = readout
        read = (key >> np.uint64(low)) & mask
        value = table[((read | (read >> _READ_SHIFT)) & _READ_INDEX).astype(np.intp)]
    axis_key = (int(ax) << 32) | int(az)
    pivot = np.uint64((axis_key & -axis_key).bit_length() - 1)  # lowest bit of the axis
    key ^= ((key >> pivot) & _ONE) * np.uint64(axis_key)  # the pair member without the pivot
    order = key.argsort()
    sorted_key = key[order]
    same = sorted_key[1:] == sorted_key[:-1]
    first, second = order[:-1][same], order[1:][same]
    flow = ct * value  # what each term sends to its partner
    new_c = ct * cos
    new_c[first] += flow[second]
    new_c[second] += flow[first]
    max_weight, min_abs = cut
    c[touched] = new_c
    terms.reach[0] |= gate.masks[0][1]
    gone = _dropped(terms, new_c, min_abs)
    if 2 * len(first) < len(touched):
        alone = np.ones(len(touched), dtype=bool)
        alone[first] = False
        alone[second] = False
        lonely = np.flatnonzero(alone)
        if terms.size + len(lonely) > max_rows:
            raise too_many(terms.size + len(lonely))
        add_x, add_z, add_c = xt[lonely] ^ ax, zt[lonely] ^ az, flow[lonely]
        heavy = None
        if max_weight is not None:
            heavy = np.bitwise_count(add_x | add_z) > max_weight
        drop = _dropped(terms, add_c, min_abs, heavy)
        if drop is not None:
            keep = ~drop
            add_x, add_z, add_c = add_x[keep], add_z[keep], add_c[keep]
        terms.append([add_x[:, None], add_z[:, None], add_c])
    if gone is not None:
        terms.remove(touched[gone])
    return True


def _values(
    x: np.ndarray, z: np.ndarray, gate: GateMap, values: np.ndarray, flip: np.ndarray
) -> np.ndarray:
    """The PTM entry ``v`` of each string's letters. One qubit: the two letters that
    anticommute with the axis differ in the pivot bit, so ``flip`` tells them apart."""
    if len(gate.bits) > 1:
        return values[_local_index(x, z, gate.words, gate.bits)]
    p = gate.rotation[0]
    pivot = 1 if p & 1 else 2  # the x bit of the axis letter if it has one, else its z bit
    letters = [b for b in (1, 2, 3) if b != p]  # the two anticommuting letters
    with_pivot = letters[0] if letters[0] & pivot else letters[1]
    without = letters[1] if with_pivot == letters[0] else letters[0]
    return np.where(flip, values[with_pivot], values[without])


def _dropped(
    terms: PackedTerms, c: np.ndarray, min_abs: float, heavy: np.ndarray | None = None
) -> np.ndarray | None:
    """Which of the coefficients ``c`` go (below ``min_abs``, zero, or ``heavy``), or None
    when all stay; the dropped ones that are not zero go into the bound."""
    drop = np.abs(c) < min_abs if min_abs > 0 else c == 0
    if heavy is not None:
        drop |= heavy
    if not drop.any():
        return None
    counted = drop & (c != 0)
    terms.bound += float(np.abs(c[counted]).sum())
    terms.dropped += int(np.count_nonzero(counted))
    return drop


def _anticommuting(terms: PackedTerms, axis: tuple, arity: int) -> np.ndarray:
    """Rows whose string anticommutes with the axis."""
    if len(axis) == 1:
        w, ax, az = axis[0]
        symplectic = (terms.x[:, w] & az) ^ (terms.z[:, w] & ax)
        if arity == 1:
            return np.flatnonzero(symplectic)
        return np.flatnonzero(np.bitwise_count(symplectic) & np.uint8(1))
    odd = np.zeros(terms.size, dtype=np.uint8)
    for w, ax, az in axis:
        odd ^= np.bitwise_count((terms.x[:, w] & az) ^ (terms.z[:, w] & ax))
    return np.flatnonzero(odd & np.uint8(1))


def _pairs(
    x: np.ndarray, z: np.ndarray, axis: tuple, num_qubits: int, reach: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(first, second, flip)``: the rows ``first[i]`` and ``second[i]`` are partners (one is
    the other times the axis); ``flip`` marks the strings with the axis's pivot bit (its
    lowest x bit, or z bit for a Z-type axis). The strings are zero outside the words where
    ``reach`` is not."""
    w, ax, az = axis[0]
    pivot_in_x = bool(ax)
    mask = ax if pivot_in_x else az
    flip = ((x if pivot_in_x else z)[:, w] & (mask & (~mask + _ONE))) != 0  # its lowest bit
    if num_qubits <= 32:
        key = (x[:, 0] << _HALF) | z[:, 0]
        key[flip] ^= (ax << _HALF) | az  # the member of each pair without the pivot bit
        order = np.argsort(key)
        same = key[order[1:]] == key[order[:-1]]
    else:
        cx, cz = x.copy(), z.copy()
        for w, ax, az in axis:
            cx[flip, w] ^= ax
            cz[flip, w] ^= az
        words = np.union1d(np.flatnonzero(reach), [w for w, _, _ in axis])
        order, same = _hash_runs(cx, cz, words)
    return order[:-1][same], order[1:][same], flip


def _hash_runs(x: np.ndarray, z: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort order of the rows of ``(x, z)`` (zero outside ``words``) with equal rows adjacent,
    and whether each row equals the next one in that order."""
    hx, hz = _hash_constants(x.shape[1])[:, words]
    key = (x[:, words] * hx).sum(axis=1) + (z[:, words] * hz).sum(axis=1)
    order = np.argsort(key)
    candidate = np.flatnonzero(np.diff(key[order]) == 0)
    a, b = order[candidate], order[candidate + 1]
    equal = np.all(x[a] == x[b], axis=1) & np.all(z[a] == z[b], axis=1)
    same = np.zeros(max(len(key) - 1, 0), dtype=bool)
    if equal.all():
        same[candidate] = True
        return order, same
    # two strings share a hash: sort the strings themselves
    order = np.lexsort(np.concatenate([x[:, words], z[:, words]], axis=1).T[::-1])
    sx, sz = x[order], z[order]
    same[:] = np.all(sx[1:] == sx[:-1], axis=1) & np.all(sz[1:] == sz[:-1], axis=1)
    return order, same


def _local_index(
    x: np.ndarray, z: np.ndarray, words: tuple[int, ...], bits: tuple[int, ...]
) -> np.ndarray:
    """Base-4 index of the letters on the support (digit ``j`` on ``words[j]``, ``bits[j]``)."""
    out = np.zeros(len(x), dtype=np.uint64)
    for j, (w, b) in enumerate(zip(words, bits, strict=True)):
        shift = np.uint64(b)
        out |= ((x[:, w] >> shift) & _ONE) << np.uint64(2 * j)
        out |= ((z[:, w] >> shift) & _ONE) << np.uint64(2 * j + 1)
    return out.astype(np.intp)
