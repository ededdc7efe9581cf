"""The vault's side of sync: what goes out with which base, and pulled fields applied by
last-writer-wins, without HQ (the end-to-end tests in tests/sync run a real one)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from fieldkit.domain.hlc import COUNTER_BITS
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import Facility, Interview
from fieldkit.store import blob_transfer, journal, outbox, replica
from fieldkit.store.replica import Incoming
from fieldkit.store.store import Store
from tests.store.old_journal import journal_the_old_way

OTHER = "0190c0de-0000-7000-8000-000000000001"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "v.db", os.urandom(32))


def saved(store: Store, record):  # type: ignore[no-untyped-def]
    with store.transaction():
        return store.insert(record)


def edited(store: Store, old, **changes):  # type: ignore[no-untyped-def]
    with store.transaction():
        return store.update(old, dataclasses.replace(old, **changes))


def pull(store: Store, *changes: Incoming) -> int:
    with store._writing() as db:
        return replica.apply(db, list(changes)).changed


def far_future(store: Store) -> int:
    return (store.clock.last >> COUNTER_BITS) + 10_000 << COUNTER_BITS


def sent_edits(store: Store, limit: int = 2000) -> list[dict[str, Any]]:
    """The RecordEdits the next push would carry, as JSON."""
    with store._reading() as db:
        return list(json.loads(outbox.outgoing(db, limit=limit, entries=2000).records_json))


def test_a_new_record_is_one_entry_and_goes_out_whole_without_bases(store: Store) -> None:
    facility = saved(store, Facility(name="Planta Norte", unions=("SNTMMSSRM",)))
    with store._reading() as db:
        (entry,) = journal.entries(db, unsent_only=True, limit=100)
        out = outbox.outgoing(db, limit=2000, entries=2000)
    fields = {s.name for s in Facility.specs()} | {"created_at"}
    assert entry.field == journal.RECORD and set(entry.value) == fields
    (edit,) = json.loads(out.records_json)
    assert edit == {
        "kind": "facility",
        "record": facility.id,
        "hlc": entry.hlc,
        "fields": entry.value,
    }
    assert edit["fields"]["unions"] == ["SNTMMSSRM"] and edit["fields"]["priority_sector"] is False
    assert json.loads(out.change_ids_json) == [entry.change_id]
    assert (out.count, out.more) == (len(fields), False) and store.count_unsent() == len(fields)


def test_an_edit_remembers_the_version_it_started_from(store: Store) -> None:
    interview = saved(store, Interview(pseudonym="W-1", notes="first"))
    with store._writing() as db:
        (made,) = journal.entries(db, unsent_only=True, limit=100)
        outbox.mark_sent(db, [made.change_id])
    edited(store, interview, notes="second")
    edited(store, store.get(Interview, interview.id), notes="third")
    with store._reading() as db:
        (out,) = journal.entries(db, unsent_only=True, limit=100)
    # Two edits since the last sync: one entry, the newest text, the base before both (the
    # version the record was made with).
    assert (out.field, out.value) == ("notes", "third")
    assert out.base == (made.hlc, store.device_id)
    (edit,) = sent_edits(store)
    assert edit["fields"] == {"notes": "third"}
    assert edit["base"] == {"notes": {"hlc": made.hlc, "node": store.device_id}}


def test_an_edit_before_the_first_sync_takes_its_field_out_of_the_record_entry(
    store: Store,
) -> None:
    facility = saved(store, Facility(name="Planta", municipality="Silao"))
    edited(store, facility, name="Planta Norte", municipality="León")
    with store._reading() as db:
        made, *edits = journal.entries(db, unsent_only=True, limit=100)
    assert "name" not in made.value and "municipality" not in made.value
    assert {(e.field, e.value, e.base) for e in edits} == {
        ("name", "Planta Norte", None),
        ("municipality", "León", None),
    }
    creation, edit = sent_edits(store)
    assert creation["hlc"] == made.hlc and "name" not in creation["fields"]
    assert edit["fields"] == {"name": "Planta Norte", "municipality": "León"}
    assert "base" not in edit and creation["fields"]["employer"] == ""
    fields = len(Facility.specs()) + 1
    assert store.count_unsent() == fields  # the two fields moved, none added


def test_deleted_is_not_covered_by_the_record_version(store: Store) -> None:
    """A new record's entry never carries `deleted`: a delete has no version to start from,
    as when every field had its own, and any pulled `deleted` applies."""
    facility = saved(store, Facility(name="Planta"))
    edited(store, facility, deleted=True)
    _made, delete = sent_edits(store)
    assert delete["fields"] == {"deleted": True} and "base" not in delete
    other = saved(store, Facility(name="Otra"))
    with store._reading() as db:
        made = journal.held_version(db, other.id, "name")
        assert journal.held_version(db, other.id, "deleted") is None
    assert made is not None
    older = made[0] - (1 << COUNTER_BITS)
    assert pull(store, Incoming("facility", other.id, "deleted", True, older, OTHER)) == 1
    assert pull(store, Incoming("facility", other.id, "name", "Vieja", older, OTHER)) == 0


def test_old_field_entries_and_a_record_entry_go_out_as_the_same_edit(store: Store) -> None:
    plant = Facility(name="Planta", employer="Hule, S.A.", unions=("A", "B"), priority_sector=True)
    journal_the_old_way(store, plant)
    twin = saved(store, dataclasses.replace(plant, id=new_id()))
    old, new = sent_edits(store)
    for edit in (old, new):
        edit.pop("hlc")
        edit["fields"].pop("created_at")
    assert (old.pop("record"), new.pop("record")) == (plant.id, twin.id)
    assert old == new and list(old["fields"]) == list(new["fields"])
    # An edit of an old record still names the version its field held as its base.
    with store._writing() as db:
        outbox.mark_sent(
            db, json.loads(outbox.outgoing(db, limit=2000, entries=2000).change_ids_json)
        )
    edited(store, store.get(Facility, plant.id), name="Planta 2")
    edited(store, twin, name="Planta 3")
    bases = [e["base"]["name"]["node"] for e in sent_edits(store)]
    assert bases == [store.device_id, store.device_id]


def test_a_record_entry_that_is_not_a_fields_object_never_goes_out_empty(store: Store) -> None:
    """FieldKit never writes one; if a vault holds one, the batch still goes (HQ refuses a
    RecordEdit without fields, and the whole request with it)."""
    broken, kept = (saved(store, Facility(name=n)) for n in ("Rota", "Buena"))
    with store._writing() as db:
        db.execute("UPDATE journal SET value = '[1' WHERE record_id = ?", [broken.id])
        out = outbox.outgoing(db, limit=2000, entries=2000)
        ids = out.change_ids_json  # a refusal naming it finds nothing to take out, and goes on
        outbox.quarantine_field(db, ids, broken.id, "name", code="invalid_value", message="x")
    assert [e["record"] for e in json.loads(out.records_json)] == [kept.id]
    assert len(json.loads(out.change_ids_json)) == 2  # marked sent with the batch


def test_a_batch_takes_whole_entries_up_to_the_limit_of_fields(store: Store) -> None:
    plants = [saved(store, Facility(name=f"Planta {n}")) for n in range(3)]
    edited(store, plants[0], municipality="Apodaca")
    width = len(Facility.specs()) + 1
    with store._reading() as db:
        two = outbox.outgoing(db, limit=2 * width + 1, entries=2000)
        alone = outbox.outgoing(db, limit=3, entries=2000)  # one record is wider: it goes alone
        rest = outbox.outgoing(db, after_seq=two.last_seq, limit=2000, entries=2000)
    assert (two.count, two.more, len(json.loads(two.change_ids_json))) == (2 * width - 1, True, 2)
    assert (alone.count, alone.more) == (width - 1, True)
    assert [e["record"] for e in json.loads(rest.records_json)] == [plants[2].id, plants[0].id]
    assert (rest.count, rest.more) == (width + 1, False)
    assert store.count_unsent() == 3 * width


def test_a_pulled_record_is_created_and_searchable(store: Store) -> None:
    hlc = far_future(store)
    record_id = "0190c0de-0000-7000-8000-0000000000aa"
    changed = pull(
        store,
        Incoming("facility", record_id, "name", "Ensambladora del Bajío", hlc, OTHER),
        Incoming("facility", record_id, "sector", "auto_parts", hlc, OTHER),
        Incoming("facility", record_id, "created_at", "2026-11-01T10:00:00+00:00", hlc, OTHER),
    )
    assert changed == 3
    facility = store.get(Facility, record_id)
    assert facility is not None
    assert facility.name == "Ensambladora del Bajío"
    assert facility.author_device == OTHER
    assert [h.record_id for h in store.search("bajio")] == [record_id]
    # Pulled changes are not journaled again: they are not this device's to send.
    assert store.count_unsent() == 0


def test_a_page_planned_before_the_record_arrived_yields_to_what_the_vault_now_holds(
    store: Store,
) -> None:
    """A page is planned (as new records) while the page before it is written; when that
    page brought the same record, the plan is set aside and the vault's versions decide."""
    hlc = far_future(store)
    record_id = "0190c0de-0000-7000-8000-0000000000ab"
    created = "2026-11-01T10:00:00+00:00"
    later_page = replica.prepare(
        [
            Incoming("facility", record_id, "name", "Nombre viejo", hlc, OTHER),
            Incoming("facility", record_id, "employer", "Empresa", hlc + 1, OTHER),
            Incoming("facility", record_id, "created_at", created, hlc, OTHER),
        ]
    )
    assert later_page.as_new[record_id] is not None
    pull(
        store,
        Incoming("facility", record_id, "name", "Nombre nuevo", hlc + 5, OTHER),
        Incoming("facility", record_id, "created_at", created, hlc, OTHER),
    )
    with store._writing() as db:
        applied = replica.apply(db, later_page)
    facility = store.get(Facility, record_id)
    assert facility is not None
    assert (facility.name, facility.employer) == ("Nombre nuevo", "Empresa")
    assert applied.changed == 1  # the employer; the older name and the creation lost
    assert [h.record_id for h in store.search("empresa")] == [record_id]


