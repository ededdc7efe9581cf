from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from fieldkit.domain.choices import Consent, MexicanState, RemedyKind, Sector
from fieldkit.domain.codec import to_plain
from fieldkit.domain.records import Case, Facility, Interview
from fieldkit.domain.values import Remedy
from fieldkit.errors import DatabaseCorrupted, VaultLocked
from fieldkit.store.audit import AuditAction
from fieldkit.store.connection import DatabaseError, open_encrypted
from fieldkit.store.journal import RECORD, by_field
from fieldkit.store.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "v.db", os.urandom(32))


def save(store: Store, record):  # type: ignore[no-untyped-def]
    with store.transaction():
        return store.insert(record)


def test_required_pragmas_are_on(store: Store) -> None:
    pragma = lambda name: store._db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2
    assert pragma("foreign_keys") == 1
    assert pragma("secure_delete") == 1
    assert pragma("temp_store") == 2


def test_insert_journals_every_field_in_one_entry_with_one_version(store: Store) -> None:
    facility = save(store, Facility(name="Planta", state=MexicanState.GUA))
    (entry,) = store.journal_entries(record_id=facility.id)
    assert entry.field == RECORD and entry.device == store.device_id and not entry.sent
    assert entry.changes == {**to_plain(facility), "created_at": facility.created_at.isoformat()}
    with store.reading():
        versions = store._db.execute(
            "SELECT field, hlc, node FROM field_versions WHERE record_id = ?", [facility.id]
        ).fetchall()
    assert versions == [(RECORD, entry.hlc, store.device_id)]


def test_update_journals_only_changed_fields_and_replaces_unsent_values(store: Store) -> None:
    facility = save(store, Facility(name="Planta"))
    before = {e.field: e.hlc for e in by_field(store.journal_entries(record_id=facility.id))}
    with store.transaction():
        edited = store.update(facility, dataclasses.replace(facility, municipality="Silao"))
        store.update(edited, dataclasses.replace(edited, municipality="León"))
    entries = by_field(store.journal_entries(record_id=facility.id))
    municipality = [e for e in entries if e.field == "municipality"]
    assert [e.value for e in municipality] == ["León"]
    assert municipality[0].hlc > before["municipality"]
    assert {e.field: e.hlc for e in entries if e.field != "municipality"} == {
        k: v for k, v in before.items() if k != "municipality"
    }


