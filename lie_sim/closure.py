"""Exact Lie closure of Pauli-sum generators: the dynamical Lie algebra (DLA).

The DLA of Hermitian generators ``{H_k}`` is the real span of nested commutators of ``{iH_k}``.
It is spanned by right-nested commutators ``[g1, [g2, [..., gk]]]``, so a breadth-first search
that brackets each *new* basis element with each generator is complete: the span it builds is
invariant under every ``ad_g`` and contains the generators (``O(dim·|G|)`` brackets, not
``O(dim²)``).

Three paths, chosen from the generators:

* **Pauli strings** (every generator a single string): the closure is a set of strings, and
  membership is a hash lookup. No linear algebra.
* **Rational Pauli sums**: every generator is scaled to primitive integers; brackets of
  integer sums are integer sums (``[iP, iQ] = ±2·iR``), stored exactly and divided by their
  content. Linear independence is decided exactly by sparse Gaussian elimination in reduced
  row-echelon form over two prime fields in lock step. A rank over ``GF(p)`` never exceeds the
  rank over the rationals, and it is smaller only when ``p`` divides certain minors; two
  31-bit primes that agree on every rank decision make a wrong dimension vanishingly unlikely
  (and on disagreement the closure is redone with fresh primes).
* **Irrational coefficients** (e.g. fixed non-Clifford gates pushed through a circuit): the
  same search over floats with orthonormalised (twice Gram-Schmidt) elements; a candidate is
  new when its residual norm exceeds ``rtol`` times its norm. The result has ``exact=False``.

A float coefficient counts as rational when, after dividing the generator by its largest
coefficient, each ratio is within 1e-12 (relative) of a fraction with denominator at most
4096; so ``π/2·(XX + YY)`` (what Cirq gates give) is exact, but ``cos(π/8)·X + sin(π/8)·Y``
is not.

References:
    Goh et al., arXiv 2308.01432; the float-tolerance failure of Lie closures is the reason for
    the exact path (uniform transverse-field Ising model, ``shared/DESIGN.md``).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import cirq
import numpy as np
import scipy.linalg
import scipy.sparse as sp

from lie_sim.errors import ClosureLimitError, GeneratorError
from lie_sim.paulis import (
    PauliSum,
    PauliWord,
    anticommute,
    num_words,
    pack_ints,
    parse_pauli_sum,
    product_phase,
    row_keys,
    sort_codes,
    unchecked_pauli_sum,
    unpack_ints,
    word_sort_key,
)
from lie_sim.progress import Progress

GeneratorLike = cirq.PauliString | cirq.PauliSum | PauliSum | str

PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549)
DEFAULT_RTOL = 1e-9
_MAX_DENOMINATOR = 4096
_PAIR_CHUNK = 1 << 21  # term pairs bracketed per vectorised step
_DENSE_CHUNK = 1 << 24  # entries of a dense block in the local elimination
_FLOAT_ZERO = 1e-12  # float-path bracket terms below this (inputs have unit norm) are zero
_QR_CHUNK = 256  # float candidates orthonormalised per rank-revealing QR


@dataclasses.dataclass(frozen=True, eq=False)
class DynamicalLieAlgebra:
    """The real Lie algebra spanned by ``i·B`` for the Hermitian basis elements ``B``.

    Attributes:
        qubits: qubit order; qubit index ``q`` of every :class:`PauliSum` is ``qubits[q]``.
        generators: the generators as given (identity terms dropped).
        exact: whether every rank decision was exact.
        basis: a basis of Hermitian Pauli sums (built on first use). On the exact paths the
            coefficients are primitive integers (a Pauli-string algebra has one unit term per
            element); on the float path each element has unit 2-norm of coefficients.

    Values compare and hash by qubits, generators, exactness and basis. ``repr`` shows a
    summary rather than the (possibly huge) basis.

    Example:
        >>> dla = lie_closure(["X0 X1", "Z0", "Z1"])
        >>> dla.dim, dla.exact
        (6, True)
        >>> [str(b) for b in dla.basis[:3]]
        ['X0 X1', 'Z0', 'Z1']
        >>> print(dla.to_cirq()[1])
        1.000*Z(q(0))
    """

    qubits: tuple[cirq.Qid, ...]
    generators: tuple[PauliSum, ...]
    exact: bool
    packed: PackedSums = dataclasses.field(repr=False)

    @property
    def dim(self) -> int:
        """Dimension of the algebra."""
        return self.packed.count

    @property
    def num_qubits(self) -> int:
        return len(self.qubits)

    @functools.cached_property
    def basis(self) -> tuple[PauliSum, ...]:
        return tuple(self.packed.to_pauli_sums(len(self.qubits)))

    @functools.cached_property
    def is_pauli_string_basis(self) -> bool:
        """Whether every basis element is a single Pauli string."""
        return len(self.packed.coef) == self.packed.count

    def to_cirq(self) -> list[cirq.PauliSum]:
        """The basis as ``cirq.PauliSum`` objects on :attr:`qubits`."""
        return [b.to_cirq(self.qubits) for b in self.basis]

    def _key(self) -> tuple:
        return (self.qubits, self.generators, self.exact, self.basis)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DynamicalLieAlgebra):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"<DynamicalLieAlgebra dim={self.dim} exact={self.exact} "
            f"num_qubits={self.num_qubits} generators={len(self.generators)}>"
        )


def lie_closure(
    generators: Iterable[GeneratorLike] | cirq.AbstractCircuit,
    *,
    max_dim: int | None = None,
    qubits: Sequence[cirq.Qid] | None = None,
    rtol: float = DEFAULT_RTOL,
    progress: bool | None = None,
) -> DynamicalLieAlgebra:
    """The dynamical Lie algebra generated by ``{i·H}`` for the Hermitian generators ``H``.

    Args:
        generators: ``cirq.PauliString``, ``cirq.PauliSum``, :class:`PauliSum` or Pauli text
            (``"X0 X1 + Z0"``, qubit ``i`` is ``cirq.LineQubit(i)``); or a ``cirq.Circuit``,
            whose generators are read with :func:`lie_sim.extraction.extract_generators`.
            Each generator's coefficients must be all real (``H``) or all imaginary (read as
            ``i·H``). Identity terms are dropped.
        max_dim: stop with :class:`ClosureLimitError` once the span exceeds this dimension.
        qubits: qubit order (default: sorted qubits of the generators, or of the circuit).
        rtol: relative residual below which a float candidate is dependent (float path only).
        progress: progress line on stderr; default only when stderr is a terminal.

    Returns:
        The algebra, with an exact basis unless some coefficient is irrational.

    Raises:
        GeneratorError: empty or identity-only input, mixed real/imaginary coefficients,
            mismatched qubit kinds, or generators on qubits outside ``qubits``.
        ClosureLimitError: the dimension exceeded ``max_dim``.

    Example:
        >>> lie_closure(["X0 X1", "X1 X2", "Z0", "Z1", "Z2"]).dim  # so(6), arXiv 2309.05690
        15
        >>> tfim = ["Z0 Z1 + Z1 Z2 + Z2 Z3", "X0 + X1 + X2 + X3"]
        >>> lie_closure(tfim).dim  # n**2 for the uniform open chain
        16
    """
    if isinstance(generators, cirq.AbstractCircuit):
        from lie_sim.extraction import extract_generators

        circuit_qubits = (
            tuple(qubits) if qubits is not None else tuple(sorted(generators.all_qubits()))
        )
        generators = [g.pauli_sum for g in extract_generators(generators, qubits=circuit_qubits)]
        qubits = circuit_qubits
    order, sums = _as_pauli_sums(generators, qubits)
    if max_dim is not None and max_dim < 0:
        raise ValueError(f"max_dim must be non-negative, got {max_dim}")
    words = num_words(len(order))
    bar = Progress("lie_closure", enabled=progress)
    try:
        if all(len(s) == 1 for s in sums):
            basis = _closure_strings(sums, words, max_dim, bar)
            exact = True
        else:
            integer = [_primitive_integers(s.coefficients) for s in sums]
            exact = all(c is not None for c in integer)
            if exact:
                gens = [_pack_sum(s.words, c, words) for s, c in zip(sums, integer, strict=True)]
                basis = _closure_exact(gens, max_dim, bar)
            else:
                gens = [_pack_sum(s.words, _unit_floats(s), words) for s in sums]
                basis = _closure_float(gens, max_dim, bar, rtol)
    finally:
        bar.close()
    return DynamicalLieAlgebra(tuple(order), tuple(sums), exact, basis)


# ----------------------------------------------------------------------------------------
# Input normalisation


def _as_pauli_sums(
    generators: Iterable[GeneratorLike], qubits: Sequence[cirq.Qid] | None
) -> tuple[tuple[cirq.Qid, ...], list[PauliSum]]:
    if isinstance(generators, str | PauliSum | cirq.PauliString | cirq.PauliSum):
        raise GeneratorError(
            f"lie_closure takes an iterable of generators, got a single {type(generators).__name__}"
            f" {generators!r}; wrap it in a list"
        )
    items = [parse_pauli_sum(g) if isinstance(g, str) else g for g in generators]
    if not items:
        raise GeneratorError("No generators given: the Lie closure of an empty set is {0}")
    order = _qubit_order(items, qubits)
    sums = []
    for k, item in enumerate(items):
        if isinstance(item, cirq.PauliString | cirq.PauliSum):
            item = PauliSum.from_cirq(item, order)
        elif not isinstance(item, PauliSum):
            raise GeneratorError(
                f"Generator {k} is a {type(item).__name__} ({item!r}); expected cirq.PauliString, "
                "cirq.PauliSum, lie_sim.PauliSum or Pauli text such as 'X0 X1 + Z0'"
            )
        elif item.num_qubits > len(order):
            raise GeneratorError(f"Generator {k} ({item}) acts outside qubits {list(order)}")
        item = _hermitian_part(item.without_identity(), k)
        if len(item):
            sums.append(item)
    if not sums:
        raise GeneratorError(
            "Every generator is a multiple of the identity; the identity is central and "
            "dropped, so there is no algebra to close"
        )
    return order, sums


def _qubit_order(items: list, qubits: Sequence[cirq.Qid] | None) -> tuple[cirq.Qid, ...]:
    used: set[cirq.Qid] = set()
    indexed = 0
    for item in items:
        if isinstance(item, cirq.PauliString | cirq.PauliSum):
            used |= set(item.qubits)
        elif isinstance(item, PauliSum):
            indexed = max(indexed, item.num_qubits)
    if indexed:
        used |= set(cirq.LineQubit.range(indexed))
    if qubits is not None:
        order = tuple(qubits)
        missing = used - set(order)
        if missing:
            raise GeneratorError(
                f"Generators act on {sorted(missing)}, not in qubits={list(order)}"
            )
    else:
        order = tuple(sorted(used))
    kinds = {type(q) for q in order}
    if len(kinds) > 1:
        names = ", ".join(sorted(k.__name__ for k in kinds))
        raise GeneratorError(
            f"Generators mix qubit kinds ({names}); use one kind (e.g. all cirq.LineQubit) "
            "so the qubit order is unambiguous, or pass qubits= explicitly"
        )
    qudits = [q for q in order if q.dimension != 2]
    if qudits:
        raise GeneratorError(
            f"Qudits are not supported: {qudits[0]!r} has dimension {qudits[0].dimension}"
        )
    return order


def _hermitian_part(s: PauliSum, k: int) -> PauliSum:
    """Real coefficients stay; an all-imaginary generator ``i·H`` becomes ``H``."""
    coefs = s.coefficients
    if not any(isinstance(c, complex) for c in coefs):
        return s
    if all(isinstance(c, complex) and c.real == 0 for c in coefs):
        return PauliSum(tuple((w, c.imag) for w, c in s.terms))
    raise GeneratorError(
        f"Generator {k} ({s}) mixes real and complex coefficients; give a Hermitian H "
        "(all coefficients real) or i·H (all purely imaginary)"
    )


def _primitive_integers(coefs: Sequence) -> list[int] | None:
    """Coefficients scaled to coprime integers, or None when their ratios are irrational."""
    if all(isinstance(c, int | Fraction) for c in coefs):
        fractions = [Fraction(c) for c in coefs]
    else:
        top = max(coefs, key=abs)
        fractions = []
        for c in coefs:
            ratio = float(c) / float(top)
            f = Fraction(ratio).limit_denominator(_MAX_DENOMINATOR)
            if abs(float(f) - ratio) > 1e-12 * abs(ratio):
                return None
            fractions.append(f)
    scale = math.lcm(*(f.denominator for f in fractions))
    ints = [int(f * scale) for f in fractions]
    g = math.gcd(*ints)
    return [i // g for i in ints]


def _unit_floats(s: PauliSum) -> list[float]:
    values = np.array([float(c) for c in s.coefficients])
    return list(values / np.linalg.norm(values))


# ----------------------------------------------------------------------------------------
# Packed batches of Pauli sums


@dataclasses.dataclass
class PackedSums:
    """Terms of several Pauli sums, bit-packed: element ``owner[t]`` has term ``t``.

    Attributes:
        x, z: ``(terms, words)`` uint64 masks of each term's Pauli string (see
            :mod:`lie_sim.paulis`).
        coef: each term's coefficient (int64, Python-int object array, or float64).
        owner: each term's element index; sorted, covering ``0 .. count-1``.
        count: number of elements.

    ``DynamicalLieAlgebra.packed`` holds the basis in this form for vectorised work.
    """

    x: np.ndarray
    z: np.ndarray
    coef: np.ndarray
    owner: np.ndarray
    count: int

    def select(self, elements: np.ndarray) -> PackedSums:
        """The sub-batch of the given element indices (in that order), renumbered."""
        idx, owner = self.term_indices(elements)
        return PackedSums(self.x[idx], self.z[idx], self.coef[idx], owner, len(elements))

    def term_indices(self, elements: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the terms of ``elements`` (in that order), and their new owners."""
        starts = np.searchsorted(self.owner, elements, side="left")
        lengths = np.searchsorted(self.owner, elements, side="right") - starts
        idx = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return idx, np.repeat(np.arange(len(elements)), lengths)

    def to_pauli_sums(self, num_qubits: int) -> list[PauliSum]:
        """The elements as canonical :class:`PauliSum` values (terms in canonical order)."""
        order = np.arange(len(self.coef))
        if len(self.coef) != self.count:
            codes = sort_codes(self.x, self.z, num_qubits)
            order = np.lexsort(list(codes.T[::-1]) + [self.owner])
        xs, zs = unpack_ints(self.x[order]), unpack_ints(self.z[order])
        coefs = self.coef[order].tolist()
        bounds = np.searchsorted(self.owner[order], np.arange(self.count + 1)).tolist()
        words = [PauliWord(x, z) for x, z in zip(xs, zs, strict=True)]
        terms = list(zip(words, coefs, strict=True))
        return [unchecked_pauli_sum(tuple(terms[a:b])) for a, b in itertools.pairwise(bounds)]


