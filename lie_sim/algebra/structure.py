"""Structure constants and adjoint matrices of a dynamical Lie algebra, as sparse data.

For the basis ``{i·b_a}`` of a :class:`~lie_sim.algebra.closure.DynamicalLieAlgebra`
(``b_a`` Hermitian Pauli sums), the structure constants ``f_abc`` are defined by

    [i·b_a, i·b_b] = Σ_c f_abc · i·b_c,

and the adjoint matrix of ``i·b_a`` is ``(ad_a)[c, b] = f_abc``: it maps the coordinates of an
element to those of its bracket with ``i·b_a``. Only the non-zero ``f_abc`` are stored, so a
Pauli-string algebra of dimension ``d`` costs ``O(#anticommuting pairs)`` memory, not ``d³``.

Two paths:

* **Pauli-string basis** (one term per element): ``[iP, iQ] = 2(k-2)·i·R`` for anticommuting
  ``P, Q`` with ``PQ = i^k R``, so every non-zero constant is ``±2`` (times the ratio of the
  coefficients when they are not ``±1``). All pairs are tested at once on bit-packed arrays,
  and ``c`` is found by a binary search of ``R``'s key among the sorted basis keys.
* **Pauli-sum basis**: brackets of all term pairs are formed the same way and accumulated per
  element pair; the coordinates are then the least-squares solution in the basis (thin QR of the
  coefficient matrix, which stays accurate for the badly conditioned integer bases of exact
  closures). The constants are float64, and each bracket is
  checked to lie in the span. Accuracy: the bracket rebuilt from the constants,
  ``Σ_c f_abc b_c``, is off by about ``1e-16·cond(B)`` relative to ``[b_a, b_b]``, where ``B``
  is the basis coefficient matrix. Exact closures can be badly conditioned: for the uniform
  TFIM (coefficients up to 2e5 at n = 12, 1.5e12 at n = 24) the error is ~1e-11 at n = 8
  and ~1e-7 at n = 12. The cost grows with the number of term pairs, ``O((Σ_a |b_a|)²)``.

The classification paths (:mod:`lie_sim.algebra.classification`) need the span of a Pauli-sum
basis, not its elements: :func:`rational_row_basis` gives it exactly, as the reduced
row-echelon form over the rationals (modular elimination, rational reconstruction, and a
multi-modular proof that it spans the basis), whose rows are conditioned like their small
entries.

References:
    Goh et al., *Lie-algebraic classical simulations for variational quantum computing*,
    arXiv 2308.01432 (the adjoint representation used by g-sim).
    von zur Gathen and Gerhard, *Modern Computer Algebra*, §5.10 (rational reconstruction)
    and §5.5 (the Chinese remainder bound behind a multi-modular proof).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.modp import ModPSpan, sparse_matmul_mod
from lie_sim.pauli.paulis import anticommute, product_phase, row_keys

DEFAULT_RTOL = 1e-8
_CLOSED_RTOL = 1e-3  # relative residual of a bracket that counts as outside the span
_PAIR_CHUNK = 1 << 21  # string pairs tested per vectorised step
_DENSE_LIMIT = 1 << 27  # entries of the largest dense tensor to_dense will build


@dataclasses.dataclass(frozen=True, eq=False)
class StructureConstants:
    """The non-zero structure constants ``f_abc`` of a basis, in coordinate (COO) form.

    Entry ``t`` says ``f[a[t], b[t], c[t]] = values[t]``. Both orders ``(a, b)`` and ``(b, a)``
    are stored (``f_bac = -f_abc``); entries are sorted by ``(a, b, c)`` and distinct. The
    arrays are read-only, so instances are immutable; they compare by identity.

    Attributes:
        dim: dimension of the algebra.
        a, b, c: int64 index arrays.
        values: int64 for a Pauli-string basis with coefficients ``±1`` (then :attr:`exact`),
            float64 otherwise.

    Example:
        >>> from lie_sim import lie_closure
        >>> f = structure_constants(lie_closure(["X0", "Y0"]))  # su(2): X0, Y0, Z0
        >>> f.nnz, f.exact
        (6, True)
        >>> f.to_dense()[0, 1]  # [iX, iY] = -2 iZ
        array([ 0,  0, -2])
    """

    dim: int
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    values: np.ndarray

    @property
    def nnz(self) -> int:
        """Number of stored (non-zero) constants."""
        return len(self.values)

    @property
    def exact(self) -> bool:
        """Whether the constants are exact integers."""
        return self.values.dtype.kind == "i"

    def adjoint(self, coords: Sequence[float] | np.ndarray) -> sp.csr_array:
        """The adjoint matrix ``ad_x[c, b] = Σ_a x_a f_abc`` of ``x = Σ_a coords[a] i·b_a``.

        Example:
            >>> from lie_sim import lie_closure
            >>> f = structure_constants(lie_closure(["X0", "Y0"]))
            >>> f.adjoint([1, 0, 0]).toarray()  # ad of iX0 on (iX0, iY0, iZ0)
            array([[ 0,  0,  0],
                   [ 0,  0,  2],
                   [ 0, -2,  0]])
        """
        x = np.asarray(coords)
        if x.shape != (self.dim,):
            raise ValueError(f"coords must have shape ({self.dim},), got {x.shape}")
        data = self.values * x[self.a]
        return sp.csr_array((data, (self.c, self.b)), shape=(self.dim, self.dim))

    def adjoint_matrices(self) -> list[sp.csr_array]:
        """``[ad_0, ad_1, ...]`` with ``ad_a[c, b] = f_abc`` (see :func:`adjoint_matrices`)."""
        bounds = np.searchsorted(self.a, np.arange(self.dim + 1))
        shape = (self.dim, self.dim)
        return [
            sp.csr_array((self.values[lo:hi], (self.c[lo:hi], self.b[lo:hi])), shape=shape)
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
        ]

    def bracket(
        self, u: Sequence[float] | np.ndarray, v: Sequence[float] | np.ndarray
    ) -> np.ndarray:
        """Coordinates of ``[u, v]`` for elements given by their coordinates."""
        u, v = np.asarray(u), np.asarray(v)
        return np.bincount(self.c, weights=self.values * u[self.a] * v[self.b], minlength=self.dim)

    def to_dense(self) -> np.ndarray:
        """The dense tensor ``f[a, b, c]``; only for small algebras (``dim³ ≤ 2^27``)."""
        if self.dim**3 > _DENSE_LIMIT:
            raise ValueError(
                f"A dense structure tensor of dimension {self.dim} has {self.dim**3} entries "
                f"(limit {_DENSE_LIMIT}); use the sparse arrays or adjoint_matrices()"
            )
        out = np.zeros((self.dim,) * 3, dtype=self.values.dtype)
        out[self.a, self.b, self.c] = self.values
        return out

    def __repr__(self) -> str:
        kind = "int64" if self.exact else "float64"
        return f"<StructureConstants dim={self.dim} nnz={self.nnz} {kind}>"


def structure_constants(
    dla: DynamicalLieAlgebra, *, rtol: float = DEFAULT_RTOL
) -> StructureConstants:
    """The structure constants of ``dla``'s basis: ``[i b_a, i b_b] = Σ_c f_abc i b_c``.

    Args:
        dla: the algebra; its basis must be closed under brackets (as :func:`lie_closure`
            returns it).
        rtol: Pauli-sum bases only: a term ``f_abc·b_c`` whose norm is below ``rtol`` times
            the norm of the bracket ``[b_a, b_b]`` is dropped as zero. (A bracket counts as
            outside the span when the relative residual of its least-squares coordinates
            exceeds 1e-3; one outside the span is off by O(1).)

    Returns:
        Sparse constants: exact integers for a Pauli-string basis with unit coefficients,
        float64 otherwise.

    Raises:
        ValueError: the basis is not closed (a bracket lies outside its span) or has
            repeated strings.

    Example:
        >>> from lie_sim import lie_closure
        >>> f = structure_constants(lie_closure(["X0 X1", "Z0", "Z1"]))  # so(4), dim 6
        >>> f.dim, f.nnz, sorted(set(f.values.tolist()))
        (6, 24, [-2, 2])
    """
    if not isinstance(dla, DynamicalLieAlgebra):
        raise TypeError(
            f"structure_constants takes a DynamicalLieAlgebra, got {type(dla).__name__}"
        )
    packed = dla.packed
    if dla.is_pauli_string_basis:
        a, b, c, values = _string_constants(packed.x, packed.z, packed.coef)
    else:
        a, b, c, values = _sum_constants(packed, rtol)
    a, b, c, values = _symmetrised(a, b, c, values)
    for array in (a, b, c, values):
        array.setflags(write=False)
    return StructureConstants(packed.count, a, b, c, values)


def adjoint_matrices(dla: DynamicalLieAlgebra) -> list[sp.csr_array]:
    """The adjoint matrices ``ad_a[c, b] = f_abc`` of the basis elements, as sparse arrays.

    ``ad_a @ y`` gives the coordinates of ``[i b_a, y]``; each matrix is antisymmetric when
    the basis is orthonormal (e.g. a Pauli-string basis).

    Example:
        >>> from lie_sim import lie_closure
        >>> ads = adjoint_matrices(lie_closure(["X0", "Y0"]))
        >>> len(ads), ads[2].toarray().tolist()  # ad of iZ0
        (3, [[0, 2, 0], [-2, 0, 0], [0, 0, 0]])
    """
    return structure_constants(dla).adjoint_matrices()


# ----------------------------------------------------------------------------------------
# Pauli-string bases


class StringIndex:
    """Binary search of packed Pauli strings among a fixed set of strings."""

    def __init__(self, x: np.ndarray, z: np.ndarray):
        self.words = x.shape[1]
        keys = row_keys(x, z)
        self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]
        if len(self.sorted) > 1 and np.any(self.sorted[1:] == self.sorted[:-1]):
            raise ValueError("The basis repeats a Pauli string; it is not linearly independent")

    def find(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Index of each string, or -1 where it is not in the set."""
        keys = row_keys(x, z)
        pos = np.minimum(np.searchsorted(self.sorted, keys), len(self.sorted) - 1)
        found = self.sorted[pos] == keys
        return np.where(found, self.order[pos], -1)


