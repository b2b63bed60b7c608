"""``lie-sim classify``: algebra type, centre, predicted loss variance, and growth laws.

Three sources, one per call:

* ``lie-sim classify GEN [GEN ...]``: generators as Pauli text;
* ``lie-sim classify --circuit FILE``: generators read from a Cirq circuit (an
  ``--observable`` is conjugated past the circuit's fixed gates, as the loss needs);
* ``lie-sim classify --family NAME|module:function --n 3:12``: a growth table over n and the
  laws of the dimension, the centre and the type.

With ``--observable`` (and optionally ``--state``, a product state such as ``0101`` or
``+0-1``), a single algebra also gets the predicted mean and variance of the loss
(Ragone et al., Nat. Commun. 15, 7172 (2024), Theorem 1). Where the theorem does not apply
(neither the observable nor the state lies in ``i·g``), the type, centre and dimension are
still printed, then why there is no prediction; that is an answer, and the exit status is 0.
``--json`` prints one JSON document.
A progress line goes to stderr only when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.algebra.growth import DEFAULT_MAX_DIM, GrowthLaw, SequenceLaw, growth_law
from lie_sim.algebra.variance import VariancePrediction, loss_variance
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.cli.common import circuit_algebra, format_table, max_dim, parse_range
from lie_sim.errors import FormulaNotApplicableError, UsageError

DEFAULT_RANGE = "2:8"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``classify`` verb."""
    p = subparsers.add_parser(
        "classify",
        help="algebra type, centre, predicted loss variance, growth laws",
        description="Classify the dynamical Lie algebra of generators (Pauli text, e.g. "
        "'X0 X1' Z0 Z1), of a circuit (--circuit), or of a family over a range of n "
        "(--family NAME or module:function, --n 3:12). Families: " + ", ".join(sorted(FAMILIES)),
    )
    p.add_argument("generators", nargs="*", metavar="GEN", help="a generator in Pauli text")
    p.add_argument("--circuit", metavar="FILE", help="read generators from a Cirq circuit")
    p.add_argument(
        "--family", metavar="NAME|module:function", help="growth table of a generator family"
    )
    p.add_argument(
        "--n", default=None, help=f"n range for --family, lo:hi (default {DEFAULT_RANGE})"
    )
    p.add_argument("--observable", metavar="TEXT", help="Pauli text, e.g. Z0 or 'Z0 Z1 + X2'")
    p.add_argument(
        "--state",
        metavar="TEXT",
        help="initial product state, one of 0 1 + - r l per qubit, qubit 0 first (default 0…0)",
    )
    p.add_argument(
        "--max-dim",
        type=max_dim,
        default=None,
        help=f"dimension budget (default: none; {DEFAULT_MAX_DIM} with --family)",
    )
    p.add_argument("--holdout", type=int, default=2, help="held-out n confirming a law")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim classify``; returns the exit status."""
    sources = [bool(args.generators), bool(args.circuit), bool(args.family)]
    if sum(sources) != 1:
        raise UsageError(
            "give exactly one of: generators (e.g. lie-sim classify 'X0 X1' Z0 Z1), "
            "--circuit FILE, or --family NAME"
        )
    if args.family:
        return _run_family(args)
    if args.n is not None:
        raise UsageError("--n only applies to --family")
    if args.state is not None and args.observable is None:
        raise UsageError("--state needs --observable")
    if args.circuit:
        dla, generators, observable = _circuit_algebra(args)
    else:
        dla = lie_closure(args.generators, max_dim=args.max_dim)
        generators = [str(g) for g in dla.generators]
        observable = args.observable
    report = _classify(dla, generators, observable, args.state)
    if args.json:
        print(json.dumps(report))
    else:
        _print_report(report)
    return 0


# ----------------------------------------------------------------------------------------
# One algebra


def _circuit_algebra(
    args: argparse.Namespace,
) -> tuple[DynamicalLieAlgebra, list[str], Any]:
    dla, generators, observable = circuit_algebra(
        args.circuit, max_dim=args.max_dim, observable=args.observable
    )
    if dla is None:
        raise UsageError(f"{args.circuit}: the circuit has no parameterized gates; no generators")
    return dla, generators, observable


def _classify(
    dla: DynamicalLieAlgebra, generators: list[str], observable: Any, state: str | None
) -> dict:
    from lie_sim.algebra.structure import decompose

    decomposition = decompose(dla)
    kind = decomposition.algebra_type
    report = {
        "qubits": list(dla.qubit_names),
        "generators": generators,
        "dim": dla.dim,
        "exact": dla.exact,
        "center_dim": kind.center_dim,
        "type": str(kind),
        "simple": [list(s) for s in kind.simple],
    }
    if observable is not None:
        try:
            prediction = loss_variance(dla, observable, state, decomposition=decomposition)
        except FormulaNotApplicableError as exc:
            report["loss"] = _not_applicable_json(exc, observable, state, dla.num_qubits)
        else:
            report["loss"] = _prediction_json(prediction, observable, state, dla.num_qubits)
    return report


def _not_applicable_json(
    exc: FormulaNotApplicableError, observable: Any, state: str | None, n: int
) -> dict:
    return {
        "observable": str(observable),
        "state": state if state is not None else "0" * n,
        "variance": None,
        "not_applicable": str(exc),
    }


def _prediction_json(p: VariancePrediction, observable: Any, state: str | None, n: int) -> dict:
    return {
        "observable": str(observable),
        "state": state if state is not None else "0" * n,
        "mean": p.mean,
        "variance": p.variance,
        "observable_in_algebra": p.observable_in_algebra,
        "state_in_algebra": p.state_in_algebra,
        "ideals": [
            {
                "type": c.name,
                "dim": c.dim,
                "state_purity": c.state_purity,
                "observable_purity": c.observable_purity,
                "variance": c.variance,
            }
            for c in p.ideals
        ],
        "center_state_purity": p.center_state_purity,
        "center_observable_purity": p.center_observable_purity,
        "reference": "Ragone et al., Nat. Commun. 15, 7172 (2024), Theorem 1",
    }


def _print_report(report: dict) -> None:
    print(f"qubits      {len(report['qubits'])}: {', '.join(report['qubits'])}")
    print(f"generators  {len(report['generators'])}")
    for g in report["generators"]:
        print(f"  {g}")
    exactness = "exact" if report["exact"] else "float (not exact)"
    print(f"dimension   {report['dim']} ({exactness})")
    print(f"centre      {report['center_dim']}")
    print(f"type        {report['type']}")
    loss = report.get("loss")
    if loss is None:
        return
    print(f"observable  {loss['observable']}")
    print(f"state       |{loss['state']}>")
    if loss["variance"] is None:
        print(f"variance    no prediction: {loss['not_applicable']}")
        return
    where = "O in ig" if loss["observable_in_algebra"] else "rho in ig"
    print(f"mean        {loss['mean']:.6g}")
    print(f"variance    {loss['variance']:.6g}  (Ragone et al. 2024, Theorem 1; {where})")
    rows = [
        {
            "ideal": c["type"],
            "dim": c["dim"],
            "P(rho)": f"{c['state_purity']:.6g}",
            "P(O)": f"{c['observable_purity']:.6g}",
            "variance": f"{c['variance']:.6g}",
        }
        for c in loss["ideals"]
    ]
    if rows:
        print(format_table(rows, ["ideal", "dim", "P(rho)", "P(O)", "variance"]))


# ----------------------------------------------------------------------------------------
# Families


def _run_family(args: argparse.Namespace) -> int:
    if args.observable is not None or args.state is not None:
        raise UsageError("--observable and --state apply to one algebra, not to --family")
    builder = resolve_family(args.family)
    law = growth_law(
        builder,
        parse_range(args.n or DEFAULT_RANGE),
        max_dim=args.max_dim if args.max_dim is not None else DEFAULT_MAX_DIM,
        holdout=args.holdout,
    )
    if args.json:
        print(json.dumps(growth_json(law, args.family)))
    else:
        _print_growth(law, args.family)
    return 0


def resolve_family(spec: str) -> Callable[[int], Any]:
    """A builder from a bundled family name or ``module:function`` (cwd importable).

    Example:
        >>> resolve_family("xx_z").__name__
        'xx_z_chain'
        >>> resolve_family("lie_sim.catalog.architectures:tfim_ring").__name__
        'tfim_ring'
    """
    if spec in FAMILIES:
        return FAMILIES[spec].build
    if ":" not in spec:
        raise UsageError(
            f"unknown family {spec!r}; use one of {', '.join(sorted(FAMILIES))} or module:function"
        )
    module_name, _, name = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import module {module_name!r} for --family: {exc}") from exc
    builder = getattr(module, name, None)
    if not callable(builder):
        raise UsageError(f"module {module_name!r} has no function {name!r} for --family")
    return builder


def growth_json(law: GrowthLaw, family: str) -> dict:
    """The JSON document printed by ``lie-sim classify --family ... --json``."""
    return {
        "family": family,
        "points": [
            {
                "n": p.n,
                "dim": p.dim,
                "exact": p.exact,
                "center_dim": p.center_dim,
                "type": None if p.algebra_type is None else str(p.algebra_type),
            }
            for p in law.points
        ],
        "dimension_law": _law_json(law.dimension),
        "center_law": None if law.center is None else _law_json(law.center),
        "type_law": None
        if law.algebra_type is None
        else {
            "pattern": str(law.algebra_type),
            "valid_from": law.algebra_type.valid_from,
            "confirmed_on": list(law.algebra_type.confirmed_on),
        },
        "stopped_at": law.stopped_at,
        "max_dim": law.max_dim,
    }


def _law_json(law: SequenceLaw) -> dict:
    return {
        "kind": law.kind,
        "formula": law.formula or None,
        "valid_from": law.valid_from,
        "fitted_on": list(law.fitted_on),
        "confirmed_on": list(law.confirmed_on),
    }


def _print_growth(law: GrowthLaw, family: str) -> None:
    rows = [
        {
            "n": p.n,
            "dim": p.dim,
            "centre": "-" if p.center_dim is None else p.center_dim,
            "type": "-" if p.algebra_type is None else str(p.algebra_type),
        }
        for p in law.points
    ]
    print(f"family {family}")
    print(format_table(rows, ["n", "dim", "centre", "type"]))
    print()
    print(law)
