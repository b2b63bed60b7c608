"""Runs of Pauli rotations in one compiled loop (optional: needs numba, ``lie_sim[fast]``).

:func:`lie_sim.simulate.transfer_rotation.apply_rotation` costs a few dozen NumPy calls per
gate, whatever the number of terms: about 10 µs a gate, which dominates shallow circuits
with small sums (a 32-qubit Trotter circuit of 512 rotations on 43 terms). Here a run of
consecutive rotations is one call of a numba kernel that applies them in turn, with the
same arithmetic and the same truncation after every gate:

* a term ``Q`` anticommutes with the axis ``P`` when its local letters ``b`` (base-4 digits
  ``x + 2z`` on the gate's qubits) have odd overlap with ``P``'s (a 16-entry table);
* its partner ``±iPQ`` has local letters ``b ^ p`` and the same letters elsewhere; touched
  terms are paired through a small open-addressing hash table on their letters off the
  support (both members of a pair share them), so a gate costs work in the terms it scans;
* ``c'_Q = cos θ·c_Q + v_{Q'}·c_{Q'}`` for a pair, and a term without a partner adds the new
  term ``v_Q·c_Q·Q'``, which is weighed; truncated terms go into the bound.

The kernel stops, without touching the gate, when a gate would need more rows than the
buffers hold (the caller grows them and resumes) or more than ``max_rows`` (the caller raises),
and after a gate that leaves more than ``max_terms`` terms.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lie_sim.compiled import jit
from lie_sim.simulate.transfer import GateMap, PackedTerms

__all__ = ["TOO_MANY_ROWS", "TOO_MANY_TERMS", "RotationRun", "run_rotations"]

_DONE, _GROW, TOO_MANY_ROWS, TOO_MANY_TERMS = 0, 1, 2, 3


def _rotations(
    x, z, c, size, gates, qubits, tables, max_weight, min_abs, max_rows, max_terms, stats
):
    """Apply rotations ``gates[start:]`` (see the module docstring); numba-compiled.

    ``gates[g] = (table, position)`` rows of ``tables`` and ``qubits`` (a gate's qubit
    indices, the one qubit twice for a one-qubit gate); ``tables[t]`` is ``(p, cos θ, v[0..15],
    anticommutes[0..15])`` flattened as 34 floats. ``stats = [bound, dropped, gate index,
    size, count]``: the gate index to resume from and, on a stop, the row count it needed.
    Returns a status code.
    """
    cap, nw = x.shape
    touched = np.empty(cap, np.int64)
    local = np.empty(cap, np.int64)
    partner = np.empty(cap, np.int64)
    new_c = np.empty(cap, np.float64)
    slots = np.empty(4 * cap + 8, np.int64)  # the pairing table: 2 to 4 slots a touched term
    keep = np.full(nw, ~np.uint64(0))  # per word, the bits off the current gate's support
    start = int(stats[2])
    for g in range(start, gates.shape[0]):
        t = gates[g, 0]
        qrow = gates[g, 1]
        k = 1 if qubits[qrow, 0] == qubits[qrow, 1] else 2  # one-qubit gates repeat it
        p = int(tables[t, 0])
        cos = tables[t, 1]
        w0 = qubits[qrow, 0] >> 6
        b0 = np.uint64(qubits[qrow, 0] & 63)
        w1 = qubits[qrow, 1] >> 6
        b1 = np.uint64(qubits[qrow, 1] & 63)
        one = np.uint64(1)
        # 1. the touched terms and their local letters
        m = 0
        for i in range(size):
            b = int((x[i, w0] >> b0) & one) + 2 * int((z[i, w0] >> b0) & one)
            if k == 2:
                b += 4 * (int((x[i, w1] >> b1) & one) + 2 * int((z[i, w1] >> b1) & one))
            if tables[t, 18 + b] != 0.0:
                touched[m] = i
                local[m] = b
                m += 1
        if m == 0:
            continue
        # 2. pairs, by a hash of the letters off the support
        h = 4
        while h < 2 * m:
            h *= 2
        slots[:h] = -1
        keep[w0] &= ~(one << b0)  # the letters off the support: both members share them
        if k == 2:
            keep[w1] &= ~(one << b1)
        singles = 0
        for j in range(m):
            i = touched[j]
            key = np.uint64(0x9E3779B97F4A7C15)
            for w in range(nw):
                key = (key ^ (x[i, w] & keep[w])) * np.uint64(0xFF51AFD7ED558CCD)
                key = (key ^ (z[i, w] & keep[w])) * np.uint64(0xC4CEB9FE1A85EC53)
            slot = np.int64((key ^ (key >> np.uint64(31))) & np.uint64(h - 1))
            partner[j] = -1
            want = local[j] ^ p
            while slots[slot] >= 0:
                e = slots[slot]
                if local[e] == want:
                    same = True
                    ie = touched[e]
                    for w in range(nw):
                        if ((x[i, w] ^ x[ie, w]) | (z[i, w] ^ z[ie, w])) & keep[w]:
                            same = False
                            break
                    if same:
                        partner[j] = e
                        partner[e] = j
                        break
                slot = (slot + 1) & (h - 1)
            if partner[j] < 0:
                slots[slot] = j
        keep[w0] = ~np.uint64(0)
        keep[w1] = ~np.uint64(0)
        for j in range(m):
            if partner[j] < 0:
                singles += 1
        if size + singles > cap or size + singles > max_rows:
            stats[2] = g
            stats[3] = size
            stats[4] = size + singles
            return TOO_MANY_ROWS if size + singles > max_rows else _GROW
        # 3. new coefficients (pairs mix, singles send v_Q c_Q to a new term)
        for j in range(m):
            new_c[j] = c[touched[j]] * cos
        for j in range(m):
            e = partner[j]
            if e >= 0:
                new_c[j] += c[touched[e]] * tables[t, 2 + local[e]]
        end = size
        for j in range(m):
            if partner[j] >= 0:
                continue
            i = touched[j]
            flow = c[i] * tables[t, 2 + local[j]]
            drop = abs(flow) < min_abs if min_abs > 0 else flow == 0.0
            weight = 0
            for w in range(nw):
                xw = x[i, w]
                zw = z[i, w]
                if w == w0:
                    xw ^= np.uint64(p & 1) << b0
                    zw ^= np.uint64((p >> 1) & 1) << b0
                if k == 2 and w == w1:
                    xw ^= np.uint64((p >> 2) & 1) << b1
                    zw ^= np.uint64((p >> 3) & 1) << b1
                x[end, w] = xw
                z[end, w] = zw
                if max_weight >= 0:
                    v = xw | zw
                    while v:  # popcount
                        v &= v - one
                        weight += 1
            if max_weight >= 0 and weight > max_weight:
                drop = True
            if drop:
                if flow != 0.0:
                    stats[0] += abs(flow)
                    stats[1] += 1
            else:
                c[end] = flow
                end += 1
        # 4. the touched terms: new coefficients, the small ones removed (highest row first)
        for j in range(m):
            c[touched[j]] = new_c[j]
        size = end
        for j in range(m - 1, -1, -1):
            value = new_c[j]
            drop = abs(value) < min_abs if min_abs > 0 else value == 0.0
            if not drop:
                continue
            if value != 0.0:
                stats[0] += abs(value)
                stats[1] += 1
            i = touched[j]
            size -= 1
            if i != size:
                for w in range(nw):
                    x[i, w] = x[size, w]
                    z[i, w] = z[size, w]
                c[i] = c[size]
        if size > max_terms:
            stats[2] = g + 1
            stats[3] = size
            stats[4] = size
            return TOO_MANY_TERMS
    stats[2] = gates.shape[0]
    stats[3] = size
    return _DONE


class RotationRun:
    """Consecutive rotation steps gathered for one kernel call.

    Gate maps are numbered once (:meth:`add`); each step records its map's number and the
    row of its qubits.
    """

    def __init__(self) -> None:
        self._tables: dict[int, tuple[GateMap, int]] = {}
        self._rows: list[np.ndarray] = []
        self._positions: dict[tuple[int, ...], int] = {}
        self._qubits: list[tuple[int, int]] = []
        self.steps: list[tuple[int, int]] = []
        self.owners: list[Any] = []  # per step, what the caller names in errors
        self._arrays: tuple[np.ndarray, ...] | None = None

    def add(self, gate: GateMap, positions: tuple[int, ...], owner: Any) -> None:
        known = self._tables.get(id(gate))
        if known is None or known[0] is not gate:
            known = (gate, len(self._rows))
            self._tables[id(gate)] = known
            self._rows.append(_table_row(gate))
        row = self._positions.get(positions)
        if row is None:
            row = self._positions[positions] = len(self._qubits)
            self._qubits.append((positions[0], positions[-1]))
        self.steps.append((known[1], row))
        self.owners.append(owner)
        self._arrays = None

    def arrays(self) -> tuple[np.ndarray, ...]:
        """``(steps, qubit rows, tables)`` for the kernel (built once)."""
        if self._arrays is None:
            self._arrays = (
                np.array(self.steps, dtype=np.int64).reshape(-1, 2),
                np.array(self._qubits, dtype=np.int64).reshape(-1, 2),
                np.array(self._rows, dtype=np.float64).reshape(-1, 34),
            )
        return self._arrays


def _table_row(gate: GateMap) -> np.ndarray:
    """``(p, cos θ, v[0..15], anticommutes[0..15])`` of a rotation map."""
    p, cos, values = gate.rotation
    row = np.zeros(34)
    row[0], row[1] = p, cos
    row[2 : 2 + len(values)] = values
    row[18 : 18 + len(values)] = values != 0
    return row


def run_rotations(
    terms: PackedTerms,
    run: RotationRun,
    cut: tuple[int | None, float],
    max_rows: int,
    max_terms: int,
) -> tuple[int, int, Any]:
    """Apply ``run`` to ``terms`` in place (no tangents). Returns ``(status, count, owner)``:
    status 0 when done, else 2 (a gate would expand past ``max_rows``) or 3 (more than
    ``max_terms`` terms after a gate), with the count reached and the step's owner."""
    kernel = jit(_rotations)
    gates, qubits, tables = run.arrays()
    max_weight, min_abs = cut
    stats = np.array([terms.bound, float(terms.dropped), 0.0, 0.0, 0.0])
    while True:
        x, z, c = terms.buffers()
        status = kernel(
            x,
            z,
            c,
            terms.size,
            gates,
            qubits,
            tables,
            -1 if max_weight is None else int(max_weight),
            float(min_abs),
            int(max_rows),
            int(max_terms),
            stats,
        )
        terms.bound, terms.dropped = float(stats[0]), int(stats[1])
        terms.size = int(stats[3])
        if status == _GROW:
            terms.reserve_total(int(stats[4]))
            continue
        terms.widen_reach()
        if status == _DONE:
            return status, 0, None
        return status, int(stats[4]), run.owners[int(stats[2]) - (status == TOO_MANY_TERMS)]
