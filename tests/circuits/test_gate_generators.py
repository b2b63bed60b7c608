"""Gate translation tables: every supported Cirq gate's generator against Cirq's unitary.

Ground truth: ``i·(dU/dθ)·U†`` from an 8th-order central difference of ``cirq.unitary``
(``tests.circuits.unitaries``), and DESIGN.md's table of generators.
"""

from __future__ import annotations

import itertools

import cirq
import numpy as np
import pytest
import sympy

from lie_sim.circuits.extraction import extract_generators
from tests.circuits.unitaries import (
    generator_matrix,
    numeric_generator,
    pauli_text,
)

T, U = sympy.symbols("t u")
Q = cirq.LineQubit.range(5)

# (builder(*qubits) -> OP_TREE, number of qubits, direct): direct means the generator itself is
# i·dU/dθ·U† (a single table gate); otherwise fixed gates of a decomposition act after the
# rotation and the comparison is with U·H·U† (= F·H·F† for U = F·e^{-iθH}).
GATES = {
    "rx": (lambda a: cirq.rx(T).on(a), 1, True),
    "ry_2t": (lambda a: cirq.ry(2 * T).on(a), 1, True),
    "rz_affine": (lambda a: cirq.rz(T / 2 + 0.3).on(a), 1, True),
    "xpow_shift": (lambda a: cirq.XPowGate(exponent=T, global_shift=0.3).on(a), 1, True),
    "ypow_diff": (lambda a: cirq.YPowGate(exponent=2 * T - U, global_shift=-0.5).on(a), 1, True),
    "zpow_affine": (lambda a: cirq.ZPowGate(exponent=T / 2 + 0.3, global_shift=0.1).on(a), 1, True),
    "hpow": (lambda a: cirq.HPowGate(exponent=T / 2 + 0.3, global_shift=0.1).on(a), 1, True),
    "xx": (lambda a, b: cirq.XXPowGate(exponent=T).on(a, b), 2, True),
    "yy": (lambda a, b: cirq.YYPowGate(exponent=T - U, global_shift=0.2).on(a, b), 2, True),
    "zz": (lambda a, b: cirq.ZZPowGate(exponent=T / 2 + 0.3).on(a, b), 2, True),
    "cz": (lambda a, b: cirq.CZPowGate(exponent=T, global_shift=0.25).on(a, b), 2, True),
    "cx": (lambda a, b: cirq.CXPowGate(exponent=2 * T).on(a, b), 2, True),
    "swap": (lambda a, b: cirq.SwapPowGate(exponent=T + 0.2).on(a, b), 2, True),
    "iswap": (lambda a, b: cirq.ISwapPowGate(exponent=T, global_shift=0.1).on(a, b), 2, True),
    "riswap": (lambda a, b: cirq.riswap(T - U).on(a, b), 2, True),
    "fsim": (lambda a, b: cirq.FSimGate(T, U).on(a, b), 2, True),
    "fsim_shared": (lambda a, b: cirq.FSimGate(2 * T + 0.1, T / 2).on(a, b), 2, True),
    "fsim_phi": (lambda a, b: cirq.FSimGate(0.4, T).on(a, b), 2, True),
    "phased_x": (lambda a: cirq.PhasedXPowGate(phase_exponent=0.25, exponent=T).on(a), 1, True),
    "phased_x_irrational": (
        lambda a: cirq.PhasedXPowGate(phase_exponent=0.1, exponent=2 * T + 0.3).on(a),
        1,
        True,
    ),
    "phased_iswap": (
        lambda a, b: cirq.PhasedISwapPowGate(phase_exponent=0.2, exponent=T).on(a, b),
        2,
        True,
    ),
    "phased_iswap_shift": (
        lambda a, b: cirq.PhasedISwapPowGate(
            phase_exponent=0.25, exponent=T - U, global_shift=0.3
        ).on(a, b),
        2,
        True,
    ),
    "ms": (lambda a, b: cirq.ms(T).on(a, b), 2, True),
    "ccz": (lambda a, b, c: cirq.CCZPowGate(exponent=T).on(a, b, c), 3, True),
    "ccx": (lambda a, b, c: cirq.CCXPowGate(exponent=T / 2 + 0.1).on(a, b, c), 3, True),
    "pauli_string_phasor": (
        lambda a, b: cirq.PauliStringPhasor(
            cirq.X(a) * cirq.Z(b), exponent_neg=T, exponent_pos=0.2
        ),
        2,
        True,
    ),
    "pauli_string_phasor_minus": (
        lambda a, b: cirq.PauliStringPhasor(
            -cirq.X(a) * cirq.Y(b), exponent_neg=2 * T, exponent_pos=-T
        ),
        2,
        True,
    ),
    "pauli_string_phasor_extra_qubit": (  # Cirq #6612: Z on the listed extra qubit
        lambda a, b: cirq.PauliStringPhasor(
            cirq.X(a), qubits=[a, b], exponent_neg=T, exponent_pos=-T / 2
        ),
        2,
        True,
    ),
    "pauli_string_phasor_gate": (
        lambda a, b: cirq.PauliStringPhasorGate(
            cirq.DensePauliString("YX"), exponent_neg=T, exponent_pos=0.1
        ).on(a, b),
        2,
        True,
    ),
    "pauli_sum_exponential": (
        lambda a, b: cirq.PauliSumExponential(
            cirq.X(a) * cirq.X(b) - 0.5 * cirq.Y(a) * cirq.Y(b), T
        ),
        2,
        True,
    ),
    "controlled_rx": (lambda a, b: cirq.rx(T).on(b).controlled_by(a), 2, True),
    "controlled_xpow_shift": (
        lambda a, b: cirq.ControlledGate(
            cirq.XPowGate(exponent=T, global_shift=0.3), control_values=[0]
        ).on(a, b),
        2,
        True,
    ),
    "controlled_fsim": (
        lambda a, b, c: cirq.ControlledGate(cirq.FSimGate(T, 0.3)).on(a, b, c),
        3,
        True,
    ),
    "controlled_two_controls": (
        lambda a, b, c: (
            cirq.ControlledGate(cirq.ZPowGate(exponent=T, global_shift=0.1), control_values=[1])
            .on(b, c)
            .controlled_by(a, control_values=[(0, 1)])
        ),
        3,
        True,
    ),
    "controlled_sum_of_products": (
        lambda a, b, c: cirq.ControlledGate(
            cirq.rz(T), control_values=cirq.SumOfProducts([(0, 1), (1, 0)])
        ).on(a, b, c),
        3,
        True,
    ),
    "controlled_global_phase": (
        lambda a: cirq.global_phase_operation(1j ** (T / 2 + 0.3)).controlled_by(a),
        1,
        True,
    ),
    "controlled_phased_iswap": (  # resolving drops global_shift in cirq 1.7: so do we
        lambda a, b, c: cirq.ControlledGate(
            cirq.PhasedISwapPowGate(phase_exponent=0.1, exponent=T, global_shift=0.2)
        ).on(a, b, c),
        3,
        True,
    ),
    "tagged": (lambda a, b: cirq.ZZPowGate(exponent=T).on(a, b).with_tags("layer"), 2, True),
    "phased_xz_x": (
        lambda a: cirq.PhasedXZGate(x_exponent=T, z_exponent=0.3, axis_phase_exponent=0.2).on(a),
        1,
        False,
    ),
    "phased_xz_z": (
        lambda a: cirq.PhasedXZGate(x_exponent=0.4, z_exponent=T, axis_phase_exponent=0.1).on(a),
        1,
        False,
    ),
    "controlled_phased_xz": (  # not in the tables: decomposed by Cirq
        lambda a, b: cirq.ControlledGate(
            cirq.PhasedXZGate(x_exponent=T, z_exponent=0.3, axis_phase_exponent=0.2)
        ).on(a, b),
        2,
        False,
    ),
    "circuit_operation": (
        lambda a, b: cirq.CircuitOperation(
            cirq.FrozenCircuit(cirq.rx(T).on(a), cirq.CNOT(a, b)), repetitions=2
        ),
        2,
        False,
    ),
    "fixed_pauli_string_power_then_rx": (  # cirq.PauliString**x only takes numbers
        lambda a, b: [(cirq.X(a) * cirq.Z(b)) ** 0.37, cirq.rx(T).on(b)],
        2,
        False,
    ),
}


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_generator_matches_cirq_unitary(name):
    builder, n, direct = GATES[name]
    rng = np.random.default_rng(sorted(GATES).index(name))
    qubits = Q[:n]
    for order in itertools.permutations(qubits):
        circuit = cirq.Circuit(builder(*order))
        symbols = sorted(cirq.parameter_symbols(circuit), key=str)
        generators = extract_generators(circuit, qubits=qubits)
        assert {g.symbol for g in generators} == set(symbols)
        for symbol in symbols:
            h = generator_matrix(generators, symbol, qubits)
            for _ in range(3):
                values = {s: rng.uniform(-np.pi, np.pi) for s in symbols}
                numeric, u = numeric_generator(circuit, values, symbol, qubits)
                expected = h if direct else u @ h @ u.conj().T
                np.testing.assert_allclose(numeric, expected, atol=1e-10)


