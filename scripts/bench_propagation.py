"""Benchmark lie_sim's Pauli propagation beside pauli-prop and qsim on the same circuits.

Prints one table. Rows:

* Trotter rows: the 32-qubit periodic brick-layer transverse-field Ising Trotter circuit of the
  PauliPropagation.jl README quick start (per layer RZZ on bonds (0,1),(2,3),…, then
  (1,2),…,(31,0), then RX on every qubit; every angle 0.1 with ``e^{-iθP/2}``), 8, 16 and 32
  layers, observable Z on qubit 15 (the quick start's qubit 16, 1-based), ``⟨0…0|·|0…0⟩``.
  lie_sim (:func:`lie_sim.propagate` with ``min_abs_coeff``) and pauli-prop
  (``propagate_through_rotation_gates`` with the same ``atol``, ``frame="h"``) truncate by the
  same coefficient threshold and neither by weight (pauli-prop has no weight cut). lie_sim
  drops the terms below the threshold after each gate's merge; pauli-prop's ``atol`` keeps a
  term from being added as it is produced (its docstring). The decisions differ slightly (the
  term counts differ by a few per cent), so the values differ, within the sum of the two
  truncation bounds (checked: a row whose difference exceeds it is marked INCONSISTENT).
* A qsim row: the same Trotter circuit on 20 qubits, 6 layers, observable Z10, no truncation
  (742,900 terms at the end), against ``qsimcirq.QSimSimulator`` (complex64 state vector, so
  agreement is to ~1e-6) in a forked child with a time cap, and pauli-prop with ``atol = 0``.
* QCNN rows: ``lie_sim.catalog.circuits.layered.qcnn(n)`` (Cong, Choi, Lukin 2019: convolution
  by XX, YY, ZZ powers and rx, rz, pooling by controlled rx, rz; parameters shared within a
  round), every parameter drawn uniformly from [-1, 1) (seeded; exponents of the XX/YY/ZZ
  powers, radians of the rotations), observable Z on qubit 0 (the qubit the QCNN ends on),
  ``⟨0…0|·|0…0⟩``, max weight 6 and min coefficient 1e-4 (the weight cut of Bermejo et al.,
  arXiv 2408.12739; the coefficient cut keeps the run under a minute here). At n = 16 the same
  truncation is checked against qsim (the true error beside the reported bound); at n = 1,024
  lie_sim runs alone. With random angles the QCNN scrambles, so the bound (the sum of every
  dropped |c|) is far above 1 and says nothing; the n = 16 row shows the true error of the same
  truncation.

Times are wall seconds of one propagation, the best of ``--repeat`` runs (the QCNN rows run
once), after a warm-up of each tool on a tiny circuit. Each tool is timed two ways:

* from a circuit read once, outside the timing: lie_sim's ``PreparedCircuit(circuit)
  .propagate(...)`` beside pauli-prop's ``propagate_through_rotation_gates`` on
  ``RotationGates`` built from the Qiskit circuit (columns "prepared"; the ratio
  "prepared/pauli-prop");
* from the circuit object itself: lie_sim's ``propagate(circuit, ...)`` (it reads the Cirq
  circuit: transfer matrices, placement, the compiled runs) beside pauli-prop's
  ``propagate_through_circuit`` on the Qiskit circuit (columns "from circuit").

Both run on one thread. lie_sim applies runs of consecutive Pauli rotations in one compiled
loop when numba is installed (``lie_sim[fast]``; the ``bench`` extra has it); without numba its
NumPy path costs about 10 µs a gate whatever the number of terms, so rows with few terms then
favour pauli-prop (Rust).

    python scripts/bench_propagation.py             # all rows (about a minute on 2 CPUs)
    python scripts/bench_propagation.py --quick     # 8 and 16 layers, thresholds 1e-4, 1e-6
    python scripts/bench_propagation.py --no-peer   # lie_sim only
"""

from __future__ import annotations

import json
import os
import sys
import time

import cirq
import numpy as np
from peer import (
    bench_parser,
    best_of,
    blas_threads,
    pauli_prop_available,
    run_in_child,
    table_columns,
    to_qiskit,
    to_sparse_pauli_op,
    zero_state_value,
)

