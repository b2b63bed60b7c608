"""Structure constants and adjoint matrices: exact brackets, dense brute force, identities."""

import dataclasses
import itertools
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp

from lie_sim.algebra import structure
from lie_sim.algebra.classification import classify_algebra
from lie_sim.algebra.closure import lie_closure
from lie_sim.algebra.structure import (
    StructureConstants,
    adjoint_matrices,
    basis_matrix,
    rational_row_basis,
    structure_constants,
)
from lie_sim.catalog.architectures import full_su_chain, tfim, tfim_ring, xx_z_chain
from lie_sim.pauli.paulis import PauliSum, lie_bracket, pack_ints
from tests.reference import pauli_coefficients


def chain(n, *pairs):
    return [f"{p[0]}{i} {p[1]}{i + 1}" for i in range(n - 1) for p in pairs]


STRING_ALGEBRAS = {
    "so10": xx_z_chain(5),
    "4sp2": chain(4, "XX", "YZ"),
    "su8": full_su_chain(3),
    "4su4": chain(4, "XX", "YY", "ZZ"),
    "abelian": ["Z0", "Z1 Z2"],
}
SUM_ALGEBRAS = {
    "tfim6": tfim(6),
    "ring5": tfim_ring(5),
    "mixed": ["X0 X1 + 1/2 Y0 Y1", "Z0 + 3 Z1", "X1 X2"],
    "huge": ["X0 + 0.7071067811865476 Z0 Z1", "Y1", "X1 X2 + Z2"],  # exact: 2.5e15, 1.77e15
    "float": [
        PauliSum.from_text("X0") + PauliSum.from_text("Z0 Z1") * 2**-0.5,
        PauliSum.from_text("Y1"),
        PauliSum.from_text("X1 X2 + Z2"),
    ],
}


def combination(dla, coords) -> PauliSum:
    return PauliSum.from_terms(
        (w, c * x) for b, x in zip(dla.basis, coords, strict=True) if x for w, c in b.terms
    )


def coords_of(f: StructureConstants, a: int, b: int) -> np.ndarray:
    pick = (f.a == a) & (f.b == b)
    out = np.zeros(f.dim, dtype=f.values.dtype)
    out[f.c[pick]] = f.values[pick]
    return out


@pytest.mark.parametrize("name", sorted(STRING_ALGEBRAS))
def test_string_constants_reproduce_brackets_exactly(name):
    dla = lie_closure(STRING_ALGEBRAS[name])
    f = structure_constants(dla)
    assert f.exact and f.values.dtype == np.int64
    assert set(np.unique(f.values).tolist()) <= {-2, 2}
    rng = np.random.default_rng(0)
    pairs = rng.integers(dla.dim, size=(150, 2))
    for a, b in pairs:
        assert combination(dla, coords_of(f, a, b)) == lie_bracket(dla.basis[a], dla.basis[b])


@pytest.mark.parametrize("name", sorted(SUM_ALGEBRAS))
def test_sum_constants_reproduce_brackets(name):
    dla = lie_closure(SUM_ALGEBRAS[name])
    assert not dla.is_pauli_string_basis
    f = structure_constants(dla)
    assert not f.exact
    rng = np.random.default_rng(1)
    for a, b in rng.integers(dla.dim, size=(60, 2)):
        expected = lie_bracket(dla.basis[a], dla.basis[b])
        diff = expected - combination(dla, coords_of(f, a, b))
        scale = max((abs(float(c)) for c in expected.coefficients), default=1.0)
        assert max((abs(float(c)) for c in diff.coefficients), default=0.0) <= 1e-9 * scale


def dense_constants(dla) -> np.ndarray:
    """``f[a, b, c]`` from matrices: ``[iB_a, iB_b] = Σ_c f_abc iB_c`` in the real space of
    Pauli coefficients (``tests.reference``), solved exactly on the basis' coefficient rows."""
    n = dla.num_qubits
    mats = np.array([b.to_matrix(n) for b in dla.basis])
    comm = np.einsum("aij,bjk->abik", mats, mats)
    comm = comm - comm.transpose(1, 0, 2, 3)
    # [iA, iB] = i·C with C = i[A, B], a Hermitian matrix: expand it in Pauli strings.
    target = pauli_coefficients(1j * comm).reshape(dla.dim * dla.dim, -1)
    basis = pauli_coefficients(mats)
    sol, *_ = np.linalg.lstsq(basis.T, target.T, rcond=None)
    residual = np.abs(basis.T @ sol - target.T).max()
    assert residual <= 1e-12 * max(1.0, np.abs(target).max()), "a bracket left the span"
    return sol.T.reshape(dla.dim, dla.dim, dla.dim)


