"""The limits a closure stops at: the caller's ``max_dim``, and the memory still available.

A closure past the memory available raises :class:`~lie_sim.errors.ClosureLimitError` with the
dimension reached and the estimated bytes of its next step, instead of being killed by the
operating system (or swapping for hours) with nothing to show.
"""

from __future__ import annotations

import os

from lie_sim.errors import ClosureLimitError


def available_memory() -> int | None:
    """Bytes this process can still allocate: ``MemAvailable`` from ``/proc/meminfo``, capped by
    a cgroup v2 ``memory.max``; the physical memory where there is no ``/proc``; else None."""
    try:
        with open("/proc/meminfo") as f:
            fields = dict(line.split(":", 1) for line in f)
        free = int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        try:
            return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            return None
    try:
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        with open("/sys/fs/cgroup/memory.current") as f:
            used = int(f.read())
        if limit != "max":
            free = min(free, int(limit) - used)
    except (OSError, ValueError):
        pass
    return free


class MemoryBudget:
    """Refuses a closure step that would not fit in the memory available, before it allocates.

    The available memory is read once and again whenever a request comes within half of it
    (reading ``/proc/meminfo`` costs microseconds; a step is much larger).
    """

    def __init__(self) -> None:
        self._available: int | None = None

    def require(
        self, extra: int, *, dim: int, max_dim: int | None, peak: int, allocated: int = 0
    ) -> None:
        """Raise :class:`ClosureLimitError` unless ``extra`` more bytes are available.

        Args:
            extra: bytes the next step would add to what is allocated now.
            dim: dimension reached (for the error).
            max_dim: the caller's dimension limit (for the error).
            peak: the estimated peak of the whole closure at the next step (for the error).
            allocated: bytes the closure holds already (added to the available memory in the
                error, so that it compares with ``peak``).
        """
        if self._available is None or extra > self._available // 2:
            self._available = available_memory()
        if self._available is not None and extra > self._available:
            raise ClosureLimitError(
                dim, max_dim, estimated_bytes=peak, available_bytes=self._available + allocated
            )


def check_max_dim(dim: int, max_dim: int | None) -> None:
    """Raise :class:`ClosureLimitError` once the dimension found exceeds ``max_dim``."""
    if max_dim is not None and dim > max_dim:
        raise ClosureLimitError(dim, max_dim)
