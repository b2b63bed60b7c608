"""The stderr progress line: shown only when enabled (by default: on a terminal)."""

import io

from lie_sim.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_writes_dim_and_rate_on_a_terminal():
    stream = _Terminal()
    bar = Progress("closure", stream=stream, interval=0.0)
    bar.update(dim=42, level=3)
    bar.close()
    text = stream.getvalue()
    assert "closure: dim 42" in text and "/s" in text and "level 3" in text
    assert text.endswith("\n")


def test_progress_is_silent_when_not_a_terminal():
    stream = io.StringIO()
    bar = Progress("closure", stream=stream, interval=0.0)
    bar.update(dim=42)
    bar.close()
    assert stream.getvalue() == ""
