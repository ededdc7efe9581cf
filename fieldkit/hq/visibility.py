"""Who may see a record. Interviews stay with their author's device until shared; an
attachment follows the record it is attached to; everything else reaches every device.

A private record is visible to the device holding the node that owns it and, for an
attachment, to the device holding the owner of the record it hangs on (a device holds its own
node and those of devices it replaced: fieldkit/hq/nodes.py). When a record stops being
private, its fields and conflicts get new sequence numbers so devices that could not see it
pull the whole record on their next sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Row, Select, Table, not_, or_, select, update
from sqlalchemy.sql.selectable import FromClause, NamedFromClause

from fieldkit.domain.sync_rules import ATTACHMENT, PRIVATE_KINDS, SHARED
from fieldkit.hq.nodes import held_by, held_nodes
from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.tables import conflicts, fields, records
from fieldkit.sync.protocol import RejectCode

IN_CHUNK = 500  # ids per IN (...) list
ATTACHED_TO = "record_id"  # the attachment field naming the record it belongs to
BLOB = "sha256"  # the attachment field naming its bytes


@dataclass(frozen=True)
class RecordInfo:
    record_id: str
    kind: str
    owner_node: str
    private: bool
    parent_record: str | None = None
    blob_sha256: str | None = None


def private_when_created(kind: str) -> bool:
    """Interviews start private (not yet shared); an attachment is private until HQ knows
    its record is one others may see."""
    return kind in PRIVATE_KINDS or kind == ATTACHMENT


def can_see(record: RecordInfo, parent: RecordInfo | None, nodes: AbstractSet[str]) -> bool:
    """Whether a device holding `nodes` may see the record."""
    if not record.private or record.owner_node in nodes:
        return True
    return parent is not None and parent.owner_node in nodes


class RecordLookup(Protocol):
    """Records as a push sees them (its workspace): what permission_refusal reads."""

    def record(self, record_id: str) -> RecordInfo | None: ...

    def parent_of(self, record: RecordInfo) -> RecordInfo | None: ...


class FieldWrite(Protocol):
    """One field a device writes (a protocol Change, or a field of a RecordEdit)."""

    @property
    def kind(self) -> str: ...

    @property
    def record(self) -> str: ...

    @property
    def field(self) -> str: ...

    @property
    def value(self) -> Any: ...


def permission_refusal(
    lookup: RecordLookup, change: FieldWrite, nodes: AbstractSet[str]
) -> tuple[RejectCode, str] | None:
    """Why a device holding `nodes` may not write this change, or None. A record it cannot
    see (another device's private interview: no edit, no delete) and attaching to one are
    refused; only a holder of the owner's node may change whether an interview is shared."""
    record = lookup.record(change.record)
    if record is not None:
        if record.kind != change.kind:
            return "invalid_value", f"record {change.record} is a {record.kind}"
        if not can_see(record, lookup.parent_of(record), nodes):
            return "not_permitted", f"record {change.record} is private to another device"
        shares = change.field == SHARED and record.kind in PRIVATE_KINDS
        if shares and record.owner_node not in nodes:
            return "not_permitted", "only the author's device may share this record"
        # The bytes an attachment names are read through its owner's upload: naming other
        # bytes is its author's to do, or anyone could point it at a hash they heard of.
        renames = change.field == BLOB and record.kind == ATTACHMENT
        if renames and record.owner_node not in nodes:
            return "not_permitted", "only the author's device may change an attachment's file"
    if change.kind == ATTACHMENT and change.field == ATTACHED_TO:
        target = lookup.record(str(change.value)) if change.value else None
        if target is not None and not can_see(target, lookup.parent_of(target), nodes):
            return "not_permitted", "attached to a record private to another device"
    return None


def visible_join(
    node: str, onto: Table | None = None
) -> tuple[FromClause, NamedFromClause, ColumnElement[bool]]:
    """SQL for can_see: `onto` (a table with a record_id) joined to its record, or the records
    themselves, left-joined to each record's parent; the record's alias; and the condition
    that the device holding `node` may see the record."""
    record = records.alias("record")
    parent = records.alias("parent")
    source = record if onto is None else onto.join(record, record.c.record_id == onto.c.record_id)
    joined = source.outerjoin(parent, parent.c.record_id == record.c.parent_record)
    held = held_by(node)
    visible = or_(
        not_(record.c.private),
        record.c.owner_node.in_(held),
        parent.c.owner_node.in_(held),
    )
    return joined, record, visible


def load_records(conn: Connection, ids: Iterable[str]) -> dict[str, RecordInfo]:
    found: dict[str, RecordInfo] = {}
    for chunk in chunked(sorted(set(ids))):
        for row in conn.execute(_select_records().where(records.c.record_id.in_(chunk))):
            found[row.record_id] = _info(row)
    return found


def record_visible(conn: Connection, record_id: str, node: str) -> bool:
    record = load_records(conn, [record_id]).get(record_id)
    if record is None:
        return False
    parent = _parent(conn, record)
    return can_see(record, parent, held_nodes(conn, node))


def refresh_privacy(
    conn: Connection, seq: SequenceNumbers, changed: set[str], created: set[str]
) -> None:
    """Recompute `private` for records whose sharing or attachment target changed, and for
    the attachments of records that changed or were just created (parents first)."""
    known = load_records(conn, changed)
    order = sorted(known.values(), key=lambda r: (r.kind == ATTACHMENT, r.record_id))
    settled: set[str] = set()
    opened: set[str] = set(created)
    for record in order:
        if _settle(conn, seq, record):
            opened.add(record.record_id)
        settled.add(record.record_id)
    while opened:
        children = [r for r in _children(conn, opened) if r.record_id not in settled]
        opened = set()
        for child in children:
            if _settle(conn, seq, child):
                opened.add(child.record_id)
            settled.add(child.record_id)


def _settle(conn: Connection, seq: SequenceNumbers, record: RecordInfo) -> bool:
    """Store the record's privacy; True when it changed (so its attachments may change)."""
    private = _computed_private(conn, record)
    if private == record.private:
        return False
    conn.execute(
        update(records).where(records.c.record_id == record.record_id).values(private=private)
    )
    if not private:
        _resequence(conn, seq, record.record_id)
    return True


def _computed_private(conn: Connection, record: RecordInfo) -> bool:
    if record.kind in PRIVATE_KINDS:
        stored = conn.execute(
            select(fields.c.value).where(
                fields.c.record_id == record.record_id, fields.c.field == SHARED
            )
        ).scalar_one_or_none()
        return stored is None or json.loads(stored) is not True
    if record.kind == ATTACHMENT:
        parent = _parent(conn, record)
        return parent is None or parent.private
    return False


def _resequence(conn: Connection, seq: SequenceNumbers, record_id: str) -> None:
    """New sequence numbers for every field and conflict of the record (in their order)."""
    names = conn.execute(
        select(fields.c.field).where(fields.c.record_id == record_id).order_by(fields.c.seq)
    ).scalars()
    for name in list(names):
        conn.execute(
            update(fields)
            .where(fields.c.record_id == record_id, fields.c.field == name)
            .values(seq=seq.next())
        )
    ids = conn.execute(
        select(conflicts.c.id).where(conflicts.c.record_id == record_id).order_by(conflicts.c.seq)
    ).scalars()
    for conflict_id in list(ids):
        conn.execute(update(conflicts).where(conflicts.c.id == conflict_id).values(seq=seq.next()))


def _parent(conn: Connection, record: RecordInfo) -> RecordInfo | None:
    if record.parent_record is None:
        return None
    return load_records(conn, [record.parent_record]).get(record.parent_record)


def _children(conn: Connection, parent_ids: set[str]) -> list[RecordInfo]:
    found: list[RecordInfo] = []
    for chunk in chunked(sorted(parent_ids)):
        rows = conn.execute(_select_records().where(records.c.parent_record.in_(chunk)))
        found.extend(_info(row) for row in rows)
    return found


def _select_records() -> Select[tuple[str, str, str, bool, str | None, str | None]]:
    return select(
        records.c.record_id,
        records.c.kind,
        records.c.owner_node,
        records.c.private,
        records.c.parent_record,
        records.c.blob_sha256,
    )


def _info(row: Row[tuple[str, str, str, bool, str | None, str | None]]) -> RecordInfo:
    return RecordInfo(
        record_id=row.record_id,
        kind=row.kind,
        owner_node=row.owner_node,
        private=bool(row.private),
        parent_record=row.parent_record,
        blob_sha256=row.blob_sha256,
    )


def chunked(items: list[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
