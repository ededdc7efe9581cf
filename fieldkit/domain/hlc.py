"""Hybrid logical clock (Kulkarni et al. 2014): 48-bit wall-clock milliseconds plus a 16-bit
counter, packed in one integer and tie-broken by device id.

Every journal entry carries one. A clock that runs hours or a year wrong never blocks: the
logical part keeps advancing, and the server clamps far-future times during sync.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """One HLC reading. Ordered by (physical ms, counter, device)."""

    millis: int
    counter: int
    device: str

    def pack(self) -> int:
        return self.millis << COUNTER_BITS | self.counter

    @classmethod
    def unpack(cls, packed: int, device: str) -> Timestamp:
        return cls(packed >> COUNTER_BITS, packed & COUNTER_MAX, device)


class HybridLogicalClock:
    """A device's clock. `now()` for local events, `observe()` for timestamps received."""

    def __init__(
        self,
        device: str,
        last: int = 0,
        wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.device = device
        self._last = last
        self._wall_ms = wall_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        """The packed value of the latest reading (persist it so restarts stay monotonic)."""
        return self._last

    def now(self) -> Timestamp:
        with self._lock:
            self._last = self._advance(self._last >> COUNTER_BITS, self._last & COUNTER_MAX)
            return Timestamp.unpack(self._last, self.device)

    def observe(self, remote: int) -> Timestamp:
        """Merge a remote packed timestamp so later local events order after it."""
        with self._lock:
            latest = max(self._last, remote)
            self._last = self._advance(latest >> COUNTER_BITS, latest & COUNTER_MAX)
            return Timestamp.unpack(self._last, self.device)

    def _advance(self, millis: int, counter: int) -> int:
        wall = self._wall_ms()
        if wall > millis:
            return wall << COUNTER_BITS
        if counter < COUNTER_MAX:
            return millis << COUNTER_BITS | (counter + 1)
        # Counter exhausted within one millisecond: move the logical millisecond on.
        return (millis + 1) << COUNTER_BITS


def clamp(packed: int, now_ms: int, ahead_ms: int) -> int:
    """`packed` with its time pulled back to at most `now_ms + ahead_ms` (counter kept)."""
    limit = now_ms + ahead_ms
    if packed >> COUNTER_BITS <= limit:
        return packed
    return limit << COUNTER_BITS | (packed & COUNTER_MAX)
