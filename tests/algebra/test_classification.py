"""Centre, simple ideals and type: literature families, a dense Killing-form reference, values.

The dense reference (``dense_algebra_type``) shares no code with lie_sim beyond building the
generator matrices: it closes the algebra with ``tests.reference.dense_lie_closure``, takes
structure constants from matrix traces, the centre from the kernel of the Killing form, and
the simple ideals from the commutant of ``ad`` on ``[g, g]`` (a random element of the
commutant is ``Σ_j c_j·P_j`` over the projections onto the ideals, so its eigenvalue clusters
are the ideals). Each ideal's dimension and rank give its family, and where those leave
``so(2m+1)`` and ``sp(m)`` open, the number of long roots decides (``2m(m−1)`` vs ``2m``).
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from lie_sim.algebra import adjoint_roots, classification, root_systems, weight_roots
from lie_sim.algebra.adjoint_roots import analyse_adjoint
from lie_sim.algebra.classification import (
    AlgebraDecomposition,
    AlgebraType,
    ClassificationError,
    SimpleIdeal,
    canonical_simple,
    classify_algebra,
    decompose,
    simple_dimension,
)
from lie_sim.algebra.closure import lie_closure
from lie_sim.catalog.architectures import FAMILIES, heisenberg_bonds, tfim, tfim_ring, xx_z_chain
from lie_sim.catalog.circuits.chains import tfim_hva
from lie_sim.pauli.paulis import PauliSum, PauliWord, lie_bracket
from tests.reference import dense_lie_closure
from tests.reference import pauli_coefficients as dense_coefficients

# --- Dense reference ----------------------------------------------------------------------


def dense_structure(mats: list[np.ndarray]) -> np.ndarray:
    """``f[a, b, c] = ⟨B_c, [B_a, B_b]⟩`` for a Frobenius-orthonormal anti-Hermitian basis."""
    d = len(mats)
    b = np.array(mats)
    vec = np.concatenate([b.real.reshape(d, -1), b.imag.reshape(d, -1)], axis=1)
    prod = np.einsum("aij,bjk->abik", b, b)
    comm = prod - prod.transpose(1, 0, 2, 3)
    flat = np.concatenate([comm.real.reshape(d, d, -1), comm.imag.reshape(d, d, -1)], axis=2)
    return flat @ vec.T


def dense_algebra_type(mats: list[np.ndarray], *, seed: int = 0, tol: float = 1e-8) -> AlgebraType:
    f = dense_structure(mats)
    d = len(f)
    killing = f.reshape(d, -1) @ f.transpose(0, 2, 1).reshape(d, -1).T  # Tr(ad_a ad_b)
    w, u = np.linalg.eigh(killing)
    s = u[:, np.abs(w) > tol * max(1.0, np.abs(w).max())]
    center_dim, ds = d - s.shape[1], s.shape[1]
    if ds == 0:
        return AlgebraType(center_dim=center_dim)
    fs = np.einsum("abc,ai,bj,ck->ijk", f, s, s, s, optimize=True)

    def ad(x):
        return np.einsum("a,abc->cb", x, fs)

    rng = np.random.default_rng(seed)
    lam, v = np.linalg.eigh(1j * ad(rng.standard_normal(ds)))
    kernel = np.abs(lam) < tol * np.abs(lam).max()
    y = v.conj().T @ ad(rng.standard_normal(ds)) @ v
    # Commutant of {ad_x, ad_y}: block diagonal in the eigenbasis of ad_x (an r×r block on the
    # kernel, scalars on the root vectors); solve [M, Y] = 0 for those unknowns.
    kidx, nidx = np.flatnonzero(kernel), np.flatnonzero(~kernel)
    unknowns = [(i, j) for i in kidx for j in kidx] + [(i, i) for i in nidx]
    rows, cols, vals = [], [], []
    for col, (i, j) in enumerate(unknowns):  # the column of E_ij Y - Y E_ij
        rows += [i * ds + np.arange(ds), np.arange(ds) * ds + j]
        cols += [np.full(ds, col)] * 2
        vals += [y[j, :], -y[:, i]]
    lmat = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(ds * ds, len(unknowns)),
    )
    gram = (lmat.conj().T @ lmat).toarray()
    ev, evec = np.linalg.eigh(gram)
    null = evec[:, ev < 1e-12 * ev.max()]
    m = null @ (rng.standard_normal(null.shape[1]) + 1j * rng.standard_normal(null.shape[1]))
    r = len(kidx)
    eig = np.concatenate([np.linalg.eigvals(m[: r * r].reshape(r, r)), m[r * r :]])
    in_torus = np.arange(len(eig)) < r
    simple, used = [], np.zeros(len(eig), dtype=bool)
    for i in range(len(eig)):
        if not used[i]:
            same = (np.abs(eig - eig[i]) < 1e-6 * np.abs(eig).max()) & ~used
            used |= same
            roots = v[:, nidx[same[r:]]]
            simple.append(_family(int(same.sum()), int((same & in_torus).sum()), roots, fs))
    assert len(simple) == null.shape[1]
    return AlgebraType(center_dim=center_dim, simple=tuple(simple))


def _family(dim: int, rank: int, roots: np.ndarray, fs: np.ndarray) -> tuple[str, int]:
    options = [("su", rank + 1), ("so", 2 * rank), ("so", 2 * rank + 1), ("sp", rank)]
    candidates = {
        canonical_simple(family, n)[0][0]
        for family, n in options
        if (family, n) != ("so", 2) and simple_dimension(family, n) == dim
    }
    if len(candidates) == 1:
        return candidates.pop()
    # so(2m+1) vs sp(m): |α| = |[a, b]|/|a|² for a root vector a + ib; count the long roots.
    a, b = roots.real, roots.imag
    brackets = np.einsum("ik,jk,ijl->lk", a, b, fs, optimize=True)
    length = np.linalg.norm(brackets, axis=0) / np.sum(a * a, axis=0)
    long = int((length > length.min() * 1.2).sum())  # counts roots and their negatives
    return ("so", 2 * rank + 1) if long == 2 * rank * (rank - 1) else ("sp", rank)


def dense_type_of(generators: list[str], n: int) -> AlgebraType:
    return dense_algebra_type(
        dense_lie_closure([PauliSum.from_text(g).to_matrix(n) for g in generators])
    )


# --- Generator families -------------------------------------------------------------------


def chain(n: int, *pairs: str) -> list[str]:
    """Translation-invariant 2-local terms ``A_i B_{i+1}`` on an open chain of n qubits."""
    return [f"{p[0]}{i} {p[1]}{i + 1}" for i in range(n - 1) for p in pairs]


XX_XZ = ("XX", "XZ")  # a_8 of arXiv 2309.05690
XY_XZ = ("XY", "XZ")  # a_9
XX_YZ = ("XX", "YZ")  # a_3
XX_YY_ZZ = ("XX", "YY", "ZZ")  # a_7


def heisenberg_type(n: int) -> AlgebraType:
    """{XX, YY, ZZ}: X^⊗n, Y^⊗n, Z^⊗n commute with every generator. For even n they commute
    with each other and split 2^n into four sectors of 2^(n-2); for odd n the first two
    anticommute and act irreducibly on a qubit factor."""
    if n % 2:
        return AlgebraType(simple=(("su", 2 ** (n - 1)),))
    return AlgebraType(simple=(("su", 2 ** (n - 2)),) * 4)


# {XX, YZ} on open chains: dense-checked below for n <= 5; larger n are regression values
# (dimensions agree with the closure; every root-system check passes).
XX_YZ_TYPES = {
    3: "sp(2)",
    4: "4·sp(2)",
    5: "sp(8)",
    6: "2·su(16)",
    7: "so(64)",
    8: "4·so(64)",
}


@pytest.mark.parametrize("n", range(2, 9))
def test_xx_z_is_so_2n(n):
    """{X_iX_{i+1}, Z_i} on an open chain: so(2n) (arXiv 2309.05690; free fermions)."""
    expected = AlgebraType(simple=(("so", 2 * n),))
    assert classify_algebra(lie_closure(xx_z_chain(n))) == expected


@pytest.mark.parametrize("n", range(3, 9))
def test_xx_xz_is_so_2n_minus_1(n):
    """{XX, XZ} (a_8) on an open chain: so(2n−1) (arXiv 2309.05690)."""
    assert classify_algebra(lie_closure(chain(n, *XX_XZ))) == AlgebraType(
        simple=(("so", 2 * n - 1),)
    )


@pytest.mark.parametrize("n", range(3, 9))
def test_xy_xz_is_sp(n):
    """{XY, XZ} (a_9) on an open chain: sp(2^(n−2)) (arXiv 2309.05690)."""
    expected = AlgebraType(simple=(("sp", 2 ** (n - 2)),))
    assert classify_algebra(lie_closure(chain(n, *XY_XZ))) == expected


@pytest.mark.parametrize("n", range(3, 9))
def test_heisenberg_xx_yy_zz(n):
    """{XX, YY, ZZ} (a_7): su(2^(n−1)) for odd n, 4·su(2^(n−2)) for even n (parity sectors)."""
    assert classify_algebra(lie_closure(chain(n, *XX_YY_ZZ))) == heisenberg_type(n)


@pytest.mark.parametrize("n", sorted(XX_YZ_TYPES))
def test_xx_yz_controlled_copies(n):
    """{XX, YZ} (a_3): several copies of one simple algebra for even n ("controlled copies")."""
    assert str(classify_algebra(lie_closure(chain(n, *XX_YZ)))) == XX_YZ_TYPES[n]


@pytest.mark.parametrize("n", range(3, 9))
def test_qaoa_ring(n):
    """QAOA on a ring {Σ Z_iZ_{i+1} (periodic), Σ X_i}: a 2-dimensional centre ⊕ (n−1)·su(2),
    dimension 3n − 1 (D'Alessandro and Isik, arXiv 2405.00898; Allcock et al., arXiv 2407.12587).
    """
    kind = classify_algebra(lie_closure(tfim_ring(n)))
    assert kind == AlgebraType(center_dim=2, simple=(("su", 2),) * (n - 1))
    assert kind.dim == 3 * n - 1


@pytest.mark.parametrize("n", range(2, 9))
def test_uniform_open_tfim_is_u_n(n):
    """Uniform TFIM {Σ ZZ, Σ X} on an open chain: dimension n² = dim u(n) = su(n) ⊕ u(1)
    (dense-checked for n ≤ 4 below)."""
    assert classify_algebra(lie_closure(tfim(n))) == AlgebraType(center_dim=1, simple=(("su", n),))


@pytest.mark.parametrize("n", [13, 14, 16, 20])
def test_uniform_open_tfim_beyond_float_conditioning(n):
    """su(n) ⊕ u(1) where the closure's integer basis has condition number ~1e17 (n = 16):
    the adjoint path works in its exact echelon basis (rows of 0s and 1s), not in floats
    orthonormalised from nested commutators (dimension n², Wiersema et al., PRX Quantum 1,
    020319 (2020))."""
    dla = lie_closure(tfim(n))
    assert dla.dim == n * n
    assert classify_algebra(dla) == AlgebraType(center_dim=1, simple=(("su", n),))


@pytest.mark.slow
@pytest.mark.parametrize("n", [24, 32])
def test_uniform_open_tfim_beyond_float_conditioning_large(n):
    """As above at dimensions 576 and 1024 (coefficients up to 7e16 at n = 32)."""
    assert classify_algebra(lie_closure(tfim(n))) == AlgebraType(center_dim=1, simple=(("su", n),))


def test_tfim_hva_circuit_decomposes_at_16_qubits():
    """The TFIM Hamiltonian-variational ansatz (two layers, tied angles) at n = 16: the
    decomposition is orthonormal, su(16) ⊕ u(1), and its centre commutes with the generators."""
    dla = lie_closure(tfim_hva(16, 2))
    dec = decompose(dla)
    assert dec.algebra_type == AlgebraType(center_dim=1, simple=(("su", 16),))
    assert [ideal.dim for ideal in dec.ideals] == [255] and len(dec.center) == 1
    parts = list(dec.center) + list(dec.ideals[0].basis)
    words = sorted({w for b in parts for w in b.words}, key=lambda w: (w.x, w.z))
    column = {w: j for j, w in enumerate(words)}
    m = np.zeros((len(parts), len(words)))
    for i, b in enumerate(parts):
        for w, c in b.terms:
            m[i, column[w]] = float(c)
    np.testing.assert_allclose(m @ m.T, np.eye(len(parts)), atol=1e-9)
    for g in dla.generators:
        bracket = lie_bracket(g, dec.center[0])
        assert max((abs(complex(c)) for c in bracket.coefficients), default=0.0) < 1e-9


def test_adjoint_path_rejects_a_frame_that_is_not_closed(monkeypatch):
    """Orthonormalising the closure's own basis at n = 16 (κ ≈ 1e17) loses the span: the frame
    check says so instead of a Cartan-integer failure further on."""
    monkeypatch.setattr(adjoint_roots, "conditioned_basis", lambda dla, basis: basis)
    with pytest.raises(root_systems.Inconsistent, match="not closed under brackets"):
        analyse_adjoint(lie_closure(tfim(16)), np.random.default_rng(0))


def test_adjoint_path_centre_from_a_degenerate_pair():
    """Two equal "random" elements: their common centraliser is far larger than the centre,
    and the generators cut it down to the u(1) of the uniform TFIM."""

    class EqualPair:
        def __init__(self):
            self.rng = np.random.default_rng(0)

        def standard_normal(self, shape):
            out = self.rng.standard_normal(shape)
            if isinstance(shape, tuple) and len(shape) == 2:
                out[:] = out[:, :1]
            return out

    kind = analyse_adjoint(lie_closure(tfim(6)), EqualPair()).algebra_type
    assert kind == AlgebraType(center_dim=1, simple=(("su", 6),))


def test_so_128_at_64_qubits():
    """The issue's scale target: so(128) (8,128 elements) in well under a minute."""
    assert str(classify_algebra(lie_closure(xx_z_chain(64)))) == "so(128)"


# --- Heisenberg exchange with one generator per bond (Pauli sums, the weight path) ----------


def spin_multiplicities(n: int) -> list[int]:
    """Multiplicity of each total spin S = n/2 − k on n spins-1/2: C(n, k) − C(n, k − 1)."""
    return [math.comb(n, k) - (math.comb(n, k - 1) if k else 0) for k in range(n // 2 + 1)]


def heisenberg_bonds_type(n: int) -> AlgebraType:
    """⊕_S su(m_S) ⊕ u(1) over the total-spin sectors S with multiplicity m_S ≥ 2.

    Each bond's X X + Y Y + Z Z = 2·SWAP − 1 commutes with the total spin, so the DLA lies in
    ⊕_S u(m_S) ⊗ 1 (Schur–Weyl duality: the spin-S sector is an irreducible S_n module of
    dimension m_S tensored with the spin-S irrep). The bonds are conjugate under qubit
    permutations, which fix each sector, so they have equal traces on each sector and only one
    central direction survives in the algebra; up to that, nearest-neighbour exchange generates
    every SU(2)-invariant unitary on qubits (Marvian, Nat. Phys. 18, 283 (2022); Marvian, Liu,
    Hulse, arXiv 2105.12877). Sector sizes for n = 8: 1, 7, 20, 28, 14.
    """
    return AlgebraType(center_dim=1, simple=tuple(("su", m) for m in spin_multiplicities(n)))


@pytest.mark.parametrize("n", range(2, 8))
def test_heisenberg_bonds(n):
    kind = classify_algebra(lie_closure(heisenberg_bonds(n)))
    assert kind == heisenberg_bonds_type(n)
    assert kind.dim == FAMILIES["heisenberg_bonds"].dimension(n)


@pytest.mark.slow
def test_heisenberg_bonds_n8():
    """The catalog's largest size: su(28) ⊕ su(20) ⊕ su(14) ⊕ su(7) ⊕ u(1), dimension 1426."""
    kind = classify_algebra(lie_closure(heisenberg_bonds(8)))
    assert kind == AlgebraType.from_text("su(28) ⊕ su(20) ⊕ su(14) ⊕ su(7) ⊕ u(1)")
    assert kind == heisenberg_bonds_type(8) and kind.dim == 1426


def test_heisenberg_bonds_decomposition():
    dla = lie_closure(heisenberg_bonds(5))
    dec = decompose(dla)
    check_decomposition(dla, dec)
    assert str(dec.algebra_type) == "su(4) ⊕ su(5) ⊕ u(1)"


# --- Against the dense reference ----------------------------------------------------------

DENSE_CASES = [
    (chain(3, *XX_XZ), 3),
    (chain(4, *XX_XZ), 4),
    (chain(3, *XY_XZ), 3),
    (chain(4, *XY_XZ), 4),
    (chain(3, *XX_YZ), 3),
    (chain(4, *XX_YZ), 4),
    (chain(3, *XX_YY_ZZ), 3),
    (chain(4, *XX_YY_ZZ), 4),
    (chain(4, "XX", "YY"), 4),
    ([str(g) for g in xx_z_chain(4)], 4),
    ([str(g) for g in tfim_ring(4)], 4),
    ([str(g) for g in tfim(3)], 3),
    ([str(g) for g in tfim(4)], 4),
    (["X0 X1 + 1/2 Y0 Y1", "Z0 + 3 Z1", "X1 X2"], 3),
    (["X0 + 0.7071067811865476 Z0 Z1", "Y1", "X1 X2 + Z2"], 3),  # exact, coefficients ~1e15
    ([str(g) for g in heisenberg_bonds(4)], 4),
]


@pytest.mark.parametrize("generators, n", DENSE_CASES)
def test_matches_dense_reference(generators, n):
    assert classify_algebra(lie_closure(generators)) == dense_type_of(generators, n)


@pytest.mark.slow
@pytest.mark.parametrize(
    "generators, n",
    [(chain(5, *XX_YZ), 5), (chain(5, *XY_XZ), 5), (chain(5, *XX_YY_ZZ), 5), (chain(5, *XX_XZ), 5)]
    + [([str(g) for g in tfim(5)], 5), ([str(g) for g in tfim_ring(5)], 5)]
    + [([str(g) for g in heisenberg_bonds(5)], 5)],
)
def test_matches_dense_reference_n5(generators, n):
    assert classify_algebra(lie_closure(generators)) == dense_type_of(generators, n)


def random_strings(rng: np.random.Generator, n: int, count: int) -> list[str]:
    out = set()
    while len(out) < count:
        letters = rng.integers(0, 4, size=n)
        if letters.any():
            out.add("".join("IXYZ"[c] for c in letters))
    return sorted(out)


@pytest.mark.parametrize("seed", range(24))
def test_random_pauli_sets_match_dense(seed):
    """Seeded random sets of 2–4 Pauli strings on 3 or 4 qubits (dimension ≤ 100)."""
    rng = np.random.default_rng(seed)
    n = 3 if seed % 3 else 4
    generators = random_strings(rng, n, int(rng.integers(2, 5)))
    dla = lie_closure(generators)
    if dla.dim > 100:
        pytest.skip(f"dimension {dla.dim} is slow for the dense reference")
    assert classify_algebra(dla) == dense_type_of(generators, n)


@pytest.mark.parametrize("seed", range(6))
def test_random_pauli_sums_match_dense(seed):
    """Random real Pauli sums (the Pauli-sum path) against the dense reference."""
    rng = np.random.default_rng(100 + seed)
    n = 3
    generators = []
    for _ in range(2):
        words = random_strings(rng, n, 2)
        coefs = rng.integers(1, 4, size=len(words))
        generators.append(" + ".join(f"{c} {w}" for c, w in zip(coefs, words, strict=True)))
    dla = lie_closure(generators)
    if dla.dim > 100:
        pytest.skip(f"dimension {dla.dim} is slow for the dense reference")
    assert classify_algebra(dla) == dense_type_of(generators, n)


# --- Pauli-sum path against the Pauli-string path -----------------------------------------


def rotated(dla, seed: int):
    """The same algebra, closed from its basis mixed by a random orthogonal matrix (Pauli sums
    with irrational coefficients, so the float path)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((dla.dim, dla.dim)))
    words = [b.words[0] for b in dla.basis]
    return lie_closure([PauliSum.from_terms(zip(words, row, strict=True)) for row in q])


@pytest.mark.parametrize(
    "generators",
    [xx_z_chain(4), chain(4, *XX_YZ), chain(4, *XY_XZ), chain(3, *XX_YY_ZZ), chain(4, *XX_XZ)],
    ids=["so8", "4sp2", "sp4", "su4", "so7"],
)
def test_sum_path_agrees_with_string_path(generators):
    dla = lie_closure(generators)
    mixed = rotated(dla, 1)
    assert dla.is_pauli_string_basis and not mixed.is_pauli_string_basis and not mixed.exact
    assert classify_algebra(mixed) == classify_algebra(dla)


@pytest.mark.parametrize(
    "analyse", [weight_roots.analyse_weights, analyse_adjoint], ids=["weights", "adjoint"]
)
@pytest.mark.parametrize(
    "generators",
    [chain(4, *XX_YZ), chain(4, *XY_XZ), chain(3, *XX_YY_ZZ), chain(4, *XX_XZ), xx_z_chain(4)],
    ids=["4sp2", "sp4", "su4", "so7", "so8"],
)
def test_each_sum_path_agrees_with_string_path(analyse, generators):
    """Both Pauli-sum paths, whichever the size picks, on rotated bases of known algebras."""
    dla = lie_closure(generators)
    kind = analyse(rotated(dla, 2), np.random.default_rng(0)).algebra_type
    assert kind == classify_algebra(dla)


def test_weight_path_compacts_far_apart_qubits():
    """An algebra on qubits 0, 30 and 70 (two mask words) is classified on 2^3 dimensions."""
    far = {0: 0, 1: 30, 2: 70}
    moved = [
        PauliSum.from_terms(
            (PauliWord(*(sum(1 << far[q] for q in range(3) if m >> q & 1) for m in (w.x, w.z))), c)
            for w, c in g.terms
        )
        for g in tfim(3)
    ]
    dla = lie_closure(moved)
    assert dla.num_qubits == 71 and not dla.is_pauli_string_basis
    dec = decompose(dla)
    assert dec.algebra_type == classify_algebra(lie_closure(tfim(3))) == classify_algebra(dla)
    parts = dec.center + dec.derived
    assert len(parts) == dla.dim
    assert {q for b in parts for w in b.words for q in w.support} <= {0, 30, 70}


def test_weight_path_rejects_a_singular_element():
    """x = one bond's exchange (two eigenvalues) has a non-abelian centraliser: retried."""

    class FirstBasisElement:
        def standard_normal(self, shape):
            out = np.random.default_rng(0).standard_normal(shape)
            out[:, 0] = 0
            out[0, 0] = 1
            return out

    dla = lie_closure(heisenberg_bonds(4))
    with pytest.raises(root_systems.Inconsistent, match="not regular"):
        weight_roots.analyse_weights(dla, FirstBasisElement())


def test_adjoint_path_takes_over_when_weights_fail(monkeypatch):
    calls = []

    def failing(dla, rng):
        calls.append(rng)
        raise root_systems.Inconsistent("forced")

    monkeypatch.setattr(classification, "analyse_weights", failing)
    assert str(classify_algebra(lie_closure(heisenberg_bonds(4)))) == "su(2) ⊕ su(3) ⊕ u(1)"
    assert len(calls) == 4
    monkeypatch.setattr(classification, "analyse_adjoint", failing)
    with pytest.raises(ClassificationError, match="failed its checks 8 times \\(last: forced\\)"):
        classify_algebra(lie_closure(heisenberg_bonds(4)))


# --- decompose ----------------------------------------------------------------------------


def coefficients(sums, n) -> np.ndarray:
    """Real Pauli-coefficient vectors of Pauli sums, read back from their dense matrices."""
    return dense_coefficients(np.array([s.to_matrix(n) for s in sums]))


def bracket_coefficients(xs, ys, n) -> np.ndarray:
    """The Pauli-coefficient vectors of i[X, Y] (so [iX, iY] = i·(i[X, Y])) for every pair x, y."""
    a = np.array([x.to_matrix(n) for x in xs])[:, None]
    b = np.array([y.to_matrix(n) for y in ys])[None, :]
    return dense_coefficients(1j * (a @ b - b @ a))


def norms(sums) -> np.ndarray:
    return np.array([np.linalg.norm([complex(c) for c in s.coefficients]) for s in sums])


def check_decomposition(dla, dec: AlgebraDecomposition):
    """Every check relative to the sizes of what is compared: the exact path's basis elements
    have integer coefficients that grow with the nesting depth."""
    n = dla.num_qubits
    parts = [list(dec.center)] + [list(i.basis) for i in dec.ideals]
    everything = [b for part in parts for b in part]
    assert len(everything) == dla.dim == dec.dim
    # Orthonormal in Tr(AB)/2^n, which equals Σ_P a_P b_P.
    m = coefficients(everything, n)
    np.testing.assert_allclose(m @ m.T, np.eye(len(everything)), atol=1e-9)
    # The span is the algebra: dla.basis is independent and contains every element.
    u, s, _ = np.linalg.svd(coefficients(dla.basis, n).T, full_matrices=False)
    assert s.min() > 1e-9 * s.max(), s
    assert np.abs(m - (m @ u) @ u.T).max() < 1e-9
    # Centre commutes with everything; ideals are ideals and commute with each other.
    basis, scale = list(dla.basis), norms(dla.basis)
    if dec.center:
        brackets = bracket_coefficients(dec.center, basis, n)
        assert (np.linalg.norm(brackets, axis=2) <= 1e-9 * scale[None, :]).all()
    for j, ideal in enumerate(dec.ideals):
        proj = coefficients(ideal.basis, n)  # orthonormal rows
        brackets = bracket_coefficients(basis[:8], ideal.basis[:8], n)
        outside = brackets - (brackets @ proj.T) @ proj
        assert (np.linalg.norm(outside, axis=2) <= 1e-9 * scale[:8, None]).all()
        for other in dec.ideals[j + 1 :]:
            brackets = bracket_coefficients(ideal.basis[:6], other.basis[:6], n)
            assert np.abs(brackets).max() < 1e-9  # orthonormal bases: unit scale
        assert ideal.dim == simple_dimension(ideal.family, ideal.n)


@pytest.mark.parametrize(
    "generators",
    [
        xx_z_chain(3),
        chain(4, *XX_YZ),
        chain(4, *XX_YY_ZZ),
        tfim_ring(4),
        tfim(4),
        ["X0 X1", "Z0", "Z1"],
        ["X0 + Z0", "Y1"],
        ["Z0 Z1", "X0", "Z2"],
    ],
    ids=["so6", "4sp2", "4su4", "ring", "tfim", "so4", "sums", "centre"],
)
def test_decompose_contract(generators):
    dla = lie_closure(generators)
    dec = decompose(dla)
    check_decomposition(dla, dec)
    assert dec.algebra_type == classify_algebra(dla)
    assert [(i.family, i.n) for i in dec.ideals] == list(dec.algebra_type.simple)
    assert len(dec.derived) == dla.dim - len(dec.center)


def test_decompose_rotated_basis():
    dla = rotated(lie_closure(chain(4, *XX_YZ)), 3)
    check_decomposition(dla, decompose(dla))


def test_controlled_copies_are_not_spanned_by_strings():
    """{XX, YZ} at n = 4 is 4·sp(2) with 40 strings, but no ideal is a span of strings."""
    dec = decompose(lie_closure(chain(4, *XX_YZ)))
    assert str(dec.algebra_type) == "4·sp(2)"
    assert all(max(len(b) for b in ideal.basis) > 1 for ideal in dec.ideals)


def test_simple_string_ideal_gets_unit_strings():
    dla = lie_closure(xx_z_chain(5))
    (ideal,) = decompose(dla).ideals
    assert all(len(b) == 1 and b.coefficients == (1,) for b in ideal.basis)
    assert {b.words[0] for b in ideal.basis} == {b.words[0] for b in dla.basis}
    assert repr(ideal) == "<SimpleIdeal so(10) dim=45>"


def test_centre_of_string_algebra_is_strings():
    dec = decompose(lie_closure(["Z0 Z1", "X0", "Z2", "Z3 Z4", "X3 X4"]))
    assert [str(z) for z in dec.center] == ["Z2", "X3 X4", "Z3 Z4"]
    assert repr(dec) == "<AlgebraDecomposition su(2) ⊕ u(1)^3 dim=6>"


# --- Errors and values -------------------------------------------------------------------


def test_classify_rejects_non_algebra():
    with pytest.raises(TypeError, match="Expected a DynamicalLieAlgebra"):
        classify_algebra(["X0", "Z0"])
    with pytest.raises(TypeError, match="Expected a DynamicalLieAlgebra"):
        decompose("X0 X1")


def test_failed_checks_raise_classification_error(monkeypatch):
    def inconsistent(*args):
        raise root_systems.Inconsistent("forced")

    monkeypatch.setattr(root_systems, "root_components", inconsistent)
    with pytest.raises(ClassificationError, match="failed its checks 4 times \\(last: forced\\)"):
        classify_algebra(lie_closure(["X0", "Y0"]))


def test_simple_ideal_value():
    ideal = SimpleIdeal("su", 2, (PauliSum(((PauliWord(1, 0), 1),)),))
    assert (ideal.name, ideal.dim) == ("su(2)", 1)
