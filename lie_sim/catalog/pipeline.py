"""Classify catalog entries: measure each size, fit growth laws, decide a verdict and route.

Work is split into tasks, each a plain function of picklable arguments, so that any
``concurrent.futures.Executor`` runs them (a local process pool, or a Dask cluster through
``dask.distributed.Client(address).get_executor()``):

1. ``analyse`` (entry × n): the DLA (within a dimension budget), its centre and type, and per
   observable whether it lies in ``i·g``, its module dimension and the predicted variance
   (Ragone et al., Nat. Commun. 15, 7172 (2024), Theorem 1).
2. Growth laws of the dimension (and the type) over the sizes
   (:func:`lie_sim.algebra.growth.fit_law`). Where the dimension grows polynomially, the
   g-sim route is checked: ``qsim`` tasks compare g-sim with qsim at the three largest sizes
   a state vector reaches (values ≤ 1e-5, gradients ≤ 1e-4), and ``gsim`` tasks run g-sim at
   the entry's large sizes (≥ 64 qubits), beyond any state vector.
3. The verdict: "g-sim simulable" with the sizes it was checked and run at; or "no
   Lie-algebraic route" with the growth law and the literature's route; and findings wherever
   a measurement disagrees with the entry's claim (both values stated).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from lie_sim.catalog.entries import CatalogEntry, load_entry
from lie_sim.catalog.verdicts import (
    QSIM_CHECKS,
    findings,
    growth,
    variance_scaling,
    verdict,
)
from lie_sim.errors import LieSimError

QSIM_MAX_QUBITS = 14  # qsim checks at the largest sizes up to this many qubits


ZERO_VARIANCE = 1e-20  # relative to ‖O‖₁²; a true variance of a closed algebra (dim ≤ 10⁴)
# is a sum of purity products over dim g_j, far above this; below it is float rounding of 0


@dataclasses.dataclass(frozen=True)
class Options:
    """Budgets of a classification run.

    Attributes:
        max_dim: the largest DLA closed per size (past it the size records the limit).
        classify_max_dim: the largest DLA whose type is determined.
        module_max_dim: the largest observable module searched.
        qsim_samples: parameter points of each qsim check.
        gradient_symbols: symbols whose gradients each qsim check compares.
    """

    max_dim: int = 5000
    classify_max_dim: int = 2000
    module_max_dim: int = 2000
    qsim_samples: int = 2
    gradient_symbols: int = 4


@dataclasses.dataclass(frozen=True)
class Task:
    """One unit of work: ``kind`` is ``"analyse"``, ``"qsim"`` or ``"gsim"``."""

    entry_path: str
    entry_id: str
    kind: str
    n: int
    options: Options


def run_task(task: Task) -> dict:
    """Run one task (in any process); never raises for a problem of the entry itself: the
    error is recorded in the result, so the other entries still finish."""
    start = time.perf_counter()
    try:
        entry = load_entry(task.entry_path)
        result = _KINDS[task.kind](entry, task.n, task.options)
    except Exception as e:  # a builder or entry problem: recorded, the other tasks go on
        result = {"error": f"{type(e).__name__}: {e}"}
    result.update(kind=task.kind, n=task.n, seconds=round(time.perf_counter() - start, 3))
    return result


def _analyse(entry: CatalogEntry, n: int, options: Options) -> dict:
    return analyse_size(
        entry.circuit(n), entry.observables(n), entry.initial_state(n), options, qubits=_line(n)
    )


def analyse_size(
    circuit, observables: Sequence, state: str, options: Options, *, qubits: Sequence
) -> dict:
    """One size of a family: the DLA of ``circuit`` within ``options.max_dim`` (past it,
    ``dim`` is None and ``dim_above`` the dimension reached), its centre and type, and per
    observable (Pauli sums, index ``i`` meaning ``qubits[i]``) its module dimension and the
    predicted mean and variance of the loss on the product ``state``.

    The loss is ``⟨ψ|U†OU|ψ⟩``; extraction pushes the circuit's fixed gates to its end, so
    each observable is analysed as conjugated by them (``conjugated`` in its result when that
    changes it).
    """
    import cirq

    from lie_sim import ClosureLimitError, lie_closure
    from lie_sim.circuits.extraction import extract_observables
    from lie_sim.errors import LieSimError
    from lie_sim.pauli.paulis import as_observable

    extraction, images = extract_observables(
        circuit, [o.to_cirq(qubits) for o in observables], qubits=qubits
    )
    if not extraction.generators:
        raise LieSimError("the circuit has no parameterized gates (no generators)")
    try:
        dla = lie_closure(
            [g.pauli_sum for g in extraction.generators], max_dim=options.max_dim, qubits=qubits
        )
    except ClosureLimitError as e:
        return {"dim": None, "dim_above": e.dim_reached - 1, "limit": options.max_dim}
    out: dict[str, Any] = {"dim": dla.dim, "exact": dla.exact, "type": None, "center_dim": None}
    decomposition = None
    unclassified = "algebra not classified (larger than the budget)"
    if dla.dim <= options.classify_max_dim:
        from lie_sim.algebra.structure import decompose
        from lie_sim.errors import ClassificationError

        try:
            decomposition = decompose(dla)
        except ClassificationError as e:  # recorded: the dimension and module still stand
            out["type_error"] = unclassified = f"algebra not classified: {e}"
        else:
            out["type"] = str(decomposition.algebra_type)
            out["center_dim"] = decomposition.algebra_type.center_dim
    out["observables"] = []
    for observable, (terms, _) in zip(observables, images, strict=True):
        moved = as_observable(cirq.PauliSum.from_pauli_strings(terms), qubits)
        moved = observable if moved == observable else moved
        result = _observable(dla, moved, state, decomposition, options, unclassified)
        result["observable"] = str(observable)
        if moved != observable:
            result["conjugated"] = str(moved)
        out["observables"].append(result)
    return out


def _observable(
    dla, observable, state: str, decomposition, options: Options, unclassified: str
) -> dict:
    from lie_sim.algebra.variance import loss_variance
    from lie_sim.errors import ClosureLimitError, FormulaNotApplicableError
    from lie_sim.simulate.modules import module_dimension

    out: dict[str, Any] = {"observable": str(observable)}
    try:
        out["module_dim"] = module_dimension(dla, observable, max_dim=options.module_max_dim)
    except ClosureLimitError as e:
        out["module_dim"] = None
        out["module_note"] = (
            f"module larger than {options.module_max_dim} (reached {e.dim_reached})"
        )
    out["in_algebra"] = out["module_dim"] == 0
    if decomposition is None:
        out["variance"] = None
        out["variance_note"] = unclassified
        return out
    try:
        prediction = loss_variance(dla, observable, state, decomposition=decomposition)
    except FormulaNotApplicableError as e:
        out["variance"] = None
        out["variance_note"] = str(e)
    else:
        out["variance"] = prediction.variance
        out["mean"] = prediction.mean
        norm = sum(abs(float(c)) for c in observable.without_identity().coefficients)
        if abs(prediction.variance) <= ZERO_VARIANCE * max(norm, 1.0) ** 2:
            out["variance"] = 0.0
            out["variance_note"] = (
                f"zero: the computed value is below {ZERO_VARIANCE:g}·‖O‖₁², float rounding of a "
                "variance that is exactly 0 (no part of the observable or of the state in the "
                "simple ideals)"
            )
    return out


def _qsim(entry: CatalogEntry, n: int, options: Options) -> dict:
    from lie_sim.simulate.qsim_check import verify_with_qsim

    result = verify_with_qsim(
        entry.circuit(n),
        [o.to_cirq(_line(n)) for o in entry.observables(n)],
        initial_state=entry.initial_state(n),
        n_samples=options.qsim_samples,
        seed=n,
        qubits=_line(n),
        gradient_symbols=options.gradient_symbols,
    )
    return {
        "passed": result.passed,
        "max_value_error": result.max_value_error,
        "max_gradient_error": result.max_gradient_error,
        "gsim_seconds": round(result.gsim_build_seconds + result.gsim_seconds, 3),
        "qsim_seconds": round(result.qsim_seconds, 3),
    }


def _gsim(entry: CatalogEntry, n: int, options: Options) -> dict:
    import numpy as np

    from lie_sim.simulate.gsim import build_gsim

    start = time.perf_counter()
    sim = build_gsim(
        entry.circuit(n),
        [o.to_cirq(_line(n)) for o in entry.observables(n)],
        initial_state=entry.initial_state(n),
        qubits=_line(n),
    )
    build = time.perf_counter() - start
    rng = np.random.default_rng(n)
    params = {name: float(rng.uniform(-np.pi, np.pi)) for name in sim.parameter_names}
    start = time.perf_counter()
    values, grads = sim.expectation_values_and_gradients(params)
    finite = bool(np.all(np.isfinite(values))) and all(
        bool(np.all(np.isfinite(g))) for g in grads.values()
    )
    return {
        "working_dim": sim.working_dim,
        "route": sim.route,
        "values": [float(v) for v in values],
        "finite": finite,
        "build_seconds": round(build, 3),
        "gradient_seconds": round(time.perf_counter() - start, 3),
    }


def _line(n: int):
    import cirq

    return tuple(cirq.LineQubit.range(n))


def _propagation(entry: CatalogEntry, n: int, options: Options) -> dict:
    from lie_sim.catalog import propagation_checks

    return propagation_checks.run(entry, n)


_KINDS: dict[str, Callable[[CatalogEntry, int, Options], dict]] = {
    "analyse": _analyse,
    "qsim": _qsim,
    "gsim": _gsim,
    "propagation": _propagation,
}


# ----------------------------------------------------------------------------------------
# Running


def qsim_sizes(entry: CatalogEntry) -> list[int]:
    """The sizes of the qsim checks: the largest analysed sizes a state vector reaches."""
    return [n for n in entry.sizes if n <= QSIM_MAX_QUBITS][-QSIM_CHECKS:]


@dataclasses.dataclass(frozen=True, eq=False)
class EntryResult:
    """One entry's classification: the JSON document of its result file, with accessors.

    Attributes:
        data: the whole result (what ``catalog/results/<id>.json`` holds).
    """

    data: dict

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def sizes(self) -> list[dict]:
        """Per n: ``dim`` (None past the budget), ``type``, ``center_dim``, ``observables``."""
        return self.data["sizes"]

    @property
    def growth(self) -> dict:
        """The dimension's law: ``law`` (sympy text), ``kind``, ``text``."""
        return self.data["growth"]

    @property
    def verdict(self) -> dict:
        """``simulable`` (True, False or None), ``route`` and ``text``."""
        return self.data["verdict"]

    @property
    def findings(self) -> list[str]:
        """Where a measurement disagrees with the claim."""
        return self.data["findings"]

    def __repr__(self) -> str:
        return f"<EntryResult {self.id}: {self.verdict['text']}>"


