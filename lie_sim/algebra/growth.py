"""Growth laws: how a family's dynamical Lie algebra and its invariants scale with n.

A *family* is a builder ``n -> generators`` (a list of anything :func:`lie_closure` accepts)
or ``n -> cirq.Circuit``. :func:`growth_law` closes the family over a range of n, stopping
politely at a dimension budget, and fits an exact law to each invariant:

* **dimension**: a polynomial with rational coefficients (``2*n**2 - n``), else an
  exponential ``a·b^n + c`` with rational base (``4**n - 1``), else no simple law;
* **centre dimension**: the same;
* **algebra type**: where the shape of the decomposition is the same for every n from some
  n₀ on, the multiplicity and the N of each simple family as polynomials in n (``so(2n)``,
  ``(n - 1)·su(2) ⊕ u(1)^2``).

Each fit interpolates on the minimal number of points (``d + 1`` for a degree-d polynomial, 3
for an exponential) and is accepted only when it reproduces every later n exactly, and at
least ``holdout`` of them; so a law is never claimed that a held-out point contradicts.
Leading small n may be exceptions (the QAOA cycle is ``3n - 1`` only from n = 3 on): the
search tries the laws valid from the smallest n first, and records where a law starts.

References:
    Wiersema, Kökcü, Kemper, Bakalov, arXiv 2309.05690 (open-chain classification);
    Allcock et al., arXiv 2407.12587 (QAOA cycle, ``3n - 1``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from lie_sim.algebra.classification import classify_algebra
from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.cirq_types import is_cirq
from lie_sim.errors import BuilderError, ClosureLimitError, GeneratorError
from lie_sim.progress import Progress

if TYPE_CHECKING:
    import sympy


@functools.cache
def _n() -> sympy.Symbol:
    """The positive integer symbol ``n`` of every law (sympy is imported on first use)."""
    import sympy

    return sympy.Symbol("n", integer=True, positive=True)


DEFAULT_MAX_DIM = 4096

Builder = Callable[[int], Any]


@dataclasses.dataclass(frozen=True)
class SequenceLaw:
    """An exact law ``f(n)`` for an integer sequence, or the statement that none was found.

    Attributes:
        kind: ``"polynomial"``, ``"exponential"`` or ``"none"``.
        formula: the law as sympy text in ``n`` (``"2*n**2 - n"``, ``"4**n - 1"``); empty
            when ``kind == "none"``.
        valid_from: the smallest n the law was checked at (earlier n are exceptions).
        fitted_on: the n whose values determined the law.
        confirmed_on: the held-out n at which the law was checked and held.

    Example:
        >>> law = fit_law([1, 2, 3, 4, 5], [1, 6, 15, 28, 45])
        >>> str(law), law(10), law.expression.factor()
        ('2*n**2 - n (n ≥ 1; fitted on n = 1..3, confirmed on n = 4..5)', 190, n*(2*n - 1))
    """

    kind: str
    formula: str = ""
    valid_from: int | None = None
    fitted_on: tuple[int, ...] = ()
    confirmed_on: tuple[int, ...] = ()

    @property
    def found(self) -> bool:
        return self.kind != "none"

    @property
    def expression(self) -> sympy.Expr | None:
        """The law as a sympy expression in the positive integer symbol ``n`` (None if none)."""
        import sympy

        return sympy.sympify(self.formula, locals={"n": _n()}) if self.found else None

    @property
    def base(self) -> int | Fraction | None:
        """The base ``b`` of an exponential law ``a·b^n + c``; None for other kinds."""
        if self.kind != "exponential":
            return None
        f = self.expression
        at = [f.subs(_n(), self.valid_from + k) for k in range(3)]
        return _exact((at[2] - at[1]) / (at[1] - at[0]))

    def __call__(self, n: int) -> int | Fraction:
        """The law's value at ``n`` (exact)."""
        if not self.found:
            raise ValueError("no law was found, so it has no value")
        return _exact(self.expression.subs(_n(), n))

    def __str__(self) -> str:
        if not self.found:
            return "no simple law"
        return (
            f"{parity_text(self.formula)} (n ≥ {self.valid_from}; fitted on n = "
            f"{_ns_text(self.fitted_on)}, "
            f"confirmed on n = {_ns_text(self.confirmed_on)})"
        )


