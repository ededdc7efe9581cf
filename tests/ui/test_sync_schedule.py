"""When automatic sync rounds run: the interval after success, and a backoff from 30 s
doubling to 15 min, spread by ±20%."""

from __future__ import annotations

import pytest

from fieldkit.ui.sync_schedule import (
    BACKOFF_MAX_S,
    BACKOFF_START_S,
    INTERVAL_S,
    next_delay,
    retry_delay,
)


def test_backoff_doubles_from_thirty_seconds_to_fifteen_minutes() -> None:
    nominal = [retry_delay(failures, 0.5) for failures in range(1, 10)]
    assert nominal == [30, 60, 120, 240, 480, 900, 900, 900, 900]
    assert retry_delay(10_000, 0.5) == BACKOFF_MAX_S  # no overflow after days offline


@pytest.mark.parametrize("failures", [1, 2, 5, 6, 40])
def test_jitter_stays_within_twenty_percent(failures: int) -> None:
    nominal = retry_delay(failures, 0.5)
    low, high = retry_delay(failures, 0.0), retry_delay(failures, 0.999_999)
    assert low == pytest.approx(nominal * 0.8)
    assert nominal * 1.19 < high < nominal * 1.2
    assert low < retry_delay(failures, 0.3) < nominal < retry_delay(failures, 0.7) < high


def test_first_retry_is_between_24_and_36_seconds() -> None:
    assert BACKOFF_START_S == 30
    assert 24 <= retry_delay(1, 0.0) < retry_delay(1, 0.99) < 36


def test_success_waits_the_interval_and_failures_the_backoff() -> None:
    assert next_delay(0, 0.9) == INTERVAL_S == 300
    assert next_delay(0, 0.1, interval_s=60) == 60
    assert next_delay(3, 0.5) == 120


def test_no_failure_has_no_backoff() -> None:
    with pytest.raises(ValueError):
        retry_delay(0, 0.5)
