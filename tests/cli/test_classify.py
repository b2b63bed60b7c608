"""Tests of ``lie-sim classify`` (lie_sim.cli.classify) through ``lie_sim.cli.main``."""

from __future__ import annotations

import json

import pytest

from lie_sim.cli import main

SO6 = ["X0 X1", "X1 X2", "Z0", "Z1", "Z2"]


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["classify", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_generators_text(capsys):
    status, out, err = _run(capsys, *SO6)
    assert status == 0 and err == ""
    assert "dimension   15 (exact)" in out
    assert "centre      0" in out
    assert "type        su(4)" in out
    assert "variance" not in out


def test_observable_variance_text_and_json(capsys):
    """so(6), O = Z_1, |000⟩: 0.2 (Ragone et al., Nat. Commun. 15, 7172 (2024), Thm 1)."""
    status, out, _ = _run(capsys, *SO6, "--observable", "Z1")
    assert status == 0
    assert "variance    0.2 " in out
    assert "mean        0" in out
    status, out, _ = _run(capsys, *SO6, "--observable", "Z1", "--state", "+00", "--json")
    doc = json.loads(out)
    assert (doc["dim"], doc["center_dim"], doc["type"], doc["simple"]) == (
        15,
        0,
        "su(4)",
        [["su", 4]],
    )
    assert doc["loss"]["variance"] == pytest.approx(2 / 15)
    assert doc["loss"]["state"] == "+00"
    assert doc["loss"]["ideals"][0]["state_purity"] == pytest.approx(0.25)


def test_centre_in_json(capsys):
    ring = ["Z0 Z1 + Z1 Z2 + Z2 Z3 + Z3 Z0", "X0 + X1 + X2 + X3"]
    status, out, _ = _run(capsys, *ring, "--observable", ring[0], "--json")
    doc = json.loads(out)
    assert (doc["dim"], doc["center_dim"], doc["type"]) == (11, 2, "3·su(2) ⊕ u(1)^2")
    assert doc["loss"]["mean"] == pytest.approx(1.0)
    assert doc["loss"]["variance"] == pytest.approx(1.0)


def test_formula_not_applicable_still_classifies(capsys):
    """Z0 Z1 and |000⟩ are both outside i·so(6): the algebra is reported, the variance is not."""
    status, out, err = _run(capsys, *SO6, "--observable", "Z0 Z1")
    assert status == 0 and err == ""
    assert "type        su(4)" in out and "dimension   15 (exact)" in out
    assert "variance    no prediction: Neither the observable Z0 Z1" in out
    status, out, _ = _run(capsys, *SO6, "--observable", "Z0 Z1", "--json")
    doc = json.loads(out)
    assert (doc["dim"], doc["type"], doc["loss"]["variance"]) == (15, "su(4)", None)
    assert "Neither the observable Z0 Z1" in doc["loss"]["not_applicable"]


def test_family_growth_table(capsys):
    status, out, err = _run(capsys, "--family", "xx_z", "--n", "1:6")
    assert status == 0 and err == ""
    assert "family xx_z" in out
    assert "dimension  2*n**2 - n (n ≥ 1" in out
    lines = out.splitlines()
    assert lines[1].split()[:2] == ["n", "dim"]
    assert lines[3].split()[:2] == ["1", "1"] and lines[8].split()[:2] == ["6", "66"]


def test_family_module_function_json(capsys):
    status, out, _ = _run(
        capsys, "--family", "lie_sim.catalog.architectures:tfim_ring", "--n", "2:7", "--json"
    )
    assert status == 0
    doc = json.loads(out)
    assert [p["dim"] for p in doc["points"]] == [4, 8, 11, 14, 17, 20]
    law = doc["dimension_law"]
    assert (law["kind"], law["formula"], law["valid_from"]) == ("polynomial", "3*n - 1", 3)
    assert doc["stopped_at"] is None


def test_family_from_cwd_module_and_budget(capsys, tmp_path, monkeypatch):
    (tmp_path / "my_families.py").write_text(
        "def universal(n):\n"
        "    return [f'X{i}' for i in range(n)] + [f'Y{i}' for i in range(n)]"
        " + [f'Z{i} Z{i + 1}' for i in range(n - 1)]\n"
    )
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(
        capsys, "--family", "my_families:universal", "--n", "1:8", "--max-dim", "1100", "--json"
    )
    assert status == 0
    doc = json.loads(out)
    assert [p["dim"] for p in doc["points"]] == [3, 15, 63, 255, 1023]
    assert doc["dimension_law"]["formula"] == "4**n - 1"
    assert (doc["stopped_at"], doc["max_dim"]) == (6, 1100)


def test_family_type_law(capsys):
    status, out, _ = _run(capsys, "--family", "tfim_ring", "--n", "3:8", "--json")
    doc = json.loads(out)
    assert doc["type_law"]["pattern"] == "(n - 1)·su(2) ⊕ u(1)^2"
    assert doc["center_law"]["formula"] == "2"
    assert doc["points"][0]["type"] == "2·su(2) ⊕ u(1)^2"


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "give exactly one of"),
        (["X0", "--family", "xx_z"], "give exactly one of"),
        (["--family", "nope"], "unknown family 'nope'"),
        (["--family", "no_such_module_xyz:f"], "cannot import module 'no_such_module_xyz'"),
        (["--family", "lie_sim.catalog.architectures:nope"], "has no function 'nope'"),
        (["--family", "xx_z", "--observable", "Z0"], "apply to one algebra"),
        (["--family", "xx_z", "--n", "5:2"], "empty"),
        (["X0", "--n", "3:5"], "--n only applies to --family"),
        (["X0", "--state", "0"], "--state needs --observable"),
        (["X0 X1", "Z0", "--max-dim", "2"], "exceeded max_dim=2"),
        (["X0 X1", "Z0", "--observable", "Z0", "--state", "0q"], "Unknown single-qubit state"),
        (["X0 X1", "Z0", "--observable", "Z4"], "qubit 4"),
        (["Q0"], "Cannot parse Pauli term"),
    ],
)
def test_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_builder_failure_names_n(capsys, tmp_path, monkeypatch):
    (tmp_path / "bad_families.py").write_text("def wrong(n):\n    return 1 / (n - 4)\n")
    monkeypatch.chdir(tmp_path)
    status, _, err = _run(capsys, "--family", "bad_families:wrong", "--n", "3:6")
    assert status == 2
    assert "wrong(n=3) returned a value of type float" in err


