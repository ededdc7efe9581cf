"""A one-line progress bar on the terminal, for long commands such as a large import."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
INTERVAL_S = 0.1


class ProgressBar:
    """`update(done, total)` redraws `[#####.....]  45%` in place on `stream` (stderr), at
    most every 0.1 s; `finish()` ends the line. Nothing is drawn when the stream is not a
    terminal, so scripts and logs get only the result."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream or sys.stderr
        self._shown = self._stream.isatty()
        self._last_draw = 0.0
        self._drawn = False

    def update(self, done: int, total: int) -> None:
        if not self._shown:
            return
        now = time.monotonic()
        if now - self._last_draw < INTERVAL_S and done < total:
            return
        self._last_draw = now
        share = min(1.0, done / total) if total > 0 else 1.0
        filled = round(share * WIDTH)
        bar = "#" * filled + "." * (WIDTH - filled)
        self._stream.write(f"\r{self._label} [{bar}] {share:4.0%}")
        self._stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False
