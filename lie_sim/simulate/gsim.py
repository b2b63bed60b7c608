"""g-sim: expectation values and gradients of a parameterized circuit in a small Lie space.

The circuit is read as ``U(θ) = F · ∏_k e^{-iθ_k H_k}`` (:mod:`lie_sim.circuits.extraction`:
fixed gates pushed to the end, the observable ``O`` conjugated by them). The loss
``⟨O⟩ = Tr(ρ U†OU)`` only sees how ``O`` moves under ``ad_{H_k}``, so it is simulated in a
space ``S`` invariant under every ``ad_{H_k}`` that contains the traceless part of ``O``:

* **Pauli strings** (when every generator is a sum of commuting strings): ``S`` is spanned by
  the strings reachable from ``O``'s strings by multiplying with an anticommuting generator
  string (the closure's level search, seeded with ``O``). For an algebra ``g`` spanned by
  strings and ``O ∈ i·g`` this is ``g`` itself (or the ideals ``O`` meets); strings outside
  ``g`` add their module (Diaz et al.). A gate is a set of Givens rotations
  (:mod:`lie_sim.simulate.string_space`).
* **Dense** otherwise: the smallest invariant subspace containing ``O`` with an orthonormal
  basis of Pauli sums, and one cached eigendecomposition per generator
  (:mod:`lie_sim.simulate.dense_space`).

The state is the vector ``e_β = Tr(ρ·C_β)`` over the basis ``{C_β}`` of ``S`` (Pauli
inner product), the loss ``⟨O⟩ = o_I + w·e`` with ``w_β`` the coordinates of ``O``. Every gate
is an orthogonal map ``e ↦ G_k(θ_k)·e``, so the gradient comes from one backward pass
(adjoint differentiation): with ``λ_k = G_K^T ⋯ G_{k+1}^T w`` and ``e_k`` the state after gate
``k``, ``∂⟨O⟩/∂θ_k = λ_kᵀ A_k e_k`` (``A_k = G_k' G_k⁻¹``), and undoing each gate in turn
recovers ``e_{k−1}`` and ``λ_{k−1}`` without storing the forward states.

The dynamical Lie algebra itself is closed only when asked for (``GSim.algebra``, ``.dim``,
``.module_dims``, ``save``): the simulation needs the space ``S`` alone, which for a Pauli-sum
algebra such as the uniform transverse-field Ising model's is much cheaper to find than the
exact closure of ``g``.

References:
    Goh, Larocca, Cincio, Cerezo, Sauvage, *Lie-algebraic classical simulations for variational
    quantum computing*, arXiv 2308.01432; Diaz et al., *Showcasing a barren plateau theory
    beyond the dynamical Lie algebra*, arXiv 2310.11505 (modules); Jones and Gacon, *Efficient
    calculation of gradients in classical simulations of variational quantum algorithms*,
    arXiv 2009.02823 (adjoint differentiation).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.algebra.string_closure import pauli_string_module
from lie_sim.errors import (
    ClosureLimitError,
    GeneratorError,
    ObservableError,
    ParameterError,
    SimulationLimitError,
)
from lie_sim.pauli.packed import concat, pack_float_sum
from lie_sim.pauli.paulis import (
    PauliSum,
    PauliWord,
    as_observable,
    as_pauli_sum,
    num_words,
    pack_ints,
)
from lie_sim.pauli.states import read_state
from lie_sim.simulate.dense_space import DENSE_MAX_DIM, DenseSpace
from lie_sim.simulate.string_space import HashedStrings, StringSpace

if TYPE_CHECKING:
    import cirq

DEFAULT_MAX_DIM = 1 << 22  # algebra and string-space dimension limit (so(2048) has 2,096,128)
DEFAULT_RTOL = 1e-9  # dense path: relative residual of a dependent candidate
_IMAG_RTOL = 1e-9  # conjugated observables: imaginary parts allowed, relative to the norm

ObservableLike = Any  # cirq.PauliString | cirq.PauliSum | PauliSum | str


class GSim:
    """A classical simulator of one parameterized circuit and its observables (g-sim).

    Made by :func:`build_gsim`. Attributes:

    Attributes:
        algebra: the circuit's dynamical Lie algebra (closed on first use).
        dim: ``algebra.dim``.
        qubits: the qubit order.
        generators: the circuit's generators ``H_k`` (gate ``k`` is ``e^{-iθ_k H_k}``, the
            fixed gates pushed through), in circuit order.
        observables: the observables as given, on :attr:`qubits` (qubit ``i`` is ``qubits[i]``).
        parameter_names: the circuit's symbol names, sorted.
        route: ``"pauli-strings"`` (Givens rotations) or ``"dense"`` (eigendecompositions).
        working_dim: dimension of the space simulated in (:attr:`dim` for a string algebra
            and observables inside it).
        initial_state: how the initial state reads.

    Example:
        >>> import cirq, sympy
        >>> q = cirq.LineQubit.range(2)
        >>> t = sympy.Symbol("t")
        >>> circuit = cirq.Circuit(cirq.rx(t).on(q[0]), cirq.CNOT(*q))
        >>> sim = build_gsim(circuit, [cirq.Z(q[1])])
        >>> [round(v, 6) for v in sim.simulate_expectation_values({"t": np.pi / 3})]
        [0.5]
        >>> values, grads = sim.expectation_values_and_gradients({"t": np.pi / 3})
        >>> round(float(grads["t"][0]), 6)  # d cos(t)/dt
        -0.866025
    """

    def __init__(
        self,
        *,
        algebra: DynamicalLieAlgebra | Callable[[], DynamicalLieAlgebra],
        qubits: tuple[cirq.Qid, ...],
        generators: tuple[PauliSum, ...],
        observables: tuple[PauliSum, ...],
        constants: np.ndarray,
        space: StringSpace | DenseSpace | None,
        initial: np.ndarray,
        weights: np.ndarray,
        gate_symbols: tuple[str, ...],
        parameter_names: tuple[str, ...],
        initial_state: str,
        conjugated: tuple[PauliSum, ...],
        circuit: cirq.AbstractCircuit | None = None,
        input_hash: str | None = None,
    ):
        self._algebra = algebra
        self.qubits = qubits
        self.generators = generators
        self.observables = observables
        self.constants = constants
        self.space = space
        self.initial = initial
        self.weights = weights
        self.gate_symbols = gate_symbols
        self.parameter_names = parameter_names
        self.initial_state = initial_state
        self.conjugated = conjugated
        self._circuit = circuit
        self._input_hash = input_hash

    @functools.cached_property
    def algebra(self) -> DynamicalLieAlgebra:
        """The circuit's dynamical Lie algebra (closed on first use: the simulation itself
        only needs the space of the observables).

        Raises:
            SimulationLimitError: the algebra passed the ``max_dim`` given to build_gsim.
        """
        algebra = self._algebra
        return algebra if isinstance(algebra, DynamicalLieAlgebra) else algebra()

    @property
    def dim(self) -> int:
        """Dimension of :attr:`algebra`."""
        return self.algebra.dim

    @property
    def route(self) -> str:
        return "dense" if isinstance(self.space, DenseSpace) else "pauli-strings"

    @property
    def working_dim(self) -> int:
        return 0 if self.space is None else self.space.dim

    @functools.cached_property
    def module_dims(self) -> tuple[int, ...]:
        """Per observable, the dimension of the smallest ``ad_g``-invariant subspace containing
        its part outside ``i·g`` (0 when the observable lies in ``i·g`` up to the identity)."""
        from lie_sim.simulate.modules import module_dimension

        return tuple(module_dimension(self.algebra, o) for o in self.conjugated)

    @property
    def input_hash(self) -> str:
        """SHA-256 of the circuit, qubit order and observables this simulator was built for."""
        if self._input_hash is None:
            from lie_sim.simulate.persistence import input_hash

            self._input_hash = input_hash(self._circuit, list(self.observables), self.qubits)
        return self._input_hash

    def save(self, path: str | os.PathLike) -> None:
        """Write this surrogate to one ``.npz`` file (read back by :func:`load_gsim`).

        The file holds the algebra, the simulation space and vectors, and metadata (format
        version, lie_sim version, qubits, symbols, observables, hashes of the inputs and of
        the arrays). It is written to a temporary file and renamed.
        """
        from lie_sim.simulate.persistence import save_gsim

        save_gsim(self, path)

    def __repr__(self) -> str:
        # The algebra is closed on first use; repr never forces it.
        dim = self.algebra.dim if "algebra" in self.__dict__ else "(not closed yet)"
        return (
            f"<GSim qubits={len(self.qubits)} route={self.route} working_dim={self.working_dim} "
            f"dim={dim} observables={len(self.observables)} "
            f"parameters={len(self.parameter_names)}>"
        )

    # ------------------------------------------------------------------------------ values

    def simulate_expectation_values(
        self, param_resolver: cirq.ParamResolverOrSimilarType = None
    ) -> list[float]:
        """``⟨O_j⟩`` for each observable at the given parameter values.

        Raises:
            ParameterError: a symbol of the circuit has no (real) value in the resolver.
        """
        state = self._forward(self._angles(param_resolver))
        return (self.constants + self.weights.T @ state[:, 0]).tolist()

    def simulate_expectation_values_sweep(self, params: cirq.Sweepable) -> list[list[float]]:
        """:meth:`simulate_expectation_values` at every point of a ``cirq.Sweepable``."""
        import cirq

        return [self.simulate_expectation_values(r) for r in cirq.to_resolvers(params)]

    def expectation_values_batch(self, points: np.ndarray) -> np.ndarray:
        """``⟨O_j⟩`` at many parameter points in one vectorised pass.

        Args:
            points: shape ``(samples, len(parameter_names))``, one row per point, columns in
                the order of :attr:`parameter_names`.

        Returns:
            Shape ``(samples, len(observables))``.

        Example:
            >>> import cirq, sympy
            >>> q = cirq.LineQubit.range(2)
            >>> c = cirq.Circuit(cirq.rx(sympy.Symbol("a")).on(q[0]), cirq.CNOT(*q))
            >>> sim = build_gsim(c, [cirq.Z(q[1])])
            >>> sim.expectation_values_batch(np.array([[0.0], [np.pi]])).round(6).tolist()
            [[1.0], [-1.0]]
        """
        points = np.asarray(points, dtype=float)
        if points.ndim != 2 or points.shape[1] != len(self.parameter_names):
            raise ParameterError(
                f"points must have shape (samples, {len(self.parameter_names)}), one column "
                f"per symbol {list(self.parameter_names)}; got shape {points.shape}"
            )
        column = {name: k for k, name in enumerate(self.parameter_names)}
        return self.expectation_values_of_layers(points[:, [column[s] for s in self.gate_symbols]])

    def expectation_values_of_layers(self, angles: np.ndarray) -> np.ndarray:
        """``⟨O_j⟩`` after the circuit's gates applied again and again, each with its own angle.

        The gates ``e^{-iθH_k}`` (fixed gates pushed to the end, as in :attr:`generators`)
        are applied in circuit order ``layers`` times; symbols are not shared. With random
        angles and enough layers this samples the circuit's DLA group towards a 2-design
        (Ragone et al., Nat. Commun. 15, 7172 (2024)).

        Args:
            angles: shape ``(samples, layers · len(generators))``, gate angles in order.

        Returns:
            Shape ``(samples, len(observables))``.
        """
        angles = np.asarray(angles, dtype=float)
        gates = len(self.gate_symbols)
        if angles.ndim != 2 or angles.shape[1] % gates:
            raise ParameterError(
                f"angles must have shape (samples, layers * {gates}), one column per gate of "
                f"each layer; got shape {angles.shape}"
            )
        state = np.repeat(self.initial[:, None], len(angles), axis=1)
        if self.space is not None:
            for j in range(angles.shape[1]):
                self.space.rotate(j % gates, angles[:, j], state)
        return self.constants[None, :] + state.T @ self.weights

    def expectation_values_and_gradients(
        self, param_resolver: cirq.ParamResolverOrSimilarType = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Values ``⟨O_j⟩`` and, for each symbol name, ``∂⟨O_j⟩/∂symbol`` for every ``j``.

        One forward and one backward pass (adjoint differentiation); a symbol shared by
        several gates gets the sum of their derivatives (the chain rule through the affine
        angles is in the generators).
        """
        angles = self._angles(param_resolver)
        state = self._forward(angles)
        values = self.constants + self.weights.T @ state[:, 0]
        per_gate = np.zeros((len(angles), len(self.constants)))
        if self.space is not None:
            stack = np.concatenate([state, self.weights], axis=1)
            for k in reversed(range(len(angles))):
                per_gate[k] = self.space.derivative_dot(k, stack[:, 1:], stack[:, 0])
                self.space.rotate(k, -angles[k], stack)
        grads = {name: np.zeros(len(self.constants)) for name in self.parameter_names}
        for k, name in enumerate(self.gate_symbols):
            grads[name] += per_gate[k]
        return values, grads

    def _forward(self, angles: np.ndarray) -> np.ndarray:
        state = self.initial[:, None].copy()
        if self.space is not None:
            for k, theta in enumerate(angles.tolist()):
                self.space.rotate(k, theta, state)
        return state

    def _angles(self, param_resolver: Any) -> np.ndarray:
        import cirq
        import sympy

        resolver = cirq.ParamResolver(param_resolver)
        values, bad = {}, []
        for name in self.parameter_names:
            value = resolver.value_of(sympy.Symbol(name))
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                bad.append(name)
        if bad:
            raise ParameterError(
                f"No real value for the circuit's symbol(s) {', '.join(bad)} in the resolver "
                f"(it gives {_given(resolver)}); every one of {list(self.parameter_names)} "
                "needs a number"
            )
        return np.array([values[s] for s in self.gate_symbols], dtype=float)


