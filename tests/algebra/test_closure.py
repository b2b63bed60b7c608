"""Lie closure: literature dimensions, dense brute force, invariances and error paths."""

import math

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lie_sim.algebra import closure as closure_module
from lie_sim.algebra import exact_closure as exact_closure_module
from lie_sim.algebra.closure import lie_closure
from lie_sim.catalog.architectures import (
    FAMILIES,
    full_su_chain,
    heisenberg_bonds,
    tfim,
    tfim_ring,
    xx_z_chain,
)
from lie_sim.errors import ClosureLimitError, GeneratorError, PauliParseError
from lie_sim.pauli.paulis import PauliSum, PauliWord, lie_bracket
from tests.reference import dense_lie_dim


def matrices(sums, n):
    return [s.to_matrix(n) for s in sums]


# --- Known dimensions from the literature -------------------------------------------------


@pytest.mark.parametrize("n", range(2, 11))
def test_xx_z_is_so_2n(n):
    """{X_iX_{i+1}, Z_i} on an open chain generates so(2n) (arXiv 2309.05690, Theorem 1)."""
    assert lie_closure(xx_z_chain(n)).dim == n * (2 * n - 1)


@pytest.mark.parametrize("n", range(1, 6))
def test_x_y_zz_is_su_2n(n):
    """{X_i, Y_i, Z_iZ_{i+1}} is universal: su(2^n) (arXiv 2309.05690)."""
    assert lie_closure(full_su_chain(n)).dim == 4**n - 1


@pytest.mark.parametrize("n", range(2, 17))
def test_uniform_open_tfim_is_n_squared(n):
    """Uniform TFIM {Σ ZZ, Σ X} on an open chain: dimension n² (float peers get 143 at n=12)."""
    dla = lie_closure(tfim(n))
    assert dla.dim == n * n and dla.exact


@pytest.mark.parametrize("n", range(3, 13))
def test_qaoa_cycle_is_3n_minus_1(n):
    """QAOA on a ring, {Σ Z_iZ_{i+1} (periodic), Σ X_i}: 3n − 1 (arXiv 2407.12587)."""
    assert lie_closure(tfim_ring(n)).dim == 3 * n - 1


@pytest.mark.parametrize("n, dim", [(3, 4), (4, 12), (5, 40), (6, 129), (7, 426)])
def test_heisenberg_bonds(n, dim):
    """Per-bond Heisenberg generators: the dimensions quoted in issue 2 (40, 129, 426, ...)."""
    assert lie_closure(heisenberg_bonds(n)).dim == dim


def exchange_dla_dim(n):
    """1 + Σ_j (m_j² − 1): the exchange interactions generate su(m_j) on each spin-j
    multiplicity space (m_j = C(n, n/2 − j) − C(n, n/2 − j − 1)) and a one-dimensional centre
    (Marvian, Liu, Hulse, arXiv 2202.01963; the identity is dropped)."""
    mults = [math.comb(n, k) - math.comb(n, k - 1) if k else 1 for k in range(n // 2 + 1)]
    return 1 + sum(m * m - 1 for m in mults)


@pytest.mark.parametrize("n", range(2, 8))
def test_heisenberg_bonds_match_the_representation_formula(n):
    assert lie_closure(heisenberg_bonds(n)).dim == exchange_dla_dim(n)


@pytest.mark.slow
def test_heisenberg_bonds_n8_matches_the_representation_formula():
    assert lie_closure(heisenberg_bonds(8)).dim == exchange_dla_dim(8) == 1426


def test_heisenberg_bonds_n5_matches_dense_brute_force():
    gens = heisenberg_bonds(5)
    assert lie_closure(gens).dim == dense_lie_dim(matrices(gens, 5)) == 40


@pytest.mark.parametrize("offset", [40, 70])
def test_sums_past_32_and_64_qubits(offset):
    """Strings past 32 qubits are indexed by their mask bytes, past 64 they take two words."""
    gens = [
        PauliSum.from_terms((PauliWord(w.x << offset, w.z << offset), c) for w, c in g.terms)
        for g in tfim(5) + heisenberg_bonds(4)
    ]
    dla = lie_closure(gens)
    assert dla.exact and dla.dim == lie_closure(tfim(5) + heisenberg_bonds(4)).dim


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_families_match_dense_brute_force(name):
    family = FAMILIES[name]
    for n in (3, 4) if name != "su_full" else (2, 3):
        gens = family.build(n)
        assert lie_closure(gens).dim == dense_lie_dim(matrices(gens, n)) == family.dimension(n)


# --- Dense brute force on random generator sets -------------------------------------------


def random_word(rng, n):
    return PauliWord(int(rng.integers(0, 2**n)), int(rng.integers(0, 2**n)))


def random_strings(rng, n, k):
    words = [random_word(rng, n) for _ in range(k)]
    return [PauliSum(((w, 1),)) for w in words if w != PauliWord()] or [
        PauliSum(((PauliWord(1, 0), 1),))
    ]


def random_integer_sums(rng, n, k, terms=3):
    out = []
    for _ in range(k):
        s = PauliSum.from_terms(
            (random_word(rng, n), int(rng.integers(-3, 4))) for _ in range(terms)
        ).without_identity()
        if len(s):
            out.append(s)
    return out or [PauliSum(((PauliWord(0, 1), 1),))]


@pytest.mark.parametrize("seed", range(150))
def test_random_pauli_strings_match_dense(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4)) if seed < 120 else 4
    gens = random_strings(rng, n, int(rng.integers(1, 5)))
    dla = lie_closure(gens)
    assert dla.dim == dense_lie_dim(matrices(gens, n))
    assert dla.is_pauli_string_basis


@pytest.mark.parametrize("seed", range(150))
def test_random_integer_sums_match_dense(seed):
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(1, 4)) if seed < 120 else 4
    gens = random_integer_sums(rng, n, int(rng.integers(1, 4)))
    dla = lie_closure(gens)
    assert dla.exact
    assert dla.dim == dense_lie_dim(matrices(gens, n))


