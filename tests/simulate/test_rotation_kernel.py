"""The compiled rotation kernel (numba) against the NumPy rotation path, term for term, and
the prepared circuit against one-off propagation."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from lie_sim.compiled import DISABLE_ENV
from lie_sim.errors import SimulationLimitError
from lie_sim.simulate.propagation import PreparedCircuit, propagate
from tests.simulate.test_propagation import _exact, _product_vector, _random_observable, _tfim

pytest.importorskip("numba")


pytestmark = pytest.mark.usefixtures("kernels_on")  # about the kernel: on, whatever the env says


def _rotations_and_fixed_gates(n: int, depth: int, rng: np.random.Generator) -> cirq.Circuit:
    """Runs of Pauli rotations (one and two qubits, every axis) broken by Clifford and
    generic gates, which take the NumPy path between the kernel's runs."""
    q = cirq.LineQubit.range(n)
    ops = []
    for layer in range(depth):
        for i in range(n):
            angle = float(rng.uniform(-np.pi, np.pi))
            j = (i + 1 + int(rng.integers(n - 1))) % n
            ops.append(
                [
                    cirq.rx(angle)(q[i]),
                    cirq.ry(angle)(q[i]),
                    cirq.rz(angle)(q[i]),
                    cirq.XXPowGate(exponent=angle / np.pi)(q[i], q[j]),
                    cirq.YYPowGate(exponent=angle / np.pi)(q[i], q[j]),
                    cirq.ZZPowGate(exponent=angle / np.pi, global_shift=-0.5)(q[i], q[j]),
                    cirq.PauliStringPhasor(cirq.X(q[i]) * cirq.Y(q[j]), exponent_neg=angle),
                ][int(rng.integers(7))]
            )
        if layer % 2:
            ops.append(cirq.CNOT(q[layer % n], q[(layer + 1) % n]))
            ops.append(cirq.T(q[(layer + 2) % n]))
    return cirq.Circuit(ops)


def _both_paths(monkeypatch, circuit, observable, **kwargs):
    compiled = propagate(circuit, observable, **kwargs)
    monkeypatch.setenv(DISABLE_ENV, "1")
    numpy_path = propagate(circuit, observable, **kwargs)
    monkeypatch.delenv(DISABLE_ENV)
    return compiled, numpy_path


@pytest.mark.parametrize("width", [10, 40, 70, 130])
@pytest.mark.parametrize(
    ("max_weight", "min_abs_coeff"), [(None, 0.0), (3, 1e-3), (2, 0.0), (None, 1e-2)]
)
def test_kernel_forms_the_numpy_sums(monkeypatch, width, max_weight, min_abs_coeff):
    """Same terms, same drops, same coefficients (the same products and sums, so equal up to
    the order of the bound's sum) on registers of one, one, two and three words."""
    rng = np.random.default_rng(width + 7 * (max_weight or 0))
    small = _rotations_and_fixed_gates(10, depth=3, rng=rng)
    obs_small = _random_observable(10, rng)
    wide = cirq.LineQubit.range(width)
    spots = sorted(rng.choice(width, size=10, replace=False).tolist())
    mapping = dict(zip(cirq.LineQubit.range(10), [wide[i] for i in spots], strict=True))
    circuit = small.transform_qubits(mapping)
    obs = obs_small.with_qubits(*[mapping[x] for x in obs_small.qubits])
    kwargs = {"qubits": wide, "max_weight": max_weight, "min_abs_coeff": min_abs_coeff}
    compiled, numpy_path = _both_paths(monkeypatch, circuit, obs, **kwargs)
    assert compiled.observable.words == numpy_path.observable.words
    assert compiled.dropped_terms == numpy_path.dropped_terms
    np.testing.assert_array_equal(
        [float(c) for c in compiled.observable.coefficients],
        [float(c) for c in numpy_path.observable.coefficients],
    )
    assert compiled.truncation_bound == pytest.approx(
        numpy_path.truncation_bound, rel=1e-12, abs=1e-15
    )
    if max_weight is None and min_abs_coeff == 0.0:
        assert compiled.num_terms > 100  # grown far past the buffers' first capacity
        exact = _exact(small, obs_small, cirq.LineQubit.range(10), _product_vector("0" * 10))
        assert compiled.expectation == pytest.approx(exact, abs=1e-9)


def test_kernel_limits_name_the_gate(monkeypatch):
    """The term budget stops a compiled run at the same gate, with the same message."""
    circuit, q = _tfim(8, 4, lambda _: 0.3)
    errors = []
    for disabled in ("", "1"):
        monkeypatch.setenv(DISABLE_ENV, disabled)
        for budget in (50, 3):
            with pytest.raises(SimulationLimitError) as info:
                propagate(circuit, cirq.Z(q[3]) + cirq.X(q[5]), max_terms=budget)
            errors.append((str(info.value), info.value.dim_reached))
        # an observable already past the budget: the first rotation's expansion is refused
        many = sum(cirq.Z(q[i]) * cirq.Y(q[(i + 2) % 8]) for i in range(8))
        with pytest.raises(SimulationLimitError, match="would expand to") as info:
            propagate(circuit, many, max_terms=1)
        errors.append((str(info.value), info.value.dim_reached))
    assert errors[:3] == errors[3:]
    assert "reached 4 terms" in errors[1][0]


def test_prepared_circuit_equals_one_off_propagation():
    rng = np.random.default_rng(5)
    circuit = _rotations_and_fixed_gates(8, depth=4, rng=rng)
    prepared = PreparedCircuit(circuit)
    for k in range(8):
        obs = cirq.Z(cirq.LineQubit(k)) + 0.5 * cirq.X(cirq.LineQubit((k + 3) % 8))
        for cut in ({}, {"max_weight": 2, "min_abs_coeff": 1e-3}):
            one_off = propagate(circuit, obs, initial_state="+0-1r0l1", **cut)
            again = prepared.propagate(obs, initial_state="+0-1r0l1", **cut)
            assert again.observable == one_off.observable
            assert again.expectation == one_off.expectation
            assert again.truncation_bound == pytest.approx(one_off.truncation_bound, rel=1e-12)
