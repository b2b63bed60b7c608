"""The classification pipeline on small entries: laws, verdicts, findings, executors, store."""

from __future__ import annotations

import json

import pytest

from lie_sim.catalog import pipeline, results
from lie_sim.catalog.entries import load_entry
from tests.catalog.test_entries import VALID

HEA = """\
id = "hea-deep"
name = "Deep hardware-efficient ansatz"
summary = "rx, ry and a CZ ladder per layer."
builder = "hardware_efficient"
builder_args = { layers = 2 }
tying = "per-gate"
observables = ["sum(i=0..n-1: Z{i})"]
initial_state = "0"
sizes = [2, 3, 4, 5]

[claim]
barren_plateau_free = false
mechanism = "none"
route = "none"
dla_dimension = "4**n - 1"

[[references]]
title = "Barren plateaus in quantum neural network training landscapes"
arxiv = "1803.11173"
"""


def _entry(tmp_path, text, name):
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace('id = "tfim-open"', f'id = "{name}"'))
    return load_entry(path)


@pytest.fixture(scope="module")
def tfim_result(tmp_path_factory):
    entry = _entry(tmp_path_factory.mktemp("cat"), VALID, "tfim-open")
    return pipeline.classify(entry).data


def test_polynomial_family_is_checked_and_simulable(tfim_result):
    """Uniform TFIM, open chain: n² (Wiersema et al., arXiv 2008.02941; Allcock et al.)."""
    r = tfim_result
    assert [s["dim"] for s in r["sizes"]] == [9, 16, 25, 36]
    assert r["growth"]["law"] == "n**2" and r["growth"]["kind"] == "polynomial"
    assert [c["n"] for c in r["qsim_checks"]] == [4, 5, 6]
    assert all(c["passed"] for c in r["qsim_checks"])
    assert [g["n"] for g in r["gsim_runs"]] == [64] and r["gsim_runs"][0]["finite"]
    assert r["verdict"]["simulable"] is True and r["verdict"]["route"] == "g-sim"
    assert "checked against qsim at n = 4, 5, 6" in r["verdict"]["text"]
    assert r["findings"] == []
    zz, energy = (o for o in r["sizes"][-1]["observables"])
    assert zz["in_algebra"] is False and zz["module_dim"] > 0
    assert energy["in_algebra"] is True and energy["variance"] > 0
    json.dumps(r)  # the result is JSON


def test_exponential_family_takes_the_literature_route(tmp_path):
    r = pipeline.classify(_entry(tmp_path, HEA, "hea-deep")).data
    assert r["growth"]["law"] == "4**n - 1"
    assert r["verdict"]["simulable"] is False
    assert r["verdict"]["text"].startswith("no Lie-algebraic route: DLA grows as 4**n - 1")
    assert r["qsim_checks"] == [] and r["gsim_runs"] == []


def test_disagreement_is_a_finding(tmp_path):
    text = VALID.replace('dla_dimension = "n**2"', 'dla_dimension = "n**2 + 1"').replace(
        "gsim_sizes = [64]\n", ""
    )
    result = pipeline.classify(_entry(tmp_path, text, "tfim-wrong"))
    assert result.id == "tfim-wrong" and result.findings and "tfim-wrong" in repr(result)
    r = result.data
    assert any(
        "n = 4: measured DLA dimension 16, the literature's formula n**2 + 1 gives 17" in f
        for f in r["findings"]
    )
    assert r["verdict"]["simulable"] is None  # no large g-sim run: incomplete, not a yes


def test_builder_errors_are_recorded_and_others_finish(tmp_path):
    bad = _entry(tmp_path, VALID.replace("layers = 2", "layers = 0"), "tfim-bad")
    good = _entry(tmp_path, HEA, "hea-deep")
    out = {r["id"]: r for r in pipeline.classify_entries([bad, good])}
    assert set(out) == {"tfim-bad", "hea-deep"}
    assert all("layers" in s["error"] for s in out["tfim-bad"]["sizes"])
    assert any("n = 3: the analysis failed" in f for f in out["tfim-bad"]["findings"])
    assert out["hea-deep"]["growth"]["law"] == "4**n - 1"


def test_process_pool_gives_the_same_results(tmp_path, tfim_result):
    entry = _entry(tmp_path, VALID, "tfim-open")
    with pipeline.local_executor(2) as executor:
        r = pipeline.classify(entry, executor=executor).data
    assert results.compare([r], [tfim_result]) == []


def test_dask_local_cluster_gives_the_same_results(tmp_path, tfim_result):
    distributed = pytest.importorskip("distributed")
    entry = _entry(tmp_path, VALID, "tfim-open")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        with distributed.Client(cluster) as client:
            r = pipeline.classify(entry, executor=client.get_executor()).data
    assert results.compare([r], [tfim_result]) == []


