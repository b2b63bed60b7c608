"""An XY model on a ring with a staggered field: a family for ``lie-sim report``.

Each of the ``layers`` layers (default n) applies ``exp(-i t (X_i X_{i+1} + Y_i Y_{i+1}) / 2)``
on every bond of the ring (one symbol per layer and bond parity), then the staggered field
``exp(-i h (-1)^i Z_i / 2)`` (one symbol per layer). It conserves the number of excitations;
the report measures its algebra, its variance and its g-sim surrogate.

Run::

    lie-sim report --family examples.xy_staggered:xy_ring_staggered --observable Z0 \\
        --state 10 --n 3:14 --out xy-report
"""

from __future__ import annotations

import cirq
import sympy


def xy_ring_staggered(n: int, layers: int | None = None) -> cirq.Circuit:
    """The family's circuit on ``cirq.LineQubit.range(n)`` (n ≥ 3)."""
    if n < 3:
        raise ValueError(f"a ring needs at least 3 qubits, got n = {n}")
    q = cirq.LineQubit.range(n)
    circuit = cirq.Circuit()
    for layer in range(n if layers is None else layers):
        for parity in (0, 1):
            t = sympy.Symbol(f"t{layer}_{parity}")
            for i in range(parity, n - (n % 2 and parity == 0), 2):
                j = (i + 1) % n
                circuit += [cirq.XXPowGate(exponent=t).on(q[i], q[j]),
                            cirq.YYPowGate(exponent=t).on(q[i], q[j])]  # fmt: skip
        if n % 2:
            t = sympy.Symbol(f"t{layer}_2")
            circuit += [cirq.XXPowGate(exponent=t).on(q[n - 1], q[0]),
                        cirq.YYPowGate(exponent=t).on(q[n - 1], q[0])]  # fmt: skip
        h = sympy.Symbol(f"h{layer}")
        circuit += (cirq.rz(h if i % 2 == 0 else -h).on(q[i]) for i in range(n))
    return circuit
