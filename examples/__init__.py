"""Example circuit families for ``lie-sim report`` (not part of the catalog)."""
