"""Isomorphism types of compact Lie algebras and decompositions into simple ideals, as values.

A compact Lie algebra is ``u(1)^c ⊕ g_1 ⊕ ... ⊕ g_k`` with each ``g_j`` simple of type
``su(N)``, ``so(N)``, ``sp(N)`` or exceptional (``e6``, ``e7``, ``e8``, ``f4``, ``g2``).
:class:`AlgebraType` is that type as an immutable, hashable value in canonical form (the
low-rank coincidences applied, the ideals sorted), with a text form that parses back;
:class:`SimpleIdeal` and :class:`AlgebraDecomposition` carry an orthonormal basis for each
part. The helpers give the dimension, rank, display name and canonical form of one simple
algebra. The algorithms that compute these values live in :mod:`lie_sim.algebra.classification`.

References:
    Humphreys, *Introduction to Lie Algebras and Representation Theory*, §1.2 (the classical
    algebras and their dimensions) and §11.4 (the Dynkin diagrams, whose low-rank overlaps
    give the coincidences so(3) = sp(1) = su(2), so(4) = su(2) ⊕ su(2), so(5) = sp(2),
    so(6) = su(4)); Knapp, *Lie Groups Beyond an Introduction*, ch. IV (compact Lie algebras
    are reductive).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from lie_sim.pauli.paulis import PauliSum

FAMILIES = ("su", "so", "sp", "e", "f", "g")
_EXCEPTIONAL = {
    ("e", 6): (78, 6),
    ("e", 7): (133, 7),
    ("e", 8): (248, 8),
    ("f", 4): (52, 4),
    ("g", 2): (14, 2),
}


def simple_dimension(family: str, n: int) -> int:
    """Dimension of the simple algebra ``family(n)``: su(N) N²−1, so(N) N(N−1)/2, sp(N) N(2N+1).

    Example:
        >>> simple_dimension("so", 128), simple_dimension("sp", 2), simple_dimension("e", 8)
        (8128, 10, 248)
    """
    if family == "su":
        return n * n - 1
    if family == "so":
        return n * (n - 1) // 2
    if family == "sp":
        return n * (2 * n + 1)
    if (family, n) in _EXCEPTIONAL:
        return _EXCEPTIONAL[family, n][0]
    raise ValueError(f"Unknown simple Lie algebra {family}{n}; families are {', '.join(FAMILIES)}")


def simple_rank(family: str, n: int) -> int:
    """Rank of ``family(n)``: su(N) N−1, so(N) ⌊N/2⌋, sp(N) N.

    Example:
        >>> simple_rank("su", 8), simple_rank("so", 15), simple_rank("sp", 4)
        (7, 7, 4)
    """
    if family == "su":
        return n - 1
    if family == "so":
        return n // 2
    if family == "sp":
        return n
    if (family, n) in _EXCEPTIONAL:
        return _EXCEPTIONAL[family, n][1]
    raise ValueError(f"Unknown simple Lie algebra {family}{n}; families are {', '.join(FAMILIES)}")


def simple_name(family: str, n: int) -> str:
    """Display name: ``"su(8)"``, ``"so(15)"``, ``"sp(2)"``, or ``"e6"``/``"f4"``/``"g2"``."""
    return f"{family}{n}" if family in ("e", "f", "g") else f"{family}({n})"


def canonical_simple(family: str, n: int) -> tuple[tuple[tuple[str, int], ...], int]:
    """Canonical simple summands and centre dimension of ``family(n)``.

    Applies the low-rank coincidences so(3) = sp(1) → su(2), so(4) → su(2) ⊕ su(2),
    so(5) → sp(2), so(6) → su(4), so(2) → u(1) (centre), and drops the zero algebras
    su(1), so(1).

    Example:
        >>> canonical_simple("so", 6), canonical_simple("so", 4), canonical_simple("so", 2)
        (((('su', 4),), 0), ((('su', 2), ('su', 2)), 0), ((), 1))
    """
    if family not in FAMILIES or not isinstance(n, int) or isinstance(n, bool):
        raise ValueError(f"Not a simple Lie algebra: ({family!r}, {n!r}); families are {FAMILIES}")
    if family == "su" and n >= 1:
        return ((("su", n),) if n >= 2 else ()), 0
    if family == "so" and n >= 1:
        special = {1: ((), 0), 2: ((), 1), 3: ((("su", 2),), 0), 4: ((("su", 2), ("su", 2)), 0)}
        special |= {5: ((("sp", 2),), 0), 6: ((("su", 4),), 0)}
        return special.get(n, ((("so", n),), 0))
    if family == "sp" and n >= 1:
        return ((("su", 2),) if n == 1 else (("sp", n),)), 0
    if (family, n) in _EXCEPTIONAL:
        return ((family, n),), 0
    raise ValueError(f"Not a simple Lie algebra: {simple_name(family, n)}")


_TERM = re.compile(
    r"^\s*(?:(?P<mult>\d+)\s*[·*x]?\s*)?"
    r"(?:(?P<fam>su|so|sp)\s*\(\s*(?P<n>\d+)\s*\)|(?P<exc>[efg])(?P<en>\d)"
    r"|u\s*\(\s*1\s*\)\s*(?:\^\s*(?P<pow>\d+))?)\s*$"
)


@dataclasses.dataclass(frozen=True)
class AlgebraType:
    """The isomorphism type of a compact Lie algebra: ``u(1)^center_dim ⊕ (simple ideals)``.

    Values are canonical: the low-rank coincidences are applied on construction (so(6) is
    stored as su(4), so(2) adds to the centre; see :func:`canonical_simple`) and ``simple``
    is sorted, so equal algebras compare equal.

    Canonical order and text form: ``simple`` is ``sorted`` as ``(family, N)`` tuples
    (families alphabetically: so < sp < su, then increasing N); ``str`` lists them in that
    order, merging ``k`` equal ideals into ``k·name``, joined by ``" ⊕ "``, with the centre
    last as ``u(1)`` or ``u(1)^k``: ``"so(8) ⊕ 2·su(2) ⊕ u(1)"``. The zero algebra is ``"0"``.

    Attributes:
        center_dim: dimension of the centre.
        simple: the simple ideals as ``(family, N)``, family in ``su``, ``so``, ``sp`` (and
            ``e``, ``f``, ``g`` for exceptional ideals, which only Pauli-sum algebras have).

    Example:
        >>> t = AlgebraType(center_dim=1, simple=(("su", 8), ("so", 6), ("su", 8)))
        >>> str(t), t.dim  # so(6) is stored as su(4)
        ('su(4) ⊕ 2·su(8) ⊕ u(1)', 142)
        >>> t
        AlgebraType(center_dim=1, simple=(('su', 4), ('su', 8), ('su', 8)))
        >>> AlgebraType.from_text("so(15)") == AlgebraType(simple=(("so", 15),))
        True
    """

    center_dim: int = 0
    simple: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.center_dim, int) or self.center_dim < 0:
            raise ValueError(f"center_dim must be a non-negative int, got {self.center_dim!r}")
        parts, extra = [], 0
        for item in self.simple:
            if not isinstance(item, tuple) or len(item) != 2:
                raise ValueError(f"Simple ideals are (family, N) pairs, got {item!r}")
            summands, centre = canonical_simple(*item)
            parts.extend(summands)
            extra += centre
        object.__setattr__(self, "simple", tuple(sorted(parts)))
        object.__setattr__(self, "center_dim", self.center_dim + extra)

    @classmethod
    def from_text(cls, text: str) -> AlgebraType:
        """Parse the text form (also ``+`` for ``⊕``, ``*`` for ``·``, non-canonical names).

        Example:
            >>> AlgebraType.from_text("2·so(6) + u(1)^2 ⊕ so(5)")
            AlgebraType(center_dim=2, simple=(('sp', 2), ('su', 4), ('su', 4)))
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"Empty algebra text {text!r}; expected e.g. '2·su(8) ⊕ u(1)'")
        if text.strip() == "0":
            return cls()
        center, simple = 0, []
        for part in re.split(r"⊕|\+", text):
            m = _TERM.match(part)
            if not m:
                raise ValueError(
                    f"Cannot read {part.strip()!r} in {text!r}; expected terms like 'su(8)', "
                    "'3·sp(2)', 'so(15)', 'u(1)^5' joined by '⊕'"
                )
            mult = int(m["mult"] or 1)
            if m["fam"]:
                simple += [(m["fam"], int(m["n"]))] * mult
            elif m["exc"]:
                simple += [(m["exc"], int(m["en"]))] * mult
            else:
                center += mult * int(m["pow"] or 1)
        return cls(center_dim=center, simple=tuple(simple))

    @property
    def dim(self) -> int:
        """Dimension of the algebra."""
        return self.center_dim + sum(simple_dimension(f, n) for f, n in self.simple)

    @property
    def rank(self) -> int:
        """Dimension of a Cartan subalgebra (centre included)."""
        return self.center_dim + sum(simple_rank(f, n) for f, n in self.simple)

    @property
    def is_semisimple(self) -> bool:
        return self.center_dim == 0

    def __str__(self) -> str:
        parts = [
            (f"{k}·" if k > 1 else "") + simple_name(*ideal)
            for ideal, k in Counter(self.simple).items()
        ]
        if self.center_dim:
            parts.append("u(1)" + (f"^{self.center_dim}" if self.center_dim > 1 else ""))
        return " ⊕ ".join(parts) or "0"

    def __repr__(self) -> str:
        return f"AlgebraType(center_dim={self.center_dim}, simple={self.simple!r})"


