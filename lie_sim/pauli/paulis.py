"""Pauli strings and Pauli sums, bit-packed, with exact coefficients where they are rational.

A Pauli string on qubits 0, 1, 2, ... is stored as two bit masks ``(x, z)``: bit ``q`` of ``x``
is set where the string has X or Y on qubit ``q``, bit ``q`` of ``z`` where it has Z or Y.
So X = (1, 0), Z = (0, 1), Y = (1, 1) and ``P(x, z) = i^{|x & z|} X^x Z^z``. Products and
commutation tests are popcounts of ANDs; the vectorised helpers at the bottom of this module
do the same on ``uint64`` word arrays of shape ``(m, words)`` for many strings at once.

Text form (used by the CLI and by :meth:`PauliSum.from_text`)::

    "X0 X1 + 0.5 Z2"       # a term is an optional coefficient and Pauli factors on qubits
    "-1/2 Y0*Z3 + 2 X1"    # factors may be joined by spaces or '*'; coefficients are exact
    "XZI"                  # dense form: one letter per qubit, qubit 0 first
    "1.5e-3 Z0Z1 - I"      # 'I' alone is the identity term; Z0Z1 is Z0 Z1
    "0.5j X0"              # imaginary coefficients end in j (a generator read as i·H)

Decimal and fraction coefficients are read exactly (``0.1`` is 1/10), so text input always
gives an exact closure. Convention: a :class:`PauliSum` is the Hermitian ``H``; the Lie
algebra element it stands for is ``i·H`` (see ``shared/DESIGN.md``).
"""

from __future__ import annotations

import dataclasses
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from lie_sim.cirq_types import is_cirq
from lie_sim.errors import ObservableError, PauliParseError

if TYPE_CHECKING:
    import cirq

Coefficient = int | Fraction | float | complex

_LETTERS = "IXZY"  # index = x + 2 z


@dataclasses.dataclass(frozen=True, order=True, slots=True)
class PauliWord:
    """A Pauli string without coefficient, as bit masks over qubit indices.

    Args:
        x: bit ``q`` set where the string has X or Y on qubit ``q``.
        z: bit ``q`` set where the string has Z or Y on qubit ``q``.

    Example:
        >>> w = PauliWord.from_text("XYI")
        >>> w, w.weight, w.to_text(3)
        (PauliWord(x=3, z=2), 2, 'XYI')
    """

    x: int = 0
    z: int = 0

    @classmethod
    def from_text(cls, text: str) -> PauliWord:
        """Parse the dense form ``"XZI"`` (qubit 0 first)."""
        if not text or any(c not in _LETTERS for c in text):
            raise PauliParseError(
                f"Not a dense Pauli string: {text!r}; expected letters I, X, Y, Z (qubit 0 first)"
            )
        x = z = 0
        for q, c in enumerate(text):
            code = _LETTERS.index(c)
            x |= (code & 1) << q
            z |= (code >> 1) << q
        return cls(x, z)

    @classmethod
    def single(cls, letter: str, qubit: int) -> PauliWord:
        """The single-qubit Pauli ``letter`` (one of I, X, Y, Z) on qubit index ``qubit``."""
        code = _LETTERS.index(letter)
        return cls((code & 1) << qubit, (code >> 1) << qubit)

    @property
    def weight(self) -> int:
        """Number of qubits acted on non-trivially."""
        return (self.x | self.z).bit_count()

    @property
    def support(self) -> tuple[int, ...]:
        """Sorted qubit indices acted on non-trivially."""
        bits = self.x | self.z
        return tuple(q for q in range(bits.bit_length()) if bits >> q & 1)

    def letter(self, qubit: int) -> str:
        """The Pauli letter on qubit index ``qubit``."""
        return _LETTERS[(self.x >> qubit & 1) | (self.z >> qubit & 1) << 1]

    def to_text(self, num_qubits: int | None = None) -> str:
        """Dense form, qubit 0 first, padded with I to ``num_qubits``."""
        n = max(num_qubits or 0, (self.x | self.z).bit_length(), 1)
        return "".join(self.letter(q) for q in range(n))

    def commutes_with(self, other: PauliWord) -> bool:
        """Whether the two strings commute (symplectic product zero)."""
        return not masks_anticommute(self.x, self.z, other.x, other.z)


