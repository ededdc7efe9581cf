"""Who may see a record. Interviews stay with their author's device until shared; an
attachment follows the record it is attached to; everything else reaches every device.

A private record is visible to the device holding the node that owns it and, for an
attachment, to the device holding the owner of the record it hangs on (a device holds its own
node and those of devices it replaced: fieldkit/hq/nodes.py). When a record stops being
private, it, its fields and conflicts get new sequence numbers so devices that could not see it
pull the whole record on their next sync.

Reviewers (HQ's case officers and supervisors) read every record of the attachés in their
posts, unshared interviews included, and write everything but interviews someone else wrote.
A role or post change takes effect at the device's next pull: visibility is decided at each
pull, and records a reviewer gains get new sequence numbers so it pulls them whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    exists,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.sql.selectable import FromClause, NamedFromClause

from fieldkit.domain.sync_rules import ATTACHMENT, PRIVATE_KINDS, SHARED
from fieldkit.hq.doc_codec import codec_of
from fieldkit.hq.nodes import NodeRef, held_by, held_nodes
from fieldkit.hq.sequence import SequenceNumbers
from fieldkit.hq.tables import (
    ATTACHE,
    REVIEWER,
    conflicts,
    device_nodes,
    device_roles,
    devices,
    field_versions,
    records,
    reviewer_posts,
)
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


@dataclass(frozen=True)
class Reach:
    """What a device reads: the nodes it holds, and as a reviewer the nodes of the attachés
    in its posts (whose private records it reads but whose interviews it never writes)."""

    held: frozenset[str]
    reviewed: frozenset[str] = frozenset()
    reviewer: bool = False

    def reads(self, owner_node: str) -> bool:
        return owner_node in self.held or owner_node in self.reviewed


def reach_of(conn: Connection, node: str) -> Reach:
    """The reach of the device holding `node`, as its role and posts stand now."""
    reviewer = conn.execute(select(_is_reviewer(_device_of(node)))).scalar_one()
    reviewed: list[str] = []
    if reviewer:
        reviewed = [str(n) for n in conn.execute(reviewed_by(node)).scalars()]
    return Reach(held_nodes(conn, node), frozenset(reviewed), bool(reviewer))


def _as_reach(nodes: AbstractSet[str] | Reach) -> Reach:
    return nodes if isinstance(nodes, Reach) else Reach(frozenset(nodes))


def can_see(record: RecordInfo, parent: RecordInfo | None, nodes: AbstractSet[str] | Reach) -> bool:
    """Whether a device holding `nodes` (or with this reach) may see the record."""
    reach = _as_reach(nodes)
    if not record.private or reach.reads(record.owner_node):
        return True
    return parent is not None and reach.reads(parent.owner_node)


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
    lookup: RecordLookup, change: FieldWrite, nodes: AbstractSet[str] | Reach
) -> tuple[RejectCode, str] | None:
    """Why a device holding `nodes` (or with this reach) may not write this change, or None.
    A record it cannot see (another device's private interview: no edit, no delete) and
    attaching to one are refused; only a holder of the owner's node may change whether an
    interview is shared; a reviewer never writes an interview another device wrote, nor an
    attachment of one."""
    reach = _as_reach(nodes)
    nodes = reach.held
    record = lookup.record(change.record)
    if reach.reviewer and _others_interview(lookup, record, change, reach):
        return "not_permitted", "a reviewer may not edit an interview another device wrote"
    if record is not None:
        if record.kind != change.kind:
            return "invalid_value", f"record {change.record} is a {record.kind}"
        if not can_see(record, lookup.parent_of(record), reach):
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
        if target is not None and not can_see(target, lookup.parent_of(target), reach):
            return "not_permitted", "attached to a record private to another device"
    return None


def _others_interview(
    lookup: RecordLookup, record: RecordInfo | None, change: FieldWrite, reach: Reach
) -> bool:
    """Whether the change writes an interview (or an attachment of one, or attaches to one)
    that a node this device does not hold wrote."""

    def foreign(info: RecordInfo | None) -> bool:
        return info is not None and info.kind in PRIVATE_KINDS and info.owner_node not in reach.held

    if record is not None and (foreign(record) or foreign(lookup.parent_of(record))):
        return True
    if change.kind == ATTACHMENT and change.field == ATTACHED_TO and change.value:
        return foreign(lookup.record(str(change.value)))
    return False


def visible_join(
    node: NodeRef, onto: Table | None = None
) -> tuple[FromClause, NamedFromClause, ColumnElement[bool]]:
    """SQL for can_see: `onto` (a table with a record_id) joined to its record, or the records
    themselves, left-joined to each record's parent; the record's alias; and the condition
    that the device holding `node` may see the record."""
    record = records.alias("record")
    parent = records.alias("parent")
    source = record if onto is None else onto.join(record, record.c.record_id == onto.c.record_id)
    joined = source.outerjoin(parent, parent.c.record_id == record.c.parent_record)
    held = held_by(node)
    reviewed = reviewed_by(node)
    visible = or_(
        not_(record.c.private),
        record.c.owner_node.in_(held),
        parent.c.owner_node.in_(held),
        record.c.owner_node.in_(reviewed),
        parent.c.owner_node.in_(reviewed),
    )
    return joined, record, visible


def _device_of(node: NodeRef) -> Any:
    return select(device_nodes.c.device_id).where(device_nodes.c.node == node).scalar_subquery()


def _is_reviewer(device: Any) -> Any:
    mine = device_roles.alias("mine")
    return exists().where(mine.c.device_id == device, mine.c.role == REVIEWER)


def reviewed_by(node: NodeRef) -> Select[tuple[str]]:
    """SQL: the nodes whose private records the device holding `node` reads as a reviewer:
    those held by attachés (devices without a role row are attachés) in its posts, or by
    every attaché for a reviewer of all posts. Empty for an attaché."""
    me = _device_of(node)
    mine = device_roles.alias("mine")
    theirs = device_roles.alias("theirs")
    every_post = exists().where(mine.c.device_id == me, mine.c.role == REVIEWER, mine.c.all_posts)
    my_posts = select(reviewer_posts.c.post).where(reviewer_posts.c.device_id == me)
    return (
        select(device_nodes.c.node)
        .select_from(device_nodes.outerjoin(theirs, theirs.c.device_id == device_nodes.c.device_id))
        .where(
            _is_reviewer(me),
            or_(theirs.c.role.is_(None), theirs.c.role == ATTACHE),
            or_(every_post, theirs.c.post.in_(my_posts)),
        )
    )


def reviewers_reach(conn: Connection) -> dict[str, frozenset[str]]:
    """Each reviewer device (by id) and the nodes it reviews now."""
    rows = conn.execute(
        select(devices.c.id, devices.c.node)
        .join(device_roles, device_roles.c.device_id == devices.c.id)
        .where(device_roles.c.role == REVIEWER)
    ).all()
    return {
        str(row.id): frozenset(str(n) for n in conn.execute(reviewed_by(row.node)).scalars())
        for row in rows
    }


def open_to_reviewers(
    conn: Connection,
    seq: SequenceNumbers,
    before: dict[str, frozenset[str]],
    after: dict[str, frozenset[str]],
) -> int:
    """After a role or post change: the private records a reviewer newly reads (and their
    attachments) get new sequence numbers, so it pulls them whole on its next sync, whatever
    its cursor. Returns how many records were sent again."""
    gained: set[str] = set()
    for device_id, reached in after.items():
        gained |= reached - before.get(device_id, frozenset())
    if not gained:
        return 0
    owned = list(
        conn.execute(
            select(records.c.record_id).where(
                records.c.private, records.c.owner_node.in_(sorted(gained))
            )
        ).scalars()
    )
    attached = [r.record_id for r in _children(conn, set(owned)) if r.private]
    for record_id in sorted(set(owned) | set(attached)):
        _resequence(conn, seq, record_id)
    return len(set(owned) | set(attached))


def load_records(conn: Connection, ids: Iterable[str]) -> dict[str, RecordInfo]:
    found: dict[str, RecordInfo] = {}
    for chunk in chunked(sorted(set(ids))):
        for row in conn.execute(_select_records().where(records.c.record_id.in_(chunk))):
            found[row.record_id] = record_info(row)
    return found


def record_visible(conn: Connection, record_id: str, node: str) -> bool:
    record = load_records(conn, [record_id]).get(record_id)
    if record is None:
        return False
    parent = _parent(conn, record)
    return can_see(record, parent, reach_of(conn, node))


def record_writable(conn: Connection, record_id: str, node: str) -> bool:
    """Whether the device holding `node` may change the record (resolve its conflicts): it
    sees it, and as a reviewer it is not an interview (or an attachment of one) another
    device wrote."""
    record = load_records(conn, [record_id]).get(record_id)
    if record is None:
        return False
    parent = _parent(conn, record)
    reach = reach_of(conn, node)
    if not can_see(record, parent, reach):
        return False

    def foreign(info: RecordInfo | None) -> bool:
        return info is not None and info.kind in PRIVATE_KINDS and info.owner_node not in reach.held

    return not (reach.reviewer and (foreign(record) or foreign(parent)))


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
        doc = conn.execute(
            select(records.c.doc).where(records.c.record_id == record.record_id)
        ).scalar_one_or_none()
        return doc is None or codec_of(conn).load(conn, doc).get(SHARED) is not True
    if record.kind == ATTACHMENT:
        parent = _parent(conn, record)
        return parent is None or parent.private
    return False


def _resequence(conn: Connection, seq: SequenceNumbers, record_id: str) -> None:
    """New sequence numbers for the record, its fields' own versions and its conflicts (in
    their order)."""
    conn.execute(update(records).where(records.c.record_id == record_id).values(seq=seq.next()))
    names = conn.execute(
        select(field_versions.c.field)
        .where(field_versions.c.record_id == record_id)
        .order_by(field_versions.c.seq)
    ).scalars()
    for name in list(names):
        conn.execute(
            update(field_versions)
            .where(field_versions.c.record_id == record_id, field_versions.c.field == name)
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
        found.extend(record_info(row) for row in rows)
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


def record_info(row: Row[Any]) -> RecordInfo:
    """A `records` row's owner and visibility."""
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
