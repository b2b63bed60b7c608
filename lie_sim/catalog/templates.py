"""Catalog templates: observables, formulas and algebras written in terms of ``n``.

Observable templates: Pauli text in which ``{EXPR}`` is an integer expression in ``n`` (and
``i`` inside a sum), plus sums ``sum(i=A..B: TERM)`` over ``i = A..B`` inclusive; parts are
joined by ``+``/``-`` with optional coefficients, e.g.
``"sum(i=0..n-2: Z{i} Z{i+1}) + 0.5 sum(i=0..n-1: X{i})"``. Formulas (``[claim]
dla_dimension``) are sympy expressions in ``n``; algebra templates (``[claim] algebra``) are
algebra types whose ranks are integer expressions in ``n``.
"""

from __future__ import annotations

import re
from fractions import Fraction

from lie_sim.algebra.algebra_types import AlgebraType
from lie_sim.pauli.paulis import PauliSum, parse_pauli_sum

__all__ = ["algebra_at", "expand_observable", "formula_value", "parse_formula"]

_SUM = re.compile(
    r"(?P<sign>[+-])?\s*(?P<coef>\d[\d./]*)?\s*sum\(\s*(?P<var>[a-z])\s*=\s*(?P<lo>[^.]+?)"
    r"\s*\.\.\s*(?P<hi>[^:]+?)\s*:\s*"
)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def parse_formula(text: str):
    """A sympy expression in ``n`` (binomial, factorial, catalan allowed)."""
    import sympy

    n = sympy.Symbol("n", integer=True, positive=True)
    names = {"n": n, "binomial": sympy.binomial, "factorial": sympy.factorial,
             "catalan": sympy.catalan, "floor": sympy.floor}  # fmt: skip
    try:
        expr = sympy.sympify(text, locals=names)
    except (sympy.SympifyError, SyntaxError, TypeError) as e:
        raise ValueError(f"{text!r} is not a formula in n ({e})") from None
    if not isinstance(expr, sympy.Expr) or expr.free_symbols - {n}:
        raise ValueError(f"{text!r} is not a formula in n alone; e.g. 'n**2' or '4**n - 1'")
    return expr


def formula_value(text: str, n: int) -> int:
    """A formula in n (as in ``[claim] dla_dimension``) at ``n``, exactly.

    Example:
        >>> formula_value("binomial(n+3, 3) - floor(n/2)", 4)
        33
    """
    expr = parse_formula(text)
    return int(expr.subs({s: n for s in expr.free_symbols}))


def _integer(expr: str, values: dict[str, int]) -> int:
    """An integer expression in the given names (+ - * // % ** and parentheses only)."""
    if not re.fullmatch(r"[\s\w+\-*/%()]*", expr) or re.search(r"[A-Za-z_]\w*\s*\(", expr):
        raise ValueError(f"{expr!r} is not an integer expression in {', '.join(values)}")
    try:
        value = eval(expr, {"__builtins__": {}}, dict(values))  # noqa: S307 (checked above)
    except Exception as e:
        raise ValueError(f"{expr!r} does not evaluate with {values} ({e})") from None
    if not isinstance(value, int):
        raise ValueError(f"{expr!r} gives {value!r}, not an integer")
    return value


def expand_observable(text: str, n: int) -> PauliSum:
    """An observable template at ``n`` (see the module docstring).

    Example:
        >>> str(expand_observable("sum(i=0..n-2: Z{i} Z{i+1}) - 0.5 X{n-1}", 3))
        'Z0 Z1 + Z1 Z2 - 1/2 X2'
        >>> str(expand_observable("Z0 - 2 sum(i=1..n-1: X{i})", 3))
        'Z0 - 2 X1 - 2 X2'
    """
    total: dict = {}
    pos = 0
    for m in _SUM.finditer(text):
        _accumulate(total, _plain(text[pos : m.start()], n), 1)
        close = _closing(text, m.end())
        lo, hi = _integer(m["lo"], {"n": n}), _integer(m["hi"], {"n": n})
        factor = -1 if m["sign"] == "-" else 1
        if m["coef"]:
            factor *= Fraction(m["coef"])
        term = text[m.end() : close]
        for i in range(lo, hi + 1):
            _accumulate(total, parse_pauli_sum(_fill(term, {"n": n, m["var"]: i})), factor)
        pos = close + 1
    _accumulate(total, _plain(text[pos:], n), 1)
    if not total:
        raise ValueError(f"{text!r} expands to no terms at n = {n}")
    return PauliSum.from_terms(total.items())


def _plain(text: str, n: int) -> PauliSum | None:
    text = _fill(text, {"n": n}).strip()
    return parse_pauli_sum(text) if text else None


def _closing(text: str, start: int) -> int:
    depth = 1
    for k in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[k], 0)
        if depth == 0:
            return k
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _fill(text: str, values: dict[str, int]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(_integer(m[1], values)), text)


def _accumulate(total: dict, s: PauliSum | None, factor) -> None:
    for w, c in () if s is None else s.terms:
        total[w] = total.get(w, 0) + factor * c


def algebra_at(template: str, n: int) -> AlgebraType:
    """An algebra template such as ``"2·so(2*n) ⊕ u(1)"`` at ``n``.

    Example:
        >>> str(algebra_at("su(2**(n-1)) ⊕ su(2**(n-1))", 3))
        '2·su(4)'
    """
    out, pos = [], 0
    try:
        for m in re.finditer(r"(su|so|sp|u)\(", template):
            close = _closing(template, m.end())
            out.append(template[pos : m.end()])
            out.append(str(_integer(template[m.end() : close], {"n": n})))
            pos = close
        out.append(template[pos:])
        return AlgebraType.from_text("".join(out))
    except ValueError as e:
        raise ValueError(f"{template!r} at n = {n}: {e}") from None
