"""Applying a device's batch of changes (docs/sync-protocol.md, "A sync round", step 2).

Runs inside one sequenced write transaction: replay check, then each change in turn (checked,
permitted, clamped, last writer wins per field, concurrent edits of any field kept as
conflicts), then the records' visibility, resolved conflicts, and the acknowledgement stored
for replays.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
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
    defaults_of,
    holds_default,
    is_default,
    may_be_refused_at_creation,
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
from fieldkit.hq.workspace import FieldVersion, StoredRecord, Workspace
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
        {c.record for c in request.changes} | {r.record for r in request.records}
    )
    ack = Acknowledgement(batch=request.batch)
    checked = [check_fields(edit.kind, edit.fields) for edit in request.records]
    refused_new = _creations_refused(batch, request, checked)
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
    for edit, (_values, refused) in zip(request.records, checked, strict=True):
        _apply_record(batch, edit, ack, refused, refused_new.get(edit.record))
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


def _creations_refused(
    batch: _Batch, request: SyncRequest, checked: list[tuple[dict[str, Any], dict[str, Refusal]]]
) -> dict[str, Refusal]:
    """Records this request creates that FieldKit could not have saved, by record id: every
    change to them is refused. A record is judged on all its fields in the request (its
    creation and any edit made before it was sent), and only on required fields and rules
    between fields it names: one left out may be in another batch. `checked` holds each
    record edit's parsed values (check_fields), reused when one edit holds the record."""
    by_record: dict[str, dict[str, Any]] = {}
    kinds: dict[str, str] = {}
    edits: dict[str, list[int]] = defaultdict(list)
    for change in request.changes:
        by_record.setdefault(change.record, {})[change.field] = change.value
        kinds[change.record] = change.kind
    for index, edit in enumerate(request.records):
        earlier = by_record.get(edit.record)
        # Read, never written: most records come in one edit, whose fields need no copy.
        by_record[edit.record] = edit.fields if earlier is None else {**earlier, **edit.fields}
        kinds[edit.record] = edit.kind
        edits[edit.record].append(index)
    refused: dict[str, Refusal] = {}
    for record_id, plain in by_record.items():
        kind = kinds[record_id]
        if CREATED_AT not in plain or not may_be_refused_at_creation(kind, plain):
            continue
        if batch.workspace.record(record_id) is not None:
            continue
        alone = len(edits[record_id]) == 1 and len(plain) == len(
            request.records[edits[record_id][0]].fields
        )
        values = checked[edits[record_id][0]][0] if alone else check_fields(kind, plain)[0]
        refusal = creation_refusal(kind, values, named=set(plain))
        if refusal is not None:
            refused[record_id] = refusal
    return refused