def test_circuit(capsys, tmp_path):
    import cirq
    import sympy

    q = cirq.LineQubit.range(3)
    t = [sympy.Symbol(f"t{i}") for i in range(5)]
    circuit = cirq.Circuit(
        cirq.XX(q[0], q[1]) ** t[0],
        cirq.XX(q[1], q[2]) ** t[1],
        [cirq.Z(qi) ** s for qi, s in zip(q, t[2:], strict=True)],
    )
    path = tmp_path / "so6.json"
    cirq.to_json(circuit, path)
    status, out, _ = _run(capsys, "--circuit", str(path), "--observable", "Z1", "--json")
    assert status == 0
    doc = json.loads(out)
    assert (doc["dim"], doc["type"]) == (15, "su(4)")
    assert doc["loss"]["variance"] == pytest.approx(0.2)
    # A trailing fixed H moves O = X1 to H X1 H = Z1 ∈ i·so(6); X1 itself is not in it.
    cirq.to_json(circuit + cirq.Circuit(cirq.H(q[1])), path)
    status, out, _ = _run(capsys, "--circuit", str(path), "--observable", "X1", "--json")
    assert status == 0
    assert json.loads(out)["loss"]["variance"] == pytest.approx(0.2)
    cirq.to_json(cirq.Circuit(cirq.H(q[0])), path)
    status, out, err = _run(capsys, "--circuit", str(path))
    assert status == 2 and "no parameterized gates" in err


def test_circuit_outside_formula_prints_type_and_reason(capsys, tmp_path):
    """ry layers and CZ ladders on 4 qubits: 2·sp(2); Z0 and |0000⟩ are outside i·g."""
    import cirq
    import sympy

    q = cirq.LineQubit.range(4)
    circuit = cirq.Circuit()
    for layer in range(2):
        circuit += [cirq.ry(sympy.Symbol(f"t{layer}_{i}")).on(qi) for i, qi in enumerate(q)]
        circuit += [cirq.CZ(q[i], q[i + 1]) for i in range(3)]
    path = tmp_path / "ry_cz.json"
    cirq.to_json(circuit, path)
    status, out, err = _run(capsys, "--circuit", str(path), "--observable", "Z0")
    assert status == 0 and err == ""
    assert "type        2·sp(2)" in out and "centre      0" in out
    assert "variance    no prediction: Neither the observable" in out


def test_bug_is_not_reported_as_user_error(monkeypatch):
    """Only lie_sim's own errors (and OSError) become one-line messages; a bug raises."""
    from lie_sim.cli import classify

    def broken(*args, **kwargs):
        raise ValueError("an internal bug")

    monkeypatch.setattr(classify, "lie_closure", broken)
    with pytest.raises(ValueError, match="an internal bug"):
        main(["classify", "X0", "Z0"])


def test_negative_max_dim_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["classify", "X0", "Z0", "--max-dim", "-1"])
    assert exit_info.value.code == 2
    assert "expected a non-negative integer, got -1" in capsys.readouterr().err