@dataclasses.dataclass(frozen=True)
class TypeLaw:
    """The isomorphism type as a function of n: ``so(2n)``, ``(n - 1)·su(2) ⊕ u(1)^2``.

    Attributes:
        components: one ``(family, multiplicity, N)`` per kind of simple ideal, the last two
            as sympy text in ``n`` (``"2*n"``, ``"2**n"``); the type at n is the sum of
            ``multiplicity(n)`` copies of ``family(N(n))`` over the components.
        center: the centre dimension as sympy text in ``n``.
        valid_from: the smallest n from which the pattern was checked.
        confirmed_on: the n at which every part of the pattern was held out and held.

    Example:
        >>> law = TypeLaw((("su", "n - 1", "2"),), "2", 3, (6, 7))
        >>> str(law)
        '(n - 1)·su(2) ⊕ u(1)^2'
    """

    components: tuple[tuple[str, str, str], ...]
    center: str
    valid_from: int
    confirmed_on: tuple[int, ...]

    def __str__(self) -> str:
        parts = []
        for family, count, size in self.components:
            prefix = "" if count == "1" else f"{_pretty(count, group=True)}·"
            parts.append(f"{prefix}{family}({_pretty(size)})")
        if self.center == "1":
            parts.append("u(1)")
        elif self.center != "0":
            parts.append(f"u(1)^{_pretty(self.center, group=True)}")
        return " ⊕ ".join(parts) or "0"


@dataclasses.dataclass(frozen=True)
class GrowthPoint:
    """One n of a growth table.

    Attributes:
        n: the family parameter.
        dim: dimension of the dynamical Lie algebra.
        exact: whether the closure was exact.
        center_dim: dimension of the centre (None when not classified).
        algebra_type: the ``AlgebraType`` from ``lie_sim.algebra.structure.classify_algebra`` (None
            when not classified).
    """

    n: int
    dim: int
    exact: bool
    center_dim: int | None = None
    algebra_type: Any = None


@dataclasses.dataclass(frozen=True)
class GrowthLaw:
    """Dimensions and invariants of a family over n, with the laws they follow.

    Attributes:
        points: one :class:`GrowthPoint` per n that finished, in increasing n.
        dimension: the law of ``dim``.
        center: the law of the centre dimension (None when not classified).
        algebra_type: the type pattern (None when not classified or no stable pattern).
        stopped_at: the first n whose closure exceeded ``max_dim`` (None if none did);
            larger n were not tried.
        max_dim: the dimension budget.
    """

    points: tuple[GrowthPoint, ...]
    dimension: SequenceLaw
    center: SequenceLaw | None = None
    algebra_type: TypeLaw | None = None
    stopped_at: int | None = None
    max_dim: int | None = None

    @property
    def ns(self) -> tuple[int, ...]:
        """The n that finished."""
        return tuple(p.n for p in self.points)

    @property
    def classified(self) -> bool:
        return bool(self.points) and all(p.algebra_type is not None for p in self.points)

    def __str__(self) -> str:
        lines = [f"dimension  {self.dimension}"]
        if self.center is not None:
            lines.append(f"centre     {self.center}")
        if self.classified:
            if self.algebra_type is None:
                lines.append("type       no stable pattern")
            else:
                t = self.algebra_type
                lines.append(
                    f"type       {t} (n ≥ {t.valid_from}; confirmed on n = "
                    f"{_ns_text(t.confirmed_on)})"
                )
        if self.stopped_at is not None:
            lines.append(f"stopped at n = {self.stopped_at}: dimension > {self.max_dim}")
        return "\n".join(lines)


