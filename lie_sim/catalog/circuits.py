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


def qaoa_path(n: int, layers: int = 1) -> cirq.Circuit:
    """:func:`qaoa_maxcut` on the path graph ``0 − 1 − … − (n − 1)``.

    Up to the Hadamard basis change its generators are those of :func:`tfim_hva` on an open
    chain, so its algebra has dimension n² (``lie_closure``, n = 3…8).

    Example:
        >>> c = qaoa_path(4, layers=2)
        >>> len(c.all_qubits()), sorted(cirq.parameter_names(c))
        (4, ['beta_0', 'beta_1', 'gamma_0', 'gamma_1'])
    """
    _check_size(n, layers)
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
    _check_size(n, layers)
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
    _check_size(n, layers)
    if not 0 < p <= 1:
        raise ValueError(f"p = {p!r} is not supported; accepted: 0 < p <= 1")
    for s in range(seed, seed + max_tries):
        graph = nx.gnp_random_graph(n, p, seed=s)
        if nx.is_connected(graph):
            return qaoa_maxcut(graph, layers)
    raise ValueError(f"no connected G({n}, {p}) among seeds {seed} … {seed + max_tries - 1}")


def sn_equivariant(n: int, layers: int) -> cirq.Circuit:
    """Permutation-equivariant (S_n-equivariant) quantum neural network.

    Each layer is ``rx(x_{l})`` on every qubit, ``ry(y_{l})`` on every qubit, then
    ``ZZPowGate(zz_{l})`` on every pair ``i < j``: three shared symbols per layer, with the
    generators ``Σ X_i``, ``Σ Y_i``, ``Σ_{i<j} Z_iZ_j`` of Schatzki, Larocca, Nguyen, Sauvage,
    Cerezo, *Theoretical guarantees for permutation-equivariant quantum neural networks*,
    npj Quantum Inf. 10, 12 (2024), arXiv 2210.09974. Every generator commutes with each
    qubit permutation, so the algebra lies in the permutation-invariant operators.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.

    Returns:
        The circuit, with ``3 · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(sn_equivariant(3, 1)))
        ['x_0', 'y_0', 'zz_0']
    """
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        x, y, zz = (sympy.Symbol(f"{role}_{layer}") for role in ("x", "y", "zz"))
        circuit += (cirq.rx(x).on(a) for a in q)
        circuit += (cirq.ry(y).on(a) for a in q)
        circuit += (
            cirq.ZZPowGate(exponent=zz).on(q[i], q[j]) for i in range(n) for j in range(i + 1, n)
        )
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
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += (cirq.rz(sympy.Symbol(f"theta_{layer}_{i}")).on(q[i]) for i in range(n))
        for bond_set in _brick_bonds(n, periodic):
            circuit += (
                cirq.ISwapPowGate(exponent=sympy.Symbol(f"xy_{layer}_{i}")).on(q[i], q[j])
                for i, j in bond_set
            )
    return circuit


def rbs_pyramid(n: int) -> cirq.Circuit:
    """Pyramid of reconfigurable beam splitter (RBS) gates, one parameter per gate.

    An RBS gate is ``cirq.givens(θ)`` = ``exp(−iθ(YX − XY)/2)``: a real rotation in the span
    of ``|01⟩, |10⟩``, so the circuit preserves the Hamming weight and acts on each weight-k
    subspace of dimension C(n, k) (Monbroussou et al., *Trainability and expressivity of
    Hamming-weight preserving quantum circuits for machine learning*, arXiv 2309.15547).
    Diagonal ``k = 0 … n − 2`` holds the gates on bonds ``(i, i + 1)`` for
    ``i = k, k − 1, … , 0``, with symbol ``theta_{k}_{i}``: n(n − 1)/2 gates. The
    generators are real hoppings between neighbours, so the algebra is so(n) in the
    one-particle picture, of dimension n(n − 1)/2 (``lie_closure``, n = 3…8).

    Args:
        n: number of qubits, at least 2.

    Returns:
        The circuit, with ``n(n − 1)/2`` distinct symbols.

    Raises:
        ValueError: ``n < 2``.

    Example:
        >>> sorted(cirq.parameter_names(rbs_pyramid(3)))
        ['theta_0_0', 'theta_1_0', 'theta_1_1']
    """
    _check_size(n, 1)
    q = cirq.LineQubit.range(n)
    return cirq.Circuit(
        cirq.givens(sympy.Symbol(f"theta_{k}_{i}")).on(q[i], q[i + 1])
        for k in range(n - 1)
        for i in range(k, -1, -1)
    )


