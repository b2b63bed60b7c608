"""A report's figures, drawn from the same data the report's CSV files hold.

matplotlib is the optional extra ``plots``; without it :func:`draw` draws nothing and says
how to install it (the Markdown and the data are written regardless).

* ``dimension.png``: DLA dimension against n (log scale) with the fitted exact law, a
  power-law fit and the reference 4^n − 1 (the full su(2^n));
* ``variance.png``: predicted variance beside sampled variance ± 3 standard errors;
* ``loss_distribution.png``: the sampled losses at the largest sampled n beside the Gaussian
  of the same mean and variance, with the excess kurtosis;
* ``gsim_vs_qsim.png``: g-sim's largest error against qsim, and the time per value of each,
  against n, with the crossover marked.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

INSTALL = "pip install 'lie_sim[plots]'"


def draw(data: dict, samples: dict | None, directory: Path) -> dict:
    """Draw every figure the data allows into ``directory``.

    Returns:
        ``{"files": [names drawn], "missing": "" or why none were drawn}``.
    """
    try:
        import matplotlib
    except ImportError:
        return {
            "files": [],
            "missing": f"matplotlib is not installed, so no figures were drawn; {INSTALL}",
        }
    matplotlib.use("Agg")
    files = []
    for name, fn in (
        ("dimension.png", _dimension),
        ("variance.png", _variance),
        ("loss_distribution.png", _distribution),
        ("gsim_vs_qsim.png", _timing),
    ):
        fig = fn(data, samples)
        if fig is None:
            continue
        fig.savefig(directory / name, dpi=130, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        files.append(name)
    return {"files": files, "missing": ""}


def _figure(title: str, ncols: int = 1):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=(5.6 * ncols, 4.0), layout="constrained")
    fig.suptitle(title, fontsize=11)
    return fig, axes


def _dimension(data: dict, samples: dict | None):
    points = [(s["n"], s["dim"]) for s in data["sizes"] if s["dim"] is not None]
    if not points:
        return None
    ns, dims = np.array([p[0] for p in points]), np.array([p[1] for p in points], dtype=float)
    fig, ax = _figure(f"DLA dimension: {data['family']}")
    grid = np.linspace(ns[0], ns[-1], 200) if len(ns) > 1 else ns.astype(float)
    ax.plot(grid, 4.0**grid - 1, ":", color="0.5", label="4^n − 1 (su(2^n))")
    law = data["growth"].get("law")
    if law:
        _law_curves(ax, law, grid, int(ns[0]), int(ns[-1]))
    if len(ns) >= 2:
        k, c = np.polyfit(np.log(ns), np.log(dims), 1)
        ax.plot(grid, np.exp(c) * grid**k, "--", color="C2", label=f"power-law fit ∝ n^{k:.2f}")
    ax.plot(ns, dims, "o", color="C1", label="measured")
    limit = data["growth"].get("dimension_limit")
    if limit:
        ax.axhline(limit, color="C3", lw=0.8, label=f"budget {limit}")
    ax.set(yscale="log", xlabel="n (qubits)", ylabel="dim g")
    ax.set_ylim(min(dims.min() / 2, 1), max(dims.max(), limit or 0) * 4)
    ax.legend(fontsize=8)
    return fig


def _law_curves(ax, law: str, grid: np.ndarray, lo: int, hi: int) -> None:
    """The law over the grid; a law with one polynomial per parity of n as two curves."""
    import sympy

    n = sympy.Symbol("n")
    expr = sympy.sympify(law, locals={"n": n})
    if not isinstance(expr, sympy.Piecewise):
        f = sympy.lambdify(n, expr, "numpy")
        ax.plot(grid, np.broadcast_to(f(grid), grid.shape), "-", color="C0", label=f"law {law}")
        return
    for (piece, _), parity, color in zip(expr.args, (0, 1), ("C0", "C4"), strict=True):
        xs = np.arange(lo + (lo - parity) % 2, hi + 1, 2, dtype=float)
        values = np.broadcast_to(sympy.lambdify(n, piece, "numpy")(xs), xs.shape)
        name = "odd" if parity else "even"
        ax.plot(xs, values, "-", color=color, label=f"law, n {name}: {piece}")


def _variance(data: dict, samples: dict | None):
    rows = [r for r in data["sampling"] if r.get("sampled_variance") is not None]
    predicted = [
        (s["n"], s["observables"][0]["variance"])
        for s in data["sizes"]
        if s.get("observables") and s["observables"][0].get("variance") is not None
    ]
    if not rows and not predicted:
        return None
    fig, ax = _figure(f"Loss variance: {data['observable']}")
    if predicted:
        ax.plot(*zip(*predicted, strict=True), "s-", color="C0", label="predicted (Ragone et al.)")
    if rows:
        n = [r["n"] for r in rows]
        var = [r["sampled_variance"] for r in rows]
        err = [3 * r["variance_se"] for r in rows]
        ax.errorbar(n, var, yerr=err, fmt="o", color="C1", capsize=3, label="sampled ± 3 s.e.")
    values = [v for _, v in predicted] + [r["sampled_variance"] for r in rows]
    if values and min(values) > 0 and max(values) > 10 * min(values):
        ax.set_yscale("log")
    ax.set(xlabel="n (qubits)", ylabel="Var[loss]")
    ax.legend(fontsize=8)
    return fig


def _distribution(data: dict, samples: dict | None):
    if samples is None or len(samples["values"]) < 10:
        return None
    values = np.asarray(samples["values"])
    mean, var = samples["mean"], samples["variance"]
    fig, ax = _figure(f"Loss distribution at n = {samples['n']} ({len(values)} samples)")
    ax.hist(values, bins=min(60, max(10, len(values) // 40)), density=True, color="C1", alpha=0.6,
            label="sampled")  # fmt: skip
    if var > 0:
        sd = math.sqrt(var)
        grid = np.linspace(values.min(), values.max(), 300)
        pdf = np.exp(-((grid - mean) ** 2) / (2 * var)) / (sd * math.sqrt(2 * math.pi))
        label = (
            f"Gaussian, same mean and variance\n(excess kurtosis {samples['excess_kurtosis']:.3f})"
        )
        ax.plot(grid, pdf, color="C0", label=label)
    ax.set(xlabel="loss", ylabel="density")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def _timing(data: dict, samples: dict | None):
    rows = data["timing"]
    if not rows:
        return None
    fig, (left, right) = _figure("g-sim against qsim", ncols=2)
    checked = [r for r in rows if r["max_value_error"] is not None]
    if checked:
        n = [r["n"] for r in checked]
        floor = 1e-17  # an exact zero on a log axis
        left.semilogy(n, [max(r["max_value_error"], floor) for r in checked], "o-", label="values")
        left.semilogy(n, [max(r["max_gradient_error"], floor) for r in checked], "s-",
                      label="gradients")  # fmt: skip
        left.axhline(1e-5, color="C0", lw=0.8, ls="--", label="value tolerance 1e-5")
        left.axhline(1e-4, color="C1", lw=0.8, ls="--", label="gradient tolerance 1e-4")
    left.set(xlabel="n (qubits)", ylabel="largest error / max(1, ‖O‖₁)")
    left.legend(fontsize=8)
    right.semilogy([r["n"] for r in rows], [r["gsim_seconds"] for r in rows], "o-", label="g-sim")
    if checked:
        right.semilogy([r["n"] for r in checked], [r["qsim_seconds"] for r in checked], "s-",
                       label="qsim")  # fmt: skip
    crossover = data.get("crossover")
    if crossover is not None:
        right.axvline(crossover, color="0.4", ls=":", label=f"g-sim faster from n = {crossover}")
    right.set(xlabel="n (qubits)", ylabel="seconds per expectation value")
    right.legend(fontsize=8)
    return fig