def classify(
    entry: CatalogEntry,
    *,
    executor: Executor | None = None,
    options: Options | None = None,
) -> EntryResult:
    """Classify one entry (its sizes, laws, checks and verdict; see the module docstring).

    Example:
        >>> from lie_sim.catalog import find, load
        >>> result = classify(find(load(), "matchgate-brickwork-open"))  # doctest: +SKIP
        >>> result.growth["law"], result.verdict["simulable"]  # doctest: +SKIP
        ('2*n**2 - n', True)
    """
    data = next(iter(classify_entries([entry], executor=executor, options=options)))
    return EntryResult(data)


def classify_entries(
    entries: Sequence[CatalogEntry],
    *,
    executor: Executor | None = None,
    options: Options | None = None,
    on_task: Callable[[Task, dict], None] | None = None,
    on_submit: Callable[[Task], None] | None = None,
) -> Iterable[dict]:
    """Classify entries, yielding each entry's result as soon as all its tasks are done.

    Args:
        entries: the entries.
        executor: runs the tasks (default: in this process, one after another).
        options: budgets.
        on_task: called with each finished task and its result (progress).
        on_submit: called with each task as it is submitted.
    """
    options = options or Options()
    runner = executor or _InProcess()
    pending: dict[Future, Task] = {}
    state = {e.id: _EntryState(e) for e in entries}

    def submit(task: Task) -> None:
        if on_submit is not None:
            on_submit(task)
        pending[runner.submit(run_task, task)] = task
        state[task.entry_id].open += 1

    for e in entries:
        for n in e.sizes:
            submit(Task(str(e.path), e.id, "analyse", n, options))
    from concurrent.futures import FIRST_COMPLETED, wait

    while pending:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            task = pending.pop(future)
            result = future.result()
            if on_task is not None:
                on_task(task, result)
            entry_state = state[task.entry_id]
            entry_state.add(task, result)
            if entry_state.open == 0 and not entry_state.checked:
                entry_state.checked = True
                follow = entry_state.follow_up(options)
                for t in follow:
                    submit(t)
                if follow:
                    continue
            if entry_state.open == 0:
                yield entry_state.result()


