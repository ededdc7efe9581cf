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

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, Select, bindparam, func, select

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
    bounds = {"node": node, "cursor": cursor, "top": top, "limit": limit + 1}
    found: list[tuple[int, _Entry | Conflict]] = []
    found.extend((e.seq, e) for e in _documents(conn, bounds))
    found.extend((e.seq, e) for e in _own_versions(conn, bounds))
    found.extend(_conflicts(conn, bounds))
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
    bounds = {"node": node, "cursor": cursor, "top": top}
    total = 0
    for query in (_documents_query(), _own_versions_query(), _conflicts_query()):
        counted = select(func.count()).select_from(query.subquery())
        total += conn.execute(counted, bounds).scalar_one()
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


def _documents(conn: Connection, bounds: dict[str, Any]) -> list[_Entry]:
    rows = conn.execute(_first(_documents_query()), bounds).all()
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


def _own_versions(conn: Connection, bounds: dict[str, Any]) -> list[_Entry]:
    """Fields with a version of their own, each as {"field": value} from its document."""
    codec = codec_of(conn)
    entries: list[_Entry] = []
    for seq, kind, record_id, hlc, writer, name, doc in conn.execute(
        _first(_own_versions_query()), bounds
    ):
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


# The page's queries are built once, their bounds bound at each pull: building them (the
# visibility joins) cost more Python than a small page's rows.
_NODE: BindParameter[str] = bindparam("node")
_CURSOR: BindParameter[int] = bindparam("cursor")
_TOP: BindParameter[int] = bindparam("top")


@functools.cache
def _first(query: Select[Any]) -> Select[Any]:
    """The query's rows in sequence order, up to the `limit` bound."""
    return query.order_by(query.selected_columns.seq).limit(bindparam("limit"))


@functools.cache
def _documents_query() -> Select[Any]:
    source, record, visible = visible_join(_NODE)
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
            record.c.seq > _CURSOR,
            record.c.seq <= _TOP,
            record.c.node != _NODE,
            visible,
        )
    )


@functools.cache
def _own_versions_query() -> Select[Any]:
    source, record, visible = visible_join(_NODE, field_versions)
    fv = field_versions.c
    return (
        select(fv.seq, record.c.kind, fv.record_id, fv.hlc, fv.node, fv.field, record.c.doc)
        .select_from(source)
        .where(fv.seq > _CURSOR, fv.seq <= _TOP, fv.node != _NODE, visible)
    )


def _conflicts(conn: Connection, bounds: dict[str, Any]) -> list[tuple[int, _Entry | Conflict]]:
    rows = conn.execute(_first(_conflicts_query()), bounds)
    return [(row.seq, conflict_from_row(row)) for row in rows]


@functools.cache
def _conflicts_query() -> Select[Any]:
    source, _record, visible = visible_join(_NODE, conflicts)
    return (
        select(conflicts)
        .select_from(source)
        .where(conflicts.c.seq > _CURSOR, conflicts.c.seq <= _TOP, visible)
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
