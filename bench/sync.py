"""Sync benchmark: realistic visits through a real HQ on loopback, warm and end to end.

    python bench/sync.py [--quick] [--json] [--postgres auto|URL|none] [--no-e2e] [--load]
                         [--notes short|long]

The data is bench/storage.py's generator: 500 facilities and 10,000 visits (13 fields each,
~450 characters of observations and findings, ~300 of them findings; `--notes long`: ~2 KB)
written into a real encrypted vault (default Argon2id),
journal and search text included, as saves write them. HQ runs as its own process
(`fieldkit-hq serve`, uvicorn) on loopback, once on SQLite and once on PostgreSQL.

- warm push / pull: an unlocked vault syncs as the app does (`SyncService.sync_now`: health
  probe and one round); the pull goes into a second, empty vault.
- a day's work: 200 edits to existing visits on the first vault, one round up, one round down;
  five days in a row, the median day's rounds shown (and every day's seconds).
- end to end: `fieldkit sync` as a process (start-up and Argon2id included) on copies of the
  two vaults taken before the warm rounds, against a fresh HQ.
- HQ on disk: the data folder after HQ stopped (it checkpoints and truncates its WAL as it
  stops) (SQLite); the tables' total size after a CHECKPOINT (PostgreSQL).
- `--load`: 50 protocol-level devices syncing at once (HQ under load, no vaults).

Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# No keyring here: the device token is kept in the vault, where `fieldkit sync` finds it.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# HQ's SQLite is encrypted: `serve` and the admin commands (enroll) read this key.
os.environ.setdefault("FIELDKIT_HQ_KEY", secrets.token_hex(32))

from bench.storage import LONG_NOTES, SHORT_NOTES, Notes, RecordMaker  # noqa: E402
from fieldkit.domain.codec import to_plain  # noqa: E402
from fieldkit.domain.hlc import HybridLogicalClock  # noqa: E402
from fieldkit.domain.ids import new_id  # noqa: E402
from fieldkit.domain.query import ANY_ORDER  # noqa: E402
from fieldkit.domain.records import Record, Tip, Visit  # noqa: E402
from fieldkit.errors import SyncError  # noqa: E402
from fieldkit.gc_pace import pace_garbage_collector  # noqa: E402
from fieldkit.services.vault import Vault, create_vault, unlock_vault  # noqa: E402
from fieldkit.sync.pinning import parse_address  # noqa: E402
from fieldkit.sync.protocol import EnrolRequest, RecordEdit, SyncRequest  # noqa: E402
from fieldkit.sync.transport import HqLink  # noqa: E402

PASSPHRASE = "bench-sync-passphrase-ñandú"
HQ_PIDS: list[int] = []  # the running HQ process (CPU seconds are read from /proc)
DAY_EDITS = 200
DAYS = 5  # a day's work is timed this many times: one round alone is at the machine's mercy
LOAD_BATCH = 2500


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
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's fieldkit, not an installed one
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    url = f"http://127.0.0.1:{port}"
    HQ_PIDS.append(server.pid)
    try:
        for _ in range(400):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode() if server.stderr else "HQ died")
            time.sleep(0.05)
        yield url
    finally:
        HQ_PIDS.remove(server.pid)
        server.terminate()
        server.wait(20)


def enroll(data: Path, name: str, database: str | None) -> str:
    command = [sys.executable, "-m", "fieldkit.hq.cli", "enroll", name, "--data", str(data)]
    command += ["--database", database] if database else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    # The code is the one line made of four-character groups.
    for line in out.splitlines():
        words = line.strip().split("-")
        if len(words) == 5 and all(len(w) == 4 for w in words):
            return line.strip()
    raise RuntimeError(f"no enrolment code in: {out}")


# --- data -----------------------------------------------------------------------------------


def make_records(visits: int, facilities: int, seed: int, notes: Notes) -> list[Record]:
    maker = RecordMaker(seed, notes)
    made: list[Record] = [maker.facility(n) for n in range(facilities)]
    facility_ids = [f.id for f in made]
    made.extend(maker.visit(facility_ids) for _ in range(visits))
    return made


def load_vault(vault: Vault, records: list[Record]) -> None:
    store = vault.store
    for start in range(0, len(records), LOAD_BATCH):
        with store.transaction():
            for record in records[start : start + LOAD_BATCH]:
                store.insert(record)


def connect(vault: Vault, url: str, code: str) -> None:
    vault.sync.connect(vault.sync.preview(url), code)


def hq_cpu_s() -> float:
    """CPU seconds the running HQ process has used (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{HQ_PIDS[-1]}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_round(vault: Vault) -> dict[str, Any]:
    """One round; wall seconds, and CPU seconds of this process and of HQ (CPU time is what
    other load on the machine disturbs least)."""
    hq_before, cpu_before = hq_cpu_s(), time.process_time()
    start = time.perf_counter()
    report = vault.sync.sync_now()
    seconds = time.perf_counter() - start
    return {
        "s": round(seconds, 3),
        "device_cpu_s": round(time.process_time() - cpu_before, 3),
        "hq_cpu_s": round(hq_cpu_s() - hq_before, 3),
        "requests": report.requests,  # the health probe and the orders included
        "sent_bytes": report.bytes_sent,
        "received_bytes": report.bytes_received,
        "pushed": report.pushed,
        "pulled": report.pulled,
    }


def day_of_work(vault: Vault, day: int) -> int:
    """200 small edits to existing visits (a summary each), saved one by one."""
    visits = vault.store.list(Visit, limit=DAY_EDITS, sort=ANY_ORDER)
    for n, visit in enumerate(visits):
        summary = f"Visita revisada el día {day + 1} ({n})"
        vault.records.update(dataclasses.replace(visit, summary=summary))
    return len(visits)


def median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round of median wall time, with every round's seconds beside it."""
    middle = sorted(rounds, key=lambda r: r["s"])[len(rounds) // 2]
    return {**middle, "s_each_day": [r["s"] for r in rounds]}


def cli_sync(vault_root: Path) -> dict[str, Any]:
    """`fieldkit sync` as its own process; wall seconds from spawn to exit."""
    env = {**os.environ, "FIELDKIT_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "fieldkit", "--vault", str(vault_root), "--json", "sync"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"fieldkit sync failed: {done.stderr[-2000:]}")
    return {"s": round(seconds, 3), "requests": json.loads(done.stdout).get("requests")}


# --- HQ on disk -----------------------------------------------------------------------------


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def hq_disk(data: Path, database: str | None) -> dict[str, Any]:
    """HQ's bytes on disk once stopped (`serve` folds its WAL into the database and truncates
    it as it stops): the data folder's files, and the write-ahead log's share of them."""
    if database is None:
        wal = sum(p.stat().st_size for p in data.glob("*-wal"))
        return {"folder_bytes": folder_bytes(data), "wal_bytes": wal}
    import psycopg  # noqa: PLC0415 - PostgreSQL only

    plain = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        total = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        ).fetchone()
    return {"tables_bytes": int(total[0] or 0) if total else 0}


# --- scenarios ------------------------------------------------------------------------------


def prepare_vaults(folder: Path, records: list[Record]) -> tuple[Path, Path]:
    """A vault holding `records` and an empty one, both locked."""
    ana_root, luis_root = folder / "ana", folder / "luis"
    ana, _ = create_vault(ana_root, PASSPHRASE)
    load_vault(ana, records)
    ana.lock()
    luis, _ = create_vault(luis_root, PASSPHRASE)
    luis.lock()
    return ana_root, luis_root


def copy_vault(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def bench_warm(
    folder: Path, ana_root: Path, luis_root: Path, database: str | None, tag: str
) -> dict[str, Any]:
    data = folder / f"hq-warm-{tag}"
    with hq_process(data, database) as url:
        ana = unlock_vault(ana_root, PASSPHRASE)
        luis = unlock_vault(luis_root, PASSPHRASE)
        connect(ana, url, enroll(data, "Ana", database))
        connect(luis, url, enroll(data, "Luis", database))
        unsent = ana.unsent_changes()
        push = warm_round(ana)
        pull = warm_round(luis)
        day_push, day_pull = [], []
        for day in range(DAYS):
            edits = day_of_work(ana, day)
            day_push.append(warm_round(ana))
            day_pull.append(warm_round(luis))
        ana.lock()
        luis.lock()
    return {
        "field_changes": unsent,
        "push": push,
        "pull": pull,
        "day_edits": edits,
        "day_push": median_round(day_push),
        "day_pull": median_round(day_pull),
        "hq_disk": hq_disk(data, database),
    }


def bench_end_to_end(
    folder: Path, ana_root: Path, luis_root: Path, database: str | None, tag: str
) -> dict[str, Any]:
    data = folder / f"hq-e2e-{tag}"
    with hq_process(data, database) as url:
        for root, name in ((ana_root, "Ana"), (luis_root, "Luis")):
            vault = unlock_vault(root, PASSPHRASE)
            connect(vault, url, enroll(data, name, database))
            vault.lock()
        push = cli_sync(ana_root)
        pull = cli_sync(luis_root)
    return {"push": push, "pull": pull}


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
        edits = []
        for n in range(records):
            tip = Tip(received_on=dt.date(2026, 11, 1), subject=f"Load tip {n}", summary="x" * 80)
            fields = {**to_plain(tip), "created_at": "2026-11-01T10:00:00+00:00"}
            edits.append(
                RecordEdit(kind="tip", record=tip.id, hlc=self._clock.now().pack(), fields=fields)
            )
        start = time.perf_counter()
        with HqLink(self.address, token=self.token) as link:
            link.health()
            request = SyncRequest(cursor=self.cursor, batch=new_id(), records=edits)
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
    return {
        "devices": devices,
        "rounds_each": rounds,
        "wall_s": round(wall, 2),
        "round_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "round_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1)
        if latencies
        else None,
        "errors": len(errors),
    }


@contextlib.contextmanager
def postgres(url: str) -> Iterator[Callable[[], str]]:
    """A maker of empty PostgreSQL databases: one per HQ the benchmark starts (two HQs on one
    database would see each other's devices). 'auto' starts a throwaway cluster; a URL given
    is used once (so end to end needs 'auto')."""
    if url != "auto":
        given = [url]
        yield given.pop
        return
    from tests.postgres import PostgresCluster  # noqa: PLC0415 - only when asked for

    cluster = PostgresCluster(durable=True)
    try:
        cluster.start()
        yield cluster.create_database
    finally:
        cluster.stop()


def run_backend(
    folder: Path, vaults: tuple[Path, Path], database: Callable[[], str] | None, e2e: bool
) -> dict[str, Any]:
    """Warm rounds, then end to end, each against a fresh HQ (SQLite, or PostgreSQL when
    `database` makes databases)."""
    tag = "pg" if database else "sqlite"
    work = folder / tag
    work.mkdir()
    ana, luis = (copy_vault(v, work / f"{v.name}-warm") for v in vaults)
    figures = {"warm": bench_warm(work, ana, luis, database() if database else None, tag)}
    if e2e:
        ana, luis = (copy_vault(v, work / f"{v.name}-e2e") for v in vaults)
        url = database() if database else None
        figures["end_to_end"] = bench_end_to_end(work, ana, luis, url, tag)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 visits, 50 facilities")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--postgres",
        default="auto",
        help="postgresql+psycopg://... of an empty database; 'auto' starts a throwaway "
        "cluster from Debian's binaries (fsync on); 'none' skips PostgreSQL",
    )
    parser.add_argument("--no-e2e", action="store_true", help="skip `fieldkit sync` processes")
    parser.add_argument("--load", action="store_true", help="also 50 devices at once")
    parser.add_argument(
        "--notes",
        choices=("short", "long"),
        default="short",
        help="a visit's notes: ~450 characters (short) or ~2 KB (long)",
    )
    args = parser.parse_args()
    pace_garbage_collector()  # as the app and `fieldkit` do: the warm rounds are the app's
    visits, facilities = (1000, 50) if args.quick else (10_000, 500)
    notes = SHORT_NOTES if args.notes == "short" else LONG_NOTES
    results: dict[str, Any] = {"visits": visits, "facilities": facilities, "notes": args.notes}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        records = make_records(visits, facilities, args.seed, notes)
        vaults = prepare_vaults(folder / "pristine", records)
        results["sqlite"] = run_backend(folder, vaults, None, not args.no_e2e)
        if args.postgres != "none":
            with postgres(args.postgres) as databases:
                results["postgresql"] = run_backend(folder, vaults, databases, not args.no_e2e)
        if args.load:
            results["load_sqlite"] = bench_many_devices(folder, 50, 3, None)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


def print_table(results: dict[str, Any], prefix: str = "") -> None:
    for name, value in results.items():
        if isinstance(value, dict):
            print(f"{prefix}{name}")
            print_table(value, prefix + "  ")
        else:
            print(f"{prefix}{name:28} {value}")


if __name__ == "__main__":
    main()
