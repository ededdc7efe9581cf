"""Attachment bytes, named by SHA-256, kept in the database in the chunks devices send, so
every HQ process on one PostgreSQL serves the same blobs. Uploads resume from HQ's offset;
the hash is checked when the last byte arrives and a blob that does not match is discarded.

Each uploader's copy is its own (keyed by hash and the uploading device's node): a device's
HEAD and PATCH reach only its own copy, and a GET is served only through an attachment the
device may see whose owner uploaded the bytes. Knowing a hash therefore tells nothing about
what others uploaded and reads nothing of theirs (404, as for bytes HQ does not hold).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from fieldkit.domain.sync_rules import ATTACHMENT
from fieldkit.hq.clock import now_ms
from fieldkit.hq.errors import ApiError, bad_request, not_found
from fieldkit.hq.storage import Storage
from fieldkit.hq.tables import blob_chunks, blobs, device_nodes
from fieldkit.hq.visibility import visible_join
from fieldkit.sync.protocol import UPLOAD_OFFSET

log = logging.getLogger(__name__)

MAX_BLOB_BYTES = 2 << 30  # 2 GiB: far above any attachment a field laptop keeps


@dataclass(frozen=True)
class BlobState:
    sha256: str
    uploader: str  # the node of the device that sent these bytes
    length: int
    received: int
    complete: bool


def blob_state(storage: Storage, sha256: str, uploader: str) -> BlobState | None:
    """The state of `uploader`'s own copy of the blob (None: it sent none)."""
    with storage.reading() as conn:
        return _state(conn, Blob(sha256, uploader))


@dataclass(frozen=True)
class Blob:
    """One uploader's copy of the bytes named by `sha256`."""

    sha256: str
    uploader: str

    def where(self, table: Table) -> ColumnElement[bool]:
        return and_(table.c.sha256 == self.sha256, table.c.uploader == self.uploader)


def append(storage: Storage, blob: Blob, offset: int, length: int, data: bytes) -> int:
    """Store `data` at `offset` of the uploader's copy of `length` bytes; HQ's new offset. 409
    (with HQ's offset) when `offset` is not where HQ stands; 400 when the finished bytes do
    not match their hash."""
    if length > MAX_BLOB_BYTES:
        raise ApiError(413, "too_large", f"blobs larger than {MAX_BLOB_BYTES} bytes are refused")
    try:
        with storage.writing() as conn:
            outcome = _append(conn, blob, offset, length, data)
    except IntegrityError:
        # Another upload of the same copy created it first (PostgreSQL: both saw none).
        state = blob_state(storage, blob.sha256, blob.uploader)
        outcome = _conflict(state.received if state else 0)
    if isinstance(outcome, ApiError):
        raise outcome
    return outcome


def _append(conn: Connection, blob: Blob, offset: int, length: int, data: bytes) -> int | ApiError:
    state = _state(conn, blob)
    if state is not None and state.complete:
        return state.length  # this device sent it already
    if state is not None and state.length != length:
        # Another length under the same name: the partial bytes cannot be these; start over.
        _discard(conn, blob)
        state = None
    if state is None:
        if offset != 0:
            return _conflict(0)
        conn.execute(
            insert(blobs).values(
                sha256=blob.sha256,
                uploader=blob.uploader,
                length=length,
                received=0,
                complete=False,
                created_at=now_ms(),
            )
        )
        state = BlobState(blob.sha256, blob.uploader, length, 0, False)
    if offset != state.received:
        return _conflict(state.received)
    if offset + len(data) > length:
        return bad_request("the chunk goes past Upload-Length")
    if data:
        moved = conn.execute(
            update(blobs)
            .where(blob.where(blobs), blobs.c.received == offset)
            .values(received=offset + len(data))
        )
        if moved.rowcount != 1:
            return _conflict(state.received)
        conn.execute(
            insert(blob_chunks).values(
                sha256=blob.sha256, uploader=blob.uploader, start=offset, data=data
            )
        )
    received = offset + len(data)
    if received < length:
        return received
    if _hash(conn, blob) != blob.sha256:
        _discard(conn, blob)
        log.warning("an uploaded blob did not match its SHA-256; discarded")
        return ApiError(400, "bad_request", "the bytes do not match their SHA-256; discarded",
                        {UPLOAD_OFFSET: "0"})  # fmt: skip
    conn.execute(update(blobs).where(blob.where(blobs)).values(complete=True))
    return received


