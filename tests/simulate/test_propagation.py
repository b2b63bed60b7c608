"""Heisenberg-picture Pauli propagation against dense simulation, a published number and finite
differences (the checks against qsim are in test_propagation_qsim.py)."""

from __future__ import annotations

import itertools

import cirq
import numpy as np
import pytest
import sympy

from lie_sim.errors import (
    ObservableError,
    ParameterError,
    SimulationLimitError,
    StateError,
    UnsupportedGateError,
)
from lie_sim.pauli.paulis import PauliSum
from lie_sim.simulate.propagation import propagate, propagate_with_gradients
from lie_sim.simulate.transfer import transfer_matrix

_STATES = {
    "0": [1, 0],
    "1": [0, 1],
    "+": [1, 1],
    "-": [1, -1],
    "r": [1, 1j],
    "l": [1, -1j],
}


def _product_vector(text: str) -> np.ndarray:
    out = np.ones(1, dtype=complex)
    for char in text:
        v = np.array(_STATES[char], dtype=complex)
        out = np.kron(out, v / np.linalg.norm(v))
    return out


def _exact(circuit: cirq.Circuit, observable: cirq.PauliSum, qubits, state: np.ndarray) -> float:
    sim = cirq.Simulator(dtype=np.complex128)
    final = sim.simulate(circuit, initial_state=state, qubit_order=qubits).final_state_vector
    index = {q: i for i, q in enumerate(qubits)}
    return float(observable.expectation_from_state_vector(final, index).real)


def _random_circuit(n: int, depth: int, rng: np.random.Generator) -> tuple[cirq.Circuit, list]:
    """Rotations, Clifford and non-Clifford fixed gates, a random MatrixGate and FSim."""
    q = cirq.LineQubit.range(n)
    matrix = cirq.MatrixGate(cirq.testing.random_unitary(4, random_state=int(rng.integers(2**31))))
    ops = []
    for _ in range(depth):
        for i in range(n):
            kind = rng.integers(6)
            angle = float(rng.uniform(-np.pi, np.pi))
            ops.append(
                [
                    cirq.rx(angle),
                    cirq.ry(angle),
                    cirq.rz(angle),
                    cirq.H,
                    cirq.S,
                    cirq.T,
                ][kind](q[i])
            )
        for i in range(int(rng.integers(2)), n - 1, 2):
            j = i + 1
            kind = rng.integers(7)
            angle = float(rng.uniform(-np.pi, np.pi))
            two = [
                cirq.CZ,
                cirq.CNOT,
                cirq.ZZPowGate(exponent=angle / np.pi),
                cirq.XXPowGate(exponent=angle / np.pi, global_shift=-0.5),
                cirq.FSimGate(theta=angle, phi=0.7 * angle),
                matrix,
                cirq.ISWAP**0.3,
            ][kind]
            ops.append(two(q[i], q[j]))
    return cirq.Circuit(ops), q


def _random_observable(n: int, rng: np.random.Generator, terms: int = 3) -> cirq.PauliSum:
    q = cirq.LineQubit.range(n)
    out = cirq.PauliSum()
    for _ in range(terms):
        letters = rng.choice(["I", "X", "Y", "Z"], size=n, p=[0.6, 0.15, 0.1, 0.15])
        ps = cirq.PauliString(
            {q[i]: getattr(cirq, c) for i, c in enumerate(letters) if c != "I"},
            coefficient=float(rng.normal()),
        )
        out += ps
    return out + 0.3 * cirq.Z(q[0])


# ------------------------------------------------------------------------------ exactness