from lie_sim.cli import format_table
from lie_sim.compiled import enabled as compiled_available
from lie_sim.pauli.paulis import PauliSum
from lie_sim.simulate.propagation import DEFAULT_MAX_TERMS, PreparedCircuit, propagate

TROTTER_QUBITS = 32
OBSERVABLE_QUBIT = 15  # the quick start's "Z on qubit 16" (1-based)
LAYERS, QUICK_LAYERS = [8, 16, 32], [8, 16]
THRESHOLDS, QUICK_THRESHOLDS = [1e-4, 1e-6, 1e-8], [1e-4, 1e-6]
ANGLE = 0.1
QSIM_ROW, QUICK_QSIM_ROW = (20, 6), (20, 4)  # (qubits, layers), no truncation
QCNN_ROWS = (16, 1024)  # qubits; the first one is checked against qsim
QCNN_CUT = (6, 1e-4)  # max weight, min coefficient
DASH = "—"


# ------------------------------------------------------------------------------ circuits


def trotter_circuit(n: int, layers: int, angle: float = ANGLE) -> tuple[cirq.Circuit, list]:
    """PauliPropagation.jl's ``tfitrottercircuit(n, layers)`` (periodic brick layer), in Cirq.

    Each gate is ``e^{-iθP/2}``: ``ZZPowGate(exponent=θ/π, global_shift=-0.5)`` and
    ``cirq.rx(θ)``.
    """
    q = cirq.LineQubit.range(n)
    first = [(i, i + 1) for i in range(0, n - 1, 2)]
    second = [(i, i + 1) for i in range(1, n - 1, 2)] + [(n - 1, 0)]
    zz = cirq.ZZPowGate(exponent=angle / np.pi, global_shift=-0.5)
    moments = []
    for _ in range(layers):
        moments.append(cirq.Moment(zz(q[i], q[j]) for i, j in first))
        moments.append(cirq.Moment(zz(q[i], q[j]) for i, j in second))
        moments.append(cirq.Moment(cirq.rx(angle).on_each(*q)))
    return cirq.Circuit(moments), q


def resolved_qcnn(n: int, seed: int) -> tuple[cirq.Circuit, list]:
    """``qcnn(n)`` with every parameter drawn uniformly from [-1, 1) (seeded)."""
    from lie_sim.catalog.circuits.layered import qcnn

    circuit = qcnn(n)
    rng = np.random.default_rng(seed)
    names = sorted(cirq.parameter_names(circuit))
    values = dict(zip(names, rng.uniform(-1, 1, size=len(names)).tolist(), strict=True))
    return cirq.resolve_parameters(circuit, values), cirq.LineQubit.range(n)


# ------------------------------------------------------------------------------ runners


def run_pauli_prop(peer, observable: PauliSum, n: int, atol: float, repeat: int) -> dict:
    """pauli-prop's Heisenberg propagation from ``peer = (rotations, qiskit circuit)``: its
    value on |0…0⟩, terms and truncated 1-norm, its time on the rotations and on the circuit."""
    from pauli_prop import propagate_through_circuit, propagate_through_rotation_gates

    rotations, qc = peer
    op = to_sparse_pauli_op(observable, n)
    (out, dropped), seconds = best_of(
        repeat,
        lambda: propagate_through_rotation_gates(op, rotations, DEFAULT_MAX_TERMS, atol, "h"),
    )
    _, circuit_seconds = best_of(
        repeat, lambda: propagate_through_circuit(op, qc, DEFAULT_MAX_TERMS, atol, "h")
    )
    return {
        "value": zero_state_value(out),
        "terms": len(out),
        "bound": float(dropped),
        "seconds": seconds,
        "circuit seconds": circuit_seconds,
        "capped": len(out) >= DEFAULT_MAX_TERMS,
    }


def pauli_prop_inputs(circuit, q) -> tuple:
    """``(RotationGates, Qiskit circuit)`` of a Cirq circuit of Pauli rotations."""
    qc = to_qiskit(circuit, q)
    from pauli_prop import circuit_to_rotation_gates

    return circuit_to_rotation_gates(qc), qc