@pytest.mark.parametrize("seed", range(30))
def test_random_integer_sums_match_dense_with_the_replayed_check(monkeypatch, seed):
    monkeypatch.setattr(exact_closure_module, "PIVOT_CHECK", 0)
    test_random_integer_sums_match_dense(seed)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(-2, 2)),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_hypothesis_sums_on_three_qubits(spec):
    gens = [PauliSum.from_terms((PauliWord(x, z), c) for x, z, c in g) for g in spec]
    gens = [g.without_identity() for g in gens]
    if not any(len(g) for g in gens):
        return
    dense = dense_lie_dim(matrices([g for g in gens if len(g)], 3))
    assert lie_closure(gens).dim == dense


# --- The basis is a Lie algebra ------------------------------------------------------------


def coefficient_matrix(sums, n):
    index = {}
    rows = []
    for s in sums:
        row = {}
        for w, c in s.terms:
            row[index.setdefault(w, len(index))] = float(c)
        rows.append(row)
    out = np.zeros((len(rows), len(index)))
    for i, row in enumerate(rows):
        for j, c in row.items():
            out[i, j] = c
    return out


@pytest.mark.parametrize("gens", [tfim(5), heisenberg_bonds(4), tfim_ring(4), xx_z_chain(3)])
def test_basis_is_closed_and_independent(gens):
    dla = lie_closure(gens)
    basis = list(dla.basis)
    assert np.linalg.matrix_rank(coefficient_matrix(basis, 5)) == dla.dim
    for a in basis:
        for g in dla.generators:
            bracket = lie_bracket(a, g)
            if len(bracket):
                assert np.linalg.matrix_rank(coefficient_matrix(basis + [bracket], 5)) == dla.dim


def test_sum_basis_has_primitive_integer_coefficients():
    for b in lie_closure(tfim(6)).basis:
        coefs = [int(c) for c in b.coefficients]
        assert coefs == list(b.coefficients) and math.gcd(*coefs) == 1


# --- Invariances ---------------------------------------------------------------------------


def test_invariant_under_order_scaling_and_relabelling():
    rng = np.random.default_rng(7)
    gens = tfim(6) + [PauliSum.from_text("Y0 Y1")]
    dim = lie_closure(gens).dim
    assert lie_closure(gens[::-1]).dim == dim
    scaled = [g * s for g, s in zip(gens, [3, -0.5, math.pi / 2], strict=True)]
    dla = lie_closure(scaled)
    assert dla.dim == dim and dla.exact
    perm = rng.permutation(6)
    qubits = cirq.LineQubit.range(6)
    relabelled = [g.to_cirq([qubits[p] for p in perm]) for g in gens]
    assert lie_closure(relabelled).dim == dim


