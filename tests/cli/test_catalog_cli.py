"""``lie-sim catalog``: classify into a directory, rerun, compare, list, show, query."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lie_sim.cli import main
from tests.catalog.test_entries import VALID
from tests.catalog.test_pipeline import HEA


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalog")
    (root / "entries").mkdir()
    (root / "entries" / "tfim-open.toml").write_text(VALID)
    (root / "entries" / "hea-deep.toml").write_text(HEA)
    status = main(
        ["catalog", "classify", "--catalog", str(root / "entries"), "--out", str(root / "out")]
    )
    assert status == 0
    return root


def test_classify_writes_results_and_summary(classified):
    out = classified / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "SUMMARY.md",
        "hea-deep.json",
        "tfim-open.json",
    ]
    assert "| tfim-open | BP-free (small-dla) | n**2 |" in (out / "SUMMARY.md").read_text()


def test_rerun_reuses_fresh_results_and_compare_agrees(classified, capsys):
    entries, out = classified / "entries", classified / "out"
    status, text, _ = _run(
        capsys, "catalog", "classify", "--catalog", str(entries), "--out", str(out),
        "--compare", str(out),
    )  # fmt: skip
    assert status == 0
    assert "2 fresh results reused" in text and f"no difference from {out}" in text


def test_compare_reports_differences(classified, capsys, tmp_path):
    entries, out = classified / "entries", classified / "out"
    reference = tmp_path / "reference"
    reference.mkdir()
    for p in out.glob("*.json"):
        data = json.loads(p.read_text())
        if data["id"] == "hea-deep":
            data["sizes"][0]["dim"] = 14
        (reference / p.name).write_text(json.dumps(data))
    status, text, _ = _run(
        capsys, "catalog", "classify", "--catalog", str(entries), "--out", str(tmp_path / "new"),
        "--compare", str(reference), "--json",
    )  # fmt: skip
    assert status == 1
    assert json.loads(text)["differences"] == ["hea-deep: sizes[0].dim: 15 vs 14"]


def test_list_show_query(classified, capsys):
    out = str(classified / "out")
    status, text, _ = _run(capsys, "catalog", "list", "--results", out, "--json")
    assert status == 0 and [r["id"] for r in json.loads(text)] == ["hea-deep", "tfim-open"]
    status, text, _ = _run(capsys, "catalog", "show", "tfim-open", "--results", out)
    assert status == 0 and "g-sim simulable" in text and "qsim check n = 6: passed" in text
    status, text, _ = _run(
        capsys, "catalog", "query", "--results", out, "--growth", "exponential", "--json"
    )
    assert [r["id"] for r in json.loads(text)] == ["hea-deep"]
    status, text, _ = _run(capsys, "catalog", "query", "--results", out, "--family", "su")
    assert "hea-deep" in text and "tfim-open" in text
    status, text, _ = _run(capsys, "catalog", "query", "--results", out, "--agreement", "disagrees")
    assert text.strip() == "no entries match"


def test_bad_input(classified, capsys):
    out = str(classified / "out")
    status, _, err = _run(capsys, "catalog", "show", "tfim-opne", "--results", out)
    assert status == 2 and "did you mean tfim-open" in err
    status, _, err = _run(capsys, "catalog", "query", "--results", out, "--growth", "fast")
    assert status == 2 and "Unknown growth 'fast'" in err
    status, _, err = _run(
        capsys, "catalog", "classify", "nope", "--catalog", str(classified / "entries"),
        "--out", str(classified / "x"),
    )  # fmt: skip
    assert status == 2 and "Unknown catalog entry 'nope'" in err


def test_queries_never_import_cirq(classified):
    argv = ["catalog", "query", "--results", str(classified / "out"), "--route", "g-sim"]
    code = f"import sys; from lie_sim.cli import main; main({argv!r}); print('cirq' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
