"""Pauli transfer matrices of one- and two-qubit unitaries, in the Heisenberg picture.

For a unitary ``U`` on ``k`` qubits and the Pauli strings ``P_a`` on them (``a`` a base-4
index, letter of qubit ``j`` in digit ``j``, letters numbered ``x + 2z``: I, X, Z, Y as in
:mod:`lie_sim.pauli.paulis`), the Heisenberg action is

    U† P_b U = Σ_a R[a, b] P_a,      R[a, b] = Tr(P_a U† P_b U) / 2^k,

a real orthogonal ``4^k × 4^k`` matrix with ``R[0, 0] = 1`` (the Pauli transfer matrix, PTM).
Column ``b`` of ``R`` is what one Pauli term with local letters ``b`` becomes. A Clifford gate
has one ``±1`` per column (a signed permutation); a Pauli rotation ``e^{-iθP/2}`` has
``cos θ`` and ``± sin θ`` in the columns of strings that anticommute with ``P`` and a plain
``1`` in the others; any other gate a dense block.

Qubit order: digit ``j`` of ``a`` is the letter on ``op.qubits[j]``, and ``P_a`` as a matrix is
the Kronecker product with ``op.qubits[0]`` most significant, as ``cirq.unitary`` orders it.
"""

from __future__ import annotations

import functools

import numpy as np

SNAP_ATOL = 1e-14  # PTM entries this close to 0 or ±1 are set exactly (Clifford maps stay exact)
DERIVATIVE_STEP = 1e-3  # step of the five-point stencil for dR/ds
DERIVATIVE_ATOL = 1e-10  # stencil entries below this are zero (the stencil's own error)

_SIGMA = (
    np.eye(2, dtype=complex),
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
)  # index x + 2z


@functools.cache
def pauli_basis(num_qubits: int) -> np.ndarray:
    """``(4^k, 2^k, 2^k)`` Pauli matrices ``P_a`` (digit ``j`` of ``a`` on qubit ``j``)."""
    out = []
    for a in range(4**num_qubits):
        m = np.ones((1, 1), dtype=complex)
        for j in range(num_qubits):
            m = np.kron(m, _SIGMA[(a >> (2 * j)) & 3])
        out.append(m)
    return np.array(out)


def transfer_matrix(unitary: np.ndarray) -> np.ndarray:
    """The Heisenberg PTM ``R[a, b] = Tr(P_a U† P_b U) / 2^k`` of a ``2^k × 2^k`` unitary.

    Entries within :data:`SNAP_ATOL` of 0 or ±1 are set to those values exactly.

    Example:
        >>> import cirq
        >>> r = transfer_matrix(cirq.unitary(cirq.rx(0.3)))
        >>> # U† Z U = cos θ Z + sin θ Y for U = e^{-iθX/2}: column Z (2) has rows Z (2), Y (3)
        >>> bool(np.isclose(r[2, 2], np.cos(0.3)) and np.isclose(r[3, 2], np.sin(0.3)))
        True
    """
    u = np.asarray(unitary, dtype=complex)
    dim = u.shape[0]
    k = dim.bit_length() - 1
    basis = pauli_basis(k)
    heis = np.einsum("ji,bjk,kl->bil", u.conj(), basis, u)  # U† P_b U for every b
    r = np.einsum("aij,bji->ab", basis, heis).real / dim
    return snapped(r)


def snapped(r: np.ndarray) -> np.ndarray:
    """``r`` with entries near 0, 1 or −1 (within :data:`SNAP_ATOL`) set exactly."""
    out = r.copy()
    for value in (0.0, 1.0, -1.0):
        out[np.abs(out - value) < SNAP_ATOL] = value
    return out


def stencil_derivative(values: list[np.ndarray], step: float = DERIVATIVE_STEP) -> np.ndarray:
    """Five-point central difference from ``f(s-2h), f(s-h), f(s+h), f(s+2h)``.

    The error is ``h^4 f^(5)/30`` plus rounding ``~ε/h``: about 1e-12 for ``h = 1e-3`` and
    angles ``a·s`` with ``|a| ≤ π``. Entries below :data:`DERIVATIVE_ATOL` are set to zero.
    """
    m2, m1, p1, p2 = values
    d = (m2 - 8 * m1 + 8 * p1 - p2) / (12 * step)
    d[np.abs(d) < DERIVATIVE_ATOL] = 0.0
    return d
