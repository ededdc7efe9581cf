"""Attachment bytes, named by SHA-256, kept in the database in the chunks devices send, so
every HQ process on one PostgreSQL serves the same blobs. Uploads resume from HQ's offset;
the hash is checked when the last byte arrives and a blob that does not match is discarded.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from fieldkit.domain.sync_rules import ATTACHMENT
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import ApiError, bad_request, not_found
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import blob_chunks, blobs
from fieldkit.hq.visibility import visible_join
from fieldkit.sync.protocol import UPLOAD_OFFSET

log = logging.getLogger(__name__)

MAX_BLOB_BYTES = 2 << 30  # 2 GiB: far above any attachment a field laptop keeps


@dataclass(frozen=True)
class BlobState:
    sha256: str
    length: int
    received: int
    complete: bool


def blob_state(storage: Storage, sha256: str) -> BlobState | None:
    with storage.reading() as conn:
        return _state(conn, sha256)


def append(storage: Storage, sha256: str, offset: int, length: int, data: bytes) -> int:
    """Store `data` at `offset` of a blob of `length` bytes; HQ's new offset. 409 (with HQ's
    offset) when `offset` is not where HQ stands; 400 when the finished bytes do not match."""
    if length > MAX_BLOB_BYTES:
        raise ApiError(413, "too_large", f"blobs larger than {MAX_BLOB_BYTES} bytes are refused")
    try:
        with storage.writing() as conn:
            outcome = _append(conn, sha256, offset, length, data)
    except IntegrityError:
        # Another upload of the same blob created it first (PostgreSQL: both saw none).
        state = blob_state(storage, sha256)
        outcome = _conflict(state.received if state else 0)
    if isinstance(outcome, ApiError):
        raise outcome
    return outcome


def _append(conn: Connection, sha256: str, offset: int, length: int, data: bytes) -> int | ApiError:
    state = _state(conn, sha256)
    if state is not None and state.complete:
        return state.length  # HQ has it already, from this device or another
    if state is not None and state.length != length:
        # Another length under the same name: the partial bytes cannot be these; start over.
        _discard(conn, sha256)
        state = None
    if state is None:
        if offset != 0:
            return _conflict(0)
        conn.execute(
            insert(blobs).values(
                sha256=sha256, length=length, received=0, complete=False, created_at=now_ms()
            )
        )
        state = BlobState(sha256, length, 0, False)
    if offset != state.received:
        return _conflict(state.received)
    if offset + len(data) > length:
        return bad_request("the chunk goes past Upload-Length")
    if data:
        moved = conn.execute(
            update(blobs)
            .where(blobs.c.sha256 == sha256, blobs.c.received == offset)
            .values(received=offset + len(data))
        )
        if moved.rowcount != 1:
            return _conflict(state.received)
        conn.execute(insert(blob_chunks).values(sha256=sha256, start=offset, data=data))
    received = offset + len(data)
    if received < length:
        return received
    if _hash(conn, sha256) != sha256:
        _discard(conn, sha256)
        log.warning("blob %s did not match its SHA-256; discarded", sha256[:12])
        return ApiError(400, "bad_request", "the bytes do not match their SHA-256; discarded",
                        {UPLOAD_OFFSET: "0"})  # fmt: skip
    conn.execute(update(blobs).where(blobs.c.sha256 == sha256).values(complete=True))
    return received


def readable_blob(storage: Storage, sha256: str, node: str) -> BlobState:
    """A complete blob named by an attachment `node` may see; 404 otherwise (HQ does not say
    whether it holds bytes the device may not read)."""
    source, record, visible = visible_join(node)
    named = (
        select(record.c.record_id)
        .select_from(source)
        .where(record.c.blob_sha256 == sha256, record.c.kind == ATTACHMENT, visible)
        .limit(1)
    )
    with storage.reading() as conn:
        state = _state(conn, sha256)
        allowed = conn.execute(named).first() is not None
    if state is None or not state.complete or not allowed:
        raise not_found()
    return state


def read(storage: Storage, sha256: str, start: int, end: int) -> Iterator[bytes]:
    """The bytes from `start` to `end` (exclusive), one stored chunk per read."""
    position = start
    while position < end:
        with storage.reading() as conn:
            first = conn.execute(
                select(func.max(blob_chunks.c.start)).where(
                    blob_chunks.c.sha256 == sha256, blob_chunks.c.start <= position
                )
            ).scalar_one()
            if first is None:
                return
            data = conn.execute(
                select(blob_chunks.c.data).where(
                    blob_chunks.c.sha256 == sha256, blob_chunks.c.start == first
                )
            ).scalar_one()
        piece = bytes(data)[position - first : end - first]
        if not piece:
            return
        yield piece
        position += len(piece)


def _state(conn: Connection, sha256: str) -> BlobState | None:
    row = conn.execute(
        select(blobs.c.sha256, blobs.c.length, blobs.c.received, blobs.c.complete).where(
            blobs.c.sha256 == sha256
        )
    ).one_or_none()
    if row is None:
        return None
    return BlobState(row.sha256, row.length, row.received, bool(row.complete))


def _hash(conn: Connection, sha256: str) -> str:
    """The SHA-256 of the stored chunks, read one at a time ("" when they leave a gap)."""
    hasher = hashlib.sha256()
    position = 0
    while True:
        row = conn.execute(
            select(blob_chunks.c.start, blob_chunks.c.data)
            .where(blob_chunks.c.sha256 == sha256, blob_chunks.c.start >= position)
            .order_by(blob_chunks.c.start)
            .limit(1)
        ).one_or_none()
        if row is None:
            return hasher.hexdigest()
        if row.start != position:
            return ""
        hasher.update(row.data)
        position += len(row.data)


def _discard(conn: Connection, sha256: str) -> None:
    conn.execute(delete(blob_chunks).where(blob_chunks.c.sha256 == sha256))
    conn.execute(delete(blobs).where(blobs.c.sha256 == sha256))


def _conflict(offset: int) -> ApiError:
    return ApiError(
        409, "conflict", f"HQ holds {offset} bytes of this blob", {UPLOAD_OFFSET: str(offset)}
    )