@pytest.mark.parametrize(
    "gate",
    [
        cirq.rx(0.37),
        cirq.ry(-1.1),
        cirq.rz(2.0),
        cirq.H,
        cirq.S,
        cirq.T,
        cirq.X**0.3,
        cirq.ZZPowGate(exponent=0.21),
        cirq.CNOT,
        cirq.CZ**0.4,
        cirq.FSimGate(theta=0.3, phi=1.2),
        cirq.MatrixGate(cirq.testing.random_unitary(4, random_state=1)),
    ],
    ids=str,
)
def test_one_gate_is_the_heisenberg_conjugate(gate):
    """U†OU for every Pauli O on the gate's qubits, against cirq.unitary."""
    q = cirq.LineQubit.range(cirq.num_qubits(gate))
    circuit = cirq.Circuit(gate(*q))
    u = cirq.unitary(circuit)
    for letters in itertools.product("IXYZ", repeat=len(q)):
        text = "".join(letters)
        if set(text) == {"I"}:
            continue
        obs = PauliSum.from_text(text)
        r = propagate(circuit, obs, qubits=q)
        np.testing.assert_allclose(
            r.observable.to_matrix(len(q)),
            u.conj().T @ obs.to_matrix(len(q)) @ u,
            atol=1e-12,
        )


def test_rotation_sign_convention():
    """e^{-iθP/2} maps an anticommuting Q to cos θ·Q + sin θ·(i/2)[P, Q]: for P = X and Q = Z,
    (i/2)[X, Z] = (i/2)(−2iY) = Y."""
    theta = 0.3
    q = cirq.LineQubit(0)
    r = propagate(cirq.Circuit(cirq.rx(theta)(q)), cirq.Z(q))
    terms = {w.to_text(): c for w, c in r.observable.terms}
    assert terms == pytest.approx({"Z": np.cos(theta), "Y": np.sin(theta)}, abs=1e-15)
    ptm = transfer_matrix(cirq.unitary(cirq.rx(theta)))
    assert ptm[3, 2] == pytest.approx(np.sin(theta)) and ptm[2, 3] == pytest.approx(-np.sin(theta))


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8])
def test_random_circuits_equal_the_dense_simulator(n):
    rng = np.random.default_rng(100 + n)
    circuit, q = _random_circuit(n, depth=4, rng=rng)
    obs = _random_observable(n, rng)
    texts = ["0" * n, "".join(rng.choice(list(_STATES), size=n))]
    for text in texts:
        r = propagate(circuit, obs, initial_state=text, qubits=q)
        assert r.truncation_bound == 0 and r.dropped_terms == 0
        assert r.expectation == pytest.approx(
            _exact(circuit, obs, q, _product_vector(text)), abs=1e-9
        )
    # a product state from single-qubit vectors, and a dense state vector (small n)
    singles = [
        cirq.testing.random_superposition(2, random_state=int(rng.integers(2**31)))
        for _ in range(n)
    ]
    vector = singles[0]
    for s in singles[1:]:
        vector = np.kron(vector, s)
    r = propagate(circuit, obs, initial_state=singles, qubits=q)
    assert r.expectation == pytest.approx(_exact(circuit, obs, q, vector), abs=1e-9)
    if n <= 6:
        psi = cirq.testing.random_superposition(2**n, random_state=int(rng.integers(2**31)))
        r = propagate(circuit, obs, initial_state=psi, qubits=q)
        assert r.expectation == pytest.approx(_exact(circuit, obs, q, psi), abs=1e-9)


def test_larger_gates_decompose_and_phasors_follow_cirq():
    """CCZ, a three-qubit PauliStringPhasor and a PauliSumExponential of commuting terms."""
    q = cirq.LineQubit.range(4)
    pse = cirq.PauliSumExponential(cirq.X(q[0]) * cirq.X(q[1]) + cirq.Z(q[0]) * cirq.Z(q[1]), 0.4)
    circuit = cirq.Circuit(
        cirq.H.on_each(*q),
        cirq.CCZ(q[0], q[1], q[2]),
        cirq.PauliStringPhasor(cirq.X(q[0]) * cirq.Y(q[2]) * cirq.Z(q[3]), exponent_neg=0.3),
        cirq.rx(0.2)(q[1]),
        cirq.Circuit(pse),
        cirq.GlobalPhaseGate(1j).on(),
        cirq.I(q[3]),
    )
    obs = cirq.Z(q[0]) * cirq.X(q[2]) + 0.5 * cirq.Y(q[1]) + 0.25 * cirq.PauliString()
    r = propagate(circuit, obs, initial_state="+0r1")
    assert r.expectation == pytest.approx(
        _exact(circuit, obs, q, _product_vector("+0r1")), abs=1e-9
    )
    assert r.cirq_observable().qubits  # a cirq.PauliSum on the circuit's qubits