def qcnn(n: int) -> cirq.Circuit:
    """Quantum convolutional neural network: convolution and pooling until one qubit is left.

    Cong, Choi, Lukin, *Quantum convolutional neural networks*, Nat. Phys. 15, 1273 (2019),
    arXiv 1810.03787; trainability: Pesah et al., arXiv 2011.02966. Round ``r`` acts on the
    qubits still active (all of them at first). Convolution: ``XXPowGate``, ``YYPowGate``,
    ``ZZPowGate`` with the shared symbols ``cxx_{r}``, ``cyy_{r}``, ``czz_{r}`` on the even
    bonds of the active qubits, then on the odd bonds, and ``rx(cx_{r})``, ``rz(cz_{r})`` on
    every active qubit. Pooling: each active qubit at an odd position controls
    ``rx(px_{r})`` and then ``rz(pz_{r})`` on its left neighbour and is dropped. The last
    active qubit is ``LineQubit(0)``; measure it. Parameters are shared within a round, as in
    Cong et al.; n need not be a power of 2 (an unpaired last qubit is kept).

    Args:
        n: number of qubits, at least 2.

    Returns:
        The circuit, with ``7 · ⌈log2 n⌉`` distinct symbols.

    Raises:
        ValueError: ``n < 2``.

    Example:
        >>> c = qcnn(4)
        >>> len(cirq.parameter_names(c)), sorted(cirq.parameter_names(c))[:3]
        (14, ['cx_0', 'cx_1', 'cxx_0'])
    """
    _check_size(n, 1)
    active = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    rnd = 0
    while len(active) > 1:
        s = {r: sympy.Symbol(f"{r}_{rnd}") for r in ("cxx", "cyy", "czz", "cx", "cz", "px", "pz")}
        for bond_set in _brick_bonds(len(active), False):
            for i, j in bond_set:
                a, b = active[i], active[j]
                circuit += cirq.XXPowGate(exponent=s["cxx"]).on(a, b)
                circuit += cirq.YYPowGate(exponent=s["cyy"]).on(a, b)
                circuit += cirq.ZZPowGate(exponent=s["czz"]).on(a, b)
        circuit += (cirq.rx(s["cx"]).on(a) for a in active)
        circuit += (cirq.rz(s["cz"]).on(a) for a in active)
        for i in range(1, len(active), 2):
            circuit += cirq.rx(s["px"]).on(active[i - 1]).controlled_by(active[i])
            circuit += cirq.rz(s["pz"]).on(active[i - 1]).controlled_by(active[i])
        active = active[::2]
        rnd += 1
    return circuit


