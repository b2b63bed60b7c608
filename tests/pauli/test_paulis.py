"""Pauli words and sums: products, brackets and conversions against dense matrices."""

from fractions import Fraction

import cirq
import numpy as np
import pytest

from lie_sim.errors import PauliParseError
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    anticommute,
    lie_bracket,
    pack_ints,
    parse_pauli_sum,
    pauli_product,
    product_phase,
    sort_codes,
    unpack_ints,
    word_sort_key,
)

LETTERS = "IXYZ"


def all_words(n: int) -> list[PauliWord]:
    words = [""]
    for _ in range(n):
        words = [w + c for w in words for c in LETTERS]
    return [PauliWord.from_text(w) for w in words]


def matrix(word: PauliWord, n: int) -> np.ndarray:
    return PauliSum(((word, 1),)).to_matrix(n)


@pytest.mark.parametrize("n", [1, 2])
def test_products_and_commutation_exhaustive(n):
    words = all_words(n)
    for a in words:
        for b in words:
            k, c = pauli_product(a, b)
            np.testing.assert_allclose(matrix(a, n) @ matrix(b, n), 1j**k * matrix(c, n))
            ma, mb = matrix(a, n), matrix(b, n)
            assert a.commutes_with(b) == np.allclose(ma @ mb, mb @ ma)


def test_vectorised_helpers_match_scalar():
    rng = np.random.default_rng(1)
    n = 70  # two words per mask
    xs = [int(v) for v in rng.integers(0, 2**62, size=50)] + [1 << 69, (1 << 70) - 1]
    zs = [int(v) << 5 for v in rng.integers(0, 2**62, size=50)] + [1 << 68, 3]
    words = [PauliWord(x, z) for x, z in zip(xs, zs, strict=True)]
    x, z = pack_ints(xs, 2), pack_ints(zs, 2)
    assert unpack_ints(x) == xs and unpack_ints(z) == zs
    anti = anticommute(x[:, None], z[:, None], x[None], z[None])
    phase = product_phase(x[:, None], z[:, None], x[None], z[None])
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            assert anti[i, j] == (not a.commutes_with(b))
            assert phase[i, j] == pauli_product(a, b)[0]
    order = np.lexsort(sort_codes(x, z, n).T[::-1])
    assert [words[i] for i in order] == sorted(words, key=word_sort_key)


def test_lie_bracket_matches_dense():
    rng = np.random.default_rng(2)
    words = all_words(3)
    for _ in range(30):
        a = PauliSum.from_terms((words[i], int(rng.integers(-3, 4))) for i in rng.choice(64, 4))
        b = PauliSum.from_terms((words[i], int(rng.integers(-3, 4))) for i in rng.choice(64, 4))
        ma, mb = a.to_matrix(3), b.to_matrix(3)
        np.testing.assert_allclose(lie_bracket(a, b).to_matrix(3), 1j * (ma @ mb - mb @ ma))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("X0 X1 + 0.5 Z2", {"XXI": 1, "IIZ": Fraction(1, 2)}),
        ("-1/2 Y0*Z3 + 2 X1", {"YIIZ": Fraction(-1, 2), "IXII": 2}),
        ("XZI", {"XZ": 1}),
        ("Z0Z1 - 1.5e-3 I", {"ZZ": 1, "I": Fraction(-3, 2000)}),
        ("X0 - X0 + Y1", {"IY": 1}),
        ("0.1 X0", {"X": Fraction(1, 10)}),
    ],
)
def test_parse_text(text, expected):
    want = PauliSum.from_terms((PauliWord.from_text(w), c) for w, c in expected.items())
    got = parse_pauli_sum(text)
    assert got == want
    assert parse_pauli_sum(str(got)) == got
    assert eval(repr(got)) == got


@pytest.mark.parametrize("text", ["", "X0 Q1", "X0 X0", "2", "X0 +", "3 * * X1", "x0"])
def test_parse_errors(text):
    with pytest.raises(PauliParseError, match="Pauli"):
        parse_pauli_sum(text)


def test_cirq_round_trip_and_order():
    qubits = cirq.GridQubit.rect(1, 3)
    ps = 0.5 * cirq.X(qubits[0]) * cirq.Z(qubits[2]) - 2 * cirq.Y(qubits[1])
    ours = PauliSum.from_cirq(ps, qubits)
    assert str(ours) == "1/2 X0 Z2 - 2 Y1" or str(ours) == "0.5 X0 Z2 - 2.0 Y1"
    assert ours.to_cirq(qubits) == ps
    np.testing.assert_allclose(ours.to_matrix(3), ps.matrix(qubits))
    with pytest.raises(ValueError, match="not among"):
        PauliSum.from_cirq(ps, qubits[:2])


def test_pauli_sum_is_a_hashable_value():
    a = parse_pauli_sum("X0 + Z1")
    assert a == parse_pauli_sum("Z1 + X0") and hash(a) == hash(parse_pauli_sum("Z1+X0"))
    assert a - a == PauliSum() and repr(PauliSum()) == "PauliSum()"
    assert 2 * a == a + a
    with pytest.raises(ValueError, match="sorted"):
        PauliSum(((PauliWord.from_text("IZ"), 1), (PauliWord.from_text("X"), 1)))