def masks_anticommute(x1: int, z1: int, x2: int, z2: int) -> bool:
    """Whether the strings with bit masks ``(x1, z1)`` and ``(x2, z2)`` anticommute."""
    return ((x1 & z2) ^ (z1 & x2)).bit_count() % 2 == 1


def masks_product(x1: int, z1: int, x2: int, z2: int) -> tuple[int, int, int]:
    """``P(x1, z1)·P(x2, z2) = i^k·P(x, z)`` on bit masks, as ``(k mod 4, x, z)``."""
    x, z = x1 ^ x2, z1 ^ z2
    k = (x1 & z1).bit_count() + (x2 & z2).bit_count() + 2 * (z1 & x2).bit_count()
    return (k - (x & z).bit_count()) % 4, x, z


def pauli_product(a: PauliWord, b: PauliWord) -> tuple[int, PauliWord]:
    """The product ``a·b = i^k · c`` as ``(k mod 4, c)``.

    Example:
        >>> pauli_product(PauliWord.from_text("X"), PauliWord.from_text("Y"))
        (1, PauliWord(x=0, z=1))
    """
    k, x, z = masks_product(a.x, a.z, b.x, b.z)
    return k, PauliWord(x, z)


# Sort codes of the letters at one qubit, indexed by x + 2z: X < Y < Z < I.
SORT_CODES = np.array([4, 1, 3, 2], dtype=np.uint8)


_KEY_TABLE = str.maketrans("0123", "4132")


def word_sort_key(word: PauliWord) -> str:
    """Canonical term order: the dense string (qubit 0 first) with X < Y < Z < I.

    So terms on low qubits come first (``"X0 + X1"``, ``"X0 X1 + 1/2 Z2"``). The key ends in a
    character above every letter code, which makes it agree with comparing dense strings
    padded with I to any common length (the order :func:`sort_codes` gives for packed arrays).
    """
    n = (word.x | word.z).bit_length()
    if not n:
        return "5"
    # Decimal digit q of int(xs) + 2 int(zs) is x_q + 2 z_q (no carries): the letter index.
    xs, zs = format(word.x, f"0{n}b")[::-1], format(word.z, f"0{n}b")[::-1]
    return str(int(xs) + 2 * int(zs)).zfill(n).translate(_KEY_TABLE) + "5"


def _item_key(item: tuple[PauliWord, Coefficient]) -> str:
    return word_sort_key(item[0])


def _normalise_coefficient(c: Coefficient) -> Coefficient:
    if isinstance(c, bool) or not isinstance(c, numbers.Number):
        raise TypeError(f"Pauli-sum coefficient must be a number, got {c!r}")
    if isinstance(c, numbers.Rational):
        return int(c) if c.denominator == 1 else Fraction(c)
    if isinstance(c, complex | np.complexfloating):
        c = complex(c)
        return c.real if c.imag == 0 else c
    return float(c)


