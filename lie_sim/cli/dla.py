"""``lie-sim dla``: the dynamical Lie algebra of generators given as Pauli text or a circuit."""

from __future__ import annotations

import argparse
import json
import time

from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.cli.common import circuit_algebra, max_dim
from lie_sim.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``dla`` verb."""
    p = subparsers.add_parser(
        "dla",
        help="dimension and basis of the dynamical Lie algebra",
        description="Close generators into their dynamical Lie algebra. Generators are Pauli "
        "text, one per argument: 'X0 X1 + 0.5 Z2', '-1/2 Y0*Z3' or dense 'XZI' (qubit 0 first).",
    )
    p.add_argument("generators", nargs="*", metavar="GEN", help="a generator in Pauli text")
    p.add_argument("--circuit", metavar="FILE", help="read generators from a Cirq circuit")
    p.add_argument("--max-dim", type=max_dim, default=None, help="fail past this dimension")
    p.add_argument("--no-basis", action="store_true", help="print the dimension only")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``lie-sim dla``; returns the exit status."""
    if args.circuit and args.generators:
        raise UsageError("give generators or --circuit, not both")
    start = time.perf_counter()
    if args.circuit:
        dla, gens_text, _ = circuit_algebra(args.circuit, max_dim=args.max_dim)
        if dla is None:
            print(f"{args.circuit}: the circuit has no parameterized gates; no generators")
            return 0
    else:
        if not args.generators:
            raise UsageError("no generators given; e.g. lie-sim dla 'X0 X1' Z0 Z1")
        dla = lie_closure(args.generators, max_dim=args.max_dim)
        gens_text = [str(g) for g in dla.generators]
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps(dla_json(dla, gens_text, seconds, basis=not args.no_basis)))
    else:
        _print_dla(dla, gens_text, seconds, basis=not args.no_basis)
    return 0


def dla_json(
    dla: DynamicalLieAlgebra, generators: list[str], seconds: float, *, basis: bool = True
) -> dict:
    """The JSON document printed by ``lie-sim dla --json``."""
    out = {
        "dim": dla.dim,
        "exact": dla.exact,
        "qubits": list(dla.qubit_names),
        "generators": generators,
        "seconds": round(seconds, 4),
    }
    if basis:
        out["basis"] = [str(b) for b in dla.basis]
    return out


def _print_dla(
    dla: DynamicalLieAlgebra, generators: list[str], seconds: float, *, basis: bool
) -> None:
    print(f"qubits     {dla.num_qubits}: {', '.join(dla.qubit_names)}")
    print(f"generators {len(generators)}")
    for g in generators:
        print(f"  {g}")
    exactness = "exact" if dla.exact else "float (not exact)"
    print(f"dimension  {dla.dim}  ({exactness}, {seconds:.3f} s)")
    if basis:
        width = len(str(dla.dim))
        for i, b in enumerate(dla.basis):
            print(f"  {i:>{width}}  {b}")
