"""Catalog files: every bundled file loads; a file breaking any rule names file, field, form."""

from __future__ import annotations

import textwrap

import pytest

from lie_sim.catalog.entries import (
    CatalogError,
    Mechanism,
    Route,
    Tying,
    find,
    load,
    load_entry,
)
from lie_sim.catalog.templates import algebra_at, expand_observable
from lie_sim.pauli.paulis import parse_pauli_sum

VALID = textwrap.dedent(
    """\
    id = "tfim-open"
    name = "Transverse-field Ising HVA, open chain"
    summary = "Shared angles per layer."
    builder = "tfim_hva"
    builder_args = { layers = 2 }
    tying = "per-layer"
    observables = ["Z0 Z1", "sum(i=0..n-2: Z{i} Z{i+1}) + 0.5 sum(i=0..n-1: X{i})"]
    initial_state = "+0"
    sizes = [3, 4, 5, 6]
    gsim_sizes = [64]

    [claim]
    barren_plateau_free = true
    mechanism = "small-dla"
    route = "g-sim"
    dla_dimension = "n**2"
    algebra = "su(n) ⊕ u(1)"
    statement = "n² for the uniform open chain."

    [[references]]
    title = "Exploring entanglement and optimization within the Hamiltonian variational ansatz"
    arxiv = "2008.02941"
    """
)


