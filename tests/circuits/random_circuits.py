"""Seeded random circuits and observables over every gate kind extraction reads."""

import cirq

Q = cirq.LineQubit.range(8)

_FIXED = [
    lambda r, a, b: cirq.H(a),
    lambda r, a, b: cirq.S(a),
    lambda r, a, b: cirq.CNOT(a, b),
    lambda r, a, b: cirq.CZ(a, b),
    lambda r, a, b: cirq.SWAP(a, b),
    lambda r, a, b: cirq.ISWAP(a, b),
    lambda r, a, b: cirq.SingleQubitCliffordGate.all_single_qubit_cliffords[r.integers(24)].on(a),
    lambda r, a, b: cirq.T(a),
    lambda r, a, b: cirq.rx(0.37).on(a),
    lambda r, a, b: cirq.MatrixGate(
        cirq.testing.random_unitary(4, random_state=int(r.integers(2**31)))
    ).on(a, b),
]

_PARAM = [
    lambda r, x, y, a, b, c: cirq.rx(x).on(a),
    lambda r, x, y, a, b, c: cirq.ry(x).on(a),
    lambda r, x, y, a, b, c: cirq.rz(x).on(a),
    lambda r, x, y, a, b, c: cirq.XPowGate(exponent=x, global_shift=0.2).on(a),
    lambda r, x, y, a, b, c: cirq.ZZPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.XXPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.YYPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.CZPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.CXPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.HPowGate(exponent=x).on(a),
    lambda r, x, y, a, b, c: cirq.ISwapPowGate(exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.FSimGate(x, y).on(a, b),
    lambda r, x, y, a, b, c: cirq.PhasedXPowGate(phase_exponent=0.25, exponent=x).on(a),
    lambda r, x, y, a, b, c: cirq.PhasedISwapPowGate(phase_exponent=0.1, exponent=x).on(a, b),
    lambda r, x, y, a, b, c: cirq.ms(x).on(a, b),
    lambda r, x, y, a, b, c: cirq.rx(x).on(b).controlled_by(a),
    lambda r, x, y, a, b, c: cirq.PauliStringPhasor(
        cirq.X(a) * cirq.Y(b) * (cirq.Z(c) if c is not None else 1), exponent_neg=x, exponent_pos=0
    ),
]


def random_angle(rng, symbols):
    s = symbols[rng.integers(len(symbols))]
    return [1, 2, -1, 0.5][rng.integers(4)] * s + [0, 0, 0.3][rng.integers(3)]


def random_circuit(rng, n, num_gates, symbols, *, fixed_fraction=0.35):
    qs = Q[:n]
    ops = []
    for _ in range(num_gates):
        perm = rng.permutation(n)
        a, b = qs[perm[0]], qs[perm[1]]
        c = qs[perm[2]] if n >= 3 else None
        if rng.random() < fixed_fraction:
            ops.append(_FIXED[rng.integers(len(_FIXED))](rng, a, b))
        else:
            maker = _PARAM[rng.integers(len(_PARAM))]
            ops.append(maker(rng, random_angle(rng, symbols), random_angle(rng, symbols), a, b, c))
    return cirq.Circuit(ops)


def random_observable(rng, qubits) -> cirq.PauliSum:
    terms = []
    for _ in range(3):
        paulis = {q: "IXYZ"[rng.integers(4)] for q in qubits}
        ps = cirq.PauliString({q: getattr(cirq, p) for q, p in paulis.items() if p != "I"})
        terms.append(float(rng.normal()) * ps)
    return cirq.PauliSum.from_pauli_strings(terms)