def warm_up(peer: bool) -> None:
    """First calls of both tools on a tiny circuit (imports, caches), outside the timings."""
    circuit, q = trotter_circuit(4, 1)
    propagate(circuit, cirq.Z(q[0]), min_abs_coeff=1e-4)
    PreparedCircuit(circuit).propagate(cirq.Z(q[0]), min_abs_coeff=1e-4)
    if peer:
        run_pauli_prop(pauli_prop_inputs(circuit, q), PauliSum.from_text("Z0"), 4, 1e-4, 1)


def _qsim_worker(circuit: cirq.Circuit, observable, threads: int, queue) -> None:
    import qsimcirq

    options = qsimcirq.QSimOptions(cpu_threads=threads)
    simulator = qsimcirq.QSimSimulator(qsim_options=options)
    q = cirq.LineQubit.range(2)
    simulator.simulate_expectation_values(cirq.Circuit(cirq.H(q[0]), cirq.CNOT(*q)), [cirq.Z(q[1])])
    qubits = sorted(circuit.all_qubits())
    start = time.perf_counter()
    values = simulator.simulate_expectation_values(circuit, [observable], qubit_order=qubits)
    queue.put((complex(values[0]).real, time.perf_counter() - start))


def qsim_available() -> bool:
    try:
        import qsimcirq  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------------------ rows


def _empty_row(n: int, layers: int, label: str) -> dict:
    return {
        "circuit": label,
        "n": n,
        "layers": layers,
        "max weight": DASH,
        "min coeff": DASH,
        "lie_sim prepared s": DASH,
        "pauli-prop prepared s": DASH,
        "prepared/pauli-prop": DASH,
        "lie_sim from circuit s": DASH,
        "pauli-prop from circuit s": DASH,
        "from circuit/pauli-prop": DASH,
        "lie_sim terms": DASH,
        "pauli-prop terms": DASH,
        "lie_sim value": DASH,
        "|Δ pauli-prop|": DASH,
        "lie_sim bound": DASH,
        "pauli-prop bound": DASH,
        "qsim s": DASH,
        "|Δ qsim|": DASH,
    }


def compare_row(circuit, q, layers: int, index: int, atol: float, args, rotations) -> dict:
    """lie_sim and (when ``rotations`` is given) pauli-prop at the same coefficient threshold,
    observable ``Z`` on qubit ``index``."""
    n = len(q)
    observable = cirq.Z(q[index])
    text = PauliSum.from_cirq(cirq.PauliSum.wrap(observable), q)
    ours, seconds = best_of(args.repeat, lambda: propagate(circuit, observable, min_abs_coeff=atol))
    prepared = PreparedCircuit(circuit)
    again, prepared_seconds = best_of(
        args.repeat, lambda: prepared.propagate(observable, min_abs_coeff=atol)
    )
    assert again.expectation == ours.expectation and again.num_terms == ours.num_terms
    row = _empty_row(n, layers, f"TFIM Trotter, Z{index}")
    row.update(
        {
            "min coeff": f"{atol:g}",
            "lie_sim prepared s": f"{prepared_seconds:.4f}",
            "lie_sim from circuit s": f"{seconds:.4f}",
            "lie_sim terms": ours.num_terms,
            "lie_sim value": f"{ours.expectation:.10f}",
            "lie_sim bound": f"{ours.truncation_bound:.1e}",
            "_lie_sim": seconds,
            "_prepared": prepared_seconds,
            "_value": ours.expectation,
        }
    )
    if rotations is None:
        return row
    peer = run_pauli_prop(rotations, text, n, atol, args.repeat)
    delta = abs(peer["value"] - ours.expectation)
    consistent = delta <= ours.truncation_bound + peer["bound"] + 1e-9
    row.update(
        {
            "pauli-prop prepared s": f"{peer['seconds']:.4f}",
            "prepared/pauli-prop": f"{prepared_seconds / peer['seconds']:.2f}",
            "pauli-prop from circuit s": f"{peer['circuit seconds']:.4f}",
            "from circuit/pauli-prop": f"{seconds / peer['circuit seconds']:.3f}",
            "pauli-prop terms": f"{peer['terms']}{' CAPPED' if peer['capped'] else ''}",
            "|Δ pauli-prop|": f"{delta:.1e}{'' if consistent else ' INCONSISTENT'}",
            "pauli-prop bound": f"{peer['bound']:.1e}",
            "_pauli_prop": peer["seconds"],
            "_pauli_prop_circuit": peer["circuit seconds"],
        }
    )
    return row