def test_last_writer_wins_per_field(store: Store) -> None:
    facility = saved(store, Facility(name="Local name", employer="Local employer"))
    older = (store.clock.last >> COUNTER_BITS) - 1000 << COUNTER_BITS
    newer = far_future(store)
    pull(
        store,
        Incoming("facility", facility.id, "name", "Older remote name", older, OTHER),
        Incoming("facility", facility.id, "employer", "Newer remote employer", newer, OTHER),
    )
    current = store.get(Facility, facility.id)
    assert current is not None
    assert current.name == "Local name"
    assert current.employer == "Newer remote employer"
    # Applying the same page again changes nothing.
    assert (
        pull(
            store,
            Incoming("facility", facility.id, "employer", "Newer remote employer", newer, OTHER),
        )
        == 0
    )


def test_a_pulled_tombstone_removes_the_record_from_search(store: Store) -> None:
    facility = saved(store, Facility(name="Textiles Unidos"))
    pull(store, Incoming("facility", facility.id, "deleted", True, far_future(store), OTHER))
    current = store.get(Facility, facility.id)
    assert current is not None and current.deleted
    assert store.search("textiles") == []


def test_a_value_the_domain_refuses_is_skipped_and_the_rest_of_the_record_stored(
    store: Store,
) -> None:
    hlc = far_future(store)
    record_id = "0190c0de-0000-7000-8000-0000000000ab"
    with store._writing() as db:
        applied = replica.apply(
            db,
            [
                Incoming("facility", record_id, "name", "Hilados de Puebla", hlc, OTHER),
                Incoming("facility", record_id, "sector", "no such sector", hlc, OTHER),
                Incoming("facility", record_id, "employer", "x" * 100_000, hlc, OTHER),
                Incoming("facility", record_id, "colour", "red", hlc, OTHER),
                Incoming("spaceship", record_id, "name", "Nostromo", hlc, OTHER),
            ],
        )
    assert (applied.changed, applied.skipped, applied.latest) == (1, 4, hlc)
    facility = store.get(Facility, record_id)
    assert facility is not None
    assert (facility.name, facility.sector, facility.employer) == ("Hilados de Puebla", "other", "")
    # A refused field keeps no version: a good value for it, even an older one, applies.
    earlier = hlc - (1 << COUNTER_BITS)
    assert pull(store, Incoming("facility", record_id, "sector", "auto_parts", earlier, OTHER)) == 1
    stored = store.get(Facility, record_id)
    assert stored is not None and stored.sector == "auto_parts"


