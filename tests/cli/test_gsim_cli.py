"""Tests of ``lie-sim gsim`` and ``lie-sim verify`` (lie_sim.cli.gsim, lie_sim.cli.verify).

Values are checked against ``cirq.Simulator`` (complex128 state vectors) and gradients against
central finite differences of g-sim's own values.
"""

from __future__ import annotations

import json

import cirq
import numpy as np
import pytest

import lie_sim
from lie_sim.catalog.circuits import matchgate_brickwork, tfim_hva
from lie_sim.cli import main
from lie_sim.cli.gsim import initial_state, parse_params

OBSERVABLES = ["Z0", "Z0 Z1 + 0.5 X2"]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _observables(qubits: list[cirq.Qid]) -> list[cirq.PauliSum]:
    """``OBSERVABLES`` built independently of lie_sim's Pauli text parser."""
    q = qubits
    return [
        cirq.PauliSum.from_pauli_strings(cirq.Z(q[0])),
        cirq.Z(q[0]) * cirq.Z(q[1]) + 0.5 * cirq.X(q[2]),
    ]


def _cirq_values(circuit: cirq.Circuit, params: dict, prep: cirq.OP_TREE = ()) -> np.ndarray:
    qubits = sorted(circuit.all_qubits())
    full = cirq.Circuit(prep, circuit)
    values = cirq.Simulator(dtype=np.complex128).simulate_expectation_values(
        full, _observables(qubits), cirq.ParamResolver(params), qubit_order=qubits
    )
    return np.real(np.array(values))


def _saved(circuit: cirq.Circuit, path) -> tuple[cirq.Circuit, str]:
    cirq.to_json(circuit, path)
    return circuit, str(path)


@pytest.fixture
def tfim_file(tmp_path):
    return _saved(tfim_hva(4, 2), tmp_path / "tfim.json")


@pytest.fixture
def matchgate_file(tmp_path):
    return _saved(matchgate_brickwork(4, 1), tmp_path / "matchgate.json")


def _args(path: str, *extra: str) -> list[str]:
    observables = [a for o in OBSERVABLES for a in ("--observable", o)]
    return ["gsim", "--circuit", path, *observables, *extra]


def test_text_values_and_gradients_table(capsys, tfim_file):
    circuit, path = tfim_file
    params = {"beta_0": 0.3, "beta_1": -1.1, "gamma_0": 0.7, "gamma_1": 2.0}
    items = [f"{k}={v}" for k, v in params.items()]
    status, out, err = _run(capsys, *_args(path, "--params", *items, "--gradients"))
    assert status == 0 and err == ""
    assert "qubits       4" in out and "dimension    16" in out
    assert "state        |0000⟩" in out
    expected = _cirq_values(circuit, params)
    for label, value in zip(["O0", "O1"], expected, strict=True):
        line = next(li for li in out.splitlines() if li.startswith(label + " "))
        assert float(line.split()[-1]) == pytest.approx(value, abs=1e-8)
    assert "symbol" in out and "d<O0>" in out and "d<O1>" in out
    assert sum(li.startswith(("beta_", "gamma_")) for li in out.splitlines()) == 4


def test_json_values_and_gradients(capsys, matchgate_file):
    """Product state +0-1 against cirq with H, X·H and X preparing it; gradients against
    central differences of g-sim's own values (step 1e-5, error ~1e-10)."""
    circuit, path = matchgate_file
    names = sorted(cirq.parameter_names(circuit))
    params = {name: 0.1 * (k + 1) - 0.4 for k, name in enumerate(names)}
    items = [f"{k}={v!r}" for k, v in params.items()]
    status, out, _ = _run(
        capsys, *_args(path, "--state", "+0-1", "--params", *items, "--gradients", "--json")
    )
    assert status == 0
    doc = json.loads(out)
    assert {
        "num_qubits",
        "dim",
        "route",
        "working_dim",
        "module_dims",
        "initial_state",
        "observables",
        "params",
        "values",
        "gradients",
        "seconds",
        "saved",
    } <= set(doc)
    assert (doc["num_qubits"], doc["dim"], doc["saved"]) == (4, 28, None)
    assert doc["initial_state"] == "|+0-1⟩" and len(doc["module_dims"]) == 2
    assert doc["observables"][0] == "Z0" and doc["params"] == params
    q = sorted(circuit.all_qubits())
    prep = [cirq.H(q[0]), cirq.X(q[2]), cirq.H(q[2]), cirq.X(q[3])]
    np.testing.assert_allclose(doc["values"], _cirq_values(circuit, params, prep), atol=1e-8)
    sim = lie_sim.build_gsim(circuit, OBSERVABLES, initial_state="+0-1")
    h = 1e-5
    assert sorted(doc["gradients"]) == names
    for name in names:
        plus = sim.simulate_expectation_values({**params, name: params[name] + h})
        minus = sim.simulate_expectation_values({**params, name: params[name] - h})
        fd = (np.array(plus) - np.array(minus)) / (2 * h)
        np.testing.assert_allclose(doc["gradients"][name], fd, atol=1e-6)


def test_save_then_load_gives_the_same_values(capsys, tfim_file, tmp_path):
    _, path = tfim_file
    surrogate = str(tmp_path / "tfim.npz")
    status, out, _ = _run(
        capsys, *_args(path, "--random-params", "7", "--save", surrogate, "--json")
    )
    assert status == 0
    built = json.loads(out)
    assert built["saved"] == surrogate
    status, out, _ = _run(capsys, "gsim", "--load", surrogate, "--random-params", "7", "--json")
    assert status == 0
    loaded = json.loads(out)
    assert loaded["saved"] is None
    for key in ("num_qubits", "dim", "route", "working_dim", "module_dims", "observables"):
        assert loaded[key] == built[key]
    assert loaded["params"] == built["params"]
    np.testing.assert_allclose(loaded["values"], built["values"], atol=1e-12)


