"""Literature circuits: sizes, symbols, known DLA dimensions, simulation and error paths."""

import cirq
import networkx as nx
import numpy as np
import pytest
import sympy

from lie_sim.algebra.closure import lie_closure
from lie_sim.catalog.architectures import heisenberg_bonds_dimension, tfim, tfim_ring
from lie_sim.catalog.circuits import (
    alternating_layered,
    clifford_layered,
    hardware_efficient,
    heisenberg_brickwork,
    identity_blocks,
    matchgate_brickwork,
    mps_staircase,
    qaoa_complete,
    qaoa_erdos_renyi,
    qaoa_maxcut,
    qaoa_path,
    qaoa_ring,
    qcnn,
    rbs_pyramid,
    sn_equivariant,
    tfim_hva,
    ttn_tree,
    xx_z_lattice,
    xxz_hva,
    xy_mixer,
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
    "qaoa_path": (qaoa_path, lambda n, L: 2 * L),
    "qaoa_complete_n": (qaoa_complete, lambda n, L: 2 * L),
    "qaoa_erdos_renyi": (lambda n, L: qaoa_erdos_renyi(n, L, p=0.7), lambda n, L: 2 * L),
    "sn_equivariant": (sn_equivariant, lambda n, L: 3 * L),
    "xy_mixer": (xy_mixer, lambda n, L: L * (2 * n - 1)),
    "xy_mixer_ring": (
        lambda n, L: xy_mixer(n, L, periodic=True),
        lambda n, L: L * (2 * n if n >= 3 else 2 * n - 1),
    ),
    "alternating_layered": (alternating_layered, lambda n, L: 2 * n * L),
    "identity_blocks": (identity_blocks, lambda n, L: 8 * n * L),
    "mps_staircase": (mps_staircase, lambda n, L: 6 * (n - 1) * L),
    "xxz_hva": (xxz_hva, lambda n, L: 4 * L if n >= 3 else 2 * L),
    "xxz_hva_ring": (
        lambda n, L: xxz_hva(n, L, periodic=True),
        lambda n, L: 4 * L if n >= 3 else 2 * L,
    ),
    "heisenberg_brickwork": (heisenberg_brickwork, lambda n, L: L * (n - 1)),
    "xx_z_lattice": (xx_z_lattice, lambda n, L: L * (n + n // 2 + n - 2)),
    # builders without layers: the layer argument is ignored
    "rbs_pyramid": (lambda n, L: rbs_pyramid(n), lambda n, L: n * (n - 1) // 2),
    "qcnn": (lambda n, L: qcnn(n), lambda n, L: 7 * (n - 1).bit_length()),
    "ttn_tree": (lambda n, L: ttn_tree(n), lambda n, L: 6 * (n - 1)),
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


@pytest.mark.parametrize("n", range(3, 8))
def test_qaoa_path_has_the_open_tfim_dimension(n):
    """The path graph's QAOA is the open-chain TFIM in the Hadamard basis: n²."""
    assert lie_closure(qaoa_path(n, 2)).dim == n * n == lie_closure(tfim(n)).dim


def test_qaoa_complete_dimensions_are_polynomial():
    """Measured; Allcock et al. (arXiv 2407.12587) prove O(n³) for the complete graph."""
    dims = [lie_closure(qaoa_complete(n, 2)).dim for n in range(3, 8)]
    assert dims == [8, 15, 24, 38, 54]
    assert lie_closure(qaoa_complete(5, 1)).dim == lie_closure(qaoa_maxcut(n=5)).dim


def test_qaoa_erdos_renyi_is_seeded_connected_and_exponential():
    """A generic graph's QAOA algebra grows like 4^n (Mao et al., arXiv 2512.24577)."""
    assert qaoa_erdos_renyi(6, p=0.3, seed=4) == qaoa_erdos_renyi(6, p=0.3, seed=4)
    for seed in range(5):
        circuit = qaoa_erdos_renyi(6, p=0.3, seed=seed)
        edges = [
            tuple(q.x for q in op.qubits) for op in circuit.all_operations() if len(op.qubits) == 2
        ]
        assert nx.is_connected(nx.Graph(edges))
    dims = [lie_closure(qaoa_erdos_renyi(n, p=0.7)).dim for n in (4, 5, 6)]
    assert dims == [74, 270, 1022]


@pytest.mark.parametrize("n", range(3, 7))
def test_sn_equivariant_generators_commute_with_qubit_swaps(n):
    """Schatzki et al. (arXiv 2210.09974): every generator is permutation-invariant."""
    q = cirq.LineQubit.range(n)
    circuit = sn_equivariant(n, 1)
    rng = np.random.default_rng(n)
    resolver = {s: rng.uniform(-np.pi, np.pi) for s in sorted(cirq.parameter_names(circuit))}
    u = cirq.unitary(cirq.resolve_parameters(circuit, resolver))
    swap = cirq.unitary(cirq.Circuit(cirq.SWAP(q[0], q[n - 1]), cirq.I.on_each(*q)))
    np.testing.assert_allclose(swap @ u, u @ swap, atol=1e-10)


def test_sn_equivariant_dimensions():
    """Measured: C(n + 3, 3) − ⌊n/2⌋, one su(d) per total-spin sector plus a centre."""
    from math import comb

    for n in range(3, 8):
        assert lie_closure(sn_equivariant(n, 2)).dim == comb(n + 3, 3) - n // 2


@pytest.mark.parametrize("n", range(3, 8))
def test_xy_mixer_is_u_n_and_its_ring_is_2n2_minus_1(n):
    """Number-conserving free fermions: u(n) on an open chain; measured 2n² − 1 on a ring."""
    assert lie_closure(xy_mixer(n, 1)).dim == n * n
    assert lie_closure(xy_mixer(n, 1, periodic=True)).dim == 2 * n * n - 1


@pytest.mark.parametrize("n", range(2, 8))
def test_rbs_pyramid_is_so_n_and_preserves_hamming_weight(n):
    """Real hopping generates so(n) (one-particle picture); RBS gates keep the weight."""
    assert lie_closure(rbs_pyramid(n)).dim == n * (n - 1) // 2
    if n <= 5:
        circuit = rbs_pyramid(n)
        resolver = {s: 0.1 * k + 0.2 for k, s in enumerate(sorted(cirq.parameter_names(circuit)))}
        u = cirq.unitary(cirq.resolve_parameters(circuit, resolver))
        weight = np.array([bin(b).count("1") for b in range(2**n)])
        assert np.allclose(u[weight[:, None] != weight[None, :]], 0)


def test_rbs_gate_is_givens():
    """cirq.givens(θ) = exp(−iθ(YX − XY)/2): a real rotation on |01⟩, |10⟩."""
    u = cirq.unitary(cirq.resolve_parameters(rbs_pyramid(2), {"theta_0_0": 0.4}))
    c, s = np.cos(0.4), np.sin(0.4)
    np.testing.assert_allclose(
        u, [[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1]], atol=1e-12
    )


@pytest.mark.parametrize(
    "build",
    [
        qcnn,
        ttn_tree,
        lambda n: mps_staircase(n),
        lambda n: alternating_layered(n, 4),
        lambda n: identity_blocks(n, 1),
    ],
)
@pytest.mark.parametrize("n", range(2, 6))
def test_structured_circuits_reach_su_2_to_the_n(build, n):
    """Their trainability (or not) is not a small-algebra effect: measured su(2^n)."""
    assert lie_closure(build(n)).dim == 4**n - 1


def test_qcnn_pools_onto_qubit_zero():
    circuit = qcnn(8)
    controlled = [op for op in circuit.all_operations() if isinstance(op, cirq.ControlledOperation)]
    targets = {op.sub_operation.qubits[0].x for op in controlled}
    controls = {op.controls[0].x for op in controlled}
    assert controls == {1, 3, 5, 7, 2, 6, 4} and targets == {0, 2, 4, 6}
    assert {"cxx_2", "pz_2"} <= cirq.parameter_names(circuit)


def test_identity_blocks_are_the_identity_at_mirrored_parameters():
    """Grant et al. (arXiv 1903.05076): each block starts as the identity."""
    circuit = identity_blocks(3, 2)
    rng = np.random.default_rng(3)
    first = {s: rng.uniform(-np.pi, np.pi) for s in cirq.parameter_names(circuit) if s[0] in "ab"}
    resolver = dict(first)
    resolver.update({"c" + s[1:]: v for s, v in first.items() if s[0] == "b"})
    resolver.update({"d" + s[1:]: v for s, v in first.items() if s[0] == "a"})
    u = cirq.unitary(cirq.resolve_parameters(circuit, resolver))
    np.testing.assert_allclose(u, np.eye(8), atol=1e-10)


def test_ttn_tree_and_mps_staircase_shapes():
    def pairs(c):
        return [tuple(q.x for q in op.qubits) for op in c.all_operations() if len(op.qubits) == 2]

    assert sorted(set(pairs(ttn_tree(8)))) == [
        (0, 1),
        (0, 2),
        (0, 4),
        (2, 3),
        (4, 5),
        (4, 6),
        (6, 7),
    ]
    assert sorted(set(pairs(mps_staircase(4, 2)))) == [(0, 1), (1, 2), (2, 3)]


@pytest.mark.parametrize("n", range(3, 9))
def test_heisenberg_brickwork_has_the_su2_sector_dimension(n):
    """C_n − ⌊n/2⌋ (Marvian, arXiv 2003.05524; see architectures.heisenberg_bonds)."""
    assert lie_closure(heisenberg_brickwork(n, 2)).dim == heisenberg_bonds_dimension(n)


def test_xxz_hva_dimensions():
    """Measured: the XXZ HVA algebra grows fast, unlike the TFIM HVA's n²."""
    assert [lie_closure(xxz_hva(n, 2)).dim for n in range(3, 7)] == [9, 20, 124, 246]


def test_xx_z_lattice_edges_and_dimensions():
    """Row-major two-column ladder; exponential off paths and cycles (arXiv 2409.19797)."""
    names = cirq.parameter_names(xx_z_lattice(6))
    assert {s for s in names if s.startswith("xx")} == {
        f"xx_0_{i}_{j}" for i, j in [(0, 1), (2, 3), (4, 5), (0, 2), (1, 3), (2, 4), (3, 5)]
    }
    assert lie_closure(xx_z_lattice(3)).dim == 15  # a path: so(6)
    assert [lie_closure(xx_z_lattice(n)).dim for n in (4, 5, 6)] == [56, 255, 1056]


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

SIZED = [
    matchgate_brickwork,
    tfim_hva,
    qaoa_ring,
    clifford_layered,
    hardware_efficient,
    qaoa_path,
    qaoa_complete,
    qaoa_erdos_renyi,
    sn_equivariant,
    xy_mixer,
    alternating_layered,
    identity_blocks,
    mps_staircase,
    xxz_hva,
    heisenberg_brickwork,
    xx_z_lattice,
]


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


@pytest.mark.parametrize("build", [rbs_pyramid, qcnn, ttn_tree])
def test_too_few_qubits_without_layers(build):
    with pytest.raises(ValueError, match=r"n = 1 qubits.*n >= 2"):
        build(1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"p": 0.0}, r"p = 0.0 is not supported"),
        ({"p": 1.5}, r"p = 1.5 is not supported"),
        ({"p": 0.01, "max_tries": 3}, r"no connected G\(6, 0.01\) among seeds 0 … 2"),
    ],
)
def test_qaoa_erdos_renyi_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        qaoa_erdos_renyi(6, **kwargs)


def test_xx_z_lattice_bad_width():
    with pytest.raises(ValueError, match="width = 0 is not supported"):
        xx_z_lattice(4, width=0)


def test_qaoa_maxcut_bad_layers():
    with pytest.raises(ValueError, match="layers = 0"):
        qaoa_maxcut(nx.path_graph(3), 0)