@pytest.mark.parametrize(
    "generators", [xx_z_chain(3), chain(3, "XY", "XZ"), tfim(3), ["X0 + Z1", "Y0 Y1"]]
)
def test_matches_dense_brute_force(generators):
    dla = lie_closure(generators)
    expected = dense_constants(dla)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(structure_constants(dla).to_dense(), expected, atol=1e-9 * scale)


@pytest.mark.parametrize("name", ["so10", "4sp2", "tfim6", "mixed"])
def test_antisymmetry_and_jacobi(name):
    generators = {**STRING_ALGEBRAS, **SUM_ALGEBRAS}[name]
    dla = lie_closure(generators)
    f = structure_constants(dla)
    dense = f.to_dense()
    np.testing.assert_array_equal(dense, -dense.transpose(1, 0, 2))
    # Jacobi: ad_[x, y] = [ad_x, ad_y] for random elements x, y.
    rng = np.random.default_rng(2)
    for _ in range(5):
        x, y = rng.standard_normal((2, f.dim))
        lhs = f.adjoint(f.bracket(x, y)).toarray()
        ax, ay = f.adjoint(x).toarray(), f.adjoint(y).toarray()
        np.testing.assert_allclose(lhs, ax @ ay - ay @ ax, atol=1e-8 * np.abs(lhs).max())
    # Jacobi on basis triples, exactly for the integer constants.
    for a, b, c in itertools.islice(itertools.combinations(range(f.dim), 3), 0, 400, 7):
        total = (
            np.einsum("d,de->e", dense[b, c], dense[a])
            + np.einsum("d,de->e", dense[c, a], dense[b])
            + np.einsum("d,de->e", dense[a, b], dense[c])
        )
        np.testing.assert_allclose(total, 0, atol=1e-8)


def test_orthonormal_string_basis_is_totally_antisymmetric():
    """For an orthonormal basis, invariance of the trace form makes f_abc = -f_acb."""
    dense = structure_constants(lie_closure(full_su_chain(2))).to_dense()
    np.testing.assert_array_equal(dense, -dense.transpose(0, 2, 1))


def test_adjoint_matrices():
    dla = lie_closure(chain(4, "XX", "YZ"))
    f = structure_constants(dla)
    ads = adjoint_matrices(dla)
    assert len(ads) == dla.dim and all(isinstance(m, sp.csr_array) for m in ads)
    dense = f.to_dense()
    for a in (0, 7, dla.dim - 1):
        np.testing.assert_array_equal(ads[a].toarray(), dense[a].T)  # ad_a[c, b] = f_abc
        np.testing.assert_array_equal(ads[a].toarray(), f.adjoint(np.eye(f.dim)[a]).toarray())
        np.testing.assert_array_equal(ads[a].toarray(), -ads[a].toarray().T)
    x = np.arange(f.dim, dtype=float)
    y = np.cos(np.arange(f.dim))
    np.testing.assert_allclose(f.bracket(x, y), f.adjoint(x) @ y)


def test_so_128_is_sparse_and_fast():
    """so(128) from {X_iX_{i+1}, Z_i} at n = 64: Majorana pairs γ_iγ_j anticommute with the
    2·126 pairs sharing exactly one index, so nnz = 8128·252 (a dense tensor has 5·10^11)."""
    f = structure_constants(lie_closure(xx_z_chain(64)))
    assert (f.dim, f.nnz, f.exact) == (8128, 8128 * 252, True)
    assert repr(f) == "<StructureConstants dim=8128 nnz=2048256 int64>"
    with pytest.raises(ValueError, match="dense structure tensor of dimension 8128"):
        f.to_dense()


def test_arrays_are_read_only():
    f = structure_constants(lie_closure(["X0", "Y0"]))
    with pytest.raises(ValueError, match="read-only"):
        f.values[0] = 5


# --- Errors -------------------------------------------------------------------------------


def subset(dla, elements):
    return dataclasses.replace(dla, packed=dla.packed.select(np.array(elements)))


def test_rejects_non_algebra():
    with pytest.raises(TypeError, match="takes a DynamicalLieAlgebra, got list"):
        structure_constants(["X0", "Y0"])


def test_string_basis_not_closed():
    dla = subset(lie_closure(["X0", "Y0"]), [0, 1])
    with pytest.raises(ValueError, match="not closed: the bracket of elements 0 and 1"):
        structure_constants(dla)


def test_string_basis_repeated():
    dla = subset(lie_closure(["X0", "Y0"]), [0, 0, 1, 2])
    with pytest.raises(ValueError, match="repeats a Pauli string"):
        structure_constants(dla)


def test_sum_basis_not_closed():
    dla = subset(lie_closure(tfim(3)), [0, 1])
    with pytest.raises(ValueError, match="not closed"):
        structure_constants(dla)


def test_sum_basis_dependent():
    dla = subset(lie_closure(tfim(3)), [0, 1, 1])
    with pytest.raises(ValueError, match="linearly dependent"):
        structure_constants(dla)