def _apply_record(
    batch: _Batch,
    edit: RecordEdit,
    ack: Acknowledgement,
    refused: dict[str, Refusal],
    whole: Refusal | None,
) -> None:
    """One record's fields written at one clock reading, `refused` the domain layer's verdict
    on each (check_fields): a new record's decided together, a known one's field by field
    (so they merge with other devices' edits of other fields)."""
    if whole is None and batch.workspace.stored(edit.record) is None:
        batch.create(edit, refused, ack)
        return
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
        if not _is_json(change.value):
            return "invalid_value", "not a JSON value"
        hlc = clamp(change.hlc, self._now_ms, FUTURE_CLOCK_LIMIT_MS)
        clamped = hlc if hlc != change.hlc else None
        version = (hlc, self._node)
        stored_record = self.workspace.stored(change.record)
        if stored_record is None:
            info = RecordInfo(
                change.record, change.kind, self._node, private_when_created(change.kind)
            )
            stored_record = self.workspace.create_record(info, hlc, self._node, self._seq.next())
        stored = stored_record.current(change.field)
        made_with_record = version == (stored_record.hlc, stored_record.node)
        if (
            stored is None
            and made_with_record
            and is_default(change.kind, change.field, change.value)
        ):
            # A field left at its default when its record was made: a record pulled without it
            # has it at its default and at the record's version, so storing it would change
            # nothing a device reads, and would take space. A later edit back to the default
            # is stored like any edit: its author holds its version, and so must HQ.
            return clamped
        if stored is None or version > stored.version:
            self.workspace.write_field(
                stored_record, change.field, change.value, version, self._seq.next
            )
            self._after_write(stored_record.info, change)
        if stored is not None and stored.version != version:
            self._keep_concurrent_edit(change, stored, FieldVersion(change.value, *version))
        return clamped

    def create(self, edit: RecordEdit, refused: dict[str, Refusal], ack: Acknowledgement) -> None:
        """A record HQ has not heard of, written at one clock reading: there is no stored
        version to compare with and no conflict to keep, so its fields are decided together
        and join its document. The same outcome as deciding them one by one (`apply`)."""
        hlc = clamp(edit.hlc, self._now_ms, FUTURE_CLOCK_LIMIT_MS)
        stored: StoredRecord | None = None
        special = _SPECIAL.get(edit.kind, ())
        defaults = defaults_of(edit.kind)
        applied = 0  # counted here: each `ack.applied += 1` is a pydantic attribute write
        for name, value in edit.fields.items():
            refusal = self._creation_refusal(edit, name, value, refused.get(name), special)
            if refusal is not None:
                code, message = refusal
                ack.rejected.append(
                    Rejected(record=edit.record, field=name, code=code, message=message)
                )
                continue
            applied += 1
            if stored is None:
                info = RecordInfo(
                    edit.record, edit.kind, self._node, private_when_created(edit.kind)
                )
                stored = self.workspace.create_record(info, hlc, self._node, self._seq.next())
            if holds_default(defaults, name, value):
                continue  # a field at its default is not stored (as in `apply`)
            stored.doc[name] = value
            stored.doc_changed = True
            if name in special:
                self._after_write(stored.info, _field_of(edit, name, value))
        ack.applied += applied
        if stored is not None and hlc != edit.hlc:
            ack.clamped.append(Clamped(record=edit.record, sent=edit.hlc, hlc=hlc))

    def _creation_refusal(
        self,
        edit: RecordEdit,
        name: str,
        value: Any,
        invalid: Refusal | None,
        special: tuple[str, ...],
    ) -> tuple[Any, str] | None:
        """Why a field of a new record is refused (as `apply` decides), or None."""
        if invalid is not None:
            return invalid.code, invalid.message
        if name in special:
            refusal = permission_refusal(self.workspace, _field_of(edit, name, value), self._nodes)
            if refusal is not None:
                return refusal
        if not _is_json(value):
            return "invalid_value", "not a JSON value"
        return None

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
            self.workspace.change_record(record.record_id, parent_record=parent)
            self.privacy_changed.add(record.record_id)
        elif record.kind == ATTACHMENT and change.field == BLOB:
            value = change.value if isinstance(change.value, str) else ""
            sha = value.lower() if SHA256.match(value.lower()) else None
            self.workspace.change_record(record.record_id, blob_sha256=sha)

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
        if stored.value == change.value:
            return
        mine = side(change.value, incoming.hlc, incoming.node, self._names)
        theirs = side(stored.value, stored.hlc, stored.node, self._names)
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


def _field_of(edit: RecordEdit, name: str, value: Any) -> _Field:
    return _Field(edit.kind, edit.record, name, value, edit.hlc, edit.base.get(name))


# The fields whose value decides who sees a record or what it points at, by kind.
_SPECIAL = {kind: (SHARED,) for kind in PRIVATE_KINDS} | {ATTACHMENT: (ATTACHED_TO, BLOB)}


def _is_json(value: Any) -> bool:
    """Whether JSON can hold the value (no NaN or infinity at any depth)."""
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_is_json(item) for item in value)
    if kind is dict:
        return all(_is_json(item) for item in value.values())
    return True


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
