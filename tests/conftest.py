"""Fixtures shared by the test packages."""

import pytest

from lie_sim.compiled import DISABLE_ENV


@pytest.fixture
def kernels_on(monkeypatch):
    """The compiled kernels on, whatever ``LIE_SIM_NO_NUMBA`` says (for tests about them)."""
    monkeypatch.delenv(DISABLE_ENV, raising=False)
