"""Initial states as tables of Pauli expectation values ``⟨P⟩_ρ``.

Both the variance formula and the g-sim simulator see a state only through ``⟨P⟩_ρ`` for
Pauli strings ``P``. For a pure product state that is a product of single-qubit Bloch
components, so any number of qubits works; a state vector is used directly at small n.

Accepted forms (:func:`read_state`):

* ``None``: ``|0…0⟩``;
* text over ``0 1 + - r l`` (``r``/``l`` are the ±1 eigenstates of Y), qubit 0 first, e.g.
  ``"+0-1"``;
* a computational-basis state as an ``int`` (Cirq's order: qubit 0 is the most significant
  bit), or a bitstring such as ``"0110"`` (which is also valid text);
* a list with one entry per qubit: such a character, a length-2 vector, or a Cirq named
  state like ``cirq.KET_PLUS``; an ``(n, 2)`` array of single-qubit vectors;
* a ``cirq.ProductState`` on the qubits;
* a state vector of length ``2^n`` (Cirq's order), for small n.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from lie_sim.cirq_types import is_cirq
from lie_sim.errors import StateError
from lie_sim.pauli.paulis import PauliWord, popcount, unpack_ints

STATE_ATOL = 1e-6  # norm tolerance of state vectors (qsim states are complex64)
_CHUNK = 1 << 16  # strings per vectorised step of the generic product-state path

# Bloch components (⟨X⟩, ⟨Y⟩, ⟨Z⟩) of the named single-qubit states.
NAMED_STATES = {
    "0": (0.0, 0.0, 1.0),
    "1": (0.0, 0.0, -1.0),
    "+": (1.0, 0.0, 0.0),
    "-": (-1.0, 0.0, 0.0),
    "r": (0.0, 1.0, 0.0),
    "l": (0.0, -1.0, 0.0),
}

__all__ = ["NAMED_STATES", "ProductExpectations", "VectorExpectations", "read_state"]


@dataclasses.dataclass(frozen=True)
class ProductExpectations:
    """Pure product state: per qubit the table ``(1, ⟨X⟩, ⟨Z⟩, ⟨Y⟩)`` indexed by x + 2z.

    Attributes:
        tables: one table per qubit.
        text: how the state reads (for messages and reports).
    """

    tables: tuple[tuple[float, float, float, float], ...]
    text: str

    @property
    def num_qubits(self) -> int:
        return len(self.tables)

    def expectation(self, word: PauliWord) -> float:
        """``⟨P⟩_ρ`` of one Pauli string."""
        value = 1.0
        support = word.x | word.z
        while support and value:
            low = support & -support
            letter = (1 if word.x & low else 0) + (2 if word.z & low else 0)
            value *= self.tables[low.bit_length() - 1][letter]
            support ^= low
        return value

    def expectations(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``⟨P⟩_ρ`` of every packed string ``(x[i], z[i])`` (``(m, words)`` uint64 masks).

        A stabilizer product state (every qubit on a Bloch axis) costs a few word operations
        per string; any other product state one pass per qubit.
        """
        axes = self._axes()
        if axes is not None:
            return _stabilizer_expectations(x, z, *axes)
        out = np.empty(len(x))
        for lo in range(0, len(x), _CHUNK):
            out[lo : lo + _CHUNK] = self._generic(x[lo : lo + _CHUNK], z[lo : lo + _CHUNK])
        return out

    @property
    def traceless_norm2(self) -> float:
        """``Σ_{P ≠ I} ⟨P⟩² = 2^n − 1`` for a pure product state."""
        return _scaled(1.0, len(self.tables)) - 1.0

    def _axes(self) -> tuple[np.ndarray, ...] | None:
        """Packed masks (on X, on Y, on Z, negative) when every qubit is on a Bloch axis."""
        nwords = max(1, (len(self.tables) + 63) // 64)
        masks = [0, 0, 0, 0]
        for q, (_, bx, bz, by) in enumerate(self.tables):
            values = (bx, by, bz)
            ones = [k for k, v in enumerate(values) if v in (1.0, -1.0)]
            if len(ones) != 1 or any(v != 0.0 for k, v in enumerate(values) if k != ones[0]):
                return None
            masks[ones[0]] |= 1 << q
            if values[ones[0]] < 0:
                masks[3] |= 1 << q
        return tuple(
            np.array([(m >> (64 * w)) & (2**64 - 1) for w in range(nwords)], dtype=np.uint64)
            for m in masks
        )

    def _generic(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        table = np.array(self.tables)
        values = np.ones(len(x))
        for q in range(len(self.tables)):
            w, bit = divmod(q, 64)
            letter = (x[:, w] >> np.uint64(bit)) & np.uint64(1)
            letter = letter + 2 * ((z[:, w] >> np.uint64(bit)) & np.uint64(1))
            values *= table[q][letter.astype(np.intp)]
        return values


def _stabilizer_expectations(
    x: np.ndarray, z: np.ndarray, on_x: np.ndarray, on_y: np.ndarray, on_z: np.ndarray, neg
) -> np.ndarray:
    """``⟨P⟩`` for a product of Pauli eigenstates: 0 unless P has, on each qubit, I or that
    qubit's axis; then ``(-1)^(number of non-identity letters on negative qubits)``."""
    off_axis = (z & on_x) | (x & on_z) | ((x ^ z) & on_y)
    zero = np.any(off_axis != 0, axis=1)
    sign = 1.0 - 2.0 * (popcount((x | z) & neg) % 2)
    return np.where(zero, 0.0, sign)


@dataclasses.dataclass(frozen=True, eq=False)
class VectorExpectations:
    """A state vector (Cirq's order: qubit 0 is the most significant bit of the index)."""

    vector: np.ndarray
    num_qubits: int
    text: str = "state vector"

    def expectation(self, word: PauliWord) -> float:
        """``⟨ψ|P|ψ⟩`` of one Pauli string."""
        n = self.num_qubits
        x, z = _reversed_bits(word.x, n), _reversed_bits(word.z, n)
        index = np.arange(len(self.vector))
        sign = 1 - 2 * (np.bitwise_count((index ^ x) & z) & 1).astype(np.int8)
        value = np.vdot(self.vector, sign * self.vector[index ^ x])
        return float((1j ** (word.x & word.z).bit_count() * value).real)

    def expectations(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """``⟨ψ|P|ψ⟩`` of every packed string (``O(2^n)`` each)."""
        words = zip(unpack_ints(x), unpack_ints(z), strict=True)
        return np.array([self.expectation(PauliWord(a, b)) for a, b in words])

    @property
    def traceless_norm2(self) -> float:
        return float(2**self.num_qubits - 1)


def _reversed_bits(mask: int, n: int) -> int:
    """Qubit-index mask → state-vector index mask (qubit 0 is the most significant bit)."""
    return int(format(mask, f"0{n}b")[::-1], 2) if n else 0


def _scaled(value: float, power: int) -> float:
    try:
        return math.ldexp(value, power)
    except OverflowError:
        return math.inf


def read_state(
    state: Any, num_qubits: int, qubits: Sequence[Any] | None = None
) -> ProductExpectations | VectorExpectations:
    """The expectation table of an initial state given in any accepted form (module docstring).

    Args:
        state: the state.
        num_qubits: n.
        qubits: the qubit order, needed only for a ``cirq.ProductState``.

    Raises:
        StateError: a state of the wrong size or norm, or an unknown state character.

    Example:
        >>> from lie_sim.pauli.paulis import PauliWord
        >>> s = read_state("+0", 2)
        >>> s.expectation(PauliWord.from_text("XZ")), s.expectation(PauliWord.from_text("ZI"))
        (1.0, 0.0)
        >>> read_state(1, 2).text
        '|01⟩'
    """
    n = num_qubits
    if state is None:
        return _product([NAMED_STATES["0"]] * n, "|" + "0" * n + "⟩")
    if isinstance(state, str):
        return _text_state(state, n)
    if isinstance(state, int | np.integer) and not isinstance(state, bool):
        return _basis_state(int(state), n)
    if is_cirq(state, "ProductState"):
        if qubits is None:
            raise StateError("A cirq.ProductState needs the qubit order (qubits=...)")
        return _cirq_product_state(state, qubits)
    if isinstance(state, list | tuple) and any(_is_single_qubit(s) for s in state):
        if len(state) != n:
            raise StateError(
                f"The product state lists {len(state)} single-qubit states; the circuit has "
                f"{n} qubits"
            )
        return _product([_bloch(s, q) for q, s in enumerate(state)], "product state")
    array = np.asarray(state)
    if array.ndim == 2 and array.shape == (n, 2):
        return _product([_bloch(row, q) for q, row in enumerate(array)], "product state")
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.number):
        raise StateError(
            f"Cannot read an initial state from {type(state).__name__} "
            f"{str(state)[:60]!r}; give text like '0+1', a basis-state int, a list of "
            "single-qubit states, a cirq.ProductState or a state vector"
        )
    return _vector_state(array, n)


def _basis_state(index: int, n: int) -> ProductExpectations:
    if not 0 <= index < 2**n:
        raise StateError(f"Basis state {index} is out of range for {n} qubits (0 .. 2**{n} - 1)")
    return _text_state(format(index, f"0{n}b") if n else "", n)


def _is_single_qubit(item: Any) -> bool:
    return (
        isinstance(item, str)
        or callable(getattr(item, "state_vector", None))
        or (not np.isscalar(item) and np.shape(item) == (2,))
    )


def _text_state(text: str, n: int) -> ProductExpectations:
    if len(text) != n:
        raise StateError(f"State text {text!r} has {len(text)} characters; the circuit has {n}")
    return _product([_named(c, q) for q, c in enumerate(text)], f"|{text}⟩")


def _named(char: str, qubit: int) -> tuple[float, float, float]:
    if char not in NAMED_STATES:
        raise StateError(
            f"Unknown single-qubit state {char!r} for qubit {qubit}; use one of "
            f"{' '.join(NAMED_STATES)} (r, l: the +1, -1 eigenstates of Y)"
        )
    return NAMED_STATES[char]


def _cirq_product_state(state: Any, qubits: Sequence[Any]) -> ProductExpectations:
    given = dict(state.states)
    extra = [q for q in given if q not in set(qubits)]
    if extra:
        raise StateError(f"The product state has {extra[0]!r}, not among the qubits {list(qubits)}")
    missing = [q for q in qubits if q not in given]
    if missing:
        raise StateError(f"The product state gives no state for qubit {missing[0]!r}")
    return _product([_bloch(given[q].state_vector(), k) for k, q in enumerate(qubits)], str(state))


def _bloch(item: Any, qubit: int) -> tuple[float, float, float]:
    if isinstance(item, str):
        if len(item) != 1:
            raise StateError(f"Qubit {qubit}: expected one state character, got {item!r}")
        return _named(item, qubit)
    if hasattr(item, "state_vector") and callable(item.state_vector):
        item = item.state_vector()
    a, b = np.asarray(item, dtype=complex).reshape(2)
    norm = math.hypot(abs(a), abs(b))
    if abs(norm - 1) > STATE_ATOL:
        raise StateError(f"Qubit {qubit}: the single-qubit state has norm {norm:.6g}, not 1")
    ab = np.conj(a) * b
    return (float(2 * ab.real), float(2 * ab.imag), float(abs(a) ** 2 - abs(b) ** 2))


def _product(blochs: Sequence[tuple[float, float, float]], text: str) -> ProductExpectations:
    return ProductExpectations(tuple((1.0, x, z, y) for x, y, z in blochs), text)


def _vector_state(vector: np.ndarray, n: int) -> VectorExpectations:
    if len(vector) != 2**n:
        raise StateError(
            f"The state vector has {len(vector)} amplitudes; the {n} qubits need 2**{n} = {2**n}"
        )
    norm = float(np.linalg.norm(vector))
    if abs(norm - 1) > STATE_ATOL:
        raise StateError(f"The state vector has norm {norm:.6g}, not 1")
    return VectorExpectations(vector.astype(complex), n)
