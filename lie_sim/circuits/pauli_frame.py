"""The Pauli frame: fixed gates pushed through a circuit as a Heisenberg-picture map on Paulis.

A fixed (unparameterized) gate F moves past a rotation by ``e^{-iθH}·F = F·e^{-iθ F†HF}``, so the
fixed gates B seen so far act on every later generator, and on the observable, as ``P ↦ B† P B``.
`Frame` stores that map as the images of X, Y and Z on every qubit. A Clifford maps each image to
one signed Pauli string (exact integer coefficients, bit masks, no 2^n objects); a non-Clifford
gate expands the images on its support in the Pauli basis (float coefficients, not exact).

Pauli strings are bit-mask pairs ``(x, z)`` over the qubit index (a qubit with both bits set is
Y), and Pauli sums are dicts from such pairs to coefficients (ints or Fractions when exact,
floats otherwise): the symplectic representation of Aaronson & Gottesman, "Improved simulation
of stabilizer circuits", Phys. Rev. A 70, 052328 (2004).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import cirq
import numpy as np

from lie_sim.pauli.paulis import masks_anticommute, masks_product

ATOL = 1e-12  # float Pauli coefficients below this are dropped (non-Clifford frames only)
_MAX_TABLE_QUBITS = 4  # fixed gates wider than this are decomposed before using their unitary
_MAX_CACHED_TABLES = 65536  # distinct non-Clifford angles: keep the table cache's memory bounded

Pauli = tuple[int, int]  # (x mask, z mask) over the qubit index; (1, 1) on a qubit is Y
FixedTable = tuple[tuple[tuple[tuple[str, Any], ...], ...], ...]  # [pos][XYZ] -> (label, c)
_CHAR_BITS = {"I": (0, 0), "X": (1, 0), "Y": (1, 1), "Z": (0, 1)}


# --------------------------------------------------------------------------- Pauli bit masks


def _product(a: Pauli, b: Pauli) -> tuple[Pauli, int]:
    """``P_a P_b = i^k P_c``: returns (c, k mod 4), Hermitian Paulis (Y = iXZ) on bit masks."""
    k, x, z = masks_product(*a, *b)
    return (x, z), k


def anticommute(a: Pauli, b: Pauli) -> bool:
    """Whether two Pauli strings anticommute (odd symplectic product).

    Example:
        >>> anticommute((0b1, 0b0), (0b0, 0b1)), anticommute((0b11, 0b0), (0b0, 0b11))
        (True, False)
    """
    return masks_anticommute(*a, *b)


def _times_i(c: Any, k: int) -> Any:
    return (c, 1j * c, -c, -1j * c)[k]


def _mul(a: Mapping[Pauli, Any], b: Mapping[Pauli, Any]) -> dict[Pauli, Any]:
    """Product of two Pauli sums."""
    out: dict[Pauli, Any] = {}
    for pa, ca in a.items():
        for pb, cb in b.items():
            p, k = _product(pa, pb)
            out[p] = out.get(p, 0) + _times_i(ca * cb, k)
    return out


def add_scaled(acc: dict[Pauli, Any], terms: Mapping[Pauli, Any], scale: Any = 1) -> None:
    """``acc += scale · terms``, in place (coefficients are not cleaned).

    Example:
        >>> acc = {(1, 0): 1}
        >>> add_scaled(acc, {(1, 0): 2, (0, 1): 1}, 3)
        >>> acc
        {(1, 0): 7, (0, 1): 3}
    """
    for p, v in terms.items():
        acc[p] = acc.get(p, 0) + scale * v


def is_exact(s: Mapping[Pauli, Any]) -> bool:
    """Whether every coefficient is an exact int (an image under Clifford gates only)."""
    return all(type(c) is int for c in s.values())


def cleaned(s: Mapping[Pauli, Any]) -> dict[Pauli, Any]:
    """Drop zeros; turn complex coefficients of a Hermitian sum into floats.

    Example:
        >>> cleaned({(1, 0): 0.5 + 0j, (0, 1): 0, (1, 1): 1e-15})
        {(1, 0): 0.5}
    """
    out: dict[Pauli, Any] = {}
    for p, c in s.items():
        if isinstance(c, complex | float):
            assert abs(c.imag) < 1e-8, "Hermitian Pauli sum with an imaginary coefficient"
            c = float(c.real)
            if abs(c) < ATOL:
                continue
        elif c == 0:
            continue
        out[p] = c
    return out


def commute(a: Mapping[Pauli, Any], b: Mapping[Pauli, Any]) -> bool:
    """Whether two Pauli sums commute: exactly for rational sums, to 1e-9 for float ones.

    [A, B] = 2·Σ a·b·P_a·P_b over anticommuting pairs, and P_a·P_b = ±i·P_c there.

    Example:
        >>> xx_plus_yy = {(0b11, 0b00): 1, (0b11, 0b11): 1}
        >>> commute(xx_plus_yy, {(0b00, 0b11): 1}), commute(xx_plus_yy, {(0b00, 0b01): 1})
        (True, False)
    """
    acc: dict[Pauli, Any] = {}
    for pa, ca in a.items():
        for pb, cb in b.items():
            if anticommute(pa, pb):
                p, k = _product(pa, pb)
                acc[p] = acc.get(p, 0) + (ca * cb if k == 1 else -ca * cb)
    return all(c == 0 if isinstance(c, int | Fraction) else abs(c) < 1e-9 for c in acc.values())


def support(terms: Mapping[Pauli, Any]) -> int:
    """Bit mask of the qubits some term acts on."""
    return functools.reduce(int.__or__, (x | z for x, z in terms), 0)


def _letter(p: Pauli, qubit: int) -> int:
    """The Pauli on ``qubit`` as 0, 1, 2, 3 for I, X, Z, Y (x bit + 2·z bit)."""
    x, z = p
    return ((x >> qubit) & 1) | (((z >> qubit) & 1) << 1)


def pauli_string(p: Pauli, coefficient: complex, qubits: Sequence[cirq.Qid]) -> cirq.PauliString:
    """The `cirq.PauliString` ``coefficient·P`` with bit ``i`` of the masks on ``qubits[i]``.

    Example:
        >>> pauli_string((0b01, 0b11), 0.5, cirq.LineQubit.range(2))
        ((0.5+0j)*cirq.Y(cirq.LineQubit(0))*cirq.Z(cirq.LineQubit(1)))
    """
    x, z = p
    paulis = {qubits[i]: (None, cirq.X, cirq.Z, cirq.Y)[_letter(p, i)] for i in _bits(x | z)}
    return cirq.PauliString(qubit_pauli_map=paulis, coefficient=coefficient)


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def sort_key(p: Pauli) -> tuple[int, ...]:
    """Order Pauli strings by their label read from qubit 0, with I < X < Y < Z.

    Example:
        >>> sorted([(0, 1), (1, 1), (1, 0)], key=sort_key)
        [(1, 0), (1, 1), (0, 1)]
    """
    n = max(p[0].bit_length(), p[1].bit_length())
    return tuple((0, 1, 3, 2)[_letter(p, i)] for i in range(n))


# --------------------------------------------------------------------------- fixed gates


@functools.cache
def _pauli_basis(n: int) -> tuple[tuple[str, ...], np.ndarray]:
    """All 4^n Pauli labels on n qubits and their matrices (stacked)."""
    single = {"I": np.eye(2), "X": cirq.unitary(cirq.X), "Y": cirq.unitary(cirq.Y)}
    single["Z"] = cirq.unitary(cirq.Z)
    labels = tuple("".join(t) for t in itertools.product("IXYZ", repeat=n))
    mats = [functools.reduce(np.kron, (single[c] for c in label), np.eye(1)) for label in labels]
    return labels, np.array(mats)


def _single_label(char: str, pos: int, n: int) -> str:
    """The label of ``char`` on qubit ``pos`` of ``n`` (identity elsewhere)."""
    return "I" * pos + char + "I" * (n - pos - 1)


def fixed_table(unitary: np.ndarray) -> FixedTable | None:
    """Images U† P U of X, Y, Z on each qubit of a small gate, or None for the identity.

    Coefficients are ints (±1) when the gate is Clifford, floats otherwise.

    Example:
        >>> fixed_table(cirq.unitary(cirq.H))  # one qubit: H† X H = Z, H† Y H = −Y, H† Z H = X
        (((('Z', 1),), (('Y', -1),), (('X', 1),)),)
        >>> fixed_table(np.eye(2)) is None
        True
    """
    n = unitary.shape[0].bit_length() - 1
    labels, basis = _pauli_basis(n)
    table = []
    for pos in range(n):
        row = []
        for char in "XYZ":
            p = basis[labels.index(_single_label(char, pos, n))]
            m = unitary.conj().T @ p @ unitary
            coefficients = np.einsum("kij,ji->k", basis, m).real / 2**n
            row.append(_image_terms(labels, coefficients))
        table.append(tuple(row))
    if all(_is_identity_row(row, pos, n) for pos, row in enumerate(table)):
        return None
    return tuple(table)


def _image_terms(labels: Sequence[str], coefficients: np.ndarray) -> tuple[tuple[str, Any], ...]:
    nonzero = np.flatnonzero(np.abs(coefficients) > 1e-10)
    if len(nonzero) == 1 and abs(abs(coefficients[nonzero[0]]) - 1) < 1e-9:
        return ((labels[nonzero[0]], 1 if coefficients[nonzero[0]] > 0 else -1),)
    return tuple((labels[k], float(coefficients[k])) for k in nonzero)


def _is_identity_row(row: tuple, pos: int, n: int) -> bool:
    for char, image in zip("XYZ", row, strict=True):
        if image != ((_single_label(char, pos, n), 1),):
            return False
    return True


_FIXED_CACHE: dict[Any, FixedTable | None] = {}


def fixed_table_of(op: cirq.Operation) -> FixedTable | None:
    """Cached `fixed_table` of a fixed operation; LookupError when it has no (small) unitary.

    Example:
        >>> fixed_table_of(cirq.CZ(*cirq.LineQubit.range(2)))[0]
        ((('XZ', 1),), (('YZ', 1),), (('ZI', 1),))
    """
    key = op.gate if type(op) is cirq.GateOperation else None
    if key is not None:
        try:
            return _FIXED_CACHE[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable gate
            key = None
    if len(op.qubits) > _MAX_TABLE_QUBITS or not cirq.has_unitary(op):
        raise LookupError
    table = fixed_table(cirq.unitary(op))
    if key is not None:
        if len(_FIXED_CACHE) > _MAX_CACHED_TABLES:
            _FIXED_CACHE.clear()
        _FIXED_CACHE[key] = table
    return table


# --------------------------------------------------------------------------- the frame


class Frame:
    """The map P ↦ B† P B of the fixed gates B seen so far, as images of X, Y, Z per qubit.

    Example:
        >>> frame = Frame()
        >>> frame.apply(fixed_table(cirq.unitary(cirq.CNOT)), [0, 1])
        >>> frame.conjugate("IZ", [0, 1])  # CNOT† (I⊗Z) CNOT = Z⊗Z
        {(0, 3): 1}
    """

    def __init__(self) -> None:
        self.images: dict[int, tuple[dict[Pauli, Any], ...]] = {}

    def image(self, qubit: int, char: str) -> dict[Pauli, Any]:
        """B† P B for the single-qubit Pauli ``char`` (X, Y or Z) on ``qubit``."""
        row = self.images.get(qubit)
        if row is None:
            bx, bz = _CHAR_BITS[char]
            return {(bx << qubit, bz << qubit): 1}
        return row["XYZ".index(char)]

    def conjugate(self, label: str, index: Sequence[int]) -> dict[Pauli, Any]:
        """B† P B for the Pauli string ``label`` on the qubits ``index``."""
        out: dict[Pauli, Any] = {(0, 0): 1}
        for char, qubit in zip(label, index, strict=True):
            if char != "I":
                out = _mul(out, self.image(qubit, char))
        return out

    def apply(self, table: FixedTable, index: Sequence[int]) -> None:
        """Append a fixed gate F (given by its table) on ``index``: B ← F·B."""
        new = {}
        for qubit, row in zip(index, table, strict=True):
            images = []
            for terms in row:
                acc: dict[Pauli, Any] = {}
                for label, c in terms:
                    add_scaled(acc, self.conjugate(label, index), c)
                images.append(cleaned(acc))
            new[qubit] = tuple(images)
        self.images.update(new)