def readable_blob(storage: Storage, sha256: str, node: str) -> BlobState:
    """A complete copy of the blob, uploaded by the owner of an attachment that names it and
    that the device holding `node` may see; 404 otherwise (HQ does not say whether it holds
    bytes the device may not read)."""
    source, record, visible = visible_join(node)
    owner = device_nodes.alias("owner")
    sender = device_nodes.alias("sender")
    columns = (blobs.c.sha256, blobs.c.uploader, blobs.c.length, blobs.c.received)
    copies = (
        select(*columns, blobs.c.complete)
        .select_from(
            source.join(blobs, blobs.c.sha256 == record.c.blob_sha256)
            .outerjoin(owner, owner.c.node == record.c.owner_node)
            .outerjoin(sender, sender.c.node == blobs.c.uploader)
        )
        .where(
            record.c.blob_sha256 == sha256,
            record.c.kind == ATTACHMENT,
            visible,
            blobs.c.complete,
            or_(blobs.c.uploader == record.c.owner_node, owner.c.device_id == sender.c.device_id),
        )
        .order_by(blobs.c.uploader)
        .limit(1)
    )
    with storage.reading() as conn:
        row = conn.execute(copies).one_or_none()
    if row is None:
        raise not_found()
    return BlobState(row.sha256, row.uploader, row.length, row.received, bool(row.complete))


def read(storage: Storage, blob: Blob, start: int, end: int) -> Iterator[bytes]:
    """The bytes from `start` to `end` (exclusive), one stored chunk per read."""
    position = start
    while position < end:
        with storage.reading() as conn:
            first = conn.execute(
                select(func.max(blob_chunks.c.start)).where(
                    blob.where(blob_chunks), blob_chunks.c.start <= position
                )
            ).scalar_one()
            if first is None:
                return
            data = conn.execute(
                select(blob_chunks.c.data).where(
                    blob.where(blob_chunks), blob_chunks.c.start == first
                )
            ).scalar_one()
        piece = bytes(data)[position - first : end - first]
        if not piece:
            return
        yield piece
        position += len(piece)


def _state(conn: Connection, blob: Blob) -> BlobState | None:
    row = conn.execute(
        select(
            blobs.c.sha256, blobs.c.uploader, blobs.c.length, blobs.c.received, blobs.c.complete
        ).where(blob.where(blobs))
    ).one_or_none()
    if row is None:
        return None
    return BlobState(row.sha256, row.uploader, row.length, row.received, bool(row.complete))


def _hash(conn: Connection, blob: Blob) -> str:
    """The SHA-256 of the stored chunks, read one at a time ("" when they leave a gap)."""
    hasher = hashlib.sha256()
    position = 0
    while True:
        row = conn.execute(
            select(blob_chunks.c.start, blob_chunks.c.data)
            .where(blob.where(blob_chunks), blob_chunks.c.start >= position)
            .order_by(blob_chunks.c.start)
            .limit(1)
        ).one_or_none()
        if row is None:
            return hasher.hexdigest()
        if row.start != position:
            return ""
        hasher.update(row.data)
        position += len(row.data)


def _discard(conn: Connection, blob: Blob) -> None:
    conn.execute(delete(blob_chunks).where(blob.where(blob_chunks)))
    conn.execute(delete(blobs).where(blob.where(blobs)))


def _conflict(offset: int) -> ApiError:
    return ApiError(
        409, "conflict", f"HQ holds {offset} bytes of this blob", {UPLOAD_OFFSET: str(offset)}
    )
