"""Tests for lie_sim.circuits.circuit_io.load_circuit."""

from __future__ import annotations

import textwrap

import cirq
import pytest
import sympy

from lie_sim.circuits.circuit_io import CircuitLoadError, load_circuit
from lie_sim.errors import LieSimError

A, B = cirq.LineQubit.range(2)
CIRCUIT = cirq.Circuit(cirq.H(A), cirq.CNOT(A, B), cirq.rz(sympy.Symbol("t")).on(B))

SOURCE = textwrap.dedent(
    """
    import cirq, sympy

    a, b = cirq.LineQubit.range(2)

    def make(depth=1):
        return cirq.Circuit(cirq.H(a), cirq.CNOT(a, b), cirq.rz(sympy.Symbol("t")).on(b))

    frozen = make().freeze()
    number = 3
    """
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_json_file(tmp_path):
    path = tmp_path / "c.json"
    cirq.to_json(CIRCUIT, path)
    loaded = load_circuit(str(path))
    assert isinstance(loaded, cirq.Circuit) and loaded == CIRCUIT


def test_gzipped_json_file(tmp_path):
    path = tmp_path / "c.json.gz"
    cirq.to_json_gzip(CIRCUIT, path)
    assert load_circuit(str(path)) == CIRCUIT


def test_json_without_suffix(tmp_path):
    path = tmp_path / "circuit.txt"
    cirq.to_json(CIRCUIT, path)
    assert load_circuit(str(path)) == CIRCUIT


def test_frozen_circuit_json_is_unfrozen(tmp_path):
    path = tmp_path / "c.json"
    cirq.to_json(CIRCUIT.freeze(), path)
    loaded = load_circuit(str(path))
    assert type(loaded) is cirq.Circuit and loaded == CIRCUIT


@pytest.mark.parametrize(
    "tail, body",
    [
        ("", "circuit = make()"),
        ("", "def circuit():\n    return make()"),
        ("", "def build():\n    return make()"),
        (":make", ""),
        (":frozen", ""),
    ],
    ids=["variable", "circuit-function", "build-function", "named-function", "named-frozen"],
)
def test_python_file(tmp_path, tail, body):
    path = write(tmp_path, "ansatz.py", SOURCE + body + "\n")
    assert load_circuit(path + tail) == CIRCUIT


def test_module_function(tmp_path, monkeypatch):
    package = tmp_path / "mypkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "ansatz.py").write_text(SOURCE + "circuit = make()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_circuit("mypkg.ansatz:make") == CIRCUIT
    assert load_circuit("mypkg.ansatz") == CIRCUIT


@pytest.mark.parametrize(
    "spec, match",
    [
        ("missing.json", "does not exist"),
        ("missing.py", "does not exist"),
        ("missing.py:make", "does not exist"),
        ("no_such_module_xyz:make", "no module named 'no_such_module_xyz'"),
        ("not a spec!", "neither an existing file nor a module name"),
    ],
)
def test_missing_sources(tmp_path, monkeypatch, spec, match):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CircuitLoadError, match=match) as info:
        load_circuit(spec)
    assert isinstance(info.value, ValueError) and isinstance(info.value, LieSimError)


def test_missing_attribute(tmp_path):
    path = write(tmp_path, "ansatz.py", SOURCE)
    with pytest.raises(CircuitLoadError, match="has no 'nope'"):
        load_circuit(path + ":nope")
    with pytest.raises(CircuitLoadError, match="has no 'circuit' or 'build'"):
        load_circuit(path)


def test_not_a_circuit(tmp_path):
    path = write(tmp_path, "ansatz.py", SOURCE)
    with pytest.raises(CircuitLoadError, match="gave a int, not a cirq.Circuit"):
        load_circuit(path + ":number")
    json_path = tmp_path / "op.json"
    cirq.to_json(cirq.H(A), json_path)
    with pytest.raises(CircuitLoadError, match="not a cirq.Circuit"):
        load_circuit(str(json_path))


def test_bad_json(tmp_path):
    path = write(tmp_path, "bad.json", "{not json")
    with pytest.raises(CircuitLoadError, match="not Cirq JSON"):
        load_circuit(path)


def test_json_takes_no_name(tmp_path):
    path = tmp_path / "c.json"
    cirq.to_json(CIRCUIT, path)
    with pytest.raises(CircuitLoadError, match="takes no"):
        load_circuit(f"{path}:make")


def test_errors_in_user_code_propagate(tmp_path):
    path = write(tmp_path, "broken.py", "raise RuntimeError('boom')\n")
    with pytest.raises(RuntimeError, match="boom"):
        load_circuit(path)
