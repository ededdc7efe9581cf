"""Journal entries as FieldKit wrote a new record before record entries (vault version 10 and
earlier): an entry and a version per field, all at one clock reading."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from fieldkit.domain.codec import to_plain
from fieldkit.domain.ids import new_id
from fieldkit.domain.records import Record
from fieldkit.store.rows import to_row
from fieldkit.store.schema import TABLES
from fieldkit.store.store import Store

MADE_AT = dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC)


def journal_the_old_way(store: Store, record: Record) -> Record:
    """Store `record` as new, journaled field by field (no search text); the stored record."""
    stored = dataclasses.replace(
        record, created_at=MADE_AT, updated_at=MADE_AT, author_device=store.device_id
    )
    fields = {**to_plain(stored), "created_at": MADE_AT.isoformat()}
    with store._writing() as db:
        stamp = store.clock.now()
        db.table(TABLES[record.KIND]).insert(to_row(stored))
        for field, value in fields.items():
            db.execute(
                "INSERT INTO journal (change_id, kind, record_id, field, value, hlc, device, sent) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                [
                    new_id(),
                    record.KIND,
                    record.id,
                    field,
                    json.dumps(value, ensure_ascii=False),
                    stamp.pack(),
                    stamp.device,
                ],
            )
            db.execute(
                "INSERT INTO field_versions (record_id, field, hlc, node) VALUES (?, ?, ?, ?)",
                [record.id, field, stamp.pack(), stamp.device],
            )
        store.observe_clock(stamp.pack())
    return stored
