"""Check a g-sim surrogate against qsim: values, gradients and timings on seeded parameters.

Values are compared directly. Gradients are compared with finite differences of qsim values:
the five-point central stencil ``(−f(θ+2h) + 8f(θ+h) − 8f(θ−h) + f(θ−2h)) / 12h``, whose error
is at most about ``(ωh)⁴/30`` for a symbol whose gates rotate with frequency at most ``ω``,
plus ``1.5·ε/h`` from qsim's single-precision rounding ``ε`` (about 1e-7 to 1e-6). The bound
``ω = 2·Σ|c|`` over the generator terms of the symbol is loose for symbols shared by many
gates (the high frequencies carry little weight), so the step is ``h = STEP_SCALE/√ω``: measured
at n = 12, it keeps both errors near 1e-5 for per-gate symbols (``ω ≈ π``) and for a
transverse-field Ising layer shared by 11 gates (``ω ≈ 35``), where ``STEP_SCALE/ω`` and a
fixed step each miss 1e-4 on one of the two.
At small n qsim itself is checked against ``cirq.Simulator`` in double precision.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from lie_sim.errors import StateError
from lie_sim.pauli.paulis import PauliSum, PauliWord
from lie_sim.pauli.states import NAMED_STATES
from lie_sim.simulate.gsim import GSim, build_gsim

VALUE_ATOL = 1e-5  # qsim's complex64 state: measured error 4e-7 at n = 12, depth 20
GRADIENT_ATOL = 1e-4  # against five-point finite differences of qsim values
STEP_SCALE = 0.05  # finite-difference step h = STEP_SCALE / √ω (see the module docstring)
CIRQ_MAX_QUBITS = 14  # cross-check qsim against cirq.Simulator (complex128) up to this n

_KETS = {
    "0": (1, 0),
    "1": (0, 1),
    "+": (1 / np.sqrt(2), 1 / np.sqrt(2)),
    "-": (1 / np.sqrt(2), -1 / np.sqrt(2)),
    "r": (1 / np.sqrt(2), 1j / np.sqrt(2)),
    "l": (1 / np.sqrt(2), -1j / np.sqrt(2)),
}
assert set(_KETS) == set(NAMED_STATES)


@dataclasses.dataclass(frozen=True)
class Verification:
    """g-sim against qsim on seeded random parameters.

    Attributes:
        num_qubits: n.
        n_samples: parameter points compared.
        gradient_symbols: symbols whose gradients were compared.
        max_value_error: ``max |g-sim − qsim| / max(1, ‖O‖₁)`` over points and observables
            (``‖O‖₁ = Σ_P |c_P|`` bounds ``|⟨O⟩|``, and rounding errors scale with it).
        max_gradient_error: ``max |g-sim gradient − finite differences of qsim| /
            max(1, ‖O‖₁)``.
        gsim_build_seconds: time to build the g-sim surrogate.
        gsim_seconds: g-sim values and gradients at every point.
        qsim_seconds: qsim values at every point (without the finite differences).
        qsim_gradient_seconds: qsim's finite-difference gradients at every point.
        cirq_max_error: ``max |qsim − cirq.Simulator|`` (complex128) at the points, or None
            above :data:`CIRQ_MAX_QUBITS` qubits.
        value_atol, gradient_atol: the tolerances :attr:`passed` uses.
    """

    num_qubits: int
    n_samples: int
    gradient_symbols: int
    max_value_error: float
    max_gradient_error: float
    gsim_build_seconds: float
    gsim_seconds: float
    qsim_seconds: float
    qsim_gradient_seconds: float
    cirq_max_error: float | None
    value_atol: float = VALUE_ATOL
    gradient_atol: float = GRADIENT_ATOL

    @property
    def passed(self) -> bool:
        """Values and gradients within tolerance (and qsim within tolerance of Cirq)."""
        cirq_ok = self.cirq_max_error is None or self.cirq_max_error <= self.value_atol
        return (
            self.max_value_error <= self.value_atol
            and self.max_gradient_error <= self.gradient_atol
            and cirq_ok
        )

    def __str__(self) -> str:
        cirq_line = (
            f"not run (n > {CIRQ_MAX_QUBITS})"
            if self.cirq_max_error is None
            else f"{self.cirq_max_error:.2e}"
        )
        return "\n".join(
            [
                f"g-sim vs qsim, n = {self.num_qubits}, {self.n_samples} parameter points: "
                + ("PASSED" if self.passed else "FAILED"),
                f"  values     max error {self.max_value_error:.2e}  "
                f"(tolerance {self.value_atol:g})",
                f"  gradients  max error {self.max_gradient_error:.2e}  "
                f"(tolerance {self.gradient_atol:g}, five-point finite differences of qsim, "
                f"{self.gradient_symbols} symbols)",
                f"  qsim vs cirq.Simulator (complex128): {cirq_line}",
                f"  g-sim build {self.gsim_build_seconds:.3f} s, values + gradients "
                f"{self.gsim_seconds:.3f} s; qsim values {self.qsim_seconds:.3f} s, "
                f"finite differences {self.qsim_gradient_seconds:.3f} s",
            ]
        )


def verify_with_qsim(
    circuit: Any,
    observables: Any,
    *,
    initial_state: Any = None,
    n_samples: int = 5,
    seed: int = 0,
    qubits: Sequence[Any] | None = None,
    cpu_threads: int = 2,
    gradient_symbols: int | None = None,
) -> Verification:
    """Compare g-sim with qsim on ``n_samples`` seeded random parameter points.

    Args:
        circuit: a parameterized circuit.
        observables: one observable or a list (as for :func:`build_gsim`).
        initial_state: ``None`` (``|0…0⟩``), a basis-state int, product-state text such as
            ``"+0-1"``, a ``cirq.ProductState`` or a state vector.
        n_samples: parameter points, each symbol uniform in ``[-π, π]``.
        seed: seed of the parameter points.
        qubits: qubit order (default: the circuit's qubits, sorted).
        cpu_threads: qsim threads.
        gradient_symbols: check the gradient of at most this many symbols (chosen with
            ``seed``); None checks all (four qsim runs per symbol and point).

    Returns:
        The errors and timings; ``.passed`` applies the tolerances.

    Example:
        >>> import cirq, sympy
        >>> q = cirq.LineQubit.range(3)
        >>> c = cirq.Circuit([cirq.rx(sympy.Symbol(f"t{i}")).on(q[i]) for i in range(3)])
        >>> verify_with_qsim(c, [cirq.Z(q[0]) * cirq.Z(q[2])], n_samples=2).passed
        True
    """
    start = time.perf_counter()
    sim = build_gsim(circuit, observables, initial_state=initial_state, qubits=qubits)
    build = time.perf_counter() - start
    order = sim.qubits
    rng = np.random.default_rng(seed)
    points = [
        {name: float(rng.uniform(-np.pi, np.pi)) for name in sim.parameter_names}
        for _ in range(n_samples)
    ]
    start = time.perf_counter()
    results = [sim.expectation_values_and_gradients(p) for p in points]
    gsim_time = time.perf_counter() - start

    scale = np.array(
        [max(1.0, sum(abs(float(c)) for c in o.coefficients)) for o in sim.observables]
    )
    expectations = qsim_expectations(circuit, sim.observables, initial_state, order, cpu_threads)

    def qsim_values(params: dict) -> np.ndarray:
        return expectations([params])[0]

    start = time.perf_counter()
    reference = [qsim_values(p) for p in points]
    qsim_time = time.perf_counter() - start
    value_error = max(
        float(np.max(np.abs(v - r) / scale)) for (v, _), r in zip(results, reference, strict=True)
    )
    start = time.perf_counter()
    steps = _steps(sim)
    gradient_error = 0.0
    names = list(sim.parameter_names)
    if gradient_symbols is not None and gradient_symbols < len(names):
        names = sorted(rng.choice(names, size=gradient_symbols, replace=False).tolist())
    for p, (_, grads) in zip(points, results, strict=True):
        for name in names:
            fd = _five_point(qsim_values, p, name, steps[name])
            error = float(np.max(np.abs(fd - grads[name]) / scale))
            gradient_error = max(gradient_error, error)
    qsim_gradient_time = time.perf_counter() - start
    cirq_error = None
    if len(order) <= CIRQ_MAX_QUBITS:
        cirq_error = _cirq_error(
            circuit, sim.observables, scale, points, reference, initial_state, order
        )
    return Verification(
        num_qubits=len(order),
        n_samples=n_samples,
        gradient_symbols=len(names),
        max_value_error=value_error,
        max_gradient_error=gradient_error,
        gsim_build_seconds=build,
        gsim_seconds=gsim_time,
        qsim_seconds=qsim_time,
        qsim_gradient_seconds=qsim_gradient_time,
        cirq_max_error=cirq_error,
    )


def qsim_expectations(
    circuit: Any,
    observables: Sequence[PauliSum],
    initial_state: Any,
    qubits: Sequence[Any],
    cpu_threads: int = 2,
):
    """A function of parameter points giving ``⟨O_j⟩`` by qsim, shape ``(points, len(O))``.

    ``observables`` are Pauli sums (index ``i`` is ``qubits[i]``; identity parts add their
    constant); the circuit is padded with identities so that qsim sees every qubit, and the
    initial state is as for :func:`verify_with_qsim`.
    """
    import cirq
    import qsimcirq

    padded = cirq.Circuit(cirq.Moment(cirq.I(q) for q in qubits), circuit)
    observed = [o.without_identity().to_cirq(qubits) for o in observables]
    constants = np.array([float(dict(o.terms).get(PauliWord(), 0.0)) for o in observables])
    state = state_vector(initial_state, qubits)
    qsim_state = state.astype(np.complex64) if isinstance(state, np.ndarray) else state
    qsim = qsimcirq.QSimSimulator(qsim_options=qsimcirq.QSimOptions(cpu_threads=cpu_threads))

    def expectations(points: Sequence[Any]) -> np.ndarray:
        out = qsim.simulate_expectation_values_sweep(
            padded, observed, list(points), qubit_order=list(qubits), initial_state=qsim_state
        )
        return constants[None, :] + np.real(np.array(out)).reshape(len(out), len(observed))

    return expectations


def _steps(sim: GSim) -> dict[str, float]:
    """Finite-difference step per symbol: ``STEP_SCALE / √ω`` (module docstring)."""
    omega = {name: 0.0 for name in sim.parameter_names}
    for name, generator in zip(sim.gate_symbols, sim.generators, strict=True):
        omega[name] += 2.0 * sum(abs(float(c)) for c in generator.coefficients)
    return {name: STEP_SCALE / np.sqrt(max(w, 1.0)) for name, w in omega.items()}


def _five_point(values, point: dict, name: str, h: float) -> np.ndarray:
    def at(shift: float) -> np.ndarray:
        return values({**point, name: point[name] + shift})

    return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)


def _cirq_error(circuit, observables, scale, points, reference, initial_state, order) -> float:
    """``max |qsim − cirq.Simulator| / max(1, ‖O‖₁)`` (``scale``: the ``max(1, ‖O‖₁)``)."""
    import cirq

    padded = cirq.Circuit(cirq.Moment(cirq.I(q) for q in order), circuit)
    observed = [o.without_identity().to_cirq(order) for o in observables]
    constants = np.array([float(dict(o.terms).get(PauliWord(), 0.0)) for o in observables])
    state = state_vector(initial_state, order)
    simulator = cirq.Simulator(dtype=np.complex128)
    initial = None if state is None else np.asarray(state, dtype=np.complex128)
    worst = 0.0
    for p, r in zip(points, reference, strict=True):
        out = simulator.simulate_expectation_values(
            padded, observed, p, qubit_order=order, initial_state=initial
        )
        error = np.abs(constants + np.real(np.array(out)) - r) / scale
        worst = max(worst, float(np.max(error)))
    return worst


def state_vector(state: Any, order: Sequence[Any]) -> Any:
    """The initial state as None, an int, or a complex128 vector."""
    from lie_sim.cirq_types import is_cirq

    if state is None or (isinstance(state, int | np.integer) and not isinstance(state, bool)):
        return state
    if isinstance(state, str):
        if len(state) != len(order) or any(c not in _KETS for c in state):
            raise StateError(
                f"State text {state!r}: give one of {' '.join(_KETS)} per qubit "
                f"({len(order)} qubits)"
            )
        vector = np.ones(1, dtype=complex)
        for c in state:
            vector = np.kron(vector, np.array(_KETS[c]))
        return vector
    if is_cirq(state, "ProductState"):
        return state.state_vector(qubit_order=list(order)).astype(np.complex128)
    return np.asarray(state).astype(np.complex128)
