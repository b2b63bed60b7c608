"""Pauli propagation against qsim on seeded random resolved circuits at n = 4…20.

Families: brick-layer transverse-field Ising Trotter circuits, QCNNs (the catalog's ``qcnn``
builder), hardware-efficient circuits with CZ ladders (the catalog's ``hardware_efficient``) and
with CNOT bricks, and brick circuits mixing Clifford (H, S, CNOT, √iSWAP) and non-Clifford
(T, CZ^0.3, FSim) fixed gates with random rotations. Without truncation the value equals qsim's
within qsim's single precision (1e-5, DESIGN.md); with truncation by weight or coefficient the
true error (qsim's value as the truth) stays within the reported ``truncation_bound`` (plus the
same 1e-5).

Exact propagation of a QCNN holds every string of its light cone, which is all of its qubits
(the circuit funnels them into qubit 0): 4^n strings, so exact QCNN cases stop at n = 8 and
larger QCNNs are checked with truncation. The other families are shallow, so a local
observable's light cone stays small at n = 20.
"""

from __future__ import annotations

from collections.abc import Callable

import cirq
import numpy as np
import pytest

from lie_sim.catalog.circuits.layered import hardware_efficient, qcnn
from lie_sim.simulate.propagation import propagate

qsimcirq = pytest.importorskip("qsimcirq")

QSIM_ATOL = 1e-5  # qsim's state vector is complex64

Case = tuple[cirq.Circuit, list[cirq.LineQubit], cirq.PauliSum, str]


def _resolved(circuit: cirq.Circuit, rng: np.random.Generator) -> cirq.Circuit:
    """``circuit`` with every symbol drawn uniformly from [-1, 1)."""
    names = sorted(cirq.parameter_names(circuit))
    values = rng.uniform(-1, 1, size=len(names)).tolist()
    return cirq.resolve_parameters(circuit, dict(zip(names, values, strict=True)))


def _bonds(n: int, parity: int) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in range(parity, n - 1, 2)]


