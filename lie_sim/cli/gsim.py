"""``lie-sim gsim``: expectation values (and gradients) of a circuit by g-sim.

Two sources, one per call:

* ``--circuit FILE --observable TEXT [...]``: build the surrogate (:func:`lie_sim.build_gsim`)
  for the circuit (a ``circuit_io.load_circuit`` spec), the observables (Pauli text; qubit
  ``i`` is the ``i``-th of the sorted circuit qubits) and ``--state``; ``--save FILE`` writes it
  (``GSim.save``, one ``.npz``);
* ``--load FILE``: a surrogate saved before (:func:`lie_sim.load_gsim`); its observables and
  initial state are the ones it was built for.

Parameter values come from ``--params name=value ...`` or ``--random-params SEED`` (each symbol
uniform in ``[-π, π)`` from ``numpy.random.default_rng(SEED)``); every symbol of the circuit
needs one. ``--gradients`` adds ``∂⟨O_j⟩/∂symbol`` by adjoint differentiation.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

from lie_sim.cli.common import add_parameter_arguments, format_table
from lie_sim.errors import UsageError
from lie_sim.simulate.gsim import GSim


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``gsim`` verb."""
    p = subparsers.add_parser(
        "gsim",
        help="expectation values and gradients of a circuit by g-sim",
        description="Simulate <O_j> of a parameterized circuit in its dynamical Lie algebra "
        "(g-sim). Give --circuit FILE with --observable TEXT (repeatable), or --load FILE (a "
        "surrogate written by --save); and --params name=value ... or --random-params SEED.",
    )
    p.add_argument("--circuit", metavar="FILE", help="Cirq JSON, file.py[:name] or module:name")
    p.add_argument("--load", metavar="FILE", help="a surrogate saved with --save")
    add_state_arguments(p, observable_required=False)
    add_parameter_arguments(p)
    p.add_argument("--gradients", action="store_true", help="also d<O_j>/d symbol")
    p.add_argument("--save", metavar="FILE", help="write the surrogate to FILE (.npz)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def add_state_arguments(p: argparse.ArgumentParser, *, observable_required: bool) -> None:
    """``--observable`` (repeatable) and ``--state``, shared with ``lie-sim verify``."""
    p.add_argument(
        "--observable",
        metavar="TEXT",
        action="append",
        required=observable_required,
        default=None if observable_required else [],
        help="Pauli text on the sorted circuit qubits, e.g. Z0 or 'Z0 Z1 + 0.5 X2'; repeatable",
    )
    p.add_argument(
        "--state",
        metavar="S",
        help="initial state: product text, one of 0 1 + - r l per qubit, qubit 0 first "
        "(e.g. +0-1), or a basis-state int (default 0…0)",
    )


def initial_state(text: str | None, num_qubits: int) -> str | int | None:
    """``--state`` as :func:`lie_sim.build_gsim` takes it.

    All digits of another length than ``num_qubits`` is a basis-state int; anything else is
    product-state text (so ``0101`` on four qubits is the bitstring, ``5`` the int).

    Example:
        >>> initial_state("0101", 4), initial_state("5", 4), initial_state("+0-1", 4)
        ('0101', 5, '+0-1')
    """
    if text is not None and text.isdigit() and len(text) != num_qubits:
        return int(text)
    return text


def parse_params(items: list[str]) -> dict[str, float]:
    """``["a=0.1", "b=-2"]`` → ``{"a": 0.1, "b": -2.0}``.

    Example:
        >>> parse_params(["a=0.1", "b=-2"])
        {'a': 0.1, 'b': -2.0}
    """
    params: dict[str, float] = {}
    for item in items:
        name, eq, value = item.partition("=")
        name = name.strip()
        try:
            number = float(value) if eq and name else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise UsageError(f"--params item {item!r} is not name=value with a finite number")
        if name in params:
            raise UsageError(f"--params gives {name!r} twice")
        params[name] = number
    return params


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim gsim``; returns the exit status."""
    _check_args(args)
    given = parse_params(args.params)
    sim, build_seconds = _load(args) if args.load else _build(args)
    params = parameter_values(given, args.random_params, sim.parameter_names)
    start = time.perf_counter()
    if args.gradients:
        values, grads = sim.expectation_values_and_gradients(params)
        gradients = {name: g.tolist() for name, g in grads.items()}
    else:
        values, gradients = sim.simulate_expectation_values(params), None
    simulate_seconds = time.perf_counter() - start
    if args.save:
        sim.save(args.save)
    report = gsim_json(sim, params, np.asarray(values).tolist(), gradients)
    report["seconds"] = {"build": round(build_seconds, 4), "simulate": round(simulate_seconds, 4)}
    report["saved"] = args.save
    if args.json:
        print(json.dumps(report))
    else:
        _print_report(report, loaded=bool(args.load), seed=args.random_params)
    return 0


def _check_args(args: argparse.Namespace) -> None:
    if bool(args.circuit) == bool(args.load):
        raise UsageError("give exactly one of --circuit FILE or --load FILE")
    if args.load and (args.observable or args.state is not None or args.save):
        raise UsageError(
            "--load takes no --observable, --state or --save: a surrogate keeps the ones it "
            "was built with"
        )
    if args.circuit and not args.observable:
        raise UsageError("--circuit needs at least one --observable, e.g. --observable Z0")
    if args.params and args.random_params is not None:
        raise UsageError("give --params or --random-params, not both")
    if args.random_params is not None and args.random_params < 0:
        raise UsageError(f"--random-params SEED must be non-negative, got {args.random_params}")


def _build(args: argparse.Namespace) -> tuple[GSim, float]:
    from lie_sim.circuits.circuit_io import load_circuit  # imports Cirq
    from lie_sim.simulate.gsim import build_gsim

    circuit = load_circuit(args.circuit)
    state = initial_state(args.state, len(circuit.all_qubits()))
    start = time.perf_counter()
    sim = build_gsim(circuit, args.observable, initial_state=state)
    return sim, time.perf_counter() - start


def _load(args: argparse.Namespace) -> tuple[GSim, float]:
    import cirq  # noqa: F401  (imported here so that the time is the file's alone)

    from lie_sim.simulate.persistence import load_gsim

    start = time.perf_counter()
    sim = load_gsim(args.load)
    return sim, time.perf_counter() - start


def parameter_values(
    given: dict[str, float], seed: int | None, names: tuple[str, ...]
) -> dict[str, float]:
    """The parameter values; symbols missing from ``given`` are left for g-sim to name."""
    if seed is not None:
        rng = np.random.default_rng(seed)
        return {name: float(rng.uniform(-np.pi, np.pi)) for name in names}
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise UsageError(
            f"--params names {', '.join(unknown)}, not symbol(s) of the circuit; its symbols: "
            f"{', '.join(names) or 'none'}"
        )
    return given


def gsim_json(
    sim: GSim, params: dict[str, float], values: list[float], gradients: dict | None
) -> dict:
    """The JSON document of ``lie-sim gsim --json`` (without ``seconds`` and ``saved``)."""
    report = {
        "num_qubits": len(sim.qubits),
        "dim": sim.dim,
        "route": sim.route,
        "working_dim": sim.working_dim,
        "module_dims": list(sim.module_dims),
        "initial_state": sim.initial_state,
        "observables": [str(o) for o in sim.observables],
        "params": params,
        "values": values,
    }
    if gradients is not None:
        report["gradients"] = gradients
    return report


def _print_report(report: dict, *, loaded: bool, seed: int | None) -> None:
    source = "random, seed " + str(seed) if seed is not None else "given"
    print(f"qubits       {report['num_qubits']}")
    print(f"dimension    {report['dim']}")
    print(f"route        {report['route']}, working dimension {report['working_dim']}")
    print(f"module dims  {', '.join(map(str, report['module_dims']))}")
    print(f"state        {report['initial_state']}")
    print(f"params       {len(report['params'])} symbols ({source})")
    seconds = report["seconds"]
    verb = "load" if loaded else "build"
    print(f"time         {verb} {seconds['build']:.3f} s, simulate {seconds['simulate']:.3f} s")
    if report["saved"]:
        print(f"saved        {report['saved']}")
    labels = [f"O{j}" for j in range(len(report["values"]))]
    rows = [
        {"O": label, "observable": text, "value": f"{value:.10g}"}
        for label, text, value in zip(labels, report["observables"], report["values"], strict=True)
    ]
    print(format_table(rows, ["O", "observable", "value"]))
    if "gradients" not in report:
        return
    columns = ["symbol", "param"] + [f"d<{label}>" for label in labels]
    rows = []
    for name, grads in report["gradients"].items():
        row = {"symbol": name, "param": f"{report['params'][name]:.6g}"}
        row.update({f"d<{label}>": f"{g:.10g}" for label, g in zip(labels, grads, strict=True)})
        rows.append(row)
    print()
    print(format_table(rows, columns))
