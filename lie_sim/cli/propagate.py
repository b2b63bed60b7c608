"""``lie-sim propagate``: an expectation value (and gradients) of a circuit by Pauli propagation.

The observable (Pauli text; qubit ``i`` is the ``i``-th of the sorted circuit qubits) is pulled
back through the circuit (a ``circuit_io.load_circuit`` spec) gate by gate and read on
``--state`` (:func:`lie_sim.propagate`). ``--max-weight K`` drops terms on more than ``K``
qubits and ``--min-coeff C`` terms with ``|c| < C``, after every gate; the report gives the
sum of the dropped ``|c|``, a bound on the error of the value for any state (Rudolph et al.,
arXiv 2505.21606).

Parameter values come from ``--params name=value ...`` or ``--random-params SEED``, as in
``lie-sim gsim``. ``--gradients`` adds ``∂⟨O⟩/∂symbol`` (:func:`lie_sim.propagate_with_gradients`:
the derivative of the truncated value).
"""

from __future__ import annotations

import argparse
import json
import math
import time

from lie_sim.cli.common import add_parameter_arguments, format_table, max_dim
from lie_sim.cli.gsim import initial_state, parameter_values, parse_params
from lie_sim.errors import UsageError
from lie_sim.simulate.propagation import propagate, propagate_with_gradients


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``propagate`` verb."""
    p = subparsers.add_parser(
        "propagate",
        help="an expectation value and gradients of a circuit by Pauli propagation",
        description="Propagate a Pauli observable backwards through a circuit (Heisenberg "
        "picture) as a sum of Pauli strings, truncated by weight and coefficient, and evaluate "
        "it on the initial state. Give --circuit FILE, --observable TEXT, and --params "
        "name=value ... or --random-params SEED.",
    )
    p.add_argument(
        "--circuit", metavar="FILE", required=True, help="Cirq JSON, file.py[:name] or module:name"
    )
    p.add_argument(
        "--observable",
        metavar="TEXT",
        required=True,
        help="Pauli text on the sorted circuit qubits, e.g. Z0 or 'Z0 Z1 + 0.5 X2'",
    )
    p.add_argument(
        "--state",
        metavar="S",
        help="initial state: product text, one of 0 1 + - r l per qubit, qubit 0 first "
        "(e.g. +0-1), or a basis-state int (default 0…0)",
    )
    add_parameter_arguments(p)
    p.add_argument(
        "--max-weight",
        metavar="K",
        type=max_dim,
        default=None,
        help="drop terms acting on more than K qubits after every gate (default: no cut)",
    )
    p.add_argument(
        "--min-coeff",
        metavar="C",
        type=min_coeff,
        default=0.0,
        help="drop terms with |coefficient| < C after every gate (default 0: no cut)",
    )
    p.add_argument("--gradients", action="store_true", help="also d<O>/d symbol")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def min_coeff(text: str) -> float:
    """``--min-coeff``: a non-negative finite float (argparse reports anything else).

    Example:
        >>> min_coeff("1e-4")
        0.0001
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative finite number, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim propagate``; returns the exit status."""
    import cirq

    from lie_sim.circuits.circuit_io import load_circuit

    if args.params and args.random_params is not None:
        raise UsageError("give --params or --random-params, not both")
    if args.random_params is not None and args.random_params < 0:
        raise UsageError(f"--random-params SEED must be non-negative, got {args.random_params}")
    given = parse_params(args.params)
    circuit = load_circuit(args.circuit)
    n = len(circuit.all_qubits())
    names = tuple(sorted(str(s) for s in cirq.parameter_symbols(circuit)))
    params = parameter_values(given, args.random_params, names)
    options = {
        "max_weight": args.max_weight,
        "min_abs_coeff": args.min_coeff,
        "initial_state": initial_state(args.state, n),
    }
    start = time.perf_counter()
    if args.gradients:
        result, gradients = propagate_with_gradients(circuit, args.observable, params, **options)
    else:
        result, gradients = propagate(circuit, args.observable, params, **options), None
    seconds = time.perf_counter() - start
    report = {
        "num_qubits": n,
        "observable": args.observable,
        "initial_state": args.state if args.state is not None else "0" * n,
        "params": params,
        "max_weight": args.max_weight,
        "min_abs_coeff": args.min_coeff,
        "expectation": result.expectation,
        "num_terms": result.num_terms,
        "truncation_bound": result.truncation_bound,
        "dropped_terms": result.dropped_terms,
        "seconds": round(seconds, 4),
    }
    if gradients is not None:
        report["gradients"] = gradients
    if args.json:
        print(json.dumps(report))
    else:
        _print_report(report, seed=args.random_params)
    return 0


def _print_report(report: dict, *, seed: int | None) -> None:
    source = "random, seed " + str(seed) if seed is not None else "given"
    weight = "none" if report["max_weight"] is None else report["max_weight"]
    print(f"qubits       {report['num_qubits']}")
    print(f"observable   {report['observable']}")
    print(f"state        {report['initial_state']}")
    print(f"params       {len(report['params'])} symbols ({source})")
    print(f"truncation   max weight {weight}, min |coefficient| {report['min_abs_coeff']:g}")
    print(f"value        {report['expectation']:.10g}")
    print(f"terms        {report['num_terms']}")
    print(
        f"dropped      {report['dropped_terms']} terms, |error| <= {report['truncation_bound']:.3g}"
    )
    print(f"time         {report['seconds']:.3f} s")
    if "gradients" not in report:
        return
    rows = [
        {"symbol": name, "param": f"{report['params'][name]:.6g}", "d<O>": f"{g:.10g}"}
        for name, g in report["gradients"].items()
    ]
    print()
    print(format_table(rows, ["symbol", "param", "d<O>"]))
