"""The compiled closure search (numba) against the NumPy search and dense brute force; its
buffers growing, its fallbacks, and the check catching a search that missed an element."""

from __future__ import annotations

import numpy as np
import pytest

from lie_sim.algebra import closure_kernel
from lie_sim.algebra.closure import PRIMES, lie_closure
from lie_sim.algebra.exact_closure import UnluckyPrime, exact_closure
from lie_sim.algebra.modp import ModPSpan
from lie_sim.catalog.architectures import heisenberg_bonds, tfim, tfim_ring, xx_z_chain
from lie_sim.compiled import DISABLE_ENV
from lie_sim.errors import ClosureLimitError
from lie_sim.pauli.packed import pack_sum
from lie_sim.pauli.paulis import PauliSum, PauliWord
from lie_sim.progress import Progress
from tests.algebra.test_closure import matrices, random_integer_sums
from tests.reference import dense_lie_dim

pytest.importorskip("numba")


pytestmark = pytest.mark.usefixtures("kernels_on")  # about the kernel: on, whatever the env says


FAMILIES = [tfim(7), tfim_ring(9), heisenberg_bonds(5), xx_z_chain(6)]


def _packed(sums: list[PauliSum], nwords: int = 1):
    return [pack_sum(s.words, [int(c) for c in s.coefficients], nwords) for s in sums]


def _span_rank(a, b) -> int:
    """Rank of the union of two bases (Pauli sums), over the rationals (floats suffice here:
    small integer entries)."""
    index: dict = {}
    rows = []
    for s in list(a) + list(b):
        row = {index.setdefault(w, len(index)): float(c) for w, c in s.terms}
        rows.append(row)
    m = np.zeros((len(rows), len(index)))
    for i, row in enumerate(rows):
        for j, c in row.items():
            m[i, j] = c
    return int(np.linalg.matrix_rank(m))


def _up_to_sign(s: PauliSum) -> frozenset:
    terms = sorted((w.x, w.z, int(c)) for w, c in s.terms)
    sign = 1 if terms[0][2] > 0 else -1
    return frozenset((x, z, sign * c) for x, z, c in terms)


def _numpy_closure(monkeypatch, gens):
    monkeypatch.setenv(DISABLE_ENV, "1")
    out = lie_closure(gens)
    monkeypatch.delenv(DISABLE_ENV)
    return out


@pytest.mark.parametrize("gens", FAMILIES, ids=["tfim7", "ring9", "heis5", "xxz6"])
def test_kernel_spans_what_the_numpy_search_spans(monkeypatch, gens):
    compiled = lie_closure(gens)
    numpy_path = _numpy_closure(monkeypatch, gens)
    assert compiled.dim == numpy_path.dim
    assert _span_rank(compiled.basis, numpy_path.basis) == compiled.dim
    # the same greedy choices: the same elements, up to sign
    assert {_up_to_sign(b) for b in compiled.basis} == {_up_to_sign(b) for b in numpy_path.basis}


@pytest.mark.parametrize("seed", range(40))
def test_kernel_and_numpy_search_match_dense(monkeypatch, seed):
    rng = np.random.default_rng(7000 + seed)
    n = int(rng.integers(1, 5))
    gens = random_integer_sums(rng, n, int(rng.integers(1, 4)))
    dense = dense_lie_dim(matrices(gens, n))
    assert lie_closure(gens).dim == dense
    assert _numpy_closure(monkeypatch, gens).dim == dense


def test_buffers_grow_and_the_search_restarts(monkeypatch):
    expected = lie_closure(heisenberg_bonds(5))
    tiny = dict.fromkeys(closure_kernel._CAPACITIES, 2)
    monkeypatch.setattr(closure_kernel, "_CAPACITIES", tiny)
    grown = lie_closure(heisenberg_bonds(5))
    assert grown.dim == expected.dim == 40
    assert set(grown.basis) == set(expected.basis)


def test_too_large_for_the_kernel_falls_back_to_numpy(monkeypatch):
    gens = _packed(tfim(6))
    monkeypatch.setattr(closure_kernel, "_CAPACITIES", dict.fromkeys(closure_kernel._CAPACITIES, 2))
    monkeypatch.setattr(closure_kernel, "MAX_ENTRIES", 16)
    assert closure_kernel.search(gens, PRIMES[0][0], None) is None
    assert lie_closure(tfim(6)).dim == 36


def test_large_coefficients_take_the_numpy_search():
    big = PauliSum.from_terms([(PauliWord(1, 0), 2**40 + 1), (PauliWord(2, 0), 3)])
    gens = [big, PauliSum.from_text("Z0 Z1")]
    assert not closure_kernel.usable(_packed(gens))
    assert lie_closure(gens).dim == lie_closure(["3 X0 + 5 X1", "Z0 Z1"]).dim


def test_max_dim_stops_the_kernel_with_the_dimension_reached(monkeypatch):
    with pytest.raises(ClosureLimitError) as compiled:
        lie_closure(tfim_ring(12), max_dim=20)
    monkeypatch.setenv(DISABLE_ENV, "1")
    with pytest.raises(ClosureLimitError) as numpy_path:
        lie_closure(tfim_ring(12), max_dim=20)
    assert compiled.value.dim_reached == numpy_path.value.dim_reached > 20


def test_a_missed_element_is_caught_by_the_check(monkeypatch):
    """The kernel's functional test may (with probability 1/p a candidate) set aside an
    independent bracket; the check over the second prime must then refuse the result."""
    real = closure_kernel.search

    def missing_last(gens, prime, max_dim):
        found = real(gens, prime, max_dim)
        basis = found.basis
        keep = basis.owner < basis.count - 1
        found.basis = type(basis)(
            basis.owner[keep], basis.col[keep], basis.coef[keep], basis.count - 1
        )
        found.pivots = found.pivots[:-1]
        return found

    monkeypatch.setattr(closure_kernel, "search", missing_last)
    gens = _packed(heisenberg_bonds(4))
    search, check = PRIMES[0]
    with pytest.raises(UnluckyPrime):
        exact_closure(gens, None, Progress("test", enabled=False), ModPSpan(search), check)
