"""Centre, simple ideals and isomorphism type of a dynamical Lie algebra.

A DLA is a compact real Lie algebra, hence reductive: ``g = z ⊕ g_1 ⊕ ... ⊕ g_k`` with ``z``
its centre and ``g_j`` simple ideals, mutually orthogonal in the trace form
``⟨A, B⟩ = Tr(AB)/2^n = Σ_P a_P b_P``. Each ``g_j`` is ``su(N)``, ``so(N)``, ``sp(N)`` or
exceptional; Pauli-string algebras are never exceptional (Aguilar et al., arXiv 2408.00081).
The values returned (:class:`AlgebraType`, :class:`AlgebraDecomposition`) are defined in
:mod:`lie_sim.algebra.algebra_types` and re-exported here.

Ideals need not be spanned by Pauli strings ("controlled copies": ``{XX, YZ}`` on an open
chain of 4 qubits is ``4·sp(2)``, with ideals spanned by sums like ``(XXII ± ...)/√2``), so
the decomposition is read off the root system of a maximal torus rather than from
Pauli-string graphs. Three ways to find the roots, each in its own module:

* **Pauli-string bases** (:mod:`lie_sim.algebra.string_roots`): a maximal set of commuting
  strings is a maximal torus, and the roots are exact integer vectors on it.
* **Pauli-sum bases on few qubits** (:mod:`lie_sim.algebra.weight_roots`): the weights of a
  random element's eigenspaces in the defining ``2^n``-dimensional representation; a second
  random element, in that eigenbasis, shows the roots block by block. ``O(8^n)``, no brackets.
* **Pauli-sum bases with few strings** (:mod:`lie_sim.algebra.adjoint_roots`): the adjoint
  matrix of a random element, diagonalised densely; ``O(dim³)`` plus brackets of all pairs of
  the strings the basis uses.

The cheaper of the two Pauli-sum paths by operation count goes first, the other is the
fallback. The roots become simple ideals and types in :mod:`lie_sim.algebra.root_systems`
(simple roots, Cartan matrix, Dynkin components; root lengths tell ``so(2m+1)`` from
``sp(m)``). Every step is checked (integral Cartan matrix, root counts of the identified type,
dimensions adding up); a failed check on a random element is retried with a fresh one, then
raised as :class:`ClassificationError`. Where an ideal turns out to be spanned by Pauli
strings (its basis uses exactly ``dim`` strings), the unit strings themselves are returned.

References:
    Wiersema, Kökcü, Kemper, Bakalov, *Classification of dynamical Lie algebras of 2-local
    spin systems on linear and circular chains*, arXiv 2309.05690.
    Aguilar, Cichy, Eisert, Bittel, *Full classification of Pauli Lie algebras*,
    arXiv 2408.00081.
    Humphreys, *Introduction to Lie Algebras and Representation Theory*, §8–11 (root spaces,
    simple roots, Cartan matrices, Dynkin diagrams); Knapp, *Lie Groups Beyond an
    Introduction*, ch. IV (compact Lie algebras, maximal tori).
"""

from __future__ import annotations

import numpy as np

from lie_sim.algebra.adjoint_roots import analyse_adjoint
from lie_sim.algebra.algebra_types import (
    FAMILIES,
    AlgebraDecomposition,
    AlgebraType,
    SimpleIdeal,
    canonical_simple,
    simple_dimension,
    simple_name,
    simple_rank,
)
from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.algebra.root_systems import Analysis, Inconsistent
from lie_sim.algebra.string_roots import analyse_strings
from lie_sim.algebra.weight_roots import analyse_weights
from lie_sim.errors import ClassificationError
from lie_sim.pauli.paulis import row_keys

# The value types live in lie_sim.algebra.algebra_types; they are re-exported here with the
# algorithms.
__all__ = [
    "FAMILIES",
    "AlgebraDecomposition",
    "AlgebraType",
    "ClassificationError",
    "SimpleIdeal",
    "canonical_simple",
    "classify_algebra",
    "decompose",
    "simple_dimension",
    "simple_name",
    "simple_rank",
]


# ----------------------------------------------------------------------------------------
# Public algorithms


def classify_algebra(dla: DynamicalLieAlgebra) -> AlgebraType:
    """The isomorphism type of ``dla``: centre dimension and simple ideals.

    See the module docstring for the algorithm (root system of a maximal torus, Dynkin
    diagram). A Pauli-string algebra costs ``O(dim · rank)`` bit operations plus dense
    eigensolves of small blocks: ``so(128)`` (dimension 8128) takes about a second. A Pauli-sum
    algebra on ``n`` qubits costs ``O(8^n)`` in its defining representation (the per-bond
    Heisenberg chain at ``n = 8``, dimension 1426, about a second), or ``O(dim³)`` in the
    adjoint representation where ``2^n`` is large.

    Raises:
        ClassificationError: a consistency check of the root system failed (please report).

    Example:
        >>> from lie_sim import lie_closure
        >>> n = 5
        >>> gens = [f"X{i} X{i+1}" for i in range(n - 1)] + [f"Z{i}" for i in range(n)]
        >>> print(classify_algebra(lie_closure(gens)))  # so(2n), arXiv 2309.05690
        so(10)
        >>> controlled = ["X0 X1", "X1 X2", "X2 X3", "Y0 Z1", "Y1 Z2", "Y2 Z3"]
        >>> print(classify_algebra(lie_closure(controlled)))  # {XX, YZ}, open chain, n = 4
        4·sp(2)
    """
    return _analyse(dla).algebra_type


