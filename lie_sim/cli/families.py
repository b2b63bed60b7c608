"""``lie-sim families``: close the bundled literature families against their known dimensions."""

from __future__ import annotations

import argparse
import json
import time

from lie_sim.algebra.closure import lie_closure
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.cli.common import format_table, parse_range


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``families`` verb."""
    p = subparsers.add_parser(
        "families",
        help="close the bundled literature families and check their known dimensions",
    )
    p.add_argument("--n", default="3:8", help="qubit range lo:hi (inclusive), default 3:8")
    p.add_argument("--family", action="append", choices=sorted(FAMILIES), help="repeatable")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim families``; exit status 1 when a dimension disagrees."""
    ns = parse_range(args.n)
    rows = []
    for name in args.family or sorted(FAMILIES):
        family = FAMILIES[name]
        for n in ns:
            try:
                expected = family.dimension(n)
            except KeyError:
                continue
            start = time.perf_counter()
            dla = lie_closure(family.build(n))
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "family": name,
                    "n": n,
                    "dim": dla.dim,
                    "expected": expected,
                    "formula": family.formula,
                    "ok": dla.dim == expected,
                    "seconds": round(seconds, 4),
                    "reference": family.reference,
                }
            )
    if args.json:
        print(json.dumps(rows))
    else:
        print(format_table(rows, ["family", "n", "dim", "expected", "formula", "ok", "seconds"]))
    return 0 if all(r["ok"] for r in rows) else 1
