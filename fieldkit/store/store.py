"""The open vault database: record tables, journal, audit log, search and attachment blobs.

One connection, one lock: every write runs inside `transaction()`, and a record change writes
its row, its journal entries and its search text together or not at all.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from fieldkit.domain.codec import to_plain, value_to_plain
from fieldkit.domain.hlc import HybridLogicalClock
from fieldkit.domain.ids import new_id
from fieldkit.domain.query import NEWEST_FIRST, Filter, Sort
from fieldkit.domain.records import KINDS, Record
from fieldkit.domain.search_text import search_text
from fieldkit.errors import VaultLocked
from fieldkit.store import audit as audit_log
from fieldkit.store import journal, query_sql, search, travel
from fieldkit.store.connection import Connection, map_database_errors, open_encrypted
from fieldkit.store.rows import from_row, to_row
from fieldkit.store.schema import CHUNK_SIZE, SEARCH_BACKFILL, TABLES, migrations, schema_version
from fieldkit.store.sync_tables import SyncTables

R = TypeVar("R", bound=Record)
__all__ = ["CHUNK_SIZE", "Store"]


class Store:
    """An unlocked vault database. Create with `Store.open`; call `close` when locking."""

    def __init__(self, path: Path, conn: Connection, *, read_only: bool = False) -> None:
        self.path = path
        self._conn = conn
        self._db = Database(conn)  # private: SQL is written in store/ only
        self._lock = threading.RLock()
        self._closed = False
        self.read_only = read_only
        self.sync = SyncTables(self)
        if not read_only:
            with self._writing() as db:
                migrations.apply(db)
        self.device_id = self._meta_or_create("device_id", new_id)
        self.clock = HybridLogicalClock(self.device_id, int(self.get_meta("hlc_last") or 0))
        if not read_only and self.get_meta(SEARCH_BACKFILL):
            self._reindex_all()

    @classmethod
    def open(cls, path: Path, key: bytes | bytearray) -> Store:
        """Open (creating if new) the encrypted database at `path`, migrated to the latest."""
        return cls(path, open_encrypted(path, key))

    @classmethod
    def open_reader(cls, path: Path, key: bytes | bytearray) -> Store:
        """A second connection to a vault already opened with `open`, for queries only: WAL
        lets it read beside the writer, so a slow summary never holds up a list."""
        conn = open_encrypted(path, key)
        conn.execute("PRAGMA query_only = ON")
        return cls(path, conn, read_only=True)

    def close(self) -> None:
        with self._lock, map_database_errors(self.path):
            if not self.read_only:
                # Fold the WAL back into the main file so a locked vault is one encrypted file.
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._closed = True

    # --- transactions and metadata --------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything the store writes inside this block commits together or not at all
        (blocks nest). It yields nothing: callers write through the store's named methods."""
        with self._writing():
            yield

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the connection for several reads in a row (a consistent view)."""
        with self._reading():
            yield

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Database]:
        """The connection inside a transaction, for the modules of store/ only."""
        with self._lock, map_database_errors(self.path):
            self._check_open()
            with self._db.atomic():
                yield self._db

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Database]:
        """The connection for reads, for the modules of store/ only."""
        with self._lock, map_database_errors(self.path):
            self._check_open()
            yield self._db

    def _check_open(self) -> None:
        """VaultLocked for work that reaches a store closed meanwhile (another worker's)."""
        if self._closed:
            raise VaultLocked()

    def get_meta(self, key: str) -> str | None:
        with self._reading() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._put_meta(key, value)

    def _put_meta(self, key: str, value: str) -> None:
        # Plain SQL: sqlite-utils' upsert reads the table's schema on every call.
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def delete_meta(self, key: str) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM meta WHERE key = ?", [key])

    def _meta_or_create(self, key: str, make: Any) -> str:
        value = self.get_meta(key)
        if value is None:
            value = str(make())
            self.set_meta(key, value)
        return value

    def integrity_problems(self) -> builtins.list[str]:
        """What SQLite's and SQLCipher's full checks find wrong (empty when intact)."""
        with self._reading() as db:
            sqlite = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
            cipher = [r[0] for r in db.execute("PRAGMA cipher_integrity_check").fetchall()]
        return [p for p in sqlite if p != "ok"] + cipher

    def schema_version(self) -> int:
        with self._reading() as db:
            return schema_version(db)

    # --- records --------------------------------------------------------------------------

    def insert(self, record: R) -> R:
        """Store a new record with one journal entry carrying all its fields; call inside
        `transaction()`."""
        now = dt.datetime.now(dt.UTC)
        stored = _stamp(record, created_at=now, updated_at=now, author_device=self.device_id)
        plain = to_plain(stored)
        self._db.table(TABLES[record.KIND]).insert(to_row(stored, plain))
        fields = {**plain, "created_at": now.isoformat()}
        journal.append_record(self._db, stored.KIND, stored.id, fields, self.clock.now())
        self._save_clock()
        self._index(stored)
        return stored

    def update(self, old: R, new: R) -> R:
        """Store `new` over `old`, journaling only the fields that changed."""
        changes = {
            s.name: value_to_plain(s, getattr(new, s.name))
            for s in new.specs()
            if getattr(new, s.name) != getattr(old, s.name)
        }
        if new.deleted != old.deleted:
            changes["deleted"] = new.deleted
        if not changes:
            return old
        stored = _stamp(new, updated_at=dt.datetime.now(dt.UTC))
        self._db.table(TABLES[new.KIND]).update(stored.id, to_row(stored))
        self._journal(stored, changes)
        if stored.deleted:
            search.remove(self._db, stored.id)
        else:
            self._index(stored)
        return stored

    def get(self, cls: type[R], record_id: str) -> R | None:
        with self.reading():
            rows = list(self._db.table(TABLES[cls.KIND]).rows_where("id = ?", [record_id]))
        return from_row(cls, rows[0]) if rows else None

    def list(
        self,
        cls: type[R],
        *,
        filters: Sequence[Filter] = (),
        sort: Sequence[Sort] = NEWEST_FIRST,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[R]:
        """Records of `cls` that pass every filter, in `sort`'s order (empty: any order)."""
        sql, params = query_sql.select(
            cls,
            filters=filters,
            sort=sort,
            include_deleted=include_deleted,
            limit=limit,
            offset=offset,
        )
        with self._reading() as db:
            cursor = db.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [from_row(cls, dict(zip(columns, row, strict=True))) for row in cursor]

    def list_plan(
        self,
        cls: type[Record],
        *,
        filters: Sequence[Filter] = (),
        sort: Sequence[Sort] = NEWEST_FIRST,
        limit: int | None = None,
    ) -> str:
        """How SQLite runs `list` with these arguments (EXPLAIN QUERY PLAN's details, one
        per line): tests and benchmarks check that lists walk indexes, never sort tables."""
        sql, params = query_sql.select(
            cls, filters=filters, sort=sort, include_deleted=False, limit=limit, offset=None
        )
        with self._reading() as db:
            rows = db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        return "\n".join(str(row[3]) for row in rows)

    def count(self, cls: type[Record], *, include_deleted: bool = False) -> int:
        with self.reading():
            table = self._db.table(TABLES[cls.KIND])
            return table.count_where(None if include_deleted else "deleted = 0")

    def _journal(self, record: Record, changes: dict[str, Any]) -> None:
        journal.append(self._db, record.KIND, record.id, changes, self.clock.now())
        self._save_clock()

    def observe_clock(self, packed: int) -> None:
        """Order this device's next edits after a clock seen elsewhere; call in a transaction."""
        self.clock.observe(packed)
        self._save_clock()

    def _save_clock(self) -> None:
        self._put_meta("hlc_last", str(self.clock.last))  # callers hold the transaction

    def _index(self, record: Record) -> None:
        title, body = search_text(record)
        search.index(self._db, record.KIND, record.id, title, body)

    def _reindex_all(self) -> None:
        """Index records saved before the search index existed (after a schema upgrade)."""
        with self.transaction():
            for cls in KINDS.values():
                for record in self.list(cls):
                    self._index(record)
            self.delete_meta(SEARCH_BACKFILL)

    # --- journal, audit, search -----------------------------------------------------------

    def audit(self, action: audit_log.AuditAction, **details: Any) -> None:
        with self._writing() as db:
            audit_log.record(db, action, self.device_id, **details)

    def recent_audit(self, limit: int = 100) -> builtins.list[audit_log.AuditEntry]:
        with self._reading() as db:
            return audit_log.recent(db, limit)

    def journal_entries(self, **filters: Any) -> builtins.list[journal.JournalEntry]:
        with self._reading() as db:
            return journal.entries(db, **filters)

    def count_unsent(self) -> int:
        with self._reading() as db:
            return journal.count_unsent(db)

    def search(
        self, text: str, kinds: Sequence[str] | None = None, limit: int = 50
    ) -> builtins.list[search.SearchHit]:
        with self._reading() as db:
            return search.query(db, text, kinds, limit)

    # --- travel mode ------------------------------------------------------------------------

    def travel_records(self, kinds: Iterable[str]) -> builtins.list[tuple[str, str]]:
        """(kind, id) of every record of `kinds`, for travel mode (store/travel.py)."""
        with self._reading() as db:
            return travel.record_ids(db, kinds)

    def purge_for_travel(self, records: builtins.list[tuple[str, str]]) -> None:
        """Remove records with every trace of them and no journal entry, then rewrite the
        database so no page keeps their bytes."""
        with self._writing() as db:
            travel.purge(db, records)
        with self._lock, map_database_errors(self.path):
            self._check_open()
            travel.compact(self._db)

    # --- attachment bytes -----------------------------------------------------------------

    def put_blob(self, data: bytes) -> str:
        """Store bytes once by SHA-256 (in 1 MiB chunks); call inside `transaction()`."""
        digest = hashlib.sha256(data).hexdigest()
        if self._db.table("attachment_blobs").count_where("sha256 = ?", [digest]):
            return digest
        chunks = [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)] or [b""]
        self._db.table("attachment_blobs").insert(
            {"sha256": digest, "size": len(data), "chunks": len(chunks)}
        )
        self._db.table("attachment_chunks").insert_all(
            {"sha256": digest, "chunk": n, "data": chunk} for n, chunk in enumerate(chunks)
        )
        return digest

    def read_blob(self, digest: str) -> bytes | None:
        with self._reading() as db:
            rows = db.execute(
                "SELECT data FROM attachment_chunks WHERE sha256 = ? ORDER BY chunk", [digest]
            ).fetchall()
        if not rows:
            return None
        data = b"".join(bytes(r[0]) for r in rows)
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"attachment {digest} fails its checksum")
        return data


def _stamp(record: R, **system: Any) -> R:
    return dataclasses.replace(record, **system)
