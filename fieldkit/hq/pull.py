"""A page of other devices' changes for one device (docs/sync-protocol.md, step 3).

The page holds fields and conflicts with a sequence above the device's cursor, in sequence
order, leaving out fields whose current version the device wrote itself and records it may not
see. The numbers are bounded by the counter read first, so the page is consistent even on
PostgreSQL, where each statement sees the newest commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Select,
    Text,
    cast,
    func,
    literal_column,
    select,
)

from fieldkit.hq import audit
from fieldkit.hq.conflicts import conflict_from_row
from fieldkit.hq.sequence import current_sequence
from fieldkit.hq.tables import conflicts, fields
from fieldkit.hq.visibility import visible_join
from fieldkit.sync.protocol import Conflict


@dataclass(frozen=True)
class Page:
    changes_json: str  # the page's changes (protocol RemoteChange objects), a JSON array
    count: int  # how many changes
    conflicts: list[Conflict]
    cursor: int
    more: bool


def pull_page(
    conn: Connection, node: str, cursor: int, limit: int, *, by_record: bool = False
) -> Page:
    """Up to `limit` fields and conflicts above `cursor`. `by_record` (protocol 2): the
    fields of one record written at one clock reading by one node go as one entry."""
    top = current_sequence(conn)
    if cursor > top:
        # A cursor HQ never gave: the database was restored from a backup. Sending everything
        # again is harmless (devices keep the newer version of each field).
        cursor = 0
    found: list[tuple[int, str | Conflict]] = []
    found.extend(_changes(conn, node, cursor, top, limit + 1, by_record=by_record))
    found.extend(_conflicts(conn, node, cursor, top, limit + 1))
    found.sort(key=lambda item: item[0])
    page = found[:limit]
    more = len(found) > limit
    changes = [item for _, item in page if isinstance(item, str)]
    page_conflicts = [item for _, item in page if isinstance(item, Conflict)]
    audit.served(conn, node, changes, page_conflicts)  # interview fields, before they leave
    return Page(
        changes_json=_records_json(changes) if by_record else f"[{','.join(changes)}]",
        count=len(changes),
        conflicts=page_conflicts,
        # A full page ends at its last item; otherwise everything up to the counter has been
        # seen, including rows this device may not see, so the next pull starts above them.
        cursor=page[-1][0] if more else top,
        more=more,
    )


def count_pending(conn: Connection, node: str, cursor: int) -> int:
    """How many changes and conflicts above `cursor` would reach `node`."""
    top = current_sequence(conn)
    total = 0
    for query in (_changes_query(node, cursor, top), _conflicts_query(node, cursor, top)):
        total += conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    return total


def _changes(
    conn: Connection, node: str, cursor: int, top: int, limit: int, *, by_record: bool = False
) -> list[tuple[int, str | Conflict]]:
    """(seq, the change as JSON text) in order: the database writes each change's JSON, with
    the stored value spliced in as it is (no Python object per change or per value). With
    `by_record`, the text is the record's header and the field as a one-key object, tab
    separated, for _records_json to group."""
    source, _record, visible = visible_join(node, fields)
    postgres = conn.dialect.name == "postgresql"
    query = (
        select(fields.c.seq, _field_json(postgres) if by_record else _change_json(postgres))
        .select_from(source)
        .where(fields.c.seq > cursor, fields.c.seq <= top, fields.c.node != node, visible)
        .order_by(fields.c.seq)
        .limit(limit)
    )
    return [(seq, text) for seq, text in conn.execute(query)]


def _change_json(postgres: bool) -> ColumnElement[Any]:
    """A protocol RemoteChange as JSON text, built by SQL (one expression per backend)."""
    c = fields.c
    pairs: list[Any] = []
    for name, column in (("kind", c.kind), ("record", c.record_id), ("field", c.field)):
        pairs += [literal_column(f"'{name}'"), column]
    value = cast(c.value, JSON) if postgres else func.json(c.value)
    pairs += [literal_column("'value'"), value, literal_column("'hlc'"), c.hlc]
    pairs += [literal_column("'node'"), c.node]
    if postgres:
        return cast(func.json_build_object(*pairs), Text)
    return func.json_object(*pairs)


def _field_json(postgres: bool) -> ColumnElement[Any]:
    """`{"kind":..,"record":..,"hlc":..,"node":..}` TAB `{"field": value}`, built by SQL."""
    c = fields.c
    pairs: list[Any] = []
    for name, column in (("kind", c.kind), ("record", c.record_id), ("hlc", c.hlc)):
        pairs += [literal_column(f"'{name}'"), column]
    pairs += [literal_column("'node'"), c.node]
    head: ColumnElement[Any]
    one: ColumnElement[Any]
    if postgres:
        head = cast(func.json_build_object(*pairs), Text)
        one = cast(func.json_build_object(c.field, cast(c.value, JSON)), Text)
    else:
        head = func.json_object(*pairs)
        one = func.json_object(c.field, func.json(c.value))
    return head.op("||")(literal_column("'\t'")).op("||")(one)


def _records_json(rows: list[str]) -> str:
    """Fields that share a record, clock and node joined into one protocol RemoteRecord
    each, in the order of their first field: string work only, no value is parsed."""
    grouped: dict[str, list[str]] = {}
    for row in rows:
        head, one = row.split("\t", 1)
        grouped.setdefault(head, []).append(one.strip()[1:-1])
    return (
        "["
        + ",".join(
            f'{head.strip()[:-1]},"fields":{{{",".join(parts)}}}}}'
            for head, parts in grouped.items()
        )
        + "]"
    )


def _conflicts(
    conn: Connection, node: str, cursor: int, top: int, limit: int
) -> list[tuple[int, str | Conflict]]:
    query = _conflicts_query(node, cursor, top).order_by(conflicts.c.seq).limit(limit)
    return [(row.seq, conflict_from_row(row)) for row in conn.execute(query)]


def _changes_query(node: str, cursor: int, top: int) -> Select[Any]:
    source, _record, visible = visible_join(node, fields)
    return (
        select(
            fields.c.seq,
            fields.c.kind,
            fields.c.record_id,
            fields.c.field,
            fields.c.value,
            fields.c.hlc,
            fields.c.node,
        )
        .select_from(source)
        .where(fields.c.seq > cursor, fields.c.seq <= top, fields.c.node != node, visible)
    )


def _conflicts_query(node: str, cursor: int, top: int) -> Select[Any]:
    source, _record, visible = visible_join(node, conflicts)
    return (
        select(conflicts)
        .select_from(source)
        .where(conflicts.c.seq > cursor, conflicts.c.seq <= top, visible)
    )