def _given(resolver: Any) -> str:
    names = sorted(str(k) for k in resolver.param_dict)
    return "{" + ", ".join(names[:8]) + (", …" if len(names) > 8 else "") + "}"


# ------------------------------------------------------------------------------ building


def build_gsim(
    circuit: cirq.AbstractCircuit,
    observables: ObservableLike | Sequence[ObservableLike],
    *,
    initial_state: Any = None,
    qubits: Sequence[cirq.Qid] | None = None,
    max_dim: int | None = DEFAULT_MAX_DIM,
) -> GSim:
    """A g-sim simulator of ``circuit`` for ``observables``.

    Args:
        circuit: a parameterized circuit (gates as :func:`lie_sim.extract` reads them; no
            measurements or channels).
        observables: one observable or a list: ``cirq.PauliString``, ``cirq.PauliSum``,
            :class:`~lie_sim.PauliSum` or Pauli text (text qubit ``i`` is ``qubits[i]``).
            Identity parts add their constant.
        initial_state: ``None`` for ``|0…0⟩``; product-state text such as ``"+0-1"``; a
            basis-state int or bitstring; a ``cirq.ProductState``; a list of single-qubit
            states; or a state vector (small n). See :mod:`lie_sim.pauli.states`.
        qubits: qubit order (default: the circuit's qubits, sorted).
        max_dim: the largest algebra and string space allowed.

    Returns:
        The simulator.

    Raises:
        SimulationLimitError: the algebra or the space the observables need is too large.
        ObservableError: an observable off the circuit's qubits, or not Hermitian.
        UnsupportedGateError: a gate no generator can be read from, a measurement or a channel.
        StateError: an initial state of the wrong size or norm.
    """
    import cirq

    from lie_sim.circuits.extraction import extract_observables

    _check_no_measurements(circuit)
    order = _qubit_order(circuit, qubits)
    given = _observables(observables, order)
    extraction, images = extract_observables(
        circuit, [o.to_cirq(order) for o in given], qubits=order
    )
    index = {q: i for i, q in enumerate(order)}
    gens = [PauliSum.from_cirq(g.terms, index) for g in extraction.generators]
    if not gens:
        raise GeneratorError(
            f"The circuit has no parameterized gates (symbols "
            f"{sorted(cirq.parameter_names(circuit))}); g-sim simulates parameterized circuits"
        )
    conjugated = tuple(_hermitian(terms, order, k) for k, (terms, _) in enumerate(images))
    constants = np.array([float(dict(o.terms).get(PauliWord(), 0.0)) for o in conjugated])
    traceless = [o.without_identity() for o in conjugated]
    space = _space(len(order), gens, traceless, max_dim)
    state = read_state(initial_state, len(order), order)
    initial, weights = _vectors(space, state, traceless)
    return GSim(
        algebra=functools.partial(_algebra, gens, order, max_dim),
        qubits=order,
        generators=tuple(gens),
        observables=tuple(given),
        constants=constants,
        space=space,
        initial=initial,
        weights=weights,
        gate_symbols=tuple(str(g.symbol) for g in extraction.generators),
        parameter_names=tuple(sorted(cirq.parameter_names(circuit))),
        initial_state=state.text,
        conjugated=conjugated,
        circuit=circuit,
    )


