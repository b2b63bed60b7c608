"""Tests of ``lie-sim propagate`` (lie_sim.cli.propagate).

Values are checked against ``cirq.Simulator`` (complex128 state vectors) on a transverse-field
Ising Trotter circuit read from a Cirq JSON file; gradients against central finite differences
of the same dense simulation.
"""

from __future__ import annotations

import json

import cirq
import numpy as np
import pytest
import sympy

from lie_sim.cli import main

N = 6
PARAMS = {"j_0": 0.4, "h_0": -0.7, "j_1": 1.1, "h_1": 0.3}
OBSERVABLE = "Z2 + 0.5 X0 X1"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _tfim_trotter(n: int, steps: int) -> cirq.Circuit:
    """Open-chain Trotter steps: e^{-i j_k ZZ/2} on each bond, then e^{-i h_k X/2} on each qubit."""
    q = cirq.LineQubit.range(n)
    moments = []
    for k in range(steps):
        j, h = sympy.Symbol(f"j_{k}"), sympy.Symbol(f"h_{k}")
        zz = cirq.ZZPowGate(exponent=j / np.pi, global_shift=-0.5)
        moments.append(cirq.Moment(zz(q[i], q[i + 1]) for i in range(0, n - 1, 2)))
        moments.append(cirq.Moment(zz(q[i], q[i + 1]) for i in range(1, n - 1, 2)))
        moments.append(cirq.Moment(cirq.rx(h)(x) for x in q))
    return cirq.Circuit(moments)


def _cirq_value(circuit: cirq.Circuit, params: dict, prep: cirq.OP_TREE = ()) -> float:
    """``OBSERVABLE`` by a complex128 state vector, built without lie_sim's Pauli parser."""
    q = sorted(circuit.all_qubits())
    obs = cirq.Z(q[2]) + 0.5 * cirq.X(q[0]) * cirq.X(q[1])
    values = cirq.Simulator(dtype=np.complex128).simulate_expectation_values(
        cirq.Circuit(prep, circuit), [obs], cirq.ParamResolver(params), qubit_order=q
    )
    return float(np.real(values[0]))


@pytest.fixture
def tfim_file(tmp_path):
    circuit = _tfim_trotter(N, 2)
    path = tmp_path / "tfim.json"
    cirq.to_json(circuit, path)
    return circuit, str(path)


def _args(path: str, *extra: str) -> list[str]:
    items = [f"{k}={v}" for k, v in PARAMS.items()]
    return ["propagate", "--circuit", path, "--observable", OBSERVABLE, "--params", *items, *extra]


def _json(capsys, *argv: str) -> dict:
    status, out, err = _run(capsys, *argv, "--json")
    assert status == 0 and err == ""
    return json.loads(out)


def test_text_value_and_gradients_table(capsys, tfim_file):
    circuit, path = tfim_file
    status, out, err = _run(capsys, *_args(path, "--gradients"))
    assert status == 0 and err == ""
    assert "qubits       6" in out and "state        000000" in out
    assert "max weight none, min |coefficient| 0" in out
    assert "dropped      0 terms" in out
    value = next(li for li in out.splitlines() if li.startswith("value "))
    assert float(value.split()[-1]) == pytest.approx(_cirq_value(circuit, PARAMS), abs=1e-9)
    rows = {li.split()[0]: float(li.split()[-1]) for li in out.splitlines() if "_" in li[:4]}
    assert set(rows) == set(PARAMS)
    step = 1e-5
    for name in PARAMS:
        up, down = dict(PARAMS), dict(PARAMS)
        up[name] += step
        down[name] -= step
        expected = (_cirq_value(circuit, up) - _cirq_value(circuit, down)) / (2 * step)
        assert rows[name] == pytest.approx(expected, abs=1e-6)


