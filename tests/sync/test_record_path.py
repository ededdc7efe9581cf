"""The record-level path (protocol 2) next to the field-by-field one (protocol 1): a record
pushed whole and one pushed field by field end in the same state everywhere, concurrent edits
of a record pushed whole still merge field by field, and an older device keeps syncing with
HQ. Real vaults, a real HQ on loopback, SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from fieldkit.domain.choices import Sector
from fieldkit.domain.codec import to_plain
from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import Facility, Visit
from fieldkit.store.connection import open_encrypted
from fieldkit.store.schema import LATEST_VERSION, migrations
from fieldkit.store.store import Store
from fieldkit.sync import body
from fieldkit.sync.engine import PENDING
from tests.hq.client import TestDevice, values
from tests.hq_server import RunningHQ
from tests.store.old_journal import journal_the_old_way
from tests.sync.devices import Device

MakeDevice = Callable[..., Device]


def plant(name: str) -> Facility:
    return Facility(
        name=name,
        employer="Ensambles del Norte S.A. de C.V.",
        sector=Sector.AUTO_PARTS,
        municipality="Ramos Arizpe",
        unions=("Sindicato Independiente",),
        priority_sector=True,
    )


def comparable(record: Any) -> dict[str, Any]:
    return {k: v for k, v in to_plain(record).items() if k != "name"}


def test_a_record_pushed_whole_and_one_pushed_field_by_field_converge(
    device: MakeDevice, hq: RunningHQ
) -> None:
    ana, luis = device("ana"), device("luis")
    old = TestDevice.enrol(hq, "Older FieldKit")  # protocol 1: a change per field, with ids
    try:
        whole = ana.create(plant("Planta entera"))
        ana.sync()  # protocol 2: the record travels as one entry
        # The same values field by field, each with its own clock, from a protocol-1 device.
        piecemeal = new_id()
        plain = {**to_plain(plant("Planta por campos")), "created_at": "2026-11-03T10:00:00+00:00"}
        old.push([old.change("facility", piecemeal, name, value) for name, value in plain.items()])
        luis.sync()
        ana.sync()
        for each in (ana, luis):
            got_whole = each.records.get(Facility, whole.id)
            got_piecemeal = each.records.get(Facility, piecemeal)
            assert comparable(got_whole) == comparable(got_piecemeal) == comparable(whole)
            assert (got_whole.name, got_piecemeal.name) == ("Planta entera", "Planta por campos")
        # The older device pulls the whole record field by field, each with the record's one
        # version; fields at their default are not stored at HQ, so they do not travel.
        changes, _ = old.pull_all()
        mine = [c for c in changes if c["record"] == whole.id]
        assert len({(c["hlc"], c["node"]) for c in mine}) == 1
        sent = {c["field"]: c["value"] for c in mine}
        defaults = to_plain(Facility())
        for name, value in to_plain(whole).items():
            assert sent.get(name, defaults[name]) == value
        assert "parent_company" not in sent and "labor_events" not in sent
        # A later edit on the protocol-1 device reaches the protocol-2 devices, and back.
        old.push([old.change("facility", whole.id, "municipality", "Arteaga")])
        ana.edit(whole, employer="Otra razón social")
        ana.sync()
        luis.sync()
        assert luis.records.get(Facility, whole.id).municipality == "Arteaga"
        assert values(old.pull_all()[0])[(whole.id, "employer")] == "Otra razón social"
    finally:
        old.close()


def test_concurrent_edits_of_a_record_pushed_whole_merge_field_by_field(
    device: MakeDevice,
) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(plant("Planta Sur"))
    visit = ana.create(Visit(facility_id=facility.id, start_date=dt.date(2026, 11, 3)))
    ana.sync()
    luis.sync()
    # Each edits two fields in one save (one record edit each); one field in common.
    ana.edit(visit, findings="Despidos tras la votación.", summary="Ana: seguimiento")
    luis.edit(visit, observations="Sin avisos sindicales.", summary="Luis: seguimiento")
    for _ in range(2):
        ana.sync()
        luis.sync()
    for each in (ana, luis):
        merged = each.records.get(Visit, visit.id)
        assert merged.findings == "Despidos tras la votación."
        assert merged.observations == "Sin avisos sindicales."
        (conflict,) = each.conflicts()  # only the field both changed
        assert conflict.field == "summary"
        assert {conflict.kept["value"], conflict.other["value"]} == {
            "Ana: seguimiento",
            "Luis: seguimiento",
        }
        assert merged.summary == conflict.kept["value"]
    assert ana.snapshot(("visit",)) == luis.snapshot(("visit",))


def test_one_refused_field_of_a_record_is_quarantined_and_the_rest_stored(
    device: MakeDevice,
) -> None:
    ana, luis = device("ana"), device("luis")
    facility = ana.create(plant("Planta Este"))
    with ana.store._writing() as db:  # a value this FieldKit would never write
        db.execute(
            "UPDATE journal SET value = json_set(value, '$.sector', 'not-a-sector') "
            "WHERE record_id = ?",
            [facility.id],
        )
    report = ana.sync()
    assert report.rejected == 1
    (refused,) = ana.store.sync.quarantined()
    assert (refused["record_id"], refused["field"], refused["code"]) == (
        facility.id,
        "sector",
        "invalid_value",
    )
    assert ana.store.count_unsent() == 0
    luis.sync()
    assert luis.records.get(Facility, facility.id).name == "Planta Este"


def test_a_batch_saved_by_an_older_fieldkit_is_sent_again_as_it_was(device: MakeDevice) -> None:
    """A protocol-1 batch left pending by the FieldKit before the update is resent as the
    same bytes; HQ answers it in protocol 1 and the device settles it."""
    ana, luis = device("ana"), device("luis")
    facility = journal_the_old_way(ana.store, Facility(name="Planta Oeste"))  # as it was then
    with ana.store._reading() as db:
        rows = db.execute(
            "SELECT change_id, kind, record_id, field, value, hlc FROM journal WHERE sent = 0"
        ).fetchall()
    changes = [
        {"id": c, "kind": k, "record": r, "field": f, "value": json.loads(v), "hlc": h}
        for c, k, r, f, v, h in rows
    ]
    future = (int(dt.datetime.now(dt.UTC).timestamp() * 1000) + 3_600_000) << COUNTER_BITS
    changes[0] = {**changes[0], "hlc": future}  # one clock HQ clamps
    changes.append({**changes[0], "id": "bad-one", "field": "nonsense"})  # one HQ refuses
    with ana.store._writing() as db:
        db.execute(
            "INSERT INTO journal (change_id, kind, record_id, field, value, hlc, device, sent) "
            "VALUES ('bad-one', 'facility', ?, 'nonsense', '1', ?, ?, 0)",
            [facility.id, future, ana.node],
        )
    old = {"protocol": 1, "cursor": 0, "batch": "old-batch", "changes": changes, "pull": True}
    packed = body.compress(json.dumps(old).encode(), body.ZSTD)
    ana.store.set_meta(PENDING, base64.b64encode(packed).decode("ascii"))
    report = ana.sync()
    assert report.rejected == 1
    assert [q["change_id"] for q in ana.store.sync.quarantined()] == ["bad-one"]
    assert ana.store.count_unsent() == 0
    luis.sync()
    assert luis.records.get(Facility, facility.id).name == "Planta Oeste"


def test_a_new_record_missing_a_required_field_is_quarantined_whole(device: MakeDevice) -> None:
    ana, luis = device("ana"), device("luis")
    kept = ana.create(Facility(name="Planta Norte"))
    broken = ana.create(Facility(name="Planta sin nombre", municipality="Saltillo"))
    with ana.store._writing() as db:  # as a tampered or foreign client would send it
        db.execute(
            "UPDATE journal SET value = json_set(value, '$.name', '') WHERE record_id = ?",
            [broken.id],
        )
    report = ana.sync()
    refused = ana.store.sync.quarantined()
    assert {q["record_id"] for q in refused} == {broken.id}
    assert {q["code"] for q in refused} == {"invalid_value"} and report.rejected == len(refused)
    assert "name" in {q["field"] for q in refused} and ana.store.count_unsent() == 0
    luis.sync()
    assert {r for r in luis.snapshot(("facility",))} == {kept.id}


def test_a_record_edited_before_its_first_sync_is_not_refused(device: MakeDevice) -> None:
    """A new record whose required field was edited again before it was sent travels as two
    record edits (the creation without that field, then the edit): HQ judges the record on
    both together, so nothing is refused."""
    ana, luis = device("ana"), device("luis")
    made = ana.create(Facility(name="Planta"))
    ana.edit(made, name="Planta Norte")
    report = ana.sync()
    assert report.rejected == 0 and ana.store.sync.quarantined() == []
    luis.sync()
    assert luis.records.get(Facility, made.id).name == "Planta Norte"


def test_a_vault_from_before_record_entries_sends_every_unsent_change(
    device: MakeDevice, tmp_path: Path
) -> None:
    """A vault at version 10 with changes journaled field by field and not yet sent (a new
    record, then an edit of it) upgrades on open and sends them all, beside a record made
    after the upgrade, which goes as one entry; a record edit of the old record later still
    names its field's old version as its base."""
    key = os.urandom(32)
    path = tmp_path / "ana.db"
    conn = open_encrypted(path, key)
    migrations.apply(sqlite_utils.Database(conn), stop_before="0011_record_entries")
    old = Store(path, conn, read_only=True)  # opened as FieldKit before 0011 left it
    old.read_only = False
    waiting = journal_the_old_way(old, plant("Planta pendiente"))
    with old.transaction():
        old.update(waiting, dataclasses.replace(waiting, municipality="Arteaga"))
    with old._reading() as db:  # version 10 counted entries, one per field
        unsent = db.execute("SELECT count(*) FROM journal WHERE sent = 0").fetchone()[0]
    old.close()

    ana, luis = device("ana", key=key), device("luis")
    assert ana.store.schema_version() == LATEST_VERSION and ana.store.count_unsent() == unsent
    made_now = ana.create(plant("Planta nueva"))
    report = ana.sync()
    assert report.rejected == 0 and ana.store.count_unsent() == 0
    assert report.pushed == unsent + len(Facility.specs()) + 1
    luis.sync()
    got = luis.records.get(Facility, waiting.id)
    assert comparable(got) == {**comparable(waiting), "municipality": "Arteaga"}
    assert got.name == "Planta pendiente"
    assert comparable(luis.records.get(Facility, made_now.id)) == comparable(made_now)
    # Concurrent edits of the old record's field: HQ sees the bases and keeps a conflict.
    ana.edit(waiting, employer="Ana S.A.")
    luis.edit(got, employer="Luis S.A.")
    ana.sync()
    luis.sync()
    ana.sync()
    (conflict,) = ana.conflicts()
    assert conflict.field == "employer"
