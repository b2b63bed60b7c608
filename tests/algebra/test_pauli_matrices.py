"""Dense matrices of Pauli sums in the little-endian order of the weight path, and back."""

import numpy as np

from lie_sim.algebra.pauli_matrices import (
    compact_codes,
    pauli_coefficients,
    pauli_matrices,
    projector_coefficients,
)
from lie_sim.pauli.paulis import PauliSum, PauliWord, pack_ints


def test_pauli_matrices_match_cirq_order_reversed():
    """Little-endian matrices of all 4^n strings agree with PauliSum.to_matrix (qubit 0 the
    most significant bit) after reversing the bit order, and the coefficients come back."""
    n, rng = 3, np.random.default_rng(5)
    xs, zs = np.repeat(np.arange(8), 8), np.tile(np.arange(8), 8)
    coefs = rng.standard_normal((2, 64))
    mats = pauli_matrices(coefs, xs, zs, n)
    reverse = [int(f"{j:03b}"[::-1], 2) for j in range(8)]
    for row, mat in zip(coefs, mats, strict=True):
        terms = [(PauliWord(int(x), int(z)), c) for x, z, c in zip(xs, zs, row, strict=True)]
        expected = PauliSum.from_terms(t for t in terms if t[0].x | t[0].z).to_matrix(n)
        expected += row[0] * np.eye(8)
        np.testing.assert_allclose(mat, expected[np.ix_(reverse, reverse)], atol=1e-12)
    np.testing.assert_allclose(pauli_coefficients(mats, xs, zs, n), coefs, atol=1e-12)


def test_projector_coefficients_match_the_transform():
    n, rng = 3, np.random.default_rng(6)
    xs, zs = np.repeat(np.arange(8), 8), np.tile(np.arange(8), 8)
    q, _ = np.linalg.qr(rng.standard_normal((8, 8)) + 1j * rng.standard_normal((8, 8)))
    starts = np.array([0, 1, 4, 5])
    groups = np.split(np.arange(8), starts[1:])
    projectors = np.array([q[:, g] @ q[:, g].conj().T for g in groups])
    expected = pauli_coefficients(projectors, xs, zs, n)
    np.testing.assert_allclose(projector_coefficients(q, starts, xs, zs, n), expected, atol=1e-12)


def test_compact_codes_multiword():
    x = pack_ints([1 << 70, 1 << 3, 0], 2)
    z = pack_ints([1 << 70, 0, 1 << 100], 2)
    xs, zs, n = compact_codes(x, z)
    assert (xs.tolist(), zs.tolist(), n) == ([2, 1, 0], [2, 0, 4], 3)
