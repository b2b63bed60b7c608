"""Parameterized Cirq circuits from the literature, for closure, g-sim tests and benchmarks.

Where :mod:`lie_sim.catalog.architectures` gives generator families as Pauli sums, these
builders give the circuits themselves, so that the extraction (fixed gates pushed through,
shared symbols tied) and the simulators can be run on what a user would write.

Conventions shared by every builder:

* Qubits are ``cirq.LineQubit.range(n)``; graph node ``i`` is ``cirq.LineQubit(i)``.
* Each symbol is the gate's own parameter (the exponent of a ``*PowGate``, the angle of
  ``cirq.rx``/``ry``/``rz``), so every angle is affine in its symbol. Names are
  ``{role}_{layer}`` for a symbol shared across a layer and ``{role}_{layer}_{site}`` for a
  symbol of one gate; layers count from 0 and a bond ``(i, i + 1)`` (or the closing bond
  ``(n − 1, 0)``) has site ``i``.
* Every builder checks ``n >= 2`` and ``layers >= 1`` and raises ``ValueError`` otherwise.
* On a ring of two qubits the closing bond ``(1, 0)`` is the bond ``(0, 1)`` again, so
  ``periodic=True`` adds it only for ``n >= 3`` (as :func:`lie_sim.catalog.architectures.tfim`
  does).
"""

from __future__ import annotations

import cirq
import networkx as nx
import numpy as np
import sympy


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
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += (cirq.rz(sympy.Symbol(f"theta_{layer}_{i}")).on(q[i]) for i in range(n))
        for bond_set in _brick_bonds(n, periodic):
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
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        beta, gamma = sympy.Symbol(f"beta_{layer}"), sympy.Symbol(f"gamma_{layer}")
        for bond_set in _brick_bonds(n, periodic):
            circuit += (cirq.ZZPowGate(exponent=beta).on(q[i], q[j]) for i, j in bond_set)
        circuit += (cirq.rx(gamma).on(x) for x in q)
    return circuit


def qaoa_maxcut(
    graph: nx.Graph | None = None, layers: int = 1, *, n: int | None = None
) -> cirq.Circuit:
    """QAOA for MaxCut on ``graph`` (Farhi, Goldstone, Gutmann, arXiv 1411.4028).

    The circuit starts with ``H`` on every qubit (fixed gates preparing ``|+⟩^n``); each layer
    is ``ZZPowGate(gamma_{l})`` on every edge (the cost unitary, up to a global phase) and
    ``rx(beta_{l})`` on every node (the mixer). ``ZZPowGate(γ)`` is ``exp(−iπγ/2 · Z Z)`` and
    ``rx(β)`` is ``exp(−iβ/2 · X)``, so the paper's angles ``(γ, β)`` (with ``exp(−iγC)``,
    ``C = Σ (1 − Z_iZ_j)/2``, and ``exp(−iβ Σ X_i)``) are ``(−π·gamma_l, beta_l/2)``. The
    algebra of the cycle graph is worked out by Allcock et al., arXiv 2407.12587 (3n − 1 for
    n ≥ 3, as for :func:`tfim_hva` on a ring: the Hadamards only change the basis).

    Args:
        graph: a simple graph whose nodes are the integers ``0 … n − 1``, with no self-loops.
            ``None`` means the complete graph on ``n`` nodes.
        layers: number of layers, at least 1.
        n: number of qubits; required when ``graph`` is ``None``, otherwise it must equal the
            number of nodes.

    Returns:
        The circuit, with ``2 · layers`` distinct symbols.

    Raises:
        ValueError: fewer than 2 nodes, ``layers < 1``, nodes that are not ``0 … n − 1``,
            a self-loop, a directed graph or multigraph, or ``n`` that disagrees with ``graph``.

    Example:
        >>> c = qaoa_maxcut(nx.path_graph(3), layers=2)
        >>> sorted(cirq.parameter_names(c)), len(c.all_qubits())
        (['beta_0', 'beta_1', 'gamma_0', 'gamma_1'], 3)
    """
    graph = _maxcut_graph(graph, n)
    n = graph.number_of_nodes()
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit(cirq.H.on_each(*q))
    for layer in range(layers):
        gamma, beta = sympy.Symbol(f"gamma_{layer}"), sympy.Symbol(f"beta_{layer}")
        circuit += (cirq.ZZPowGate(exponent=gamma).on(q[i], q[j]) for i, j in graph.edges)
        circuit += (cirq.rx(beta).on(x) for x in q)
    return circuit


def qaoa_ring(n: int, layers: int = 1) -> cirq.Circuit:
    """:func:`qaoa_maxcut` on the cycle graph ``0 − 1 − … − (n − 1) − 0``.

    Its algebra is that of the transverse-field Ising ring, 3n − 1 for n ≥ 3 (Allcock et al.,
    arXiv 2407.12587); for ``n = 2`` the cycle is the single edge ``(0, 1)``.

    Example:
        >>> len(qaoa_ring(5).all_qubits()), sorted(cirq.parameter_names(qaoa_ring(5)))
        (5, ['beta_0', 'gamma_0'])
    """
    _check_size(n, layers)
    return qaoa_maxcut(nx.cycle_graph(n), layers)


