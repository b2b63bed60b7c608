"""Exact Lie closure of Pauli-sum generators: the dynamical Lie algebra (DLA).

The DLA of Hermitian generators ``{H_k}`` is the real span of nested commutators of ``{iH_k}``.
It is spanned by right-nested commutators ``[g1, [g2, [..., gk]]]``, so a breadth-first search
that brackets each *new* basis element with each generator is complete: the span it builds is
invariant under every ``ad_g`` and contains the generators (``O(dim·|G|)`` brackets, not
``O(dim²)``).

Three paths, chosen from the generators:

* **Pauli strings** (every generator a single string): the closure is a set of strings found
  by a breadth-first search over packed strings with pattern shifts and linear-hash keys,
  no linear algebra (:mod:`lie_sim.algebra.string_closure`; millions of strings).
* **Rational Pauli sums**: every generator is scaled to primitive integers; brackets of
  integer sums are integer sums (``[iP, iQ] = ±2·iR``), stored exactly and divided by their
  content. Linear independence is decided exactly, in reduced row-echelon form over a prime
  field: the search runs over one prime below 2^21 (a rank over ``GF(p)`` never exceeds the
  rank over the rationals, so every element taken is independent), and one batched check
  over a 31-bit prime at the end proves the span closed under every ``ad_g`` with failure
  probability below ``2/q`` for an unlucky pair; a failed check reruns with other primes
  (:mod:`lie_sim.algebra.exact_closure`, :mod:`lie_sim.algebra.modp`).
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
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from lie_sim.algebra.exact_closure import UnluckyPrime, exact_closure
from lie_sim.algebra.memory import MemoryBudget, check_max_dim
from lie_sim.algebra.modp import ModPSpan
from lie_sim.algebra.spans import ColumnIndex, FloatSpan
from lie_sim.algebra.string_closure import pauli_string_closure
from lie_sim.cirq_types import is_cirq
from lie_sim.errors import GeneratorError
from lie_sim.pauli.packed import PackedSums, brackets, concat, normalised, pack_sum
from lie_sim.pauli.paulis import (
    PauliSum,
    as_pauli_sum,
    num_words,
    parse_pauli_sum,
)
from lie_sim.progress import Progress

if TYPE_CHECKING:
    import cirq

    GeneratorLike = cirq.PauliString | cirq.PauliSum | PauliSum | str

# (search, check) prime pairs of the exact path, tried in turn (lie_sim.algebra.exact_closure)
PRIMES = ((2097143, 2147483647), (2097133, 2147483629), (2097131, 2147483587))
DEFAULT_RTOL = 1e-9
_MAX_DENOMINATOR = 4096


@dataclasses.dataclass(frozen=True, eq=False)
class DynamicalLieAlgebra:
    """The real Lie algebra spanned by ``i·B`` for the Hermitian basis elements ``B``.

    Attributes:
        num_qubits: number of qubits.
        qubits: qubit order; qubit index ``q`` of every :class:`PauliSum` is ``qubits[q]``
            (``cirq.LineQubit(0..n-1)`` for Pauli-text generators, made on first use so
            that text-only work never imports Cirq).
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

    num_qubits: int
    generators: tuple[PauliSum, ...]
    exact: bool
    packed: PackedSums = dataclasses.field(repr=False)
    # None stands for cirq.LineQubit.range(num_qubits).
    explicit_qubits: tuple[cirq.Qid, ...] | None = dataclasses.field(default=None, repr=False)

    @property
    def dim(self) -> int:
        """Dimension of the algebra."""
        return self.packed.count

    @functools.cached_property
    def qubits(self) -> tuple[cirq.Qid, ...]:
        if self.explicit_qubits is not None:
            return self.explicit_qubits
        import cirq

        return tuple(cirq.LineQubit.range(self.num_qubits))

    @property
    def qubit_names(self) -> tuple[str, ...]:
        """``str`` of each qubit (without importing Cirq for line qubits)."""
        if self.explicit_qubits is not None:
            return tuple(str(q) for q in self.explicit_qubits)
        return tuple(f"q({i})" for i in range(self.num_qubits))

    @functools.cached_property
    def basis(self) -> tuple[PauliSum, ...]:
        return tuple(self.packed.to_pauli_sums(self.num_qubits))

    @functools.cached_property
    def is_pauli_string_basis(self) -> bool:
        """Whether every basis element is a single Pauli string."""
        return len(self.packed.coef) == self.packed.count

    def to_cirq(self) -> list[cirq.PauliSum]:
        """The basis as ``cirq.PauliSum`` objects on :attr:`qubits`."""
        return [b.to_cirq(self.qubits) for b in self.basis]

    def _key(self) -> tuple:
        qubits = self.num_qubits if self.explicit_qubits is None else self.explicit_qubits
        return (qubits, self.generators, self.exact, self.basis)

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
            whose generators are read with :func:`lie_sim.circuits.extraction.extract_generators`.
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
    if is_cirq(generators, "AbstractCircuit"):
        from lie_sim.circuits.extraction import extract_generators

        circuit_qubits = (
            tuple(qubits) if qubits is not None else tuple(sorted(generators.all_qubits()))
        )
        generators = [g.pauli_sum for g in extract_generators(generators, qubits=circuit_qubits)]
        qubits = circuit_qubits
    order, sums = _as_pauli_sums(generators, qubits)
    num_qubits = order if isinstance(order, int) else len(order)
    if max_dim is not None and max_dim < 0:
        raise ValueError(f"max_dim must be non-negative, got {max_dim}")
    words = num_words(num_qubits)
    bar = Progress("lie_closure", enabled=progress)
    try:
        if all(len(s) == 1 for s in sums):
            basis = pauli_string_closure(
                [s.words[0] for s in sums], num_qubits, max_dim=max_dim, progress=bar
            )
            exact = True
        else:
            integer = [_primitive_integers(s.coefficients) for s in sums]
            exact = all(c is not None for c in integer)
            if exact:
                gens = [pack_sum(s.words, c, words) for s, c in zip(sums, integer, strict=True)]
                basis = _closure_exact(gens, max_dim, bar)
            else:
                gens = [pack_sum(s.words, _unit_floats(s), words) for s in sums]
                basis = _closure_float(gens, max_dim, bar, rtol)
    finally:
        bar.close()
    explicit = None if isinstance(order, int) else order
    return DynamicalLieAlgebra(num_qubits, tuple(sums), exact, basis, explicit)


