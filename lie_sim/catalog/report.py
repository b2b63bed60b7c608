"""Reports: a catalog entry's analysis for any circuit family, as Markdown, data and figures.

:func:`report` runs, for a family ``n ↦ cirq.Circuit`` with an observable and an initial
product state:

1. **analyse**: per n (increasing, until the dimension budget is passed: the largest n
   reached is reported, not an error), the DLA dimension, centre and type, the observable's
   module dimension, and the predicted mean and variance of the loss (Ragone et al., Nat.
   Commun. 15, 7172 (2024), Theorem 1);
2. **growth**: exact laws of the dimension and the centre confirmed on held-out sizes, the
   type's pattern, and the scaling of the predicted variance;
3. **sampling**: the loss at seeded random parameters of a circuit deep enough for a 2-design
   on the DLA group (:mod:`lie_sim.catalog.sampling`), with g-sim wherever it fits and qsim
   where a state vector does: sampled variance ± standard error beside the prediction, and
   the distribution at the largest n beside the Gaussian of the same mean and variance;
4. **qsim**: g-sim against qsim per n (errors of values and gradients, time per value);
5. the verdict and its route, then ``report.md``, ``data/*.csv``, ``data/report.json`` and
   (with the optional ``plots`` extra) the figures, written to a temporary directory that
   replaces the output directory only when complete.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lie_sim.catalog.entries import (
    STATE_LETTERS,
    CatalogEntry,
    Claim,
    tile_state,
)
from lie_sim.catalog.pipeline import Options, analyse_size
from lie_sim.catalog.templates import expand_observable
from lie_sim.catalog.verdicts import growth, ns_text, variance_scaling
from lie_sim.errors import BuilderError, LieSimError, ObservableError
from lie_sim.pauli.paulis import PauliSum


class ReportError(LieSimError, ValueError):
    """A report that cannot start: its output directory, sizes or state."""


@dataclasses.dataclass(frozen=True)
class CircuitFamily:
    """A circuit family to report on.

    Attributes:
        name: how the report names it (``module:function`` or a catalog id).
        build: ``n ↦ cirq.Circuit``.
        observable: Pauli text, or a catalog observable template in n (``"Z{n-1}"``,
            ``"sum(i=0..n-1: Z{i})"``); qubit ``i`` is the ``i``-th of the circuit's sorted
            qubits.
        state: a product-state pattern (letters ``0 1 + - r l``), tiled to the qubit count.
        claim: what the literature claims (a catalog entry's), or None.
    """

    name: str
    build: Callable[[int], Any]
    observable: str
    state: str = "0"
    claim: Claim | None = None

    @classmethod
    def from_entry(cls, entry: CatalogEntry, observable: int = 0) -> CircuitFamily:
        """A catalog entry, with its ``observable``-th observable."""
        if not 0 <= observable < len(entry.observable_texts):
            raise ReportError(
                f"entry {entry.id} has {len(entry.observable_texts)} observables "
                f"(0..{len(entry.observable_texts) - 1}); got index {observable}"
            )
        return cls(
            entry.id, entry.circuit, entry.observable_texts[observable], entry.state_pattern,
            entry.claim,
        )  # fmt: skip

    def circuit(self, n: int) -> Any:
        """``build(n)``, checked: an exception or a non-circuit names the family and n."""
        import cirq

        try:
            circuit = self.build(n)
        except Exception as e:  # the user's function: its failure is reported with n
            raise BuilderError(f"family {self.name}(n={n}) raised {type(e).__name__}: {e}") from e
        if not isinstance(circuit, cirq.AbstractCircuit):
            raise BuilderError(
                f"family {self.name}(n={n}) returned a {type(circuit).__name__}; it must "
                "return a cirq.Circuit"
            )
        return circuit

    def observable_at(self, n: int, qubits: Sequence[Any]) -> PauliSum:
        """The observable at ``n`` on ``qubits`` (an error names any qubit outside them)."""
        observable = expand_observable(self.observable, n)
        if observable.num_qubits > len(qubits):
            raise ObservableError(
                f"the observable {self.observable!r} at n = {n} ({observable}) acts on qubit "
                f"index {observable.num_qubits - 1}, but family {self.name}(n={n}) has "
                f"{len(qubits)} "
                f"qubits ({_qubit_range(qubits)})"
            )
        return observable

    def state_at(self, num_qubits: int) -> str:
        return tile_state(self.state, num_qubits)


@dataclasses.dataclass(frozen=True)
class ReportOptions:
    """Budgets and seeds of a report.

    Attributes:
        max_dim: the largest DLA closed; the first n past it ends the analysis.
        classify_max_dim, module_max_dim: as in :class:`lie_sim.catalog.pipeline.Options`.
        samples: loss samples per size.
        analysis_seconds: the wall-time budget of the analysis: no size starts past it (the
            largest n reached is reported).
        sample_seconds: the wall-time budget of the sampling at one size (fewer samples are
            taken past it, and the count is reported).
        seed: the seed of every random draw (per size: ``seed + n``).
        qsim_points: parameter points of each g-sim against qsim comparison.
    """

    max_dim: int = 5000
    classify_max_dim: int = 2000
    module_max_dim: int = 2000
    samples: int = 2000
    analysis_seconds: float = 600.0
    sample_seconds: float = 20.0
    seed: int = 0
    qsim_points: int = 3

    def analysis(self) -> Options:
        return Options(
            max_dim=self.max_dim,
            classify_max_dim=self.classify_max_dim,
            module_max_dim=self.module_max_dim,
        )


@dataclasses.dataclass(frozen=True, eq=False)
class Report:
    """A finished report: ``data`` is what ``data/report.json`` holds; ``directory`` where
    ``report.md`` is."""

    data: dict
    directory: Path

    @property
    def verdict(self) -> dict:
        return self.data["verdict"]

    def __repr__(self) -> str:
        return f"<Report {self.data['family']} in {self.directory}: {self.verdict['text']}>"


def report(
    family: CircuitFamily | Callable[[int], Any],
    ns: Sequence[int],
    out: str | Path,
    *,
    observable: str | None = None,
    state: str = "0",
    options: ReportOptions | None = None,
    force: bool = False,
    progress: bool = True,
    command: str | None = None,
) -> Report:
    """Analyse ``family`` over ``ns`` and write the report to ``out`` (module docstring).

    Args:
        family: a :class:`CircuitFamily`, or a function ``n ↦ cirq.Circuit`` with
            ``observable`` and ``state``.
        ns: the sizes, increasing.
        observable, state: with a function: as in :class:`CircuitFamily`.
        out: the output directory; it must not exist or be empty, unless ``force``.
        options: budgets and seeds.
        force: replace a non-empty ``out``.
        progress: one line per step on stderr.
        command: the command line recorded in the report (default: this call).

    Raises:
        ReportError: ``out`` is not empty (without ``force``), ``ns`` is empty or not
            increasing, or the state has letters other than ``0 1 + - r l``; checked before
            any work.
        BuilderError: the family raised or returned no circuit (with n).
        ObservableError: the observable acts outside the circuit's qubits.

    Example:
        >>> import tempfile
        >>> from lie_sim.catalog.circuits import xy_mixer
        >>> out = tempfile.mkdtemp() + "/xy"
        >>> r = report(lambda n: xy_mixer(n, 2), range(3, 7), out, observable="Z0",
        ...            state="10", progress=False)
        >>> r.data["growth"]["law"], r.verdict["simulable"]
        ('n**2', True)
    """
    if not isinstance(family, CircuitFamily):
        if not callable(family) or observable is None:
            raise ReportError(
                "give a CircuitFamily, or a function n -> cirq.Circuit with observable= "
                f"(got {type(family).__name__}, observable={observable!r})"
            )
        name = f"{getattr(family, '__module__', '?')}:{getattr(family, '__qualname__', family)}"
        family = CircuitFamily(name, family, observable, state)
    options = options or ReportOptions()
    out = Path(out)
    ns = _check_start(family, ns, out, force)
    log = _Log(progress)
    started = time.perf_counter()
    data: dict[str, Any] = {
        "family": family.name,
        "observable": family.observable,
        "state": family.state,
        "ns": list(ns),
        "lie_sim_version": _version(),
        "command": command or _call_text(family, ns, out, options),
        "seed": options.seed,
        "options": dataclasses.asdict(options),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "steps": [],
    }
    sizes, stopped = _analyse(family, ns, options, log, data)
    data["sizes"], data["stopped"] = sizes, stopped
    with log.step(data, "growth", "growth laws"):
        data["growth"] = _laws(sizes, family.claim)
    with log.step(data, "sampling", "sampled losses"):
        data["sampling"], samples = _sample(family, sizes, options, log)
    with log.step(data, "qsim", "g-sim against qsim"):
        data["timing"] = _timing(family, sizes, options, log)
    data["crossover"] = _crossover(data["timing"])
    data["verdict"] = _verdict(data, family.claim)
    data["seconds"] = round(time.perf_counter() - started, 2)
    from lie_sim.catalog import report_output

    directory = report_output.write(data, samples, out, log)
    log.line(f"report written to {directory / 'report.md'} ({data['seconds']:.1f} s)")
    return Report(data, directory)


# ----------------------------------------------------------------------------------------
# Steps


def _analyse(family, ns, options, log, data) -> tuple[list[dict], dict | None]:
    sizes: list[dict] = []
    stopped = None
    began = time.perf_counter()
    with log.step(data, "analyse", "DLA, type and predicted variance per n"):
        for n in ns:
            start = time.perf_counter()
            if sizes and start - began > options.analysis_seconds:
                stopped = {
                    "n": n,
                    "reason": f"the analysis passed its time budget of "
                    f"{options.analysis_seconds:g} s (analysis_seconds) before n = {n}; it "
                    f"ends at n = {sizes[-1]['n']}",
                }
                log.line(f"analyse: time budget passed before n = {n}; stopping")
                break
            circuit, qubits = _circuit(family, n)
            observable = family.observable_at(n, qubits)
            import cirq

            result = analyse_size(
                circuit, [observable], family.state_at(len(qubits)), options.analysis(),
                qubits=qubits,
            )  # fmt: skip
            result.update(
                n=n,
                qubits=len(qubits),
                parameters=len(cirq.parameter_names(circuit)),
                seconds=round(time.perf_counter() - start, 3),
            )
            sizes.append(result)
            if result["dim"] is None:
                stopped = {
                    "n": n,
                    "reason": f"the DLA at n = {n} is larger than the budget of "
                    f"{options.max_dim} (max_dim); the analysis ends at n = "
                    f"{sizes[-2]['n'] if len(sizes) > 1 else 'none'}",
                }
                log.line(f"analyse n = {n}: dimension above {options.max_dim}; stopping")
                break
            log.line(f"analyse n = {n}: dim {result['dim']} ({result['seconds']:.1f} s)")
    return sizes, stopped


def _circuit(family: CircuitFamily, n: int) -> tuple[Any, tuple]:
    circuit = family.circuit(n)
    return circuit, tuple(sorted(circuit.all_qubits()))


def _laws(sizes: list[dict], claim: Claim | None) -> dict:
    from lie_sim.algebra.growth import fit_law, type_law

    measured = [s for s in sizes if s["dim"] is not None]
    out = growth(measured, None if claim is None else claim.dla_dimension)
    out["dimension_limit"] = next((s["limit"] for s in sizes if s["dim"] is None), None)
    centre = [(s["n"], s["center_dim"]) for s in measured if s.get("center_dim") is not None]
    out["centre"] = None
    if len(centre) >= 3:
        law = fit_law([n for n, _ in centre], [c for _, c in centre], holdout=1)
        out["centre"] = str(law) if law.found else "no simple law"
    typed = [(s["n"], s["type"]) for s in measured if s.get("type") is not None]
    out["type"] = None
    if len(typed) >= 3:
        from lie_sim.algebra.algebra_types import AlgebraType

        types = [AlgebraType.from_text(t) for _, t in typed]
        law = type_law([n for n, _ in typed], types, holdout=1)
        out["type"] = None if law is None else str(law)
    scaling = variance_scaling(measured, 0) if measured else None
    out["variance"] = scaling
    return out


def _measured(family: CircuitFamily, sizes: list[dict]):
    """``(size, circuit, qubits, observable, state)`` for each size whose DLA was closed."""
    for s in sizes:
        if s["dim"] is not None:
            circuit, qubits = _circuit(family, s["n"])
            observable = family.observable_at(s["n"], qubits)
            yield s, circuit, qubits, observable, family.state_at(len(qubits))


def _sample(family, sizes, options, log) -> tuple[list[dict], dict | None]:
    """Per analysed n: the sampled loss statistics (see :mod:`lie_sim.catalog.sampling`)."""
    from lie_sim.catalog import sampling

    rows, last = [], None
    for s, circuit, qubits, observable, state in _measured(family, sizes):
        n = s["n"]
        drawn = sampling.sample_losses(
            circuit, observable, state, qubits, dim=s["dim"], samples=options.samples,
            seed=options.seed + n, seconds=options.sample_seconds,
        )  # fmt: skip
        prediction = s["observables"][0]
        predicted = prediction.get("variance")
        if drawn is None:
            rows.append({"n": n, "simulator": None, "note": "neither g-sim nor qsim fits"})
            log.line(f"sampling n = {n}: skipped (neither g-sim nor qsim fits)")
            continue
        estimate = sampling.variance_estimate(drawn.values)
        deep_enough = drawn.parameters >= sampling.DEPTH_FACTOR * s["dim"]
        z = None
        if predicted is not None and estimate.variance_se > 0 and deep_enough:
            z = (estimate.variance - predicted) / estimate.variance_se
        rows.append(
            {
                "n": n,
                "simulator": drawn.simulator,
                "layers": drawn.layers,
                "sampled_parameters": drawn.parameters,
                "deep_enough": deep_enough,
                "predicted_mean": prediction.get("mean"),
                "predicted_variance": predicted,
                "samples": estimate.samples,
                "sampled_mean": estimate.mean,
                "sampled_variance": estimate.variance,
                "variance_se": estimate.variance_se,
                "excess_kurtosis": estimate.excess_kurtosis,
                "z_score": z,
                "seconds": round(drawn.seconds, 3),
            }
        )
        last = {
            "n": n,
            "values": drawn.values.tolist(),
            "mean": estimate.mean,
            "variance": estimate.variance,
            "excess_kurtosis": estimate.excess_kurtosis,
        }
        log.line(
            f"sampling n = {n}: {estimate.samples} points by {drawn.simulator}, variance "
            f"{estimate.variance:.4g} ± {estimate.variance_se:.2g}"
            + (f" (predicted {predicted:.4g})" if predicted is not None else "")
        )
    return rows, last


def _timing(family, sizes, options, log) -> list[dict]:
    from lie_sim.catalog import sampling

    rows = []
    for s, circuit, qubits, observable, state in _measured(family, sizes):
        n = s["n"]
        t = sampling.time_against_qsim(
            circuit, observable, state, qubits,
            points=options.qsim_points, seed=options.seed + n,
        )  # fmt: skip
        if t is None:
            log.line(f"qsim n = {n}: g-sim does not fit; skipped")
            continue
        rows.append(dataclasses.asdict(t))
        qsim = "" if t.qsim_seconds is None else f", qsim {t.qsim_seconds:.2e} s"
        error = "" if t.max_value_error is None else f", max error {t.max_value_error:.1e}"
        log.line(f"qsim n = {n}: g-sim {t.gsim_seconds:.2e} s per value{qsim}{error}")
    return rows


def _crossover(timing: list[dict]) -> int | None:
    """The smallest n from which g-sim is faster than qsim at every measured size."""
    measured = [t for t in timing if t["qsim_seconds"] is not None]
    crossover = None
    for t in reversed(measured):
        if t["gsim_seconds"] >= t["qsim_seconds"]:
            break
        crossover = t["n"]
    return crossover


def _verdict(data: dict, claim: Claim | None) -> dict:
    law = data["growth"]
    checked = [t for t in data["timing"] if t["max_value_error"] is not None]
    passed = [t["n"] for t in checked if _passed(t)]
    largest = max((t["n"] for t in data["timing"]), default=None)
    literature = None if claim is None else claim.route.value
    if law["kind"] == "polynomial" and checked and len(passed) == len(checked):
        worst = max(t["max_value_error"] for t in checked)
        return {
            "simulable": True,
            "route": "g-sim",
            "text": f"g-sim simulable: the DLA grows as {_law(law)}; g-sim agrees with qsim "
            f"at n = {ns_text(passed)} (largest value error {worst:.1e}) and ran at n = {largest}",
        }
    if law["kind"] == "polynomial":
        failed = [t["n"] for t in checked if not _passed(t)]
        return {
            "simulable": None,
            "route": "g-sim",
            "text": f"polynomial DLA ({_law(law)}), but the g-sim checks are incomplete "
            f"(agrees with qsim at n = {ns_text(passed) or 'none'}"
            + (f"; disagrees at n = {ns_text(failed)}" if failed else "")
            + ")",
        }
    where = f"; the literature's route is {literature}" if literature else ""
    if law["kind"] == "exponential":
        return {
            "simulable": False,
            "route": literature or "none",
            "text": f"no Lie-algebraic route: the DLA grows as {_law(law)}{where}",
        }
    return {
        "simulable": None,
        "route": literature or "unknown",
        "text": f"undetermined: {law['text']}{where}",
    }


def _law(law: dict) -> str:
    from lie_sim.algebra.growth import parity_text

    return parity_text(law["law"])


def _passed(t: dict) -> bool:
    from lie_sim.simulate.qsim_check import GRADIENT_ATOL, VALUE_ATOL

    return t["max_value_error"] <= VALUE_ATOL and t["max_gradient_error"] <= GRADIENT_ATOL


# ----------------------------------------------------------------------------------------
# Helpers


def _check_start(family: CircuitFamily, ns: Sequence[int], out: Path, force: bool) -> list[int]:
    ns = [int(n) for n in ns]
    if not ns:
        raise ReportError("the range of n is empty; give at least one size, e.g. 3:8")
    if any(b <= a for a, b in zip(ns, ns[1:], strict=False)) or ns[0] < 1:
        raise ReportError(f"the sizes must be increasing and at least 1; got {ns}")
    if not family.state or any(c not in STATE_LETTERS for c in family.state):
        raise ReportError(
            f"state {family.state!r}: give a product-state pattern of the letters "
            f"{' '.join(STATE_LETTERS)} (tiled to the qubit count), e.g. 0 or 10 or +"
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        what = "is not a directory" if not out.is_dir() else "exists and is not empty"
        raise ReportError(f"output directory {out} {what}; choose another or pass --force")
    return ns


def _qubit_range(qubits: Sequence[Any]) -> str:
    return f"{qubits[0]} … {qubits[-1]}" if qubits else "none"


def _version() -> str:
    import lie_sim

    return lie_sim.__version__


def _call_text(family: CircuitFamily, ns: Sequence[int], out: Path, options: ReportOptions) -> str:
    return (
        f"lie_sim.report({family.name!r}, observable={family.observable!r}, "
        f"state={family.state!r}, ns={list(ns)}, out={str(out)!r}, seed={options.seed})"
    )


class _Log:
    """Progress lines on stderr, and the wall time of each step."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def line(self, text: str) -> None:
        if self.enabled:
            print(f"report: {text}", file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def step(self, data: dict, name: str, what: str):
        """Announce a step, and record its wall time in ``data["steps"]``."""
        self.line(f"{what} ...")
        start = time.perf_counter()
        yield
        data["steps"].append(
            {"step": name, "what": what, "seconds": round(time.perf_counter() - start, 2)}
        )


__all__ = ["CircuitFamily", "Report", "ReportError", "ReportOptions", "report"]
