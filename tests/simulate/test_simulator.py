"""GSimSimulator: Cirq's expectation-value interface, cache, measurements."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from lie_sim import GSimSimulator, SimulationLimitError
from lie_sim.catalog.circuits import hardware_efficient, tfim_hva

Q = cirq.LineQubit.range(6)


def _reference(circuit, observables, params, initial_state=0):
    return cirq.Simulator(dtype=np.complex128).simulate_expectation_values(
        circuit, observables, params, initial_state=initial_state
    )


def test_values_match_cirq_and_cache_is_reused():
    sim = GSimSimulator()
    circuit = tfim_hva(4, 2)
    obs = [cirq.Z(Q[0]) * cirq.Z(Q[1]), cirq.X(Q[2])]
    params = {name: 0.4 for name in cirq.parameter_names(circuit)}
    ours = sim.simulate_expectation_values(circuit, obs, params)
    np.testing.assert_allclose(ours, np.real(_reference(circuit, obs, params)), atol=1e-10)
    first = sim.gsim(circuit, [cirq.PauliSum.wrap(o) for o in obs], qubits=tuple(Q[:4]))
    second = sim.gsim(circuit.copy(), [cirq.PauliSum.wrap(o) for o in obs], qubits=tuple(Q[:4]))
    assert first is second


def test_single_observable_and_qubit_order():
    circuit = tfim_hva(3, 1)
    params = {name: 0.7 for name in cirq.parameter_names(circuit)}
    order = [Q[2], Q[0], Q[1]]
    ours = GSimSimulator().simulate_expectation_values(
        circuit, cirq.Z(Q[2]), params, qubit_order=order, initial_state=1
    )
    ref = cirq.Simulator(dtype=np.complex128).simulate_expectation_values(
        circuit, [cirq.Z(Q[2])], params, qubit_order=order, initial_state=1
    )
    np.testing.assert_allclose(ours, np.real(ref), atol=1e-10)


def test_terminal_measurements():
    circuit = tfim_hva(3, 1) + cirq.measure(*Q[:3])
    params = {name: 0.2 for name in cirq.parameter_names(circuit)}
    with pytest.raises(ValueError, match="permit_terminal_measurements"):
        GSimSimulator().simulate_expectation_values(circuit, cirq.Z(Q[0]), params)
    values = GSimSimulator().simulate_expectation_values(
        circuit, cirq.Z(Q[0]), params, permit_terminal_measurements=True
    )
    ref = _reference(tfim_hva(3, 1), [cirq.Z(Q[0])], params)
    np.testing.assert_allclose(values, np.real(ref), atol=1e-10)


def test_no_small_algebra_says_why():
    with pytest.raises(SimulationLimitError, match="No small g-sim space.*passed 200"):
        GSimSimulator(max_dim=200).simulate_expectation_values(
            hardware_efficient(5, 2), cirq.Z(Q[0]), {}
        )


def test_cache_size_is_checked():
    with pytest.raises(ValueError, match="cache_size"):
        GSimSimulator(cache_size=0)