def test_cirq_inputs_and_qubit_order():
    a, b, c = cirq.GridQubit.rect(1, 3)
    gens = [cirq.X(a) * cirq.X(b), cirq.X(b) * cirq.X(c), cirq.Z(a) + 0 * cirq.Z(b)]
    gens += [cirq.PauliSum.from_pauli_strings([cirq.Z(b)]), cirq.Z(c)]
    dla = lie_closure(gens)
    assert dla.qubits == (a, b, c) and dla.dim == 15
    assert all(isinstance(p, cirq.PauliSum) for p in dla.to_cirq())
    explicit = lie_closure(gens, qubits=[c, b, a])
    assert explicit.qubits == (c, b, a) and explicit.dim == 15


def test_imaginary_generators_read_as_i_h():
    assert lie_closure(["1j X0", "0.5j Z0"]).dim == 3
    assert lie_closure([1j * cirq.X(cirq.LineQubit(0)), cirq.Z(cirq.LineQubit(0))]).dim == 3


def test_identity_terms_are_dropped():
    dla = lie_closure(["X0 + 3 I", "Z0 - I"])
    assert dla.dim == 3 and all(len(g) == 1 for g in dla.generators)


# --- Exactness -----------------------------------------------------------------------------


def test_irrational_coefficients_take_the_float_path():
    c, s = math.cos(math.pi / 8), math.sin(math.pi / 8)
    gens = [PauliSum.from_terms([(PauliWord(1, 0), c), (PauliWord(1, 1), s)])]
    gens += [PauliSum.from_text("Z0 Z1"), PauliSum.from_text("X1")]
    dla = lie_closure(gens)
    assert not dla.exact
    assert dla.dim == dense_lie_dim(matrices(gens, 2))
    for b in dla.basis:
        assert np.isclose(np.linalg.norm([float(x) for x in b.coefficients]), 1.0)


def test_float_path_brackets_that_cancel_are_zero():
    """A lone generator with irrational ratios: [g, g] = 0 must not leave rounding noise.

    This generator (a non-Clifford circuit's, pushed through fixed gates) gave dimension 4.
    """
    coefs = {
        (3, 0): 0.6513435381057514, (3, 2): -0.1913054134194442, (1, 2): -0.7269440749421221,
        (1, 0): -0.050444634717167834, (3, 1): -0.3894021955203884, (3, 3): 0.12126427748804877,
        (1, 3): 0.5026264255958293, (1, 1): 0.13898147110164621, (2, 1): -0.5956379866458146,
        (2, 3): 0.18150518606592028, (0, 3): 0.7295195973491679, (0, 1): -0.1460223806889028,
        (2, 0): 0.054805353017237796, (2, 2): 0.303438797402112, (0, 2): -0.030748406670633104,
    }  # fmt: skip
    g = PauliSum.from_terms((PauliWord(x, z), c) for (x, z), c in coefs.items())
    assert lie_closure([g]).dim == 1
    pair = [g, PauliSum.from_terms([(PauliWord(2, 2), math.pi), (PauliWord(1, 1), 1.0)])]
    assert lie_closure(pair).dim == dense_lie_dim(matrices(pair, 2))


def test_float_ratios_that_are_rational_stay_exact():
    gens = [g * (math.pi / 2) for g in tfim(12)]
    dla = lie_closure(gens)
    assert dla.exact and dla.dim == 144


def test_tiny_exact_coefficients_are_not_rounded_away():
    """{X0 + 10^-300 Z0, Z0Z1}: any non-zero Z0 part tilts the axis, so [X0Z1, Y0Z1] ∝ Z0
    joins and the algebra is su(2) ⊕ su(2) (dim 6); with the Z0 part dropped it would be 3.
    A float tolerance (the dense reference's 1e-9) sees 3; the exact path must not."""
    dla = lie_closure(["X0 + 1e-300 Z0", "Z0 Z1"])
    assert dla.exact and dla.dim == 6
    assert lie_closure(["X0", "Z0 Z1"]).dim == 3


# The final check solves on the search's pivots up to PIVOT_CHECK elements, and replays the
# basis into a span beyond: both ways are tested.
check_ways = pytest.mark.parametrize("pivot_check", [0, 10**6], ids=["replay", "pivots"])