def test_pulled_records_are_indexed_in_bulk_and_replace_their_old_search_text(
    store: Store,
) -> None:
    kept = saved(store, Facility(name="Curtidora Leon"))
    renamed = saved(store, Facility(name="Maquiladora Vieja"))
    hlc = far_future(store)
    new_ids = [f"0190c0de-0000-7000-8000-00000000010{n}" for n in range(3)]
    pull(
        store,
        Incoming("facility", renamed.id, "name", "Maquiladora Nueva", hlc, OTHER),
        *(
            Incoming("facility", rid, "name", f"Ensambladora {n}", hlc, OTHER)
            for n, rid in enumerate(new_ids)
        ),
    )
    assert store.search("vieja") == []
    assert [h.record_id for h in store.search("nueva")] == [renamed.id]
    assert {h.record_id for h in store.search("ensambladora")} == set(new_ids)
    assert [h.record_id for h in store.search("curtidora")] == [kept.id]
    # The newest first: the last record of the page took the largest search rowid.
    assert store.search("ensambladora")[0].record_id == new_ids[-1]
    assert store.integrity_problems() == []


def test_a_refused_change_moves_to_quarantine_and_leaves_the_queue(store: Store) -> None:
    facility = saved(store, Facility(name="Planta"))
    edited(store, facility, municipality="Silao")
    with store._writing() as db:
        victim = journal.entries(db, unsent_only=True, limit=100)[-1]
        outbox.quarantine(db, victim.change_id, "invalid_value", "bad")
        left = journal.entries(db, unsent_only=True, limit=100)
        kept = outbox.quarantined(db)
    assert victim.change_id not in {o.change_id for o in left}
    assert [q["change_id"] for q in kept] == [victim.change_id]
    assert (kept[0]["code"], kept[0]["field"]) == ("invalid_value", "municipality")


