"""Initial states as Pauli expectation tables: vectorised against scalar, against dense."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from lie_sim.errors import StateError
from lie_sim.pauli.paulis import PauliWord, pack_ints
from lie_sim.pauli.states import read_state

Q = cirq.LineQubit.range(70)


def _words(rng, n, count):
    def mask() -> int:
        return int("".join(rng.choice(["0", "1"], size=n)), 2)

    return [PauliWord(mask(), mask()) for _ in range(count)]


def _packed(words, n):
    nw = max(1, (n + 63) // 64)
    return pack_ints([w.x for w in words], nw), pack_ints([w.z for w in words], nw)


@pytest.mark.parametrize(
    "state",
    ["0+-rl1", 11, [np.array([0.6, 0.8]), "r", cirq.KET_MINUS, "0", "1", "+"]],
    ids=["stabilizer-text", "int", "generic-list"],
)
def test_vectorised_equals_scalar_and_dense(state):
    n = 6
    rng = np.random.default_rng(3)
    table = read_state(state, n, Q[:n])
    words = _words(rng, n, 300)
    words += [PauliWord(0, 0b000001), PauliWord(0b000100, 0b000100), PauliWord(0b10, 0)]
    x, z = _packed(words, n)
    fast = table.expectations(x, z)
    slow = np.array([table.expectation(w) for w in words])
    np.testing.assert_allclose(fast, slow, atol=1e-15)
    vector = read_state(_dense(table), n)
    np.testing.assert_allclose(vector.expectations(x, z), slow, atol=1e-12)


def _dense(table) -> np.ndarray:
    """The product state vector from the Bloch tables (qubit 0 most significant)."""
    out = np.ones(1, dtype=complex)
    for _, bx, bz, by in table.tables:
        theta, phi = np.arccos(np.clip(bz, -1, 1)), np.arctan2(by, bx)
        out = np.kron(out, [np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)])
    return out


def test_many_qubits_stabilizer_path():
    n = 70
    text = "".join("01+-rl"[i % 6] for i in range(n))
    table = read_state(text, n)
    rng = np.random.default_rng(5)
    words = _words(rng, n, 200)
    # strings that survive: only each qubit's own axis or I
    axis = {"0": (0, 1), "1": (0, 1), "+": (1, 0), "-": (1, 0), "r": (1, 1), "l": (1, 1)}
    for _ in range(50):
        x = z = 0
        for q, c in enumerate(text):
            if rng.random() < 0.3:
                x |= axis[c][0] << q
                z |= axis[c][1] << q
        words.append(PauliWord(x, z))
    x, z = _packed(words, n)
    np.testing.assert_array_equal(table.expectations(x, z), [table.expectation(w) for w in words])


@pytest.mark.parametrize(
    "state, n, message",
    [
        (8, 3, "out of range"),
        ("0x", 2, "Unknown single-qubit state 'x'"),
        (np.ones(3), 2, "3 amplitudes"),
        ([np.array([1.0, 1.0]), "0"], 2, "norm 1.41421"),
        (object(), 2, "Cannot read an initial state"),
    ],
)
def test_bad_states(state, n, message):
    with pytest.raises(StateError, match=message):
        read_state(state, n)
