"""The bulk path writes what `Store.insert` writes: row, journal (one record entry per new
record), record versions, search."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fieldkit.domain.choices import ActionStatus, MexicanState, Sector, VisitPurpose
from fieldkit.domain.ids import new_id, new_ids
from fieldkit.domain.records import Facility, Grant, Record, Visit
from fieldkit.domain.values import Disbursement, FollowUp
from fieldkit.services.vault import Vault
from fieldkit.store import bulk, journal
from fieldkit.store.store import Store

PLANT = Facility(
    name="Llantas del Potosí",
    employer="Hule Industrial",
    sector=Sector.RUBBER_TIRES,
    state=MexicanState.SLP,
    unions=("SNTMMSSRM", "Independiente"),
    priority_sector=True,
)


def stored(store: Store, record_id: str, table: str = "facilities") -> dict[str, Any]:
    """Everything the vault holds about one record, without its id and times."""
    with store._reading() as db:
        row = next(db.table(table).rows_where("id = ?", [record_id]))
        versions = db.execute(
            "SELECT field, hlc, node FROM field_versions WHERE record_id = ? ORDER BY field",
            [record_id],
        ).fetchall()
        text = db.execute(
            "SELECT d.kind, s.title, s.body FROM search_docs d "
            "JOIN search_index s ON s.rowid = d.docid WHERE d.record_id = ?",
            [record_id],
        ).fetchall()
        widths = db.execute(
            "SELECT field, field_count FROM journal WHERE record_id = ?", [record_id]
        ).fetchall()
    entries = store.journal_entries(record_id=record_id)
    fields = journal.by_field(entries)
    for key in ("id", "created_at", "updated_at"):
        row.pop(key)
    stamps = {e.hlc for e in entries}
    return {
        "row": row,
        "entries": [(e.kind, e.field, e.sent, e.base) for e in entries],
        "widths": widths,
        "journal": sorted(
            (e.kind, e.field, e.value, e.device, e.sent, e.base)
            for e in fields
            if e.field != "created_at"
        ),
        "journal_fields": sorted(e.field for e in fields),
        "one_stamp_per_record": len(stamps) == 1,
        "versions": [(f, hlc in stamps, node) for f, hlc, node in versions],
        "search": text,
    }


def insert_normally(store: Store, record: Record) -> None:
    with store.transaction():
        store.insert(record)


def test_bulk_writes_what_insert_writes(vault: Vault) -> None:
    store = vault.store
    one, two = PLANT, dataclasses.replace(PLANT, id=new_id())
    insert_normally(store, one)
    counts: list[int] = []
    assert bulk.insert_records(store, [[two]], counts.append) == 1
    assert counts == [1]
    assert stored(store, two.id) == stored(store, one.id)
    assert [hit.record_id for hit in store.search("potosi")] == [two.id, one.id]


GRANT = Grant(
    award_number="IL-7",
    grantee="Centro de Derechos",
    amount=Decimal("125000.50"),
    period_start=dt.date(2025, 1, 1),
    sectors=(Sector.AUTOS, Sector.APPAREL),
    states=(MexicanState.PUE,),
    disbursements=(Disbursement(paid_on=dt.date(2025, 2, 1), amount=Decimal("1000")),),
)
VISIT = Visit(
    facility_id=new_id(),
    start_date=dt.date(2025, 3, 4),
    purpose=VisitPurpose.CASE_FOLLOW_UP,
    attaches=("A. Ramírez",),
    observations="Línea 3\n\t«sin ventilación»",
    follow_ups=(FollowUp(action="Llamar", due=dt.date(2025, 4, 1), status=ActionStatus.DONE),),
)


@pytest.mark.parametrize(("record", "table"), [(GRANT, "grants"), (VISIT, "visits")])
def test_bulk_matches_insert_for_dates_money_lists_and_items(
    vault: Vault, record: Record, table: str
) -> None:
    copy = dataclasses.replace(record, id=new_id())
    insert_normally(vault.store, record)
    bulk.insert_records(vault.store, [[copy]], lambda _n: None)
    assert stored(vault.store, copy.id, table) == stored(vault.store, record.id, table)


def test_bulk_entries_order_between_saves_and_the_clock_is_kept(vault: Vault) -> None:
    store = vault.store
    insert_normally(store, Facility(name="before"))
    records = [Facility(name=f"bulk {n}") for n in range(50)]
    bulk.insert_records(store, [records[:20], [], records[20:]], lambda _n: None)
    insert_normally(store, Facility(name="after"))
    entries = store.journal_entries(limit=10_000)
    stamps = [e.hlc for e in entries]
    assert stamps == sorted(stamps) and len({e.change_id for e in entries}) == len(entries)
    assert int(store.get_meta("hlc_last") or 0) == store.clock.last == stamps[-1]
    assert store.integrity_problems() == []
    assert len(store.search("bulk", limit=100)) == 50


def test_a_failing_source_leaves_nothing(vault: Vault) -> None:
    store = vault.store

    def batches() -> Any:
        yield [Facility(name="kept?")]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        bulk.insert_records(store, batches(), lambda _n: None)
    assert store.count(Facility) == 0 and store.journal_entries() == []
    assert store.search("kept") == []


def test_batch_ids_are_uuid7_and_increasing() -> None:
    before = new_id()
    batch = new_ids(5000)
    after = new_id()
    assert [before, *batch, after] == sorted({before, *batch, after})
    assert all(len(i) == 36 and i[14] == "7" and i[19] in "89ab" for i in batch)


def test_existing_ids_and_facility_names(vault: Vault) -> None:
    insert_normally(vault.store, PLANT)
    assert bulk.existing_ids(vault.store, "facility", [PLANT.id, new_id()]) == {PLANT.id}
    assert bulk.facility_names_and_states(vault.store) == [("Llantas del Potosí", "SLP")]