def growth_law(
    builder: Builder,
    ns: Iterable[int],
    *,
    max_dim: int | None = DEFAULT_MAX_DIM,
    holdout: int = 2,
    classify: bool = True,
    progress: bool | None = None,
) -> GrowthLaw:
    """Close ``builder(n)`` for each n and fit exact laws to the dimension and invariants.

    Args:
        builder: ``n -> generators`` (a list or tuple of Pauli text, ``cirq.PauliString``,
            ``cirq.PauliSum`` or :class:`~lie_sim.pauli.paulis.PauliSum`) or ``n -> cirq.Circuit``.
        ns: the n to try, e.g. ``range(2, 9)``; tried in increasing order.
        max_dim: dimension budget; the first n past it ends the table (``stopped_at``).
        holdout: the least number of held-out n that must confirm a law.
        classify: also classify each algebra (centre and type) with
            ``lie_sim.algebra.structure.classify_algebra``, where that module is available.
        progress: progress line on stderr; default only when stderr is a terminal.

    Returns:
        The table and its laws; a law that any held-out n contradicts is never returned.

    Raises:
        BuilderError: the builder raised, or returned something that is not a list of
            generators or a circuit, or generators the closure rejects (the message names n).
        ValueError: ``ns`` is empty or has a non-positive or non-integer entry, or
            ``holdout < 1``.

    Example:
        >>> from lie_sim.catalog.architectures import tfim_ring
        >>> law = growth_law(tfim_ring, range(1, 9), classify=False)
        >>> [p.dim for p in law.points]
        [1, 4, 8, 11, 14, 17, 20, 23]
        >>> print(law.dimension)
        3*n - 1 (n ≥ 3; fitted on n = 3..4, confirmed on n = 5..8)
    """
    ns = _check_ns(ns)
    if holdout < 1:
        raise ValueError(f"holdout must be at least 1, got {holdout}")
    classifier = classify_algebra if classify else None
    points: list[GrowthPoint] = []
    stopped_at = None
    bar = Progress("growth", enabled=progress)
    try:
        for n in ns:
            try:
                dla = _closure(builder, n, max_dim)
            except ClosureLimitError:
                stopped_at = n
                break
            points.append(_point(n, dla, classifier))
            bar.update(dim=dla.dim, n=n)
    finally:
        bar.close()
    return _laws(tuple(points), holdout, stopped_at, max_dim)


def fit_law(ns: Sequence[int], values: Sequence[int], *, holdout: int = 2) -> SequenceLaw:
    """The simplest exact law through ``(ns, values)`` that held-out points confirm.

    Candidates, for each start (dropping leading exceptional n one at a time), in order of
    their number of parameters: polynomials of degree 0, 1, 2, the exponential
    ``a·b^n + c`` (three equally spaced points, rational ``b > 0``, ``b ≠ 1``), then
    polynomials of higher degree. A candidate is interpolated on its minimal number of points
    and accepted only if it matches every later point exactly, and at least ``holdout`` of them.

    Args:
        ns: increasing integers.
        values: the sequence's (exact) values at ``ns``.
        holdout: the least number of held-out points that must confirm a law.

    Returns:
        The law, or ``SequenceLaw("none")``.

    Example:
        >>> str(fit_law([1, 2, 3, 4, 5], [3, 15, 63, 255, 1023]))
        '4**n - 1 (n ≥ 1; fitted on n = 1..3, confirmed on n = 4..5)'
        >>> str(fit_law([1, 2, 3, 4, 5, 6], [1, 2, 4, 8, 16, 31]))
        'no simple law'
    """
    if len(ns) != len(values):
        raise ValueError(f"{len(ns)} ns but {len(values)} values")
    if list(ns) != sorted(set(ns)):
        raise ValueError(f"ns must be strictly increasing, got {list(ns)}")
    if holdout < 1:
        raise ValueError(f"holdout must be at least 1, got {holdout}")
    import sympy

    values = [sympy.Rational(v) for v in values]
    m = len(ns)
    for start in range(m):
        for kind, size, fit in _candidates(m - start - holdout):
            stop = start + size
            if m - stop < holdout:
                continue
            expr = fit(ns[start:stop], values[start:stop])
            if expr is None:
                continue
            if all(expr.subs(_n(), ns[i]) == values[i] for i in range(stop, m)):
                return SequenceLaw(
                    kind, str(expr), ns[start], tuple(ns[start:stop]), tuple(ns[stop:])
                )
    return SequenceLaw("none")


def type_law(ns: Sequence[int], types: Sequence[Any], *, holdout: int = 2) -> TypeLaw | None:
    """The type pattern followed by ``types`` (``AlgebraType`` values) from some n on.

    The *shape* of a type is the list of families of its distinct simple ideals, sorted as in
    ``AlgebraType.simple``. On the longest tail of ``ns`` with one shape, the multiplicity and
    N of each ideal kind and the centre dimension are fitted with :func:`fit_law`
    (``su(2^n)`` has an exponential N); the pattern holds where all of them hold.

    Returns:
        The pattern, or None when the tail is too short or some part has no polynomial law.
        Low-rank coincidences (so(6) = su(4)) make small n exceptions, not failures.

    Example:
        >>> from types import SimpleNamespace as T
        >>> types = [T(center_dim=0, simple=(("so", 2 * n),)) for n in range(4, 9)]
        >>> str(type_law(range(4, 9), types))
        'so(2n)'
    """
    if not types:
        return None
    shapes = [_shape(t) for t in types]
    start = len(shapes) - 1
    while start > 0 and shapes[start - 1] == shapes[-1]:
        start -= 1
    tail_ns = list(ns[start:])
    groups = [_groups(t) for t in types[start:]]
    laws = [fit_law(tail_ns, [t.center_dim for t in types[start:]], holdout=holdout)]
    components = []
    for k, family in enumerate(shapes[-1]):
        count = fit_law(tail_ns, [g[k][1] for g in groups], holdout=holdout)
        size = fit_law(tail_ns, [g[k][0][1] for g in groups], holdout=holdout)
        laws += [count, size]
        components.append((family, count.formula, size.formula))
    if not all(law.found for law in laws):
        return None
    valid_from = max(law.valid_from for law in laws)
    confirmed = tuple(n for n in tail_ns if all(n in law.confirmed_on for law in laws))
    return TypeLaw(tuple(components), laws[0].formula, valid_from, confirmed)


