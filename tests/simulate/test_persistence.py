"""Saved g-sim surrogates: the same numbers back, and clear errors for any other file."""

from __future__ import annotations

import json
import zipfile

import cirq
import numpy as np
import pytest
import sympy

from lie_sim import SurrogateFileError, build_gsim, load_gsim
from lie_sim.catalog.circuits import matchgate_brickwork, tfim_hva

Q = cirq.LineQubit.range(6)
T = sympy.Symbol("t")


def _params(sim, seed=0):
    rng = np.random.default_rng(seed)
    return {name: float(rng.uniform(-3, 3)) for name in sim.parameter_names}


CASES = {
    "strings": (matchgate_brickwork(5, 2), [cirq.Z(Q[0]), cirq.X(Q[0]) + 0.5], "+0000"),
    "sums": (tfim_hva(5, 2), [cirq.Z(Q[0]) * cirq.Z(Q[1])], None),
    "dense": (
        cirq.Circuit(
            cirq.PhasedXPowGate(phase_exponent=0.3, exponent=T).on(Q[0]),
            cirq.CNOT(Q[0], Q[1]),
            cirq.T(Q[1]),
            cirq.rz(2 * T).on(Q[1]),
        ),
        [cirq.Z(Q[1]), cirq.X(Q[0])],
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_round_trip(tmp_path, case):
    circuit, observables, state = CASES[case]
    sim = build_gsim(circuit, observables, initial_state=state)
    path = tmp_path / "surrogate.npz"
    sim.save(path)
    loaded = load_gsim(path, circuit, observables)
    params = _params(sim)
    assert loaded.simulate_expectation_values(params) == sim.simulate_expectation_values(params)
    v1, g1 = sim.expectation_values_and_gradients(params)
    v2, g2 = loaded.expectation_values_and_gradients(params)
    np.testing.assert_array_equal(v1, v2)
    assert g1.keys() == g2.keys() and all(np.array_equal(g1[k], g2[k]) for k in g1)
    assert (loaded.dim, loaded.route, loaded.qubits) == (sim.dim, sim.route, sim.qubits)
    assert loaded.algebra == sim.algebra
    assert loaded.module_dims == sim.module_dims
    assert loaded.initial_state == sim.initial_state
    assert not list(tmp_path.glob("*.tmp"))


def test_other_circuit_is_refused(tmp_path):
    circuit, observables, _ = CASES["sums"]
    build_gsim(circuit, observables).save(tmp_path / "s.npz")
    with pytest.raises(SurrogateFileError, match="another circuit or other observables"):
        load_gsim(tmp_path / "s.npz", tfim_hva(5, 3), observables)
    with pytest.raises(SurrogateFileError, match="another circuit or other observables"):
        load_gsim(tmp_path / "s.npz", circuit, [cirq.X(Q[0])])


def _rewrite(path, out, change):
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    change(arrays)
    np.savez(out, **arrays)


def test_other_format_version_is_refused(tmp_path):
    circuit, observables, _ = CASES["sums"]
    build_gsim(circuit, observables).save(tmp_path / "s.npz")

    def bump(arrays):
        meta = json.loads(str(arrays["metadata"]))
        meta["format_version"] = 99
        arrays["metadata"] = np.array(json.dumps(meta))

    _rewrite(tmp_path / "s.npz", tmp_path / "v.npz", bump)
    with pytest.raises(SurrogateFileError, match="format version 99"):
        load_gsim(tmp_path / "v.npz")


def test_changed_numbers_are_refused(tmp_path):
    """A file whose arrays were edited (a valid zip) never gives a wrong number."""
    circuit, observables, _ = CASES["strings"]
    build_gsim(circuit, observables).save(tmp_path / "s.npz")

    def nudge(arrays):
        arrays["initial"] = arrays["initial"] + 1e-9

    _rewrite(tmp_path / "s.npz", tmp_path / "n.npz", nudge)
    with pytest.raises(SurrogateFileError, match="damaged"):
        load_gsim(tmp_path / "n.npz")


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_corrupt_bytes_are_refused(tmp_path, where):
    circuit, observables, _ = CASES["strings"]
    build_gsim(circuit, observables).save(tmp_path / "s.npz")
    data = bytearray((tmp_path / "s.npz").read_bytes())
    data[int(len(data) * where)] ^= 0xFF
    (tmp_path / "c.npz").write_bytes(bytes(data))
    with pytest.raises(SurrogateFileError):
        load_gsim(tmp_path / "c.npz")


def test_not_a_surrogate(tmp_path):
    np.savez(tmp_path / "x.npz", a=np.zeros(3))
    with pytest.raises(SurrogateFileError, match="no lie_sim metadata"):
        load_gsim(tmp_path / "x.npz")
    (tmp_path / "t.npz").write_text("hello")
    with pytest.raises(SurrogateFileError, match="not a readable"):
        load_gsim(tmp_path / "t.npz")
    with zipfile.ZipFile(tmp_path / "z.npz", "w") as z:
        z.writestr("metadata.npy", b"garbage")
    with pytest.raises(SurrogateFileError):
        load_gsim(tmp_path / "z.npz")
