"""Module dimensions of observables outside the algebra, against a dense brute force.

Diaz et al., arXiv 2310.11505: the part O_⊥ of an observable orthogonal to i·g spans an
ad_g-invariant subspace of its own. The reference closes O_⊥ under dense commutators with
the generators in the real space of Pauli coefficients (tests/reference.py) and decides rank
relative to scale.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from lie_sim.algebra.closure import lie_closure
from lie_sim.pauli.paulis import parse_pauli_sum
from lie_sim.simulate import modules
from tests.reference import dense_lie_algebra, hermitian_from_coefficients, pauli_coefficients

_LETTERS = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.diag([1.0, -1.0]).astype(complex),
}


def _matrix(text: str, n: int) -> np.ndarray:
    """The Pauli text as a dense matrix, built with numpy.kron (qubit 0 most significant)."""
    out = np.zeros((2**n, 2**n), dtype=complex)
    for word, c in parse_pauli_sum(text).terms:
        factors = [_LETTERS[word.to_text(n)[q]] for q in range(n)]
        out += float(c) * functools.reduce(np.kron, factors)
    return out


def dense_module_dim(generators: list[str], observable: str, n: int) -> int:
    gens = [_matrix(g, n) for g in generators]
    rows = dense_lie_algebra(gens)
    o = pauli_coefficients(_matrix(observable, n)[None])[0]
    o_perp = o - rows.T @ (rows @ o)
    if np.linalg.norm(o_perp) <= 1e-9 * np.linalg.norm(o):
        return 0
    basis = [o_perp / np.linalg.norm(o_perp)]
    frontier = list(basis)
    while frontier:
        new = []
        for v in frontier:
            vm = hermitian_from_coefficients(v)
            for g in gens:
                w = pauli_coefficients((1j * (g @ vm - vm @ g))[None])[0]
                q = np.array(basis)
                residual = w - q.T @ (q @ w)
                # Relative to the bound ‖[G, V]‖_F ≤ 2‖G‖_op‖V‖_F, so a bracket that
                # cancels to rounding noise is not taken for a new direction.
                bound = 2 * np.linalg.norm(g, 2) * np.linalg.norm(v)
                if np.linalg.norm(residual) > 1e-9 * bound:
                    basis.append(residual / np.linalg.norm(residual))
                    # Commute the candidate itself next, not its renormalised new part,
                    # which would carry rounding noise divided by its size.
                    new.append(w / np.linalg.norm(w))
        frontier = new
    return len(basis)


CASES = [
    (["Z0 Z1 + Z1 Z2", "X0 + X1 + X2"], ["Z0", "X0", "Z0 Z1 + Z1 Z2", "Y1", "X0 X2 + 0.5 Z1"]),
    (["Z0", "Z1", "Z2", "X0 X1", "Y0 Y1", "X1 X2", "Y1 Y2"], ["X0", "X0 + Y2", "Z0 + X1"]),
    (["X0 X1 + Y0 Y1 + Z0 Z1", "X1 X2 + Y1 Y2 + Z1 Z2"], ["Z0", "X0 Y1", "Z0 Z1 Z2"]),
    (["Z0 Z1 + Z1 Z2 + Z0 Z2", "X0 + X1 + X2"], ["Z0 Z1", "X0", "Z0 + Z1 + Z2"]),
]


@pytest.mark.parametrize("generators, observables", CASES)
def test_module_dimensions_match_dense(generators, observables):
    dla = lie_closure(generators)
    for text in observables:
        got = modules.module_dimension(dla, parse_pauli_sum(text))
        assert got == dense_module_dim(generators, text, 3), text


def test_exact_and_float_paths_agree():
    dla = lie_closure(["Z0 Z1 + Z1 Z2 + Z2 Z3", "X0 + X1 + X2 + X3"])
    for text in ["Z0", "X0", "Y1 Z2"]:
        o = parse_pauli_sum(text)
        exact = modules._exact_module_dimension(dla, o, None)
        seeds = modules._outside_part(dla, o, 1e-9)
        gens = [modules.pack_float_sum(s, 1) for s in dla.generators]
        assert exact == modules.invariant_subspace(gens, seeds, 1e-9, None).shape[0]
