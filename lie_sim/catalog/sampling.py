"""Sampled losses of a circuit family: the numbers a report sets beside the predictions.

* :func:`sample_losses`: the loss ``⟨ψ|U(θ)†OU(θ)|ψ⟩`` at seeded random angles of a deep
  circuit: the family's gates repeated with independent angles until there are at least
  ``DEPTH_FACTOR·dim g`` of them, so that the distribution approaches a 2-design on the DLA
  group (Ragone et al., Nat. Commun. 15, 7172 (2024), whose Theorem 1 gives the variance at
  that limit). Sampled with g-sim where its space fits, else with qsim (the circuit as
  given) where a state vector fits.
* :func:`variance_estimate`: the sample mean and variance with the standard error of the
  variance (from the fourth central moment) and the excess kurtosis; deep circuits converge
  to Gaussian processes (García-Martín, Larocca, Cerezo, Nat. Phys. 2025, arXiv 2305.09957),
  so the excess kurtosis goes to 0 as n grows.
* :func:`time_against_qsim`: g-sim against qsim on the family's own circuit: the largest
  error of values and gradients, and the wall time per expectation value of each.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from lie_sim.errors import SimulationLimitError
from lie_sim.pauli.paulis import PauliSum

DEPTH_FACTOR = 8  # the sampled circuit has at least DEPTH_FACTOR · dim g independent angles
MAX_ANGLES = 4096  # ... or as many repetitions as stay within this many angles
QSIM_MAX_QUBITS = 14  # qsim samples (where g-sim does not fit) up to this many qubits
QSIM_CHECK_MAX_QUBITS = 20  # g-sim is timed and checked against qsim up to this many qubits
GSIM_MAX_DIM = 20_000  # the largest g-sim working space used for sampling
CHUNK = 512  # parameter points per g-sim batch


@dataclasses.dataclass(frozen=True)
class Sampled:
    """Losses at random parameters.

    Attributes:
        values: the losses, one per point.
        simulator: ``"g-sim"`` (the circuit's gates repeated ``layers`` times, each gate with
            its own angle) or ``"qsim"`` (the circuit as given, one layer, where g-sim does
            not fit).
        layers: repetitions of the circuit's gates.
        parameters: independent angles per point.
        seconds: wall time of the sampling (building the simulator included).
    """

    values: np.ndarray
    simulator: str
    layers: int
    parameters: int
    seconds: float


@dataclasses.dataclass(frozen=True)
class Estimate:
    """Sample statistics of losses (see :func:`variance_estimate`)."""

    samples: int
    mean: float
    variance: float
    variance_se: float
    excess_kurtosis: float


def layers_for(dim: int, gates: int) -> int:
    """Repetitions giving ``DEPTH_FACTOR · dim`` angles, within :data:`MAX_ANGLES` angles.

    Example:
        >>> layers_for(36, 12), layers_for(10**6, 12)
        (24, 341)
    """
    gates = max(gates, 1)
    return max(1, min(MAX_ANGLES // gates, math.ceil(DEPTH_FACTOR * dim / gates)))


def sample_losses(
    circuit: Any,
    observable: PauliSum,
    state: str,
    qubits: Sequence[Any],
    *,
    dim: int,
    samples: int,
    seed: int,
    seconds: float = math.inf,
) -> Sampled | None:
    """The loss at up to ``samples`` points, every angle uniform in ``[-π, π]`` (seeded).

    With g-sim (working space at most :data:`GSIM_MAX_DIM`): the circuit's gates, fixed gates
    pushed to the end, repeated :func:`layers_for` times with independent angles, so that the
    distribution approaches a 2-design on the DLA group of dimension ``dim``, the regime of
    Ragone et al.'s Theorem 1. Else, up to :data:`QSIM_MAX_QUBITS` qubits, qsim on the circuit
    as given (its symbols uniform in ``[-π, π]``); None when neither fits. Points are drawn
    in chunks; once ``seconds`` have passed no further chunk starts (at least one runs), so
    ``len(values)`` can be below ``samples``.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    sim = _gsim(circuit, observable, state, qubits)
    if sim is not None:
        gates = len(sim.gate_symbols)
        layers = layers_for(dim, gates)
        width, chunk, simulator = layers * gates, CHUNK, "g-sim"

        def evaluate(points: np.ndarray) -> np.ndarray:
            return sim.expectation_values_of_layers(points)[:, 0]

    elif len(qubits) <= QSIM_MAX_QUBITS:
        import cirq

        names = sorted(cirq.parameter_names(circuit))
        evaluate = _qsim(circuit, observable, state, qubits, names)
        layers, width, chunk, simulator = 1, len(names), 64, "qsim"
    else:
        return None
    values: list[np.ndarray] = []
    for i in range(0, samples, chunk):
        if values and time.perf_counter() - start > seconds:
            break
        values.append(evaluate(rng.uniform(-np.pi, np.pi, (min(chunk, samples - i), width))))
    return Sampled(np.concatenate(values), simulator, layers, width, time.perf_counter() - start)


