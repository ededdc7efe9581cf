"""The records one push touches, read in a few queries and written back at the end with one
statement per table, so a batch of 2,000 records costs a handful of round trips.

A record is stored as one row (its fields as one JSON document at the record's version) plus a
version of its own for each field an edit changed later (fieldkit/hq/tables.py). A record a
batch creates takes its version and sequence number from the first field written, and every
field written at that same version joins its document: a new record costs one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, select, update

from fieldkit.hq.doc_codec import codec_of
from fieldkit.hq.storage import insert_rows, upsert_rows
from fieldkit.hq.tables import field_versions, records
from fieldkit.hq.visibility import RecordInfo, chunked, record_info

Version = tuple[int, str]  # (hlc, node)
_RECORD_COLUMNS = tuple(column.name for column in records.columns)


class FieldVersion(NamedTuple):
    """A field as HQ holds it: its value and the write that put it there."""

    value: Any
    hlc: int
    node: str

    @property
    def version(self) -> Version:
        return (self.hlc, self.node)


@dataclass
class StoredRecord:
    """A record as the batch sees it: its row, its document and its fields' own versions."""

    info: RecordInfo
    doc: dict[str, Any]
    hlc: int
    node: str
    seq: int
    versions: dict[str, tuple[int, str, int]] = field(default_factory=dict)  # field: hlc, node, seq
    new: bool = False
    doc_changed: bool = False
    info_changed: bool = False
    written: set[str] = field(default_factory=set)  # fields with a version of their own to write

    def current(self, name: str) -> FieldVersion | None:
        if name not in self.doc:
            return None
        hlc, node, _seq = self.versions.get(name, (self.hlc, self.node, self.seq))
        return FieldVersion(self.doc[name], hlc, node)


class Workspace:
    """Reads through to the database once per record; writes are kept until flush()."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._records: dict[str, StoredRecord | None] = {}
        self._codec = codec_of(conn)
        self._codec.refresh(conn)

    # --- reading ------------------------------------------------------------------------------

    def preload(self, record_ids: Iterable[str]) -> None:
        """Fetch the records of a batch (and their parents) in bulk."""
        wanted = sorted(set(record_ids) - set(self._records))
        self._load(wanted)
        parents = {r.info.parent_record for r in self._known(wanted) if r.info.parent_record}
        self._load(sorted(parents - set(self._records)))

    def stored(self, record_id: str) -> StoredRecord | None:
        if record_id not in self._records:
            self._load([record_id])
        return self._records[record_id]

    def record(self, record_id: str) -> RecordInfo | None:
        stored = self.stored(record_id)
        return stored.info if stored is not None else None

    def parent_of(self, record: RecordInfo) -> RecordInfo | None:
        return self.record(record.parent_record) if record.parent_record else None

    # --- writing ------------------------------------------------------------------------------

    def create_record(self, info: RecordInfo, hlc: int, node: str, seq: int) -> StoredRecord:
        stored = StoredRecord(info, {}, hlc, node, seq, new=True)
        self._records[info.record_id] = stored
        return stored

    def change_record(self, record_id: str, **changes: Any) -> None:
        stored = self._records[record_id]
        assert stored is not None
        stored.info = replace(stored.info, **changes)
        stored.info_changed = True

    def write_field(
        self,
        stored: StoredRecord,
        name: str,
        value: Any,
        version: Version,
        next_seq: Callable[[], int],
    ) -> None:
        """Store the field's value. A record made by this batch takes the fields written at
        its own version into its document; any other write keeps a version of its own with a
        new sequence number (devices that pulled the record already must pull the field)."""
        stored.doc[name] = value
        stored.doc_changed = True
        joins = stored.new and version == (stored.hlc, stored.node) and name not in stored.versions
        if joins:
            return
        stored.versions[name] = (*version, next_seq())
        stored.written.add(name)

    @property
    def created_ids(self) -> set[str]:
        return {r.info.record_id for r in self._known(self._records) if r.new}

    def flush(self) -> None:
        """Write every created record, changed record and field version (one statement each)."""
        touched = [
            r for r in self._known(self._records) if r.new or r.doc_changed or r.info_changed
        ]
        created = [r for r in touched if r.new]
        changed = [r for r in touched if not r.new]
        if created:
            insert_rows(self._conn, records, [self._record_row(r) for r in created])
        if changed:
            self._conn.execute(
                update(records)
                .where(records.c.record_id == bindparam("b_record_id"))
                .values(
                    parent_record=bindparam("b_parent_record"),
                    blob_sha256=bindparam("b_blob_sha256"),
                    doc=bindparam("b_doc"),
                ),
                [
                    {
                        "b_record_id": r.info.record_id,
                        "b_parent_record": r.info.parent_record,
                        "b_blob_sha256": r.info.blob_sha256,
                        "b_doc": self._codec.encode(self._conn, r.info.kind, r.doc),
                    }
                    for r in changed
                ],
            )
        versions = [
            (r.info.record_id, name, *r.versions[name])
            for r in touched
            for name in sorted(r.written)
        ]
        upsert_rows(self._conn, field_versions, versions, ("record_id", "field"))
        for stored in touched:
            stored.new = stored.doc_changed = stored.info_changed = False
            stored.written.clear()
        self._codec.train_when_due(self._conn, {r.info.kind for r in created})

    # --- plumbing -----------------------------------------------------------------------------

    def _known(self, ids: Iterable[str]) -> list[StoredRecord]:
        return [r for r in (self._records.get(i) for i in ids) if r is not None]

    def _load(self, ids: list[str]) -> None:
        """Each record's row (owner, visibility, document) and its fields' own versions."""
        missing = [i for i in ids if i not in self._records]
        for record_id in missing:
            self._records[record_id] = None
        for chunk in chunked(sorted(missing)):
            found: list[str] = []
            for row in self._conn.execute(select(records).where(records.c.record_id.in_(chunk))):
                doc = self._codec.load(self._conn, row.doc)
                self._records[row.record_id] = StoredRecord(
                    record_info(row), doc, row.hlc, row.node, row.seq
                )
                found.append(row.record_id)
            if not found:  # new records (most of a first push): no versions of their own
                continue
            own = self._conn.execute(
                select(field_versions).where(field_versions.c.record_id.in_(found))
            )
            for v in own:
                stored = self._records[v.record_id]
                if stored is not None:
                    stored.versions[v.field] = (v.hlc, v.node, v.seq)

    def _record_row(self, stored: StoredRecord) -> tuple[object, ...]:
        written = {
            "doc": self._codec.encode(self._conn, stored.info.kind, stored.doc),
            "hlc": stored.hlc,
            "node": stored.node,
            "seq": stored.seq,
        }
        info = stored.info
        return tuple(
            written[name] if name in written else getattr(info, name, None)
            for name in _RECORD_COLUMNS
        )