@dataclasses.dataclass(frozen=True)
class SimpleIdeal:
    """One simple ideal of a decomposition, with an orthonormal basis.

    Attributes:
        family: ``"su"``, ``"so"``, ``"sp"`` (or ``"e"``, ``"f"``, ``"g"``), canonical as in
            :class:`AlgebraType`.
        n: the ``N`` of ``family(N)``.
        basis: Hermitian Pauli sums ``B_k`` (the ideal is spanned by ``i·B_k``), orthonormal in
            ``Σ_P a_P b_P = Tr(AB)/2^n``. Unit Pauli strings (coefficient 1) where the ideal is
            spanned by strings, float coefficients otherwise.
    """

    family: str
    n: int
    basis: tuple[PauliSum, ...]

    @property
    def dim(self) -> int:
        return len(self.basis)

    @property
    def name(self) -> str:
        """``"su(8)"``, ``"sp(2)"``, ..."""
        return simple_name(self.family, self.n)

    def __repr__(self) -> str:
        return f"<SimpleIdeal {self.name} dim={self.dim}>"


@dataclasses.dataclass(frozen=True)
class AlgebraDecomposition:
    """``g = centre ⊕ ideals[0] ⊕ ideals[1] ⊕ ...``, each part with an orthonormal basis.

    All bases together are orthonormal in ``Σ_P a_P b_P = Tr(AB)/2^n``, and the ideals come in
    the canonical order of :attr:`AlgebraType.simple`.

    Attributes:
        center: orthonormal basis of the centre (unit Pauli strings for a Pauli-string
            algebra, whose centre is always spanned by strings).
        ideals: the simple ideals.
    """

    center: tuple[PauliSum, ...]
    ideals: tuple[SimpleIdeal, ...]

    @property
    def algebra_type(self) -> AlgebraType:
        return AlgebraType(len(self.center), tuple((i.family, i.n) for i in self.ideals))

    @property
    def derived(self) -> tuple[PauliSum, ...]:
        """Orthonormal basis of the derived algebra ``[g, g]``, the sum of the simple ideals."""
        return tuple(b for ideal in self.ideals for b in ideal.basis)

    @property
    def dim(self) -> int:
        return len(self.center) + sum(i.dim for i in self.ideals)

    def __repr__(self) -> str:
        return f"<AlgebraDecomposition {self.algebra_type} dim={self.dim}>"
