"""Tests of lie_sim.algebra.growth: exact growth laws of generator families over n.

Known laws: n(2n − 1) for {X_iX_{i+1}, Z_i} (so(2n)) and n² for the uniform open TFIM
(Wiersema et al., arXiv 2309.05690); 3n − 1 for the QAOA cycle (Allcock et al., arXiv
2407.12587); 4^n − 1 for the universal {X_i, Y_i, Z_iZ_{i+1}}.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import cirq
import pytest
import sympy

from lie_sim.algebra.growth import (
    BuilderError,
    GrowthLaw,
    SequenceLaw,
    TypeLaw,
    fit_law,
    growth_law,
    type_law,
)
from lie_sim.catalog.architectures import full_su_chain, tfim, tfim_ring, xx_z_chain

N = sympy.Symbol("n", integer=True, positive=True)  # the symbol of every law


def _same(formula: str, expected: str) -> bool:
    difference = sympy.sympify(formula, locals={"n": N}) - sympy.sympify(expected, locals={"n": N})
    return sympy.simplify(difference) == 0


@pytest.mark.parametrize(
    "builder, ns, expected, kind, valid_from",
    [
        (xx_z_chain, range(1, 9), "n*(2*n - 1)", "polynomial", 1),
        (tfim, range(1, 10), "n**2", "polynomial", 1),
        (tfim_ring, range(2, 10), "3*n - 1", "polynomial", 3),
        (full_su_chain, range(1, 6), "4**n - 1", "exponential", 1),
    ],
    ids=["xx_z", "tfim_open", "qaoa_ring", "su_full"],
)
def test_known_dimension_laws(builder, ns, expected, kind, valid_from):
    """Dimension laws of arXiv 2309.05690 and 2407.12587, recovered exactly."""
    law = growth_law(builder, ns, classify=False)
    assert law.dimension.kind == kind
    assert _same(law.dimension.formula, expected)
    assert law.dimension.valid_from == valid_from
    assert len(law.dimension.confirmed_on) >= 2
    assert all(law.dimension(p.n) == p.dim for p in law.points if p.n >= valid_from)


def test_exponential_base_and_exact_values():
    law = growth_law(full_su_chain, range(1, 6), classify=False).dimension
    assert law.base == 4
    assert law(10) == 4**10 - 1
    assert str(law) == "4**n - 1 (n ≥ 1; fitted on n = 1..3, confirmed on n = 4..5)"


def test_rational_polynomial_and_base():
    law = fit_law([1, 2, 3, 4, 5], [0, 1, 3, 6, 10])  # n(n − 1)/2
    assert law.formula == "n**2/2 - n/2"
    law = fit_law([2, 4, 6, 8, 10], [(Fraction(3, 2)) ** n + 1 for n in (2, 4, 6, 8, 10)])
    assert law.kind == "exponential"
    assert law.base == Fraction(3, 2)
    law = fit_law([2, 3, 4, 5, 6], [4 ** (n - 1) - 1 for n in range(2, 7)])
    assert (law.formula, law.base, law(7)) == ("4**(n - 1) - 1", 4, 4**6 - 1)
    assert fit_law([1, 2, 3, 4, 5], [5 - 3 * 2**n for n in range(1, 6)]).formula == "5 - 3*2**n"


def test_contradicted_law_is_rejected():
    """1, 2, 4, 8, 16, 31: 2^(n−1) fits the first points but not n = 6; no law is claimed."""
    law = fit_law(list(range(1, 7)), [1, 2, 4, 8, 16, 31])
    assert law == SequenceLaw("none")
    assert str(law) == "no simple law"
    assert not fit_law([1, 2, 3, 4, 5], [1, 4, 9, 16, 26]).found


def test_contradicted_law_from_a_builder():
    """A builder whose dimensions are 1, 2, 4, 8, 16, 31 (commuting Z's): no simple law."""
    sizes = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 6: 31}

    def commuting(n):
        return [f"Z{i}" for i in range(sizes[n])]

    law = growth_law(commuting, range(1, 7), classify=False)
    assert [p.dim for p in law.points] == [1, 2, 4, 8, 16, 31]
    assert not law.dimension.found
    assert "no simple law" in str(law)