@check_ways
def test_unlucky_search_prime_is_caught_by_the_check(monkeypatch, pivot_check):
    """GF(2) loses rank on TFIM (the search finds too few elements); the deferred check over
    a 31-bit prime finds brackets outside their span, and the next pair gets 64."""
    monkeypatch.setattr(exact_closure_module, "PIVOT_CHECK", pivot_check)
    monkeypatch.setattr(closure_module, "PRIMES", ((2, 2147483647), (2097143, 2147483629)))
    assert lie_closure(tfim(8)).dim == 64
    only_small = ((2, 3), (2, 5))
    monkeypatch.setattr(closure_module, "PRIMES", only_small)
    with pytest.raises(RuntimeError, match="primes disagreed"):
        lie_closure(tfim(8))


@check_ways
def test_unlucky_check_prime_is_caught(monkeypatch, pivot_check):
    """A check prime that loses the basis' rank (GF(2) here) fails the check: next pair."""
    monkeypatch.setattr(exact_closure_module, "PIVOT_CHECK", pivot_check)
    monkeypatch.setattr(closure_module, "PRIMES", ((2097143, 2), (2097133, 2147483629)))
    assert lie_closure(tfim(8)).dim == 64


@check_ways
def test_each_failure_of_the_check_is_reported(monkeypatch, pivot_check):
    """Search over GF(2): brackets outside the span found; check over GF(2): rank lost."""
    monkeypatch.setattr(exact_closure_module, "PIVOT_CHECK", pivot_check)
    from lie_sim.algebra.exact_closure import UnluckyPrime, exact_closure
    from lie_sim.algebra.modp import ModPSpan
    from lie_sim.pauli.packed import pack_sum
    from lie_sim.progress import Progress

    gens = [pack_sum(g.words, list(g.coefficients), 1) for g in tfim(8)]
    quiet = Progress("closure", enabled=False)
    with pytest.raises(UnluckyPrime, match="outside the span over GF"):
        exact_closure(gens, None, quiet, ModPSpan(2), 2147483647)
    with pytest.raises(UnluckyPrime, match="lost rank over GF"):
        exact_closure(gens, None, quiet, ModPSpan(2097143), 2)
    assert exact_closure(gens, None, quiet, ModPSpan(2097143), 2147483647).count == 64


# --- Errors --------------------------------------------------------------------------------


def test_max_dim_raises_with_dimension_reached():
    with pytest.raises(ClosureLimitError, match="max_dim=50") as info:
        lie_closure(full_su_chain(4), max_dim=50)
    assert info.value.dim_reached > 50 and info.value.max_dim == 50
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(ClosureLimitError, match="max_dim=10"):
        lie_closure(tfim(5), max_dim=10)
    assert lie_closure(tfim(5), max_dim=25).dim == 25


@pytest.mark.parametrize(
    "gens, match",
    [
        ([], "No generators"),
        (["I", "2 I"], "multiple of the identity"),
        (["X0 + 1j Z0"], "mixes real and complex"),
        ([cirq.X(cirq.LineQubit(0)), cirq.Z(cirq.GridQubit(0, 0))], "mix qubit kinds"),
        ([cirq.X(cirq.NamedQubit("a")), "Z0"], "mix qubit kinds"),
        (PauliSum.from_text("X0 + Z0"), "single PauliSum"),
        ([3.0], "expected cirq.PauliString"),
    ],
)
def test_bad_generators(gens, match):
    with pytest.raises(GeneratorError, match=match):
        lie_closure(gens)


def test_bad_text_and_qubits():
    with pytest.raises(PauliParseError, match="Cannot parse"):
        lie_closure(["X0 + foo"])
    with pytest.raises(GeneratorError, match="not in qubits"):
        lie_closure(["X0 X1"], qubits=cirq.LineQubit.range(1))
    with pytest.raises(ValueError, match="non-negative"):
        lie_closure(["X0"], max_dim=-1)


@pytest.mark.parametrize("p", [2097143, 2147483647])
def test_modular_products_are_exact(p):
    """Both mod-p products (dense on float BLAS, sparse in int64) against Python integers,
    for a search prime (one product) and a check prime (sliced/split products)."""
    import scipy.sparse as sp

    from lie_sim.algebra import modp

    rng = np.random.default_rng(5)
    a, b = rng.integers(0, p, (7, 3000)), rng.integers(0, p, (3000, 9))
    exact = np.array(
        [[sum(int(x) * int(y) for x, y in zip(r, c, strict=True)) % p for c in b.T] for r in a]
    )
    np.testing.assert_array_equal(modp.dense_matmul_mod(a, b, p), exact)
    sparse = modp.sparse_matmul_mod(sp.csr_array(a), sp.csr_array(b), p).toarray()
    np.testing.assert_array_equal(sparse, exact)