def clifford_layered(n: int, layers: int, *, seed: int = 0) -> cirq.Circuit:
    """Parameterized layers separated by fixed, seeded Clifford layers.

    Each layer is ``rz(theta_{l}_{q})`` on every qubit; then a fixed ``CNOT`` on every even
    bond ``(i, i + 1)`` and, on each qubit, ``H``, ``S`` or nothing, drawn uniformly by
    ``numpy.random.default_rng(seed)``; then ``XXPowGate(xx_{l}_{i})`` on every odd bond (none
    for ``n = 2``). It exercises the Pauli-frame path of the extraction: the fixed gates are
    pushed through (DESIGN.md, "Cirq pitfalls"), so each generator becomes a signed Pauli
    string. Nothing keeps the algebra small: with ``seed=0`` and two layers it has dimension
    4, 16, 127, 511, 1022 for n = 2…6 (su(4) ⊕ u(1) at n = 3, 2·su(16) ⊕ u(1) at n = 5),
    and with more layers it approaches su(2^n).

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        seed: seed of the Clifford choices; the same seed gives the same circuit.

    Returns:
        The circuit, with ``layers · (n + ⌊(n − 1)/2⌋)`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> c = clifford_layered(3, 2, seed=1)
        >>> len(cirq.parameter_names(c)), c == clifford_layered(3, 2, seed=1)
        (8, True)
    """
    _check_size(n, layers)
    rng = np.random.default_rng(seed)
    q = cirq.LineQubit.range(n)
    even, odd = _brick_bonds(n, False)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += (cirq.rz(sympy.Symbol(f"theta_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (cirq.CNOT(q[i], q[j]) for i, j in even)
        choices = rng.integers(0, 3, size=n)  # 0: nothing, 1: H, 2: S
        circuit += ((None, cirq.H, cirq.S)[c].on(q[i]) for i, c in enumerate(choices) if c)
        circuit += (
            cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{layer}_{i}")).on(q[i], q[j]) for i, j in odd
        )
    return circuit


def hardware_efficient(n: int, layers: int) -> cirq.Circuit:
    """Hardware-efficient ansatz: ``rx``, ``ry`` on each qubit, then a CZ ladder.

    Each layer is ``rx(rx_{l}_{q})`` and ``ry(ry_{l}_{q})`` on every qubit, then fixed
    ``CZ(i, i + 1)`` for ``i = 0 … n − 2`` (McClean et al., *Barren plateaus in quantum neural
    network training landscapes*, Nat. Commun. 9, 4812 (2018), arXiv 1803.11173). With two or
    more layers its algebra is su(2^n), of dimension 4^n − 1: the textbook barren-plateau
    case. With one layer the only CZ ladder comes after every parameter and is pushed out, so
    the algebra is n·su(2), of dimension 3n.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.

    Returns:
        The circuit, with ``2 · n · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(hardware_efficient(2, 1)))
        ['rx_0_0', 'rx_0_1', 'ry_0_0', 'ry_0_1']
    """
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += (cirq.rx(sympy.Symbol(f"rx_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (cirq.ry(sympy.Symbol(f"ry_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (cirq.CZ(q[i], q[i + 1]) for i in range(n - 1))
    return circuit


def _check_size(n: int, layers: int) -> None:
    if n < 2:
        raise ValueError(f"n = {n!r} qubits is not supported; accepted: an integer n >= 2")
    if layers < 1:
        raise ValueError(f"layers = {layers!r} is not supported; accepted: an integer >= 1")


def _brick_bonds(n: int, periodic: bool) -> list[list[tuple[int, int]]]:
    """Even bonds, odd bonds, and (if ``periodic`` and ``n >= 3``) the closing bond."""
    even = [(i, i + 1) for i in range(0, n - 1, 2)]
    odd = [(i, i + 1) for i in range(1, n - 1, 2)]
    closing = [(n - 1, 0)] if periodic and n >= 3 else []
    return [even, odd, closing] if closing else [even, odd]


def _maxcut_graph(graph: nx.Graph | None, n: int | None) -> nx.Graph:
    """The graph to build on, checked: nodes ``0 … n − 1``, simple, undirected."""
    if graph is None:
        if n is None:
            raise ValueError("qaoa_maxcut needs a graph or n (n alone means the complete graph)")
        _check_size(n, 1)
        return nx.complete_graph(n)
    if graph.is_directed() or graph.is_multigraph():
        raise ValueError(f"graph must be a simple undirected nx.Graph, got {type(graph).__name__}")
    nodes = set(graph.nodes)
    if nodes != set(range(len(nodes))):
        raise ValueError(
            f"graph nodes must be the integers 0 … n − 1, got {sorted(nodes, key=repr)!r}"
        )
    if n is not None and n != len(nodes):
        raise ValueError(f"n = {n!r} disagrees with the graph's {len(nodes)} nodes")
    loops = list(nx.selfloop_edges(graph))
    if loops:
        raise ValueError(f"graph has self-loops {loops!r}; MaxCut needs edges between two nodes")
    return graph
