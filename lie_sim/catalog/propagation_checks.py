"""The Pauli-propagation route of a catalog entry: its task and its verdict.

An entry with a ``[propagation]`` table (:class:`lie_sim.catalog.entries.Propagation`) gets
``propagation`` tasks: at the sizes a state vector reaches, each observable is propagated
(:func:`lie_sim.propagate`, truncated by weight and coefficient after every gate) at seeded
parameters from the entry's distribution and compared with qsim; at the entry's large sizes
it is propagated alone. The truncation bound (the sum of ``|c|`` dropped) bounds the error
rigorously, so a check passes when the error is within it (plus qsim's float32 precision).

The verdict (:func:`propagation_verdict`): "simulable by Pauli propagation" when every check
passes at :data:`CHECKS` sizes or more, a run reached a size beyond any state vector, and the
bound relative to ``‖O‖₁`` stays within :data:`RELATIVE_BOUND` everywhere; else what was
tried and why it falls short.
"""

from __future__ import annotations

from typing import Any

from lie_sim.catalog.verdicts import ns_text

CHECKS = 3  # sizes with a passed qsim check
RELATIVE_BOUND = 0.01  # the largest truncation bound / ‖O‖₁ a "simulable" verdict allows
QSIM_MAX_QUBITS = 20  # qsim checks up to this many qubits
QSIM_ATOL = 1e-5  # qsim computes in float32


def run(entry: Any, n: int) -> dict:
    """One ``propagation`` task: every observable of ``entry`` at ``n``."""
    import cirq

    from lie_sim.simulate.propagation import propagate

    settings = entry.propagation
    circuit = entry.circuit(n)
    qubits = cirq.LineQubit.range(n)
    params = settings.parameters(sorted(cirq.parameter_names(circuit)), seed=n)
    resolved = cirq.resolve_parameters(circuit, params)
    state = entry.initial_state(n)
    rows = []
    for observable in entry.observables(n):
        result = propagate(
            resolved, observable.to_cirq(qubits), max_weight=settings.max_weight,
            min_abs_coeff=settings.min_abs_coeff, initial_state=state,
        )  # fmt: skip
        norm = sum(abs(float(c)) for c in observable.without_identity().coefficients)
        row = {
            "observable": str(observable),
            "value": result.expectation,
            "bound": result.truncation_bound,
            "relative_bound": result.truncation_bound / max(norm, 1.0),
            "terms": result.num_terms,
        }
        if n <= QSIM_MAX_QUBITS:
            exact = _qsim_value(resolved, observable, state, qubits)
            row["exact"] = exact
            row["error"] = abs(result.expectation - exact)
            row["within_bound"] = row["error"] <= result.truncation_bound + QSIM_ATOL
        rows.append(row)
    return {
        "max_weight": settings.max_weight,
        "min_abs_coeff": settings.min_abs_coeff,
        "observables": rows,
    }


def _qsim_value(resolved, observable, state: str, qubits) -> float:
    from lie_sim.simulate.qsim_check import qsim_expectations

    return float(qsim_expectations(resolved, [observable], state, qubits)([{}])[0, 0])


def propagation_verdict(runs: list[dict], law: dict, literature: str) -> dict | None:
    """The verdict by Pauli propagation, or None when the entry has no runs."""
    if not runs:
        return None
    failed = [r for r in runs if "error" in r]
    if failed:
        return None  # a task error: the Lie verdict stands, the finding reports it
    checked = [r for r in runs if all("exact" in o for o in r["observables"])]
    passed = sorted(r["n"] for r in checked if all(o["within_bound"] for o in r["observables"]))
    beyond = sorted(r["n"] for r in runs if r["n"] > QSIM_MAX_QUBITS)
    worst = max(o["relative_bound"] for r in runs for o in r["observables"])
    weight = runs[0]["max_weight"]
    cut = f", |c| ≥ {runs[0]['min_abs_coeff']:g}" if runs[0]["min_abs_coeff"] else ""
    settings = f"max weight {weight}{cut}"
    wrong = sorted(r["n"] for r in checked if r["n"] not in passed)
    if wrong:
        return {
            "simulable": None,
            "route": "pauli-propagation",
            "text": f"Pauli propagation ({settings}) missed qsim by more than its truncation "
            f"bound at n = {ns_text(wrong)}: please report",
        }
    if len(passed) >= CHECKS and beyond and worst <= RELATIVE_BOUND:
        bound = "exact: nothing dropped" if worst == 0 else f"error bound ≤ {worst:.1e}·‖O‖₁"
        return {
            "simulable": True,
            "route": "pauli-propagation",
            "text": f"simulable by Pauli propagation ({settings}; {bound}; checked against qsim "
            f"at n = {ns_text(passed)}, run at n = {ns_text(beyond)})",
        }
    reason = (
        f"its error bound reaches {worst:.2g}·‖O‖₁"
        if worst > RELATIVE_BOUND
        else f"checked at n = {ns_text(passed) or 'none'}, run at n = {ns_text(beyond) or 'none'}"
    )
    return {
        "simulable": False,
        "route": literature,
        "text": f"no route found: the DLA grows as {law.get('law') or law['text']}, and Pauli "
        f"propagation ({settings}) is not enough ({reason})",
    }