def _check_no_measurements(circuit: cirq.AbstractCircuit) -> None:
    import cirq

    from lie_sim.errors import UnsupportedGateError

    for k, moment in enumerate(circuit):
        for op in moment:
            if cirq.is_measurement(op):
                raise UnsupportedGateError(
                    f"g-sim simulates expectation values of unitary circuits; {op!r} (moment {k}) "
                    "is a measurement: remove it (cirq.drop_terminal_measurements)"
                )


def _qubit_order(circuit: cirq.AbstractCircuit, qubits: Sequence[cirq.Qid] | None) -> tuple:
    if qubits is None:
        return tuple(sorted(circuit.all_qubits()))
    order = tuple(qubits)
    missing = set(circuit.all_qubits()) - set(order)
    if missing:
        raise ValueError(f"qubits={list(order)} misses {sorted(missing)} of the circuit")
    return order


def _observables(observables: Any, order: tuple) -> list[PauliSum]:
    from lie_sim.cirq_types import is_cirq

    single = isinstance(observables, str | PauliSum) or is_cirq(
        observables, "PauliString", "PauliSum"
    )
    items = [observables] if single else list(observables)
    if not items:
        raise ObservableError("No observables given; pass one or a list")
    out = []
    for k, item in enumerate(items):
        out.append(as_observable(item, order, name=f"Observable {k} ({item})"))
    return out


