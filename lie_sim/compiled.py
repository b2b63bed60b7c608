"""Optional compiled kernels (numba, ``pip install lie_sim[fast]``).

Two loops in lie_sim cost more in interpreter overhead than in arithmetic when their inputs
are small: Pauli propagation gate by gate (:mod:`lie_sim.simulate.rotation_kernel`) and the
breadth-first closure level by level (:mod:`lie_sim.algebra.closure_kernel`). With numba
installed they run compiled (cached on disk after the first compilation); without it, or with
``LIE_SIM_NO_NUMBA=1`` in the environment, the NumPy paths run instead, with the same results.
numba is imported only when a kernel is first needed, so ``import lie_sim`` stays fast.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

DISABLE_ENV = "LIE_SIM_NO_NUMBA"  # set to 1 to use the NumPy paths even with numba installed

__all__ = ["DISABLE_ENV", "enabled", "jit"]


def enabled() -> bool:
    """Whether compiled kernels may be used (numba importable and not disabled)."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return False
    return _numba() is not None


@functools.cache
def _numba() -> Any:
    try:
        import numba
    except ImportError:
        return None
    return numba


@functools.cache
def jit(function: Callable) -> Callable:
    """``function`` compiled by numba (nopython, cached on disk); numba must be importable."""
    return _numba().njit(cache=True, nogil=True)(function)
