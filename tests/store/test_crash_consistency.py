"""Crash consistency: a writer process killed with SIGKILL at random moments never loses a save
it acknowledged, and never leaves the vault damaged or half-written.

The writer (`crash_writer.py`) saves through the services API and prints `ACK ...` only after
the save call returned. After each kill the test unlocks the vault in-process and checks:
`PRAGMA integrity_check` is 'ok', SQLCipher's page HMACs verify, the FTS index is sound, every
acknowledged record is there with its acknowledged value, and every record row has its journal
entries, its search entry and its audit entry (they are written in one transaction).

SIGKILL ends the process, not the machine: the operating system still writes out what the
process had handed it. So this proves atomicity and recovery of the WAL after an abrupt stop,
not durability across a power cut (that is what synchronous=FULL is for).

A negative control runs the writer in `--ack-before-commit` mode (it acknowledges, then
saves) and shows that the same checker reports the acknowledged records that were lost.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from fieldkit.crypto.kdf import MIN_MEMORY_KIB, MIN_TIME_COST, new_kdf_params
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import KINDS, Facility
from fieldkit.errors import RecordNotFound
from fieldkit.services.vault import create_vault, unlock_vault
from fieldkit.store.schema import TABLES

WRITER = Path(__file__).with_name("crash_writer.py")
PASSPHRASE = "crash-test-passphrase-ñandú"
CYCLES = 100
READY_TIMEOUT_S = 30.0
WRITTEN_KINDS = ("facility", "visit")


@dataclasses.dataclass(frozen=True)
class Ack:
    """One acknowledged save, as the writer printed it."""

    record_id: str
    op: str  # "create": field == value; "update": field >= value (values sort by time)
    kind: str
    field: str
    value: str


def parse_ack(line: str) -> Ack | None:
    parts = line.rstrip("\n").split(" ", 5)
    if len(parts) != 6 or parts[0] != "ACK":
        return None
    return Ack(*parts[1:])


@dataclasses.dataclass
class CheckReport:
    integrity: list[str]
    cipher_errors: list[str]
    fts_error: str | None
    missing: list[Ack]
    stale: list[Ack]
    incomplete: dict[str, int]  # record rows lacking a journal, search or audit entry
    records: int

    @property
    def ok(self) -> bool:
        return (
            self.integrity == ["ok"]
            and not self.cipher_errors
            and self.fts_error is None
            and not self.missing
            and not self.stale
            and not any(self.incomplete.values())
        )


def latest_acks(acks: Sequence[Ack]) -> list[Ack]:
    """The last acknowledgement of each (record, field): later updates supersede earlier."""
    latest: dict[tuple[str, str, str], Ack] = {}
    for ack in acks:
        latest[(ack.kind, ack.record_id, ack.field)] = ack
    return list(latest.values())


def check_vault(vault_dir: Path, acks: Sequence[Ack]) -> CheckReport:
    """Unlock the vault in-process and check it against the acknowledged saves."""
    vault = unlock_vault(vault_dir, PASSPHRASE)
    try:
        db = vault.store._db
        integrity = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
        cipher_errors = [str(row) for row in db.execute("PRAGMA cipher_integrity_check")]
        fts_error = None
        try:
            db.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
        except Exception as exc:  # sqlcipher3's own DatabaseError classes
            fts_error = f"{type(exc).__name__}: {exc}"
        missing: list[Ack] = []
        stale: list[Ack] = []
        for ack in latest_acks(acks):
            try:
                record = vault.records.get(KINDS[ack.kind], ack.record_id)
            except RecordNotFound:
                missing.append(ack)
                continue
            stored = str(getattr(record, ack.field))
            if ack.op == "create":
                if stored != ack.value:
                    stale.append(ack)
            elif stored < ack.value:  # an update: this value or a later one
                stale.append(ack)
        incomplete: dict[str, int] = {}
        records = 0
        for kind in WRITTEN_KINDS:
            table = TABLES[kind]
            records += db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for what, ids in (
                ("journal", f"SELECT record_id FROM journal WHERE kind = '{kind}'"),
                ("search", "SELECT record_id FROM search_docs"),
                (
                    "audit",
                    f"SELECT record_id FROM audit WHERE action = 'created' AND kind = '{kind}'",
                ),
            ):
                sql = f"SELECT count(*) FROM {table} WHERE id NOT IN ({ids})"
                incomplete[f"{kind} without {what}"] = db.execute(sql).fetchone()[0]
        return CheckReport(integrity, cipher_errors, fts_error, missing, stale, incomplete, records)
    finally:
        vault.lock()


class Writer:
    """One writer process. It starts and imports at once, then waits for `go()`, so the next
    writer can start up while the test checks the vault after the previous one."""

    def __init__(self, vault_dir: Path, seed: int, log: Path, extra: Sequence[str] = ()) -> None:
        self.log = log
        env = {**os.environ, "FIELDKIT_PASSPHRASE": PASSPHRASE}
        with log.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, str(WRITER), str(vault_dir), "--seed", str(seed), *extra],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
            )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if raw.endswith(b"\n"):  # a line cut short by the kill acknowledges nothing
                self.lines.put(raw.decode("utf-8"))
        self.lines.put(None)

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def next_line(self, timeout: float) -> str | None:
        """The next line; None at end of output; raises queue.Empty on timeout."""
        line = self.lines.get(timeout=max(timeout, 0.0))
        if line is None:
            self.lines.put(None)  # keep reporting the end
        return line

    def kill(self) -> list[str]:
        """SIGKILL the writer and return every complete line it had printed but we had not
        read yet (those were acknowledged too)."""
        self.proc.kill()
        self.proc.wait()
        self._reader.join(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        rest = []
        while (line := self.lines.get_nowait()) is not None:
            rest.append(line)
        self.lines.put(None)  # killing twice is harmless
        return rest

    def died(self) -> str:
        return f"the writer exited with {self.proc.poll()}:\n{self.log.read_text('utf-8')}"


@dataclasses.dataclass(frozen=True)
class Plan:
    """When to kill: after `acks` acknowledgements, or `seconds` after READY."""

    acks: int | None
    seconds: float

    @classmethod
    def random(cls, rng: random.Random) -> Plan:
        if rng.random() < 0.5:
            return cls(acks=rng.randint(1, 40), seconds=10.0)
        return cls(acks=None, seconds=rng.uniform(0.05, 0.4))


def run_until_killed(writer: Writer, plan: Plan) -> list[Ack]:
    """Let the writer go, kill it as planned, return its acknowledgements."""
    writer.go()
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            line = writer.next_line(deadline - time.monotonic())
        except queue.Empty:
            writer.kill()
            pytest.fail(f"the writer was not READY in {READY_TIMEOUT_S} s: {writer.died()}")
        if line is None:
            pytest.fail(writer.died())
        if line == "READY\n":
            break
    acks: list[Ack] = []
    deadline = time.monotonic() + plan.seconds
    while plan.acks is None or len(acks) < plan.acks:
        try:
            line = writer.next_line(deadline - time.monotonic())
        except queue.Empty:
            break
        if line is None:
            pytest.fail(writer.died())
        ack = parse_ack(line)
        if ack is not None:
            acks.append(ack)
    for line in writer.kill():
        ack = parse_ack(line)
        if ack is not None:
            acks.append(ack)
    assert writer.proc.returncode == -9, writer.died()
    return acks


@dataclasses.dataclass
class CrashRun:
    cycles: int
    acks: list[Ack]
    reports: list[CheckReport]
    seconds: float


def crash_cycles(
    vault_dir: Path,
    logs: Path,
    cycles: int,
    rng: random.Random,
    *,
    extra: Sequence[str] = (),
    plan: Callable[[random.Random], Plan] = Plan.random,
) -> CrashRun:
    """Run `cycles` start-write-kill-check rounds; the next writer starts during each check."""
    logs.mkdir(exist_ok=True)
    started = time.monotonic()
    all_acks: list[Ack] = []
    reports: list[CheckReport] = []

    def spawn(n: int) -> Writer:
        return Writer(vault_dir, rng.randrange(1 << 30), logs / f"writer-{n}.log", extra)

    writer = spawn(0)
    try:
        for n in range(cycles):
            acks = run_until_killed(writer, plan(rng))
            writer = spawn(n + 1)
            reports.append(check_vault(vault_dir, acks))
            all_acks.extend(acks)
    finally:
        writer.kill()
    return CrashRun(cycles, all_acks, reports, time.monotonic() - started)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "vault"
    vault, _recovery = create_vault(
        root, PASSPHRASE, kdf=new_kdf_params(MIN_MEMORY_KIB, MIN_TIME_COST)
    )
    vault.records.create(Facility(name="Planta inicial"))
    vault.lock()
    yield root


def describe(report: CheckReport) -> str:
    return (
        f"integrity={report.integrity[:5]} cipher={report.cipher_errors[:5]} "
        f"fts={report.fts_error} missing={len(report.missing)} stale={len(report.stale)} "
        f"incomplete={ {k: v for k, v in report.incomplete.items() if v} }"
    )


@pytest.mark.slow
def test_killed_writer_never_loses_an_acknowledged_save(vault_dir: Path, tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    run = crash_cycles(vault_dir, tmp_path / "logs", CYCLES, random.Random(seed))

    bad = [(n, describe(r)) for n, r in enumerate(run.reports) if not r.ok]
    assert not bad, f"seed {seed}: {len(bad)} of {run.cycles} cycles failed: {bad[:5]}"
    final = check_vault(vault_dir, run.acks)  # everything ever acknowledged is still there
    assert final.ok, f"seed {seed}: {describe(final)}"
    assert len(run.acks) >= run.cycles  # every cycle saved something before its kill
    acked_records = len({a.record_id for a in run.acks if a.op == "create"})
    print(
        f"\ncrash consistency: {run.cycles} kills, {len(run.acks)} acknowledged saves "
        f"({acked_records} records created, "
        f"{sum(a.op == 'update' for a in run.acks)} updates), lost 0, stale 0; "
        f"{final.records} records in the vault; "
        f"{run.seconds:.1f} s ({run.seconds / run.cycles:.2f} s per cycle)"
    )


@pytest.mark.slow
def test_checker_detects_acknowledged_saves_that_never_happened(
    vault_dir: Path, tmp_path: Path
) -> None:
    """Negative control: a writer that acknowledges before saving (and dawdles 300 ms before
    the save) is killed right after an acknowledgement; the checker must see the loss."""
    run = crash_cycles(
        vault_dir,
        tmp_path / "logs",
        4,
        random.Random(7),
        extra=["--ack-before-commit", "--gap-ms", "300"],
        plan=lambda rng: Plan(acks=rng.randint(1, 3), seconds=10.0),
    )

    lost = [ack for report in run.reports for ack in report.missing + report.stale]
    assert lost, "the checker did not notice acknowledged saves that never reached the vault"
    assert sum(not r.ok for r in run.reports) >= 3
    # The database itself is sound: the writer lied, nothing was corrupted.
    assert all(r.integrity == ["ok"] and not r.cipher_errors for r in run.reports)


def test_checker_reports_missing_and_stale_acknowledgements(vault_dir: Path) -> None:
    """The checker itself, on acknowledgements made up by hand."""
    vault = unlock_vault(vault_dir, PASSPHRASE)
    saved = vault.records.create(Facility(name="Planta real", address="00000000000000000005"))
    vault.lock()
    real = Ack(saved.id, "create", "facility", "name", "Planta real")
    fresh = Ack(saved.id, "update", "facility", "address", "00000000000000000004")
    ghost = Ack(new_id(), "create", "facility", "name", "Planta fantasma")
    later = Ack(saved.id, "update", "facility", "address", "00000000000000000009")

    assert check_vault(vault_dir, [real, fresh]).ok
    report = check_vault(vault_dir, [real, ghost, later])
    assert not report.ok
    assert report.missing == [ghost]
    assert report.stale == [later]
    assert report.integrity == ["ok"]