def tfim_trotter(n: int, rng: np.random.Generator) -> Case:
    """Five steps of RZZ on even then odd bonds of an open chain, then RX on every qubit, with
    independent random angles; observable Z_{n/2} + 0.5 X_1 X_2 − 0.2 Y_{n−1} on |+…+⟩."""
    q = cirq.LineQubit.range(n)
    moments = []
    for _ in range(5):
        for parity in (0, 1):
            moments.append(
                cirq.Moment(
                    cirq.ZZPowGate(exponent=rng.uniform(-1, 1) / np.pi, global_shift=-0.5)(
                        q[i], q[j]
                    )
                    for i, j in _bonds(n, parity)
                )
            )
        moments.append(cirq.Moment(cirq.rx(rng.uniform(-1, 1))(x) for x in q))
    obs = cirq.Z(q[n // 2]) + 0.5 * cirq.X(q[1]) * cirq.X(q[2]) - 0.2 * cirq.Y(q[n - 1])
    return cirq.Circuit(moments), q, obs, "+" * n


def qcnn_case(n: int, rng: np.random.Generator) -> Case:
    """``qcnn(n)`` with random parameters; observable Z on the qubit it ends on, |0…0⟩."""
    q = cirq.LineQubit.range(n)
    return _resolved(qcnn(n), rng), q, cirq.PauliSum.wrap(cirq.Z(q[0])), "0" * n


def hea_cz(n: int, rng: np.random.Generator) -> Case:
    """``hardware_efficient(n, 4)`` (rx, ry layers and CZ ladders) with random angles; a local
    cost Z_{n/2} + 0.5 Z_0 Z_1 on |0…0⟩."""
    q = cirq.LineQubit.range(n)
    obs = cirq.Z(q[n // 2]) + 0.5 * cirq.Z(q[0]) * cirq.Z(q[1])
    return _resolved(hardware_efficient(n, 4), rng), q, obs, "0" * n


def hea_cnot(n: int, rng: np.random.Generator) -> Case:
    """Three layers of random ry, rz on every qubit then CNOT on even and odd bonds; observable
    X_{n/2} − 0.3 Y_{n/2} Z_{n/2+1} on |0…0⟩."""
    q = cirq.LineQubit.range(n)
    ops = []
    for _ in range(3):
        ops += [cirq.ry(rng.uniform(-np.pi, np.pi))(x) for x in q]
        ops += [cirq.rz(rng.uniform(-np.pi, np.pi))(x) for x in q]
        ops += [cirq.CNOT(q[i], q[j]) for parity in (0, 1) for i, j in _bonds(n, parity)]
    h = n // 2
    obs = cirq.X(q[h]) - 0.3 * cirq.Y(q[h]) * cirq.Z(q[h + 1])
    return cirq.Circuit(ops), q, obs, "0" * n


def fixed_gates(n: int, rng: np.random.Generator) -> Case:
    """Four brick layers: a random rx and a random fixed one-qubit gate (H, S, T) per qubit,
    then a random fixed two-qubit gate (CNOT, √iSWAP, CZ^0.3, FSim(0.4, 0.9)) per bond;
    observable Z_{n/2} + 0.4 X_{n/2−1} X_{n/2} on |0…0⟩."""
    q = cirq.LineQubit.range(n)
    singles = [cirq.H, cirq.S, cirq.T]
    pairs = [cirq.CNOT, cirq.SQRT_ISWAP, cirq.CZ**0.3, cirq.FSimGate(theta=0.4, phi=0.9)]
    ops = []
    for layer in range(4):
        ops += [cirq.rx(rng.uniform(-np.pi, np.pi))(x) for x in q]
        ops += [singles[k](x) for k, x in zip(rng.integers(3, size=n), q, strict=True)]
        for i, j in _bonds(n, layer % 2):
            ops.append(pairs[int(rng.integers(4))](q[i], q[j]))
    h = n // 2
    obs = cirq.Z(q[h]) + 0.4 * cirq.X(q[h - 1]) * cirq.X(q[h])
    return cirq.Circuit(ops), q, obs, "0" * n


FAMILIES: dict[str, Callable[[int, np.random.Generator], Case]] = {
    "tfim": tfim_trotter,
    "qcnn": qcnn_case,
    "hea_cz": hea_cz,
    "hea_cnot": hea_cnot,
    "fixed": fixed_gates,
}


def _qsim_value(case: Case) -> float:
    circuit, q, obs, state = case
    prefix = [cirq.H.on_each(*q)] if state == "+" * len(q) else []
    padded = cirq.Circuit(*prefix, cirq.I.on_each(*q), circuit)  # qsim needs every qubit used
    value = qsimcirq.QSimSimulator().simulate_expectation_values(padded, [obs], qubit_order=q)
    return complex(value[0]).real


def _exact_cases() -> list:
    out = []
    for name in FAMILIES:
        for n in (4, 8, 12, 16, 20):
            if name == "qcnn" and n > 8:
                continue
            marks = [pytest.mark.slow] if n >= 16 else []
            out.append(pytest.param(name, n, marks=marks, id=f"{name}-{n}"))
    return out


@pytest.mark.parametrize(("family", "n"), _exact_cases())
def test_without_truncation_equals_qsim(family, n):
    case = FAMILIES[family](n, np.random.default_rng(n))
    circuit, q, obs, state = case
    r = propagate(circuit, obs, initial_state=state, qubits=q)
    assert r.dropped_terms == 0 and r.truncation_bound == 0
    assert r.expectation == pytest.approx(_qsim_value(case), abs=QSIM_ATOL)


def _truncated_cases() -> list:
    settings = [(12, 3, 0.0), (12, None, 1e-3), (16, 4, 1e-4), (20, 4, 1e-4)]
    return [
        pytest.param(
            name,
            n,
            max_weight,
            min_abs_coeff,
            marks=[pytest.mark.slow] if n >= 16 else [],
            id=f"{name}-{n}-{max_weight}-{min_abs_coeff:g}",
        )
        for name in FAMILIES
        for n, max_weight, min_abs_coeff in settings
    ]


@pytest.mark.parametrize(("family", "n", "max_weight", "min_abs_coeff"), _truncated_cases())
def test_truncated_error_within_the_bound(family, n, max_weight, min_abs_coeff):
    case = FAMILIES[family](n, np.random.default_rng(1000 + n))
    circuit, q, obs, state = case
    r = propagate(
        circuit,
        obs,
        initial_state=state,
        qubits=q,
        max_weight=max_weight,
        min_abs_coeff=min_abs_coeff,
    )
    assert r.dropped_terms > 0  # the truncation took effect
    assert abs(r.expectation - _qsim_value(case)) <= r.truncation_bound + QSIM_ATOL