# ----------------------------------------------------------------------------------------
# Input normalisation


def _as_pauli_sums(
    generators: Iterable[GeneratorLike], qubits: Sequence[cirq.Qid] | None
) -> tuple[tuple[cirq.Qid, ...] | int, list[PauliSum]]:
    """The qubit order (an int ``n`` for line qubits 0..n-1 given as text) and the sums."""
    if isinstance(generators, str | PauliSum) or is_cirq(generators, "PauliString", "PauliSum"):
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
        item = as_pauli_sum(item, order, name=f"Generator {k}", error=GeneratorError)
        item = _hermitian_part(item.without_identity(), k)
        if len(item):
            sums.append(item)
    if not sums:
        raise GeneratorError(
            "Every generator is a multiple of the identity; the identity is central and "
            "dropped, so there is no algebra to close"
        )
    return order, sums


def _qubit_order(items: list, qubits: Sequence[cirq.Qid] | None) -> tuple[cirq.Qid, ...] | int:
    """The qubit order; ``n`` (an int) when it is ``cirq.LineQubit.range(n)``."""
    used: set[cirq.Qid] = set()
    indexed = 0
    for item in items:
        if is_cirq(item, "PauliString", "PauliSum"):
            used |= set(item.qubits)
        elif isinstance(item, PauliSum):
            indexed = max(indexed, item.num_qubits)
    if qubits is None and not used:
        return indexed
    import cirq

    line = tuple(cirq.LineQubit.range(indexed))
    used |= set(line)
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
    return len(order) if order == tuple(cirq.LineQubit.range(len(order))) else order


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
# The three closures


def _closure_exact(gens: list[PackedSums], max_dim: int | None, bar: Progress) -> PackedSums:
    for search, check in PRIMES:
        try:
            return exact_closure(gens, max_dim, bar, ModPSpan(search), check)
        except UnluckyPrime:
            continue
    raise RuntimeError("Every pair of primes disagreed on a rank; please report this input")


def _closure_float(
    gens: list[PackedSums], max_dim: int | None, bar: Progress, rtol: float
) -> PackedSums:
    span = FloatSpan(rtol)
    columns = ColumnIndex()

    def add(batch: PackedSums) -> np.ndarray:
        cols = columns.columns(batch)
        distinct = columns.distinct(batch, cols)
        cols = cols[batch.term_indices(distinct)[0]]
        return distinct[span.add(batch.select(distinct), cols, columns.size)]

    candidates = normalised(concat(gens))
    independent = candidates.select(np.sort(add(candidates)))
    # Dependent generators are combinations of the independent ones: bracket with those only.
    brackets_with = [independent.select(np.array([i])) for i in range(independent.count)]
    found = [independent]
    dim = independent.count
    frontier = independent
    budget = MemoryBudget()
    # A product of two terms: packed x and z masks, a float coefficient and its owner.
    product_bytes = 16 * independent.x.shape[1] + 16
    generator_terms = len(independent.coef)
    while frontier.count:
        check_max_dim(dim, max_dim)
        bar.update(dim=dim)
        step = len(frontier.coef) * generator_terms * product_bytes  # at most, before merging
        budget.require(step, dim=dim, max_dim=max_dim, peak=step)
        candidates = normalised(brackets(frontier, brackets_with))
        frontier = candidates.select(np.sort(add(candidates)))
        found.append(frontier)
        dim += frontier.count
    check_max_dim(dim, max_dim)
    return concat(found)