def test_random_params_are_seeded_uniform(capsys, tfim_file):
    circuit, path = tfim_file
    status, out, _ = _run(capsys, *_args(path, "--random-params", "3", "--json"))
    assert status == 0
    doc = json.loads(out)
    rng = np.random.default_rng(3)
    names = sorted(cirq.parameter_names(circuit))
    expected = {name: float(rng.uniform(-np.pi, np.pi)) for name in names}
    assert doc["params"] == expected
    np.testing.assert_allclose(doc["values"], _cirq_values(circuit, expected), atol=1e-8)
    status, out, _ = _run(capsys, *_args(path, "--random-params", "3"))
    assert status == 0 and "4 symbols (random, seed 3)" in out


def test_basis_state_int(capsys, tfim_file):
    """``--state 5`` on four qubits is |0101⟩; ``--state 0101`` is the same bitstring."""
    _, path = tfim_file
    for state in ("5", "0101"):
        status, out, _ = _run(
            capsys, *_args(path, "--state", state, "--random-params", "1", "--json")
        )
        assert status == 0 and json.loads(out)["initial_state"] == "|0101⟩"


def test_state_reading():
    assert initial_state("0101", 4) == "0101" and initial_state("5", 4) == 5
    assert initial_state("1", 1) == "1" and initial_state(None, 3) is None
    assert parse_params(["a=1", " b = -0.5"]) == {"a": 1.0, "b": -0.5}


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--params", "beta_0"], "--params item 'beta_0' is not name=value"),
        (["--params", "beta_0=x"], "--params item 'beta_0=x' is not name=value"),
        (["--params", "=1"], "--params item '=1'"),
        (["--params", "beta_0=nan"], "finite number"),
        (["--params", "beta_0=1", "beta_0=2"], "gives 'beta_0' twice"),
        (["--params", "bta_0=1"], "bta_0, not symbol"),
        (["--params", "beta_0=1", "--random-params", "1"], "not both"),
        (["--random-params", "-1"], "must be non-negative, got -1"),
        (["--state", "+0x1", "--random-params", "1"], "x"),
    ],
)
def test_bad_arguments_exit_2(capsys, tfim_file, extra, match):
    _, path = tfim_file
    status, out, err = _run(capsys, *_args(path, *extra))
    assert status == 2 and out == ""
    assert match in err and "Traceback" not in err and err.count("\n") == 1


def test_missing_symbol_is_named(capsys, tfim_file):
    _, path = tfim_file
    status, _, err = _run(capsys, *_args(path, "--params", "beta_0=1", "beta_1=2", "gamma_0=3"))
    assert status == 2
    assert err.startswith("lie-sim gsim: error: ") and "symbol(s) gamma_1 in the resolver" in err


def test_load_excludes_circuit_and_observables(capsys, tfim_file, tmp_path):
    _, path = tfim_file
    surrogate = str(tmp_path / "s.npz")
    status, _, err = _run(capsys, "gsim", "--circuit", path, "--load", surrogate)
    assert status == 2 and "exactly one of --circuit FILE or --load FILE" in err
    status, _, err = _run(capsys, "gsim", "--load", surrogate, "--observable", "Z0")
    assert status == 2 and "--load takes no --observable" in err
    status, _, err = _run(capsys, "gsim", "--circuit", path)
    assert status == 2 and "needs at least one --observable" in err
    status, _, err = _run(capsys, "gsim", "--load", str(tmp_path / "none.npz"))
    assert status == 2 and "none.npz" in err


def test_verify_json_passes(capsys, tmp_path):
    path = tmp_path / "matchgate3.json"
    cirq.to_json(matchgate_brickwork(3, 1), path)
    argv = ["verify", "--circuit", str(path), "--observable", "Z0", "--observable", "X0 X1"]
    status, out, err = _run(capsys, *argv, "--samples", "1", "--json")
    assert status == 0 and err == ""
    doc = json.loads(out)
    assert doc["passed"] is True and doc["num_qubits"] == 3 and doc["n_samples"] == 1
    assert doc["max_value_error"] <= doc["value_atol"]
    assert doc["max_gradient_error"] <= doc["gradient_atol"]
    status, out, _ = _run(capsys, *argv, "--samples", "1", "--gradient-symbols", "2")
    assert status == 0 and "PASSED" in out and "2 symbols" in out


def test_verify_failure_exits_1(capsys, tmp_path, monkeypatch):
    """A result past its tolerance exits 1 (tolerances shrunk to force one)."""
    from lie_sim.simulate import qsim_check

    real = qsim_check.Verification

    def strict(**kwargs):
        return real(**kwargs, value_atol=0.0, gradient_atol=0.0)

    monkeypatch.setattr(qsim_check, "Verification", strict)
    path = tmp_path / "matchgate3.json"
    cirq.to_json(matchgate_brickwork(3, 1), path)
    argv = ["verify", "--circuit", str(path), "--observable", "Z0", "--samples", "1", "--json"]
    status, out, _ = _run(capsys, *argv)
    assert status == 1 and json.loads(out)["passed"] is False


def test_verify_bad_samples(capsys, tmp_path):
    status, _, err = _run(
        capsys, "verify", "--circuit", "x.json", "--observable", "Z0", "--samples", "0"
    )
    assert status == 2 and "--samples must be at least 1" in err
