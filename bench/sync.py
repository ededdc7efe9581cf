"""Sync benchmark: push and pull over loopback, bytes per edit, and 50 devices at once.

    python bench/sync.py [--quick] [--json] [--postgres URL]

HQ runs as its own process (`fieldkit-hq serve`), as in production, so the client and the
server do not share one interpreter. Figures go to docs/performance.md.
Targets (issue 4): push and pull of 10,000 records each under 2 s; under 100 bytes on the wire
per small field edit in batches; a day's work (200 edits) in at most 3 requests; 0 errors with
50 devices syncing at once, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldkit.domain.codec import to_plain  # noqa: E402
from fieldkit.domain.hlc import HybridLogicalClock  # noqa: E402
from fieldkit.domain.ids import new_id  # noqa: E402
from fieldkit.domain.query import ANY_ORDER  # noqa: E402
from fieldkit.domain.records import Tip  # noqa: E402
from fieldkit.errors import SyncError  # noqa: E402
from fieldkit.store.store import Store  # noqa: E402
from fieldkit.sync.engine import SyncEngine  # noqa: E402
from fieldkit.sync.pinning import parse_address  # noqa: E402
from fieldkit.sync.protocol import Change, EnrolRequest, SyncRequest  # noqa: E402
from fieldkit.sync.transport import HqLink  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def hq_process(data: Path, database: str | None = None) -> Iterator[str]:
    port = free_port()
    data.mkdir(mode=0o700, exist_ok=True)
    command = [sys.executable, "-m", "fieldkit.hq.cli", "serve", "--data", str(data)]
    command += ["--port", str(port)] + (["--database", database] if database else [])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode() if server.stderr else "HQ died")
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def enroll(data: Path, name: str, database: str | None) -> str:
    command = [sys.executable, "-m", "fieldkit.hq.cli", "enroll", name, "--data", str(data)]
    command += ["--database", database] if database else []
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    # The code is the one line made of four-character groups.
    for line in out.splitlines():
        words = line.strip().split("-")
        if len(words) == 5 and all(len(w) == 4 for w in words):
            return line.strip()
    raise RuntimeError(f"no enrolment code in: {out}")


class BenchDevice:
    def __init__(self, folder: Path, name: str, url: str, code: str) -> None:
        self.store = Store.open(folder / f"{name}.db", os.urandom(32))
        self.address = parse_address(url)
        with HqLink(self.address) as link:
            answer = link.enrol(EnrolRequest(code=code, node=self.store.device_id, label=name))
        self.token = answer.token

    def sync(self) -> tuple[Any, float]:
        start = time.perf_counter()
        with HqLink(self.address, token=self.token) as link:
            report = SyncEngine(self.store, link).run()
        return report, time.perf_counter() - start


def fill(store: Store, count: int) -> list[Tip]:
    made = []
    with store.transaction():
        for n in range(count):
            made.append(
                store.insert(
                    Tip(
                        received_on=dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
                        subject=f"Tip {n}: overtime unpaid at plant {n % 97}",
                        summary="Caller reports unpaid overtime and threats against organisers.",
                    )
                )
            )
    return made


def bench_push_pull(folder: Path, records: int, database: str | None) -> dict[str, Any]:
    data = folder / "hq-pushpull"
    with hq_process(data, database) as url:
        ana = BenchDevice(folder, "ana", url, enroll(data, "Ana", database))
        luis = BenchDevice(folder, "luis", url, enroll(data, "Luis", database))
        fill(ana.store, records)
        fields = ana.store.count_unsent()
        push, push_s = ana.sync()
        pull, pull_s = luis.sync()
        # A day's work: 200 small edits to existing records, then one sync.
        tips = ana.store.list(Tip, limit=200, sort=ANY_ORDER)
        with ana.store.transaction():
            for n, tip in enumerate(tips):
                ana.store.update(tip, dataclasses.replace(tip, subject=f"Tip {n} (checked)"))
        day, day_s = ana.sync()
    return {
        "records": records,
        "fields": fields,
        "push_s": round(push_s, 3),
        "push_requests": push.requests,
        "push_bytes_per_record": round(push.bytes_sent / records, 1),
        "pull_s": round(pull_s, 3),
        "pull_requests": pull.requests,
        "pull_bytes_per_record": round(pull.bytes_received / records, 1),
        "day_edits": len(tips),
        "day_requests_including_health": day.requests + 1,
        "day_bytes_per_edit": round(day.bytes_sent / max(len(tips), 1), 1),
        "day_s": round(day_s, 3),
    }


class SimulatedDevice:
    """A device reduced to its protocol: it pushes new tips and pulls every page, without a
    vault, so the load test measures HQ and not 50 vaults sharing one Python interpreter."""

    def __init__(self, url: str, code: str, name: str) -> None:
        self.address = parse_address(url)
        self.node = new_id()
        self.cursor = 0
        with HqLink(self.address) as link:
            answer = link.enrol(EnrolRequest(code=code, node=self.node, label=name))
        self.token = answer.token
        self._clock = HybridLogicalClock(self.node)

    def sync_round(self, records: int) -> float:
        changes = []
        for n in range(records):
            tip = Tip(received_on=dt.date(2026, 11, 1), subject=f"Load tip {n}", summary="x" * 80)
            stamp = self._clock.now().pack()
            for field, value in {
                **to_plain(tip),
                "created_at": "2026-11-01T10:00:00+00:00",
            }.items():
                changes.append(
                    Change(
                        id=new_id(), kind="tip", record=tip.id, field=field, value=value, hlc=stamp
                    )
                )
        start = time.perf_counter()
        with HqLink(self.address, token=self.token) as link:
            link.health()
            request = SyncRequest(cursor=self.cursor, batch=new_id(), changes=changes)
            while True:
                response = link.sync(request)
                self.cursor = response.cursor
                if not response.more:
                    break
                request = SyncRequest(cursor=self.cursor)
        return time.perf_counter() - start


def bench_many_devices(
    folder: Path, devices: int, rounds: int, database: str | None
) -> dict[str, Any]:
    data = folder / f"hq-load-{'pg' if database else 'sqlite'}"
    records = 20
    with hq_process(data, database) as url:
        fleet = [
            SimulatedDevice(url, enroll(data, f"Device {n}", database), f"d{n}")
            for n in range(devices)
        ]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def work(device: SimulatedDevice) -> None:
            for _round in range(rounds):
                try:
                    seconds = device.sync_round(records)
                except SyncError as error:
                    with lock:
                        errors.append(type(error).__name__)
                    continue
                with lock:
                    latencies.append(seconds)

        start = time.perf_counter()
        threads = [threading.Thread(target=work, args=(d,)) for d in fleet]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
    latencies.sort()
    pushed = devices * rounds * records
    return {
        "database": "postgresql" if database else "sqlite",
        "devices": devices,
        "rounds_each": rounds,
        "records_pushed": pushed,
        "records_pulled": pushed * (devices - 1),
        "wall_s": round(wall, 2),
        "rounds_per_s": round(devices * rounds / wall, 1),
        "round_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "round_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1)
        if latencies
        else None,
        "errors": len(errors),
    }


@contextlib.contextmanager
def postgres(url: str) -> Iterator[str]:
    if url != "auto":
        yield url
        return
    from tests.postgres import PostgresCluster  # noqa: PLC0415 - only when asked for

    cluster = PostgresCluster(durable=True)
    try:
        cluster.start()
        yield cluster.create_database()
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--postgres",
        default="auto",
        help="postgresql+psycopg://... for the load test; 'auto' starts a throwaway cluster "
        "from Debian's binaries (fsync on); 'none' skips it",
    )
    args = parser.parse_args()
    records = 1000 if args.quick else 10_000
    devices, rounds = (10, 2) if args.quick else (50, 3)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["push_pull"] = bench_push_pull(folder, records, None)
        results["load_sqlite"] = bench_many_devices(folder, devices, rounds, None)
        if args.postgres != "none":
            with postgres(args.postgres) as url:
                results["load_postgres"] = bench_many_devices(folder, devices, rounds, url)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, figures in results.items():
            print(name)
            for key, value in figures.items():
                print(f"  {key:32} {value}")


if __name__ == "__main__":
    main()