def test_json_equals_the_dense_simulator_on_a_product_state(capsys, tfim_file):
    circuit, path = tfim_file
    report = _json(capsys, *_args(path, "--state", "+0-1r0"))
    q = sorted(circuit.all_qubits())
    # |+⟩ = H|0⟩, |0⟩, |−⟩ = HX|0⟩, |1⟩ = X|0⟩, |r⟩ = SH|0⟩, |0⟩
    prep = [cirq.H(q[0]), cirq.X(q[2]), cirq.H(q[2]), cirq.X(q[3]), cirq.H(q[4]), cirq.S(q[4])]
    assert report["expectation"] == pytest.approx(_cirq_value(circuit, PARAMS, prep), abs=1e-9)
    assert set(report) == {
        "num_qubits",
        "observable",
        "initial_state",
        "params",
        "max_weight",
        "min_abs_coeff",
        "expectation",
        "num_terms",
        "truncation_bound",
        "dropped_terms",
        "seconds",
    }
    assert report["initial_state"] == "+0-1r0" and report["params"] == PARAMS
    assert report["truncation_bound"] == 0.0 and report["dropped_terms"] == 0
    assert report["max_weight"] is None and report["min_abs_coeff"] == 0.0


@pytest.mark.parametrize(("max_weight", "min_coeff"), [("1", "0"), ("2", "0"), (None, "0.05")])
def test_truncation_bound_covers_the_true_error(capsys, tfim_file, max_weight, min_coeff):
    circuit, path = tfim_file
    extra = ["--min-coeff", min_coeff] + (["--max-weight", max_weight] if max_weight else [])
    report = _json(capsys, *_args(path, *extra))
    error = abs(report["expectation"] - _cirq_value(circuit, PARAMS))
    assert report["dropped_terms"] > 0 and report["truncation_bound"] > 0
    assert error <= report["truncation_bound"] + 1e-12
    assert report["max_weight"] == (None if max_weight is None else int(max_weight))
    assert report["min_abs_coeff"] == float(min_coeff)


def test_random_params_and_gradients_in_json(capsys, tfim_file):
    circuit, path = tfim_file
    argv = ["propagate", "--circuit", path, "--observable", OBSERVABLE, "--random-params", "3"]
    report = _json(capsys, *argv, "--gradients")
    rng = np.random.default_rng(3)
    assert report["params"] == {name: rng.uniform(-np.pi, np.pi) for name in sorted(PARAMS)}
    assert report["expectation"] == pytest.approx(_cirq_value(circuit, report["params"]), abs=1e-9)
    assert set(report["gradients"]) == set(PARAMS)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max-weight", "-1", "--max-weight: expected a non-negative integer, got -1"),
        ("--max-weight", "1.5", "--max-weight: expected a non-negative integer, got '1.5'"),
        ("--min-coeff", "-0.001", "--min-coeff: expected a non-negative finite number, got -0.001"),
        ("--min-coeff", "nan", "--min-coeff: expected a non-negative finite number, got nan"),
        ("--min-coeff", "small", "--min-coeff: expected a non-negative number, got 'small'"),
    ],
)
def test_bad_truncation_settings_exit_2(capsys, tfim_file, option, value, message):
    _, path = tfim_file
    with pytest.raises(SystemExit) as exit_info:
        main(_args(path, option, value))
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--params", "j_0=1", "h_0=1", "j_1=1"], "symbol(s) h_1"),
        (["--params", "j_0=1", "h_0=1", "j_1=1", "h_1=1", "k=2"], "--params names k"),
        (["--params", "j_0=x"], "not name=value with a finite number"),
        (["--params", "j_0=1", "--random-params", "1"], "--params or --random-params"),
    ],
)
def test_bad_parameters_exit_2_naming_the_symbol(capsys, tfim_file, extra, message):
    _, path = tfim_file
    argv = ["propagate", "--circuit", path, "--observable", "Z0", *extra]
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith("lie-sim propagate: error: ") and message in err


def test_bad_observable_and_circuit_exit_2(capsys, tfim_file, tmp_path):
    _, path = tfim_file
    status, _, err = _run(capsys, *_args(path)[:4], "Z9", "--random-params", "0")
    assert status == 2 and "Z9" in err
    status, _, err = _run(capsys, *_args(str(tmp_path / "missing.json")))
    assert status == 2 and "missing.json" in err
