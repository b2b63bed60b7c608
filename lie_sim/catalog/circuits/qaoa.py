"""QAOA MaxCut circuits on given, named and random graphs (conventions in
:mod:`lie_sim.catalog.circuits`)."""

from __future__ import annotations

import cirq
import networkx as nx
import sympy

from lie_sim.catalog.circuits._common import check_size


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
    check_size(n, layers)
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
    check_size(n, layers)
    return qaoa_maxcut(nx.cycle_graph(n), layers)


def qaoa_path(n: int, layers: int = 1) -> cirq.Circuit:
    """:func:`qaoa_maxcut` on the path graph ``0 − 1 − … − (n − 1)``.

    Up to the Hadamard basis change its generators are those of :func:`tfim_hva` on an open
    chain, so its algebra has dimension n² (``lie_closure``, n = 3…8).

    Example:
        >>> c = qaoa_path(4, layers=2)
        >>> len(c.all_qubits()), sorted(cirq.parameter_names(c))
        (4, ['beta_0', 'beta_1', 'gamma_0', 'gamma_1'])
    """
    check_size(n, layers)
    return qaoa_maxcut(nx.path_graph(n), layers)


def qaoa_complete(n: int, layers: int = 1) -> cirq.Circuit:
    """:func:`qaoa_maxcut` on the complete graph on ``n`` nodes.

    The generators ``Σ X_i`` and ``Σ_{i<j} Z_iZ_j`` are invariant under every permutation of
    the qubits, so the algebra lies in the permutation-invariant operators and its dimension
    is polynomial: O(n³) (Allcock et al., arXiv 2407.12587).

    Example:
        >>> c = qaoa_complete(4)
        >>> len([op for op in c.all_operations() if len(op.qubits) == 2])
        6
    """
    check_size(n, layers)
    return qaoa_maxcut(n=n, layers=layers)


def qaoa_erdos_renyi(
    n: int, layers: int = 1, *, p: float = 0.5, seed: int = 0, max_tries: int = 1000
) -> cirq.Circuit:
    """:func:`qaoa_maxcut` on a seeded, connected Erdős–Rényi graph G(n, p).

    The graph is the first connected one among ``networkx.gnp_random_graph(n, p, seed=s)``
    for ``s = seed, seed + 1, …``, so the same arguments give the same circuit. For all but
    an exponentially vanishing fraction of unweighted graphs the QAOA-MaxCut algebra has
    dimension Θ(4^n) and the loss has a barren plateau (Mao, Yuan, Allcock, Zhang,
    *QAOA-MaxCut has barren plateaus for almost all graphs*, arXiv 2512.24577). With
    ``p=0.7, seed=0`` the algebra has dimension 74, 270, 1,022 for n = 4, 5, 6
    (``lie_closure``).

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.
        p: edge probability, in ``(0, 1]``.
        seed: the first seed tried.
        max_tries: how many seeds to try before giving up.

    Returns:
        The circuit, with ``2 · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2``, ``layers < 1``, ``p`` outside ``(0, 1]``, or no connected
            graph among ``max_tries`` seeds.

    Example:
        >>> c = qaoa_erdos_renyi(5, p=0.7)
        >>> len([op for op in c.all_operations() if len(op.qubits) == 2])
        7
    """
    check_size(n, layers)
    if not 0 < p <= 1:
        raise ValueError(f"p = {p!r} is not supported; accepted: 0 < p <= 1")
    for s in range(seed, seed + max_tries):
        graph = nx.gnp_random_graph(n, p, seed=s)
        if nx.is_connected(graph):
            return qaoa_maxcut(graph, layers)
    raise ValueError(f"no connected G({n}, {p}) among seeds {seed} … {seed + max_tries - 1}")


def _maxcut_graph(graph: nx.Graph | None, n: int | None) -> nx.Graph:
    """The graph to build on, checked: nodes ``0 … n − 1``, simple, undirected."""
    if graph is None:
        if n is None:
            raise ValueError("qaoa_maxcut needs a graph or n (n alone means the complete graph)")
        check_size(n, 1)
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
