"""Spin-chain ansätze: free-fermion brickwork, Hamiltonian-variational ansätze (TFIM, XY,
XXZ, Heisenberg) and XX+Z on a lattice; parameterized Cirq circuits (conventions in
:mod:`lie_sim.catalog.circuits`)."""

from __future__ import annotations

import cirq
import sympy

from lie_sim.catalog.circuits._common import brick_bonds, check_size, local_rotations


def matchgate_brickwork(n: int, layers: int, *, periodic: bool = False) -> cirq.Circuit:
    """Free-fermion (matchgate) brickwork with one parameter per gate.

    Each layer is ``rz(theta_{l}_{q})`` on every qubit, then ``XXPowGate(xx_{l}_{i})`` and
    ``YYPowGate(yy_{l}_{i})`` on the even bonds ``(i, i + 1)``, then on the odd bonds. The
    generators ``Z_i``, ``X_iX_{i+1}``, ``Y_iY_{i+1}`` are quadratic in Majorana operators,
    and on an open chain they generate so(2n), of dimension n(2n − 1) (Jozsa and Miyake,
    arXiv 0804.4050; Wiersema et al., arXiv 2309.05690).

    With ``periodic=True`` each layer ends with XX and YY gates on the closing bond
    ``(n − 1, 0)`` (site ``n − 1``), a circular chain in the sense of arXiv 2309.05690. Under
    the Jordan–Wigner map that bond carries the fermion parity string, so the circuit is not a
    matchgate circuit: its algebra has dimension 2n(2n − 1) for n = 3…6 (``lie_closure``),
    so(2n) ⊕ so(2n), one copy per parity sector (``classify_algebra``, n = 3…5).

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        periodic: add the closing bond ``(n − 1, 0)`` (only for ``n >= 3``).

    Returns:
        The circuit, with ``layers · (3n − 2)`` distinct symbols (``layers · 3n`` if periodic
        and ``n >= 3``).

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> c = matchgate_brickwork(3, 1)
        >>> sorted(cirq.parameter_names(c))
        ['theta_0_0', 'theta_0_1', 'theta_0_2', 'xx_0_0', 'xx_0_1', 'yy_0_0', 'yy_0_1']
    """
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += local_rotations(cirq.rz, "theta", layer, q)
        for bond_set in brick_bonds(n, periodic):
            for i, j in bond_set:
                circuit += cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{layer}_{i}")).on(q[i], q[j])
                circuit += cirq.YYPowGate(exponent=sympy.Symbol(f"yy_{layer}_{i}")).on(q[i], q[j])
    return circuit


def tfim_hva(n: int, layers: int, *, periodic: bool = False) -> cirq.Circuit:
    """Hamiltonian variational ansatz for the transverse-field Ising model.

    Each layer is ``ZZPowGate(beta_{l})`` on every bond, then ``rx(gamma_{l})`` on every
    qubit: two shared symbols per layer, so the generators are ``Σ Z_iZ_{i+1}`` and ``Σ X_i``
    (Wiersema et al., PRX Quantum 1, 020319 (2020), arXiv 2008.02941). The paper starts from
    ``|+⟩^n``, the ground state of ``−Σ X_i``; prepare it separately if needed, the circuit
    starts with the first ZZ layer.

    The algebra has dimension n² on an open chain and 3n − 1 on a ring for n ≥ 3 (see
    :func:`lie_sim.catalog.architectures.tfim`).

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        periodic: add the closing bond ``(n − 1, 0)`` (only for ``n >= 3``).

    Returns:
        The circuit, with ``2 · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(tfim_hva(4, 2)))
        ['beta_0', 'beta_1', 'gamma_0', 'gamma_1']
    """
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        beta, gamma = sympy.Symbol(f"beta_{layer}"), sympy.Symbol(f"gamma_{layer}")
        for bond_set in brick_bonds(n, periodic):
            circuit += (cirq.ZZPowGate(exponent=beta).on(q[i], q[j]) for i, j in bond_set)
        circuit += (cirq.rx(gamma).on(x) for x in q)
    return circuit


def xy_mixer(n: int, layers: int, *, periodic: bool = False) -> cirq.Circuit:
    """Number-conserving XY-mixer brickwork with ``rz`` fields, one parameter per gate.

    Each layer is ``rz(theta_{l}_{q})`` on every qubit, then ``ISwapPowGate(xy_{l}_{i})``
    (``exp(iπt/4 · (XX + YY))``) on the even bonds, then on the odd bonds. Both generators
    conserve the Hamming weight; under the Jordan–Wigner map they are number-conserving
    quadratic fermion operators, so on an open chain the algebra is u(n) (dimension n²,
    ``lie_closure``, n = 3…8). XY mixers are studied by Kordonowy and Leipold, arXiv
    2505.18396.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        periodic: add the closing bond ``(n − 1, 0)`` (only for ``n >= 3``).

    Returns:
        The circuit, with ``layers · (2n − 1)`` distinct symbols (``layers · 2n`` if periodic
        and ``n >= 3``).

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(xy_mixer(3, 1)))
        ['theta_0_0', 'theta_0_1', 'theta_0_2', 'xy_0_0', 'xy_0_1']
    """
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += local_rotations(cirq.rz, "theta", layer, q)
        for bond_set in brick_bonds(n, periodic):
            circuit += (
                cirq.ISwapPowGate(exponent=sympy.Symbol(f"xy_{layer}_{i}")).on(q[i], q[j])
                for i, j in bond_set
            )
    return circuit


