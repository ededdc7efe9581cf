"""HQ's wall clock in the protocol's unit, in one place so every module agrees."""

from __future__ import annotations

import time


def now_ms() -> int:
    """Milliseconds since the epoch."""
    return time.time_ns() // 1_000_000
