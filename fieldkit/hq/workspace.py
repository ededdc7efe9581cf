"""The records and fields one push touches, read in a few queries and written back at the
end, so a batch of 2,000 changes costs a handful of round trips instead of thousands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select, update

from fieldkit.hq.storage import insert_rows
from fieldkit.hq.tables import fields, records
from fieldkit.hq.visibility import RecordInfo, chunked, load_records


class FieldVersion(NamedTuple):
    """A field as HQ holds it: the JSON text of its value and the write that put it there.
    A tuple in the `fields` table's column order, so it is also the row written."""

    record_id: str
    field: str
    kind: str
    value: str
    hlc: int
    node: str
    seq: int

    @property
    def version(self) -> tuple[int, str]:
        return (self.hlc, self.node)


class Workspace:
    """Reads through to the database once per record; writes are kept until flush()."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._records: dict[str, RecordInfo | None] = {}
        self._fields: dict[tuple[str, str], FieldVersion] = {}
        self._loaded_fields: set[str] = set()  # record ids whose fields are in _fields
        self._stored_fields: set[tuple[str, str]] = set()  # rows that exist in the database
        self._written: dict[tuple[str, str], FieldVersion] = {}
        self._created: dict[str, RecordInfo] = {}
        self._updated: dict[str, RecordInfo] = {}

    # --- reading ------------------------------------------------------------------------------

    def preload(self, record_ids: Iterable[str], field_names: Iterable[str]) -> None:
        """Fetch the records and the named fields of a batch in bulk."""
        wanted = sorted(set(record_ids) - set(self._records))
        found = load_records(self._conn, wanted)
        for record_id in wanted:
            self._records[record_id] = found.get(record_id)
        parents = {r.parent_record for r in found.values() if r.parent_record}
        self._load_missing_records(parents)
        names = sorted(set(field_names))
        for chunk in chunked([r for r in wanted if found.get(r) is not None]):
            rows = self._conn.execute(
                select(fields).where(fields.c.record_id.in_(chunk), fields.c.field.in_(names))
            )
            for row in rows:
                self._remember(FieldVersion(**row._asdict()))
        self._loaded_fields.update(wanted)

    def record(self, record_id: str) -> RecordInfo | None:
        if record_id not in self._records:
            self._load_missing_records([record_id])
        return self._records[record_id]

    def parent_of(self, record: RecordInfo) -> RecordInfo | None:
        return self.record(record.parent_record) if record.parent_record else None

    def field(self, record_id: str, name: str) -> FieldVersion | None:
        key = (record_id, name)
        if key not in self._fields and record_id not in self._loaded_fields:
            row = self._conn.execute(
                select(fields).where(fields.c.record_id == record_id, fields.c.field == name)
            ).one_or_none()
            if row is not None:
                self._remember(FieldVersion(**row._asdict()))
        return self._fields.get(key)

    # --- writing ------------------------------------------------------------------------------

    def create_record(self, record: RecordInfo) -> None:
        self._records[record.record_id] = record
        self._created[record.record_id] = record
        self._loaded_fields.add(record.record_id)

    def change_record(self, record: RecordInfo) -> None:
        self._records[record.record_id] = record
        if record.record_id in self._created:
            self._created[record.record_id] = record
        else:
            self._updated[record.record_id] = record

    def write_field(self, version: FieldVersion) -> None:
        key = (version.record_id, version.field)
        self._fields[key] = version
        self._written[key] = version

    @property
    def created_ids(self) -> set[str]:
        return set(self._created)

    def flush(self) -> None:
        """Write every created record, changed record and written field."""
        if self._created:
            insert_rows(self._conn, records, [_record_row(r) for r in self._created.values()])
        if self._updated:
            self._conn.execute(
                update(records)
                .where(records.c.record_id == bindparam("b_record_id"))
                .values(
                    parent_record=bindparam("b_parent_record"),
                    blob_sha256=bindparam("b_blob_sha256"),
                ),
                [
                    {
                        "b_record_id": r.record_id,
                        "b_parent_record": r.parent_record,
                        "b_blob_sha256": r.blob_sha256,
                    }
                    for r in self._updated.values()
                ],
            )
        new = [v for k, v in self._written.items() if k not in self._stored_fields]
        old = [v for k, v in self._written.items() if k in self._stored_fields]
        if new:
            insert_rows(self._conn, fields, new)
        if old:
            self._conn.execute(
                update(fields)
                .where(
                    fields.c.record_id == bindparam("b_record_id"),
                    fields.c.field == bindparam("b_field"),
                )
                .values(
                    value=bindparam("b_value"),
                    hlc=bindparam("b_hlc"),
                    node=bindparam("b_node"),
                    seq=bindparam("b_seq"),
                ),
                [{f"b_{k}": v for k, v in version._asdict().items()} for version in old],
            )
        self._stored_fields.update(self._written)
        self._written.clear()
        self._created.clear()
        self._updated.clear()

    # --- plumbing -----------------------------------------------------------------------------

    def _remember(self, version: FieldVersion) -> None:
        key = (version.record_id, version.field)
        self._fields[key] = version
        self._stored_fields.add(key)

    def _load_missing_records(self, ids: Iterable[str]) -> None:
        missing = [i for i in ids if i not in self._records]
        if not missing:
            return
        found = load_records(self._conn, missing)
        for record_id in missing:
            self._records[record_id] = found.get(record_id)


def _record_row(record: RecordInfo) -> tuple[object, ...]:
    return tuple(getattr(record, column.name) for column in records.columns)
