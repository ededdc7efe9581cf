"""Attachment bytes in transit: which blobs HQ still lacks, reading them in chunks to send, and
downloads kept part-way inside the vault (never in a plain temporary file) so they resume."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from fieldkit.store.schema import CHUNK_SIZE


def to_upload(db: Database) -> list[tuple[str, int]]:
    """(sha256, size) of every stored blob HQ has not confirmed having whole."""
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT sha256, size FROM attachment_blobs "
            "WHERE sha256 NOT IN (SELECT sha256 FROM blob_uploads) ORDER BY size"
        ).fetchall()
    ]


def to_download(db: Database) -> list[str]:
    """Blobs named by live attachment records whose bytes this vault lacks."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT sha256 FROM attachments WHERE deleted = 0 AND sha256 != '' "
            "AND sha256 NOT IN (SELECT sha256 FROM attachment_blobs)"
        ).fetchall()
    ]


def mark_uploaded(db: Database, sha256: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO blob_uploads (sha256, done_at) VALUES (?, ?)",
        [sha256, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
    )


def read_range(db: Database, sha256: str, offset: int, length: int) -> bytes:
    """Up to `length` bytes of a stored blob from `offset` (blobs are kept in 1 MiB chunks)."""
    first, last = offset // CHUNK_SIZE, (offset + length - 1) // CHUNK_SIZE
    rows = db.execute(
        "SELECT data FROM attachment_chunks WHERE sha256 = ? AND chunk BETWEEN ? AND ? "
        "ORDER BY chunk",
        [sha256, first, last],
    ).fetchall()
    data = b"".join(bytes(r[0]) for r in rows)
    start = offset - first * CHUNK_SIZE
    return data[start : start + length]


def partial(db: Database, sha256: str) -> bytes:
    rows = db.execute(
        "SELECT data FROM blob_partials WHERE sha256 = ? ORDER BY piece", [sha256]
    ).fetchall()
    return b"".join(bytes(r[0]) for r in rows)


def append_partial(db: Database, sha256: str, data: bytes) -> None:
    db.execute(
        "INSERT INTO blob_partials (sha256, piece, data) VALUES (?, "
        "(SELECT coalesce(max(piece), -1) + 1 FROM blob_partials WHERE sha256 = ?), ?)",
        [sha256, sha256, data],
    )


def drop_partial(db: Database, sha256: str) -> None:
    db.execute("DELETE FROM blob_partials WHERE sha256 = ?", [sha256])
