"""``lie-sim catalog``: classify the architecture catalog, and query its results.

Sub-commands: ``classify`` (run the pipeline, write one JSON per entry and SUMMARY.md;
``--compare DIR`` reports every difference from other results), ``list``, ``show ID`` and
``query`` (read the committed results only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lie_sim.cli.common import format_table
from lie_sim.errors import UsageError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``catalog`` verb and its sub-commands."""
    p = subparsers.add_parser(
        "catalog",
        help="the architecture catalog: classify entries, list and query results",
        description="Known barren-plateau-free architectures (and controls), classified: DLA, "
        "growth law, variance, a verdict with its route, checked against qsim.",
    )
    sub = p.add_subparsers(dest="catalog_command", required=True)

    c = sub.add_parser("classify", help="classify entries and write their results")
    c.add_argument("ids", nargs="*", metavar="ID", help="entries to classify (default: all)")
    c.add_argument("--catalog", metavar="DIR", help="catalog directory (default: bundled)")
    c.add_argument("--out", metavar="DIR", help="results directory (default: catalog/results)")
    c.add_argument("--compare", metavar="DIR", help="report every difference from these results")
    c.add_argument("--force", action="store_true", help="recompute fresh results too")
    c.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
    c.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler (extra 'distributed')")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.set_defaults(func=run_classify)

    ls = sub.add_parser("list", help="one line per entry (committed results)")
    _results_arguments(ls)
    ls.set_defaults(func=run_list)

    show = sub.add_parser("show", help="one entry's results")
    show.add_argument("id", metavar="ID")
    _results_arguments(show)
    show.set_defaults(func=run_show)

    r = sub.add_parser("report", help="a report with figures for one entry")
    r.add_argument("id", metavar="ID")
    r.add_argument("--catalog", metavar="DIR", help="catalog directory (default: bundled)")
    r.add_argument(
        "--observable-index", type=int, default=0, metavar="K",
        help="which of the entry's observables (default 0, the first)",
    )  # fmt: skip
    r.add_argument("--n", help="sizes (default: the entry's), e.g. 3:10 or 4,8,16")
    from lie_sim.cli.report import add_report_arguments

    add_report_arguments(r)
    r.set_defaults(func=run_report)

    q = sub.add_parser("query", help="filter the results")
    q.add_argument("--growth", help="polynomial | exponential | exceeds-budget | undetermined")
    q.add_argument("--route", help="the verdict's route: g-sim, pauli-propagation, ...")
    q.add_argument(
        "--family", help="a simple-ideal family at the largest n: su, so, sp (u: centre)"
    )
    q.add_argument("--agreement", help="agrees | disagrees (with the literature's claim)")
    q.add_argument("--verdict", help="simulable | not-simulable | incomplete")
    q.add_argument("--mechanism", help="the claimed mechanism: small-dla, symmetry, locality, ...")
    _results_arguments(q)
    q.set_defaults(func=run_query)


def _results_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--results", metavar="DIR", help="results directory (default: committed)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


# ----------------------------------------------------------------------------------------
# classify


def run_classify(args: argparse.Namespace) -> int:
    """Run ``lie-sim catalog classify``; exit 1 when ``--compare`` finds differences."""
    import lie_sim
    from lie_sim.catalog import entries as catalog_entries
    from lie_sim.catalog import pipeline, results

    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    if args.scheduler and args.workers != 1:
        raise UsageError("give --workers or --scheduler, not both")
    every = catalog_entries.load(args.catalog)
    chosen = [catalog_entries.find(every, i) for i in args.ids] if args.ids else every
    out = Path(args.out) if args.out else results.default_directory()
    todo = [
        e for e in chosen
        if args.force or not results.is_fresh(out, e.id, e.sha256, lie_sim.__version__)
    ]  # fmt: skip
    start = time.perf_counter()
    executor = (
        pipeline.dask_executor(args.scheduler)
        if args.scheduler
        else pipeline.local_executor(args.workers)
    )
    bar = _ProgressBar()
    try:
        tasks = pipeline.classify_entries(
            todo, executor=executor, on_task=bar.finished, on_submit=bar.submitted
        )
        for result in tasks:
            results.write_json(results.result_path(out, result["id"]), result)
    finally:
        bar.close()
        executor.shutdown()
    written = results.read_results(out)
    results.write_text(out / results.SUMMARY, results.summary_markdown(written))
    seconds = time.perf_counter() - start
    ids = {e.id for e in chosen}
    current = [r for r in written if r["id"] in ids]
    differences = None
    if args.compare:
        reference = [r for r in results.read_results(args.compare) if r["id"] in ids]
        differences = results.compare(current, reference)
    _report(args, current, len(chosen) - len(todo), seconds, differences)
    return 1 if differences else 0


