"""Layered circuits of local blocks: hardware-efficient and alternating ansätze, identity
blocks, Clifford-separated layers, MPS- and TTN-shaped circuits, and the QCNN (conventions
in :mod:`lie_sim.catalog.circuits`)."""

from __future__ import annotations

import cirq
import numpy as np
import sympy

from lie_sim.catalog.circuits._common import brick_bonds, check_size, local_rotations


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
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += local_rotations(cirq.rx, "rx", layer, q)
        circuit += local_rotations(cirq.ry, "ry", layer, q)
        circuit += (cirq.CZ(q[i], q[i + 1]) for i in range(n - 1))
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
    check_size(n, layers)
    q = cirq.LineQubit.range(n)
    even, odd = brick_bonds(n, False)
    circuit = cirq.Circuit()
    for layer in range(layers):
        bonds = odd if layer % 2 and odd else even
        circuit += local_rotations(cirq.ry, "ry", layer, q)
        circuit += local_rotations(cirq.rz, "rz", layer, q)
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
    check_size(n, blocks)
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
    check_size(n, layers)
    rng = np.random.default_rng(seed)
    q = cirq.LineQubit.range(n)
    even, odd = brick_bonds(n, False)
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit += local_rotations(cirq.rz, "theta", layer, q)
        circuit += (cirq.CNOT(q[i], q[j]) for i, j in even)
        choices = rng.integers(0, 3, size=n)  # 0: nothing, 1: H, 2: S
        circuit += ((None, cirq.H, cirq.S)[c].on(q[i]) for i, c in enumerate(choices) if c)
        circuit += (
            cirq.XXPowGate(exponent=sympy.Symbol(f"xx_{layer}_{i}")).on(q[i], q[j]) for i, j in odd
        )
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
    check_size(n, layers)
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
    check_size(n, 1)
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
    check_size(n, 1)
    active = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    rnd = 0
    while len(active) > 1:
        s = {r: sympy.Symbol(f"{r}_{rnd}") for r in ("cxx", "cyy", "czz", "cx", "cz", "px", "pz")}
        for bond_set in brick_bonds(len(active), False):
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
