"""One heavy authenticated request must not stall HQ: its shape is refused before parsing,
parsing runs off the event loop, a device has one sync request in flight, and health answers
quickly meanwhile."""

from __future__ import annotations

import json
import resource
import statistics
import threading
import time
from collections.abc import Iterator

import httpx

from tests.hq.client import TestDevice
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ

ATTACK_KEYS = 1_500_000


def attack_body() -> bytes:
    """A valid-looking push whose one value is an object of 1.5 million keys (~26 MB)."""
    value = "{" + ",".join(f'"key_{i:08d}":0' for i in range(ATTACK_KEYS)) + "}"
    change = {
        "id": "c1",
        "kind": "facility",
        "record": "r1",
        "field": "name",
        "hlc": 1 << 20,
    }
    head = json.dumps({"protocol": 1, "batch": "b1", "changes": [change]})
    return (head[:-3] + ', "value": ' + value + "}]}").encode()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_heavy_bodies_are_refused_while_health_stays_quick(
    sqlite_hq: RunningHQ, enrol_sqlite: DeviceFactory
) -> None:
    body = attack_body()
    assert len(body) > 20 << 20
    json.loads(body)  # a well-formed body: only its size and shape are wrong
    attackers = [enrol_sqlite(f"Mallory {n}") for n in range(4)]
    peak_before = rss_mb()
    answers: list[int] = []
    latencies: list[float] = []
    done = threading.Event()

    def attack(device: TestDevice) -> None:
        reply = device.http.post(
            "/v1/sync", content=body, headers={"Content-Type": "application/json"}
        )
        answers.append(reply.status_code)

    def watch_health() -> None:
        with httpx.Client(base_url=sqlite_hq.url, timeout=30) as http:
            while not done.is_set():
                start = time.monotonic()
                assert http.get("/v1/health").status_code == 200
                latencies.append(time.monotonic() - start)
                time.sleep(0.02)

    watcher = threading.Thread(target=watch_health)
    watcher.start()
    threads = [threading.Thread(target=attack, args=(d,)) for d in attackers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done.set()
    watcher.join(timeout=30)

    assert answers == [413] * 4
    assert latencies, "health was never answered"
    assert max(latencies) < 0.5, f"health took {max(latencies):.3f} s at worst"
    assert statistics.median(latencies) < 0.2
    assert rss_mb() - peak_before < 500


def slow_body(sent: threading.Event, release: threading.Event) -> Iterator[bytes]:
    yield b'{"protocol": 1, "pull": true'
    sent.set()  # the first bytes are on their way
    release.wait(timeout=60)
    yield b"}"


def test_a_device_has_one_sync_request_in_flight(enrol_sqlite: DeviceFactory) -> None:
    ana = enrol_sqlite("Ana")
    sent, release = threading.Event(), threading.Event()
    first: list[httpx.Response] = []
    slow = threading.Thread(
        target=lambda: first.append(ana.http.post("/v1/sync", content=slow_body(sent, release)))
    )
    slow.start()
    try:
        assert sent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while True:  # until HQ holds the first request open
            second = ana.sync(pull=True)
            if second.status_code == 429 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert second.status_code == 429
        assert second.json()["error"] == "busy"
        assert int(second.headers["Retry-After"]) > 0
    finally:
        release.set()
        slow.join(timeout=30)
    assert first[0].status_code == 200
    assert ana.sync(pull=True).status_code == 200  # free again once the first has finished