@dataclasses.dataclass
class _EntryState:
    entry: CatalogEntry
    open: int = 0
    checked: bool = False
    sizes: list = dataclasses.field(default_factory=list)
    qsim: list = dataclasses.field(default_factory=list)
    gsim: list = dataclasses.field(default_factory=list)
    propagation: list = dataclasses.field(default_factory=list)

    def add(self, task: Task, result: dict) -> None:
        self.open -= 1
        runs = {"analyse": self.sizes, "qsim": self.qsim, "gsim": self.gsim}
        runs.get(task.kind, self.propagation).append(result)

    def follow_up(self, options: Options) -> list[Task]:
        law = growth(sorted(self.sizes, key=lambda s: s["n"]), self.entry.claim.dla_dimension)
        e = self.entry
        path = str(e.path)
        tasks = []
        if law["kind"] == "polynomial":
            tasks += [Task(path, e.id, "qsim", n, options) for n in qsim_sizes(e)]
            tasks += [Task(path, e.id, "gsim", n, options) for n in e.gsim_sizes]
        if e.propagation is not None:
            from lie_sim.catalog.propagation_checks import CHECKS, QSIM_MAX_QUBITS

            checked = [n for n in e.sizes if n <= QSIM_MAX_QUBITS][-CHECKS:]
            for n in checked + list(e.propagation.sizes):
                tasks.append(Task(path, e.id, "propagation", n, options))
        return tasks

    def result(self) -> dict:
        import lie_sim

        e = self.entry
        sizes = sorted(self.sizes, key=lambda s: s["n"])
        law = growth(sizes, e.claim.dla_dimension)
        qsim = sorted(self.qsim, key=lambda s: s["n"])
        gsim = sorted(self.gsim, key=lambda s: s["n"])
        result_verdict = verdict(e, law, qsim, gsim)
        extra = {}
        if e.propagation is not None:
            from lie_sim.catalog.propagation_checks import propagation_verdict

            runs = sorted(self.propagation, key=lambda s: s["n"])
            extra["propagation_runs"] = runs
            if law["kind"] != "polynomial":
                result_verdict = (
                    propagation_verdict(runs, law, e.claim.route.value) or result_verdict
                )
        return {
            "id": e.id,
            "name": e.name,
            "entry_file": e.path.name,
            "entry_sha256": e.sha256,
            "lie_sim_version": lie_sim.__version__,
            "claim": {
                "barren_plateau_free": e.claim.barren_plateau_free,
                "mechanism": e.claim.mechanism.value,
                "route": e.claim.route.value,
                "dla_dimension": e.claim.dla_dimension,
                "algebra": e.claim.algebra,
            },
            "observables": list(e.observable_texts),
            "initial_state": e.state_pattern,
            "sizes": sizes,
            "growth": law,
            "variance_scaling": [
                variance_scaling(sizes, k) for k in range(len(e.observable_texts))
            ],
            "qsim_checks": qsim,
            "gsim_runs": gsim,
            **extra,
            "verdict": result_verdict,
            "findings": findings(e, sizes, law, extra.get("propagation_runs", ())),
        }


class _InProcess(Executor):
    """Runs each task when it is submitted (the default executor)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def local_executor(workers: int) -> Executor:
    """A process pool of ``workers`` (in-process when ``workers <= 1``)."""
    if workers <= 1:
        return _InProcess()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def dask_executor(address: str) -> Executor:
    """The executor of a Dask cluster (optional extra ``distributed``)."""
    try:
        from distributed import Client
    except ImportError as e:
        raise LieSimError(
            "--scheduler needs Dask's distributed scheduler: pip install 'lie_sim[distributed]'"
        ) from e
    return Client(address).get_executor()


__all__ = [
    "EntryResult",
    "analyse_size",
    "Options",
    "Task",
    "classify",
    "classify_entries",
    "dask_executor",
    "findings",
    "growth",
    "local_executor",
    "run_task",
    "verdict",
]
