"""Records' documents are stored compressed, with a dictionary per kind once HQ holds enough
of them: documents written before and after the dictionary, by this process or another,
read back exactly; what a pull sends is unchanged; the stored bytes shrink."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.storage import SHORT_NOTES, RecordMaker
from fieldkit.domain.codec import to_plain
from fieldkit.domain.hlc import HybridLogicalClock
from fieldkit.domain.ids import new_id
from fieldkit.domain.sync_rules import is_default
from fieldkit.hq.doc_codec import TRAIN_AFTER, document_json
from fieldkit.hq.pull import pull_page
from fieldkit.hq.push import apply_push
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import doc_dictionaries, records
from fieldkit.sync.protocol import RecordEdit, SyncRequest

NOW = 1_900_000_000_000
CREATED = "2026-11-01T10:00:00+00:00"


def visits(count: int) -> list[RecordEdit]:
    maker = RecordMaker(7, SHORT_NOTES)
    plant = maker.facility(1)
    clock = HybridLogicalClock("node-ana")
    made: list[RecordEdit] = [
        RecordEdit(kind="facility", record=plant.id, hlc=clock.now().pack(),
                   fields={**to_plain(plant), "created_at": CREATED})
    ]  # fmt: skip
    for _ in range(count):
        visit = maker.visit([plant.id])
        fields = {**to_plain(visit), "created_at": CREATED}
        made.append(
            RecordEdit(kind="visit", record=visit.id, hlc=clock.now().pack(), fields=fields)
        )
    return made


def push(storage: Storage, edits: list[RecordEdit]) -> None:
    for start in range(0, len(edits), 150):
        request = SyncRequest(batch=new_id(), records=edits[start : start + 150])
        with storage.writing(sequenced=True) as conn:
            ack = apply_push(conn, "device-ana", "node-ana", request, NOW)
        assert ack.rejected == []


def pulled(storage: Storage) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cursor = 0
    while True:
        with storage.reading() as conn:
            page = pull_page(conn, "node-luis", cursor, 2000, by_record=True)
        for entry in json.loads(page.changes_json):
            found.setdefault(entry["record"], {}).update(entry["fields"])
        cursor = page.cursor
        if not page.more:
            return found


def test_documents_compress_with_a_dictionary_and_read_back_exactly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    key = secrets.token_bytes(32)
    edits = visits(TRAIN_AFTER + 300)
    storage = Storage.open(url, key)
    try:
        push(storage, edits[: TRAIN_AFTER // 2])  # before any dictionary
        with storage.reading() as conn:
            assert conn.execute(select(func.count()).select_from(doc_dictionaries)).scalar() == 0
        push(storage, edits[TRAIN_AFTER // 2 :])
        with storage.reading() as conn:
            kinds = list(conn.execute(select(doc_dictionaries.c.kind)).scalars())
            stored = sum(len(doc) for doc in conn.execute(select(records.c.doc)).scalars())
        assert kinds == ["visit"]  # one facility is too few to learn from
        got = pulled(storage)
    finally:
        storage.close()
    kinds_of = {e.record: e.kind for e in edits}
    expected = {
        # HQ leaves out what it never held at the default; everything else comes back as sent.
        e.record: {k: v for k, v in e.fields.items() if not is_default(e.kind, k, v)}
        for e in edits
    }
    assert got == expected
    assert {kinds_of[r] for r in got} == {"facility", "visit"}
    plain = sum(len(document_json(fields)) for fields in got.values())
    assert stored < plain * 0.45, (stored, plain)
    # Another process (a fresh codec) reads every document, old and new alike.
    again = Storage.open(url, key)
    try:
        assert pulled(again) == got
    finally:
        again.close()