def test_adjoint_shape_error():
    f = structure_constants(lie_closure(["X0", "Y0"]))
    with pytest.raises(ValueError, match=r"coords must have shape \(3,\), got \(2,\)"):
        f.adjoint([1.0, 2.0])


# --- The exact echelon basis of the classification paths ----------------------------------


def fraction_rows(rows: sp.csr_array) -> list[dict[int, Fraction]]:
    """Float echelon rows as exact fractions (every entry has a denominator ≤ 2^15)."""
    out = []
    for lo, hi in itertools.pairwise(rows.indptr.tolist()):
        entries = zip(rows.indices[lo:hi].tolist(), rows.data[lo:hi].tolist(), strict=True)
        out.append({j: Fraction(v).limit_denominator(1 << 15) for j, v in entries})
    return out


def assert_spans_exactly(dla, rows: sp.csr_array) -> None:
    """Over the rationals: ``rows`` has an identity block, as many rows as ``dla`` has elements,
    and every basis element (integer coefficients) is the combination its pivots dictate."""
    _, index, sx, sz = basis_matrix(dla.packed)
    echelon = fraction_rows(rows)
    used = Counter(j for row in echelon for j in row)
    pivots = [next(j for j, v in row.items() if v == 1 and used[j] == 1) for row in echelon]
    assert len(echelon) == dla.dim
    for element in dla.basis:
        words = element.words
        cols = index.find(
            pack_ints([w.x for w in words], sx.shape[1]),
            pack_ints([w.z for w in words], sx.shape[1]),
        )
        b = dict(zip(cols.tolist(), (Fraction(int(c)) for c in element.coefficients), strict=True))
        combination: Counter = Counter()
        for pivot, row in zip(pivots, echelon, strict=True):
            for j, v in row.items():
                combination[j] += b.get(pivot, 0) * v
        assert {j: v for j, v in combination.items() if v} == b


EXACT_SUMS = {k: v for k, v in SUM_ALGEBRAS.items() if k != "float"}
EXACT_SUMS["fractions"] = ["X0 + 2 Z0 Z1", "Y1 + 3 X0 X1"]  # entries -6, -2, -1/2, -1/3, 1/6, ...


@pytest.mark.parametrize("name", sorted(EXACT_SUMS))
def test_rational_row_basis_spans_the_basis_exactly(name):
    dla = lie_closure(EXACT_SUMS[name])
    rows = rational_row_basis(dla.packed)
    assert rows is not None and rows.shape == basis_matrix(dla.packed)[0].shape
    assert_spans_exactly(dla, rows)


@pytest.mark.parametrize("n", [16, 24])
def test_rational_row_basis_of_uniform_tfim_is_zero_one(n):
    """Nested commutators with coefficients up to 1.5e12 (n = 24), condition number ~1e17
    (n = 16); their echelon rows are 0/1 vectors (both regimes of the modular span)."""
    dla = lie_closure(tfim(n))
    rows = rational_row_basis(dla.packed)
    assert rows.shape == (n * n, n * (2 * n - 1)) and set(rows.data.tolist()) == {1.0}
    assert np.all(np.diff(rows.indptr) >= 1) and len(np.unique(rows.indices)) == rows.shape[1]


def test_rational_row_basis_declines_what_it_cannot_prove():
    assert rational_row_basis(lie_closure(SUM_ALGEBRAS["float"]).packed) is None
    large = lie_closure(["X0 + 70001 Z0"])  # echelon entry 70001 (or 1/70001): beyond 2^15
    assert large.exact and rational_row_basis(large.packed) is None
    assert str(classify_algebra(large)) == "u(1)"


def test_rational_row_basis_rejects_wrong_fractions(monkeypatch):
    """Every entry off by one: the modular check of B = B[:, pivots]·R fails, so no basis."""
    right = structure._reconstructed

    def off_by_one(residue, prime):
        a, b = right(residue, prime)
        return (a + b, b) if a not in (0, b) else (a, b)

    monkeypatch.setattr(structure, "_reconstructed", off_by_one)
    assert rational_row_basis(lie_closure(EXACT_SUMS["fractions"]).packed) is None


# --- Against PennyLane (optional) ---------------------------------------------------------


def test_matches_pennylane():
    qml = pytest.importorskip("pennylane")
    dla = lie_closure(chain(4, "XY", "XZ"))
    sentences = []
    for b in dla.basis:
        sentences.append(
            qml.pauli.PauliSentence(
                {
                    qml.pauli.PauliWord({q: w.letter(q) for q in w.support}): float(c)
                    for w, c in b.terms
                }
            )
        )
    peer = np.asarray(qml.structure_constants(sentences, pauli=True))  # [c, a, b]
    np.testing.assert_allclose(structure_constants(dla).to_dense(), peer.transpose(1, 2, 0))
