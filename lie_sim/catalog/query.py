"""Queries over the committed catalog results (JSON only: no Cirq, answers in well under 1 s)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lie_sim.catalog.results import read_results

GROWTH = ("polynomial", "exponential", "exceeds-budget", "undetermined")
VERDICTS = {"simulable": True, "not-simulable": False, "incomplete": None}
AGREEMENT = ("agrees", "disagrees")


def query(
    results: Sequence[dict] | None = None,
    *,
    directory: str | Path | None = None,
    growth: str | None = None,
    route: str | None = None,
    family: str | None = None,
    agreement: str | None = None,
    verdict: str | None = None,
    mechanism: str | None = None,
) -> list[dict]:
    """The results matching every filter given.

    Args:
        results: results to filter (default: read from ``directory``).
        directory: a results directory (default: the committed ``catalog/results``).
        growth: the DLA dimension's growth: one of :data:`GROWTH`.
        route: the verdict's route (``g-sim``, ``pauli-propagation``, ...).
        family: a simple-ideal family in the algebra at the largest analysed n (``so``,
            ``su``, ``sp``) or ``u`` for a non-zero centre.
        agreement: ``agrees`` (no finding) or ``disagrees`` (a measurement disagrees with
            the claim).
        verdict: ``simulable``, ``not-simulable`` or ``incomplete``.
        mechanism: the claimed mechanism (``small-dla``, ``symmetry``, ``locality``, ...).

    Raises:
        ValueError: an unknown filter value.

    Example:
        >>> [r["id"] for r in query(growth="polynomial", route="g-sim")][:1] != []
        True
    """
    _check("growth", growth, GROWTH)
    _check("agreement", agreement, AGREEMENT)
    _check("verdict", verdict, tuple(VERDICTS))
    rows = read_results(directory) if results is None else list(results)
    out = []
    for r in rows:
        if growth is not None and r["growth"]["kind"] != growth:
            continue
        if route is not None and r["verdict"]["route"] != route:
            continue
        if family is not None and family not in _families(r):
            continue
        if agreement is not None and (agreement == "agrees") != (not r["findings"]):
            continue
        if verdict is not None and r["verdict"]["simulable"] is not VERDICTS[verdict]:
            continue
        if mechanism is not None and r["claim"]["mechanism"] != mechanism:
            continue
        out.append(r)
    return out


def _families(result: dict) -> set[str]:
    typed = [s for s in result["sizes"] if s.get("type")]
    if not typed:
        return set()
    text = typed[-1]["type"]
    found = set(re.findall(r"(su|so|sp)\(", text))
    if "u(1)" in text:
        found.add("u")
    return found


def _check(name: str, value: str | None, allowed: tuple) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"Unknown {name} {value!r}; use one of {', '.join(allowed)}")