def test_a_refused_field_of_a_record_entry_is_taken_out_and_quarantined(store: Store) -> None:
    facility = saved(store, Facility(name="Planta", sector="auto_parts"))
    with store._writing() as db:
        out = outbox.outgoing(db, limit=2000, entries=2000)
        outbox.mark_sent(db, out.change_ids_json)
        for field in ("sector", "name", "sector", "colour"):  # twice, and one it never had
            outbox.quarantine_field(
                db, out.change_ids_json, facility.id, field, code="invalid_value", message="x"
            )
        (entry,) = journal.entries(db, limit=100)
        kept = {q["field"]: q for q in outbox.quarantined(db)}
        values = dict(db.execute("SELECT field, value FROM sync_quarantine").fetchall())
        width = db.execute("SELECT field_count FROM journal").fetchone()[0]
    assert set(kept) == {"sector", "name"} and kept["sector"]["record_id"] == facility.id
    assert json.loads(values["sector"]) == "auto_parts" and json.loads(values["name"]) == "Planta"
    assert "sector" not in entry.value and "name" not in entry.value and entry.sent
    assert width == len(entry.value) == len(Facility.specs()) - 1
    # Every field refused (a new record HQ refuses whole): the emptied entry goes.
    with store._writing() as db:
        ids = json.dumps([entry.change_id])
        for field in entry.value:
            outbox.quarantine_field(db, ids, facility.id, field, code="invalid_value", message="x")
        assert journal.entries(db, limit=100) == []
    assert len(store.sync.quarantined()) == len(Facility.specs()) + 1


