"""g-sim against qsim at n = 4…20 (the acceptance families), and verify_with_qsim itself.

Tolerances follow qsim's complex64 state: 1e-5 on values, 1e-4 on gradients against
five-point finite differences of qsim (errors relative to max(1, ‖O‖₁)).
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from lie_sim import GSimSimulator, verify_with_qsim
from lie_sim.catalog.circuits import clifford_layered, matchgate_brickwork, qaoa_ring, tfim_hva

Q = cirq.LineQubit.range(20)


def _cases(n: int):
    zz = cirq.Z(Q[0]) * cirq.Z(Q[1])
    return {
        # Free fermions, per-gate symbols, rz / XXPowGate / YYPowGate with symbolic exponents
        # (Jozsa and Miyake, arXiv 0804.4050).
        "matchgate": (matchgate_brickwork(n, 2), [cirq.Z(Q[0]), cirq.X(Q[1]) * cirq.X(Q[2])], None),
        # Uniform TFIM HVA, one symbol per layer and generator (Wiersema et al., arXiv 2008.02941).
        "tfim_hva": (tfim_hva(n, 2), [zz, sum(cirq.X(q) for q in Q[:n])], "+" * n),
        # QAOA MaxCut on a ring (Farhi et al., arXiv 1411.4028; DLA: arXiv 2407.12587).
        "qaoa_ring": (qaoa_ring(n, 2), [zz], None),
        # Fixed Clifford layers between parameterized ones.
        "clifford": (clifford_layered(n, 1), [cirq.Z(Q[0]), cirq.X(Q[n - 1])], None),
        # The module case (Diaz et al., arXiv 2310.11505): X0 outside so(2n), state |+⟩|0…0⟩.
        "module": (matchgate_brickwork(n, 2), [cirq.X(Q[0])], "+" + "0" * (n - 1)),
    }


@pytest.mark.parametrize("n", [4, 8, 12, 20])
@pytest.mark.parametrize("case", ["matchgate", "tfim_hva", "qaoa_ring", "clifford", "module"])
def test_gsim_matches_qsim(case, n):
    circuit, observables, state = _cases(n)[case]
    result = verify_with_qsim(
        circuit, observables, initial_state=state, n_samples=1, seed=n, gradient_symbols=4
    )
    assert result.max_value_error <= 1e-5, str(result)
    assert result.max_gradient_error <= 1e-4, str(result)
    assert result.passed
    assert result.num_qubits == n
    if n <= 12:
        assert result.cirq_max_error is not None and result.cirq_max_error <= 1e-5


def test_verification_report_reads():
    result = verify_with_qsim(matchgate_brickwork(3, 1), [cirq.Z(Q[0])], n_samples=2)
    text = str(result)
    assert "PASSED" in text and "n = 3" in text and "2 parameter points" in text
    assert result.gradient_symbols == len(cirq.parameter_names(matchgate_brickwork(3, 1)))


def test_gsim_simulator_runs_qsim_code_unchanged():
    """The same call on both simulators: a sweep, a basis-state int, several observables."""
    import qsimcirq

    circuit = tfim_hva(6, 2)
    observables = [cirq.Z(Q[0]) * cirq.Z(Q[1]), cirq.X(Q[3]), cirq.Y(Q[2]) * cirq.Y(Q[3])]
    base = {name: 0.3 for name in cirq.parameter_names(circuit)}
    sweep = [{**base, "beta_0": b, "gamma_1": g} for b in (0.1, 0.8) for g in (-0.4, 1.2)]
    ours = GSimSimulator().simulate_expectation_values_sweep(
        circuit, observables, sweep, initial_state=5
    )
    theirs = qsimcirq.QSimSimulator().simulate_expectation_values_sweep(
        circuit, observables, sweep, initial_state=5
    )
    np.testing.assert_allclose(ours, np.real(theirs), atol=1e-5)
    assert len(ours) == 4 and len(ours[0]) == 3