def anticommuting_pairs(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs ``a < b`` of anticommuting rows of packed masks, in sorted order."""
    m = len(x)
    step = max(1, _PAIR_CHUNK // max(m, 1))
    rows, cols = [], []
    for lo in range(0, m, step):
        hi = min(m, lo + step)
        anti = anticommute(x[lo:hi, None], z[lo:hi, None], x[None, :], z[None, :])
        anti &= np.arange(m)[None, :] > np.arange(lo, hi)[:, None]
        i, j = np.nonzero(anti)
        rows.append(i + lo)
        cols.append(j)
    return np.concatenate(rows), np.concatenate(cols)


def _string_constants(
    x: np.ndarray, z: np.ndarray, coef: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    index = StringIndex(x, z)
    a, b = anticommuting_pairs(x, z)
    k = product_phase(x[a], z[a], x[b], z[b])
    c = index.find(x[a] ^ x[b], z[a] ^ z[b])
    if np.any(c < 0):
        t = int(np.flatnonzero(c < 0)[0])
        raise ValueError(
            f"The basis is not closed: the bracket of elements {a[t]} and {b[t]} is not in it"
        )
    sign = 2 * (k - 2)
    if coef.dtype.kind == "i" and np.all(np.abs(coef) == 1):
        return a, b, c, (sign * coef[a] * coef[b] * coef[c]).astype(np.int64)
    unit = coef.astype(float)
    return a, b, c, sign * unit[a] * unit[b] / unit[c]


def _symmetrised(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Add the ``(b, a)`` entries to entries with ``a < b`` sorted by ``(a, b, c)``.

    Mirrored entries come first, so one stable sort by the row ``a`` (a radix sort for
    ``a < 2^16``) leaves each row sorted by ``(b, c)``.
    """
    a, b = np.concatenate([b, a]), np.concatenate([a, b])
    c, values = np.concatenate([c, c]), np.concatenate([-values, values])
    row = a.astype(np.uint16) if a.max(initial=0) < 2**16 else a
    order = np.argsort(row, kind="stable")
    return a[order], b[order], c[order], values[order]


# ----------------------------------------------------------------------------------------
# Pauli-sum bases


def basis_matrix(packed) -> tuple[sp.csr_array, StringIndex, np.ndarray, np.ndarray]:
    """Basis coefficients as a sparse ``(dim, strings)`` float matrix over its distinct strings.

    Returns the matrix, a key index of the strings, and their packed masks ``(x, z)``.
    """
    first, column = _string_columns(packed)
    x, z = packed.x[first], packed.z[first]
    coef = packed.coef.astype(float)
    matrix = sp.csr_array((coef, (packed.owner, column)), shape=(packed.count, len(first)))
    return matrix, StringIndex(x, z), x, z


def orthonormalised(basis: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """``Q, R`` with ``basis = R^T Q^T``: ``Q``'s columns are an orthonormal basis of the span.

    A thin QR factorisation of the dense ``basis^T`` with rows scaled to unit norm first, which
    stays accurate for the badly conditioned integer bases of exact closures (squaring into a
    Gram matrix does not).

    Raises:
        ValueError: the rows of ``basis`` are linearly dependent.
    """
    norms = np.sqrt(np.asarray(basis.multiply(basis).sum(axis=1)).ravel())
    q, r = scipy.linalg.qr((basis.T / norms[None, :]).toarray(), mode="economic")
    diag = np.abs(np.diag(r))
    if len(diag) and diag.min() <= 1e-12 * diag.max():
        raise ValueError("The basis is linearly dependent (rank-deficient coefficient matrix)")
    return q, r * norms[None, :]


def _string_columns(packed) -> tuple[np.ndarray, np.ndarray]:
    """First term of each distinct string (in key order), and the column of every term."""
    _, first, column = np.unique(
        row_keys(packed.x, packed.z), return_index=True, return_inverse=True
    )
    return first, column.ravel()


def conditioned_basis(dla: DynamicalLieAlgebra, basis: sp.csr_array) -> sp.csr_array:
    """Rows spanning the algebra, over the columns of its :func:`basis_matrix` ``basis``.

    The exact echelon form (:func:`rational_row_basis`) where there is one, else ``basis``:
    floats lose the span of a basis with condition number ``κ`` to about ``1e-16·κ``, and
    nested commutators of Pauli sums reach ``κ ≈ 1e17`` (the uniform TFIM at ``n = 16``).
    """
    echelon = rational_row_basis(dla.packed) if dla.exact else None
    return basis if echelon is None else echelon


def rational_row_basis(packed) -> sp.csr_array | None:
    """The reduced row-echelon basis, over the rationals, of the span of an integer basis.

    Columns are the distinct strings in the order of :func:`basis_matrix`. Each row has a 1 at
    its pivot column and 0 at the others, so its float rows are a basis conditioned like its
    entries, however badly conditioned the closure's basis is (nested commutators of the
    uniform TFIM have coefficients up to 7e16 at ``n = 32``, a condition number near 1e17 at
    ``n = 16``; their echelon rows are 0/1 vectors).

    The echelon form is computed over ``GF(p)`` (:class:`~lie_sim.algebra.modp.ModPSpan`), each
    entry lifted to the fraction ``a/b`` with ``|a|, b ≤ 2^15`` that it is congruent to
    (rational reconstruction, Wang's half-extended Euclid), and the result proved exact:
    every basis row ``b`` equals ``Σ_j b[pivot_j]·R_j`` modulo enough primes that the integer
    identity, cleared of denominators, cannot hold modulo their product unless it holds over
    the integers. Then ``span(B) ⊆ span(R)``, and the ranks are equal.

    Returns the float rows, or None where the coefficients are not integers, the rank drops
    modulo every prime tried, or an entry is not such a small fraction (the caller then
    orthonormalises the closure's basis itself).
    """
    if packed.coef.dtype.kind not in "iuO" or not packed.count:
        return None
    first, column = _string_columns(packed)
    for prime in _PRIMES[:3]:
        span = ModPSpan(prime)
        span.add(packed.owner, column, packed.coef, packed.count, len(first))
        if span.rank == packed.count:
            break
    else:
        return None
    rows = span.rows if span.dense is None else sp.csr_array(span.dense.astype(np.int64))
    residues, where = np.unique(rows.data, return_inverse=True)
    fractions = [_reconstructed(int(r), prime) for r in residues]
    if any(f is None for f in fractions):
        return None
    num, den = np.array(fractions, dtype=np.int64)[where.ravel()].T
    if not _spans_basis(packed, column, (rows, num, den), span.pivots):
        return None
    return sp.csr_array((num / den, rows.indices, rows.indptr), shape=rows.shape)


_PRIMES = (
    2147483647,
    2147483629,
    2147483587,
    2147483579,
    2147483563,
    2147483549,
    2147483543,
    2147483497,
    2147483489,
    2147483477,
    2147483423,
    2147483399,
)
_FRACTION_BOUND = 1 << 15  # |a|, b of a reconstructed a/b: 2·bound² < every prime


def _reconstructed(residue: int, prime: int) -> tuple[int, int] | None:
    """``(a, b)`` with ``a ≡ b·residue (mod prime)``, ``|a|, b ≤`` the bound, or None."""
    r0, r1, t0, t1 = prime, residue, 0, 1
    while r1 > _FRACTION_BOUND:
        q = r0 // r1
        r0, r1, t0, t1 = r1, r0 - q * r1, t1, t0 - q * t1
    if not 0 < abs(t1) <= _FRACTION_BOUND or math.gcd(r1, t1) != 1:
        return None
    return (r1, t1) if t1 > 0 else (-r1, -t1)


def _spans_basis(packed, column, rational, pivots) -> bool:
    """Whether every basis row ``b`` is ``Σ_j b[pivot_j]·R_j`` over the rationals, exactly.

    With ``L`` the lcm of the denominators, ``E = L·B − B[:, pivots]·(L·R)`` is an integer
    matrix with ``|E| ≤ L·max|B|·(1 + w·max|R|)`` (``w`` terms per row of ``B``), and it is
    checked to vanish modulo primes whose product exceeds that bound.
    """
    rows, num, den = rational
    coef = packed.coef
    big = max(abs(int(coef.min())), abs(int(coef.max())))
    width = int(np.bincount(packed.owner).max())
    lcm = math.lcm(*np.unique(den).tolist())  # factors below 2^15: coprime to every prime
    bound = lcm * big * (1 + width * int(np.abs(num).max()))
    count = bound.bit_length() // 30 + 1
    if count > len(_PRIMES):
        return False
    shape = (packed.count, rows.shape[1])
    denominators, which = np.unique(den, return_inverse=True)
    for q in _PRIMES[:count]:
        b = sp.csr_array(
            (np.asarray(coef % q, dtype=np.int64), (packed.owner, column)), shape=shape
        )
        inverse = np.array([pow(int(d), -1, q) for d in denominators], dtype=np.int64)
        values = (num % q) * inverse[which.ravel()] % q
        r = sp.csr_array((values, rows.indices, rows.indptr), shape=rows.shape)
        diff = sparse_matmul_mod(sp.csr_array(b[:, pivots]), r, q) - b
        diff.data %= q
        diff.eliminate_zeros()
        if diff.nnz:
            return False
    return True


def _sum_constants(packed, rtol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    basis, index, sx, sz = basis_matrix(packed)
    dim = basis.shape[0]
    q, r = orthonormalised(basis)
    norms = np.sqrt(np.asarray(basis.multiply(basis).sum(axis=1)).ravel())
    coo = basis.tocoo()
    order = np.lexsort((coo.col, coo.row))
    terms = (coo.row[order], coo.col[order], coo.data[order])
    bounds = np.searchsorted(terms[0], np.arange(dim + 1))
    out = []
    lo = 0
    while lo < dim:
        hi = lo + 1
        while hi < dim and (bounds[hi + 1] - bounds[lo]) * len(terms[0]) <= _PAIR_CHUNK:
            hi += 1
        out.append(_sum_chunk(lo, hi, bounds, terms, (sx, sz, index), (q, r, norms), rtol))
        lo = hi
    a, b, c, values = (np.concatenate(parts) for parts in zip(*out, strict=True))
    order = np.lexsort((c, b, a))
    return a[order], b[order], c[order], values[order]


def _sum_chunk(lo, hi, bounds, terms, strings, qr, rtol):
    """Constants ``f_abc`` for ``lo <= a < hi`` and all ``b > a``."""
    t_owner, t_col, t_coef = terms
    sx, sz, index = strings
    q, r, norms = qr
    dim = r.shape[0]
    ti, tj = np.meshgrid(np.arange(bounds[lo], bounds[hi]), np.arange(len(t_owner)), indexing="ij")
    ti, tj = ti.ravel(), tj.ravel()
    keep = t_owner[tj] > t_owner[ti]
    ti, tj = ti[keep], tj[keep]
    pi, pj = t_col[ti], t_col[tj]
    anti = anticommute(sx[pi], sz[pi], sx[pj], sz[pj])
    ti, tj, pi, pj = ti[anti], tj[anti], pi[anti], pj[anti]
    px, pz = sx[pi] ^ sx[pj], sz[pi] ^ sz[pj]
    coef = 2 * (product_phase(sx[pi], sz[pi], sx[pj], sz[pj]) - 2) * t_coef[ti] * t_coef[tj]
    column = index.find(px, pz)
    pair = (t_owner[ti] - lo) * dim + t_owner[tj]
    outside = column < 0
    if np.any(outside):
        _check_cancels(pair[outside], px[outside], pz[outside], coef[outside], rtol)
    pairs, pair_row = np.unique(pair[~outside], return_inverse=True)
    brackets = sp.csr_array(
        (coef[~outside], (pair_row, column[~outside])), shape=(len(pairs), q.shape[0])
    )
    y = (brackets @ q).T  # (dim, pairs): orthonormal coordinates of each bracket
    norm2 = np.asarray(brackets.multiply(brackets).sum(axis=1)).ravel()
    residual2 = norm2 - np.einsum("ij,ij->j", y, y)
    bad = residual2 > _CLOSED_RTOL**2 * norm2
    if np.any(bad):
        first = np.flatnonzero(bad)[0]
        p = int(pairs[first])
        raise ValueError(
            f"The basis is not closed: the bracket of elements {lo + p // dim} and {p % dim} "
            f"is not in its span (relative residual {np.sqrt(residual2[first] / norm2[first]):.2e})"
        )
    f = scipy.linalg.solve_triangular(r, y)
    # Drop a term f_abc·b_c when its norm is below rtol·|[b_a, b_b]| (not relative to the
    # largest term: in a badly conditioned basis large terms cancel).
    size = np.abs(f) * norms[:, None]
    c, col = np.nonzero(size > rtol * np.sqrt(norm2)[None, :])
    a, b = lo + pairs[col] // dim, pairs[col] % dim
    return a, b, c, f[c, col]


def _check_cancels(pair, x, z, coef, rtol) -> None:
    """Terms outside the basis strings must cancel within each element pair."""
    keys = row_keys(np.concatenate([pair[:, None].astype(np.uint64), x], axis=1), z)
    _, group = np.unique(keys, return_inverse=True)
    total = np.bincount(group, weights=coef)
    if np.abs(total).max() > rtol * np.abs(coef).max():
        raise ValueError("The basis is not closed: a bracket has a Pauli string outside its span")


# The classification lives in lie_sim.algebra.classification (which builds on this module); its
# public names are also reachable here, lazily, so ``from lie_sim.algebra.structure import
# decompose`` works.
_CLASSIFICATION_NAMES = frozenset(
    {
        "AlgebraDecomposition",
        "AlgebraType",
        "ClassificationError",
        "SimpleIdeal",
        "classify_algebra",
        "decompose",
    }
)


def __getattr__(name: str):
    if name in _CLASSIFICATION_NAMES:
        from lie_sim.algebra import classification

        return getattr(classification, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