def alternating_layered(n: int, layers: int) -> cirq.Circuit:
    """Alternating layered ansatz of two-qubit blocks (Cerezo et al., arXiv 2001.00550).

    Layer ``l`` places a block on the even bonds ``(i, i + 1)`` if ``l`` is even and on the
    odd bonds if ``l`` is odd (for ``n = 2`` every layer uses the bond ``(0, 1)``). A block is
    ``ry(ry_{l}_{q})`` and ``rz(rz_{l}_{q})`` on both of its qubits, then a fixed ``CZ``; a
    qubit outside every block of the layer gets the same two rotations. Cerezo, Sone,
    Volkoff, Cincio, Coles (*Cost function dependent barren plateaus in shallow parametrized
    quantum circuits*, Nat. Commun. 12, 1791 (2021)) prove that with a local cost and
    O(log n) layers the gradients vanish at most polynomially. With four layers the algebra
    is su(2^n) (``lie_closure``, n = 2…6; two layers give only 18, 30, 33, 45 for n = 3…6):
    the absence of barren plateaus here comes from locality and depth, not from a small
    algebra.

    Args:
        n: number of qubits, at least 2.
        layers: number of layers, at least 1.

    Returns:
        The circuit, with ``2 · n · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(alternating_layered(2, 1)))
        ['ry_0_0', 'ry_0_1', 'rz_0_0', 'rz_0_1']
    """
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    even, odd = _brick_bonds(n, False)
    circuit = cirq.Circuit()
    for layer in range(layers):
        bonds = odd if layer % 2 and odd else even
        circuit += (cirq.ry(sympy.Symbol(f"ry_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (cirq.rz(sympy.Symbol(f"rz_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (cirq.CZ(q[i], q[j]) for i, j in bonds)
    return circuit


def identity_blocks(n: int, blocks: int) -> cirq.Circuit:
    """Blocks that are the identity when both halves have equal parameters (Grant et al.).

    The first half of block ``b`` is two :func:`hardware_efficient`-style layers
    ``k = 0, 1``: ``rx(a_{b}_{k}_{q})``, ``ry(b_{b}_{k}_{q})``, CZ ladder. The second half
    is its mirror image with its own symbols: for ``k = 1, 0``, the CZ ladder in reverse,
    ``ry(−c_{b}_{k}_{q})``, ``rx(−d_{b}_{k}_{q})``. With ``c = b`` and ``d = a`` the block is
    the identity: the initialization of Grant, Wossnig, Ostaszewski, Benedetti, *An
    initialization strategy for addressing barren plateaus in parametrized quantum
    circuits*, Quantum 3, 214 (2019), arXiv 1903.05076. Training moves the halves apart; the
    algebra is su(2^n) (``lie_closure``, n = 2…6).

    Args:
        n: number of qubits, at least 2.
        blocks: number of blocks, at least 1.

    Returns:
        The circuit, with ``8 · n · blocks`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``blocks < 1``.

    Example:
        >>> c = identity_blocks(2, 1)
        >>> init = {f"{r}_0_{k}_{i}": 0.3 + i + k + (r in "bc") for r in "abcd"
        ...         for k in range(2) for i in range(2)}
        >>> bool(np.allclose(cirq.unitary(cirq.resolve_parameters(c, init)), np.eye(4)))
        True
    """
    _check_size(n, blocks)
    q = cirq.LineQubit.range(n)
    ladder = [cirq.CZ(q[i], q[i + 1]) for i in range(n - 1)]
    circuit = cirq.Circuit()
    for b in range(blocks):
        for k in range(2):
            circuit += (cirq.rx(sympy.Symbol(f"a_{b}_{k}_{i}")).on(q[i]) for i in range(n))
            circuit += (cirq.ry(sympy.Symbol(f"b_{b}_{k}_{i}")).on(q[i]) for i in range(n))
            circuit += ladder
        for k in (1, 0):
            circuit += ladder[::-1]
            circuit += (cirq.ry(-sympy.Symbol(f"c_{b}_{k}_{i}")).on(q[i]) for i in range(n))
            circuit += (cirq.rx(-sympy.Symbol(f"d_{b}_{k}_{i}")).on(q[i]) for i in range(n))
    return circuit


def mps_staircase(n: int, layers: int = 1) -> cirq.Circuit:
    """Circuit shaped like a matrix product state: a staircase of two-qubit blocks.

    Each layer applies :func:`_two_qubit_block` to ``(0, 1)``, then ``(1, 2)``, …, then
    ``(n − 2, n − 1)``, with symbols ``{role}_{l}_{i}`` for the block on bond ``i``. One
    layer is a qMPS of bond dimension 2 (Cervero Martín, Plekhanov, Lubasch, *Barren
    plateaus in quantum tensor network optimization*, Quantum 7, 974 (2023), arXiv
    2209.00292); ``layers`` stacks them (bond dimension up to ``2^layers``).

    Args:
        n: number of qubits, at least 2.
        layers: number of staircases, at least 1.

    Returns:
        The circuit, with ``6 · (n − 1) · layers`` distinct symbols.

    Raises:
        ValueError: ``n < 2`` or ``layers < 1``.

    Example:
        >>> sorted(cirq.parameter_names(mps_staircase(2)))
        ['ry_0_0_a', 'ry_0_0_b', 'rz_0_0_a', 'rz_0_0_b', 'xx_0_0', 'zz_0_0']
    """
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        for i in range(n - 1):
            circuit += _two_qubit_block(q[i], q[i + 1], f"{layer}_{i}")
    return circuit


def ttn_tree(n: int) -> cirq.Circuit:
    """Circuit shaped like a binary tree tensor network (qTTN), leaves to root.

    Level ``k`` (``k = 0, 1, …``) pairs the qubits ``i`` and ``i + 2^k`` for every ``i``
    divisible by ``2^(k + 1)`` with ``i + 2^k < n`` and applies :func:`_two_qubit_block`,
    symbols ``{role}_{k}_{i}``; the root qubit is ``LineQubit(0)``. Cervero Martín, Plekhanov,
    Lubasch (arXiv 2209.00292) show that the gradient variances of qTTN decrease only
    polynomially with n.

    Args:
        n: number of qubits, at least 2 (a power of 2 gives a full tree).

    Returns:
        The circuit, with ``6 · (n − 1)`` distinct symbols.

    Raises:
        ValueError: ``n < 2``.

    Example:
        >>> c = ttn_tree(4)
        >>> [tuple(q.x for q in op.qubits) for op in c.all_operations() if len(op.qubits) == 2]
        [(0, 1), (2, 3), (0, 1), (2, 3), (0, 2), (0, 2)]
    """
    _check_size(n, 1)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    step = 1
    level = 0
    while step < n:
        for i in range(0, n - step, 2 * step):
            circuit += _two_qubit_block(q[i], q[i + step], f"{level}_{i}")
        step *= 2
        level += 1
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
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    even, odd, *closing = _brick_bonds(n, periodic)
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
    _check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    gates = (cirq.XXPowGate, cirq.YYPowGate, cirq.ZZPowGate)
    for layer in range(layers):
        for bond_set in _brick_bonds(n, False):
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
    _check_size(n, layers)
    if width < 1:
        raise ValueError(f"width = {width!r} is not supported; accepted: an integer >= 1")
    q = cirq.LineQubit.range(n)
    horizontal = [(i, i + 1) for i in range(n - 1) if (i + 1) % width]
    vertical = [(i, i + width) for i in range(n - width)]
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += (cirq.rz(sympy.Symbol(f"z_{layer}_{i}")).on(q[i]) for i in range(n))
        circuit += (
            cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{layer}_{i}_{j}")).on(q[i], q[j])
            for i, j in horizontal + vertical
        )
    return circuit


def _two_qubit_block(a: cirq.Qid, b: cirq.Qid, site: str) -> list[cirq.Operation]:
    """``ry``, ``rz`` on each qubit, then ``XXPowGate`` and ``ZZPowGate``: six symbols."""
    return [
        cirq.ry(sympy.Symbol(f"ry_{site}_a")).on(a),
        cirq.ry(sympy.Symbol(f"ry_{site}_b")).on(b),
        cirq.rz(sympy.Symbol(f"rz_{site}_a")).on(a),
        cirq.rz(sympy.Symbol(f"rz_{site}_b")).on(b),
        cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{site}")).on(a, b),
        cirq.ZZPowGate(exponent=sympy.Symbol(f"zz_{site}")).on(a, b),
    ]


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