def _hermitian(terms: Sequence[cirq.PauliString], order: tuple, k: int) -> PauliSum:
    """A conjugated observable as a real Pauli sum (the imaginary parts are rounding)."""
    coefs = [complex(t.coefficient) for t in terms]
    scale = max((abs(c) for c in coefs), default=0.0)
    if any(abs(c.imag) > _IMAG_RTOL * max(scale, 1.0) for c in coefs):
        raise ObservableError(f"Observable {k} is not Hermitian (complex Pauli coefficients)")
    real = [t.with_coefficient(c.real) for t, c in zip(terms, coefs, strict=True)]
    import cirq

    return as_pauli_sum(cirq.PauliSum.from_pauli_strings(real), order)


def _algebra(gens: list[PauliSum], order: tuple, max_dim: int | None) -> DynamicalLieAlgebra:
    try:
        return lie_closure(gens, qubits=order, max_dim=max_dim)
    except ClosureLimitError as e:
        raise SimulationLimitError(
            f"The circuit's dynamical Lie algebra passed the size limit: {e}. g-sim needs a "
            "small algebra; this circuit has none (or raise max_dim)",
            dim_reached=e.dim_reached,
            limit=e.max_dim,
            space="dynamical Lie algebra",
        ) from e


# ------------------------------------------------------------------------------ the space


