"""A report's files: ``report.md``, the data behind every figure, and the figures.

Everything is written to a temporary directory beside the target, which replaces the target
only when complete: an interrupted report leaves no half-written directory.

Layout::

    report.md                 what a reader opens first (figures embedded)
    dimension.png ...         the figures (optional extra ``plots``)
    data/report.json          every number of the report, with the command, seeds and times
    data/sizes.csv            per n: dimension, centre, type, module, predicted variance
    data/variance.csv         per n: sampled variance ± standard error beside the prediction
    data/loss_samples.csv     the sampled losses at the largest sampled n
    data/gsim_vs_qsim.csv     per n: errors and time per value of g-sim and qsim
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

SIZE_COLUMNS = [
    "n", "qubits", "parameters", "dim", "center_dim", "type", "module_dim", "in_algebra",
    "predicted_mean", "predicted_variance", "seconds",
]  # fmt: skip
VARIANCE_COLUMNS = [
    "n", "simulator", "layers", "sampled_parameters", "deep_enough", "samples", "sampled_mean",
    "sampled_variance", "variance_se",
    "excess_kurtosis", "predicted_mean", "predicted_variance", "z_score", "seconds",
]  # fmt: skip
TIMING_COLUMNS = [
    "n", "working_dim", "gsim_seconds", "qsim_seconds", "max_value_error", "max_gradient_error",
]  # fmt: skip


def write(data: dict, samples: dict | None, out: Path, log: Any) -> Path:
    """Write the report of ``data`` (and the loss ``samples``) to ``out``; returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp's directory is private; a report is not
        (tmp / "data").mkdir()
        _csv(tmp / "data" / "sizes.csv", SIZE_COLUMNS, [_size_row(s) for s in data["sizes"]])
        _csv(tmp / "data" / "variance.csv", VARIANCE_COLUMNS, data["sampling"])
        _csv(tmp / "data" / "gsim_vs_qsim.csv", TIMING_COLUMNS, data["timing"])
        if samples is not None:
            rows = [{"n": samples["n"], "loss": v} for v in samples["values"]]
            _csv(tmp / "data" / "loss_samples.csv", ["n", "loss"], rows)
        from lie_sim.catalog import figures

        data["figures"] = figures.draw(data, samples, tmp)
        if data["figures"]["missing"]:
            log.line(data["figures"]["missing"])
        with open(tmp / "data" / "report.json", "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        (tmp / "report.md").write_text(markdown(data), encoding="utf-8")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(tmp: Path, out: Path) -> None:
    """Move ``tmp`` to ``out``, removing what ``out`` held only once the move succeeded."""
    if not out.exists():
        tmp.rename(out)
        return
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _size_row(s: dict) -> dict:
    observable = (s.get("observables") or [{}])[0]
    return {
        **s,
        "module_dim": observable.get("module_dim"),
        "in_algebra": observable.get("in_algebra"),
        "predicted_mean": observable.get("mean"),
        "predicted_variance": observable.get("variance"),
    }


def _csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})


# ----------------------------------------------------------------------------------------
# Markdown


