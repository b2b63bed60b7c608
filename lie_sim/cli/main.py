"""The ``lie-sim`` command line: human tables by default, ``--json`` for scripts.

Errors in the input (unparsable Pauli text, bad generators, a closure past ``--max-dim``,
unreadable files) print one line on stderr and exit with status 2, without a traceback;
anything else is a bug and shows its traceback.

Verbs, one module each:
    dla       Lie closure of generators given as Pauli text or read from a circuit.
    classify  Type, centre, predicted loss variance; growth laws of a family.
    families  Closure of the bundled literature families against their known dimensions.
    catalog   The architecture catalog: classify entries, list, show and query results.
    gsim      Expectation values and gradients of a circuit by g-sim; save and load surrogates.
    verify    g-sim against qsim on seeded parameter points (exit status 1 when it fails).
    propagate An expectation value and gradients of a circuit by Pauli propagation.
    report    A report with figures for any circuit family (Markdown, CSV, PNG).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lie_sim.cli import catalog, classify, dla, families, gsim, propagate, report, verify
from lie_sim.errors import LieSimError

VERBS = (dla, classify, families, catalog, gsim, verify, propagate, report)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lie-sim`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except (LieSimError, OSError) as exc:
        print(f"lie-sim {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lie-sim", description="Lie-algebraic analysis of parameterized quantum circuits."
    )
    sub = parser.add_subparsers(dest="command")
    for verb in VERBS:
        verb.add_parser(sub)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