def _tfim(n: int, layers: int, theta, periodic: bool = True) -> tuple[cirq.Circuit, list]:
    """Brick-layer transverse-field Ising Trotter circuit in PauliPropagation.jl's order:
    RZZ on bonds (0,1),(2,3),… then (1,2),(3,4),…[,(n−1,0)], then RX on every qubit; the
    last layer ends with RX. ``theta(k)`` gives the k-th angle, every gate is e^{−iθP/2}."""
    q = cirq.LineQubit.range(n)
    first = [(i, i + 1) for i in range(0, n - 1, 2)]
    second = [(i, i + 1) for i in range(1, n - 1, 2)] + ([(n - 1, 0)] if periodic else [])
    counter = itertools.count()

    def zz(i, j):
        return cirq.ZZPowGate(exponent=theta(next(counter)) / np.pi, global_shift=-0.5)(q[i], q[j])

    moments = []
    for _ in range(layers):
        moments.append(cirq.Moment(zz(i, j) for i, j in first))
        moments.append(cirq.Moment(zz(i, j) for i, j in second))
        moments.append(cirq.Moment(cirq.rx(theta(next(counter)))(x) for x in q))
    return cirq.Circuit(moments), q


# ------------------------------------------------------------------------------ truncation


@pytest.mark.parametrize(
    ("max_weight", "min_abs_coeff"),
    [(0, 0.0), (1, 0.0), (2, 0.0), (3, 1e-3), (None, 0.05), (4, 0.1)],
)
def test_truncation_error_within_the_bound(max_weight, min_abs_coeff):
    rng = np.random.default_rng(7)
    n = 8
    circuit, q = _random_circuit(n, depth=5, rng=rng)
    obs = _random_observable(n, rng, terms=4)
    text = "".join(rng.choice(list(_STATES), size=n))
    exact = propagate(circuit, obs, initial_state=text, qubits=q)
    cut = propagate(
        circuit,
        obs,
        initial_state=text,
        qubits=q,
        max_weight=max_weight,
        min_abs_coeff=min_abs_coeff,
    )
    assert cut.dropped_terms > 0
    assert abs(exact.expectation - cut.expectation) <= cut.truncation_bound + 1e-12
    if max_weight is not None:
        weights = [w.weight for w in cut.observable.words]
        assert max(weights, default=0) <= max_weight
    assert all(abs(c) >= min_abs_coeff for c in cut.observable.coefficients)


def test_pauliprop_jl_quick_start():
    """The PauliPropagation.jl README quick start (Rudolph et al., arXiv 2505.21606;
    github.com/MSRudolph/PauliPropagation.jl, README "Quick Start"): 32 qubits, periodic
    brick-layer TFIM Trotter circuit ``tfitrottercircuit(32, 32)``, all angles dt = 0.1 with
    ``PauliRotation`` = e^{−iθP/2}, observable Z on qubit 16 (1-based: index 15 here),
    max_weight = 6, min_abs_coeff = 1e-4, overlap with |0…0⟩ printed as ``0.154596728241...``.

    The gate order is the same (``bricklayertopology(32; periodic=true)``: bonds (1,2),(3,4),…,
    then (2,3),…,(31,32),(32,1)) and truncation is applied after every gate with the same rules,
    so the arithmetic is the same up to the order of floating-point sums: we ask for all the
    printed digits (|Δ| < 1e-12).
    """
    circuit, q = _tfim(32, 32, lambda _: 0.1)
    r = propagate(circuit, cirq.Z(q[15]), max_weight=6, min_abs_coeff=1e-4)
    assert 0.154596728241 <= r.expectation < 0.154596728242
    assert r.truncation_bound > 0 and r.num_terms > 0