def test_a_failed_transaction_leaves_no_row_no_journal_no_index(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert(Facility(name="Fantasma"))
        raise RuntimeError
    assert store.count(Facility) == 0
    assert store.journal_entries() == []
    assert store.search("fantasma") == []


def test_clock_survives_reopen(tmp_path: Path) -> None:
    key = os.urandom(32)
    first = Store.open(tmp_path / "v.db", key)
    save(first, Facility(name="a"))
    last = first.clock.last
    first.close()
    second = Store.open(tmp_path / "v.db", key)
    assert second.clock.last == last
    record = save(second, Facility(name="b"))
    assert min(e.hlc for e in second.journal_entries(record_id=record.id)) > last


def test_audit_log_is_append_only(store: Store) -> None:
    store.audit(AuditAction.EXPORTED, kind="visit", detail="count=3")
    with pytest.raises(DatabaseError, match="append-only"):
        store._db.execute("UPDATE audit SET action = 'x'")
    with pytest.raises(DatabaseError, match="append-only"):
        store._db.execute("DELETE FROM audit")
    assert store.recent_audit()[0].action is AuditAction.EXPORTED


def test_search_ignores_accents_and_case_and_matches_prefixes(store: Store) -> None:
    plant = save(store, Facility(name="Llantas de San Luis Potosí", sector=Sector.RUBBER_TIRES))
    case = save(
        store,
        Case(
            reference="RRM-2",
            facility_id=plant.id,
            received_on=dt.date(2023, 1, 1),
            summary="Se pidió la reinstalación de diez trabajadores.",
        ),
    )
    assert [h.record_id for h in store.search("potosi")] == [plant.id]
    assert [h.record_id for h in store.search("POTOSÍ")] == [plant.id]
    assert [h.record_id for h in store.search("reinstalacion")] == [case.id]
    assert [h.record_id for h in store.search("reinst")] == [case.id]
    assert {h.record_id for h in store.search("llan")} == {plant.id}
    assert store.search("") == [] and store.search("«»!") == []


def test_search_finds_choice_labels_in_both_languages(store: Store) -> None:
    case = save(
        store,
        Case(
            reference="RRM-3",
            facility_id=None,
            received_on=dt.date(2023, 1, 1),
            remedies=(Remedy(kind=RemedyKind.REINSTATEMENT),),
        ),
    )
    assert [h.record_id for h in store.search("reinstatement")] == [case.id]


def test_search_is_newest_first_and_follows_edits(store: Store) -> None:
    old = save(store, Facility(name="Planta norte"))
    new = save(store, Facility(name="Planta sur"))
    assert [h.record_id for h in store.search("planta")] == [new.id, old.id]
    with store.transaction():
        store.update(old, dataclasses.replace(old, address="Carretera 57"))
    assert [h.record_id for h in store.search("planta")] == [old.id, new.id]


def test_deleted_records_leave_search_and_lists(store: Store) -> None:
    facility = save(store, Facility(name="Cerrada"))
    with store.transaction():
        store.update(facility, dataclasses.replace(facility, deleted=True))
    assert store.search("cerrada") == []
    assert store.list(Facility) == []
    assert store.list(Facility, include_deleted=True)[0].deleted
    assert store.journal_entries(record_id=facility.id)[-1].field == "deleted"


def test_interview_text_is_indexed(store: Store) -> None:
    interview = save(
        store,
        Interview(
            pseudonym="Garza",
            facility_id=None,
            held_on=dt.date(2025, 1, 1),
            consent=Consent.GIVEN,
            notes="amenazas del supervisor",
        ),
    )
    assert [h.record_id for h in store.search("amenazas")] == [interview.id]


def test_blobs_are_stored_once_and_checked(store: Store) -> None:
    data = os.urandom(3 * (1 << 20) + 5)
    with store.transaction():
        digest = store.put_blob(data)
        assert store.put_blob(data) == digest
    assert store.read_blob(digest) == data
    assert store._db.execute("SELECT count(*) FROM attachment_chunks").fetchone()[0] == 4
    assert store.read_blob("0" * 64) is None


def test_wrong_key_or_damaged_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    Store.open(path, os.urandom(32)).close()
    with pytest.raises(DatabaseCorrupted) as caught:
        open_encrypted(path, os.urandom(32))
    assert str(path) in caught.value.message
    (tmp_path / "junk.db").write_bytes(os.urandom(8192))
    with pytest.raises(DatabaseCorrupted):
        open_encrypted(tmp_path / "junk.db", os.urandom(32))


def test_integrity_problems_empty_for_a_healthy_store(store: Store) -> None:
    save(store, Facility(name="ok"))
    assert store.integrity_problems() == []


def test_a_reader_sees_committed_writes_and_cannot_write(tmp_path: Path) -> None:
    key = os.urandom(32)
    writer = Store.open(tmp_path / "v.db", key)
    reader = Store.open_reader(tmp_path / "v.db", key)
    save(writer, Facility(name="Planta"))
    assert [f.name for f in reader.list(Facility)] == ["Planta"]
    with writer.transaction():  # an open write transaction is invisible to the reader
        writer.insert(Facility(name="Otra"))
        assert [f.name for f in reader.list(Facility)] == ["Planta"]
    assert {f.name for f in reader.list(Facility)} == {"Planta", "Otra"}
    with pytest.raises(DatabaseError, match="readonly"), reader.transaction():
        reader.insert(Facility(name="Nunca"))
    reader.close()
    writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.db"]  # no WAL left behind


def test_work_reaching_a_closed_store_reads_as_locked(store: Store) -> None:
    store.close()
    with pytest.raises(VaultLocked):
        store.list(Facility)
    with pytest.raises(VaultLocked), store.transaction():
        pass
