"""Literature circuits: sizes, symbols, known DLA dimensions, simulation and error paths."""

import cirq
import networkx as nx
import numpy as np
import pytest
import sympy

from lie_sim.algebra.closure import lie_closure
from lie_sim.catalog.architectures import tfim, tfim_ring
from lie_sim.catalog.circuits import (
    clifford_layered,
    hardware_efficient,
    matchgate_brickwork,
    qaoa_maxcut,
    qaoa_ring,
    tfim_hva,
)

# name -> (builder(n, layers), expected number of distinct symbols)
BUILDERS = {
    "matchgate_open": (lambda n, L: matchgate_brickwork(n, L), lambda n, L: L * (3 * n - 2)),
    "matchgate_ring": (
        lambda n, L: matchgate_brickwork(n, L, periodic=True),
        lambda n, L: L * (3 * n if n >= 3 else 3 * n - 2),
    ),
    "tfim_open": (lambda n, L: tfim_hva(n, L), lambda n, L: 2 * L),
    "tfim_ring": (lambda n, L: tfim_hva(n, L, periodic=True), lambda n, L: 2 * L),
    "qaoa_ring": (qaoa_ring, lambda n, L: 2 * L),
    "qaoa_complete": (lambda n, L: qaoa_maxcut(n=n, layers=L), lambda n, L: 2 * L),
    "clifford": (clifford_layered, lambda n, L: L * (n + (n - 1) // 2)),
    "hardware_efficient": (hardware_efficient, lambda n, L: 2 * n * L),
}


# --- Shape: qubits and symbols -----------------------------------------------------------


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("n", range(2, 7))
@pytest.mark.parametrize("layers", [1, 3])
def test_qubits_and_symbol_count(name, n, layers):
    build, count = BUILDERS[name]
    circuit = build(n, layers)
    assert circuit.all_qubits() == set(cirq.LineQubit.range(n))
    assert len(cirq.parameter_names(circuit)) == count(n, layers)


@pytest.mark.parametrize("name", BUILDERS)
def test_every_angle_is_affine_in_its_symbols(name):
    for op in BUILDERS[name][0](4, 2).all_operations():
        gate = op.gate
        for value in (getattr(gate, "exponent", 0), getattr(gate, "global_shift", 0)):
            if isinstance(value, sympy.Basic):
                assert sympy.Poly(value, *value.free_symbols).total_degree() <= 1


def test_symbol_names():
    assert sorted(cirq.parameter_names(tfim_hva(3, 2))) == [
        "beta_0",
        "beta_1",
        "gamma_0",
        "gamma_1",
    ]
    names = cirq.parameter_names(matchgate_brickwork(4, 1, periodic=True))
    assert {"theta_0_3", "xx_0_3", "yy_0_3"} <= names  # the closing bond (3, 0) has site 3
    assert {"rx_1_0", "ry_1_2"} <= cirq.parameter_names(hardware_efficient(3, 2))


def test_clifford_layered_is_seeded():
    assert clifford_layered(5, 3, seed=7) == clifford_layered(5, 3, seed=7)
    assert any(clifford_layered(5, 3, seed=s) != clifford_layered(5, 3) for s in range(1, 5))
    fixed = [op for op in clifford_layered(5, 3).all_operations() if not cirq.is_parameterized(op)]
    assert fixed and all(cirq.has_stabilizer_effect(op) for op in fixed)


def test_qaoa_starts_with_hadamards_and_follows_the_graph():
    graph = nx.Graph([(0, 2), (1, 2), (2, 3)])
    circuit = qaoa_maxcut(graph, layers=2)
    q = cirq.LineQubit.range(4)
    assert circuit[0] == cirq.Moment(cirq.H.on_each(*q))
    zz = {frozenset(op.qubits) for op in circuit.all_operations() if len(op.qubits) == 2}
    assert zz == {frozenset((q[a], q[b])) for a, b in graph.edges}
    assert qaoa_maxcut(graph, 1, n=4) == qaoa_maxcut(graph, 1)
    assert qaoa_ring(2) == qaoa_maxcut(nx.path_graph(2))


# --- Known DLA dimensions -------------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 7))
def test_matchgate_brickwork_is_so_2n(n):
    """Matchgates generate so(2n) (Jozsa and Miyake, arXiv 0804.4050; arXiv 2309.05690)."""
    assert lie_closure(matchgate_brickwork(n, 1)).dim == n * (2 * n - 1)


@pytest.mark.parametrize("n", range(3, 7))
def test_periodic_matchgate_brickwork_is_two_copies_of_so_2n(n):
    """The closing bond carries the parity string: so(2n) on each parity sector."""
    assert lie_closure(matchgate_brickwork(n, 1, periodic=True)).dim == 2 * n * (2 * n - 1)


@pytest.mark.parametrize("n", range(3, 7))
def test_tfim_hva_dimensions(n):
    """Open chain n² and ring 3n − 1 (arXiv 2309.05690; arXiv 2407.12587)."""
    assert lie_closure(tfim_hva(n, 2)).dim == n * n == lie_closure(tfim(n)).dim
    assert lie_closure(tfim_hva(n, 2, periodic=True)).dim == 3 * n - 1


@pytest.mark.parametrize("n", range(3, 7))
def test_qaoa_ring_has_the_tfim_ring_dimension(n):
    """The Hadamards only change the basis; the cycle's QAOA DLA is 3n − 1 (arXiv 2407.12587)."""
    dim = lie_closure(qaoa_ring(n, 1)).dim
    assert dim == lie_closure(tfim_ring(n)).dim == 3 * n - 1
    assert lie_closure(qaoa_ring(n, 3)).dim == dim


@pytest.mark.parametrize("n", range(2, 7))
def test_hardware_efficient_is_su_2_to_the_n(n):
    """Two layers reach su(2^n) (McClean et al., arXiv 1803.11173); one layer is n·su(2)."""
    assert lie_closure(hardware_efficient(n, 2)).dim == 4**n - 1
    assert lie_closure(hardware_efficient(n, 1)).dim == 3 * n


def test_clifford_layered_dimensions_are_exact_and_stable():
    """Measured for seed 0, two layers: the fixed Cliffords are pushed through exactly."""
    dims = []
    for n in range(2, 7):
        dla = lie_closure(clifford_layered(n, 2))
        assert dla.exact
        dims.append(dla.dim)
    assert dims == [4, 16, 127, 511, 1022]


# --- Simulation ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILDERS)
def test_resolved_circuit_simulates_to_a_unit_state(name):
    circuit = BUILDERS[name][0](4, 2)
    rng = np.random.default_rng(1)
    resolver = {s: rng.uniform(-np.pi, np.pi) for s in sorted(cirq.parameter_names(circuit))}
    resolved = cirq.resolve_parameters(circuit, resolver)
    assert not cirq.is_parameterized(resolved)
    state = cirq.Simulator(dtype=np.complex128).simulate(resolved).final_state_vector
    assert state.shape == (16,)
    np.testing.assert_allclose(np.linalg.norm(state), 1.0, atol=1e-12)


# --- Bad input ------------------------------------------------------------------------------

SIZED = [matchgate_brickwork, tfim_hva, qaoa_ring, clifford_layered, hardware_efficient]


@pytest.mark.parametrize("build", SIZED)
def test_too_few_qubits(build):
    with pytest.raises(ValueError, match=r"n = 1 qubits.*n >= 2"):
        build(1, 1)


@pytest.mark.parametrize("build", SIZED)
def test_too_few_layers(build):
    with pytest.raises(ValueError, match=r"layers = 0 .*>= 1"):
        build(3, 0)


@pytest.mark.parametrize(
    "graph, n, match",
    [
        (None, None, "needs a graph or n"),
        (None, 1, r"n = 1 qubits"),
        (nx.Graph([(1, 2)]), None, r"nodes must be the integers 0 … n − 1, got \[1, 2\]"),
        (nx.Graph([("a", "b")]), None, "nodes must be the integers"),
        (nx.path_graph(3), 4, "n = 4 disagrees with the graph's 3 nodes"),
        (nx.Graph([(0, 0), (0, 1)]), None, r"self-loops \[\(0, 0\)\]"),
        (nx.DiGraph([(0, 1)]), None, "simple undirected nx.Graph, got DiGraph"),
        (nx.MultiGraph([(0, 1), (0, 1)]), None, "got MultiGraph"),
        (nx.empty_graph(1), None, r"n = 1 qubits"),
    ],
)
def test_qaoa_maxcut_bad_graph(graph, n, match):
    with pytest.raises(ValueError, match=match):
        qaoa_maxcut(graph, 1, n=n)


def test_qaoa_maxcut_bad_layers():
    with pytest.raises(ValueError, match="layers = 0"):
        qaoa_maxcut(nx.path_graph(3), 0)