def xxz_hva(n: int, layers: int, *, periodic: bool = False) -> cirq.Circuit:
    """Hamiltonian variational ansatz for the XXZ chain (Wiersema et al., arXiv 2008.02941).

    Each layer is ``ZZPowGate(zz_odd_{l})`` then ``ISwapPowGate(xy_odd_{l})`` on the odd
    bonds, then ``ZZPowGate(zz_even_{l})`` and ``ISwapPowGate(xy_even_{l})`` on the even
    bonds (and the closing bond, which is odd for even n, with ``periodic=True``): four
    shared symbols per layer, the generators ``Σ Z_iZ_{i+1}`` and ``Σ (X_iX_{i+1} +
    Y_iY_{i+1})`` over each bond set. Wiersema et al. start from a product of singlets on the
    even bonds; prepare it separately if needed.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        periodic: add the closing bond ``(n − 1, 0)`` (only for ``n >= 3``) to the odd set.

    Returns:
        The circuit, with ``4 · layers`` distinct symbols (``2 · layers`` for ``n = 2``).

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(xxz_hva(4, 1)))
        ['xy_even_0', 'xy_odd_0', 'zz_even_0', 'zz_odd_0']
    """
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    even, odd, *closing = brick_bonds(n, periodic)
    circuit = cirq.Circuit()
    for layer in range(layers):
        for name, bonds in (("odd", odd + sum(closing, [])), ("even", even)):
            if not bonds:
                continue
            zz, xy = sympy.Symbol(f"zz_{name}_{layer}"), sympy.Symbol(f"xy_{name}_{layer}")
            circuit += (cirq.ZZPowGate(exponent=zz).on(q[i], q[j]) for i, j in bonds)
            circuit += (cirq.ISwapPowGate(exponent=xy).on(q[i], q[j]) for i, j in bonds)
    return circuit


def heisenberg_brickwork(n: int, layers: int) -> cirq.Circuit:
    """Heisenberg exchange ``exp(−iπt/2 · (XX + YY + ZZ))`` on each bond, one parameter each.

    Each layer applies ``XXPowGate``, ``YYPowGate`` and ``ZZPowGate`` with the same symbol
    ``j_{l}_{i}`` to the even bonds, then to the odd bonds; the three commute, so each bond
    has the single generator ``X_iX_{i+1} + Y_iY_{i+1} + Z_iZ_{i+1}`` of
    :func:`lie_sim.catalog.architectures.heisenberg_bonds`. The gates are SU(2)-invariant,
    and 2-local SU(2)-invariant gates do not generate every SU(2)-invariant unitary
    (Marvian, Nat. Phys. 18, 283 (2022), arXiv 2003.05524); the algebra has dimension
    ``C_n − ⌊n/2⌋`` (:func:`lie_sim.catalog.architectures.heisenberg_bonds_dimension`),
    which grows exponentially.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.

    Returns:
        The circuit, with ``layers · (n − 1)`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(heisenberg_brickwork(3, 1)))
        ['j_0_0', 'j_0_1']
    """
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    gates = (cirq.XXPowGate, cirq.YYPowGate, cirq.ZZPowGate)
    for layer in range(layers):
        for bond_set in brick_bonds(n, False):
            for i, j in bond_set:
                t = sympy.Symbol(f"j_{layer}_{i}")
                circuit += (gate(exponent=t).on(q[i], q[j]) for gate in gates)
    return circuit


def xx_z_lattice(n: int, layers: int = 1, *, width: int = 2) -> cirq.Circuit:
    """XX couplings on the edges of a square lattice and Z fields, one parameter per gate.

    Qubit ``i`` sits at row ``i // width``, column ``i % width`` (row-major; the last row may
    be partial). Each layer is ``rz(z_{l}_{i})`` on every qubit, then
    ``XXPowGate(xx_{l}_{i}_{j})`` on every horizontal edge and then every vertical edge
    ``(i, j)``. The generators are the Pauli strings ``Z_i`` and ``X_iX_j``; Kökcü et al.
    (*Classification of dynamical Lie algebras generated by spin interactions on undirected
    graphs*, arXiv 2409.19797) show that beyond one dimension the algebra of 2-local
    interactions depends only on whether the graph is bipartite, and that polynomial
    algebras occur only in one dimension; with ``width=2`` the measured dimension is 56,
    255, 1,056 for n = 4, 5, 6 (``lie_closure``).

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        width: number of columns, at least 1.

    Returns:
        The circuit, with ``layers · (n + #edges)`` distinct symbols.

    Raises:
        ValueError: ``n < 2``, ``layers < 1`` or ``width < 1``.

    Example:
        >>> c = xx_z_lattice(4)  # a 2 × 2 square
        >>> sorted(s for s in cirq.parameter_names(c) if s.startswith("xx"))
        ['xx_0_0_1', 'xx_0_0_2', 'xx_0_1_3', 'xx_0_2_3']
    """
    check_size(n, layers)
    if width < 1:
        raise ValueError(f"width = {width!r} is not supported; accepted: an integer >= 1")
    q = cirq.LineQubit.range(n)
    horizontal = [(i, i + 1) for i in range(n - 1) if (i + 1) % width]
    vertical = [(i, i + width) for i in range(n - width)]
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += local_rotations(cirq.rz, "z", layer, q)
        circuit += (
            cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{layer}_{i}_{j}")).on(q[i], q[j])
            for i, j in horizontal + vertical
        )
    return circuit