def test_known_generators_from_design_notes():
    a, b = Q[:2]
    cases = [
        (cirq.rx(T).on(a), {"X0": 0.5}),
        (cirq.XPowGate(exponent=T).on(a), {"X0": np.pi / 2}),
        (
            cirq.CZPowGate(exponent=T).on(a, b),
            {"Z0Z1": -np.pi / 4, "Z0": np.pi / 4, "Z1": np.pi / 4},
        ),
        (cirq.ISwapPowGate(exponent=T).on(a, b), {"X0X1": -np.pi / 4, "Y0Y1": -np.pi / 4}),
    ]
    for op, expected in cases:
        (g,) = extract_generators(cirq.Circuit(op))
        got = {pauli_text(ps): ps.coefficient.real for ps in g.terms}
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, abs=1e-12)


def test_pauli_sum_exponential_is_accepted_directly():
    a, b = Q[:2]
    pse = cirq.PauliSumExponential(cirq.X(a) * cirq.X(b) + 0.5 * cirq.Z(a) * cirq.Z(b), T)
    (g,) = extract_generators(pse)
    assert g.tied and not g.untied and g.exact
    m = cirq.Circuit(pse)
    values = {T: 0.7}
    numeric, _ = numeric_generator(m, values, T, [a, b])
    np.testing.assert_allclose(numeric, g.pauli_sum.matrix([a, b]), atol=1e-10)