def write(tmp_path, text, name="tfim-open"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


def test_valid_file(tmp_path):
    entry = load_entry(write(tmp_path, VALID))
    assert entry.id == "tfim-open" and entry.tying is Tying.PER_LAYER
    assert entry.claim.mechanism is Mechanism.SMALL_DLA and entry.claim.route is Route.GSIM
    assert entry.sizes == (3, 4, 5, 6) and entry.gsim_sizes == (64,)
    assert entry.initial_state(5) == "+0+0+"
    assert entry.claim.dimension(7) == 49
    assert str(entry.claim.algebra_type(4)) == "su(4) ⊕ u(1)"
    assert [str(o) for o in entry.observables(3)] == [
        "Z0 Z1",
        "1/2 X0 + Z0 Z1 + 1/2 X1 + Z1 Z2 + 1/2 X2",
    ]
    assert len(entry.circuit(4).all_qubits()) == 4
    assert len(entry.sha256) == 64


def test_every_bundled_file_loads():
    entries = load()
    assert len(entries) >= 20
    assert len({e.id for e in entries}) == len(entries)
    for e in entries:
        n = e.sizes[0]
        assert e.observables(n) and len(e.initial_state(n)) == n
        assert e.references


BROKEN = [
    ('id = "tfim-open"\n', "", "'id' is missing"),
    ('name = "Transverse-field Ising HVA, open chain"\n', "name = 3\n", "'name' is 3; expected"),
    ('builder = "tfim_hva"', 'builder = "nope"', "'builder' is 'nope', not a builder"),
    ('tying = "per-layer"', 'tying = "sometimes"', "'tying' is 'sometimes'; expected one of"),
    ('observables = ["Z0 Z1", ', 'observables = ["Z{n+", ', "'observables' has"),
    ('observables = ["Z0 Z1", ', 'observables = ["Q0", ', "does not expand"),
    ('initial_state = "+0"', 'initial_state = "+x"', "'initial_state' is '\\+x'"),
    ("sizes = [3, 4, 5, 6]", "sizes = [3, 3]", "'sizes' is \\[3, 3\\]"),
    ("sizes = [3, 4, 5, 6]", 'sizes = "3:5"', "'sizes' is '3:5'"),
    ("gsim_sizes = [64]", "gsim_sizes = [1]", "'gsim_sizes' is \\[1\\]"),
    ('dla_dimension = "n**2"', 'dla_dimension = "n**"', "'claim.dla_dimension'"),
    ('dla_dimension = "n**2"', 'dla_dimension = "m**2"', "formula in n alone"),
    ('algebra = "su(n) ⊕ u(1)"', 'algebra = "xy(n)"', "'claim.algebra'"),
    ("barren_plateau_free = true", 'barren_plateau_free = "yes"', "true or false"),
    ('mechanism = "small-dla"', 'mechanism = "luck"', "'mechanism' is 'luck'"),
    ('route = "g-sim"', "", "'route' is missing"),
    ('arxiv = "2008.02941"', 'url = "x"', "has no arxiv or doi"),
    ("[claim]", "[claims]", "'claims' is not a catalog field"),
    ('statement = "n² for the uniform open chain."', 'source = "x"', "claim.source"),
    ('summary = "Shared angles per layer."', 'summary = "Shared', "not valid TOML"),
    ('id = "tfim-open"', 'id = "other"', "must equal the file name stem"),
    ('id = "tfim-open"', 'id = "Tfim_Open"', "lowercase words joined by '-'"),
]


@pytest.mark.parametrize("old, new, message", BROKEN, ids=[b[2][:30] for b in BROKEN])
def test_each_rule_broken_once(tmp_path, old, new, message):
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(CatalogError, match=message) as info:
        load_entry(path)
    assert str(path) in str(info.value)


def test_duplicate_ids_and_empty_directory(tmp_path):
    write(tmp_path, VALID)
    (tmp_path / "sub").mkdir()
    with pytest.raises(CatalogError, match="No catalog files"):
        load(tmp_path / "sub")
    assert [e.id for e in load(tmp_path)] == ["tfim-open"]


def test_unknown_id_suggests_close_matches(tmp_path):
    entries = load(write(tmp_path, VALID))
    with pytest.raises(CatalogError, match="did you mean tfim-open"):
        find(entries, "tfim-opne")


@pytest.mark.parametrize(
    "template, n, expected",
    [
        ("Z{n-1}", 4, "Z3"),
        ("X{n//2} Y0", 5, "Y0 X2"),
        ("sum(i=0..n-1: Z{i} Z{(i+1)%n})", 3, "Z0 Z1 + Z0 Z2 + Z1 Z2"),
        ("Z0 - 2 sum(i=1..n-1: X{i})", 3, "Z0 - 2 X1 - 2 X2"),
        ("sum(j=0..1: X{j}) + sum(i=0..n-2: Y{i} Y{i+1})", 3, "X0 + Y0 Y1 + X1 + Y1 Y2"),
    ],
)
def test_observable_templates(template, n, expected):
    assert expand_observable(template, n) == parse_pauli_sum(expected)


@pytest.mark.parametrize(
    "bad", ["Z{__import__('os')}", "Z{n.bit_length()}", "sum(i=0..n: Z{i}", "Z{k}"]
)
def test_observable_templates_refuse_code(bad):
    with pytest.raises(ValueError):
        expand_observable(bad, 3)


def test_algebra_templates():
    assert str(algebra_at("2·so(2*n) ⊕ u(1)", 3)) == "2·su(4) ⊕ u(1)"
    assert algebra_at("su(2**(n-1)) ⊕ su(2**(n-1))", 4).dim == 2 * 63
    with pytest.raises(ValueError, match="at n = 3"):
        algebra_at("so(n/2)", 3)


@pytest.mark.parametrize(
    "table, message",
    [
        ("max_weight = 0", "'propagation.max_weight' is 0; expected an integer ≥ 1"),
        ("max_weight = 6\nmin_abs_coeff = -1", "'propagation.min_abs_coeff' is -1"),
        ('max_weight = 6\nangles = "normal"', "'propagation.angles' is 'normal'"),
        ('max_weight = 6\nangles = "gaussian"', "'propagation.scale' is None"),
        ("max_weight = 6\nscale = 0.1", "'propagation.scale' is 0.1"),
        ("max_weight = 6\nsizes = [1]", "'sizes' is \\[1\\]"),
        ("max_weight = 6\ndepth = 3", "'propagation.depth' is not a field of \\[propagation\\]"),
        ("min_abs_coeff = 0.1", "'max_weight' is missing"),
    ],
)
def test_propagation_table_rules(tmp_path, table, message):
    text = VALID.replace("\n[claim]", f"\n[propagation]\n{table}\n\n[claim]", 1)
    with pytest.raises(CatalogError, match=message):
        load_entry(write(tmp_path, text))


def test_propagation_settings_load_and_draw_seeded_angles(tmp_path):
    text = VALID.replace(
        "\n[claim]",
        '\n[propagation]\nmax_weight = 4\nangles = "gaussian"\nscale = 0.1\nsizes = [32]\n'
        "\n[claim]",
        1,
    )
    p = load_entry(write(tmp_path, text)).propagation
    assert (p.max_weight, p.min_abs_coeff, p.angles, p.scale, p.sizes) == (
        4, 0.0, "gaussian", 0.1, (32,)
    )  # fmt: skip
    a, b = p.parameters(["x", "y"], seed=3), p.parameters(["x", "y"], seed=3)
    assert a == b and all(abs(v) < 1.0 for v in a.values())  # 10 standard deviations
    assert load_entry(write(tmp_path, VALID)).propagation is None
