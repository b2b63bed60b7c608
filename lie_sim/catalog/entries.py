"""The architecture catalog: one TOML file per architecture, loaded and validated.

Each file in ``catalog/`` describes one circuit family from the literature: how to build it
(a builder in :mod:`lie_sim.catalog.circuits`), what to measure (observables, initial state,
sizes) and what the literature claims (barren-plateau free or not, the mechanism, the
classical-simulation route, and where the paper states one, the DLA dimension or algebra as a
formula in n). The fields are documented in the README ("The catalog"). :func:`load` reads
every file and checks every field, naming the file, the field and the form expected; the
observable, formula and algebra templates are read by :mod:`lie_sim.catalog.templates`.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lie_sim.algebra.algebra_types import AlgebraType
from lie_sim.catalog.templates import algebra_at, expand_observable, formula_value, parse_formula
from lie_sim.errors import LieSimError
from lie_sim.pauli.paulis import PauliSum

if TYPE_CHECKING:
    import cirq

BUILDER_MODULE = "lie_sim.catalog.circuits"
STATE_LETTERS = "01+-rl"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CatalogError(LieSimError, ValueError):
    """A catalog file that does not load or validate, or an unknown entry id."""


class Mechanism(enum.Enum):
    """Why the literature says a family has no barren plateau (or ``NONE``)."""

    SMALL_DLA = "small-dla"
    SYMMETRY = "symmetry"
    LOCALITY = "locality"
    INITIALIZATION = "initialization"
    TENSOR_NETWORK = "tensor-network"
    NONE = "none"


class Route(enum.Enum):
    """The classical-simulation route the literature gives or implies."""

    GSIM = "g-sim"
    PAULI_PROPAGATION = "pauli-propagation"
    TENSOR_NETWORK = "tensor-network"
    NONE = "none"
    UNKNOWN = "unknown"


class Tying(enum.Enum):
    """How a family shares parameters between gates (it changes the DLA)."""

    PER_GATE = "per-gate"
    PER_LAYER = "per-layer"
    PER_GENERATOR = "per-generator"
    MIXED = "mixed"


@dataclasses.dataclass(frozen=True)
class Reference:
    """A paper: its title and arXiv id or DOI."""

    title: str
    arxiv: str | None = None
    doi: str | None = None

    def __str__(self) -> str:
        where = f"arXiv:{self.arxiv}" if self.arxiv else f"doi:{self.doi}"
        return f"{self.title} ({where})"


@dataclasses.dataclass(frozen=True)
class Claim:
    """What the literature claims about a family.

    Attributes:
        barren_plateau_free: whether the cited work says the family avoids barren plateaus.
        mechanism: the reason it gives.
        route: the classical-simulation route it gives or implies.
        dla_dimension: the DLA dimension as a formula in n, where the paper states one.
        algebra: the algebra as a template such as ``"so(2*n)"``, where the paper states one.
        statement: what the paper states, in words.
    """

    barren_plateau_free: bool
    mechanism: Mechanism
    route: Route
    dla_dimension: str | None = None
    algebra: str | None = None
    statement: str = ""

    def dimension(self, n: int) -> int | None:
        """The stated dimension at ``n`` (None when no formula is stated)."""
        return None if self.dla_dimension is None else formula_value(self.dla_dimension, n)

    def algebra_type(self, n: int) -> AlgebraType | None:
        """The stated algebra at ``n`` (None when none is stated)."""
        return None if self.algebra is None else algebra_at(self.algebra, n)


@dataclasses.dataclass(frozen=True)
class Propagation:
    """How to check the Pauli-propagation route of an entry (the ``[propagation]`` table).

    Attributes:
        max_weight: Pauli strings heavier than this are dropped after every gate.
        min_abs_coeff: so are terms with a smaller ``|coefficient|``.
        angles: ``"uniform"`` (each symbol uniform in ``[-π, π]``) or ``"gaussian"`` (normal
            with standard deviation ``scale``, as small-angle initialisations draw them).
        scale: the Gaussian's standard deviation.
        sizes: sizes propagated beyond any state vector (besides the qsim checks).
    """

    max_weight: int
    min_abs_coeff: float = 0.0
    angles: str = "uniform"
    scale: float | None = None
    sizes: tuple[int, ...] = ()

    def parameters(self, names, seed: int) -> dict[str, float]:
        """Seeded values of the symbols ``names`` from this distribution."""
        import numpy as np

        rng = np.random.default_rng(seed)
        if self.angles == "gaussian":
            values = rng.normal(0.0, self.scale, len(names))
        else:
            values = rng.uniform(-np.pi, np.pi, len(names))
        return dict(zip(names, values.tolist(), strict=True))


@dataclasses.dataclass(frozen=True)
class CatalogEntry:
    """One architecture of the catalog (see the module docstring and the README).

    Attributes:
        id: unique id, the file name stem.
        name, summary: for people.
        builder: the builder's name in :mod:`lie_sim.catalog.circuits`.
        builder_args: keyword arguments of the builder besides n.
        tying: how parameters are shared.
        observable_texts: the observable templates.
        state_pattern: the initial state pattern, tiled to n qubits.
        sizes: the n analysed.
        gsim_sizes: sizes of g-sim runs beyond any state vector.
        claim: what the literature claims.
        references: the papers.
        path: the file.
        sha256: hash of the file's bytes (results carry it to detect stale results).
        propagation: how to check the Pauli-propagation route, where the entry says.
    """

    id: str
    name: str
    summary: str
    builder: str
    builder_args: tuple[tuple[str, Any], ...]
    tying: Tying
    observable_texts: tuple[str, ...]
    state_pattern: str
    sizes: tuple[int, ...]
    gsim_sizes: tuple[int, ...]
    claim: Claim
    references: tuple[Reference, ...]
    path: Path
    sha256: str
    propagation: Propagation | None = None

    def circuit(self, n: int) -> cirq.Circuit:
        """The family's circuit on ``n`` qubits (``cirq.LineQubit(0..n-1)``)."""
        return _builder(self.builder)(n, **dict(self.builder_args))

    def observables(self, n: int) -> list[PauliSum]:
        """The observables at ``n`` (qubit index ``i`` is ``cirq.LineQubit(i)``)."""
        return [expand_observable(t, n) for t in self.observable_texts]

    def initial_state(self, n: int) -> str:
        """The initial state at ``n`` as product-state text."""
        return tile_state(self.state_pattern, n)


