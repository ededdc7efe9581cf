"""Concurrent edits of one field, kept for a person to settle (docs/sync-protocol.md).

A conflict's id is derived from the two versions it holds, so a change sent again (in a new
batch, after a lost answer) finds the conflict it already made instead of making another.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.tables import conflicts, devices
from fieldkit.hq.visibility import record_writable
from fieldkit.sync.protocol import Conflict, ConflictSide


def conflict_id(record_id: str, field: str, kept: ConflictSide, other: ConflictSide) -> str:
    key = f"{record_id}\0{field}\0{kept.hlc}\0{kept.node}\0{other.hlc}\0{other.node}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class DeviceNames:
    """The name an admin gave the device behind a node (the latest enrolment wins)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._names: dict[str, str] = {}

    def __call__(self, node: str) -> str:
        if node not in self._names:
            name = self._conn.execute(
                select(devices.c.name)
                .where(devices.c.node == node)
                .order_by(devices.c.created_at.desc())
                .limit(1)
            ).scalar_one_or_none()
            self._names[node] = name or node
        return self._names[node]


def record_conflict(
    conn: Connection,
    seq: SequenceNumbers,
    *,
    kind: str,
    record_id: str,
    field: str,
    kept: ConflictSide,
    other: ConflictSide,
) -> None:
    """Store a conflict unless the same pair of versions is already stored."""
    new_id = conflict_id(record_id, field, kept, other)
    exists = conn.execute(select(conflicts.c.id).where(conflicts.c.id == new_id)).first()
    if exists is not None:
        return
    conn.execute(
        insert(conflicts).values(
            id=new_id,
            kind=kind,
            record_id=record_id,
            field=field,
            kept=kept.model_dump_json(),
            other=other.model_dump_json(),
            resolved=False,
            seq=seq.next(),
        )
    )


def resolve_conflicts(conn: Connection, seq: SequenceNumbers, ids: list[str], node: str) -> None:
    """Mark conflicts resolved for every device. Unknown ids, conflicts already resolved and
    conflicts on records this node may not change are left alone."""
    for conflict in sorted(set(ids)):
        row = conn.execute(
            select(conflicts.c.record_id, conflicts.c.resolved).where(conflicts.c.id == conflict)
        ).one_or_none()
        if row is None or row.resolved or not record_writable(conn, row.record_id, node):
            continue
        conn.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict)
            .values(resolved=True, seq=seq.next())
        )


def side(value: Any, hlc: int, node: str, names: DeviceNames) -> ConflictSide:
    return ConflictSide(value=value, hlc=hlc, node=node, device_name=names(node))


def conflict_from_row(row: Row[Any]) -> Conflict:
    return Conflict(
        id=row.id,
        kind=row.kind,
        record=row.record_id,
        field=row.field,
        kept=ConflictSide.model_validate_json(row.kept),
        other=ConflictSide.model_validate_json(row.other),
        resolved=row.resolved,
    )
