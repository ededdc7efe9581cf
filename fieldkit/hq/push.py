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
from collections import defaultdict
from dataclasses import replace
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import Connection, delete, insert, select

from fieldkit.domain.hlc import clamp
from fieldkit.domain.sync_rules import (
    ATTACHMENT,
    CREATED_AT,
    PRIVATE_KINDS,
    SHARED,
    Refusal,
    check_change,
    check_fields,
    creation_refusal,
    is_default,
    names_blank_required,
)
from fieldkit.hq.conflicts import DeviceNames, record_conflict, resolve_conflicts, side
from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.tables import batches
from fieldkit.hq.visibility import (
    RecordInfo,
    permission_refusal,
    private_when_created,
    reach_of,
    refresh_privacy,
)
from fieldkit.hq.workspace import FieldVersion, Workspace
from fieldkit.sync.protocol import (
    FUTURE_CLOCK_LIMIT_MS,
    Change,
    Clamped,
    RecordEdit,
    Rejected,
    SyncRequest,
    Version,
)

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
    batch.workspace.preload(
        {c.record for c in request.changes} | {r.record for r in request.records},
        {c.field for c in request.changes} | {f for r in request.records for f in r.fields},
    )
    ack = Acknowledgement(batch=request.batch)
    refused_new = _creations_refused(batch, request)
    for change in request.changes:
        field = _Field(
            change.kind, change.record, change.field, change.value, change.hlc, change.base
        )
        outcome = batch.apply(field, refused_new.get(change.record) or _checked(change))
        if isinstance(outcome, tuple):
            ack.rejected.append(Rejected(change=change.id, code=outcome[0], message=outcome[1]))
            continue
        ack.applied += 1
        if outcome is not None:
            ack.clamped.append(Clamped(change=change.id, hlc=outcome))
    for edit in request.records:
        _apply_record(batch, edit, ack, refused_new.get(edit.record))
    created = batch.workspace.created_ids
    batch.workspace.flush()
    refresh_privacy(conn, seq, batch.privacy_changed, created)
    resolve_conflicts(conn, seq, list(request.resolved), node)
    seq.save()
    if request.batch is not None:
        _remember(conn, device_id, request.batch, ack, now_ms)
    log.info(
        "device %s pushed %d changes in %d records (%d rejected, %d clamped)",
        device_id,
        len(request.changes) + sum(len(r.fields) for r in request.records),
        len(request.records),
        len(ack.rejected),
        len(ack.clamped),
    )
    return ack


class _Field(NamedTuple):
    """One field as HQ decides it: a protocol-1 Change or a field of a RecordEdit (a tuple,
    not a model: a batch makes 2,000)."""

    kind: str
    record: str
    field: str
    value: Any
    hlc: int
    base: Version | None


def _checked(change: Change) -> Refusal | None:
    return check_change(change.kind, change.field, change.value)


def _creations_refused(batch: _Batch, request: SyncRequest) -> dict[str, Refusal]:
    """Records this request creates that FieldKit could not have saved, by record id: every
    change to them is refused. A record is judged on all its fields in the request (its
    creation and any edit made before it was sent), and only on required fields it names:
    one left out may be in another batch."""
    by_record: dict[str, dict[str, Any]] = defaultdict(dict)
    kinds: dict[str, str] = {}
    for change in request.changes:
        by_record[change.record][change.field] = change.value
        kinds[change.record] = change.kind
    for edit in request.records:
        by_record[edit.record].update(edit.fields)
        kinds[edit.record] = edit.kind
    refused: dict[str, Refusal] = {}
    for record_id, plain in by_record.items():
        if CREATED_AT not in plain or not names_blank_required(kinds[record_id], plain):
            continue
        if batch.workspace.record(record_id) is not None:
            continue
        values, _refused = check_fields(kinds[record_id], plain)
        refusal = creation_refusal(kinds[record_id], values, named=set(plain))
        if refusal is not None:
            refused[record_id] = refusal
    return refused


def _apply_record(
    batch: _Batch, edit: RecordEdit, ack: Acknowledgement, whole: Refusal | None
) -> None:
    """One record's fields written at one clock reading: checked by the domain layer at once,
    then decided field by field (so they merge with other devices' edits of other fields)."""
    _values, refused = check_fields(edit.kind, edit.fields)
    clamped: int | None = None
    for name, value in edit.fields.items():
        change = _Field(edit.kind, edit.record, name, value, edit.hlc, edit.base.get(name))
        outcome = batch.apply(change, whole or refused.get(name))
        if isinstance(outcome, tuple):
            ack.rejected.append(
                Rejected(record=edit.record, field=name, code=outcome[0], message=outcome[1])
            )
            continue
        ack.applied += 1
        clamped = outcome if outcome is not None else clamped
    if clamped is not None:
        ack.clamped.append(Clamped(record=edit.record, sent=edit.hlc, hlc=clamped))


class _Batch:
    """Decides one change after another against the workspace."""

    def __init__(self, conn: Connection, seq: SequenceNumbers, node: str, now_ms: int) -> None:
        self.workspace = Workspace(conn)
        self.privacy_changed: set[str] = set()
        self._conn = conn
        self._seq = seq
        self._node = node
        self._nodes = reach_of(conn, node)  # nodes it holds (own, replaced) and reviews
        self._now_ms = now_ms
        self._names = DeviceNames(conn)

    def apply(self, change: _Field, invalid: Refusal | None) -> tuple[Any, str] | int | None:
        """A refusal (code, message); the clock it was stored with when HQ clamped it; or
        None (applied as sent). `invalid` is the domain layer's verdict on the value."""
        refusal = self._refusal(change, invalid)
        if refusal is not None:
            return refusal
        hlc = clamp(change.hlc, self._now_ms, FUTURE_CLOCK_LIMIT_MS)
        record = self.workspace.record(change.record)
        if record is None:
            record = RecordInfo(
                change.record, change.kind, self._node, private_when_created(change.kind)
            )
            self.workspace.create_record(record)
        stored = self.workspace.field(change.record, change.field)
        if stored is None and is_default(change.kind, change.field, change.value):
            # A field HQ never held, at its default: storing it would change nothing a device
            # reads (a record pulled without it has it at its default), and would take a row.
            return hlc if hlc != change.hlc else None
        text = _json_text(change.value)
        if text is None:
            return "invalid_value", "not a JSON value"
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
        return hlc if hlc != change.hlc else None

    def _refusal(self, change: _Field, invalid: Refusal | None) -> tuple[Any, str] | None:
        if invalid is not None:
            return invalid.code, invalid.message
        return permission_refusal(self.workspace, change, self._nodes)

    def _after_write(self, record: RecordInfo, change: _Field) -> None:
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
        self, change: _Field, stored: FieldVersion, incoming: FieldVersion
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
