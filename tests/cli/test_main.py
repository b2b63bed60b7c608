"""The lie-sim command line: tables, JSON, and one-line errors with exit status 2."""

import json

import pytest

from lie_sim.cli import main, parse_range


def test_dla_table(capsys):
    assert main(["dla", "X0 X1", "Z0", "Z1"]) == 0
    out = capsys.readouterr().out
    assert "dimension  6  (exact" in out and "Y0 Y1" in out


def test_dla_json(capsys):
    assert main(["dla", "Z0 Z1 + Z1 Z2", "X0 + X1 + X2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dim"] == 9 and doc["exact"] is True and len(doc["basis"]) == 9
    assert {"dim", "exact", "basis"} <= set(doc)


@pytest.mark.parametrize(
    "argv, match",
    [
        (["dla", "X0 Q1"], "Cannot parse Pauli term"),
        (["dla", "X0 + 1j Z0"], "mixes real and complex"),
        (["dla"], "no generators given"),
        (["dla", "I"], "multiple of the identity"),
        (["dla", "X0", "Y0", "Z0", "X1", "Z1", "--max-dim", "5"], "exceeded max_dim=5"),
        (["families", "--n", "x"], "--n must look like"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys, argv, match):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and "Traceback" not in err and err.count("\n") == 1


def test_families_checks_known_dimensions(capsys):
    assert main(["families", "--n", "3:4", "--family", "tfim_open", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["n"], r["dim"], r["ok"]) for r in rows] == [(3, 9, True), (4, 16, True)]


def test_parse_range():
    assert parse_range("3:5") == range(3, 6) and parse_range("4") == range(4, 5)
    with pytest.raises(ValueError, match="empty"):
        parse_range("5:3")