@dataclasses.dataclass(frozen=True)
class PauliSum:
    """An immutable, hashable Pauli sum ``Σ c_P P`` over qubit indices.

    Coefficients stay exact (``int``/``Fraction``) where they are given exactly; floats and
    complex numbers are kept as they are. Zero terms are dropped and terms are sorted, so
    equal sums compare and hash equal.

    Args:
        terms: ``(PauliWord, coefficient)`` pairs; use :meth:`from_terms` to build one from
            an unsorted mapping or iterable with repeated words.

    Example:
        >>> h = PauliSum.from_text("X0 X1 + 1/2 Z2")
        >>> h
        PauliSum.from_text('X0 X1 + 1/2 Z2')
        >>> str(lie_bracket(PauliSum.from_text("X0"), PauliSum.from_text("Y0")))
        '-2 Z0'
    """

    terms: tuple[tuple[PauliWord, Coefficient], ...] = ()

    def __post_init__(self) -> None:
        words = [w for w, _ in self.terms]
        if (
            len(set(words)) != len(words)
            or words != sorted(words, key=word_sort_key)
            or any(c == 0 for _, c in self.terms)
        ):
            raise ValueError("PauliSum terms must be sorted, distinct and non-zero; use from_terms")

    @classmethod
    def from_terms(
        cls, terms: Mapping[PauliWord, Coefficient] | Iterable[tuple[PauliWord, Coefficient]]
    ) -> PauliSum:
        """Sum ``(word, coefficient)`` pairs, merging repeated words and dropping zeros."""
        items = terms.items() if isinstance(terms, Mapping) else terms
        acc: dict[PauliWord, Coefficient] = {}
        for word, c in items:
            acc[word] = acc.get(word, 0) + _normalise_coefficient(c)
        return cls(
            tuple(
                (w, _normalise_coefficient(c))
                for w, c in sorted(acc.items(), key=_item_key)
                if c != 0
            )
        )

    @classmethod
    def from_text(cls, text: str) -> PauliSum:
        """Parse lie_sim's text form (see the module docstring)."""
        return parse_pauli_sum(text)

    @classmethod
    def from_cirq(
        cls,
        value: cirq.PauliString | cirq.PauliSum | Iterable[cirq.PauliString],
        qubits: Sequence[cirq.Qid] | Mapping[cirq.Qid, int],
    ) -> PauliSum:
        """Convert a ``cirq.PauliString``/``cirq.PauliSum`` (or an iterable of strings);
        ``qubits[i]`` is qubit index ``i`` (or ``qubits`` maps each qubit to its index, to
        convert many sums over one order without rebuilding the map)."""
        index = qubits if isinstance(qubits, dict) else {q: i for i, q in enumerate(qubits)}
        strings = [value] if is_cirq(value, "PauliString") else list(value)
        terms = []
        for ps in strings:
            x = z = 0
            for q, pauli in ps.items():
                if q not in index:
                    raise ValueError(f"{ps!r} acts on {q!r}, which is not among {list(qubits)}")
                w = PauliWord.single(str(pauli), index[q])
                x, z = x | w.x, z | w.z
            terms.append((PauliWord(x, z), ps.coefficient))
        return cls.from_terms(terms)

    def to_cirq(self, qubits: Sequence[cirq.Qid]) -> cirq.PauliSum:
        """As a ``cirq.PauliSum`` with qubit index ``i`` mapped to ``qubits[i]``.

        Example:
            >>> import cirq
            >>> print(PauliSum.from_text("X0 Z1").to_cirq(cirq.LineQubit.range(2)))
            1.000*X(q(0))*Z(q(1))
        """
        import cirq

        paulis_by_letter = {"X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}
        result = cirq.PauliSum()
        for word, c in self.terms:
            paulis = {qubits[q]: paulis_by_letter[word.letter(q)] for q in word.support}
            result += cirq.PauliString(paulis, coefficient=complex(c))
        return result

    @property
    def words(self) -> tuple[PauliWord, ...]:
        return tuple(w for w, _ in self.terms)

    @property
    def coefficients(self) -> tuple[Coefficient, ...]:
        return tuple(c for _, c in self.terms)

    @property
    def num_qubits(self) -> int:
        """One more than the largest qubit index acted on (0 for a multiple of identity)."""
        return max(((w.x | w.z).bit_length() for w in self.words), default=0)

    def without_identity(self) -> PauliSum:
        """The same sum with its identity term removed."""
        return unchecked_pauli_sum(tuple(t for t in self.terms if t[0] != PauliWord()))

    def to_matrix(self, num_qubits: int | None = None) -> np.ndarray:
        """Dense ``2^n x 2^n`` matrix, qubit 0 the most significant bit (Cirq's order)."""
        n = max(num_qubits or 0, self.num_qubits)
        single = {
            "I": np.eye(2),
            "X": np.array([[0, 1], [1, 0]]),
            "Y": np.array([[0, -1j], [1j, 0]]),
            "Z": np.diag([1, -1]),
        }
        out = np.zeros((2**n, 2**n), dtype=complex)
        for word, c in self.terms:
            m = np.ones((1, 1))
            for q in range(n):
                m = np.kron(m, single[word.letter(q)])
            out += complex(c) * m
        return out

    def __len__(self) -> int:
        return len(self.terms)

    def __add__(self, other: PauliSum) -> PauliSum:
        if not isinstance(other, PauliSum):
            return NotImplemented
        return PauliSum.from_terms(self.terms + other.terms)

    def __neg__(self) -> PauliSum:
        return PauliSum(tuple((w, -c) for w, c in self.terms))

    def __sub__(self, other: PauliSum) -> PauliSum:
        if not isinstance(other, PauliSum):
            return NotImplemented
        return self + (-other)

    def __mul__(self, scalar: Coefficient) -> PauliSum:
        if not isinstance(scalar, numbers.Number):
            return NotImplemented
        return PauliSum.from_terms((w, c * scalar) for w, c in self.terms)

    __rmul__ = __mul__

    def __str__(self) -> str:
        if not self.terms:
            return "0"
        parts = []
        for word, c in self.terms:
            text = " ".join(f"{word.letter(q)}{q}" for q in word.support) or "I"
            parts.append((c, text))
        out = ""
        for i, (c, text) in enumerate(parts):
            sign, mag = _split_sign(c)
            joiner = ("-" if sign else "") if i == 0 else (" - " if sign else " + ")
            out += joiner + (text if mag == "1" else f"{mag} {text}")
        return out

    def __repr__(self) -> str:
        if not self.terms:
            return "PauliSum()"
        if all(isinstance(c, int | Fraction) for c in self.coefficients):
            return f"PauliSum.from_text({str(self)!r})"
        return f"PauliSum({self.terms!r})"


def _split_sign(c: Coefficient) -> tuple[bool, str]:
    if isinstance(c, complex):
        return False, f"({c})"
    return c < 0, str(abs(c))


def lie_bracket(a: PauliSum, b: PauliSum) -> PauliSum:
    """The Hermitian ``C`` with ``[iA, iB] = iC``, i.e. ``C = i[A, B]``.

    For anticommuting strings with ``PQ = i^k R`` (k odd) this is ``2(k-2)·R``, an integer
    combination, so brackets of integer sums stay integer.

    Example:
        >>> str(lie_bracket(PauliSum.from_text("X0 X1"), PauliSum.from_text("Z0")))
        '2 Y0 X1'
    """
    terms = []
    for p, cp in a.terms:
        for q, cq in b.terms:
            if not p.commutes_with(q):
                k, r = pauli_product(p, q)
                terms.append((r, 2 * (k - 2) * cp * cq))
    return PauliSum.from_terms(terms)


_COEF = r"(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?j?|j)"
_INDEXED = re.compile(r"([IXYZ])(\d+)")
_FACTOR = re.compile(r"(?:[IXYZ]\d+)+|[IXYZ]+")
_TERM = re.compile(rf"^\s*(?P<coef>{_COEF})?\s*\*?\s*(?P<factors>[IXYZ0-9\s*]*?)\s*$")


def _parse_coefficient(text: str | None) -> Coefficient:
    if not text:
        return 1
    if text.endswith("j"):
        return 1j * float(_parse_coefficient(text[:-1]))
    value = Fraction(text)
    return int(value) if value.denominator == 1 else value


def _parse_factors(text: str, term: str) -> PauliWord:
    x = z = 0
    if re.search(r"\*\s*\*|^\s*\*|\*\s*$", text):
        raise PauliParseError(f"Stray '*' in Pauli term {term!r}")
    pieces = [p for p in re.split(r"[\s*]+", text) if p]
    for piece in pieces:
        if not _FACTOR.fullmatch(piece):
            raise PauliParseError(f"Cannot read Pauli factor {piece!r} in term {term!r}")
        indexed = _INDEXED.findall(piece)
        singles = [PauliWord.single(p, int(q)) for p, q in indexed]
        for w in singles or [PauliWord.from_text(piece)]:
            if (x | z) & (w.x | w.z):
                raise PauliParseError(f"Qubit repeated in Pauli term {term!r}")
            x, z = x | w.x, z | w.z
    return PauliWord(x, z)


def parse_pauli_sum(text: str) -> PauliSum:
    """Parse lie_sim's Pauli text form into an exact :class:`PauliSum`.

    Raises:
        PauliParseError: the text is not a sum of terms like ``"0.5 X0 Z1"``.

    Example:
        >>> parse_pauli_sum("X0 X1 - 0.25 Y1*Z2")
        PauliSum.from_text('X0 X1 - 1/4 Y1 Z2')
    """
    if not isinstance(text, str) or not text.strip():
        raise PauliParseError(f"Empty Pauli text {text!r}; expected e.g. 'X0 X1 + 0.5 Z2' or 'XZI'")
    chunks = re.split(r"(?<![eE])([+-])", text)
    terms = []
    sign, pending = 1, False
    for chunk in chunks:
        if chunk in "+-" and chunk:
            sign = -sign if chunk == "-" else sign
            pending = True
            continue
        if not chunk.strip():
            continue
        m = _TERM.match(chunk)
        if not m or not m.group("factors").strip():
            raise PauliParseError(
                f"Cannot parse Pauli term {chunk.strip()!r} in {text!r}; "
                "expected e.g. 'X0 X1 + 0.5 Z2', '-1/2 Y0*Z3' or 'XZI'"
            )
        word = _parse_factors(m.group("factors"), chunk.strip())
        terms.append((word, sign * _parse_coefficient(m.group("coef"))))
        sign, pending = 1, False
    if pending:
        raise PauliParseError(f"Pauli text {text!r} ends with a sign and no term")
    return PauliSum.from_terms(terms)


def as_pauli_sum(
    value: object,
    qubits: Sequence[cirq.Qid] | int,
    *,
    name: str = "The Pauli sum",
    error: type[Exception] = ValueError,
) -> PauliSum:
    """Pauli text, a ``cirq.PauliString``/``cirq.PauliSum`` or a :class:`PauliSum`, as a
    :class:`PauliSum` whose qubit index ``i`` is ``qubits[i]``.

    ``qubits`` may be an int ``n``, standing for ``cirq.LineQubit.range(n)`` (Cirq is only
    imported when ``value`` is a Cirq object). Raises ``error`` (naming the value as ``name``)
    for other types and for qubits outside ``qubits``.

    Example:
        >>> import cirq
        >>> a, b = cirq.LineQubit.range(2)
        >>> as_pauli_sum(cirq.Z(b), [a, b]) == as_pauli_sum("Z1", [a, b])
        True
    """
    if isinstance(value, str):
        value = parse_pauli_sum(value)
    if is_cirq(value, "PauliString", "PauliSum"):
        if isinstance(qubits, int):
            import cirq

            qubits = cirq.LineQubit.range(qubits)
        allowed = set(qubits)
        outside = [q for q in value.qubits if q not in allowed]
        if outside:
            raise error(
                f"{name} acts on {outside[0]!r}, which is not among the qubits {list(qubits)}"
            )
        return PauliSum.from_cirq(value, qubits)
    if not isinstance(value, PauliSum):
        raise error(
            f"{name} is a {type(value).__name__} ({value!r:.80}); expected cirq.PauliString, "
            "cirq.PauliSum, lie_sim.PauliSum or Pauli text such as 'X0 X1 + Z0'"
        )
    count = qubits if isinstance(qubits, int) else len(qubits)
    if value.num_qubits > count:
        names = [f"q({i})" for i in range(qubits)] if isinstance(qubits, int) else list(qubits)
        raise error(
            f"{name} ({value}) acts on qubit {value.num_qubits - 1}; there are only "
            f"{count} qubits (0..{count - 1}: {names})"
        )
    return value


def as_observable(
    value: object, qubits: Sequence[cirq.Qid] | int, *, name: str = "The observable"
) -> PauliSum:
    """:func:`as_pauli_sum` for an observable: raises :class:`ObservableError` for other
    types, qubits outside ``qubits`` and complex coefficients (it must be Hermitian).

    Example:
        >>> str(as_observable("Z0 + 0.5 X1", 2))
        'Z0 + 1/2 X1'
    """
    observable = as_pauli_sum(value, qubits, name=name, error=ObservableError)
    if any(isinstance(c, complex) for c in observable.coefficients):
        raise ObservableError(
            f"{name} ({observable}) has complex coefficients; it must be Hermitian "
            "(real coefficients)"
        )
    return observable


# ----------------------------------------------------------------------------------------
# Vectorised helpers on packed uint64 word arrays (shape (m, words)).


def num_words(num_qubits: int) -> int:
    """Number of uint64 words needed per mask for ``num_qubits`` qubits."""
    return max(1, (num_qubits + 63) // 64)


def pack_ints(values: Sequence[int], words: int) -> np.ndarray:
    """Pack non-negative Python ints into a ``(len(values), words)`` uint64 array."""
    if words == 1:
        return np.array(values, dtype=np.uint64).reshape(-1, 1)
    raw = b"".join(v.to_bytes(8 * words, "little") for v in values)
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(-1, words)


def unpack_ints(array: np.ndarray) -> list[int]:
    """Inverse of :func:`pack_ints`."""
    if array.shape[1] == 1:
        return array[:, 0].tolist()
    little = np.ascontiguousarray(array, dtype="<u8")
    return [int.from_bytes(row.tobytes(), "little") for row in little]


def popcount(array: np.ndarray) -> np.ndarray:
    """Number of set bits summed over the last (word) axis."""
    return np.bitwise_count(array).sum(axis=-1, dtype=np.int64)


def anticommute(xa: np.ndarray, za: np.ndarray, xb: np.ndarray, zb: np.ndarray) -> np.ndarray:
    """Elementwise (broadcast) test that strings ``a`` and ``b`` anticommute."""
    return (popcount(xa & zb) + popcount(za & xb)) % 2 == 1


def product_phase(xa: np.ndarray, za: np.ndarray, xb: np.ndarray, zb: np.ndarray) -> np.ndarray:
    """Elementwise ``k mod 4`` in ``P_a P_b = i^k P_{a xor b}``."""
    k = popcount(xa & za) + popcount(xb & zb) + 2 * popcount(za & xb)
    return (k - popcount((xa ^ xb) & (za ^ zb))) % 4


def sort_codes(x: np.ndarray, z: np.ndarray, num_qubits: int) -> np.ndarray:
    """Per-row ``(m, num_qubits)`` uint8 letter codes whose row order is :func:`word_sort_key`."""
    bits_x = np.unpackbits(
        np.ascontiguousarray(x, dtype="<u8").view(np.uint8), axis=1, bitorder="little"
    )
    bits_z = np.unpackbits(
        np.ascontiguousarray(z, dtype="<u8").view(np.uint8), axis=1, bitorder="little"
    )
    return SORT_CODES[bits_x[:, :num_qubits] + 2 * bits_z[:, :num_qubits]]


def unchecked_pauli_sum(terms: tuple[tuple[PauliWord, Coefficient], ...]) -> PauliSum:
    """A :class:`PauliSum` from terms already canonical (sorted, distinct, non-zero)."""
    out = object.__new__(PauliSum)
    object.__setattr__(out, "terms", terms)
    return out


def row_keys(x: np.ndarray, z: np.ndarray) -> np.ndarray:
    """One hashable, sortable void key per row of the packed masks ``(x, z)``."""
    both = np.ascontiguousarray(np.concatenate([x, z], axis=1))
    return both.view(np.dtype((np.void, both.shape[1] * 8))).ravel()
