"""``lie-sim report``: a report with figures for any circuit family.

``lie-sim report --family module:function --observable TEXT [--state S] --n 3:14 --out DIR``
runs :func:`lie_sim.catalog.report.report` (the catalog's analysis for the family: DLA per n,
growth laws, predicted and sampled variance, g-sim against qsim, verdict) and writes
``DIR/report.md`` with its figures and data. ``lie-sim catalog report ID`` does the same for
a bundled entry. Progress goes to stderr, one line per step; without matplotlib the figures
are skipped with a one-line message and the Markdown and data are still written (exit 0).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from lie_sim.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``report`` verb."""
    p = subparsers.add_parser(
        "report",
        help="a report with figures for a circuit family (DLA growth, variance, g-sim check)",
        description="Analyse a circuit family n -> cirq.Circuit over a range of n and write "
        "DIR/report.md with figures and the data behind them.",
    )
    p.add_argument(
        "--family", metavar="module:function", required=True,
        help="a function n -> cirq.Circuit (module importable from the current directory)",
    )  # fmt: skip
    p.add_argument(
        "--observable", metavar="TEXT", required=True,
        help="Pauli text or a template in n, e.g. Z0, 'Z0 Z1', 'sum(i=0..n-1: Z{i})'; qubit i "
        "is the i-th of the circuit's sorted qubits",
    )  # fmt: skip
    p.add_argument(
        "--state", metavar="S", default="0",
        help="initial product-state pattern of 0 1 + - r l, tiled to n qubits (default 0)",
    )  # fmt: skip
    p.add_argument("--n", required=True, help="sizes: 3:14, or a list such as 4,8,16:20")
    add_report_arguments(p)
    p.set_defaults(func=run)


def add_report_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by ``lie-sim report`` and ``lie-sim catalog report``."""
    from lie_sim.catalog.report import ReportOptions

    defaults = ReportOptions()
    p.add_argument("--out", metavar="DIR", required=True, help="output directory (new or empty)")
    p.add_argument("--force", action="store_true", help="replace a non-empty output directory")
    p.add_argument(
        "--max-dim", type=int, default=defaults.max_dim,
        help=f"the largest DLA closed; the analysis ends before the first n past it "
        f"(default {defaults.max_dim})",
    )  # fmt: skip
    p.add_argument(
        "--samples", type=int, default=defaults.samples,
        help=f"loss samples per n (default {defaults.samples})",
    )  # fmt: skip
    p.add_argument(
        "--analysis-seconds", type=float, default=defaults.analysis_seconds,
        help="time budget of the analysis: no size starts past it "
        f"(default {defaults.analysis_seconds:g})",
    )  # fmt: skip
    p.add_argument(
        "--sample-seconds", type=float, default=defaults.sample_seconds,
        help=f"time budget of the sampling per n (default {defaults.sample_seconds:g})",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=defaults.seed, help="seed (default 0)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--json", action="store_true", help="print the verdict and laws as JSON")


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim report``."""
    from lie_sim.catalog.report import CircuitFamily
    from lie_sim.cli.classify import resolve_family

    family = CircuitFamily(args.family, resolve_family(args.family), args.observable, args.state)
    return run_report(family, parse_sizes(args.n), args)


def run_report(family, ns: list[int], args: argparse.Namespace) -> int:
    """Write the report of ``family`` and print where it is and its verdict."""
    from lie_sim.catalog.report import ReportOptions, report

    if args.samples < 10:
        raise UsageError(f"--samples must be at least 10, got {args.samples}")
    if args.max_dim < 1:
        raise UsageError(f"--max-dim must be positive, got {args.max_dim}")
    options = ReportOptions(
        max_dim=args.max_dim,
        samples=args.samples,
        analysis_seconds=args.analysis_seconds,
        sample_seconds=args.sample_seconds,
        seed=args.seed,
    )
    command = "lie-sim " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    result = report(
        family, ns, args.out, options=options, force=args.force, progress=not args.quiet,
        command=command,
    )  # fmt: skip
    data = result.data
    if args.json:
        keys = ("family", "observable", "state", "growth", "verdict", "stopped", "crossover")
        print(
            json.dumps(
                {"report": str(result.directory / "report.md"), **{k: data[k] for k in keys}}
            )
        )
        return 0
    print(f"report    {result.directory / 'report.md'}")
    print(f"verdict   {data['verdict']['text']}")
    print(f"dimension {data['growth'].get('text', 'no law')}")
    if data["stopped"]:
        print(f"stopped   {data['stopped']['reason']}")
    if data["figures"]["missing"]:
        print(f"figures   {data['figures']['missing']}")
    return 0


def parse_sizes(text: str) -> list[int]:
    """``"3:6"`` → ``[3, 4, 5, 6]``; ``"4,8,16:18"`` → ``[4, 8, 16, 17, 18]``.

    Example:
        >>> parse_sizes("4,8,16:18")
        [4, 8, 16, 17, 18]
    """
    sizes: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition(":")
        try:
            start, stop = int(lo), int(hi or lo)
        except ValueError:
            raise UsageError(f"--n must look like 3:14 or 4,8,16:20, got {text!r}") from None
        sizes += range(start, stop + 1)
    if not sizes:
        raise UsageError(f"--n {text!r} gives no sizes; e.g. 3:14")
    return sizes
