from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldkit.domain.hlc import COUNTER_MAX, HybridLogicalClock, Timestamp


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_now_follows_wall_clock() -> None:
    wall = FakeWall(1_000)
    clock = HybridLogicalClock("dev", wall_ms=wall)
    assert clock.now() == Timestamp(1_000, 0, "dev")
    wall.ms = 2_000
    assert clock.now() == Timestamp(2_000, 0, "dev")


def test_clock_going_backwards_still_advances() -> None:
    wall = FakeWall(5_000)
    clock = HybridLogicalClock("dev", wall_ms=wall)
    first = clock.now()
    wall.ms = 1_000  # someone set the laptop clock back
    second = clock.now()
    assert second > first
    assert second.millis == 5_000 and second.counter == 1


def test_counter_overflow_moves_the_millisecond_on() -> None:
    clock = HybridLogicalClock("dev", last=(7 << 16) | COUNTER_MAX, wall_ms=FakeWall(0))
    assert clock.now() == Timestamp(8, 0, "dev")


def test_observe_orders_local_events_after_remote_ones() -> None:
    clock = HybridLogicalClock("a", wall_ms=FakeWall(1_000))
    year_ahead = Timestamp(1_000 + 365 * 86_400_000, 3, "b").pack()
    observed = clock.observe(year_ahead)
    assert observed.pack() > year_ahead
    assert clock.now().pack() > observed.pack()


def test_restart_from_persisted_value_stays_monotonic() -> None:
    clock = HybridLogicalClock("a", wall_ms=FakeWall(10))
    for _ in range(5):
        clock.now()
    restarted = HybridLogicalClock("a", last=clock.last, wall_ms=FakeWall(3))
    assert restarted.now().pack() > clock.last


def test_device_breaks_ties() -> None:
    assert Timestamp(1, 1, "a") < Timestamp(1, 1, "b")


@given(st.lists(st.tuples(st.integers(0, 2**40), st.booleans(), st.integers(0, 2**50))))
def test_readings_strictly_increase_whatever_the_wall_clock_does(
    steps: list[tuple[int, bool, int]],
) -> None:
    wall = FakeWall(0)
    clock = HybridLogicalClock("dev", wall_ms=wall)
    previous = -1
    for wall_ms, is_remote, remote in steps:
        wall.ms = wall_ms
        stamp = clock.observe(remote) if is_remote else clock.now()
        assert stamp.pack() > previous
        if is_remote:
            assert stamp.pack() > remote
        previous = stamp.pack()


@given(st.integers(0, 2**47), st.integers(0, COUNTER_MAX))
def test_pack_round_trips(millis: int, counter: int) -> None:
    stamp = Timestamp(millis, counter, "d")
    assert Timestamp.unpack(stamp.pack(), "d") == stamp
