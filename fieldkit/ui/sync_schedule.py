"""When the next automatic sync round runs: every few minutes while things go well, and after
a failure a wait that doubles from 30 seconds to 15 minutes, spread by ±20% so that devices
that lost the network together do not all knock on headquarters' door at the same second.

Pure functions, no Qt: the schedule is tested on its own (tests/ui/test_sync_schedule.py).
"""

from __future__ import annotations

INTERVAL_S = 5 * 60  # between rounds while sync works
FIRST_DELAY_S = 3.0  # after unlocking: let the first screen load before the network starts
BACKOFF_START_S = 30.0
BACKOFF_MAX_S = 15 * 60.0
JITTER = 0.2


def retry_delay(failures: int, spread: float) -> float:
    """Seconds to wait after `failures` failed rounds in a row (1 or more).

    `spread` is a random number in [0, 1): 0 waits 20% less than the nominal delay, 0.5
    exactly the nominal delay, and values close to 1 almost 20% more."""
    if failures < 1:
        raise ValueError("retry_delay needs at least one failure")
    nominal = min(BACKOFF_START_S * 2.0 ** min(failures - 1, 32), BACKOFF_MAX_S)
    return nominal * (1 + JITTER * (2 * spread - 1))


def next_delay(failures: int, spread: float, interval_s: float = INTERVAL_S) -> float:
    """Seconds until the next automatic round: the interval after a success (no failures),
    else the backoff."""
    return interval_s if failures == 0 else retry_delay(failures, spread)