def _report(args, current, skipped, seconds, differences) -> None:
    from lie_sim.catalog.results import summary_rows

    if args.json:
        print(
            json.dumps(
                {
                    "results": summary_rows(current),
                    "skipped_fresh": skipped,
                    "seconds": round(seconds, 2),
                    "differences": differences,
                }
            )
        )
        return
    rows = summary_rows(current)
    print(format_table(rows, list(rows[0]) if rows else ["id"]))
    print(f"\n{len(current)} entries ({skipped} fresh results reused) in {seconds:.1f} s")
    if differences is not None:
        if differences:
            print(f"{len(differences)} differences from {args.compare}:")
            for d in differences:
                print(f"  {d}")
        else:
            print(f"no difference from {args.compare}")


class _ProgressBar:
    """tqdm on stderr: tasks done of those submitted so far, and the last entry finished."""

    def __init__(self):
        from tqdm import tqdm

        self.bar = tqdm(total=0, unit="task", file=sys.stderr, disable=not sys.stderr.isatty())

    def submitted(self, task) -> None:
        self.bar.total += 1

    def finished(self, task, result) -> None:
        running = self.bar.total - self.bar.n - 1
        self.bar.set_postfix_str(
            f"{task.entry_id} {task.kind} n={task.n}; {running} queued", refresh=False
        )
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


# ----------------------------------------------------------------------------------------
# list, show, query


def run_list(args: argparse.Namespace) -> int:
    """Run ``lie-sim catalog list``."""
    from lie_sim.catalog.results import read_results, summary_rows

    _print_rows(summary_rows(read_results(args.results)), args.json)
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Run ``lie-sim catalog show ID``."""
    from lie_sim.catalog.entries import CatalogError
    from lie_sim.catalog.results import read_results

    results = {r["id"]: r for r in read_results(args.results)}
    if args.id not in results:
        import difflib

        close = difflib.get_close_matches(args.id, list(results), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(f"No result for catalog entry {args.id!r}{hint}")
    r = results[args.id]
    if args.json:
        print(json.dumps(r))
        return 0
    print(f"{r['id']}: {r['name']}")
    claim = r["claim"]
    print(
        f"claim      {'barren-plateau free' if claim['barren_plateau_free'] else 'barren plateau'}"
        f" ({claim['mechanism']}); route {claim['route']}"
        + (f"; dim {claim['dla_dimension']}" if claim["dla_dimension"] else "")
        + (f"; algebra {claim['algebra']}" if claim["algebra"] else "")
    )
    print(f"growth     {r['growth'].get('text', r['growth']['kind'])}")
    print(f"verdict    {r['verdict']['text']}")
    rows = []
    for s in r["sizes"]:
        variances = [o.get("variance") for o in s.get("observables", [])]
        modules = [o.get("module_dim") for o in s.get("observables", [])]
        rows.append(
            {
                "n": s["n"],
                "dim": s.get("dim") if s.get("dim") is not None else f"> {s.get('dim_above')}",
                "type": s.get("type") or "",
                "module dims": ", ".join(str(m) for m in modules),
                "variance": ", ".join("—" if v is None else f"{v:.4g}" for v in variances),
                "error": s.get("error", ""),
            }
        )
    print(format_table(rows, ["n", "dim", "type", "module dims", "variance", "error"]))
    for check in r["qsim_checks"]:
        status = "passed" if check.get("passed") else f"FAILED {check.get('error', '')}"
        print(f"qsim check n = {check['n']}: {status}")
    for run in r["gsim_runs"]:
        print(f"g-sim run  n = {run['n']}: working dim {run.get('working_dim')}, "
              f"{run.get('build_seconds')} s build, {run.get('error', 'ok')}")  # fmt: skip
    for f in r["findings"]:
        print(f"finding    {f}")
    return 0


def run_query(args: argparse.Namespace) -> int:
    """Run ``lie-sim catalog query``."""
    from lie_sim.catalog.query import query
    from lie_sim.catalog.results import summary_rows

    try:
        found = query(
            directory=args.results,
            growth=args.growth,
            route=args.route,
            family=args.family,
            agreement=args.agreement,
            verdict=args.verdict,
            mechanism=args.mechanism,
        )
    except ValueError as e:
        raise UsageError(str(e)) from None
    _print_rows(summary_rows(found), args.json)
    return 0


def _print_rows(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows))
    elif rows:
        print(format_table(rows, list(rows[0])))
    else:
        print("no entries match")


# ----------------------------------------------------------------------------------------
# report


def run_report(args: argparse.Namespace) -> int:
    """Run ``lie-sim catalog report ID``."""
    from lie_sim.catalog import entries as catalog_entries
    from lie_sim.catalog.report import CircuitFamily
    from lie_sim.cli.report import parse_sizes
    from lie_sim.cli.report import run_report as write_report

    entry = catalog_entries.find(catalog_entries.load(args.catalog), args.id)
    family = CircuitFamily.from_entry(entry, args.observable_index)
    ns = parse_sizes(args.n) if args.n else list(entry.sizes)
    return write_report(family, ns, args)
