"""AlgebraType values: canonical names, text form, dimensions and ranks, errors."""

import pytest

from lie_sim.algebra.algebra_types import (
    AlgebraType,
    canonical_simple,
    simple_dimension,
    simple_rank,
)


@pytest.mark.parametrize(
    "family, n, text",
    [
        ("so", 3, "su(2)"),
        ("sp", 1, "su(2)"),
        ("so", 4, "2·su(2)"),
        ("so", 5, "sp(2)"),
        ("so", 6, "su(4)"),
        ("so", 2, "u(1)"),
        ("so", 7, "so(7)"),
        ("sp", 3, "sp(3)"),
        ("su", 1, "0"),
        ("so", 1, "0"),
        ("g", 2, "g2"),
    ],
)
def test_canonical_coincidences(family, n, text):
    """DESIGN.md's canonical names: the value is stored canonically, dimension unchanged."""
    kind = AlgebraType(simple=((family, n),))
    assert str(kind) == text
    assert kind.dim == simple_dimension(family, n)


@pytest.mark.parametrize(
    "text",
    ["4·sp(2)", "so(15)", "2·su(8) ⊕ u(1)", "u(1)^5", "so(8) ⊕ 2·su(2) ⊕ u(1)", "0", "e8 ⊕ f4"],
)
def test_text_round_trip(text):
    kind = AlgebraType.from_text(text)
    assert str(kind) == text
    assert eval(repr(kind)) == kind  # noqa: S307 - repr evaluates back
    assert hash(kind) == hash(eval(repr(kind)))  # noqa: S307


def test_from_text_accepts_variants():
    assert AlgebraType.from_text("2*so(6) + so(5) + u(1)^2") == AlgebraType(
        center_dim=2, simple=(("su", 4), ("su", 4), ("sp", 2))
    )
    assert AlgebraType.from_text("3 su(2)").simple == (("su", 2),) * 3


def test_canonical_order_and_properties():
    kind = AlgebraType(center_dim=1, simple=(("su", 8), ("so", 8), ("sp", 2), ("su", 2)))
    assert kind.simple == (("so", 8), ("sp", 2), ("su", 2), ("su", 8))
    assert str(kind) == "so(8) ⊕ sp(2) ⊕ su(2) ⊕ su(8) ⊕ u(1)"
    assert kind.dim == 28 + 10 + 3 + 63 + 1
    assert kind.rank == 4 + 2 + 1 + 7 + 1
    assert not kind.is_semisimple and AlgebraType(simple=(("su", 2),)).is_semisimple


@pytest.mark.parametrize(
    "family, n, dim, rank",
    [("su", 8, 63, 7), ("so", 15, 105, 7), ("so", 16, 120, 8), ("sp", 4, 36, 4), ("e", 7, 133, 7)],
)
def test_dimension_and_rank(family, n, dim, rank):
    assert (simple_dimension(family, n), simple_rank(family, n)) == (dim, rank)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: AlgebraType.from_text("su(3) ⊕ spin(7)"), "Cannot read 'spin\\(7\\)'"),
        (lambda: AlgebraType.from_text("  "), "Empty algebra text"),
        (lambda: AlgebraType(simple=(("sl", 3),)), "Not a simple Lie algebra"),
        (lambda: AlgebraType(simple=(("e", 5),)), "Not a simple Lie algebra: e5"),
        (lambda: AlgebraType(simple=(("su", 0),)), "Not a simple Lie algebra"),
        (lambda: AlgebraType(simple=("su",)), "Simple ideals are \\(family, N\\) pairs"),
        (lambda: AlgebraType(center_dim=-1), "center_dim must be a non-negative int"),
        (lambda: simple_dimension("f", 5), "Unknown simple Lie algebra f5"),
        (lambda: simple_rank("x", 2), "Unknown simple Lie algebra x2"),
        (lambda: canonical_simple("sp", 0), "Not a simple Lie algebra"),
    ],
)
def test_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