def markdown(data: dict) -> str:
    """``report.md``: the verdict, the tables, the laws, the figures and how to reproduce."""
    law = data["growth"]
    lines = [
        f"# lie_sim report: {data['family']}",
        "",
        f"Observable `{data['observable']}` on the initial product state "
        f"`{data['state']}` (tiled to n qubits), n = {_ns(data['ns'])}.",
        "",
        f"**Verdict:** {_math(data['verdict']['text'])}.",
        "",
        "## Dynamical Lie algebra",
        "",
        _table(
            [
                "n",
                "qubits",
                "parameters",
                "dim g",
                "centre",
                "type",
                "module of O",
                "O in ig",
                "predicted Var",
                "seconds",
            ],  # fmt: skip
            [
                [
                    s["n"],
                    s["qubits"],
                    s["parameters"],
                    _dim(s),
                    s.get("center_dim"),
                    s.get("type"),
                    _obs(s, "module_dim"),
                    _obs(s, "in_algebra"),
                    _num(_obs(s, "variance")),
                    s["seconds"],
                ]  # fmt: skip
                for s in data["sizes"]
            ],
        ),
        "",
    ]
    if data["stopped"]:
        lines += [f"The analysis stopped: {data['stopped']['reason']}.", ""]
    for s in data["sizes"]:
        if s.get("type_error"):
            lines += [f"At n = {s['n']} the type is unknown: {s['type_error']}", ""]
    lines += [
        f"- Dimension: {_math(law.get('text', 'no law'))}",
        f"- Centre: {_math(law.get('centre') or 'no law (fewer than 3 classified sizes)')}",
        f"- Type: {law.get('type') or 'no pattern found on the classified sizes'}",
        f"- Predicted variance: {(law.get('variance') or {}).get('text', 'no law')}",
        "",
        "![DLA dimension against n](dimension.png)" if "dimension.png" in _drawn(data) else "",
        "",
        "## Variance: predicted (Ragone et al. 2024, Theorem 1) and sampled",
        "",
        "With g-sim, each size samples the loss at random angles (uniform in [−π, π]) of the "
        "family's gates (fixed gates pushed to the end) repeated `layers` times, each gate "
        "with its own angle, so that there are at least 8·dim g angles where `deep enough` "
        "(the 2-design regime of the theorem); with qsim, the circuit as given. "
        "`z` = (sampled − predicted) / standard error, where deep enough.",
        "",
        _table(
            [
                "n",
                "simulator",
                "layers",
                "samples",
                "sampled Var",
                "± s.e.",
                "predicted Var",
                "z",
                "excess kurtosis",
                "deep enough",
            ],  # fmt: skip
            [
                [
                    r["n"],
                    r.get("simulator"),
                    r.get("layers"),
                    r.get("samples"),
                    _num(r.get("sampled_variance")),
                    _num(r.get("variance_se")),
                    _num(r.get("predicted_variance")),
                    _num(r.get("z_score"), 2),
                    _num(r.get("excess_kurtosis"), 3),
                    r.get("deep_enough"),
                ]  # fmt: skip
                for r in data["sampling"]
            ],
        ),
        "",
    ]
    for name, caption in (
        ("variance.png", "Predicted against sampled variance"),
        ("loss_distribution.png", "Sampled losses beside the Gaussian of equal mean and variance"),
    ):
        if name in _drawn(data):
            lines += [f"![{caption}]({name})", ""]
    lines += [
        "## g-sim against qsim",
        "",
        "Errors are relative to max(1, ‖O‖₁); gradients against five-point finite differences "
        "of qsim; times per expectation value (g-sim build excluded).",
        "",
        _table(
            [
                "n",
                "g-sim space",
                "g-sim s/value",
                "qsim s/value",
                "value error",
                "gradient error",
            ],  # fmt: skip
            [
                [
                    t["n"],
                    t["working_dim"],
                    _num(t["gsim_seconds"], 2),
                    _num(t["qsim_seconds"], 2),
                    _num(t["max_value_error"], 2),
                    _num(t["max_gradient_error"], 2),
                ]  # fmt: skip
                for t in data["timing"]
            ],
        ),
        "",
    ]
    if "gsim_vs_qsim.png" in _drawn(data):
        lines += ["![g-sim against qsim](gsim_vs_qsim.png)", ""]
    if data["figures"]["missing"]:
        lines += [f"Figures: {data['figures']['missing']}", ""]
    lines += [
        "## Reproduce",
        "",
        f"- lie_sim {data['lie_sim_version']}, started {data['started']}, "
        f"{data['seconds']} s in all",
        f"- Command: `{data['command']}`",
        f"- Seeds: {data['seed']} + n for every size's draws",
        "- Data: `data/report.json` (everything), `data/sizes.csv`, `data/variance.csv`, "
        "`data/loss_samples.csv`, `data/gsim_vs_qsim.csv`",
        "",
        _table(
            ["step", "what", "seconds"],
            [[s["step"], s["what"], s["seconds"]] for s in data["steps"]],
        ),
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def _math(text: str) -> str:
    """Laws as Markdown shows them: ``n**2`` would turn bold, so powers are written ``n^2``."""
    return text.replace("**", "^")


def _drawn(data: dict) -> list[str]:
    return data["figures"]["files"]


def _dim(s: dict) -> str:
    return str(s["dim"]) if s["dim"] is not None else f"> {s['limit']}"


def _obs(s: dict, key: str) -> Any:
    return (s.get("observables") or [{}])[0].get(key)


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}g}" if isinstance(value, float) else str(value)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return "–" if v is None else str(v)

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def _ns(ns: list[int]) -> str:
    if len(ns) > 2 and ns == list(range(ns[0], ns[-1] + 1)):
        return f"{ns[0]}…{ns[-1]}"
    return ", ".join(str(n) for n in ns)