def test_weight_truncation_converges_without_coefficient_cut():
    """The quick-start circuit with no coefficient cut converges as max_weight grows.

    At all 32 Trotter steps the weight-truncated values (min_abs_coeff = 0) measured here are
    0.15952 (k = 2), 0.07030 (k = 4), 0.15629 (k = 6: 9,982,363 terms, 280 s): not converged
    and too slow for a test. So the test runs the same circuit at fewer steps: at 4 steps the
    light cone of Z_15 has 17 qubits and the exact value is a dense simulation away; at 8
    steps the values at k = 2, 4, 6 differ by 2.4e-2 then 4.1e-7 (k = 8 adds 9e-14).
    """
    obs_index = 15
    circuit, q = _tfim(32, 4, lambda _: 0.1)
    cone = [x for x in q if abs(x.x - obs_index) <= 8]
    # gates outside the backward light cone of Z_15 never touch the propagated sum
    inside = cirq.Circuit(
        cirq.Moment(op for op in m if all(x in cone for x in op.qubits)) for m in circuit
    )
    exact = _exact(inside, cirq.Z(q[obs_index]), cone, _product_vector("0" * len(cone)))
    errors = []
    for k in (2, 4, 6):
        r = propagate(circuit, cirq.Z(q[obs_index]), max_weight=k)
        assert abs(r.expectation - exact) <= r.truncation_bound + 1e-12
        errors.append(abs(r.expectation - exact))
    assert errors[0] > 1e5 * errors[1] and errors[2] < 1e-12  # k = 6: exact to rounding

    circuit, q = _tfim(32, 8, lambda _: 0.1)
    runs = [propagate(circuit, cirq.Z(q[obs_index]), max_weight=k) for k in (2, 4, 6)]
    values = [r.expectation for r in runs]
    steps = np.abs(np.diff(values))
    assert steps[0] > 1e3 * steps[1]
    for a, b in itertools.pairwise(runs):
        # both approximate the same exact value within their bounds
        assert abs(a.expectation - b.expectation) <= a.truncation_bound + b.truncation_bound


# ------------------------------------------------------------------------------ gradients


def test_gradients_equal_finite_differences():
    a, b, c = sympy.symbols("a b c")
    q = cirq.LineQubit.range(4)
    circuit = cirq.Circuit(
        cirq.H.on_each(*q),
        cirq.rx(a)(q[0]),
        cirq.ry(2 * a + 0.3)(q[1]),
        cirq.ZZPowGate(exponent=b)(q[1], q[2]),
        cirq.FSimGate(theta=c, phi=b)(q[2], q[3]),
        cirq.T(q[3]),
        cirq.CNOT(q[0], q[3]),
        cirq.rz(c)(q[2]),
        cirq.PauliStringPhasor(cirq.X(q[0]) * cirq.Y(q[1]) * cirq.Z(q[2]), exponent_neg=a),
    )
    obs = cirq.Z(q[0]) * cirq.Z(q[3]) + 0.7 * cirq.X(q[1]) - 0.4 * cirq.Y(q[2])
    point = {"a": 0.31, "b": -0.47, "c": 1.13}
    result, grads = propagate_with_gradients(circuit, obs, point, initial_state="0+r1")
    assert set(grads) == {"a", "b", "c"}
    assert result.expectation == pytest.approx(
        propagate(circuit, obs, point, initial_state="0+r1").expectation, abs=1e-12
    )
    for name in grads:
        fd = _central_difference(
            lambda p: propagate(circuit, obs, p, initial_state="0+r1").expectation, point, name
        )
        assert grads[name] == pytest.approx(fd, abs=1e-6)