def _gsim(circuit, observable, state, qubits):
    """A g-sim simulator of the loss, or None when its space passes the limit."""
    from lie_sim.simulate.gsim import build_gsim

    try:
        sim = build_gsim(
            circuit, [observable.to_cirq(qubits)], initial_state=state, qubits=qubits,
            max_dim=GSIM_MAX_DIM,
        )  # fmt: skip
        sim.working_dim  # noqa: B018 (builds the space: a limit error surfaces here)
    except SimulationLimitError:
        return None
    return sim


def _qsim(circuit, observable, state, qubits, names):
    """Losses at a batch of points by qsim."""
    from lie_sim.simulate.qsim_check import qsim_expectations

    expectations = qsim_expectations(circuit, [observable], state, qubits)

    def evaluate(points: np.ndarray) -> np.ndarray:
        return expectations([dict(zip(names, p.tolist(), strict=True)) for p in points])[:, 0]

    return evaluate


def variance_estimate(values: np.ndarray) -> Estimate:
    """Mean, unbiased variance ``s²``, its standard error and the excess kurtosis.

    The standard error of ``s²`` is ``√((m₄ − s⁴(N−3)/(N−1))/N)`` with ``m₄`` the fourth
    central moment (exact for any distribution with finite fourth moment).

    Example:
        >>> e = variance_estimate(np.random.default_rng(0).normal(0, 2, 100_000))
        >>> round(e.variance, 1), abs(e.excess_kurtosis) < 0.1
        (4.0, True)
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(values.mean())
    centred = values - mean
    variance = float(centred @ centred / (n - 1))
    m4 = float(np.mean(centred**4))
    se = math.sqrt(max(m4 - variance**2 * (n - 3) / (n - 1), 0.0) / n)
    kurtosis = m4 / variance**2 - 3.0 if variance > 0 else 0.0
    return Estimate(n, mean, variance, se, kurtosis)


@dataclasses.dataclass(frozen=True)
class Timing:
    """g-sim against qsim at one size (see :func:`time_against_qsim`)."""

    n: int
    gsim_seconds: float
    qsim_seconds: float | None
    max_value_error: float | None
    max_gradient_error: float | None
    working_dim: int


def time_against_qsim(
    circuit: Any,
    observable: PauliSum,
    state: str,
    qubits: Sequence[Any],
    *,
    points: int,
    seed: int,
) -> Timing | None:
    """Wall time per expectation value of g-sim (build excluded) and, up to
    :data:`QSIM_CHECK_MAX_QUBITS` qubits, of qsim, with the errors of
    :func:`lie_sim.simulate.qsim_check.verify_with_qsim` (values and five-point finite
    difference gradients, relative to ``max(1, ‖O‖₁)``). None when g-sim does not fit."""
    from lie_sim.simulate.qsim_check import verify_with_qsim

    sim = _gsim(circuit, observable, state, qubits)
    if sim is None:
        return None
    rng = np.random.default_rng(seed)
    sample = rng.uniform(-np.pi, np.pi, (points, len(sim.parameter_names)))
    start = time.perf_counter()
    for row in sample:
        sim.simulate_expectation_values(dict(zip(sim.parameter_names, row.tolist(), strict=True)))
    gsim_seconds = (time.perf_counter() - start) / points
    if len(qubits) > QSIM_CHECK_MAX_QUBITS:
        return Timing(len(qubits), gsim_seconds, None, None, None, sim.working_dim)
    check = verify_with_qsim(
        circuit, [observable.to_cirq(qubits)], initial_state=state, n_samples=points,
        seed=seed, qubits=qubits, gradient_symbols=4,
    )  # fmt: skip
    return Timing(
        len(qubits),
        gsim_seconds,
        check.qsim_seconds / points,
        check.max_value_error,
        check.max_gradient_error,
        sim.working_dim,
    )
