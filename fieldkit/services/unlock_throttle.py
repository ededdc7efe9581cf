"""Growing delays after wrong passphrases, remembered across restarts.

The count lives in a small plain file beside the vault (it holds no secret). Copying the vault
elsewhere escapes the delay, which is why the real barrier is the Argon2id cost per guess;
the delay stops someone guessing at the unlock screen of a borrowed laptop.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fieldkit.atomic_file import write_atomic
from fieldkit.errors import UnlockThrottled

FREE_ATTEMPTS = 2
MAX_DELAY_S = 900


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong attempts in a row: 0, 0, 5, 15, 45, ... 900."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return int(min(5 * 3 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_S))


@dataclass(frozen=True)
class Failures:
    count: int
    last: float  # epoch seconds of the latest failure
    times: tuple[float, ...] = ()  # kept for the audit log, newest last


class UnlockThrottle:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock

    def read(self) -> Failures:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            times = tuple(float(t) for t in data.get("times", []))[-20:]
            return Failures(int(data["count"]), float(data["last"]), times)
        except (OSError, ValueError, KeyError, TypeError):
            return Failures(0, 0.0)

    def check(self) -> None:
        """Raise `UnlockThrottled` if the user must still wait."""
        failures = self.read()
        remaining = failures.last + delay_after(failures.count) - self._clock()
        if remaining > 0:
            raise UnlockThrottled(seconds=math.ceil(remaining))

    def record_failure(self) -> None:
        failures = self.read()
        now = self._clock()
        payload = {"count": failures.count + 1, "last": now, "times": [*failures.times, now]}
        write_atomic(self.path, json.dumps(payload).encode())

    def reset(self) -> Failures:
        """Forget the failures after a successful unlock; returns what was forgotten."""
        failures = self.read()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        return failures