def decompose(dla: DynamicalLieAlgebra) -> AlgebraDecomposition:
    """The centre and simple ideals of ``dla``, each with a basis orthonormal in ``Tr(AB)/2^n``.

    The contract, for computing g-purities per simple ideal (Ragone et al., Nat. Commun. 15,
    7172 (2024): ``P_{g_j}(H) = Σ_k ⟨B_k, H⟩²`` over an orthonormal basis ``{B_k}`` of
    ``g_j``, with ``⟨A, B⟩ = Tr(AB)/2^n = Σ_P a_P b_P``): ``center`` and every ``ideal.basis`` are
    tuples of Hermitian :class:`PauliSum` elements ``B`` (the algebra element is ``i·B``),
    together an orthonormal basis of the algebra in ``Σ_P a_P b_P``; ideals come in the
    canonical order of :class:`AlgebraType` and carry their canonical ``(family, n)``.

    Raises:
        ClassificationError: a consistency check of the root system failed (please report).

    Example:
        >>> from lie_sim import lie_closure
        >>> d = decompose(lie_closure(["X0 X1", "Z0", "Z1"]))  # so(4) = su(2) ⊕ su(2)
        >>> d.algebra_type, [ideal.dim for ideal in d.ideals]
        (AlgebraType(center_dim=0, simple=(('su', 2), ('su', 2))), [3, 3])
        >>> [len(b) for b in d.ideals[0].basis]  # not spanned by Pauli strings: (Z0 - Z1)/√2, ...
        [2, 2, 2]
        >>> sorted(w.to_text(2) for b in d.ideals[0].basis for w in b.words)
        ['IZ', 'XX', 'XY', 'YX', 'YY', 'ZI']
    """
    return _analyse(dla).decomposition()


# ----------------------------------------------------------------------------------------
# Choosing a path

_ATTEMPTS = 4


def _analyse(dla: DynamicalLieAlgebra) -> Analysis:
    if not isinstance(dla, DynamicalLieAlgebra):
        raise TypeError(
            f"Expected a DynamicalLieAlgebra (from lie_sim.lie_closure), got {type(dla).__name__}"
        )
    paths = _paths(dla)
    failure = None
    for analyse in paths:
        for attempt in range(_ATTEMPTS):
            try:
                return analyse(dla, np.random.default_rng(attempt))
            except Inconsistent as exc:
                failure = exc
    raise ClassificationError(
        f"The root-system analysis of {dla!r} failed its checks {_ATTEMPTS * len(paths)} times "
        f"(last: {failure}); please report this input"
    )


def _paths(dla: DynamicalLieAlgebra) -> tuple:
    """The analyses to try in turn: strings for string bases; else the cheaper sum path first.

    Operation counts, calibrated on TFIM, QAOA-ring and per-bond Heisenberg chains: the weight
    path costs about ``N³ + N²·S`` for ``N = 2^n`` over the qubits the basis touches and ``S``
    distinct strings; the adjoint path ``(|G| + 1)·(S²·dim/4 + S·dim²) + 10·dim³`` (adjoint
    matrices of the generators and a random element over all anticommuting string pairs, the
    orthonormal frame, dense eigensolves). Where the first path's checks keep failing (the
    weight path needs gaps between the ``N`` eigenvalues of a random element) the other gets
    its turn, if ``N`` allows. Both paths work on the exact echelon basis of an exact algebra
    (:func:`~lie_sim.algebra.structure.conditioned_basis`), so the conditioning of the
    closure's basis decides neither.
    """
    if dla.is_pauli_string_basis:
        return (analyse_strings,)
    packed, dim = dla.packed, dla.dim
    n = int(np.bitwise_count(np.bitwise_or.reduce(packed.x | packed.z, axis=0)).sum())
    if n > _WEIGHT_QUBITS:
        return (analyse_adjoint,)
    strings = len(np.unique(row_keys(packed.x, packed.z)))
    weights = 2.0 * (8.0**n + 4.0**n * strings)
    adjoint = (len(dla.generators) + 1) * (strings**2 * dim / 4 + strings * dim**2) + 10 * dim**3
    if weights <= adjoint:
        return analyse_weights, analyse_adjoint
    return analyse_adjoint, analyse_weights


_WEIGHT_QUBITS = 12  # N = 4096: a few 268 MB matrices
