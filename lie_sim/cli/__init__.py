"""The ``lie-sim`` command line, one module per verb; :func:`main` is the console script."""

from lie_sim.cli.common import circuit_algebra, format_table, parse_range
from lie_sim.cli.main import main

__all__ = ["circuit_algebra", "format_table", "main", "parse_range"]