def greedy_rank_mod(rows, p):
    """Indices of the rows kept by a greedy elimination over GF(p), with Python integers."""
    basis, kept = [], []
    for i, row in enumerate(rows):
        row = [int(v) % p for v in row]
        for pivot, b in basis:
            if row[pivot]:
                f = row[pivot]
                row = [(x - f * y) % p for x, y in zip(row, b, strict=True)]
        nz = [j for j, v in enumerate(row) if v]
        if nz:
            inv = pow(row[nz[0]], p - 2, p)
            row = [v * inv % p for v in row]
            basis = [
                (q, [(x - b[nz[0]] * y) % p for x, y in zip(b, row, strict=True)]) for q, b in basis
            ] + [(nz[0], row)]
            kept.append(i)
    return kept


@pytest.mark.parametrize("p", [7, 2097143, 2147483647])
@pytest.mark.parametrize("dense_span", [0, 1 << 30])
def test_modp_span_takes_the_greedy_rows(monkeypatch, p, dense_span):
    """ModPSpan, dense or sparse, in batches with growing columns, against Python integers."""
    from lie_sim.algebra import modp

    monkeypatch.setattr(modp, "DENSE_SPAN", dense_span)
    monkeypatch.setattr(modp, "ELIMINATION_CHUNK", 5)
    rng = np.random.default_rng(p)
    for _ in range(3):
        rows = rng.integers(-3, 4, (40, 30)) * (rng.random((40, 30)) < 0.2)
        rows[10] = 2 * rows[3] - rows[7]  # dependent rows, and a repeat
        rows[25] = rows[12]
        span, taken = modp.ModPSpan(p), []
        for lo, hi, ncols in [(0, 12, 18), (12, 26, 24), (26, 40, 30)]:
            rows[lo:hi, ncols:] = 0  # the columns known when the batch comes
            r, c = np.nonzero(rows[lo:hi])
            found = span.add(r, c, rows[lo:hi][r, c], hi - lo, ncols)
            taken += [lo + i for i in found.tolist()]
        assert taken == greedy_rank_mod(rows, p)
        assert not span.residual(rows[[10, 25, 39]]).any()


def test_rref_mod_is_reduced_and_spans_the_rows():
    from lie_sim.algebra.modp import rref_mod

    rng = np.random.default_rng(3)
    m = rng.integers(0, 5, (9, 12)) * (rng.random((9, 12)) < 0.4)
    m[4] = (m[1] + 3 * m[2]) % 5
    taken, rref, pivots = rref_mod(m, 5)
    assert taken.tolist() == greedy_rank_mod(m, 5)
    np.testing.assert_array_equal(rref[:, pivots], np.eye(len(taken), dtype=np.int64))
    # every row of m is a combination of the RREF rows: its pivot entries give it
    np.testing.assert_array_equal((m[:, pivots] @ rref) % 5, m % 5)


def _irrational_chain(n: int) -> list[PauliSum]:
    """√2-weighted fields on an XX chain: the float path (``exact=False``)."""
    fields = [PauliSum.from_text(f"Z{i}") * math.sqrt(2) for i in range(n)]
    return [PauliSum.from_text(f"X{i} X{i + 1}") + fields[i] for i in range(n - 1)] + fields


@pytest.mark.parametrize("generators", [heisenberg_bonds(5), tfim(6), _irrational_chain(4)])
def test_closure_past_memory_stops_before_allocating(monkeypatch, generators):
    """Exact and float Pauli-sum paths: the next step's products are refused, with the
    dimension reached and the estimate, when memory is short (here: 1 kB available)."""
    from lie_sim.algebra import memory

    monkeypatch.setattr(memory, "available_memory", lambda: 1000)
    with pytest.raises(ClosureLimitError, match="before running out of memory") as info:
        lie_closure(generators)
    assert info.value.max_dim is None and info.value.estimated_bytes > 1000
    assert info.value.dim_reached >= 1
    monkeypatch.setattr(memory, "available_memory", lambda: None)  # unknown: no guard
    assert lie_closure(generators).dim == lie_closure(generators, max_dim=10**6).dim