def test_holdout_is_respected():
    assert not fit_law([1, 2, 3], [1, 2, 3]).found  # a line needs 2 + 2 points
    law = fit_law([1, 2, 3], [1, 2, 3], holdout=1)
    assert (law.formula, law.confirmed_on) == ("n", (3,))
    assert fit_law([3, 4, 5], [7, 7, 7]).formula == "7"


def test_exceptional_small_n_recorded():
    law = fit_law([1, 2, 3, 4, 5, 6], [1, 4, 8, 11, 14, 17])
    assert (law.formula, law.valid_from, law.fitted_on) == ("3*n - 1", 3, (3, 4))


def test_budget_stops_politely():
    law = growth_law(full_su_chain, range(1, 8), max_dim=300, classify=False)
    assert law.ns == (1, 2, 3, 4)
    assert law.stopped_at == 5
    assert not law.dimension.found  # four points cannot confirm an exponential
    assert "stopped at n = 5: dimension > 300" in str(law)


def test_circuit_builder():
    sym = sympy.Symbol

    def ring_circuit(n):
        q = cirq.LineQubit.range(n)
        zz = [cirq.ZZ(q[i], q[(i + 1) % n]) ** sym("g") for i in range(n)]
        return cirq.Circuit(zz, [cirq.X(qi) ** sym("b") for qi in q])

    law = growth_law(ring_circuit, range(3, 8), classify=False)
    assert law.dimension.formula == "3*n - 1"


def test_values_are_frozen_and_repr_round_trips():
    law = growth_law(xx_z_chain, range(1, 6), classify=False)
    assert isinstance(law, GrowthLaw)
    with pytest.raises(AttributeError):
        law.stopped_at = 3
    assert eval(repr(law.dimension)) == law.dimension
    assert hash(law) == hash(growth_law(xx_z_chain, range(1, 6), classify=False))


# ----------------------------------------------------------------------------------------
# Type patterns


def _type(center: int, *simple: tuple[str, int]) -> SimpleNamespace:
    return SimpleNamespace(center_dim=center, simple=tuple(sorted(simple)))


def test_type_law_skips_low_rank_coincidences():
    """so(4) = 2·su(2), so(6) = su(4): the so(2n) pattern starts at n = 4."""
    types = [_type(0, ("su", 2), ("su", 2)), _type(0, ("su", 4))]
    types += [_type(0, ("so", 2 * n)) for n in range(4, 9)]
    law = type_law(range(2, 9), types)
    assert str(law) == "so(2n)"
    assert law.valid_from == 4
    assert law.confirmed_on == (6, 7, 8)


def test_type_law_multiplicity_centre_and_exponential_size():
    types = [_type(2, *[("su", 2)] * (n - 1)) for n in range(3, 8)]
    assert str(type_law(range(3, 8), types)) == "(n - 1)·su(2) ⊕ u(1)^2"
    types = [_type(0, ("su", 2**n)) for n in range(1, 6)]
    assert str(type_law(range(1, 6), types)) == "su(2^n)"
    types = [_type(n) for n in range(1, 5)]
    assert str(type_law(range(1, 5), types)) == "u(1)^n"


def test_type_law_none_without_pattern():
    types = [_type(0, ("so", 2 * n)) for n in range(4, 7)]  # three points: no holdout
    assert type_law(range(4, 7), types) is None
    types = [_type(0, ("so", k)) for k in (8, 10, 12, 15, 16)]
    assert type_law(range(4, 9), types) is None
    assert str(TypeLaw((), "0", 1, ())) == "0"


