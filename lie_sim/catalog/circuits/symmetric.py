"""Symmetry-preserving circuits: S_n-equivariant layers and Hamming-weight-preserving RBS
pyramids (conventions in :mod:`lie_sim.catalog.circuits`)."""

from __future__ import annotations

import cirq
import sympy

from lie_sim.catalog.circuits._common import check_size


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
    check_size(n, layers)
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
    check_size(n, 1)
    q = cirq.LineQubit.range(n)
    return cirq.Circuit(
        cirq.givens(sympy.Symbol(f"theta_{k}_{i}")).on(q[i], q[i + 1])
        for k in range(n - 1)
        for i in range(k, -1, -1)
    )
