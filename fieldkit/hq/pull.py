"""A page of other devices' changes for one device (docs/sync-protocol.md, step 3).

The page holds fields and conflicts with a sequence above the device's cursor, in sequence
order, leaving out fields whose current version the device wrote itself and records it may not
see. The numbers are bounded by the counter read first, so the page is consistent even on
PostgreSQL, where each statement sees the newest commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from fieldkit.hq.conflicts import conflict_from_row
from fieldkit.hq.sequence import current_sequence
from fieldkit.hq.tables import conflicts, fields
from fieldkit.hq.visibility import visible_join
from fieldkit.sync.protocol import Conflict, RemoteChange


@dataclass(frozen=True)
class Page:
    changes: list[RemoteChange]
    conflicts: list[Conflict]
    cursor: int
    more: bool


def pull_page(conn: Connection, node: str, cursor: int, limit: int) -> Page:
    top = current_sequence(conn)
    if cursor > top:
        # A cursor HQ never gave: the database was restored from a backup. Sending everything
        # again is harmless (devices keep the newer version of each field).
        cursor = 0
    found: list[tuple[int, RemoteChange | Conflict]] = []
    found.extend(_changes(conn, node, cursor, top, limit + 1))
    found.extend(_conflicts(conn, node, cursor, top, limit + 1))
    found.sort(key=lambda item: item[0])
    page = found[:limit]
    more = len(found) > limit
    return Page(
        changes=[item for _, item in page if isinstance(item, RemoteChange)],
        conflicts=[item for _, item in page if isinstance(item, Conflict)],
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
    conn: Connection, node: str, cursor: int, top: int, limit: int
) -> list[tuple[int, RemoteChange | Conflict]]:
    query = _changes_query(node, cursor, top).order_by(fields.c.seq).limit(limit)
    return [
        (
            row.seq,
            RemoteChange(
                kind=row.kind,
                record=row.record_id,
                field=row.field,
                value=json.loads(row.value),
                hlc=row.hlc,
                node=row.node,
            ),
        )
        for row in conn.execute(query)
    ]


def _conflicts(
    conn: Connection, node: str, cursor: int, top: int, limit: int
) -> list[tuple[int, RemoteChange | Conflict]]:
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
