"""Tests of lie_sim.algebra.variance: the Lie-algebraic loss variance of Ragone et al.

Known answers come from Theorem 1 of M. Ragone et al., Nat. Commun. 15, 7172 (2024):
``Var[Tr(UρU†O)] = Σ_j P_{g_j}(ρ) P_{g_j}(O) / dim(g_j)`` when O or ρ lies in i·g. They are
checked against sampled variances of deep random circuits (10⁴ samples each).
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from lie_sim.algebra.closure import lie_closure
from lie_sim.algebra.variance import (
    FormulaNotApplicableError,
    ObservableError,
    StateError,
    VariancePrediction,
    loss_variance,
)
from lie_sim.catalog.architectures import full_su_chain, tfim, tfim_ring, xx_z_chain
from lie_sim.pauli.paulis import PauliSum, parse_pauli_sum

RING4_ZZ = "Z0 Z1 + Z1 Z2 + Z2 Z3 + Z3 Z0"
SECTOR = ["Z0 + Z1", "X0 X1 - Y0 Y1", "Z0 Z1"]  # su(2) on span{|00>, |11>} ⊕ u(1)


# ----------------------------------------------------------------------------------------
# Sampling reference: deep random circuits, numpy state vectors


def sample_losses(
    generators: list[PauliSum],
    n: int,
    observable: PauliSum,
    state: np.ndarray,
    *,
    samples: int = 10_000,
    layers: int = 30,
    seed: int = 0,
) -> np.ndarray:
    """``Tr(UρU†O)`` for ``samples`` circuits ``U = ∏_layers ∏_k exp(−iθ H_k)``, θ ~ U[0, 2π)."""
    rng = np.random.default_rng(seed)
    eig = [np.linalg.eigh(g.to_matrix(n)) for g in generators]
    psi = np.tile(np.asarray(state, dtype=complex), (samples, 1))
    for _ in range(layers):
        for lam, vecs in eig:
            theta = rng.uniform(0, 2 * np.pi, size=(samples, 1))
            psi = ((psi @ vecs.conj()) * np.exp(-1j * theta * lam)) @ vecs.T
    matrix = observable.to_matrix(n)
    return np.einsum("si,ij,sj->s", psi.conj(), matrix, psi).real


def variance_with_error(x: np.ndarray) -> tuple[float, float]:
    """Unbiased sample variance and its standard error ``sqrt((m4 − s⁴)/N)``."""
    c = x - x.mean()
    v = float((c**2).mean())
    return v * len(x) / (len(x) - 1), float(np.sqrt(((c**4).mean() - v**2) / len(x)))


def _basis_state(text: str) -> np.ndarray:
    singles = {
        "0": [1, 0],
        "1": [0, 1],
        "+": [1 / np.sqrt(2), 1 / np.sqrt(2)],
        "-": [1 / np.sqrt(2), -1 / np.sqrt(2)],
        "r": [1 / np.sqrt(2), 1j / np.sqrt(2)],
        "l": [1 / np.sqrt(2), -1j / np.sqrt(2)],
    }
    out = np.ones(1)
    for c in text:
        out = np.kron(out, singles[c])
    return out


def _gens(gens: list) -> list[PauliSum]:
    return [parse_pauli_sum(g) if isinstance(g, str) else g for g in gens]


ACCEPTANCE = [
    # (id, generators, n, observable, state, predicted variance, predicted mean)
    ("so6_xxz_n3", xx_z_chain(3), 3, "Z1", "000", 0.2, 0.0),
    ("so6_xxz_n3_plus", xx_z_chain(3), 3, "Z1", "+00", 2 / 15, 0.0),
    ("su4_full_n2", full_su_chain(2), 2, "Z0", "00", 0.2, 0.0),
    ("qaoa_ring_n4", tfim_ring(4), 4, RING4_ZZ, "0000", 1.0, 1.0),
    ("tfim_open_n3", tfim(3), 3, "X0 + X1 + X2", "000", 2 / 3, 0.0),
    ("sector_rho_in_g", _gens(SECTOR), 2, "Z0", "00", 1 / 3, 0.0),
]


@pytest.mark.parametrize(
    "gens, n, obs, state, variance, mean",
    [case[1:] for case in ACCEPTANCE],
    ids=[case[0] for case in ACCEPTANCE],
)
def test_prediction_matches_sampled_deep_circuits(gens, n, obs, state, variance, mean):
    """Ragone et al. 2024, Theorem 1, against 10⁴ deep random circuits (within 3 s.e.).

    so(6) from {X_iX_{i+1}, Z_i} at n = 3 with O = Z_1 and |000⟩ gives 3·1/15 = 0.2; the QAOA
    ring has a 2-dimensional centre, which sets the mean; ``sector_rho_in_g`` has O ∉ i·g but
    ρ − I/4 ∈ i·g, where the theorem still applies.
    """
    dla = lie_closure(gens)
    prediction = loss_variance(dla, obs, state)
    assert prediction.variance == pytest.approx(variance, abs=1e-12)
    assert prediction.mean == pytest.approx(mean, abs=1e-12)
    losses = sample_losses(_gens(gens), n, parse_pauli_sum(obs), _basis_state(state))
    sampled, error = variance_with_error(losses)
    assert abs(sampled - prediction.variance) < 3 * error, (sampled, error)
    assert abs(losses.mean() - prediction.mean) < 3 * np.sqrt(sampled / len(losses))


def test_random_state_vector_matches_sampling():
    """A seeded random (entangled) state vector on so(6): Theorem 1 against sampling."""
    rng = np.random.default_rng(7)
    psi = rng.normal(size=8) + 1j * rng.normal(size=8)
    psi /= np.linalg.norm(psi)
    dla = lie_closure(xx_z_chain(3))
    prediction = loss_variance(dla, "X0 X1", psi)
    losses = sample_losses(xx_z_chain(3), 3, parse_pauli_sum("X0 X1"), psi, seed=3)
    sampled, error = variance_with_error(losses)
    assert abs(sampled - prediction.variance) < 3 * error, (prediction.variance, sampled, error)


@pytest.mark.parametrize("n", [2, 3, 5, 12])
def test_free_fermion_closed_form(n):
    """so(2n) from {XX, Z}, O = Z_0, |0…0⟩: P(ρ)·P(O) = n (the Z_i), so Var = 1/(2n − 1)."""
    prediction = loss_variance(lie_closure(xx_z_chain(n)), "Z0")
    assert prediction.variance == pytest.approx(1 / (2 * n - 1), rel=1e-10)
    assert prediction.mean == pytest.approx(0.0, abs=1e-12)


def test_haar_value_for_su():
    """su(2^n): Var⟨Z⟩ over Haar states is 1/(2^n + 1) (Ragone et al., Theorem 1)."""
    prediction = loss_variance(lie_closure(full_su_chain(3)), "Z2", "+-r")
    assert prediction.variance == pytest.approx(1 / 9, rel=1e-10)
    (ideal,) = prediction.ideals
    assert (ideal.family, ideal.n, ideal.dim) == ("su", 8, 63)
    assert ideal.state_purity == pytest.approx(7 / 8)
    assert ideal.observable_purity == pytest.approx(8)
    assert prediction.observable_in_algebra and prediction.state_in_algebra


def test_state_forms_agree():
    dla = lie_closure(xx_z_chain(3))
    q = cirq.LineQubit.range(3)
    forms = [
        "+0-",
        ["+", "0", "-"],
        [cirq.KET_PLUS, [1, 0], cirq.KET_MINUS],
        np.array([[1, 1], [np.sqrt(2), 0], [1, -1]]) / np.sqrt(2),
        cirq.KET_PLUS(q[0]) * cirq.KET_ZERO(q[1]) * cirq.KET_MINUS(q[2]),
        _basis_state("+0-"),
    ]
    values = [loss_variance(dla, "Z1 + X0 X1", s).variance for s in forms]
    assert values == pytest.approx([values[0]] * len(values), rel=1e-12)
    assert values[0] > 0


def test_observable_forms_agree_and_identity_shifts_mean():
    dla = lie_closure(xx_z_chain(3))
    q = cirq.LineQubit.range(3)
    forms = ["Z1", parse_pauli_sum("Z1"), cirq.Z(q[1]), cirq.PauliSum.wrap(cirq.Z(q[1]))]
    assert [loss_variance(dla, o).variance for o in forms] == pytest.approx([0.2] * 4)
    shifted = loss_variance(dla, "Z1 + 2 I")
    assert shifted.variance == pytest.approx(0.2)
    assert shifted.mean == pytest.approx(2.0)


def test_prediction_is_a_frozen_value_with_text():
    prediction = loss_variance(lie_closure(xx_z_chain(3)), "Z1")
    assert isinstance(prediction, VariancePrediction)
    with pytest.raises(AttributeError):
        prediction.variance = 1.0
    assert hash(prediction) == hash(loss_variance(lie_closure(xx_z_chain(3)), "Z1"))
    assert "Var[ℓ] = 0.2" in str(prediction)
    assert "su(4)" in str(prediction)


# ----------------------------------------------------------------------------------------
# Where the formula does not apply, and bad input


def test_neither_in_algebra_raises():
    """Z0Z1 ∉ so(6) and |000⟩⟨000| − I/8 ∉ i·so(6): Theorem 1 does not apply."""
    with pytest.raises(FormulaNotApplicableError, match="Neither the observable Z0 Z1"):
        loss_variance(lie_closure(xx_z_chain(3)), "Z0 Z1")


def test_membership_does_not_depend_on_the_observable_scale():
    """1e-5·Z0Z1 ∉ i·so(6) as much as Z0Z1 is; it must not be called inside (variance 0.0)."""
    with pytest.raises(FormulaNotApplicableError, match="Neither the observable"):
        loss_variance(lie_closure(xx_z_chain(3)), "1e-5 Z0 Z1")
    small = loss_variance(lie_closure(xx_z_chain(3)), "1e-5 Z0")  # Z0 ∈ i·so(6): still inside
    assert small.observable_in_algebra
    assert small.variance == pytest.approx(
        1e-10 * loss_variance(lie_closure(xx_z_chain(3)), "Z0").variance
    )


def test_observable_errors():
    dla = lie_closure(xx_z_chain(3))
    with pytest.raises(ObservableError, match="qubit 5"):
        loss_variance(dla, "Z5")
    with pytest.raises(ObservableError, match=r"cirq.LineQubit\(7\)"):
        loss_variance(dla, cirq.Z(cirq.LineQubit(7)))
    with pytest.raises(ObservableError, match="Hermitian"):
        loss_variance(dla, "0.5j Z0")
    with pytest.raises(ObservableError, match="expected cirq.PauliString"):
        loss_variance(dla, 42)


def test_state_errors():
    dla = lie_closure(xx_z_chain(3))
    with pytest.raises(StateError, match=r"6 amplitudes.*2\*\*3 = 8"):
        loss_variance(dla, "Z0", np.ones(6) / np.sqrt(6))
    with pytest.raises(StateError, match="norm 2"):
        loss_variance(dla, "Z0", 2 * _basis_state("000"))
    with pytest.raises(StateError, match="'x' for qubit 1"):
        loss_variance(dla, "Z0", "0x0")
    with pytest.raises(StateError, match="2 characters"):
        loss_variance(dla, "Z0", "00")
    with pytest.raises(StateError, match="Qubit 2: the single-qubit state has norm"):
        loss_variance(dla, "Z0", ["0", "1", [1, 1]])
    q = cirq.LineQubit.range(3)
    with pytest.raises(StateError, match=r"no state for qubit cirq.LineQubit\(2\)"):
        loss_variance(dla, "Z0", cirq.KET_ZERO(q[0]) * cirq.KET_ZERO(q[1]))
    with pytest.raises(StateError, match="Cannot read an initial state"):
        loss_variance(dla, "Z0", {"a": 1})


@pytest.mark.slow
def test_controlled_copies_match_sampling():
    """{XX, YZ} on an open 4-chain is 4·sp(2), with ideals spanned by Pauli *sums*.

    Ragone et al. 2024, Theorem 1 gives 0.1 for O = Y0 Z1 + X2 X3 and |0000⟩.
    """
    gens = ["X0 X1", "X1 X2", "X2 X3", "Y0 Z1", "Y1 Z2", "Y2 Z3"]
    prediction = loss_variance(lie_closure(gens), "Y0 Z1 + X2 X3")
    assert [i.name for i in prediction.ideals] == ["sp(2)"] * 4
    assert prediction.variance == pytest.approx(0.1)
    obs = parse_pauli_sum("Y0 Z1 + X2 X3")
    losses = sample_losses(_gens(gens), 4, obs, _basis_state("0000"), layers=80, seed=5)
    sampled, error = variance_with_error(losses)
    assert abs(sampled - prediction.variance) < 3 * error, (sampled, error)


# ----------------------------------------------------------------------------------------
# qsim cross-check (slow)


@pytest.mark.slow
def test_prediction_matches_qsim_sampling():
    """Ragone et al. 2024, Theorem 1: so(6) n = 3, O = Z_1, |000⟩ → 0.2, sampled with qsim."""
    qsimcirq = pytest.importorskip("qsimcirq")
    import sympy

    q = cirq.LineQubit.range(3)
    layers, samples = 20, 10_000
    ops, symbols = [], []
    for layer in range(layers):
        for k, gate in enumerate([cirq.XX, cirq.XX, cirq.Z, cirq.Z, cirq.Z]):
            s = sympy.Symbol(f"t{layer}_{k}")
            symbols.append(s)
            targets = (q[k], q[k + 1]) if k < 2 else (q[k - 2],)
            ops.append((gate**s).on(*targets))  # exp(-i (π s/2) P) up to phase
    circuit = cirq.Circuit(ops)
    rng = np.random.default_rng(11)
    exponents = rng.uniform(0, 4, size=(samples, len(symbols)))  # θ = π t/2 ∈ [0, 2π)
    sweep = [dict(zip(symbols, row, strict=True)) for row in exponents]
    sim = qsimcirq.QSimSimulator()
    values = sim.simulate_expectation_values_sweep(circuit, [cirq.Z(q[1])], sweep)
    losses = np.array([v[0].real for v in values])
    sampled, error = variance_with_error(losses)
    predicted = loss_variance(lie_closure(xx_z_chain(3)), "Z1").variance
    assert abs(sampled - predicted) < 3 * error, (sampled, error)
