"""Applying a device's batch of changes (docs/sync-protocol.md, "A sync round", step 2).

Runs inside one sequenced write transaction: replay check, then each change in turn (checked,
permitted, clamped, last writer wins per field, concurrent edits of any field kept as
conflicts), then the records' visibility, resolved conflicts, and the acknowledgement stored
for replays.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, delete, insert, select

from fieldkit.domain.hlc import clamp
from fieldkit.domain.sync_rules import ATTACHMENT, PRIVATE_KINDS, SHARED, check_change
from fieldkit.hq.conflicts import DeviceNames, record_conflict, resolve_conflicts, side
from fieldkit.hq.nodes import held_nodes
from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.tables import batches
from fieldkit.hq.visibility import (
    RecordInfo,
    permission_refusal,
    private_when_created,
    refresh_privacy,
)
from fieldkit.hq.workspace import FieldVersion, Workspace
from fieldkit.sync.protocol import FUTURE_CLOCK_LIMIT_MS, Change, Clamped, Rejected, SyncRequest

log = logging.getLogger(__name__)

ATTACHED_TO = "record_id"  # the attachment field naming the record it belongs to
BLOB = "sha256"  # the attachment field naming its bytes
SHA256 = re.compile(r"^[0-9a-f]{64}$")
BATCH_HORIZON_MS = 90 * 24 * 3600 * 1000  # acknowledgements older than this are dropped


class Acknowledgement(BaseModel):
    """What HQ answers for a batch, stored so a replay gets the same answer."""

    batch: str | None = None
    applied: int = 0
    rejected: list[Rejected] = []
    clamped: list[Clamped] = []


def apply_push(
    conn: Connection, device_id: str, node: str, request: SyncRequest, now_ms: int
) -> Acknowledgement:
    """Apply the request's changes and resolved conflicts as `node`; the acknowledgement."""
    if request.batch is not None:
        stored = conn.execute(
            select(batches.c.response).where(
                batches.c.device_id == device_id, batches.c.batch_id == request.batch
            )
        ).scalar_one_or_none()
        if stored is not None:
            log.info("batch replayed by device %s; acknowledged again", device_id)
            return Acknowledgement.model_validate_json(stored)
    seq = SequenceNumbers(conn)
    batch = _Batch(conn, seq, node, now_ms)
    batch.workspace.preload({c.record for c in request.changes}, {c.field for c in request.changes})
    ack = Acknowledgement(batch=request.batch)
    for change in request.changes:
        outcome = batch.apply(change)
        if isinstance(outcome, Rejected):
            ack.rejected.append(outcome)
            continue
        ack.applied += 1
        if outcome is not None:
            ack.clamped.append(outcome)
    created = batch.workspace.created_ids
    batch.workspace.flush()
    refresh_privacy(conn, seq, batch.privacy_changed, created)
    resolve_conflicts(conn, seq, list(request.resolved), node)
    seq.save()
    if request.batch is not None:
        _remember(conn, device_id, request.batch, ack, now_ms)
    log.info(
        "device %s pushed %d changes (%d rejected, %d clamped)",
        device_id,
        len(request.changes),
        len(ack.rejected),
        len(ack.clamped),
    )
    return ack


class _Batch:
    """Decides one change after another against the workspace."""

    def __init__(self, conn: Connection, seq: SequenceNumbers, node: str, now_ms: int) -> None:
        self.workspace = Workspace(conn)
        self.privacy_changed: set[str] = set()
        self._conn = conn
        self._seq = seq
        self._node = node
        self._nodes = held_nodes(conn, node)  # its own node and those of devices it replaced
        self._now_ms = now_ms
        self._names = DeviceNames(conn)

    def apply(self, change: Change) -> Rejected | Clamped | None:
        """Rejected, Clamped (applied with an earlier clock), or None (applied as sent)."""
        refusal = self._refusal(change)
        if refusal is not None:
            return Rejected(change=change.id, code=refusal[0], message=refusal[1])
        text = _json_text(change.value)
        if text is None:
            return Rejected(change=change.id, code="invalid_value", message="not a JSON value")
        hlc = clamp(change.hlc, self._now_ms, FUTURE_CLOCK_LIMIT_MS)
        record = self.workspace.record(change.record)
        if record is None:
            record = RecordInfo(
                change.record, change.kind, self._node, private_when_created(change.kind)
            )
            self.workspace.create_record(record)
        stored = self.workspace.field(change.record, change.field)
        version = (hlc, self._node)
        if stored is None or version > stored.version:
            incoming = FieldVersion(
                change.record, change.field, change.kind, text, hlc, self._node, self._seq.next()
            )
            self.workspace.write_field(incoming)
            self._after_write(record, change)
        else:
            incoming = FieldVersion(
                change.record, change.field, change.kind, text, hlc, self._node, 0
            )
        if stored is not None and stored.version != incoming.version:
            self._keep_concurrent_edit(change, stored, incoming)
        return Clamped(change=change.id, hlc=hlc) if hlc != change.hlc else None

    def _refusal(self, change: Change) -> tuple[Any, str] | None:
        refusal = check_change(change.kind, change.field, change.value)
        if refusal is not None:
            return refusal.code, refusal.message
        return permission_refusal(self.workspace, change, self._nodes)

    def _after_write(self, record: RecordInfo, change: Change) -> None:
        """Keep the record's row in step with the fields that decide who sees it."""
        if record.kind in PRIVATE_KINDS and change.field == SHARED:
            self.privacy_changed.add(record.record_id)
        elif record.kind == ATTACHMENT and change.field == ATTACHED_TO:
            parent = str(change.value) if change.value else None
            self.workspace.change_record(replace(record, parent_record=parent))
            self.privacy_changed.add(record.record_id)
        elif record.kind == ATTACHMENT and change.field == BLOB:
            value = change.value if isinstance(change.value, str) else ""
            sha = value.lower() if SHA256.match(value.lower()) else None
            self.workspace.change_record(replace(record, blob_sha256=sha))

    def _keep_concurrent_edit(
        self, change: Change, stored: FieldVersion, incoming: FieldVersion
    ) -> None:
        """Two devices edited the same field from different starting points: keep both values
        as a conflict (the winner by clock stays in the field). Every kind of field: a case's
        status or a facility's municipality set at once on two laptops is as much a person's
        decision as two versions of the findings, and a laptop whose clock runs ahead must
        not silently erase a later edit."""
        if stored.node == incoming.node:
            return
        base = (change.base.hlc, change.base.node) if change.base else None
        if base == stored.version:
            return
        stored_value = json.loads(stored.value)
        if stored_value == change.value:
            return
        mine = side(change.value, incoming.hlc, incoming.node, self._names)
        theirs = side(stored_value, stored.hlc, stored.node, self._names)
        kept, other = (mine, theirs) if incoming.version > stored.version else (theirs, mine)
        record_conflict(
            self._conn,
            self._seq,
            kind=change.kind,
            record_id=change.record,
            field=change.field,
            kept=kept,
            other=other,
        )


_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_text(value: Any) -> str | None:
    """The value as compact JSON (None for what JSON cannot hold, such as NaN)."""
    try:
        return _COMPACT_JSON.encode(value)
    except ValueError:
        return None


def _remember(
    conn: Connection, device_id: str, batch_id: str, ack: Acknowledgement, now: int
) -> None:
    conn.execute(
        delete(batches).where(
            batches.c.device_id == device_id, batches.c.created_at < now - BATCH_HORIZON_MS
        )
    )
    conn.execute(
        insert(batches).values(
            device_id=device_id, batch_id=batch_id, response=ack.model_dump_json(), created_at=now
        )
    )