def test_store_freshness_and_compare(tmp_path, tfim_result):
    out = tmp_path / "results"
    results.write_json(results.result_path(out, "tfim-open"), tfim_result)
    version = tfim_result["lie_sim_version"]
    assert results.is_fresh(out, "tfim-open", tfim_result["entry_sha256"], version)
    assert not results.is_fresh(out, "tfim-open", "0" * 64, version)
    assert not results.is_fresh(out, "tfim-open", tfim_result["entry_sha256"], "0.0.0")
    assert not list(out.glob("*.tmp"))
    changed = json.loads(json.dumps(tfim_result))
    changed["sizes"][1]["dim"] = 17
    changed["sizes"][1]["seconds"] = 99.0  # timings never count
    assert results.compare([changed], [tfim_result]) == ["tfim-open: sizes[1].dim: 17 vs 16"]
    assert results.compare([], [tfim_result]) == ["tfim-open: in the reference only"]
    table = results.summary_markdown([tfim_result])
    assert "| tfim-open | BP-free (small-dla) | n**2 | polynomial |" in table


def test_an_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "results"
    results.write_json(out / "a.json", {"id": "a"})

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(json, "dump", boom)
    with pytest.raises(KeyboardInterrupt):
        results.write_json(out / "a.json", {"id": "a", "more": 1})
    assert json.loads((out / "a.json").read_text()) == {"id": "a"}
    assert sorted(p.name for p in out.iterdir()) == ["a.json"]


def test_growth_falls_back_on_a_confirmed_literature_formula():
    """Per-bond Heisenberg: C_n − ⌊n/2⌋ (Marvian, arXiv 2003.05524) fits no polynomial or
    a·b^n + c; the stated formula gives every measured dimension and outgrows n^12."""
    from lie_sim.catalog.architectures import heisenberg_bonds_dimension

    sizes = [{"n": n, "dim": heisenberg_bonds_dimension(n)} for n in range(3, 9)]
    assert pipeline.growth(sizes)["kind"] == "undetermined"
    law = pipeline.growth(sizes, "catalan(n) - floor(n/2)")
    assert law["kind"] == "exponential" and law["source"] == "literature formula"
    assert pipeline.growth(sizes, "catalan(n)")["kind"] == "undetermined"  # does not fit
    square = [{"n": n, "dim": n * n} for n in range(3, 7)]
    assert pipeline.growth(square)["law"] == "n**2"


def test_pauli_propagation_route(tmp_path):
    """Two layers of the hardware-efficient ansatz: su(2^n), but the light cone of
    Σ Z_i is small, so propagation at max weight 8 drops nothing (checked against qsim);
    at max weight 1 the truncation bound is the honest answer: no route found."""
    exact = HEA.replace("\n[claim]", "\n[propagation]\nmax_weight = 8\nsizes = [24]\n\n[claim]")
    r = pipeline.classify(_entry(tmp_path, exact, "hea-deep")).data
    runs = r["propagation_runs"]
    assert [run["n"] for run in runs] == [3, 4, 5, 24]
    for run in runs[:3]:
        (o,) = run["observables"]
        assert o["bound"] == 0 and o["within_bound"] and o["error"] <= 1e-5
    assert r["verdict"]["simulable"] is True and r["verdict"]["route"] == "pauli-propagation"
    assert "exact: nothing dropped" in r["verdict"]["text"]
    assert "checked against qsim at n = 3, 4, 5, run at n = 24" in r["verdict"]["text"]
    assert results.summary_rows([r])[0]["verdict"] == "PP simulable"

    cut = exact.replace("max_weight = 8", "max_weight = 1")
    r = pipeline.classify(_entry(tmp_path, cut, "hea-deep")).data
    for run in r["propagation_runs"][:3]:
        (o,) = run["observables"]
        assert o["bound"] > 0 and o["within_bound"]  # the true error stays within the bound
    assert r["verdict"]["simulable"] is False
    assert r["verdict"]["text"].startswith("no route found: the DLA grows as 4**n - 1")
    assert "error bound reaches" in r["verdict"]["text"]


def test_a_conserved_observable_has_variance_exactly_zero():
    """Σ Z_i commutes with the XY mixer (it spans the centre): its loss never changes, and the
    float rounding of that zero (about 1e-32) is reported as 0, so no scaling law is fitted
    on noise."""
    import cirq

    from lie_sim.catalog.circuits import xy_mixer
    from lie_sim.pauli.paulis import parse_pauli_sum

    sizes = []
    for n in (3, 4, 5):
        total = parse_pauli_sum(" + ".join(f"Z{i}" for i in range(n)))
        result = pipeline.analyse_size(
            xy_mixer(n, 2), [total, parse_pauli_sum("Z0")], ("10" * n)[:n], pipeline.Options(),
            qubits=cirq.LineQubit.range(n),
        )  # fmt: skip
        conserved, local = result["observables"]
        assert conserved["variance"] == 0.0 and conserved["variance_note"].startswith("zero")
        assert local["variance"] > 0.1
        sizes.append({"n": n, **result})
    assert pipeline.variance_scaling(sizes, 0) is None
    assert pipeline.variance_scaling(sizes, 1) is not None
