"""How much memory a closure may still allocate, for the guards that stop it before it does.

A closure past the memory available raises :class:`~lie_sim.errors.ClosureLimitError` with the
dimension reached and the estimated bytes of its next step, instead of being killed by the
operating system (or swapping for hours) with nothing to show.
"""

from __future__ import annotations

import os


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