# ----------------------------------------------------------------------------------------
# Closure of one n


def _check_ns(ns: Iterable[int]) -> list[int]:
    values = list(ns)
    if not values:
        raise ValueError("ns is empty; give e.g. range(2, 9)")
    for n in values:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"ns must be positive integers, got {n!r}")
    return sorted(set(values))


def _closure(builder: Builder, n: int, max_dim: int | None) -> DynamicalLieAlgebra:
    name = getattr(builder, "__name__", repr(builder))
    try:
        generators = builder(n)
    except Exception as exc:
        raise BuilderError(f"builder {name}(n={n}) raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(generators, list | tuple) and not is_cirq(generators, "AbstractCircuit"):
        raise BuilderError(
            f"builder {name}(n={n}) returned a value of type {type(generators).__name__} "
            f"({generators!r:.80}); "
            "expected a list of generators (Pauli text, cirq.PauliString, cirq.PauliSum, "
            "lie_sim.PauliSum) or a cirq.Circuit"
        )
    try:
        return lie_closure(generators, max_dim=max_dim, progress=False)
    except GeneratorError as exc:
        raise BuilderError(f"builder {name}(n={n}) returned bad generators: {exc}") from exc


def _point(
    n: int, dla: DynamicalLieAlgebra, classifier: Callable[[DynamicalLieAlgebra], Any] | None
) -> GrowthPoint:
    if classifier is None:
        return GrowthPoint(n, dla.dim, dla.exact)
    kind = classifier(dla)
    return GrowthPoint(n, dla.dim, dla.exact, kind.center_dim, kind)


def _laws(
    points: tuple[GrowthPoint, ...], holdout: int, stopped_at: int | None, max_dim: int | None
) -> GrowthLaw:
    ns = [p.n for p in points]
    dimension = fit_law(ns, [p.dim for p in points], holdout=holdout)
    if not points or any(p.algebra_type is None for p in points):
        return GrowthLaw(points, dimension, None, None, stopped_at, max_dim)
    center = fit_law(ns, [p.center_dim for p in points], holdout=holdout)
    kinds = type_law(ns, [p.algebra_type for p in points], holdout=holdout)
    return GrowthLaw(points, dimension, center, kinds, stopped_at, max_dim)


# ----------------------------------------------------------------------------------------
# Candidate laws


def _polynomial(xs: Sequence[int], ys: Sequence[sympy.Rational]) -> sympy.Expr:
    import sympy

    if len(xs) == 1:
        return ys[0]
    return sympy.expand(sympy.interpolate(list(zip(xs, ys, strict=True)), _n()))


def _exponential(xs: Sequence[int], ys: Sequence[sympy.Rational]) -> sympy.Expr | None:
    """``a·b^n + c`` through three equally spaced points, with rational ``b > 0``, ``b ≠ 1``."""
    import sympy

    (x0, x1, x2), (y0, y1, y2) = xs, ys
    step = x1 - x0
    if x2 - x1 != step or y1 == y0:
        return None
    ratio = (y2 - y1) / (y1 - y0)  # = b**step
    if ratio <= 0 or ratio == 1:
        return None
    b = sympy.root(ratio, step)
    if not b.is_rational:
        return None
    a = (y1 - y0) / (b**x1 - b**x0)
    c = y0 - a * b**x0
    k = _exact_log(abs(a), b)
    if k is None:
        return a * b ** _n() + c
    return sympy.sign(a) * b ** (_n() + k) + c


def _exact_log(value: sympy.Rational, base: sympy.Rational) -> int | None:
    """The integer k with ``base**k == value``, or None."""
    k = round(math.log(float(value)) / math.log(float(base)))
    return k if base**k == value else None


def _quasi_polynomial(xs: Sequence[int], ys: Sequence[sympy.Rational]) -> sympy.Expr | None:
    """``p(n) + c·(−1)^n`` with ``deg p = len(xs) − 2`` through the points (parity-dependent
    counts such as ``C(n+3, 3) − ⌊n/2⌋``); None when the points do not determine it."""
    import sympy

    n = _n()
    basis = [n**k for k in range(len(xs) - 1)] + [(-1) ** n]
    matrix = sympy.Matrix([[b.subs(n, x) for b in basis] for x in xs])
    if matrix.det() == 0:
        return None
    coefficients = matrix.solve(sympy.Matrix(ys))
    if coefficients[-1] == 0:
        return None  # a plain polynomial, tried before
    return sympy.expand(sum(c * b for c, b in zip(coefficients, basis, strict=True)))


def _parity_polynomials(xs: Sequence[int], ys: Sequence[sympy.Rational]) -> sympy.Expr | None:
    """One polynomial for even n and one for odd n, each of degree ``len(xs)/2 − 1`` (a
    family whose algebra depends on the parity of n, such as a staggered field on a ring);
    None unless the points hold half of each parity, or when the two differ by a constant
    (:func:`_quasi_polynomial`)."""
    import sympy

    even = [(x, y) for x, y in zip(xs, ys, strict=True) if x % 2 == 0]
    odd = [(x, y) for x, y in zip(xs, ys, strict=True) if x % 2 == 1]
    if len(even) != len(odd) or len(even) < 2:
        return None
    n = _n()
    p_even = _polynomial([x for x, _ in even], [y for _, y in even])
    p_odd = _polynomial([x for x, _ in odd], [y for _, y in odd])
    if sympy.expand(p_even - p_odd).free_symbols == set():
        return None
    return sympy.Piecewise((p_even, sympy.Eq(sympy.Mod(n, 2), 0)), (p_odd, True))


def _candidates(max_points: int) -> list[tuple[str, int, Callable]]:
    """(kind, points needed, fit) in order of parameter count, up to ``max_points`` points:
    at each count, a polynomial first, then the exponential (3), the polynomial with a
    parity term ``c·(−1)^n`` and, at even counts from 4, one polynomial per parity of n (their
    kind is ``polynomial``: they grow like one)."""
    out = [("polynomial", 1, _polynomial)]
    for params in range(2, max(max_points, 3) + 1):
        out.append(("polynomial", params, _polynomial))
        if params == 3:
            out.append(("exponential", 3, _exponential))
        out.append(("polynomial", params, _quasi_polynomial))
        if params >= 4 and params % 2 == 0:
            out.append(("polynomial", params, _parity_polynomials))
    return [c for c in out if c[1] <= max_points]


# ----------------------------------------------------------------------------------------
# Type patterns and text


def _groups(kind: Any) -> list[tuple[tuple[str, int], int]]:
    """``((family, N), multiplicity)`` per distinct simple ideal, in ``simple`` order."""
    counts = Counter(kind.simple)
    return sorted(counts.items())


def _shape(kind: Any) -> tuple[str, ...]:
    return tuple(family for (family, _), _ in _groups(kind))


def _exact(value: sympy.Expr) -> int | Fraction:
    import sympy

    value = sympy.Rational(value)
    return int(value) if value.q == 1 else Fraction(int(value.p), int(value.q))


def parity_text(formula: str) -> str:
    """A law with one polynomial per parity of n, as people read it; other laws unchanged.

    Example:
        >>> parity_text("Piecewise((3*n, Eq(Mod(n, 2), 0)), (2*n**2 - 1, True))")
        '3*n (n even), 2*n**2 - 1 (n odd)'
    """
    m = re.fullmatch(r"Piecewise\(\((.+), Eq\(Mod\(n, 2\), 0\)\), \((.+), True\)\)", formula)
    return f"{m[1]} (n even), {m[2]} (n odd)" if m else formula


def _pretty(formula: str, *, group: bool = False) -> str:
    """``2*n`` → ``2n``; parenthesised (when ``group``) unless a single token."""
    text = re.sub(r"(\d)\*n", r"\1n", parity_text(formula)).replace("**", "^")
    if group and not re.fullmatch(r"\w+", text):
        return f"({text})"
    return text


def _ns_text(ns: Sequence[int]) -> str:
    if len(ns) > 2 and list(ns) == list(range(ns[0], ns[-1] + 1)):
        return f"{ns[0]}..{ns[-1]}"
    if len(ns) == 2 and ns[1] == ns[0] + 1:
        return f"{ns[0]}..{ns[1]}"
    return ", ".join(str(n) for n in ns)
