"""Travel mode in the database: take records off the laptop without telling HQ (no journal
entry: HQ keeps them), leaving nothing of them in any page, and give them back later.

Removing a record deletes its row, its search entries (the full-text index is then merged so
no old segment keeps its words), its field versions, its sent journal entries (they hold old
values) and the bytes of attachments no remaining record names. `compact` then rewrites the
database (VACUUM) and empties the WAL, so no free page or WAL frame keeps a removed byte.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from fieldkit.store.schema import TABLES

IN_CHUNK = 500


def record_ids(db: Database, kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, id) of every record of `kinds`, deleted ones included."""
    found: list[tuple[str, str]] = []
    for kind in kinds:
        rows = db.execute(f"SELECT id FROM [{TABLES[kind]}] ORDER BY id").fetchall()
        found.extend((kind, str(row[0])) for row in rows)
    return found


def purge(db: Database, records: list[tuple[str, str]]) -> None:
    """Remove `records` and every trace of them (call inside a transaction)."""
    by_kind: dict[str, list[str]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, []).append(record_id)
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            db.execute(
                "DELETE FROM search_index WHERE rowid IN "
                f"(SELECT docid FROM search_docs WHERE record_id IN ({marks}))",
                chunk,
            )
            db.execute(f"DELETE FROM search_docs WHERE record_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM field_versions WHERE record_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM journal WHERE sent = 1 AND record_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM [{TABLES[kind]}] WHERE id IN ({marks})", chunk)
    orphaned = (
        "SELECT sha256 FROM attachment_blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)"
    )
    db.execute(f"DELETE FROM attachment_chunks WHERE sha256 IN ({orphaned})")
    db.execute(f"DELETE FROM blob_partials WHERE sha256 IN ({orphaned})")
    db.execute(f"DELETE FROM attachment_blobs WHERE sha256 IN ({orphaned})")
    # Merge the index into one segment: deleted entries leave the old segments with it.
    db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")


def compact(db: Database) -> None:
    """Rewrite the database without free pages and empty the WAL (outside a transaction)."""
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
