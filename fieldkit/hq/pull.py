"""A page of other devices' changes for one device (docs/sync-protocol.md, step 3).

The page holds, in sequence order above the device's cursor: records (the fields written at
the record's version, as one entry), fields with a version of their own, and conflicts;
leaving out what the device wrote itself and records it may not see. The numbers are bounded
by the counter read first, so the page is consistent even on PostgreSQL, where each
statement sees the newest commits.

A record's document goes into the page as stored (decompressed, not parsed), except one some
of whose fields have versions of their own: those fields go separately, each as its own
entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    func,
    select,
)

from fieldkit.domain.sync_rules import PRIVATE_KINDS
from fieldkit.hq import audit
from fieldkit.hq.conflicts import conflict_from_row
from fieldkit.hq.doc_codec import codec_of
from fieldkit.hq.sequence import current_sequence
from fieldkit.hq.tables import conflicts, field_versions
from fieldkit.hq.visibility import chunked, visible_join
from fieldkit.sync.protocol import Conflict

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Page:
    changes_json: str  # protocol 2: RemoteRecord objects; protocol 1: RemoteChanges (an array)
    count: int  # how many entries
    conflicts: list[Conflict]
    cursor: int
    more: bool


@dataclass(frozen=True)
class _Entry:
    """Fields of one record written at one version: a record's document (`own` names its
    fields that go separately) or one field with a version of its own."""

    seq: int
    kind: str
    record: str
    hlc: int
    node: str
    fields_json: str  # a JSON object: the record's document, or {"field": value}
    own: tuple[str, ...] = ()

    def fields(self) -> str:
        """The entry's fields as a JSON object's text."""
        if not self.own:
            return self.fields_json
        doc = json.loads(self.fields_json)
        for name in self.own:
            doc.pop(name, None)
        return _JSON.encode(doc)

    def names(self) -> list[str]:
        return [n for n in json.loads(self.fields_json) if n not in self.own]


def pull_page(
    conn: Connection, node: str, cursor: int, limit: int, *, by_record: bool = False
) -> Page:
    """Up to `limit` entries and conflicts above `cursor`. `by_record` (protocol 2): each
    entry is one RemoteRecord; protocol 1 gets a RemoteChange per field, at most `limit`."""
    top = current_sequence(conn)
    if cursor > top:
        # A cursor HQ never gave: the database was restored from a backup. Sending everything
        # again is harmless (devices keep the newer version of each field).
        cursor = 0
    found: list[tuple[int, _Entry | Conflict]] = []
    found.extend((e.seq, e) for e in _documents(conn, node, cursor, top, limit + 1))
    found.extend((e.seq, e) for e in _own_versions(conn, node, cursor, top, limit + 1))
    found.extend(_conflicts(conn, node, cursor, top, limit + 1))
    found.sort(key=lambda item: item[0])
    page = _fill(found, limit, by_record)
    more = len(page) < len(found)
    entries = [item for _, item in page if isinstance(item, _Entry)]
    page_conflicts = [item for _, item in page if isinstance(item, Conflict)]
    audit.served(conn, node, _interview_fields(entries), page_conflicts)  # before they leave
    texts = _records_json(entries) if by_record else _changes_json(entries)
    return Page(
        changes_json=f"[{','.join(texts)}]",
        count=len(texts),
        conflicts=page_conflicts,
        # A full page ends at its last item; otherwise everything up to the counter has been
        # seen, including rows this device may not see, so the next pull starts above them.
        cursor=page[-1][0] if more else top,
        more=more,
    )


def count_pending(conn: Connection, node: str, cursor: int) -> int:
    """How many records, fields and conflicts above `cursor` would reach `node`."""
    top = current_sequence(conn)
    total = 0
    for query in (
        _documents_query(node, cursor, top),
        _own_versions_query(node, cursor, top),
        _conflicts_query(node, cursor, top),
    ):
        total += conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    return total


def _fill(
    found: list[tuple[int, _Entry | Conflict]], limit: int, by_record: bool
) -> list[tuple[int, _Entry | Conflict]]:
    """The page: `limit` items; for protocol 1, whose limit counts fields, as many as fit
    (a record's fields are never split over two pages: they share one sequence number)."""
    if by_record:
        return found[:limit]
    page: list[tuple[int, _Entry | Conflict]] = []
    used = 0
    for seq, item in found:
        size = len(item.names()) if isinstance(item, _Entry) else 1
        if page and used + size > limit:
            break
        page.append((seq, item))
        used += size
    return page


def _documents(conn: Connection, node: str, cursor: int, top: int, limit: int) -> list[_Entry]:
    query = _documents_query(node, cursor, top)
    query = query.order_by(query.selected_columns.seq).limit(limit)
    rows = conn.execute(query).all()
    own = _own_fields(conn, [row.record_id for row in rows if row.has_own])
    codec = codec_of(conn)
    return [
        _Entry(
            row.seq,
            row.kind,
            row.record_id,
            row.hlc,
            row.node,
            codec.decode(conn, row.doc).decode(),
            own.get(row.record_id, ()),
        )
        for row in rows
    ]


def _own_versions(conn: Connection, node: str, cursor: int, top: int, limit: int) -> list[_Entry]:
    """Fields with a version of their own, each as {"field": value} from its document."""
    query = _own_versions_query(node, cursor, top)
    query = query.order_by(query.selected_columns.seq).limit(limit)
    codec = codec_of(conn)
    entries: list[_Entry] = []
    for seq, kind, record_id, hlc, writer, name, doc in conn.execute(query):
        value = codec.load(conn, doc).get(name)
        one = _JSON.encode({name: value})
        entries.append(_Entry(seq, kind, record_id, hlc, writer, one))
    return entries


def _own_fields(conn: Connection, record_ids: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for chunk in chunked(record_ids):
        rows = conn.execute(
            select(field_versions.c.record_id, field_versions.c.field).where(
                field_versions.c.record_id.in_(chunk)
            )
        )
        for record_id, name in rows:
            found.setdefault(record_id, []).append(name)
    return {record_id: tuple(names) for record_id, names in found.items()}


def _documents_query(node: str, cursor: int, top: int) -> Select[Any]:
    source, record, visible = visible_join(node)
    has_own = (
        select(field_versions.c.field)
        .where(field_versions.c.record_id == record.c.record_id)
        .exists()
    )
    return (
        select(
            record.c.seq,
            record.c.kind,
            record.c.record_id,
            record.c.hlc,
            record.c.node,
            record.c.doc,
            has_own.label("has_own"),
        )
        .select_from(source)
        .where(
            record.c.seq > cursor,
            record.c.seq <= top,
            record.c.node != node,
            visible,
        )
    )


def _own_versions_query(node: str, cursor: int, top: int) -> Select[Any]:
    source, record, visible = visible_join(node, field_versions)
    fv = field_versions.c
    return (
        select(fv.seq, record.c.kind, fv.record_id, fv.hlc, fv.node, fv.field, record.c.doc)
        .select_from(source)
        .where(fv.seq > cursor, fv.seq <= top, fv.node != node, visible)
    )


def _conflicts(
    conn: Connection, node: str, cursor: int, top: int, limit: int
) -> list[tuple[int, _Entry | Conflict]]:
    query = _conflicts_query(node, cursor, top).order_by(conflicts.c.seq).limit(limit)
    return [(row.seq, conflict_from_row(row)) for row in conn.execute(query)]


def _conflicts_query(node: str, cursor: int, top: int) -> Select[Any]:
    source, _record, visible = visible_join(node, conflicts)
    return (
        select(conflicts)
        .select_from(source)
        .where(conflicts.c.seq > cursor, conflicts.c.seq <= top, visible)
    )


def _records_json(entries: Iterable[_Entry]) -> list[str]:
    """Protocol 2: a RemoteRecord for the fields of each record written at one version (a
    document, or fields one edit changed), in the order of their first entry."""
    grouped: dict[tuple[str, int, str], list[_Entry]] = {}
    for entry in entries:
        grouped.setdefault((entry.record, entry.hlc, entry.node), []).append(entry)
    texts: list[str] = []
    for (record, hlc, node), group in grouped.items():
        inner = ",".join(part for part in (e.fields()[1:-1] for e in group) if part)
        if not inner:
            continue
        head = json.dumps({"kind": group[0].kind, "record": record, "hlc": hlc, "node": node})
        texts.append(f'{head[:-1]},"fields":{{{inner}}}}}')
    return texts


def _changes_json(entries: Iterable[_Entry]) -> list[str]:
    """Protocol 1: a RemoteChange per field (the values parsed and written again)."""
    texts: list[str] = []
    for entry in entries:
        doc = json.loads(entry.fields())
        for name, value in doc.items():
            change = {
                "kind": entry.kind,
                "record": entry.record,
                "field": name,
                "value": value,
                "hlc": entry.hlc,
                "node": entry.node,
            }
            texts.append(_JSON.encode(change))
    return texts


def _interview_fields(entries: Iterable[_Entry]) -> list[tuple[str, str]]:
    """(record, field) of every interview field in the entries: what the audit logs."""
    return [
        (entry.record, name)
        for entry in entries
        if entry.kind in PRIVATE_KINDS
        for name in entry.names()
    ]
