"""Reports: the numbers behind every figure (CSV and JSON), not the pixels.

Ground truth: the DLA dimensions of the free-fermion families (n² for the XY mixer on an open
chain, Kökcü et al., Phys. Rev. A 105, 032420 (2022); 2n² − n for matchgate brickwork,
so(2n), Wiersema et al., PRX Quantum 1, 020319 (2020)), the variance of Ragone et al.
(Nat. Commun. 15, 7172 (2024), Theorem 1) against sampling, and qsim.
"""

from __future__ import annotations

import csv
import json
import sys

import cirq
import numpy as np
import pytest
import sympy

from lie_sim.catalog import find, load
from lie_sim.catalog.report import CircuitFamily, ReportError, ReportOptions, report
from lie_sim.catalog.sampling import variance_estimate
from lie_sim.circuits.extraction import extract_generators
from lie_sim.errors import BuilderError, ObservableError
from tests.reference import dense_lie_closure

FAST = ReportOptions(samples=2000, sample_seconds=60.0, qsim_points=2)


def _csv(path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def zz_x_staggered(n: int) -> cirq.Circuit:
    """Not in the catalog: one layer of Σ Z_i Z_{i+1} (shared symbol), then x rotations with
    a symbol on even and one on odd sites, twice."""
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(2):
        g = sympy.Symbol(f"g{layer}")
        circuit += (cirq.ZZPowGate(exponent=g).on(q[i], q[i + 1]) for i in range(n - 1))
        for parity in (0, 1):
            b = sympy.Symbol(f"b{layer}_{parity}")
            circuit += (cirq.rx(b).on(q[i]) for i in range(parity, n, 2))
    return circuit


@pytest.fixture(scope="module")
def matchgate(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "matchgate"
    family = CircuitFamily.from_entry(find(load(), "matchgate-brickwork-open"))  # Z0 on |10…⟩
    return report(family, range(3, 7), out, options=FAST, progress=False)


def test_growth_law_of_a_known_family(matchgate):
    sizes = _csv(matchgate.directory / "data" / "sizes.csv")
    assert [(int(r["n"]), int(r["dim"])) for r in sizes] == [
        (n, 2 * n * n - n) for n in range(3, 7)
    ]
    data = json.loads((matchgate.directory / "data" / "report.json").read_text())
    assert data["growth"]["law"] == "2*n**2 - n"
    assert data["growth"]["kind"] == "polynomial"
    assert data["growth"]["type"].startswith("so(2n)")


def test_sampled_variance_within_three_standard_errors(matchgate):
    rows = _csv(matchgate.directory / "data" / "variance.csv")
    assert [int(r["n"]) for r in rows] == [3, 4, 5, 6]
    for r in rows:
        assert r["simulator"] == "g-sim" and r["deep_enough"] == "True"
        assert int(r["samples"]) == 2000
        predicted, sampled, se = (
            float(r["predicted_variance"]), float(r["sampled_variance"]), float(r["variance_se"])
        )  # fmt: skip
        # Z0 lies in so(2n): Var = P_g(ρ)·P_g(O)/dim g = 1/(2n - 1) here
        assert predicted == pytest.approx(1 / (2 * int(r["n"]) - 1), rel=1e-9)
        assert abs(sampled - predicted) <= 3 * se, r


def test_gsim_agrees_with_qsim(matchgate):
    rows = _csv(matchgate.directory / "data" / "gsim_vs_qsim.csv")
    assert [int(r["n"]) for r in rows] == [3, 4, 5, 6]
    assert max(float(r["max_value_error"]) for r in rows) <= 1e-5
    assert max(float(r["max_gradient_error"]) for r in rows) <= 1e-4
    assert matchgate.verdict["simulable"] is True
    assert "agrees with qsim at n = 3, 4, 5, 6" in matchgate.verdict["text"]


def test_loss_samples_and_markdown(matchgate):
    rows = _csv(matchgate.directory / "data" / "loss_samples.csv")
    values = np.array([float(r["loss"]) for r in rows])
    assert len(values) == 2000 and {r["n"] for r in rows} == {"6"}
    variance = _csv(matchgate.directory / "data" / "variance.csv")[-1]
    assert float(variance["sampled_variance"]) == pytest.approx(values.var(ddof=1), rel=1e-12)
    text = (matchgate.directory / "report.md").read_text()
    for part in ("Verdict:", "2*n^2 - n", "data/report.json", "Command:", "Seeds:"):
        assert part in text


def test_a_family_outside_the_catalog(tmp_path):
    """Σ ZZ + staggered X: the figures' data for a family the catalog does not hold."""
    family = CircuitFamily("zz_x_staggered", zz_x_staggered, "sum(i=0..n-1: X{i})", state="0")
    r = report(family, [3, 4, 5, 6], tmp_path / "r", options=FAST, progress=False)
    dims = [s["dim"] for s in r.data["sizes"]]
    for n, dim in zip([3, 4], dims, strict=False):  # dense brute force on the generators
        qubits = cirq.LineQubit.range(n)
        hamiltonians = [g.pauli_sum.matrix(qubits) for g in extract_generators(zz_x_staggered(n))]
        assert dim == len(dense_lie_closure(hamiltonians))
    for row in r.data["sampling"]:
        if row.get("z_score") is not None:
            assert abs(row["z_score"]) <= 3
    assert all(t["max_value_error"] <= 1e-5 for t in r.data["timing"])


def test_variance_standard_error_matches_the_spread_of_estimates():
    """The standard error from the fourth moment equals the spread of s² over repeats."""
    rng = np.random.default_rng(7)
    draws = rng.uniform(-1, 1, (400, 500))  # uniform: excess kurtosis −1.2
    estimates = [variance_estimate(d) for d in draws]
    spread = np.std([e.variance for e in estimates])
    se = np.mean([e.variance_se for e in estimates])
    assert se == pytest.approx(spread, rel=0.15)
    assert np.mean([e.excess_kurtosis for e in estimates]) == pytest.approx(-1.2, abs=0.05)


# ----------------------------------------------------------------------------------------
# Budgets, bad input, files


def test_dimension_budget_reports_the_largest_n_reached(tmp_path):
    family = CircuitFamily.from_entry(find(load(), "hea-deep-random-init"))  # 4^n - 1
    r = report(
        family, range(2, 30), tmp_path / "r", options=ReportOptions(max_dim=300, samples=200),
        progress=False,
    )  # fmt: skip
    assert [s["n"] for s in r.data["sizes"]] == [2, 3, 4, 5]
    assert r.data["stopped"]["n"] == 5
    assert "ends at n = 4" in r.data["stopped"]["reason"]


def test_time_budget_reports_the_largest_n_reached(tmp_path):
    family = CircuitFamily.from_entry(find(load(), "xy-mixer-open"))
    options = ReportOptions(analysis_seconds=0.0, samples=100)
    r = report(family, range(3, 40), tmp_path / "r", options=options, progress=False)
    assert [s["n"] for s in r.data["sizes"]] == [3]  # the first size always runs
    assert r.data["stopped"]["n"] == 4 and "time budget" in r.data["stopped"]["reason"]
    assert "it ends at n = 3" in (r.directory / "report.md").read_text()


def test_family_errors_name_the_family_and_n(tmp_path):
    def broken(n):
        if n == 4:
            raise RuntimeError("no such lattice")
        return zz_x_staggered(n)

    with pytest.raises(BuilderError, match=r"broken\(n=4\) raised RuntimeError: no such"):
        report(
            CircuitFamily("broken", broken, "Z0"),
            [3, 4],
            tmp_path / "a",
            options=FAST,
            progress=False,
        )
    assert not (tmp_path / "a").exists()
    assert list(tmp_path.iterdir()) == []  # no half-written or temporary directory left
    with pytest.raises(BuilderError, match=r"listy\(n=3\) returned a list; it must return a"):
        report(CircuitFamily("listy", lambda n: [], "Z0"), [3], tmp_path / "b", progress=False)


def test_bad_input_before_any_work(tmp_path):
    family = CircuitFamily("zz", zz_x_staggered, "Z0")
    with pytest.raises(ReportError, match="range of n is empty"):
        report(family, [], tmp_path / "a", progress=False)
    with pytest.raises(ReportError, match="increasing"):
        report(family, [5, 4], tmp_path / "a", progress=False)
    with pytest.raises(ReportError, match="state 'x0'"):
        report(CircuitFamily("zz", zz_x_staggered, "Z0", state="x0"), [3], tmp_path / "a")
    with pytest.raises(ObservableError, match=r"acts on qubit index 5, but family zz\(n=3\) has 3"):
        report(CircuitFamily("zz", zz_x_staggered, "Z5"), [3], tmp_path / "a", progress=False)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(ReportError, match="exists and is not empty.*--force"):
        report(family, [3], busy, progress=False)
    assert (busy / "keep.txt").read_text() == "mine"
    r = report(family, [3], busy, force=True, options=FAST, progress=False)
    assert not (busy / "keep.txt").exists() and (r.directory / "report.md").exists()


def test_without_matplotlib_the_data_and_markdown_are_written(tmp_path, monkeypatch, capsys):
    from lie_sim.cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises
    status = main(
        [
            "catalog",
            "report",
            "xy-mixer-open",
            "--n",
            "3:4",
            "--out",
            str(tmp_path / "r"),
            "--samples",
            "200",
        ]  # fmt: skip
    )
    out, err = capsys.readouterr()
    assert status == 0
    assert "matplotlib is not installed" in out and "lie_sim[plots]" in out
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["data", "report.md"]
    assert "matplotlib is not installed" in (tmp_path / "r" / "report.md").read_text()
    assert "report: analyse n = 3" in err  # progress on stderr


def test_figures_are_drawn_with_matplotlib(matchgate):
    pytest.importorskip("matplotlib")
    names = {p.name for p in matchgate.directory.iterdir()}
    assert {"dimension.png", "variance.png", "loss_distribution.png", "gsim_vs_qsim.png"} <= names
    for name in ("dimension.png", "variance.png"):
        assert (matchgate.directory / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_report_of_a_module_function(tmp_path, capsys, monkeypatch):
    from lie_sim.cli import main

    status = main(
        [
            "report",
            "--family",
            "tests.catalog.test_report:zz_x_staggered",
            "--observable",
            "Z{n-1}",
            "--n",
            "3,4",
            "--out",
            str(tmp_path / "r"),
            "--samples",
            "200",
            "--json",
            "--quiet",
        ]  # fmt: skip
    )
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    doc = json.loads(out)
    assert doc["family"] == "tests.catalog.test_report:zz_x_staggered"
    assert doc["report"].endswith("report.md")
    status = main(["report", "--family", "tests.catalog.test_report:nothing", "--observable",
                   "Z0", "--n", "3", "--out", str(tmp_path / "s")])  # fmt: skip
    assert status == 2
    assert "has no function 'nothing'" in capsys.readouterr().err


def test_a_classification_failure_is_recorded_and_the_report_goes_on(tmp_path, monkeypatch):
    """The root-system analysis can fail its checks (an explicit ClassificationError, seen
    for the TFIM HVA at n = 16); that size keeps its dimension and loses its type."""
    from lie_sim.algebra import structure
    from lie_sim.errors import ClassificationError

    real = structure.decompose

    def failing(dla):
        if dla.num_qubits == 4:
            raise ClassificationError("failed its checks 4 times")
        return real(dla)

    monkeypatch.setattr(structure, "decompose", failing)
    family = CircuitFamily.from_entry(find(load(), "xy-mixer-open"))
    r = report(family, [3, 4, 5], tmp_path / "r", options=FAST, progress=False)
    four = r.data["sizes"][1]
    assert four["dim"] == 16 and four["type"] is None and "failed its checks" in four["type_error"]
    assert "failed its checks" in four["observables"][0]["variance_note"]
    assert [s["type"] for s in r.data["sizes"]][::2] == ["su(3) ⊕ u(1)", "su(5) ⊕ u(1)"]
    assert "At n = 4 the type is unknown" in (r.directory / "report.md").read_text()
