"""Who read what: an append-only, hash-chained trail at HQ.

Two kinds of entry: each interview field HQ served to each device (device, record, field,
when: never the value), and each admin command run (who, what, when: never a code or token).
Entry N's hash is SHA-256 over entry N-1's hash and entry N's own columns, and the last id and
hash are kept apart (`server_settings.audit_head`), so `verify` finds an entry altered,
removed from the middle, or cut from the end. It cannot stop someone who rewrites the whole
chain with database access; it makes a quiet edit of one entry visible.

Writers of the chain take their own lock (SQLite's single writer; a transaction-scoped
advisory lock on PostgreSQL) and insert a page's entries in one statement.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from fieldkit.domain.sync_rules import ATTACHMENT, PRIVATE_KINDS
from fieldkit.hq.clock import now_ms
from fieldkit.hq.nodes import holder
from fieldkit.hq.storage import WRITE_OPTION, Storage, insert_rows
from fieldkit.hq.tables import AUDIT_HEAD, NAME, audit_log, records, server_settings
from fieldkit.hq.visibility import visible_join
from fieldkit.sync.protocol import Conflict

SERVED = "served"
ATTACHMENT_FIELD = "attachment"  # an attachment's bytes: "attachment <its record id>"
ADMIN = "admin"
GENESIS = "0" * 64
AUDIT_LOCK = 0x464B415544495421  # "FKAUDIT!" as ASCII: serialises writers of the chain
VERIFY_PAGE = 5000


@dataclass(frozen=True)
class Entry:
    id: int
    at: int
    action: str
    device_id: str | None
    record_id: str | None
    field: str | None
    actor: str | None
    detail: str | None
    hash: str


@dataclass(frozen=True)
class Verdict:
    entries: int
    broken_at: int | None  # the first entry that fails, or the id after the last good one
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


_Row = tuple[int, str, str | None, str | None, str | None, str | None, str | None]


def served(
    conn: Connection,
    node: str,
    interview_fields: Sequence[tuple[str, str]],
    conflicts: Sequence[Conflict],
) -> None:
    """The pull hook: log each interview field of this page ((record, field) pairs, and
    conflicts) as served to the device holding `node`, before the page leaves HQ. Committed
    in its own transaction, so an entry exists for every page a device may have received."""
    fields: dict[tuple[str, str], None] = dict.fromkeys(interview_fields)
    for conflict in conflicts:
        if conflict.kind in PRIVATE_KINDS:
            fields[(conflict.record, conflict.field)] = None
    if not fields:
        return
    device = holder(conn, node)
    at = now_ms()
    rows: list[_Row] = [(at, SERVED, device, record, field, None, None) for record, field in fields]
    with _writing(conn.engine) as writer:
        _append(writer, rows)


def served_attachment(storage: Storage, device_id: str, node: str, sha256: str) -> None:
    """Log the bytes of an interview's attachment as served to the device (one entry per
    interview attachment that names those bytes and the device may see), before they leave."""
    source, record, visible = visible_join(node)
    parent = records.alias("audited_parent")
    query = (
        select(record.c.record_id, record.c.parent_record)
        .select_from(source.join(parent, parent.c.record_id == record.c.parent_record))
        .where(
            record.c.kind == ATTACHMENT,
            record.c.blob_sha256 == sha256,
            parent.c.kind.in_(PRIVATE_KINDS),
            visible,
        )
    )
    at = now_ms()
    with _writing(storage.engine) as writer:
        rows: list[_Row] = [
            (at, SERVED, device_id, row.parent_record, f"{ATTACHMENT_FIELD} {row.record_id}"[:64],
             None, None)
            for row in writer.execute(query)
            if row.parent_record
        ]  # fmt: skip
        if rows:
            _append(writer, rows)


def log_admin(storage: Storage, command: str, actor: str | None = None) -> None:
    """Log an admin command (its words without secrets) and who ran it."""
    row: _Row = (now_ms(), ADMIN, None, None, None, (actor or whoami())[:NAME], command)
    with _writing(storage.engine) as writer:
        _append(writer, [row])


def whoami() -> str:
    """The operating-system account and machine running an admin command."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def who_has(
    storage: Storage, *, record_id: str | None = None, device_id: str | None = None
) -> list[Entry]:
    """Interview fields served, for one record or one device, oldest first."""
    query = select(audit_log).where(audit_log.c.action == SERVED)
    if record_id is not None:
        query = query.where(audit_log.c.record_id == record_id)
    if device_id is not None:
        query = query.where(audit_log.c.device_id == device_id)
    with storage.reading() as conn:
        return [_entry(row) for row in conn.execute(query.order_by(audit_log.c.id))]


def admin_entries(storage: Storage, limit: int = 200) -> list[Entry]:
    """The latest admin commands, newest first."""
    query = (
        select(audit_log)
        .where(audit_log.c.action == ADMIN)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    with storage.reading() as conn:
        return [_entry(row) for row in conn.execute(query)]


def verify(storage: Storage) -> Verdict:
    """Walk the chain from the start: every hash recomputed, ids consecutive, the head kept
    apart matching the last entry."""
    previous, last_id, count = GENESIS, 0, 0
    with storage.reading() as conn:
        while True:
            rows = conn.execute(
                select(audit_log)
                .where(audit_log.c.id > last_id)
                .order_by(audit_log.c.id)
                .limit(VERIFY_PAGE)
            ).all()
            for row in rows:
                entry = _entry(row)
                if entry.id != last_id + 1:
                    return Verdict(count, last_id + 1, "an entry is missing")
                if _digest(previous, entry.id, _columns(entry)) != entry.hash:
                    return Verdict(count, entry.id, "the entry was altered")
                previous, last_id, count = entry.hash, entry.id, count + 1
            if len(rows) < VERIFY_PAGE:
                break
        head = _head(conn)
    if head != (last_id, previous):
        return Verdict(count, last_id + 1, "entries were removed from the end")
    return Verdict(count, None, "intact")


def _append(conn: Connection, rows: list[_Row]) -> None:
    last_id, previous = _head(conn)
    stored = []
    for row in rows:
        last_id += 1
        previous = _digest(previous, last_id, row)
        stored.append((last_id, *row, previous))
    insert_rows(conn, audit_log, stored)
    value = f"{last_id}:{previous}"
    changed = conn.execute(
        update(server_settings).where(server_settings.c.name == AUDIT_HEAD).values(value=value)
    )
    if changed.rowcount == 0:
        conn.execute(insert(server_settings).values(name=AUDIT_HEAD, value=value))


def _head(conn: Connection) -> tuple[int, str]:
    value = conn.execute(
        select(server_settings.c.value).where(server_settings.c.name == AUDIT_HEAD)
    ).scalar_one_or_none()
    if value is None:
        return 0, GENESIS
    last, _, digest = str(value).partition(":")
    return int(last), digest


def _digest(previous: str, entry_id: int, row: _Row) -> str:
    canonical = json.dumps([entry_id, *row], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode()).hexdigest()


def _columns(entry: Entry) -> _Row:
    return (
        entry.at, entry.action, entry.device_id, entry.record_id, entry.field, entry.actor,
        entry.detail,
    )  # fmt: skip


def _entry(row: Row[Any]) -> Entry:
    return Entry(
        id=int(row.id),
        at=int(row.at),
        action=str(row.action),
        device_id=row.device_id,
        record_id=row.record_id,
        field=row.field,
        actor=row.actor,
        detail=row.detail,
        hash=str(row.hash),
    )


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction of its own that holds the chain's lock until it commits."""
    with engine.connect() as raw:
        conn = raw.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK)))
            yield conn