def _space(
    n: int, gens: list[PauliSum], observables: list[PauliSum], max_dim: int | None
) -> StringSpace | DenseSpace | None:
    seeds = sorted({w for o in observables for w in o.words}, key=lambda w: (w.x, w.z))
    if not seeds:
        return None
    terms = sorted({w for g in gens for w in g.words}, key=lambda w: (w.x, w.z))
    reason = "some generator is a sum of non-commuting Pauli strings (no Givens route)"
    if all(_commuting(g) for g in gens):
        try:
            strings = pauli_string_module(terms, seeds, n, max_dim=max_dim)
        except ClosureLimitError as e:
            reason = (
                f"the Pauli strings the observables reach passed {e.max_dim} (reached "
                f"{e.dim_reached})"
            )
        else:
            index = {w: i for i, w in enumerate(terms)}
            per_gen = [[(index[w], float(c)) for w, c in g.terms] for g in gens]
            return StringSpace(strings.x, strings.z, terms, per_gen)
    words = num_words(n)
    packed = [pack_float_sum(g, words) for g in gens]
    seed_sums = concat([pack_float_sum(o, words) for o in observables if len(o)])
    limit = DENSE_MAX_DIM if max_dim is None else min(DENSE_MAX_DIM, max_dim)
    try:
        return DenseSpace(packed, seed_sums, DEFAULT_RTOL, limit)
    except ClosureLimitError as e:
        raise SimulationLimitError(
            f"No small g-sim space for these observables: {reason}, and the smallest "
            f"invariant subspace containing them passed the dense route's limit ({limit}, "
            f"reached {e.dim_reached})",
            dim_reached=e.dim_reached,
            limit=limit,
            space="dense invariant subspace",
        ) from e


