"""Aggregating a catalog entry's measurements: growth laws, variance scaling, verdict, findings.

Used by the classification pipeline (:mod:`lie_sim.catalog.pipeline`) and by reports
(:mod:`lie_sim.catalog.report`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from lie_sim.catalog.entries import CatalogEntry, Route
from lie_sim.catalog.templates import formula_value

QSIM_CHECKS = 3  # sizes with a recorded qsim check for a "g-sim simulable" verdict
LARGE_QUBITS = 64  # a g-sim run "beyond any state vector" has at least this many qubits


def growth(sizes: Sequence[dict], claimed: str | None = None) -> dict:
    """The growth law of the dimension over the analysed sizes.

    An exact law is fitted first (:func:`lie_sim.algebra.growth.fit_law`: polynomial or
    ``a·b^n + c``, confirmed on held-out sizes). Where none fits but the literature's formula
    ``claimed`` gives every measured dimension, the growth is that formula's: exponential
    when it outgrows ``n^12`` (:func:`_asymptotic_kind`), else polynomial; ``source`` says
    so.
    """
    from lie_sim.algebra.growth import fit_law

    points = [(s["n"], s["dim"]) for s in sizes if s.get("dim") is not None]
    out: dict[str, Any] = {
        "law": None,
        "kind": "undetermined",
        "fitted_sizes": [n for n, _ in points],
    }
    if len(points) >= 3:
        law = fit_law(
            [n for n, _ in points], [d for _, d in points], holdout=1 if len(points) < 5 else 2
        )
        if law.found:
            out.update(law=law.formula, kind=law.kind, text=str(law), source="fitted")
            return out
    if claimed is not None and len(points) >= 3 and _claimed_holds(claimed, points):
        kind = _asymptotic_kind(claimed)
        out.update(
            law=claimed,
            kind=kind,
            source="literature formula",
            text=f"{claimed} (the literature's formula, {kind}; it gives every measured "
            f"dimension, n = {ns_text(n for n, _ in points)}; no simpler exact law fits)",
        )
        return out
    limited = [s for s in sizes if s.get("dim") is None and "dim_above" in s]
    if limited:
        out["kind"] = "exceeds-budget"
        out["text"] = (
            f"dimension above {limited[0]['limit']} from n = {limited[0]['n']} on "
            f"(dims {', '.join(f'{n}: {d}' for n, d in points)})"
        )
    else:
        out["text"] = "no simple law on the sizes analysed"
    return out


def _claimed_holds(formula: str, points: Sequence[tuple[int, int]]) -> bool:
    return all(formula_value(formula, n) == d for n, d in points)


def _asymptotic_kind(formula: str) -> str:
    """``exponential`` when the formula more than doubles 12 times from n = 200 to n = 400
    (``f(400)/f(200) > 2^12``: faster than any polynomial of degree 12), else ``polynomial``
    (exact integer evaluation of the stated formula)."""
    low, high = formula_value(formula, 200), formula_value(formula, 400)
    return "exponential" if high > 2**12 * low else "polynomial"


def variance_scaling(sizes: Sequence[dict], index: int) -> dict | None:
    """Least-squares fits of ``log Var`` against n (exponential) and log n (polynomial) for
    observable ``index``; the better fit is reported (None with fewer than 3 sizes)."""
    pts = [
        (s["n"], s["observables"][index]["variance"])
        for s in sizes
        if s.get("observables") and s["observables"][index].get("variance")
    ]
    if len(pts) < 3:
        return None
    import numpy as np

    n = np.array([p[0] for p in pts], dtype=float)
    y = np.log(np.array([p[1] for p in pts], dtype=float))
    fits = {}
    for kind, x in (("exponential", n), ("polynomial", np.log(n))):
        coef, res, *_ = np.polyfit(x, y, 1, full=True)
        fits[kind] = (float(coef[0]), float(res[0]) if len(res) else 0.0)
    kind = min(fits, key=lambda k: fits[k][1])
    slope = fits[kind][0]
    text = f"Var ∝ {math.exp(slope):.3g}^n" if kind == "exponential" else f"Var ∝ n^{slope:.2f}"
    return {"kind": kind, "slope": slope, "text": text}


def verdict(entry: CatalogEntry, law: dict, qsim: Sequence[dict], gsim: Sequence[dict]) -> dict:
    """The verdict and its route (see the module docstring)."""
    passed = sorted(r["n"] for r in qsim if r.get("passed"))
    large = sorted(r["n"] for r in gsim if r.get("finite") and r["n"] >= LARGE_QUBITS)
    if law["kind"] == "polynomial":
        if len(passed) >= QSIM_CHECKS and large:
            return {
                "simulable": True,
                "route": Route.GSIM.value,
                "text": f"g-sim simulable (checked against qsim at n = {ns_text(passed)}, run at "
                f"n = {ns_text(large)} beyond any state vector)",
            }
        failed = [r for r in qsim if not r.get("passed")] + [r for r in gsim if not r.get("finite")]
        return {
            "simulable": None,
            "route": Route.GSIM.value,
            "text": f"polynomial DLA ({law['law']}), but the g-sim checks are incomplete "
            f"(qsim passed at n = {ns_text(passed) or 'none'}, large runs at n = "
            f"{ns_text(large) or 'none'}" + (f"; {len(failed)} failed" if failed else "") + ")",
        }
    route = entry.claim.route.value
    if law["kind"] != "exponential":
        return {
            "simulable": None,
            "route": route,
            "text": f"undetermined: {law['text']}; the literature's route is {route}",
        }
    return {
        "simulable": False,
        "route": route,
        "text": f"no Lie-algebraic route: DLA grows as {law.get('law') or law['text']}; "
        f"the literature's route is {route}",
    }


def findings(
    entry: CatalogEntry,
    sizes: Sequence[dict],
    law: dict,
    propagation_runs: Sequence[dict] = (),
) -> list[str]:
    """Where a measurement disagrees with the entry's claim, with both values, and where a
    task failed."""
    out = []
    for s in sizes:
        n = s["n"]
        stated = entry.claim.dimension(n)
        if stated is not None and s.get("dim") is not None and stated != s["dim"]:
            out.append(
                f"n = {n}: measured DLA dimension {s['dim']}, the literature's formula "
                f"{entry.claim.dla_dimension} gives {stated}"
            )
        algebra = entry.claim.algebra_type(n)
        if algebra is not None and s.get("type") is not None and str(algebra) != s["type"]:
            out.append(
                f"n = {n}: measured algebra {s['type']}, the literature states "
                f"{entry.claim.algebra} = {algebra}"
            )
        if s.get("error"):
            out.append(f"n = {n}: the analysis failed: {s['error']}")
    small = entry.claim.mechanism.value == "small-dla"
    if small and law["kind"] == "exponential":
        out.append(f"the claim's mechanism is a small DLA, but the DLA grows as {law['law']}")
    if not entry.claim.barren_plateau_free and law["kind"] == "polynomial":
        out.append(
            f"the literature reports a barren plateau, but the DLA grows only as {law['law']}"
        )
    out += [
        f"n = {r['n']}: Pauli propagation failed: {r['error']}"
        for r in propagation_runs
        if "error" in r
    ]
    return out


def ns_text(ns: Iterable[int]) -> str:
    """Sizes as ``"3, 4, 5"`` in verdicts and findings."""
    return ", ".join(str(n) for n in ns)


__all__ = ["findings", "growth", "ns_text", "variance_scaling", "verdict"]