def test_a_clamped_clock_is_adopted_for_the_field(store: Store) -> None:
    facility = saved(store, Facility(name="Planta"))
    edited(store, facility, municipality="Silao")
    with store._writing() as db:
        made, change = journal.entries(db, unsent_only=True, limit=100)
        outbox.mark_sent(db, [made.change_id, change.change_id])
        outbox.adopt_clamped(db, made.change_id, 12345 << COUNTER_BITS)
        outbox.adopt_clamped(db, change.change_id, 12344 << COUNTER_BITS)
    # A remote write newer than the clamped clock now wins, as it does at HQ: for a field the
    # record was made with and for the field edited since.
    newer = 12346 << COUNTER_BITS
    pull(
        store,
        Incoming("facility", facility.id, "name", "Remote", newer, OTHER),
        Incoming("facility", facility.id, "municipality", "Remote", newer, OTHER),
    )
    current = store.get(Facility, facility.id)
    assert current is not None and (current.name, current.municipality) == ("Remote", "Remote")


def test_partial_downloads_resume_inside_the_vault(store: Store) -> None:
    with store._writing() as db:
        blob_transfer.append_partial(db, "ab" * 32, b"first ")
        blob_transfer.append_partial(db, "ab" * 32, b"second")
        assert blob_transfer.partial(db, "ab" * 32) == b"first second"
        blob_transfer.drop_partial(db, "ab" * 32)
        assert blob_transfer.partial(db, "ab" * 32) == b""


def test_blob_ranges_cross_chunk_boundaries(store: Store) -> None:
    data = os.urandom((1 << 20) * 2 + 100)
    with store._writing() as db:
        digest = store.put_blob(data)
        assert (
            blob_transfer.read_range(db, digest, (1 << 20) - 10, 30) == data[(1 << 20) - 10 :][:30]
        )
        assert blob_transfer.to_upload(db) == [(digest, len(data))]
        blob_transfer.mark_uploaded(db, digest)
        assert blob_transfer.to_upload(db) == []


def test_a_batch_holds_at_most_the_entries_asked_for_whatever_the_fields(store: Store) -> None:
    """Each entry becomes at most one RecordEdit, and a request may carry only so many: a
    limit of fields that would admit more entries stops at `entries`."""
    plants = [saved(store, Facility(name=f"Planta {n}")) for n in range(5)]
    with store._reading() as db:
        few = outbox.outgoing(db, limit=30_000, entries=2)
        rest = outbox.outgoing(db, after_seq=few.last_seq, limit=30_000, entries=2000)
    assert [e["record"] for e in json.loads(few.records_json)] == [p.id for p in plants[:2]]
    assert few.more and not rest.more
    assert [e["record"] for e in json.loads(rest.records_json)] == [p.id for p in plants[2:]]


def test_a_record_pulled_whole_keeps_one_version_and_its_fields_still_merge(
    store: Store,
) -> None:
    """A record new to the vault takes its creation's version as its record-level version:
    one row instead of one per field; fields written at another version, and `deleted`,
    keep their own. Later pulls and edits compare against the right version."""
    made = far_future(store)
    plant = "01a23b00-0000-7000-8000-000000000001"
    fields = {"created_at": "2026-11-03T10:00:00+00:00", "name": "Planta", "municipality": "León"}
    incoming = [
        Incoming("facility", plant, name, value, made, OTHER) for name, value in fields.items()
    ]
    incoming.append(Incoming("facility", plant, "employer", "Otra S.A.", made + 1, OTHER))
    incoming.append(Incoming("facility", plant, "deleted", False, made, OTHER))
    assert pull(store, *incoming) == 5
    with store._reading() as db:
        rows = db.execute(
            "SELECT field, hlc FROM field_versions WHERE record_id = ? ORDER BY field", [plant]
        ).fetchall()
    assert rows == [("*", made), ("deleted", made), ("employer", made + 1)]
    # An older value loses to the record's version; a newer one wins, field by field.
    assert pull(store, Incoming("facility", plant, "name", "Vieja", made - 1, OTHER)) == 0
    assert pull(store, Incoming("facility", plant, "municipality", "Silao", made + 2, OTHER)) == 1
    got = store.get(Facility, plant)
    assert (got.name, got.municipality, got.employer) == ("Planta", "Silao", "Otra S.A.")
    # A local edit starts from the version the field holds: the record's.
    edited(store, got, name="Planta Norte")
    (edit,) = sent_edits(store)
    assert edit["base"] == {"name": {"hlc": made, "node": OTHER}}