def test_gradients_of_a_weight_truncated_value():
    """Weight truncation does not depend on the parameters, so the truncated value is smooth
    and its derivative must match finite differences of the truncated propagation."""
    rng = np.random.default_rng(11)
    symbols = sympy.symbols("s0:6")
    q = cirq.LineQubit.range(6)
    ops = []
    for layer in range(3):
        for i in range(6):
            ops.append(cirq.ry(symbols[i] * (layer + 1) + float(rng.normal()))(q[i]))
        for i in range(layer % 2, 5, 2):
            ops.append(cirq.ZZPowGate(exponent=symbols[(i + layer) % 6])(q[i], q[i + 1]))
    circuit = cirq.Circuit(ops)
    obs = cirq.Z(q[2]) * cirq.Z(q[3]) + 0.5 * cirq.X(q[0])
    point = {str(s): float(v) for s, v in zip(symbols, rng.uniform(-1, 1, 6), strict=True)}
    result, grads = propagate_with_gradients(circuit, obs, point, max_weight=2)
    assert result.dropped_terms > 0
    for name in grads:
        fd = _central_difference(
            lambda p: propagate(circuit, obs, p, max_weight=2).expectation, point, name
        )
        assert grads[name] == pytest.approx(fd, abs=1e-6)


def _central_difference(value, point: dict, name: str, h: float = 1e-5) -> float:
    """``(value(θ + h) − value(θ − h)) / 2h`` in the symbol ``name``."""
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (value(up) - value(down)) / (2 * h)


# ------------------------------------------------------------------------------ bad input


def test_bad_initial_state_before_any_work():
    circuit, q = _small()
    with pytest.raises(StateError, match="characters"):
        propagate(circuit, cirq.Z(q[0]), initial_state="0+")


def _small():
    q = cirq.LineQubit.range(3)
    return cirq.Circuit(cirq.H.on_each(*q), cirq.CNOT(q[0], q[1]), cirq.rx(0.3)(q[2])), q


def test_unresolved_symbols_are_named():
    q = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(
        cirq.rx(sympy.Symbol("alpha"))(q[0]), cirq.rz(sympy.Symbol("beta"))(q[1])
    )
    with pytest.raises(ParameterError, match="alpha, beta"):
        propagate(circuit, cirq.Z(q[0]))
    with pytest.raises(ParameterError, match="beta"):
        propagate(circuit, cirq.Z(q[0]), {"alpha": 0.1})


@pytest.mark.parametrize("value", [-1, 2.5, "3", True])
def test_bad_max_weight(value):
    circuit, q = _small()
    with pytest.raises(ValueError, match="max_weight"):
        propagate(circuit, cirq.Z(q[0]), max_weight=value)


@pytest.mark.parametrize("value", [-1e-3, float("nan"), float("inf"), "0.1"])
def test_bad_min_abs_coeff(value):
    circuit, q = _small()
    with pytest.raises(ValueError, match="min_abs_coeff"):
        propagate(circuit, cirq.Z(q[0]), min_abs_coeff=value)


def test_observable_outside_the_circuit():
    circuit, q = _small()
    with pytest.raises(ObservableError, match="LineQubit\\(7\\)"):
        propagate(circuit, cirq.Z(cirq.LineQubit(7)))
    with pytest.raises(ObservableError, match="only 3 qubits"):
        propagate(circuit, "Z5")


def test_unsupported_operations_named_with_moment():
    q = cirq.LineQubit.range(2)
    with pytest.raises(UnsupportedGateError, match="moment 1.*measurement"):
        propagate(cirq.Circuit(cirq.H(q[0]), cirq.measure(q[0])), cirq.Z(q[0]))
    with pytest.raises(UnsupportedGateError, match="moment 1.*no unitary"):
        propagate(cirq.Circuit(cirq.H(q[0]), cirq.depolarize(0.1)(q[0])), cirq.Z(q[0]))

    class Opaque(cirq.Gate):  # a three-qubit unitary Cirq cannot decompose
        def _num_qubits_(self):
            return 3

        def _unitary_(self):
            return np.eye(8)

    three = cirq.LineQubit.range(3)
    with pytest.raises(UnsupportedGateError, match="moment 1.*cannot decompose"):
        propagate(cirq.Circuit(cirq.H(three[0]), Opaque()(*three)), cirq.Z(three[0]))


