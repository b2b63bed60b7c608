"""Dynkin types from Cartan matrices and squared simple-root lengths."""

import numpy as np
import pytest

from lie_sim.algebra import root_systems


def cartan_matrix(letter: str, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Cartan matrix and squared simple-root lengths of a connected Dynkin diagram."""
    a = 2 * np.eye(m, dtype=int)
    for i in range(m - 1):
        a[i, i + 1] = a[i + 1, i] = -1
    lengths = np.full(m, 2.0)
    if letter == "B":
        a[m - 2, m - 1], lengths[-1] = -2, 1.0  # last root short
    elif letter == "C":
        a[m - 1, m - 2], lengths[-1] = -2, 4.0  # last root long
    elif letter in "DE":
        a = 2 * np.eye(m, dtype=int)
        edges = [(i, i + 1) for i in range(m - 2)] + [(m - 3, m - 1)]
        if letter == "E":  # arms 1, 2, m - 4 from node 2
            edges = [(0, 1), (1, 2), (2, 3)] + [(i, i + 1) for i in range(3, m - 2)] + [(2, m - 1)]
        for i, j in edges:
            a[i, j] = a[j, i] = -1
    elif letter == "F":
        a[1, 2], lengths[2:] = -2, 1.0
    elif letter == "G":
        a[0, 1], lengths[1] = -3, 2 / 3
    return a, lengths


@pytest.mark.parametrize(
    "letter, m, expected",
    [("A", 1, ("su", 2)), ("A", 5, ("su", 6)), ("B", 2, ("so", 5)), ("B", 4, ("so", 9))]
    + [("C", 3, ("sp", 3)), ("C", 5, ("sp", 5)), ("D", 4, ("so", 8)), ("D", 6, ("so", 12))]
    + [("E", 6, ("e", 6)), ("E", 7, ("e", 7)), ("E", 8, ("e", 8)), ("F", 4, ("f", 4))]
    + [("G", 2, ("g", 2))],
)
def test_dynkin_types(letter, m, expected):
    a, lengths = cartan_matrix(letter, m)
    assert root_systems.dynkin_type(a, lengths) == expected
