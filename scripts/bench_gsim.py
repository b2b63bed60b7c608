"""Benchmark lie_sim's g-sim beside qsim and a dense-``expm`` g-sim on the same circuits.

Prints one table. Rows: the free-fermion (matchgate) brickwork of depth n
(:func:`lie_sim.catalog.circuits.matchgate_brickwork` with ``layers = n``; its algebra is
so(2n), of dimension n(2n − 1)) for n = 12 … 28, observables ``Z0`` and ``X0 X1``, seeded
uniform parameters in [−1, 1]; then two scale rows (n = 256 and 1,024, 10 layers) that only
lie_sim can run, each in a fresh interpreter that reports its peak resident memory.

Columns: lie_sim's build (``build_gsim``), one ``simulate_expectation_values`` call, one
``expectation_values_and_gradients`` call; the peers' value times; qsim's value time over
lie_sim's (per evaluation, build excluded); the largest difference from qsim's values.

Peers, each in a forked child with a time cap:

* qsim (``qsimcirq.QSimSimulator`` with ``--qsim-threads`` CPU threads, default 2,
  ``simulate_expectation_values``), warmed up on a tiny circuit in the child before the timed
  call; its state vector is complex64, so agreement is to ~1e-6. With 2 threads on a 2-CPU
  machine where another process is busy, qsim's OpenMP threads wait on each other and a call
  takes ~17x longer (3.1 s against 0.18 s with 1 thread, n = 20): the speed-ups are only
  meaningful with the load line under the table near 1 or below, or with ``--qsim-threads 1``.
* A dense g-sim of the kind in PennyLane's g-sim demo (https://pennylane.ai/qml/demos/
  tutorial_liesim): the (d, d, d) structure constants of the Pauli-string basis as one dense
  array, each gate's adjoint representation ``ad_H`` as a dense d × d matrix summed from its
  slices, and ``e ← expm(−θ ad_H) e`` per gate with ``scipy.linalg.expm``. It reads the same
  generators (:func:`lie_sim.circuits.extraction.extract_observables`) and is checked against
  lie_sim to 1e-8 on the smallest n. Skipped where the structure constants would exceed
  ``--dense-max-gb`` or the child runs past ``--dense-timeout``. Its value time excludes
  building the structure constants (a note line gives that time).

    python scripts/bench_gsim.py                 # all rows (several minutes; n = 28 qsim ~2 GiB)
    python scripts/bench_gsim.py --quick         # n = 12, 16; no scale rows
    python scripts/bench_gsim.py --no-scale --blas-threads 1
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import cirq
import numpy as np
from peer import bench_parser, blas_threads, run_in_child, table_columns

from lie_sim.catalog.circuits import matchgate_brickwork
from lie_sim.circuits.extraction import extract_observables
from lie_sim.cli import format_table
from lie_sim.pauli.paulis import PauliSum, PauliWord, masks_product
from lie_sim.simulate.gsim import build_gsim

SIZES = [12, 16, 20, 24, 28]
QUICK_SIZES = [12, 16]
# (n, layers, target seconds, what the target counts): build + one value call at n = 256;
# build + one value call + one value-and-gradient call at n = 1,024.
SCALE = [(256, 10, 20.0, ("build", "value")), (1024, 10, 120.0, ("build", "value", "grad"))]
DASH = "—"
ATOL = 1e-8  # dense-expm peer against lie_sim on the smallest n


def observables(n: int) -> list[cirq.PauliString]:
    q = cirq.LineQubit.range(n)
    return [cirq.Z(q[0]), cirq.X(q[0]) * cirq.X(q[1])]


def parameters(names, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    return {name: float(rng.uniform(-1, 1)) for name in names}


# ------------------------------------------------------------------------------ lie_sim


def run_lie_sim(circuit: cirq.Circuit, obs: list, seed: int) -> dict:
    """Times of build, one value call and one value-and-gradient call, and the values."""
    start = time.perf_counter()
    sim = build_gsim(circuit, obs)
    built = time.perf_counter()
    params = parameters(sim.parameter_names, seed)
    values = sim.simulate_expectation_values(params)
    valued = time.perf_counter()
    sim.expectation_values_and_gradients(params)
    graded = time.perf_counter()
    return {
        "sim": sim,
        "params": params,
        "values": np.array(values),
        "build": built - start,
        "value": valued - built,
        "grad": graded - valued,
    }


# VmHWM is the peak resident memory of this process's own address space (ru_maxrss would
# carry the parent's peak across fork and exec).
_FRESH_PROCESS = """
import json, re, sys, time
import cirq, numpy as np
from lie_sim.catalog.circuits import matchgate_brickwork
from lie_sim.simulate.gsim import build_gsim
n, layers, seed = (int(a) for a in sys.argv[1:4])
q = cirq.LineQubit.range(n)
circuit = matchgate_brickwork(n, layers=layers)
start = time.perf_counter()
sim = build_gsim(circuit, [cirq.Z(q[0]), cirq.X(q[0]) * cirq.X(q[1])])
built = time.perf_counter()
rng = np.random.default_rng(seed)
params = {name: float(rng.uniform(-1, 1)) for name in sim.parameter_names}
sim.simulate_expectation_values(params)
valued = time.perf_counter()
sim.expectation_values_and_gradients(params)
graded = time.perf_counter()
with open("/proc/self/status") as f:
    peak_kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))