def test_term_budget_exceeded():
    circuit, q = _tfim(8, 4, lambda _: 0.3)
    with pytest.raises(SimulationLimitError, match="max_weight") as info:
        propagate(circuit, cirq.Z(q[3]), max_terms=50)
    assert info.value.dim_reached > 50 and info.value.space == "Pauli propagation"
    assert str(info.value.dim_reached) in str(info.value)
    # the expansion itself is refused before it allocates (here 1 term → up to 16)
    q2 = cirq.LineQubit.range(2)
    gate = cirq.MatrixGate(cirq.testing.random_unitary(4, random_state=5))
    with pytest.raises(SimulationLimitError, match="would expand to 15 terms.*moment 0") as info:
        propagate(cirq.Circuit(gate(*q2)), cirq.X(q2[0]) * cirq.Y(q2[1]), max_terms=1)
    assert info.value.dim_reached == 15


def test_qudits_complex_observables_and_foreign_circuit_qubits():
    q = cirq.LineQubit.range(2)
    with pytest.raises(UnsupportedGateError, match="qudit"):
        qutrit = cirq.LineQid(5, dimension=3)
        propagate(cirq.Circuit(cirq.MatrixGate(np.eye(3), qid_shape=(3,))(qutrit)), "Z0")
    with pytest.raises(ObservableError, match="complex"):
        propagate(cirq.Circuit(cirq.H(q[0])), 1j * cirq.Z(q[0]))
    with pytest.raises(ValueError, match="LineQubit\\(1\\)"):
        propagate(cirq.Circuit(cirq.CZ(*q)), cirq.Z(q[0]), qubits=q[:1])


def test_result_is_a_value_with_the_propagated_sum():
    circuit, q = _small()
    obs = cirq.Z(q[0]) * cirq.Z(q[1]) + 0.5 * cirq.Y(q[2])
    r = propagate(circuit, obs, initial_state="0+1")
    assert r == propagate(circuit, obs, initial_state="0+1")
    assert hash(r) == hash(propagate(circuit, obs, initial_state="0+1"))
    with pytest.raises(AttributeError):
        r.expectation = 0.0  # type: ignore[misc]
    assert len(r.observable) == r.num_terms
    index = {x: i for i, x in enumerate(q)}
    value = r.cirq_observable().expectation_from_state_vector(_product_vector("0+1"), index)
    assert value.real == pytest.approx(r.expectation, abs=1e-12)


def test_many_words_equal_a_small_register():
    """Strings over 130 qubits (three uint64 words), gates across word boundaries, against
    the same circuit on its 10 qubits simulated densely."""
    rng = np.random.default_rng(3)
    small, q_small = _random_circuit(10, depth=4, rng=rng)
    obs_small = _random_observable(10, rng)
    big_qubits = cirq.LineQubit.range(130)
    placed = [big_qubits[i] for i in (57, 60, 62, 63, 64, 65, 100, 127, 128, 129)]
    mapping = dict(zip(q_small, placed, strict=True))
    big = small.transform_qubits(mapping)
    obs_big = obs_small.with_qubits(*[mapping[x] for x in obs_small.qubits])
    text = "".join(rng.choice(list(_STATES), size=10))
    state = ["0"] * 130
    for i, x in enumerate(placed):
        state[x.x] = text[i]
    r = propagate(big, obs_big, initial_state="".join(state), qubits=big_qubits)
    exact = _exact(small, obs_small, q_small, _product_vector(text))
    assert r.expectation == pytest.approx(exact, abs=1e-9)
    for k, cut in ((2, 0.0), (3, 1e-3)):
        rc = propagate(
            big,
            obs_big,
            initial_state="".join(state),
            qubits=big_qubits,
            max_weight=k,
            min_abs_coeff=cut,
        )
        assert abs(rc.expectation - exact) <= rc.truncation_bound + 1e-12


