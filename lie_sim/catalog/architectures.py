"""Generator families from the literature, with their known DLA dimensions.

Each family is a builder ``n -> list[PauliSum]`` (qubit ``i`` is index ``i``), registered in
:data:`FAMILIES` with the closed-form dimension and the paper it comes from. The tests, the
benchmarks and ``lie-sim families`` use the same builders.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from lie_sim.pauli.paulis import PauliSum, PauliWord


def _term(*factors: tuple[str, int]) -> PauliWord:
    x = z = 0
    for letter, q in factors:
        w = PauliWord.single(letter, q)
        x, z = x | w.x, z | w.z
    return PauliWord(x, z)


def _string(*factors: tuple[str, int]) -> PauliSum:
    return PauliSum(((_term(*factors), 1),))


def _sum(words: list[PauliWord]) -> PauliSum:
    return PauliSum.from_terms((w, 1) for w in words)


def _bonds(n: int, periodic: bool) -> list[tuple[int, int]]:
    bonds = [(i, i + 1) for i in range(n - 1)]
    if periodic and n > 2:
        bonds.append((n - 1, 0))
    return bonds


def xx_z_chain(n: int) -> list[PauliSum]:
    """{X_iX_{i+1}, Z_i} on an open chain: so(2n), free fermions (arXiv 2309.05690).

    Example:
        >>> [str(g) for g in xx_z_chain(2)]
        ['X0 X1', 'Z0', 'Z1']
    """
    return [_string(("X", a), ("X", b)) for a, b in _bonds(n, False)] + [
        _string(("Z", i)) for i in range(n)
    ]


def matchgate_chain(n: int) -> list[PauliSum]:
    """{Z_i, X_iX_{i+1}, Y_iY_{i+1}} on an open chain: so(2n), free fermions (matchgates).

    Each generator is quadratic in Majorana operators, so the algebra is so(2n) of dimension
    n(2n − 1) (Jozsa and Miyake, arXiv 0804.4050; arXiv 2309.05690).

    Example:
        >>> [str(g) for g in matchgate_chain(2)]
        ['Z0', 'Z1', 'X0 X1', 'Y0 Y1']
    """
    bonds = _bonds(n, False)
    return (
        [_string(("Z", i)) for i in range(n)]
        + [_string(("X", a), ("X", b)) for a, b in bonds]
        + [_string(("Y", a), ("Y", b)) for a, b in bonds]
    )


def full_su_chain(n: int) -> list[PauliSum]:
    """{X_i, Y_i, Z_iZ_{i+1}} on an open chain: su(2^n), universal."""
    singles = [_string((p, i)) for p in "XY" for i in range(n)]
    return singles + [_string(("Z", a), ("Z", b)) for a, b in _bonds(n, False)]


def tfim(n: int, *, periodic: bool = False) -> list[PauliSum]:
    """Uniform transverse-field Ising generators {Σ Z_iZ_{i+1}, Σ X_i}.

    Open chain: dimension n² (the reflection-even part of so(2n)); periodic ring (the QAOA
    cycle, arXiv 2407.12587): 3n − 1 for n ≥ 3.

    Example:
        >>> [str(g) for g in tfim(3)]
        ['Z0 Z1 + Z1 Z2', 'X0 + X1 + X2']
    """
    zz = _sum([_term(("Z", a), ("Z", b)) for a, b in _bonds(n, periodic)])
    return [zz, _sum([_term(("X", i)) for i in range(n)])]


def tfim_ring(n: int) -> list[PauliSum]:
    """:func:`tfim` on a periodic ring (the QAOA cycle)."""
    return tfim(n, periodic=True)


def heisenberg_bonds(n: int) -> list[PauliSum]:
    """One generator X_iX_{i+1} + Y_iY_{i+1} + Z_iZ_{i+1} per bond of an open chain.

    The generators commute with global SU(2), so the algebra acts on each total-spin sector
    ``j`` (multiplicity ``m_j``) as ``su(m_j)``, plus a one-dimensional centre: 2-local
    SU(2)-invariant gates do not reach the relative phases between sectors (Marvian,
    Nat. Phys. 18, 283 (2022), arXiv 2003.05524). Its dimension is ``Σ_j (m_j² − 1) + 1 =
    C_n − ⌊n/2⌋``, with ``C_n = Σ_j m_j²`` the Catalan number (40, 129, 426, 1426 for
    n = 5…8, as PennyLane's closure also gives).

    Example:
        >>> [str(g) for g in heisenberg_bonds(3)]
        ['X0 X1 + Y0 Y1 + Z0 Z1', 'X1 X2 + Y1 Y2 + Z1 Z2']
    """
    return [_sum([_term((p, a), (p, b)) for p in "XYZ"]) for a, b in _bonds(n, False)]


def heisenberg_bonds_dimension(n: int) -> int:
    """``C_n − ⌊n/2⌋`` (see :func:`heisenberg_bonds`), for n ≥ 2.

    Example:
        >>> [heisenberg_bonds_dimension(n) for n in range(2, 9)]
        [1, 4, 12, 40, 129, 426, 1426]
    """
    return math.comb(2 * n, n) // (n + 1) - n // 2


@dataclasses.dataclass(frozen=True)
class Family:
    """A named generator family with its known DLA dimension and reference."""

    name: str
    build: Callable[[int], list[PauliSum]]
    dimension: Callable[[int], int]
    formula: str
    reference: str


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in [
        Family("xx_z", xx_z_chain, lambda n: n * (2 * n - 1), "n(2n-1)", "arXiv 2309.05690"),
        Family(
            "matchgate",
            matchgate_chain,
            lambda n: n * (2 * n - 1),
            "n(2n-1)",
            "arXiv 0804.4050; arXiv 2309.05690",
        ),
        Family("su_full", full_su_chain, lambda n: 4**n - 1, "4^n-1", "arXiv 2309.05690"),
        Family("tfim_open", tfim, lambda n: n * n, "n^2", "arXiv 2309.05690; DESIGN.md"),
        Family("tfim_ring", tfim_ring, lambda n: 3 * n - 1, "3n-1", "arXiv 2407.12587"),
        Family(
            "heisenberg_bonds",
            heisenberg_bonds,
            heisenberg_bonds_dimension,
            "C_n - floor(n/2)",
            "arXiv 2003.05524 (SU(2) sectors)",
        ),
    ]
}
