"""g-sim against dense state-vector ground truth (cirq.Simulator, complex128).

Goh et al., arXiv 2308.01432: expectation values of a circuit with a small dynamical Lie
algebra evolve in the adjoint representation; Diaz et al., arXiv 2310.11505: an observable
outside the algebra evolves in its module. Gradients are checked against central finite
differences of the dense simulation.
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest
import sympy

from lie_sim import ParameterError, SimulationLimitError, build_gsim
from lie_sim.catalog.circuits import (
    hardware_efficient,
    matchgate_brickwork,
    qaoa_ring,
    tfim_hva,
)
from lie_sim.errors import ObservableError, StateError, UnsupportedGateError
from tests.circuits.random_circuits import random_circuit, random_observable

Q = cirq.LineQubit.range(8)
T, U = sympy.symbols("t u")


def dense_values(circuit, observables, params, qubits, state=None) -> np.ndarray:
    resolved = cirq.resolve_parameters(circuit, params)
    padded = cirq.Circuit(cirq.Moment(cirq.I(q) for q in qubits), resolved)
    initial = None if state is None else np.asarray(state, dtype=np.complex128)
    psi = (
        cirq.Simulator(dtype=np.complex128)
        .simulate(padded, qubit_order=qubits, initial_state=initial)
        .final_state_vector
    )
    index = {q: i for i, q in enumerate(qubits)}
    return np.array(
        [cirq.PauliSum.wrap(o).expectation_from_state_vector(psi, index).real for o in observables]
    )


def dense_gradient(circuit, observables, params, name, qubits, state=None, h=1e-5):
    up = dense_values(circuit, observables, {**params, name: params[name] + h}, qubits, state)
    down = dense_values(circuit, observables, {**params, name: params[name] - h}, qubits, state)
    return (up - down) / (2 * h)


def check(circuit, observables, *, state=None, seed=0, vector=None, grad_names=None):
    """g-sim values and gradients equal the dense simulation at seeded random parameters."""
    sim = build_gsim(circuit, observables, initial_state=state)
    qubits = list(sim.qubits)
    rng = np.random.default_rng(seed)
    params = {name: float(rng.uniform(-np.pi, np.pi)) for name in sim.parameter_names}
    values, grads = sim.expectation_values_and_gradients(params)
    dense_state = vector if vector is not None else _ket(state) if isinstance(state, str) else state
    expected = dense_values(circuit, observables, params, qubits, dense_state)
    np.testing.assert_allclose(values, expected, atol=1e-9)
    np.testing.assert_allclose(sim.simulate_expectation_values(params), expected, atol=1e-9)
    for name in grad_names or sim.parameter_names:
        fd = dense_gradient(circuit, observables, params, name, qubits, dense_state)
        np.testing.assert_allclose(grads[name], fd, atol=1e-6, err_msg=name)
    return sim


# ----------------------------------------------------------------------------------------
# One gate: the sign of the Givens rotation (DESIGN.md: check the sign on one gate)


@pytest.mark.parametrize(
    "gate",
    [
        cirq.rx(T).on(Q[0]),
        cirq.ry(T).on(Q[0]),
        cirq.rz(T).on(Q[0]),
        cirq.XXPowGate(exponent=T).on(Q[0], Q[1]),
        cirq.YYPowGate(exponent=T).on(Q[0], Q[1]),
        cirq.ZZPowGate(exponent=T).on(Q[0], Q[1]),
        cirq.ISwapPowGate(exponent=T).on(Q[0], Q[1]),
        cirq.PauliStringPhasor(cirq.X(Q[0]) * cirq.Y(Q[1]), exponent_neg=T, exponent_pos=0),
    ],
    ids=str,
)
@pytest.mark.parametrize("state", ["00", "+r", "l1", "-+"])
def test_single_gate_on_every_two_qubit_pauli(gate, state):
    observables = [
        cirq.DensePauliString(a + b).on(Q[0], Q[1]) for a in "IXYZ" for b in "IXYZ" if a + b != "II"
    ]
    check(cirq.Circuit(gate, cirq.I(Q[1])), observables, state=state, vector=_ket(state))


def _ket(text: str) -> np.ndarray:
    kets = {"0": [1, 0], "1": [0, 1], "+": [1, 1], "-": [1, -1], "r": [1, 1j], "l": [1, -1j]}
    out = np.ones(1, dtype=complex)
    for c in text:
        out = np.kron(out, np.array(kets[c]) / np.linalg.norm(kets[c]))
    return out


# ----------------------------------------------------------------------------------------
# Literature circuits and seeded random circuits


@pytest.mark.parametrize("n", [3, 5])
def test_matchgate_brickwork(n):
    """Free fermions: so(2n) (Jozsa and Miyake, arXiv 0804.4050), simulated in g itself."""
    obs = [cirq.Z(Q[0]), cirq.X(Q[0]) * cirq.X(Q[1]) + 0.5 * cirq.Y(Q[1]) * cirq.Y(Q[2])]
    sim = check(matchgate_brickwork(n, 2), obs, state="0" * n)
    assert sim.dim == n * (2 * n - 1) and sim.route == "pauli-strings"
    assert sim.working_dim == sim.dim and sim.module_dims == (0, 0)


@pytest.mark.parametrize("n", [3, 4, 6])
def test_matchgate_module_of_x0(n):
    """X₀ is a single Majorana operator γ₀, outside so(2n); its module is the vector
    representation spanned by the 2n Majoranas (Diaz et al., arXiv 2310.11505)."""
    sim = check(matchgate_brickwork(n, 2), [cirq.X(Q[0])], state="+" + "0" * (n - 1))
    assert sim.module_dims == (2 * n,)
    assert sim.working_dim == 2 * n


@pytest.mark.parametrize("n", [3, 4, 6])
def test_tfim_hva_shared_symbols(n):
    """Uniform TFIM HVA (Wiersema et al., arXiv 2008.02941), one symbol per layer and
    generator: dim n² on the open chain; the energy lies in g, Z₀ does not."""
    energy = sum(cirq.Z(Q[i]) * cirq.Z(Q[i + 1]) for i in range(n - 1)) + sum(
        cirq.X(Q[i]) for i in range(n)
    )
    sim = check(tfim_hva(n, 3), [energy, cirq.Z(Q[0])], state="+" * n)
    assert sim.dim == n * n
    assert sim.module_dims[0] == 0 and sim.module_dims[1] > 0


@pytest.mark.parametrize("n", [3, 5])
def test_qaoa_ring(n):
    """QAOA MaxCut on a ring (Farhi et al., arXiv 1411.4028): Hadamards pushed through."""
    cut = sum(cirq.Z(Q[i]) * cirq.Z(Q[(i + 1) % n]) for i in range(n))
    check(qaoa_ring(n, 2), [cut])


def test_hardware_efficient_su_2n():
    """Two layers of rx, ry and a CZ ladder: su(2^n) (McClean et al., arXiv 1803.11173)."""
    sim = check(hardware_efficient(3, 2), [cirq.Z(Q[0]), cirq.X(Q[1]) * cirq.Z(Q[2])])
    assert sim.dim == 63


@pytest.mark.parametrize("seed", range(12))
def test_random_circuits(seed):
    """Every gate kind extraction reads, fixed Clifford and non-Clifford gates included; the
    Givens route or the dense route, whichever the generators allow."""
    rng = np.random.default_rng(1000 + seed)
    n = 3
    circuit = random_circuit(rng, n, 8, sympy.symbols("a b c"))
    if not cirq.parameter_names(circuit):
        circuit += cirq.rz(sympy.Symbol("a")).on(Q[0])
    observable = random_observable(rng, Q[:n]) + 0.7
    check(circuit, [observable, cirq.Z(Q[0])], state="+0r"[:n], seed=seed)


def test_dense_route_for_non_commuting_generator():
    """PhasedXPowGate(p = 0.3): cos(0.3π)X + sin(0.3π)Y in one generator, no Givens route."""
    circuit = cirq.Circuit(
        cirq.PhasedXPowGate(phase_exponent=0.3, exponent=T).on(Q[0]),
        cirq.CNOT(Q[0], Q[1]),
        cirq.rz(U).on(Q[1]),
        cirq.T(Q[0]),
        cirq.ry(2 * T + 0.5).on(Q[0]),
    )
    sim = check(circuit, [cirq.Z(Q[0]), cirq.X(Q[1]) + 2.0])
    assert sim.route == "dense"


@pytest.mark.parametrize("seed", [0, 5])
def test_batch_equals_one_point_at_a_time(seed):
    """The vectorised batch gives, row by row, the dense simulation at each point, on the
    Givens route (matchgate brickwork) and on the dense route (PhasedX)."""
    rng = np.random.default_rng(seed)
    dense_circuit = cirq.Circuit(
        cirq.PhasedXPowGate(phase_exponent=0.3, exponent=T).on(Q[0]),
        cirq.CNOT(Q[0], Q[1]),
        cirq.rz(U).on(Q[1]),
    )
    for circuit in (matchgate_brickwork(3, 2), dense_circuit):
        observables = [cirq.Z(Q[0]), cirq.X(Q[1]) * cirq.X(Q[0]) + 0.5]
        sim = build_gsim(circuit, observables, initial_state="+0r"[: len(circuit.all_qubits())])
        points = rng.uniform(-np.pi, np.pi, (5, len(sim.parameter_names)))
        batch = sim.expectation_values_batch(points)
        qubits = sorted(circuit.all_qubits())
        for row, point in zip(batch, points, strict=True):
            params = dict(zip(sim.parameter_names, point, strict=True))
            expected = dense_values(
                circuit, observables, params, qubits, _ket("+0r"[: len(qubits)])
            )
            np.testing.assert_allclose(row, expected, atol=1e-9)
    with pytest.raises(ParameterError, match="shape"):
        sim.expectation_values_batch(np.zeros((2, 7)))


# ----------------------------------------------------------------------------------------
# Initial states


@pytest.mark.parametrize(
    "state, vector",
    [
        ("+0-", _ket("+0-")),
        (5, np.eye(8)[5]),
        ("101", np.eye(8)[5]),
        (cirq.KET_PLUS(Q[0]) * cirq.KET_ZERO(Q[1]) * cirq.KET_MINUS_IMAG(Q[2]), _ket("+0l")),
        (
            [cirq.KET_ONE, "r", np.array([0.6, 0.8])],
            np.kron(np.kron([0, 1], _ket("r")), [0.6, 0.8]),
        ),
    ],
    ids=["text", "int", "bitstring", "ProductState", "list"],
)
def test_initial_states(state, vector):
    check(tfim_hva(3, 2), [cirq.Z(Q[0]), cirq.Y(Q[1]) * cirq.X(Q[2])], state=state, vector=vector)


def test_state_vector():
    rng = np.random.default_rng(7)
    psi = rng.normal(size=8) + 1j * rng.normal(size=8)
    psi /= np.linalg.norm(psi)
    check(matchgate_brickwork(3, 1), [cirq.Z(Q[1]), cirq.X(Q[0])], state=psi)


# ----------------------------------------------------------------------------------------
# Bad input


def test_observable_off_the_circuit():
    with pytest.raises(ObservableError, match=r"q\(5\).*not among the qubits"):
        build_gsim(tfim_hva(3, 1), [cirq.Z(Q[5])])


def test_unresolved_symbols_are_named():
    sim = build_gsim(tfim_hva(3, 2), [cirq.Z(Q[0])])
    with pytest.raises(ParameterError, match="beta_1, gamma_0, gamma_1"):
        sim.simulate_expectation_values({"beta_0": 0.1})
    with pytest.raises(ParameterError, match="gamma_0"):
        sim.expectation_values_and_gradients({"beta_0": 0.1, "beta_1": 1, "gamma_0": "x"})


@pytest.mark.parametrize(
    "state, message",
    [
        (np.ones(4) / 2, "4 amplitudes.*2\\*\\*3"),
        (np.ones(8), "norm 2.82843, not 1"),
        ("+0", "2 characters"),
    ],
)
def test_bad_states(state, message):
    with pytest.raises(StateError, match=message):
        build_gsim(tfim_hva(3, 1), [cirq.Z(Q[0])], initial_state=state)


def test_measurements_and_channels_are_rejected():
    circuit = tfim_hva(2, 1) + cirq.measure(Q[0])
    with pytest.raises(UnsupportedGateError, match="measurement"):
        build_gsim(circuit, [cirq.Z(Q[0])])
    noisy = tfim_hva(2, 1) + cirq.depolarize(0.1).on(Q[0])
    with pytest.raises(UnsupportedGateError, match="channel"):
        build_gsim(noisy, [cirq.Z(Q[0])])


def test_size_limit_names_the_space():
    with pytest.raises(SimulationLimitError, match="Pauli strings.*passed 100.*dense") as info:
        build_gsim(hardware_efficient(4, 2), [cirq.Z(Q[0])], max_dim=100)
    assert info.value.limit == 100 and info.value.dim_reached > 100


def test_algebra_is_closed_on_first_use():
    """The observable only needs its own small space; the algebra's limit bites on access."""
    circuit = hardware_efficient(3, 2) + cirq.rz(T).on(Q[3])
    sim = build_gsim(circuit, [cirq.Z(Q[3])], max_dim=30)
    assert sim.working_dim == 1
    assert sim.simulate_expectation_values({name: 0.3 for name in sim.parameter_names}) == [1.0]
    with pytest.raises(SimulationLimitError, match="dynamical Lie algebra passed") as info:
        _ = sim.dim
    assert info.value.space == "dynamical Lie algebra"


def test_no_parameters():
    with pytest.raises(Exception, match="no parameterized gates"):
        build_gsim(cirq.Circuit(cirq.H(Q[0])), [cirq.Z(Q[0])])
