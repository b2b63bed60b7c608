"""Dense ground truth shared by the circuit tests: Cirq's unitaries and their derivatives."""

from __future__ import annotations

import cirq
import numpy as np

from lie_sim.circuits.extraction import Extraction

_STENCIL = ((1, 4 / 5), (2, -1 / 5), (3, 4 / 105), (4, -1 / 280))  # 8th-order first derivative


def traceless(m: np.ndarray) -> np.ndarray:
    return m - np.trace(m) / m.shape[0] * np.eye(m.shape[0])


def circuit_unitary(circuit: cirq.Circuit, values: dict, qubits) -> np.ndarray:
    return cirq.resolve_parameters(circuit, values).unitary(qubit_order=qubits)


def numeric_generator(circuit, values, symbol, qubits, h=1e-2):
    """Traceless part of i·(dU/dθ)·U† at ``values`` and the unitary U there."""
    x = values[symbol]

    def unitary_at(y):
        return circuit_unitary(circuit, {**values, symbol: y}, qubits)

    du = sum(c * (unitary_at(x + k * h) - unitary_at(x - k * h)) for k, c in _STENCIL) / h
    u = unitary_at(x)
    return traceless(1j * du @ u.conj().T), u


def generator_matrix(generators, symbol, qubits) -> np.ndarray:
    matching = [g for g in generators if g.symbol == symbol]
    assert len(matching) == 1, matching
    return matching[0].pauli_sum.matrix(qubits)


def pushed_unitary(ex: Extraction, values: dict) -> np.ndarray:
    """V = ∏ e^{-iθ_g H_g} over the generators, the first acting first."""
    d = 2 ** len(ex.qubits)
    v = np.eye(d, dtype=complex)
    for g in ex.generators:
        v = expm_hermitian(g.pauli_sum.matrix(ex.qubits), -values[g.symbol]) @ v
    return v


def expm_hermitian(h: np.ndarray, t: float) -> np.ndarray:
    """e^{i·t·h} for Hermitian h (eigh: scipy's expm/logm are slow with threaded BLAS)."""
    w, v = np.linalg.eigh((h + h.conj().T) / 2)
    return (v * np.exp(1j * t * w)) @ v.conj().T


def assert_equal_up_to_phase(a: np.ndarray, b: np.ndarray, atol: float = 1e-8) -> None:
    overlap = np.trace(b.conj().T @ a) / a.shape[0]
    assert abs(abs(overlap) - 1) < atol, abs(overlap)
    np.testing.assert_allclose(a, overlap * b, atol=atol)


def pauli_text(ps: cirq.PauliString) -> str:
    """``"X0Z1"``: the string's letters and line-qubit indices, in qubit order."""
    return "".join(f"{ps[q]}{q.x}" for q in sorted(ps.qubits))