def _pack_sum(words: Sequence[PauliWord], coefs: Sequence, nwords: int) -> PackedSums:
    dtype = object if any(abs(c) >= 2**31 for c in coefs if isinstance(c, int)) else None
    coef = np.array(coefs, dtype=dtype if dtype else None)
    x = pack_ints([w.x for w in words], nwords)
    z = pack_ints([w.z for w in words], nwords)
    return PackedSums(x, z, coef, np.zeros(len(words), dtype=np.int64), 1)


def _concat(batches: Sequence[PackedSums]) -> PackedSums:
    offsets = np.cumsum([0] + [b.count for b in batches])
    return PackedSums(
        np.concatenate([b.x for b in batches]),
        np.concatenate([b.z for b in batches]),
        _concat_coefs([b.coef for b in batches]),
        np.concatenate([b.owner + off for b, off in zip(batches, offsets, strict=False)]),
        int(offsets[-1]),
    )


def _concat_coefs(arrays: Sequence[np.ndarray]) -> np.ndarray:
    if any(a.dtype == object for a in arrays):
        return np.concatenate([a.astype(object) for a in arrays])
    return np.concatenate(arrays)


def _brackets(frontier: PackedSums, gens: Sequence[PackedSums]) -> PackedSums:
    """All brackets ``[frontier_e, g]``, as un-normalised sums owned by ``e·len(gens) + g``.

    Each term carries ``(k-2)·a·b`` for ``PQ = i^k R``: the bracket divided by 2.
    """
    xs, zs, cs, owners = [], [], [], []
    for gi, g in enumerate(gens):
        step = max(1, _PAIR_CHUNK // max(1, len(g.coef)))
        for lo in range(0, len(frontier.coef), step):
            fx, fz = frontier.x[lo : lo + step], frontier.z[lo : lo + step]
            anti = anticommute(fx[:, None, :], fz[:, None, :], g.x[None], g.z[None])
            ti, gj = np.nonzero(anti)
            sign = product_phase(fx[ti], fz[ti], g.x[gj], g.z[gj]) - 2
            coef = _times(frontier.coef[lo : lo + step][ti], g.coef[gj], len(g.coef))
            xs.append(fx[ti] ^ g.x[gj])
            zs.append(fz[ti] ^ g.z[gj])
            cs.append(coef * sign.astype(coef.dtype) if coef.dtype != object else coef * sign)
            owners.append(frontier.owner[lo : lo + step][ti] * len(gens) + gi)
    if not xs:
        empty = np.zeros((0, frontier.x.shape[1]), dtype=np.uint64)
        return PackedSums(empty, empty, frontier.coef[:0], np.zeros(0, dtype=np.int64), 0)
    return _combine(
        np.concatenate(xs), np.concatenate(zs), _concat_coefs(cs), np.concatenate(owners)
    )


def _times(a: np.ndarray, b: np.ndarray, multiplicity: int) -> np.ndarray:
    """Exact products; switches to Python ints when int64 sums could overflow."""
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return a.astype(float) * b.astype(float)
    if a.dtype == object or b.dtype == object:
        return a.astype(object) * b.astype(object)
    bound = int(np.abs(a).max(initial=0)) * int(np.abs(b).max(initial=0)) * max(multiplicity, 1)
    if bound >= 2**62:
        return a.astype(object) * b.astype(object)
    return a * b


def _combine(x: np.ndarray, z: np.ndarray, coef: np.ndarray, owner: np.ndarray) -> PackedSums:
    """Merge repeated ``(owner, string)`` terms, drop zeros, renumber non-empty owners."""
    keys = [z[:, w] for w in reversed(range(z.shape[1]))] + [
        x[:, w] for w in reversed(range(x.shape[1]))
    ]
    order = np.lexsort(keys + [owner])
    x, z, coef, owner = x[order], z[order], coef[order], owner[order]
    change = np.ones(len(owner), dtype=bool)
    change[1:] = (owner[1:] != owner[:-1]) | np.any((x[1:] != x[:-1]) | (z[1:] != z[:-1]), axis=1)
    starts = np.flatnonzero(change)
    coef = np.add.reduceat(coef, starts) if len(starts) else coef[:0]
    x, z, owner = x[starts], z[starts], owner[starts]
    keep = coef != 0
    x, z, coef, owner = x[keep], z[keep], coef[keep], owner[keep]
    uniq, owner = np.unique(owner, return_inverse=True)
    return PackedSums(x, z, coef, owner.astype(np.int64), len(uniq))


def _normalised(batch: PackedSums) -> PackedSums:
    """Each element divided by its content (exact) or 2-norm (float), first term positive.

    Float elements are brackets of unit-norm sums, so rounding leaves terms near 1e-16
    where exact arithmetic would cancel: terms below :data:`_FLOAT_ZERO` are dropped (and
    with them brackets that vanish), before normalising.
    """
    if batch.coef.dtype.kind == "f":
        batch = _drop_float_noise(batch)
    if not batch.count:
        return batch
    starts = np.searchsorted(batch.owner, np.arange(batch.count))
    if batch.coef.dtype.kind == "f":
        scale = np.sqrt(np.add.reduceat(batch.coef**2, starts))
    else:
        scale = np.gcd.reduceat(np.abs(batch.coef), starts)
    scale = scale * np.sign(batch.coef[starts])
    coef = (
        batch.coef / scale[batch.owner]
        if batch.coef.dtype.kind == "f"
        else batch.coef // scale[batch.owner]
    )
    if coef.dtype == object and np.abs(coef).max() < 2**31:
        coef = coef.astype(np.int64)
    return dataclasses.replace(batch, coef=coef)


def _drop_float_noise(batch: PackedSums) -> PackedSums:
    keep = np.abs(batch.coef) > _FLOAT_ZERO
    if keep.all():
        return batch
    owners, owner = np.unique(batch.owner[keep], return_inverse=True)
    return PackedSums(
        batch.x[keep], batch.z[keep], batch.coef[keep], owner.astype(np.int64), len(owners)
    )


# ----------------------------------------------------------------------------------------
# Spans: decide which candidates are new


class _ColumnIndex:
    """Consecutive column numbers for Pauli strings, shared by the spans of one closure.

    Known strings are kept as a sorted array of row keys, so a whole batch is looked up
    with one ``searchsorted``.
    """

    def __init__(self) -> None:
        self.keys: np.ndarray | None = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.size = 0
        self._weights = np.zeros(0, dtype=np.uint64)
        self._rng = np.random.default_rng(0x11E51)

    def columns(self, batch: PackedSums) -> np.ndarray:
        """Column number of every term of ``batch`` (new strings get new numbers)."""
        uniq, inverse = np.unique(row_keys(batch.x, batch.z), return_inverse=True)
        if self.keys is None:
            self.keys = uniq[:0]
        pos = np.searchsorted(self.keys, uniq)
        known = pos < len(self.keys)
        known[known] = self.keys[pos[known]] == uniq[known]
        ids = np.empty(len(uniq), dtype=np.int64)
        ids[known] = self.ids[pos[known]]
        fresh = np.flatnonzero(~known)
        ids[fresh] = self.size + np.arange(len(fresh))
        self.size += len(fresh)
        keys = np.concatenate([self.keys, uniq[fresh]])
        order = np.argsort(keys, kind="stable")
        self.keys, self.ids = keys[order], np.concatenate([self.ids, ids[fresh]])[order]
        return ids[inverse.ravel()]

    def distinct(self, batch: PackedSums, cols: np.ndarray) -> np.ndarray:
        """Indices of the elements of ``batch`` that are not repeats of an earlier element.

        Elements are hashed by random column weights times coefficients; equal hashes are
        then compared term by term, so a hash collision can never drop an element.
        """
        if len(self._weights) < self.size:
            more = self._rng.integers(
                1, 2**63, size=self.size - len(self._weights), dtype=np.uint64
            )
            self._weights = np.concatenate([self._weights, more])
        values = np.asarray(batch.coef % PRIMES[0], dtype=np.int64).astype(np.uint64)
        term_hash = self._weights[cols] * values + self._weights[cols] // 2
        starts = np.searchsorted(batch.owner, np.arange(batch.count))
        element_hash = np.add.reduceat(term_hash, starts) if batch.count else term_hash[:0]
        _, first, inverse = np.unique(element_hash, return_index=True, return_inverse=True)
        keep = np.ones(batch.count, dtype=bool)
        repeats = np.flatnonzero(first[inverse] != np.arange(batch.count))
        bounds = np.append(starts, len(cols))
        for e in repeats:
            f = first[inverse[e]]
            a, b = slice(bounds[e], bounds[e + 1]), slice(bounds[f], bounds[f + 1])
            same = np.array_equal(cols[a], cols[b]) and np.array_equal(batch.coef[a], batch.coef[b])
            keep[e] = not same
        return np.flatnonzero(keep)


class _ModPSpan:
    """A subspace of ``GF(p)^columns`` in sparse reduced row-echelon form."""

    def __init__(self, prime: int):
        self.p = prime
        self.rows = sp.csr_array((0, 0), dtype=np.int64)
        self.pivots = np.zeros(0, dtype=np.int64)

    def add(self, batch: PackedSums, cols: np.ndarray, ncols: int) -> np.ndarray:
        """Add the batch's elements; return the indices of those that enlarged the span."""
        data = np.asarray(batch.coef % self.p, dtype=np.int64)
        cand = sp.csr_array((data, (batch.owner, cols)), shape=(batch.count, ncols))
        self.rows.resize((self.rows.shape[0], ncols))
        cand = self._reduce(cand)
        alive = np.flatnonzero(np.diff(cand.indptr))
        accepted = []
        step = max(1, _DENSE_CHUNK // max(1, ncols))
        for lo in range(0, len(alive), step):
            rows = alive[lo : lo + step]
            block = self._reduce(cand[rows]) if lo else cand[rows]
            chosen = self._extend(block)
            accepted.append(rows[chosen])
        return np.concatenate(accepted) if accepted else alive

    def _reduce(self, cand: sp.csr_array) -> sp.csr_array:
        if not len(self.pivots):
            return cand
        out = cand - _matmul_mod(cand[:, self.pivots], self.rows, self.p)
        out.data %= self.p
        out.eliminate_zeros()
        return out

    def _extend(self, block: sp.csr_array) -> np.ndarray:
        used = np.unique(block.indices)
        if not len(used):
            return np.zeros(0, dtype=np.int64)
        chosen, rref, pivots = _rref_mod(block[:, used].toarray(), self.p)
        new = sp.csr_array(rref)
        new = sp.csr_array(
            (new.data, used[new.indices], new.indptr), shape=(len(chosen), block.shape[1])
        )
        new_pivots = used[pivots]
        if self.rows.shape[0]:
            self.rows = self.rows - _matmul_mod(self.rows[:, new_pivots], new, self.p)
            self.rows.data %= self.p
            self.rows.eliminate_zeros()
        self.rows = sp.vstack([self.rows, new], format="csr")
        self.pivots = np.concatenate([self.pivots, new_pivots])
        return chosen


def _matmul_mod(a: sp.csr_array, b: sp.csr_array, p: int) -> sp.csr_array:
    """``a @ b mod p`` for entries in ``[0, p)``, ``p < 2^31``, without int64 overflow."""
    lo = a.copy()
    lo.data = a.data & 0xFFFF
    hi = a.copy()
    hi.data = a.data >> 16
    high = hi @ b
    high.data %= p
    low = lo @ b
    low.data %= p
    out = high * 65536 + low
    out.data %= p
    return out


def _rref_mod(m: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduced row-echelon form of ``m`` over ``GF(p)``.

    Returns the original indices of the pivot rows (an independent subset spanning the
    rows), the non-zero RREF rows and their pivot columns. Forward elimination touches only
    the rows below and columns right of each pivot; back substitution then works on the
    (usually far fewer) pivot rows alone.
    """
    m = m % p
    rows = np.arange(m.shape[0])
    pivots: list[int] = []
    r = 0
    for j in range(m.shape[1]):
        if r == m.shape[0]:
            break
        nz = np.flatnonzero(m[r:, j])
        if not len(nz):
            continue
        i = r + nz[0]
        if i != r:
            m[[r, i]] = m[[i, r]]
            rows[[r, i]] = rows[[i, r]]
        m[r, j:] = m[r, j:] * pow(int(m[r, j]), p - 2, p) % p
        below = r + 1 + np.flatnonzero(m[r + 1 :, j])
        if len(below):
            m[below, j:] = (m[below, j:] - m[below, j : j + 1] * m[r, j:]) % p
        pivots.append(j)
        r += 1
    echelon = m[:r]
    for k in range(r - 1, 0, -1):
        j = pivots[k]
        above = np.flatnonzero(echelon[:k, j])
        if len(above):
            echelon[above, j:] = (
                echelon[above, j:] - echelon[above, j : j + 1] * echelon[k, j:]
            ) % p
    return rows[:r], echelon, np.array(pivots, dtype=np.int64)


class _FloatSpan:
    """A subspace of ``R^columns`` with an orthonormal (sparse) row basis."""

    def __init__(self, rtol: float):
        self.rtol = rtol
        self.rows = sp.csr_array((0, 0), dtype=float)

    def add(self, batch: PackedSums, cols: np.ndarray, ncols: int) -> np.ndarray:
        """Add the batch's elements; return the indices of those that enlarged the span."""
        cand = sp.csr_array(
            (batch.coef.astype(float), (batch.owner, cols)), shape=(batch.count, ncols)
        )
        self.rows.resize((self.rows.shape[0], ncols))
        norms = _row_norms(cand)
        index = np.arange(batch.count)
        chosen = []
        basis = self.rows
        while len(index):
            cand = _project_out(_project_out(cand, basis), basis)
            alive = _row_norms(cand) > self.rtol * norms[index]
            cand, index = cand[alive], index[alive]
            head = slice(0, _QR_CHUNK)
            picked, basis = self._orthonormal_subset(cand[head], norms[index[head]])
            chosen.append(index[head][picked])
            self.rows = sp.vstack([self.rows, basis], format="csr")
            cand, index = cand[_QR_CHUNK:], index[_QR_CHUNK:]
        return np.sort(np.concatenate(chosen)) if chosen else index

    def _orthonormal_subset(
        self, block: sp.csr_array, norms: np.ndarray
    ) -> tuple[np.ndarray, sp.csr_array]:
        """Independent rows of ``block`` (relative test) and an orthonormal basis of them.

        Rank-revealing QR of the relative residuals: ``|R_ii|`` is the residual of pivot ``i``
        after the earlier pivots, the greedy test made in the best order.
        """
        used = np.unique(block.indices)
        dense = block[:, used].toarray() / norms[:, None]
        q, r, perm = scipy.linalg.qr(dense.T, mode="economic", pivoting=True)
        rank = int(np.sum(np.abs(np.diag(r)) > self.rtol))
        new = sp.csr_array(q[:, :rank].T)
        shape = (rank, block.shape[1])
        return perm[:rank], sp.csr_array((new.data, used[new.indices], new.indptr), shape=shape)


def _row_norms(m: sp.csr_array) -> np.ndarray:
    return np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())


def _project_out(m: sp.csr_array, orthonormal_rows: sp.csr_array) -> sp.csr_array:
    if not orthonormal_rows.shape[0] or not m.shape[0]:
        return m
    return m - (m @ orthonormal_rows.T) @ orthonormal_rows


# ----------------------------------------------------------------------------------------
# The three closures


class _UnluckyPrime(Exception):
    """Two prime fields disagreed on a rank: retry with other primes."""


def _closure_exact(gens: list[PackedSums], max_dim: int | None, bar: Progress) -> PackedSums:
    for first in range(0, len(PRIMES) - 1, 2):
        try:
            return _closure_sums(
                gens, max_dim, bar, [_ModPSpan(p) for p in PRIMES[first : first + 2]]
            )
        except _UnluckyPrime:
            continue
    raise RuntimeError("Every pair of primes disagreed on a rank; please report this input")


def _closure_float(
    gens: list[PackedSums], max_dim: int | None, bar: Progress, rtol: float
) -> PackedSums:
    return _closure_sums(gens, max_dim, bar, [_FloatSpan(rtol)])


def _closure_sums(
    gens: list[PackedSums], max_dim: int | None, bar: Progress, spans: list
) -> PackedSums:
    columns = _ColumnIndex()

    def add(batch: PackedSums) -> np.ndarray:
        cols = columns.columns(batch)
        distinct = columns.distinct(batch, cols)
        cols = cols[batch.term_indices(distinct)[0]]
        batch = batch.select(distinct)
        chosen = [span.add(batch, cols, columns.size) for span in spans]
        if any(len(c) != len(chosen[0]) for c in chosen):
            raise _UnluckyPrime
        return distinct[chosen[0]]

    candidates = _normalised(_concat(gens))
    independent = candidates.select(np.sort(add(candidates)))
    # Dependent generators are combinations of the independent ones: bracket with those only.
    brackets_with = [independent.select(np.array([i])) for i in range(independent.count)]
    found = [independent]
    dim = independent.count
    frontier = independent
    while frontier.count:
        _check_limit(dim, max_dim)
        bar.update(dim=dim)
        candidates = _normalised(_brackets(frontier, brackets_with))
        frontier = candidates.select(np.sort(add(candidates)))
        found.append(frontier)
        dim += frontier.count
    _check_limit(dim, max_dim)
    return _concat(found)


def _check_limit(dim: int, max_dim: int | None) -> None:
    if max_dim is not None and dim > max_dim:
        raise ClosureLimitError(dim, max_dim)


def _closure_strings(
    sums: list[PauliSum], nwords: int, max_dim: int | None, bar: Progress
) -> PackedSums:
    words = sorted({s.words[0] for s in sums}, key=word_sort_key)
    gx = pack_ints([w.x for w in words], nwords)
    gz = pack_ints([w.z for w in words], nwords)
    seen = set(row_keys(gx, gz).tolist())
    found_x, found_z = [gx], [gz]
    fx, fz = gx, gz
    dim = len(words)
    while len(fx):
        _check_limit(dim, max_dim)
        bar.update(dim=dim)
        new_x, new_z = [], []
        step = max(1, _PAIR_CHUNK // len(gx))
        for lo in range(0, len(fx), step):
            cx, cz = fx[lo : lo + step], fz[lo : lo + step]
            fi, gi = np.nonzero(anticommute(cx[:, None], cz[:, None], gx[None], gz[None]))
            new_x.append(cx[fi] ^ gx[gi])
            new_z.append(cz[fi] ^ gz[gi])
        cx, cz = np.concatenate(new_x), np.concatenate(new_z)
        keys = row_keys(cx, cz)
        keys, first = np.unique(keys, return_index=True)
        fresh = np.array([k not in seen for k in keys.tolist()], dtype=bool)
        first = first[fresh] if len(first) else first
        seen.update(keys[fresh].tolist())
        fx, fz = cx[first], cz[first]
        found_x.append(fx)
        found_z.append(fz)
        dim += len(fx)
    _check_limit(dim, max_dim)
    owner = np.arange(dim, dtype=np.int64)
    ones = np.ones(dim, dtype=np.int64)
    return PackedSums(np.concatenate(found_x), np.concatenate(found_z), ones, owner, dim)
