"""Two or three devices edit offline and sync in orders hypothesis chooses; afterwards every
device holds the same records, each field holds the last writer's value (by hybrid logical
clock, across all devices' journals), no record is lost or duplicated, and no long-text edit
disappears without a trace: it is the value, an edit its successor saw, or in a conflict.

Each example gets its own HQ (its own SQLite database), mounted under /hq/N on one uvicorn
server, so 200+ examples stay independent and fast.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldkit.domain.records import Tip
from fieldkit.hq import devices as hq_devices
from fieldkit.hq.app import create_app
from fieldkit.hq.clock import now_ms
from fieldkit.hq.server import build_server
from fieldkit.hq.storage import Storage
from fieldkit.store.journal import by_field
from tests.hq_server import free_port
from tests.sync.devices import Device

EXAMPLES = int(os.environ.get("FIELDKIT_SYNC_EXAMPLES", "200"))
SUBJECTS = ("Overtime unpaid", "Union dues", "Horas extra", "Ñandú")
WORDS = ("alpha", "beta", "gamma", "")
TEXTS = ("Wages late.", "No notices.", "Salarios atrasados.", "", "Threats at gate.")


class Switchboard:
    """One uvicorn server routing /hq/N/... to the Nth example's own HQ app."""

    def __init__(self) -> None:
        self.port = free_port()
        self.apps: dict[str, Any] = {}
        self._numbers = itertools.count()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        _, _, number, *rest = scope["path"].split("/", 3)
        app = self.apps.get(number)
        if app is None:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app({**scope, "path": "/" + (rest[0] if rest else "")}, receive, send)

    def mount(self, storage: Storage) -> str:
        number = str(next(self._numbers))
        self.apps[number] = create_app(storage, storage.server_id())
        return f"http://127.0.0.1:{self.port}/hq/{number}"


class ExampleHQ:
    """What Device needs of an HQ: a url and enrolment codes."""

    def __init__(self, board: Switchboard, folder: Path) -> None:
        self.storage = Storage.open(f"sqlite:///{folder / 'hq.sqlite3'}")
        self.url = board.mount(self.storage)

    def enroll(self, name: str) -> str:
        return hq_devices.create_code(self.storage, name, now_ms())


@pytest.fixture(scope="module")
def switchboard() -> Iterator[Switchboard]:
    board = Switchboard()
    server = build_server(board, "127.0.0.1", board.port, None, log_config=None, access_log=False)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield board
    server.should_exit = True
    thread.join(timeout=10)


device_index = st.integers(0, 2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), device_index, st.sampled_from(SUBJECTS)),
        st.tuples(st.just("subject"), device_index, st.integers(0, 9), st.sampled_from(WORDS)),
        st.tuples(st.just("summary"), device_index, st.integers(0, 9), st.sampled_from(TEXTS)),
        st.tuples(st.just("delete"), device_index, st.integers(0, 9)),
        st.tuples(st.just("sync"), device_index),
    ),
    min_size=1,
    max_size=24,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(count=st.integers(2, 3), steps=operations)
def test_devices_converge(switchboard: Switchboard, count: int, steps: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hq = ExampleHQ(switchboard, folder)
        fleet = [Device(folder, f"d{n}", hq) for n in range(count)]
        try:
            created = play(fleet, steps)
            for _ in range(2):
                for each in fleet:
                    each.sync()
            check(fleet, created)
        finally:
            for each in fleet:
                each.close()
            hq.storage.close()


def play(fleet: list[Device], steps: list[tuple]) -> set[str]:  # type: ignore[type-arg]
    created: set[str] = set()
    for step in steps:
        action, who = step[0], fleet[step[1] % len(fleet)]
        live = sorted(who.records.list(Tip), key=lambda t: t.id)
        if action == "create":
            tip = who.create(Tip(received_on=dt.date(2026, 11, 20), subject=step[2]))
            created.add(tip.id)
        elif action == "sync":
            who.sync()
        elif live:
            tip = live[step[2] % len(live)]
            if action == "delete":
                who.records.delete(Tip, tip.id)
            elif action == "subject" and step[3]:
                who.edit(tip, subject=step[3])
            elif action == "summary":
                who.edit(tip, summary=step[3])
    return created


def check(fleet: list[Device], created: set[str]) -> None:
    snapshots = [each.snapshot(("tip",)) for each in fleet]
    assert set(snapshots[0]) == created  # nothing lost, nothing duplicated
    for other in snapshots[1:]:
        assert other == snapshots[0]
    conflicts = [{c.id for c in each.conflicts()} for each in fleet]
    assert all(ids == conflicts[0] for ids in conflicts)

    journal = [e for each in fleet for e in by_field(each.store.journal_entries(limit=1_000_000))]
    for record_id, fields in snapshots[0].items():
        for field in ("subject", "summary", "deleted"):
            writes = [e for e in journal if e.record_id == record_id and e.field == field]
            if writes:
                winner = max(writes, key=lambda e: (e.hlc, e.device))
                assert fields[field] == winner.value, (record_id, field)
        check_no_silent_loss(fleet, journal, record_id, fields["summary"])


def check_no_silent_loss(
    fleet: list[Device], journal: list[Any], record_id: str, final: str
) -> None:
    """Every device's last summary edit is the value, was seen by the winner's author, or sits
    in a conflict for a person to resolve."""
    writes = [e for e in journal if e.record_id == record_id and e.field == "summary"]
    if not writes:
        return
    bases = _bases(fleet, record_id)
    winner = max(writes, key=lambda e: (e.hlc, e.device))
    seen, version = set(), (winner.hlc, winner.device)
    while version is not None and version not in seen:
        seen.add(version)
        version = bases.get(version)
    kept_texts = {
        side["value"]
        for c in fleet[0].conflicts()
        if c.record_id == record_id
        for side in (c.kept, c.other)
    }
    for each in fleet:
        own = [e for e in writes if e.device == each.node]
        if not own:
            continue
        last = max(own, key=lambda e: e.seq)
        if _made_with(last, journal):
            continue  # the record's own creation at the field's default: every writer came after
        assert last.value == final or (last.hlc, last.device) in seen or last.value in kept_texts, (
            f"{each.name}'s edit {last.value!r} vanished"
        )


def _made_with(entry: Any, journal: list[Any]) -> bool:
    """Whether `entry` is the field's default written when its record was made (the same
    stamp as the record's created_at). HQ does not store such a value, so later writers hold
    no version of it to name as their base; no other device can have written the record
    before it was made, so nothing was concurrent with it."""
    made = any(
        e.record_id == entry.record_id
        and e.field == "created_at"
        and (e.hlc, e.device) == (entry.hlc, entry.device)
        for e in journal
    )
    return made and entry.value == ""


def _bases(fleet: list[Device], record_id: str) -> dict[tuple[int, str], tuple[int, str] | None]:
    found: dict[tuple[int, str], tuple[int, str] | None] = {}
    for each in fleet:
        with each.store._reading() as db:
            for hlc, device, base_hlc, base_node in db.execute(
                "SELECT hlc, device, base_hlc, base_node FROM journal "
                "WHERE record_id = ? AND field = 'summary'",
                [record_id],
            ).fetchall():
                found[(hlc, device)] = (base_hlc, base_node) if base_node else None
    return found