print(json.dumps({"dim": sim.dim, "build": built - start, "value": valued - built,
                  "grad": graded - valued, "peak": peak_kib * 1024}))
"""


def run_scale_row(n: int, layers: int, seed: int, blas: int | None) -> dict:
    """lie_sim alone in a new interpreter, so the peak memory is its own."""
    env = dict(os.environ)
    if blas is not None:
        env.update({v: str(blas) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")})
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, str(n), str(layers), str(seed)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(done.stdout.splitlines()[-1])


# ------------------------------------------------------------------------------ qsim


def _qsim_worker(circuit: cirq.Circuit, obs: list, params: dict, threads: int, queue) -> None:
    import qsimcirq

    options = qsimcirq.QSimOptions(cpu_threads=threads)
    simulator = qsimcirq.QSimSimulator(qsim_options=options)
    q = cirq.LineQubit.range(2)
    simulator.simulate_expectation_values(cirq.Circuit(cirq.H(q[0]), cirq.CNOT(*q)), [cirq.Z(q[1])])
    start = time.perf_counter()
    values = simulator.simulate_expectation_values(circuit, obs, cirq.ParamResolver(params))
    queue.put(([complex(v).real for v in values], time.perf_counter() - start))


def qsim_available() -> bool:
    try:
        import qsimcirq  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------------------ dense expm


def structure_constants(words: list[PauliWord]) -> np.ndarray:
    """``f[a, c, b]``: the coefficient of ``P_c`` in ``i[P_a, P_b]``, as one dense array.

    For Pauli strings, ``i[P, Q] = 2i·PQ = ±2 R`` when P and Q anticommute (``PQ = i^k R``
    with k odd) and 0 otherwise.
    """
    d = len(words)
    index = {w: c for c, w in enumerate(words)}
    f = np.zeros((d, d, d))
    for a, p in enumerate(words):
        for b, q in enumerate(words):
            k, x, z = masks_product(p.x, p.z, q.x, q.z)
            if k % 2:  # anticommuting: i·i^k = −1 for k = 1, +1 for k = 3
                f[a, index[PauliWord(x, z)], b] = 2.0 if k == 3 else -2.0
    return f


def dense_inputs(circuit: cirq.Circuit, obs: list, sim, params: dict) -> dict:
    """Everything the dense peer needs as plain arrays, in the basis of ``sim.algebra``."""
    extraction, images = extract_observables(
        circuit, [cirq.PauliSum.wrap(o) for o in obs], qubits=sim.qubits
    )
    words = [b.terms[0][0] for b in sim.algebra.basis]
    index = {w: c for c, w in enumerate(words)}
    gates = []
    for g in extraction.generators:
        terms = PauliSum.from_cirq(cirq.PauliSum.from_pauli_strings(g.terms), sim.qubits).terms
        gates.append(
            (
                params[str(g.symbol)],
                np.array([index[w] for w, _ in terms]),
                np.array([complex(c).real for _, c in terms]),
            )
        )
    weights = np.zeros((len(obs), len(words)))
    constants = np.zeros(len(obs))
    for j, (strings, _) in enumerate(images):
        for w, c in PauliSum.from_cirq(cirq.PauliSum.from_pauli_strings(strings), sim.qubits).terms:
            if w == PauliWord():
                constants[j] += complex(c).real
            else:
                weights[j, index[w]] += complex(c).real
    initial = np.array([1.0 if w.x == 0 else 0.0 for w in words])  # ⟨0…0|P|0…0⟩
    return {
        "words": words,
        "gates": gates,
        "weights": weights,
        "constants": constants,
        "initial": initial,
    }


def dense_expm_values(f: np.ndarray, inputs: dict) -> np.ndarray:
    """``⟨O_j⟩`` by ``e ← expm(−θ ad_H) e`` per gate, ``ad_H = Σ c_a f[a]`` densely."""
    from scipy.linalg import expm

    e = inputs["initial"].copy()
    for theta, idx, coef in inputs["gates"]:
        ad = np.tensordot(coef, f[idx], axes=1)
        e = expm(-theta * ad) @ e
    return inputs["constants"] + inputs["weights"] @ e


def _dense_worker(inputs: dict, queue) -> None:
    start = time.perf_counter()
    f = structure_constants(inputs["words"])
    built = time.perf_counter()
    values = dense_expm_values(f, inputs)
    queue.put((values.tolist(), built - start, time.perf_counter() - built))


def check_dense_peer(n: int = 4, layers: int = 2, seed: int = 0) -> float:
    """The dense-expm peer's largest difference from lie_sim on a small brickwork.

    Raises:
        AssertionError: the difference is above ``ATOL`` (the peer would be wrong).
    """
    circuit, obs = matchgate_brickwork(n, layers=layers), observables(n)
    sim = build_gsim(circuit, obs)
    params = parameters(sim.parameter_names, seed)
    inputs = dense_inputs(circuit, obs, sim, params)
    dense = dense_expm_values(structure_constants(inputs["words"]), inputs)
    error = float(np.max(np.abs(dense - np.array(sim.simulate_expectation_values(params)))))
    assert error <= ATOL, f"dense-expm peer disagrees with lie_sim at n={n}: {error:.2e}"
    return error


def dense_gb(d: int) -> float:
    return d**3 * 8 / 1e9


# ------------------------------------------------------------------------------ table


def brickwork_row(n: int, args, *, qsim: bool, dense: bool, notes: list[str]) -> dict:
    circuit = matchgate_brickwork(n, layers=n)
    obs = observables(n)
    ours = run_lie_sim(circuit, obs, args.seed)
    sim = ours["sim"]
    row = {
        "n": n,
        "layers": n,
        "dim g": sim.dim,
        "lie_sim build s": f"{ours['build']:.3f}",
        "lie_sim value s": f"{ours['value']:.4f}",
        "lie_sim value+grad s": f"{ours['grad']:.4f}",
        "qsim value s": DASH,
        "dense-expm value s": DASH,
        "speed-up vs qsim": DASH,
        "max |lie_sim − qsim|": DASH,
        "_value": ours["value"],
        "_build": ours["build"],
    }
    if qsim:
        result, status = run_in_child(
            _qsim_worker, (circuit, obs, ours["params"], args.qsim_threads), args.qsim_timeout
        )
        if result is None:
            row["qsim value s"] = status
        else:
            values, seconds = result
            row["qsim value s"] = f"{seconds:.3f}"
            row["speed-up vs qsim"] = f"{seconds / ours['value']:.1f}x"
            row["max |lie_sim − qsim|"] = f"{np.max(np.abs(np.array(values) - ours['values'])):.1e}"
            row["_qsim"] = seconds
    if dense:
        row["dense-expm value s"] = _dense_cell(circuit, obs, ours, args, notes, n)
    return row


def _dense_cell(circuit, obs, ours: dict, args, notes: list[str], n: int) -> str:
    sim = ours["sim"]
    if not sim.algebra.is_pauli_string_basis or sim.working_dim != sim.dim:
        notes.append(f"dense-expm n={n}: needs a Pauli-string algebra holding the observables")
        return DASH
    if dense_gb(sim.dim) > args.dense_max_gb:
        notes.append(
            f"dense-expm n={n}: skipped, structure constants d³·8 B = {dense_gb(sim.dim):.1f} GB "
            f"> {args.dense_max_gb:g} GB (d = {sim.dim})"
        )
        return DASH
    if args.dense_gave_up:
        notes.append(f"dense-expm n={n}: skipped ({args.dense_gave_up})")
        return DASH
    inputs = dense_inputs(circuit, obs, sim, ours["params"])
    result, status = run_in_child(_dense_worker, (inputs,), args.dense_timeout)
    if result is None:
        notes.append(f"dense-expm n={n}: {status} (time cap --dense-timeout)")
        args.dense_gave_up = f"{status} at n={n}"
        return DASH
    values, build, seconds = result
    error = float(np.max(np.abs(np.array(values) - ours["values"])))
    notes.append(
        f"dense-expm n={n}: structure constants built in {build:.2f} s; "
        f"max |dense − lie_sim| = {error:.1e}"
    )
    if n == args.smallest:
        assert error <= ATOL, f"dense-expm peer disagrees with lie_sim at n={n}: {error:.2e}"
    return f"{seconds:.3f}" if error <= ATOL else f"{seconds:.3f} WRONG"


def scale_row(n: int, layers: int, seed: int, blas: int | None) -> dict:
    result = run_scale_row(n, layers, seed, blas)
    return {
        "n": n,
        "layers": layers,
        "dim g": result["dim"],
        "lie_sim build s": f"{result['build']:.2f}",
        "lie_sim value s": f"{result['value']:.3f}",
        "lie_sim value+grad s": f"{result['grad']:.3f}",
        "qsim value s": DASH,
        "dense-expm value s": DASH,
        "speed-up vs qsim": DASH,
        "max |lie_sim − qsim|": DASH,
        "lie_sim peak GiB": f"{result['peak'] / 2**30:.2f}",
        "_seconds": result,
    }


def speed_target(rows: list[dict]) -> str:
    """'lie_sim faster than qsim from n ≈ 16; ≥ 100× at n = 28' with PASS/FAIL."""
    timed = {r["n"]: r["_qsim"] / r["_value"] for r in rows if "_qsim" in r}
    claim = "target: lie_sim faster than qsim from n ≈ 16; ≥ 100× at n = 28"
    if 28 not in timed or not any(n >= 16 for n in timed):
        return f"{claim}: not measured (needs qsim rows up to n = 28)"
    faster = all(s > 1 for n, s in timed.items() if n >= 16)
    ok = faster and timed[28] >= 100
    return f"{claim}: {'PASS' if ok else 'FAIL'} (×{timed[28]:.0f} at n = 28)"


def scale_targets(rows: list[dict]) -> list[str]:
    names = {"build": "build", "value": "value", "grad": "value-and-gradient"}
    lines = []
    for r in rows:
        for n, layers, limit, parts in SCALE:
            if "_seconds" in r and r["n"] == n:
                seconds = sum(r["_seconds"][p] for p in parts)
                verdict = "PASS" if seconds < limit else "FAIL"
                lines.append(
                    f"target: n = {n:,}, {layers} layers, {' + '.join(names[p] for p in parts)}"
                    f" < {limit:g} s: {verdict} ({seconds:.1f} s; peak "
                    f"{r['lie_sim peak GiB']} GiB)"
                )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--no-scale", action="store_true", help="skip the n = 256, 1,024 rows")
    parser.add_argument("--seed", type=int, default=0, help="parameter seed")
    parser.add_argument("--qsim-timeout", type=float, default=900.0, help="seconds per qsim row")
    parser.add_argument(
        "--qsim-threads", type=int, default=2, help="qsim's cpu_threads (1 on a busy machine)"
    )
    parser.add_argument(
        "--dense-timeout", type=float, default=120.0, help="seconds per dense-expm row"
    )
    parser.add_argument(
        "--dense-max-gb", type=float, default=4.0, help="largest dense structure-constant array"
    )
    parser.add_argument("--n", type=int, action="append", help="brickwork sizes (repeatable)")
    args = parser.parse_args(argv)
    sizes = args.n or (QUICK_SIZES if args.quick else SIZES)
    args.smallest = min(sizes)
    args.dense_gave_up = ""  # set once the dense peer runs past its cap; larger n are skipped
    qsim = not args.no_peer and qsim_available()
    rows, notes = [], []
    if not args.no_peer and not qsim:
        notes.append("qsimcirq is not installed; its columns are empty")
    load = os.getloadavg()[0]
    with blas_threads(args.blas_threads):
        if not args.no_peer:
            error = check_dense_peer()
            notes.append(f"dense-expm peer checked against lie_sim at n=4: {error:.1e}")
        for n in sizes:
            rows.append(brickwork_row(n, args, qsim=qsim, dense=not args.no_peer, notes=notes))
            _progress(rows[-1])
        if not (args.quick or args.no_scale):
            for n, layers, _, _ in SCALE:
                rows.append(scale_row(n, layers, args.seed, args.blas_threads))
                _progress(rows[-1])
    wrong = any("WRONG" in str(v) for r in rows for v in r.values())
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]))
        return int(wrong)
    print(format_table(rows, table_columns(rows)))
    print(
        "speed-up = qsim value s / lie_sim value s (per evaluation; lie_sim's build is a "
        "one-off per circuit and observables)"
    )
    print(
        f"load average (1 min) {load:.1f} before, {os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} CPUs; qsim ran with {args.qsim_threads} thread(s), and with 2 "
        "threads it slows ~17x (n = 20) while another process holds one of 2 CPUs"
    )
    for note in notes:
        print(note)
    print(speed_target(rows))
    for line in scale_targets(rows):
        print(line)
    return int(wrong)


def _progress(row: dict) -> None:
    cells = "  ".join(f"{k}={v}" for k, v in row.items() if not k.startswith("_"))
    print("  " + cells, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