def test_rotation_pairs_survive_hash_collisions(monkeypatch):
    """Registers wider than 32 qubits pair strings by a 64-bit hash; with every hash equal the
    rotation path must fall back to sorting the strings and give the same sum."""
    from lie_sim.compiled import DISABLE_ENV
    from lie_sim.simulate import transfer_rotation

    monkeypatch.setenv(DISABLE_ENV, "1")  # the NumPy rotation path
    rng = np.random.default_rng(11)
    small, q_small = _random_circuit(6, depth=3, rng=rng)
    obs_small = _random_observable(6, rng)
    wide = cirq.LineQubit.range(70)
    mapping = dict(zip(q_small, [wide[i] for i in (0, 31, 32, 63, 64, 69)], strict=True))
    circuit = small.transform_qubits(mapping)
    obs = obs_small.with_qubits(*[mapping[x] for x in obs_small.qubits])
    expected = propagate(circuit, obs, qubits=wide)
    monkeypatch.setattr(transfer_rotation, "_hash_constants", lambda n: np.zeros((2, n), np.uint64))
    collided = propagate(circuit, obs, qubits=wide)
    assert collided.observable == expected.observable
    assert collided.expectation == pytest.approx(
        _exact(small, obs_small, q_small, _product_vector("0" * 6)), abs=1e-9
    )


@pytest.mark.parametrize("width", [8, 40, 130])
@pytest.mark.parametrize(("max_weight", "min_abs_coeff"), [(None, 0.0), (3, 1e-3)])
def test_rotation_path_forms_the_generic_sums(monkeypatch, width, max_weight, min_abs_coeff):
    """Pauli rotations go pair by pair (transfer_rotation: one packed key up to 32 qubits, a
    hash of the words beyond); the generic PTM expansion must give the same terms, drops and
    coefficients (up to the order of floating-point sums)."""
    from lie_sim.compiled import DISABLE_ENV
    from lie_sim.simulate import propagation as module
    from lie_sim.simulate.transfer import apply_gate, truncate

    monkeypatch.setenv(DISABLE_ENV, "1")  # the NumPy rotation path
    rng = np.random.default_rng(width)
    small, q_small = _random_circuit(8, depth=4, rng=rng)
    obs_small = _random_observable(8, rng)
    wide = cirq.LineQubit.range(width)
    spots = sorted(rng.choice(width, size=8, replace=False).tolist())
    mapping = dict(zip(q_small, [wide[i] for i in spots], strict=True))
    circuit = small.transform_qubits(mapping)
    obs = obs_small.with_qubits(*[mapping[x] for x in obs_small.qubits])
    kwargs = {"qubits": wide, "max_weight": max_weight, "min_abs_coeff": min_abs_coeff}
    fast = propagate(circuit, obs, **kwargs)

    def generic(terms, gate, num_qubits, cut, max_rows, too_many):
        changed = apply_gate(terms, gate, max_rows, too_many)
        truncate(terms, changed, *cut)
        return len(changed) > 0

    monkeypatch.setattr(module, "apply_rotation", generic)
    slow = propagate(circuit, obs, **kwargs)
    assert fast.observable.words == slow.observable.words
    assert fast.dropped_terms == slow.dropped_terms
    np.testing.assert_allclose(
        [float(c) for c in fast.observable.coefficients],
        [float(c) for c in slow.observable.coefficients],
        rtol=0,
        atol=1e-14,
    )
    assert fast.truncation_bound == pytest.approx(slow.truncation_bound, rel=1e-12, abs=1e-15)
