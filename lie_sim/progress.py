"""A minimal progress line on stderr for long computations; silent when not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Rewrites one status line on ``stream`` at most every ``interval`` seconds.

    Silent unless ``enabled`` is true; by default it is enabled only when ``stream`` is a
    terminal, so logs and pipes stay clean.

    Example:
        >>> p = Progress("closure", enabled=False)
        >>> p.update(dim=10)
        >>> p.close()
    """

    def __init__(
        self,
        label: str,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        interval: float = 0.5,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.interval = interval
        self.start = self._last = time.perf_counter()
        self._shown = False

    def update(self, *, dim: int, **fields: object) -> None:
        """Show ``dim`` (and its growth rate) plus any extra ``fields``."""
        now = time.perf_counter()
        if not self.enabled or now - self._last < self.interval:
            return
        self._last = now
        elapsed = now - self.start
        extra = "".join(f", {k} {v}" for k, v in fields.items())
        line = f"{self.label}: dim {dim}, {dim / max(elapsed, 1e-9):,.0f}/s, {elapsed:.1f} s{extra}"
        self.stream.write("\r" + line + "\033[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the status line (if one was shown)."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
