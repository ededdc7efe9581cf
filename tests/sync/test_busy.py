"""HQ serves one sync request per device at a time: a second one is answered 429 busy, which
the device reads as "come back shortly" (not "offline"), keeping every change."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from fieldkit.domain.records import Facility
from fieldkit.domain.sync_state import SyncState
from fieldkit.errors import HqBusy
from tests.hq_server import RunningHQ
from tests.sync.devices import Device


def _slow_body(sent: threading.Event, release: threading.Event) -> Iterator[bytes]:
    yield b'{"protocol": 1, "pull": true'
    sent.set()
    release.wait(timeout=60)
    yield b"}"


def test_a_device_told_busy_keeps_its_changes_and_is_not_offline(
    hq: RunningHQ,
    device,  # type: ignore[no-untyped-def]
) -> None:
    ana: Device = device("ana")
    ana.create(Facility(name="Planta Norte"))
    unsent = ana.store.count_unsent()
    sent, release = threading.Event(), threading.Event()
    headers = {"Authorization": f"Bearer {ana.token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=hq.url, headers=headers, timeout=60) as client:
        held = threading.Thread(
            target=lambda: client.post("/v1/sync", content=_slow_body(sent, release))
        )
        held.start()
        try:
            assert sent.wait(timeout=30)
            deadline = time.monotonic() + 30
            with httpx.Client(base_url=hq.url, headers=headers, timeout=60) as probe:
                while (
                    probe.post("/v1/sync", content=b'{"protocol": 1, "pull": true}').status_code
                    != 429
                ):
                    assert time.monotonic() < deadline, "HQ never held the first request"
                    time.sleep(0.05)
            with pytest.raises(HqBusy) as refused:
                ana.sync()
            busy = refused.value
            assert busy.state is SyncState.DEFERRED
            assert "busy" in busy.message
            assert ana.store.count_unsent() == unsent
        finally:
            release.set()
            held.join(timeout=30)
    ana.sync()
    assert ana.store.count_unsent() == 0