def tile_state(pattern: str, n: int) -> str:
    """A product-state pattern repeated to ``n`` qubits.

    Example:
        >>> tile_state("+0", 5)
        '+0+0+'
    """
    return (pattern * -(-n // len(pattern)))[:n]


# ----------------------------------------------------------------------------------------
# Loading


def default_directory() -> Path:
    """The bundled catalog: ``catalog/`` at the root of the source tree."""
    return Path(__file__).resolve().parents[2] / "catalog"


def load(path: str | Path | None = None) -> list[CatalogEntry]:
    """Every entry of a catalog directory (default: the bundled one), sorted by id.

    Args:
        path: a directory of ``*.toml`` files, or one file.

    Raises:
        CatalogError: a file that does not parse or validate (naming the file, the field and
            the expected form), or two entries with one id.

    Example:
        >>> entries = load()
        >>> len(entries) >= 20
        True
    """
    root = default_directory() if path is None else Path(path)
    files = [root] if root.is_file() else sorted(root.glob("*.toml"))
    if not files:
        raise CatalogError(f"No catalog files (*.toml) in {root}")
    entries = [load_entry(f) for f in files]
    seen: dict[str, Path] = {}
    for e in entries:
        if e.id in seen:
            raise CatalogError(f"{e.path}: id {e.id!r} is already used by {seen[e.id]}")
        seen[e.id] = e.path
    return sorted(entries, key=lambda e: e.id)


def find(entries: Iterable[CatalogEntry], entry_id: str) -> CatalogEntry:
    """The entry with this id; an unknown id suggests close matches."""
    import difflib

    by_id = {e.id: e for e in entries}
    if entry_id in by_id:
        return by_id[entry_id]
    close = difflib.get_close_matches(entry_id, list(by_id), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known ids: {', '.join(by_id)}"
    raise CatalogError(f"Unknown catalog entry {entry_id!r}{hint}")


def load_entry(path: str | Path) -> CatalogEntry:
    """One catalog file, validated (see :func:`load`)."""
    path = Path(path)
    data = path.read_bytes()
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CatalogError(f"{path}: not valid TOML ({e})") from e
    fields = _Fields(path, raw)
    fields.check_unknown()
    entry = CatalogEntry(
        id=fields.text("id", pattern=_ID, form="lowercase words joined by '-'"),
        name=fields.text("name"),
        summary=fields.text("summary"),
        builder=fields.builder(),
        builder_args=tuple(sorted(fields.table("builder_args", required=False).items())),
        tying=fields.choice("tying", Tying),
        observable_texts=fields.observables(),
        state_pattern=fields.state(),
        sizes=fields.sizes("sizes", minimum=2),
        gsim_sizes=fields.sizes("gsim_sizes", minimum=0, required=False),
        claim=fields.claim(),
        references=fields.references(),
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        propagation=fields.propagation(),
    )
    if entry.id != path.stem:
        raise CatalogError(f"{path}: field 'id' is {entry.id!r}; it must equal the file name stem")
    return entry


_TOP_FIELDS = {
    "id", "name", "summary", "builder", "builder_args", "tying", "observables",
    "initial_state", "sizes", "gsim_sizes", "claim", "references", "propagation",
}  # fmt: skip
_PROPAGATION_FIELDS = {"max_weight", "min_abs_coeff", "angles", "scale", "sizes"}
_CLAIM_FIELDS = {
    "barren_plateau_free", "mechanism", "route", "dla_dimension", "algebra", "statement"
}  # fmt: skip


class _Fields:
    """Typed access to one file's fields; every error names the file and the field."""

    def __init__(self, path: Path, raw: dict):
        self.path, self.raw = path, raw

    def error(self, field: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.path}: field {field!r} {problem}")

    def get(self, field: str, kind: type | tuple, form: str, *, required=True, where=None):
        where = self.raw if where is None else where
        if field not in where:
            if required:
                raise self.error(field, f"is missing; expected {form}")
            return None
        value = where[field]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.error(field, f"is {value!r}; expected {form}")
        return value

    def text(self, field: str, *, pattern=None, form="a non-empty string", where=None) -> str:
        value = self.get(field, str, form, where=where)
        if not value.strip() or (pattern is not None and not pattern.match(value)):
            raise self.error(field, f"is {value!r}; expected {form}")
        return value

    def table(self, field: str, *, required: bool) -> dict:
        return self.get(field, dict, "a table such as { layers = 2 }", required=required) or {}

    def choice(self, field: str, kind: type[enum.Enum], where=None) -> Any:
        names = " | ".join(repr(m.value) for m in kind)
        value = self.get(field, str, f"one of {names}", where=where)
        try:
            return kind(value)
        except ValueError:
            raise self.error(field, f"is {value!r}; expected one of {names}") from None

    def builder(self) -> str:
        name = self.text("builder", form="the name of a function in " + BUILDER_MODULE)
        try:
            _builder(name)
        except LookupError as e:
            raise self.error("builder", str(e)) from None
        return name

    def observables(self) -> tuple[str, ...]:
        form = "a non-empty list of Pauli-text templates such as ['Z0', 'sum(i=0..n-1: X{i})']"
        values = self.get("observables", list, form)
        if not values or not all(isinstance(v, str) for v in values):
            raise self.error("observables", f"is {values!r}; expected {form}")
        for v in values:
            try:
                expand_observable(v, 4)
            except (ValueError, LieSimError) as e:
                raise self.error("observables", f"has {v!r}, which does not expand ({e})") from None
        return tuple(values)

    def state(self) -> str:
        form = f"a pattern over {' '.join(STATE_LETTERS)} such as '+' or '+0'"
        value = self.get("initial_state", str, form)
        if not value or any(c not in STATE_LETTERS for c in value):
            raise self.error("initial_state", f"is {value!r}; expected {form}")
        return value

    def sizes(
        self, field: str, *, minimum: int, required: bool = True, where=None
    ) -> tuple[int, ...]:
        form = "a list of distinct qubit counts, each at least 2, such as [3, 4, 5]"
        values = self.get(field, list, form, required=required, where=where)
        if values is None:
            return ()
        ok = all(isinstance(v, int) and not isinstance(v, bool) and v >= 2 for v in values)
        if not ok or len(set(values)) != len(values) or len(values) < minimum:
            raise self.error(field, f"is {values!r}; expected {form} (at least {minimum})")
        return tuple(sorted(values))

    def claim(self) -> Claim:
        raw = self.get("claim", dict, "a [claim] table")
        unknown = set(raw) - _CLAIM_FIELDS
        if unknown:
            raise self.error(
                f"claim.{sorted(unknown)[0]}",
                f"is not a field of [claim]; known: {', '.join(sorted(_CLAIM_FIELDS))}",
            )
        bp_free = self.get("barren_plateau_free", bool, "true or false", where=raw)
        dimension = self.get("dla_dimension", str, "a formula in n", where=raw, required=False)
        if dimension is not None:
            try:
                parse_formula(dimension)
            except ValueError as e:
                raise self.error("claim.dla_dimension", str(e)) from None
        algebra = self.get("algebra", str, "text like 'so(2*n)'", where=raw, required=False)
        if algebra is not None:
            try:
                algebra_at(algebra, 4)
            except ValueError as e:
                raise self.error("claim.algebra", str(e)) from None
        return Claim(
            barren_plateau_free=bp_free,
            mechanism=self.choice("mechanism", Mechanism, where=raw),
            route=self.choice("route", Route, where=raw),
            dla_dimension=dimension,
            algebra=algebra,
            statement=self.get("statement", str, "a string", where=raw, required=False) or "",
        )

    def propagation(self) -> Propagation | None:
        raw = self.get("propagation", dict, "a [propagation] table", required=False)
        if raw is None:
            return None
        unknown = set(raw) - _PROPAGATION_FIELDS
        if unknown:
            raise self.error(
                f"propagation.{sorted(unknown)[0]}",
                f"is not a field of [propagation]; known: {', '.join(sorted(_PROPAGATION_FIELDS))}",
            )
        weight = self.get("max_weight", int, "an integer ≥ 1", where=raw)
        if weight < 1:
            raise self.error("propagation.max_weight", f"is {weight}; expected an integer ≥ 1")
        coeff = self.get("min_abs_coeff", (int, float), "a number ≥ 0", where=raw, required=False)
        if coeff is not None and coeff < 0:
            raise self.error("propagation.min_abs_coeff", f"is {coeff}; expected a number ≥ 0")
        angles = self.get("angles", str, "'uniform' or 'gaussian'", where=raw, required=False)
        if angles not in (None, "uniform", "gaussian"):
            raise self.error(
                "propagation.angles", f"is {angles!r}; expected 'uniform' or 'gaussian'"
            )
        scale = self.get("scale", (int, float), "a number > 0", where=raw, required=False)
        if (angles == "gaussian") != (scale is not None) or (scale is not None and scale <= 0):
            raise self.error(
                "propagation.scale", f"is {scale!r}; expected a number > 0 with angles = "
                "'gaussian' (its standard deviation), and none otherwise"
            )  # fmt: skip
        sizes = self.sizes("sizes", minimum=0, required=False, where=raw)
        return Propagation(weight, float(coeff or 0.0), angles or "uniform", scale, sizes)

    def references(self) -> tuple[Reference, ...]:
        form = "a list of [[references]] tables with title and arxiv or doi"
        values = self.get("references", list, form)
        if not values:
            raise self.error("references", f"is empty; expected {form}")
        out = []
        for k, ref in enumerate(values):
            if not isinstance(ref, dict) or not isinstance(ref.get("title"), str):
                raise self.error(f"references[{k}]", f"is {ref!r}; expected {form}")
            arxiv, doi = ref.get("arxiv"), ref.get("doi")
            if not (isinstance(arxiv, str) or isinstance(doi, str)):
                raise self.error(f"references[{k}]", "has no arxiv or doi string")
            out.append(Reference(ref["title"], arxiv, doi))
        return tuple(out)

    def check_unknown(self) -> None:
        unknown = set(self.raw) - _TOP_FIELDS
        if unknown:
            field = sorted(unknown)[0]
            raise self.error(
                field, f"is not a catalog field; known: {', '.join(sorted(_TOP_FIELDS))}"
            )


# ----------------------------------------------------------------------------------------
# Builders


def _builder(name: str) -> Callable[..., Any]:
    """The builder function ``name`` of :mod:`lie_sim.catalog.circuits` (imports Cirq)."""
    module = importlib.import_module(BUILDER_MODULE)
    if name not in module.__all__:
        raise LookupError(
            f"is {name!r}, not a builder in {BUILDER_MODULE}; known: {', '.join(module.__all__)}"
        )
    return getattr(module, name)


__all__ = [
    "CatalogEntry",
    "CatalogError",
    "Claim",
    "Mechanism",
    "Reference",
    "Route",
    "Tying",
    "default_directory",
    "find",
    "load",
    "load_entry",
]
