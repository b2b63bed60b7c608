"""The ``lie-sim`` command line: human tables by default, ``--json`` for scripts.

Errors in the input (unparsable Pauli text, bad generators, a closure past ``--max-dim``)
print one line on stderr and exit with status 2, without a traceback.

Subcommands:
    dla       Lie closure of generators given as Pauli text or read from a circuit.
    families  Closure of the bundled literature families against their known dimensions.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Sequence

from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.catalog.architectures import FAMILIES
from lie_sim.errors import LieSimError, ObservableError
from lie_sim.pauli.paulis import as_pauli_sum

# Modules that add subcommands: each has ``add_parser(subparsers)`` setting ``func``.
_PLUGIN_MODULES = ("lie_sim.cli.classify",)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lie-sim`` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except (LieSimError, ValueError, TypeError, OSError) as exc:
        print(f"lie-sim {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lie-sim", description="Lie-algebraic analysis of parameterized quantum circuits."
    )
    sub = parser.add_subparsers(dest="command")
    dla = sub.add_parser(
        "dla",
        help="dimension and basis of the dynamical Lie algebra",
        description="Close generators into their dynamical Lie algebra. Generators are Pauli "
        "text, one per argument: 'X0 X1 + 0.5 Z2', '-1/2 Y0*Z3' or dense 'XZI' (qubit 0 first).",
    )
    dla.add_argument("generators", nargs="*", metavar="GEN", help="a generator in Pauli text")
    dla.add_argument("--circuit", metavar="FILE", help="read generators from a Cirq circuit")
    dla.add_argument("--max-dim", type=int, default=None, help="fail past this dimension")
    dla.add_argument("--no-basis", action="store_true", help="print the dimension only")
    dla.add_argument("--json", action="store_true", help="machine-readable output")
    dla.set_defaults(func=_run_dla)
    fam = sub.add_parser(
        "families",
        help="close the bundled literature families and check their known dimensions",
    )
    fam.add_argument("--n", default="3:8", help="qubit range lo:hi (inclusive), default 3:8")
    fam.add_argument("--family", action="append", choices=sorted(FAMILIES), help="repeatable")
    fam.add_argument("--json", action="store_true", help="machine-readable output")
    fam.set_defaults(func=_run_families)
    for name in _PLUGIN_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_parser(sub)
    return parser


def parse_range(text: str) -> range:
    """``"3:12"`` → ``range(3, 13)`` (inclusive), ``"5"`` → ``range(5, 6)``."""
    lo, _, hi = text.partition(":")
    try:
        start, stop = int(lo), int(hi or lo)
    except ValueError:
        raise ValueError(f"--n must look like 3:12 or 5, got {text!r}") from None
    if start < 1 or stop < start:
        raise ValueError(f"--n range {text!r} is empty or starts below 1")
    return range(start, stop + 1)


def _run_dla(args: argparse.Namespace) -> int:
    if args.circuit and args.generators:
        raise ValueError("give generators or --circuit, not both")
    start = time.perf_counter()
    if args.circuit:
        dla, gens_text, _ = circuit_algebra(args.circuit, max_dim=args.max_dim)
        if dla is None:
            print(f"{args.circuit}: the circuit has no parameterized gates; no generators")
            return 0
    else:
        if not args.generators:
            raise ValueError("no generators given; e.g. lie-sim dla 'X0 X1' Z0 Z1")
        dla = lie_closure(args.generators, max_dim=args.max_dim)
        gens_text = [str(g) for g in dla.generators]
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps(dla_json(dla, gens_text, seconds, basis=not args.no_basis)))
    else:
        _print_dla(dla, gens_text, seconds, basis=not args.no_basis)
    return 0


def circuit_algebra(
    spec: str, *, max_dim: int | None, observable: object = None
) -> tuple[DynamicalLieAlgebra | None, list[str], object]:
    """Load a circuit (``circuit_io.load_circuit`` spec) and close its generators.

    ``observable`` is Pauli text or a Pauli sum on the circuit's qubits (text qubit ``i`` is
    the ``i``-th of the sorted circuit qubits). Returns the algebra (``None`` when the circuit
    has no parameterized gates), one ``"symbol: generator"`` line per generator, and the
    observable conjugated past the circuit's fixed gates (``None`` when none was given).
    """
    from lie_sim.circuits.circuit_io import load_circuit
    from lie_sim.circuits.extraction import extract

    circuit = load_circuit(spec)
    qubits = sorted(circuit.all_qubits())
    if observable is not None:
        observable = as_pauli_sum(
            observable, qubits, name="The observable", error=ObservableError
        ).to_cirq(qubits)
    extraction = extract(circuit, observable, qubits=qubits)
    gens = extraction.generators
    conjugated = None if observable is None else extraction.observable
    if not gens:
        return None, [], conjugated
    dla = lie_closure([g.pauli_sum for g in gens], max_dim=max_dim, qubits=qubits)
    return dla, [f"{g.symbol}: {g.pauli_sum}" for g in gens], conjugated


def dla_json(
    dla: DynamicalLieAlgebra, generators: list[str], seconds: float, *, basis: bool = True
) -> dict:
    """The JSON document printed by ``lie-sim dla --json``."""
    out = {
        "dim": dla.dim,
        "exact": dla.exact,
        "qubits": [str(q) for q in dla.qubits],
        "generators": generators,
        "seconds": round(seconds, 4),
    }
    if basis:
        out["basis"] = [str(b) for b in dla.basis]
    return out


def _print_dla(
    dla: DynamicalLieAlgebra, generators: list[str], seconds: float, *, basis: bool
) -> None:
    print(f"qubits     {len(dla.qubits)}: {', '.join(str(q) for q in dla.qubits)}")
    print(f"generators {len(generators)}")
    for g in generators:
        print(f"  {g}")
    exactness = "exact" if dla.exact else "float (not exact)"
    print(f"dimension  {dla.dim}  ({exactness}, {seconds:.3f} s)")
    if basis:
        width = len(str(dla.dim))
        for i, b in enumerate(dla.basis):
            print(f"  {i:>{width}}  {b}")


def _run_families(args: argparse.Namespace) -> int:
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


def format_table(rows: list[dict], columns: list[str]) -> str:
    """A plain aligned text table of ``rows`` (dicts) over ``columns``."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
