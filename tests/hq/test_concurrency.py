"""Several writers at once must never let a pull cursor step over a write that commits late:
sequence numbers become visible in the order they are handed out (docs/sync-protocol.md)."""

from __future__ import annotations

import threading
from pathlib import Path

from fieldkit.domain.ids import new_id
from tests.hq.client import TestDevice, values
from tests.hq.conftest import DeviceFactory
from tests.hq_server import RunningHQ, running_hq

WRITERS = 8
ROUNDS = 6
PER_BATCH = 40


def _write(device: TestDevice, written: dict[tuple[str, str], str], lock: threading.Lock) -> None:
    for round_ in range(ROUNDS):
        batch = []
        for k in range(PER_BATCH):
            record = new_id()
            value = f"{device.name}-{round_}-{k}"
            batch.append(device.change("facility", record, "name", value))
            with lock:
                written[(record, "name")] = value
        device.push(batch)


def _read_while(
    reader: TestDevice, done: threading.Event, seen: dict[tuple[str, str], str]
) -> None:
    while not done.is_set():
        changes, _ = reader.pull_all(limit=97)
        seen.update(values(changes))


def _run(writers: list[TestDevice], reader: TestDevice) -> None:
    written: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], str] = {}
    lock = threading.Lock()
    done = threading.Event()
    threads = [threading.Thread(target=_write, args=(w, written, lock)) for w in writers]
    pulling = threading.Thread(target=_read_while, args=(reader, done, seen))
    pulling.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    pulling.join()
    seen.update(values(reader.pull_all()[0]))
    assert len(written) == WRITERS * ROUNDS * PER_BATCH
    missing = [key for key in written if key not in seen]
    assert missing == [], f"{len(missing)} writes were never pulled"
    assert seen == written


def test_eight_writers_and_a_reader(enrol: DeviceFactory) -> None:
    writers = [enrol(f"Writer {i}") for i in range(WRITERS)]
    _run(writers, enrol("Reader"))


def test_two_hq_processes_on_one_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Scale-out: writers spread over two servers sharing a database, the reader on one."""
    with (
        running_hq(tmp_path / "one", database=postgres_url) as one,
        running_hq(tmp_path / "two", database=postgres_url) as two,
    ):
        assert one.server_id == two.server_id
        servers: list[RunningHQ] = [one, two]
        writers = [TestDevice.enrol(servers[i % 2], f"Writer {i}") for i in range(WRITERS)]
        reader = TestDevice.enrol(two, "Reader")
        try:
            _run(writers, reader)
        finally:
            for device in [*writers, reader]:
                device.close()