def trotter_rows(args, peer: bool) -> list[dict]:
    rows = []
    for layers in QUICK_LAYERS if args.quick else LAYERS:
        circuit, q = trotter_circuit(TROTTER_QUBITS, layers)
        rotations = pauli_prop_inputs(circuit, q) if peer else None
        for atol in QUICK_THRESHOLDS if args.quick else THRESHOLDS:
            row = compare_row(circuit, q, layers, OBSERVABLE_QUBIT, atol, args, rotations)
            row["_gates"] = len(list(circuit.all_operations()))
            rows.append(row)
            _progress(rows[-1])
    return rows


def qsim_row(args, peer: bool, qsim: bool) -> dict:
    n, layers = QUICK_QSIM_ROW if args.quick else QSIM_ROW
    circuit, q = trotter_circuit(n, layers)
    rotations = pauli_prop_inputs(circuit, q) if peer else None
    row = compare_row(circuit, q, layers, n // 2, 0.0, args, rotations)
    if qsim:
        _qsim_cells(row, circuit, cirq.Z(q[n // 2]), row["_value"], args)
    return row


def _qsim_cells(row: dict, circuit, observable, value: float, args) -> None:
    """qsim's time and its distance from lie_sim's ``value``, in ``row`` (in a child)."""
    outcome, status = run_in_child(
        _qsim_worker, (circuit, observable, args.qsim_threads), args.peer_timeout
    )
    if outcome is None:
        row["qsim s"] = status
    else:
        exact, seconds = outcome
        row["qsim s"] = f"{seconds:.3f}"
        row["|Δ qsim|"] = f"{abs(exact - value):.1e}"


def qcnn_row(n: int, args, qsim: bool) -> dict:
    """lie_sim on ``resolved_qcnn(n)`` at :data:`QCNN_CUT`, and qsim when asked."""
    weight, atol = QCNN_CUT
    circuit, q = resolved_qcnn(n, args.seed)
    observable = cirq.Z(q[0])
    start = time.perf_counter()
    result = propagate(circuit, observable, max_weight=weight, min_abs_coeff=atol)
    seconds = time.perf_counter() - start
    row = _empty_row(n, (n - 1).bit_length(), "QCNN (layers = rounds), Z0")
    row.update(
        {
            "max weight": weight,
            "min coeff": f"{atol:g}",
            "lie_sim from circuit s": f"{seconds:.2f}",
            "lie_sim terms": result.num_terms,
            "lie_sim value": f"{result.expectation:.10f}",
            "lie_sim bound": f"{result.truncation_bound:.1e}",
            "_lie_sim": seconds,
            "_dropped": result.dropped_terms,
            "_bound": result.truncation_bound,
        }
    )
    if qsim:
        _qsim_cells(row, circuit, observable, result.expectation, args)
    return row


# ------------------------------------------------------------------------------ targets


def speed_target(rows: list[dict]) -> str:
    """'at least as fast as pauli-prop on 32-qubit Trotter circuits' with PASS/FAIL."""
    claim = "target: at least as fast as pauli-prop on 32-qubit Trotter circuits"
    rows = [r for r in rows if r["n"] == TROTTER_QUBITS and "_pauli_prop" in r]
    if not rows:
        return f"{claim}: not measured (pauli-prop not run)"
    prepared = [r["_prepared"] / r["_pauli_prop"] for r in rows]
    whole = [r["_lie_sim"] / r["_pauli_prop_circuit"] for r in rows]
    verdict = "PASS" if max(prepared) <= 1 and max(whole) <= 1 else "FAIL"
    return (
        f"{claim}: {verdict} over {len(rows)} rows (lie_sim time / pauli-prop time: circuit "
        f"read once {min(prepared):.2f} … {max(prepared):.2f}, from the circuit object "
        f"{min(whole):.3f} … {max(whole):.3f}; compiled kernel: "
        f"{'yes' if compiled_available() else 'no (numba missing)'})"
    )


def overhead_note(rows: list[dict]) -> str:
    """Per-gate time of both tools on the Trotter row with the fewest terms."""
    r = min((r for r in rows if "_gates" in r), key=lambda r: r["lie_sim terms"])
    line = (
        f"per gate on the row with fewest terms ({r['layers']} layers, min coeff "
        f"{r['min coeff']}, {r['lie_sim terms']} terms, {r['_gates']} gates), circuit read "
        f"once: lie_sim {1e6 * r['_prepared'] / r['_gates']:.2f} µs"
    )
    if "_pauli_prop" in r:
        line += f", pauli-prop {1e6 * r['_pauli_prop'] / r['_gates']:.2f} µs"
    return line


def qcnn_target(rows: list[dict]) -> str:
    """'a QCNN on 1,024 qubits with max weight 6 propagated in under 60 s' with PASS/FAIL."""
    claim = "target: a QCNN on 1,024 qubits, max weight 6, propagated in under 60 s"
    wide = [r for r in rows if r["circuit"].startswith("QCNN") and r["n"] == QCNN_ROWS[-1]]
    if not wide:
        return f"{claim}: not measured (--quick)"
    r = wide[0]
    verdict = "PASS" if r["_lie_sim"] < 60 else "FAIL"
    return (
        f"{claim}: {verdict} ({r['_lie_sim']:.1f} s at min coeff {QCNN_CUT[1]:g}; "
        f"{r['lie_sim terms']:,} terms left, {r['_dropped']:,} dropped, bound "
        f"{r['_bound']:.3g}: vacuous for random angles, see the n = {QCNN_ROWS[0]} row for the "
        "true error of the same truncation)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--seed", type=int, default=0, help="seed of the QCNN parameters")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per cell (best kept)")
    parser.add_argument("--qsim-threads", type=int, default=1, help="qsim's cpu_threads")
    args = parser.parse_args(argv)
    peer = not args.no_peer and pauli_prop_available()
    qsim = not args.no_peer and qsim_available()
    notes = []
    if not args.no_peer and not peer:
        notes.append(
            "pauli-prop or qiskit is not installed (the bench extra); its columns are empty"
        )
    if not args.no_peer and not qsim:
        notes.append("qsimcirq is not installed; its columns are empty")
    load = os.getloadavg()[0]
    with blas_threads(args.blas_threads):
        warm_up(peer)
        rows = trotter_rows(args, peer)
        rows.append(qsim_row(args, peer, qsim))
        _progress(rows[-1])
        for n in QCNN_ROWS[:1] if args.quick else QCNN_ROWS:
            rows.append(qcnn_row(n, args, qsim and n <= 20))
            _progress(rows[-1])
    bad = any("INCONSISTENT" in str(v) or "CAPPED" in str(v) for r in rows for v in r.values())
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]))
        return int(bad)
    print(format_table(rows, table_columns(rows)))
    print(
        "Trotter rows: 32 qubits, Z15, every angle 0.1, no weight cut; lie_sim and pauli-prop at "
        "the same coefficient threshold; bound = sum of |c| dropped (pauli-prop: its truncated "
        "one-norm); |Δ| is within the sum of the two bounds unless marked INCONSISTENT"
    )
    print(
        f"QCNN rows: qcnn(n), parameters uniform in [-1, 1) (seed {args.seed}), max weight "
        f"{QCNN_CUT[0]}, min coeff {QCNN_CUT[1]:g}; |Δ qsim| is the true error of that "
        "truncation, the bound is the sum of every dropped |c|"
    )
    print(
        f"load average (1 min) {load:.1f} before, {os.getloadavg()[0]:.1f} after, on "
        f"{os.cpu_count()} CPUs; qsim ran with {args.qsim_threads} thread(s)"
    )
    for note in notes:
        print(note)
    print(overhead_note(rows))
    print(speed_target(rows))
    print(qcnn_target(rows))
    return int(bad)


def _progress(row: dict) -> None:
    cells = "  ".join(f"{k}={v}" for k, v in row.items() if not k.startswith("_") and v != DASH)
    print("  " + cells, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
