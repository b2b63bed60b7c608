"""The architecture catalog: literature families, their circuits, and their classification.

* :func:`load` reads the TOML entries of ``catalog/`` (:mod:`lie_sim.catalog.entries`);
* :func:`classify` measures one entry and decides its verdict (:mod:`lie_sim.catalog.pipeline`);
* :func:`query` filters the committed results (:mod:`lie_sim.catalog.query`, JSON only);
* :mod:`lie_sim.catalog.circuits` and :mod:`lie_sim.catalog.architectures` hold the builders.
"""

from lie_sim.catalog.entries import CatalogEntry, CatalogError, Claim, Reference, find, load
from lie_sim.catalog.pipeline import EntryResult, Options, classify
from lie_sim.catalog.query import query

__all__ = [
    "CatalogEntry",
    "CatalogError",
    "Claim",
    "EntryResult",
    "Options",
    "Reference",
    "classify",
    "find",
    "load",
    "query",
]