def _commuting(g: PauliSum) -> bool:
    words = g.words
    nw = num_words(max(1, g.num_qubits))
    x = pack_ints([w.x for w in words], nw)
    z = pack_ints([w.z for w in words], nw)
    from lie_sim.pauli.paulis import anticommute

    return not np.any(anticommute(x[:, None], z[:, None], x[None], z[None]))


def _vectors(
    space: StringSpace | DenseSpace | None, state: Any, observables: list[PauliSum]
) -> tuple[np.ndarray, np.ndarray]:
    """The initial coordinates ``e`` and the observables' coordinates ``w`` (columns)."""
    if space is None:
        return np.zeros(0), np.zeros((0, len(observables)))
    if isinstance(space, DenseSpace):
        strings = HashedStrings(space.x, space.z)
        initial = space.coordinates(state.expectations(space.x, space.z))
    else:
        strings = space.strings
        initial = state.expectations(strings.x, strings.z)
    weights = np.zeros((len(strings.x), len(observables)))
    nw = strings.x.shape[1]
    for j, o in enumerate(observables):
        if not len(o):
            continue
        rows = strings.find(
            pack_ints([w.x for w in o.words], nw), pack_ints([w.z for w in o.words], nw)
        )
        assert np.all(rows >= 0), "the space contains every observable string"
        weights[rows, j] = [float(c) for c in o.coefficients]
    if isinstance(space, DenseSpace):
        weights = space.coordinates(weights)
    return initial, weights