def test_free_fermion_type_pattern():
    """{XX, Z}: so(2n) (arXiv 2309.05690), centre 0; so(6) = su(4) is the n = 3 exception."""
    law = growth_law(xx_z_chain, range(2, 9))
    assert str(law.algebra_type) == "so(2n)"
    assert law.algebra_type.valid_from == 4
    assert law.center.formula == "0"
    assert "type       so(2n)" in str(law)


def test_qaoa_ring_type_pattern():
    """QAOA cycle: 2-dim centre ⊕ (n − 1)·su(2) (Allcock et al., arXiv 2407.12587)."""
    law = growth_law(tfim_ring, range(3, 9))
    assert str(law.algebra_type) == "(n - 1)·su(2) ⊕ u(1)^2"
    assert law.center.formula == "2"


def test_universal_type_pattern():
    law = growth_law(full_su_chain, range(1, 6))
    assert str(law.algebra_type) == "su(2^n)"


# ----------------------------------------------------------------------------------------
# Errors


def test_builder_that_raises_names_n():
    def broken(n):
        if n == 3:
            raise KeyError("no such size")
        return xx_z_chain(n)

    with pytest.raises(BuilderError, match=r"broken\(n=3\) raised KeyError"):
        growth_law(broken, range(1, 6))


def test_builder_wrong_type_names_n():
    with pytest.raises(BuilderError, match=r"\(n=2\) returned a value of type int"):
        growth_law(lambda n: 42, [2, 3])
    with pytest.raises(BuilderError, match=r"\(n=2\) returned a value of type str"):
        growth_law(lambda n: "X0 X1", [2, 3])


def test_builder_bad_generators_names_n():
    with pytest.raises(BuilderError, match=r"\(n=4\) returned bad generators"):
        growth_law(lambda n: ["I"] if n == 4 else ["X0"], range(1, 6))


def test_bad_arguments():
    with pytest.raises(ValueError, match="ns is empty"):
        growth_law(xx_z_chain, [])
    with pytest.raises(ValueError, match="positive integers"):
        growth_law(xx_z_chain, [0, 1, 2])
    with pytest.raises(ValueError, match="holdout"):
        growth_law(xx_z_chain, [1, 2, 3], holdout=0)
    with pytest.raises(ValueError, match="strictly increasing"):
        fit_law([3, 2, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="no law"):
        SequenceLaw("none")(3)


def test_parity_dependent_counts_are_polynomial_laws():
    """C(n+3, 3) − ⌊n/2⌋ (the S_n-equivariant count measured in catalog/sn-equivariant-qnn):
    a cubic plus a (−1)^n term, fitted on five sizes and confirmed on the rest."""
    from math import comb

    ns = list(range(3, 11))
    law = fit_law(ns, [comb(n + 3, 3) - n // 2 for n in ns])
    assert law.kind == "polynomial" and "(-1)**n" in law.formula
    assert all(law(n) == comb(n + 3, 3) - n // 2 for n in range(3, 30))
    assert law.confirmed_on == (8, 9, 10)


def test_one_polynomial_per_parity():
    """A staggered field on a ring: 3n at even n, 2n² − 1 at odd n (the XY ring of
    examples/xy_staggered.py); one quadratic per parity, confirmed on held-out sizes of both
    parities, and shown as people read it."""
    ns = list(range(3, 15))
    law = fit_law(ns, [3 * n if n % 2 == 0 else 2 * n * n - 1 for n in ns])
    assert law.kind == "polynomial"
    assert str(law).startswith("3*n (n even), 2*n**2 - 1 (n odd) (n ≥ 3")
    assert [law(n) for n in (40, 41)] == [120, 2 * 41 * 41 - 1]
    assert law.confirmed_on == (9, 10, 11, 12, 13, 14)
    # a parity-independent sequence never gets a per-parity law
    assert "Piecewise" not in fit_law(ns, [n**3 + n for n in ns]).formula
