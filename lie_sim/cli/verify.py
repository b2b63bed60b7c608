"""``lie-sim verify``: check g-sim against qsim on seeded random parameter points.

Runs :func:`lie_sim.verify_with_qsim`: values compared directly, gradients against five-point
finite differences of qsim, and qsim against ``cirq.Simulator`` at small n. Exit status 0
when every error is within its tolerance, 1 when one is not, 2 for bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from lie_sim.cli.gsim import add_state_arguments, initial_state
from lie_sim.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``verify`` verb."""
    p = subparsers.add_parser(
        "verify",
        help="check g-sim values and gradients against qsim",
        description="Compare g-sim with qsim on seeded random parameter points (each symbol "
        "uniform in [-pi, pi]): values, gradients against five-point finite differences of "
        "qsim, and qsim against cirq.Simulator at small n. Exit status: 0 passed, 1 failed "
        "(an error past its tolerance), 2 bad input.",
    )
    p.add_argument(
        "--circuit", metavar="FILE", required=True, help="Cirq JSON, file.py[:name] or module:name"
    )
    add_state_arguments(p, observable_required=True)
    p.add_argument("--samples", type=int, default=5, help="parameter points (default 5)")
    p.add_argument("--seed", type=int, default=0, help="seed of the points (default 0)")
    p.add_argument(
        "--gradient-symbols",
        metavar="K",
        type=int,
        default=None,
        help="check the gradients of at most K symbols, chosen with --seed (default: all)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim verify``; exit status 0 when the check passed, 1 when it failed."""
    if args.samples < 1:
        raise UsageError(f"--samples must be at least 1, got {args.samples}")
    if args.seed < 0:
        raise UsageError(f"--seed must be non-negative, got {args.seed}")
    if args.gradient_symbols is not None and args.gradient_symbols < 0:
        raise UsageError(f"--gradient-symbols must be non-negative, got {args.gradient_symbols}")
    from lie_sim.circuits.circuit_io import load_circuit  # imports Cirq
    from lie_sim.simulate.qsim_check import verify_with_qsim

    circuit = load_circuit(args.circuit)
    result = verify_with_qsim(
        circuit,
        args.observable,
        initial_state=initial_state(args.state, len(circuit.all_qubits())),
        n_samples=args.samples,
        seed=args.seed,
        gradient_symbols=args.gradient_symbols,
    )
    if args.json:
        print(json.dumps({**dataclasses.asdict(result), "passed": result.passed}))
    else:
        print(result)
    return 0 if result.passed else 1
