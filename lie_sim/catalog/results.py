"""The results store: one JSON per catalog entry, a summary table, reruns and comparisons.

Each result carries the hash of its entry file and the lie_sim version that computed it
(sinter's ``strong_id`` idea): a rerun skips entries whose hash and version are unchanged, and
a stale result is found by comparing them. Files are written to a temporary name in the same
directory and renamed, so an interrupted run leaves every result it wrote whole, and none
half-written. :func:`compare` reports every difference between two result directories in
what the results state (dimensions, types, laws, observables, variances, verdicts, findings),
ignoring timings and the float noise of qsim comparisons.

This module reads JSON only: the catalog's queries never import Cirq.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lie_sim.atomic import atomic_write

SUMMARY = "SUMMARY.md"
VARIANCE_RTOL = 1e-9  # variances compared relative to scale (they come from eigensolvers)
_TIMINGS = {"seconds", "gsim_seconds", "qsim_seconds", "build_seconds", "gradient_seconds"}
_NOISY = {"max_value_error", "max_gradient_error", "values"}  # float32 qsim / random points


def default_directory() -> Path:
    """The committed results: ``catalog/results/`` in the source tree."""
    return Path(__file__).resolve().parents[2] / "catalog" / "results"


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically (temporary file, then rename)."""
    with atomic_write(path) as handle:
        json.dump(data, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def write_text(path: Path, text: str) -> None:
    """Write text atomically."""
    with atomic_write(path) as handle:
        handle.write(text)


def result_path(directory: Path, entry_id: str) -> Path:
    return Path(directory) / f"{entry_id}.json"


def read_results(directory: str | Path | None = None) -> list[dict]:
    """Every result in a directory (default: the committed ones), sorted by id."""
    root = default_directory() if directory is None else Path(directory)
    out = []
    for path in sorted(root.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            out.append(json.load(handle))
    return sorted(out, key=lambda r: r["id"])


def is_fresh(directory: Path, entry_id: str, entry_sha256: str, version: str) -> bool:
    """Whether the stored result was computed from this entry file by this lie_sim version."""
    path = result_path(directory, entry_id)
    if not path.exists():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return data.get("entry_sha256") == entry_sha256 and data.get("lie_sim_version") == version


# ----------------------------------------------------------------------------------------
# Summary


def summary_rows(results: Iterable[dict]) -> list[dict]:
    """One row per entry: what the summary table and ``lie-sim catalog list`` show."""
    rows = []
    for r in results:
        typed = [s for s in r["sizes"] if s.get("type")]
        last = typed[-1] if typed else {}
        rows.append(
            {
                "id": r["id"],
                "claim": ("BP-free" if r["claim"]["barren_plateau_free"] else "BP")
                + f" ({r['claim']['mechanism']})",
                "dim law": r["growth"].get("law") or r["growth"]["kind"],
                "growth": r["growth"]["kind"],
                "type (largest classified n)": f"{last.get('type', '?')} (n={last.get('n', '?')})",
                "verdict": _verdict_word(r["verdict"]),
                "route": r["verdict"]["route"],
                "findings": len(r["findings"]),
            }
        )
    return rows


def _verdict_word(v: dict) -> str:
    if v["simulable"] and v["route"] == "pauli-propagation":
        return "PP simulable"
    if v["simulable"] is False and v["text"].startswith("no route found"):
        return "no route found"
    return {True: "g-sim simulable", False: "no Lie route", None: "incomplete"}[v["simulable"]]


def summary_markdown(results: Sequence[dict]) -> str:
    """``catalog/results/SUMMARY.md``: one table over every entry, then the findings."""
    rows = summary_rows(results)
    columns = list(rows[0]) if rows else ["id"]
    lines = [
        "# Catalog results",
        "",
        "One row per entry of `catalog/` (regenerate with `lie-sim catalog classify`); the",
        "JSON beside this file holds every number.",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    notes = [(r["id"], f) for r in results for f in r["findings"]]
    if notes:
        lines += ["", "## Findings (measurement against the literature's claim)", ""]
        lines += [f"- **{i}**: {f}" for i, f in notes]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------
# Comparison


def comparable(data: Any) -> Any:
    """The part of a result a rerun must reproduce: no timings, no qsim float noise, no
    version (a version change is reported separately)."""
    if isinstance(data, dict):
        return {
            k: comparable(v)
            for k, v in data.items()
            if k not in _TIMINGS and k not in _NOISY and k != "lie_sim_version"
        }
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


def compare(new: Sequence[dict], reference: Sequence[dict]) -> list[str]:
    """Every difference between two sets of results, one line each (empty: they agree)."""
    out = []
    a, b = {r["id"]: r for r in new}, {r["id"]: r for r in reference}
    for entry_id in sorted(set(a) | set(b)):
        if entry_id not in b:
            out.append(f"{entry_id}: new (no reference result)")
            continue
        if entry_id not in a:
            out.append(f"{entry_id}: in the reference only")
            continue
        out += [f"{entry_id}: {d}" for d in _diff(comparable(a[entry_id]), comparable(b[entry_id]))]
    return out


def _diff(x: Any, y: Any, where: str = "") -> list[str]:
    if isinstance(x, dict) and isinstance(y, dict):
        out = []
        for k in list(x) + [k for k in y if k not in x]:
            path = f"{where}.{k}" if where else k
            if k not in x or k not in y:
                out.append(f"{path}: {x.get(k, '(absent)')!r} vs {y.get(k, '(absent)')!r}")
            else:
                out += _diff(x[k], y[k], path)
        return out
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return [f"{where}: {len(x)} items vs {len(y)}"]
        return [
            d
            for k, (u, v) in enumerate(zip(x, y, strict=True))
            for d in _diff(u, v, f"{where}[{k}]")
        ]
    if isinstance(x, float) and isinstance(y, float):
        if math.isclose(x, y, rel_tol=VARIANCE_RTOL, abs_tol=1e-12):
            return []
    elif x == y:
        return []
    return [f"{where}: {x!r} vs {y!r}"]
