"""HQ's database: SQLite for one process, PostgreSQL for several behind a load balancer.

Writers that hand out sequence numbers are serialised (SQLite's single writer, taken at BEGIN
IMMEDIATE; a transaction-scoped advisory lock on PostgreSQL), so sequence numbers become
visible in the order they were given: a device's pull cursor never steps over a write that
commits late. Readers never wait for writers.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from fieldkit.hq import tables
from fieldkit.hq.at_rest import encrypted_url
from fieldkit.hq.compact_id import CompactId, pack_id
from fieldkit.hq.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
WRITE_OPTION = "fieldkit_write"  # execution option: this connection's transaction writes
BUSY_TIMEOUT_MS = 30_000
# After each automatic checkpoint SQLite truncates the WAL back to this size: without it the
# WAL keeps the size of the largest burst of writes it ever held (tens of MB after an import).
WAL_SIZE_LIMIT = 4 << 20
# PostgreSQL advisory lock keys ("FIELDKIT" and "FKMIGRAT" as ASCII): one serialises sequenced
# writers, the other migrations run by several processes starting together.
SEQUENCE_LOCK = 0x4649454C444B4954
MIGRATION_LOCK = 0x464B4D4947524154


class Storage:
    """An open HQ database. Thread-safe: every call takes a pooled connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"

    @classmethod
    def open(cls, url: str, key: bytes | None = None) -> Storage:
        """Connect and bring the schema to the latest migration; DatabaseUnavailable if the
        database cannot be reached, does not open with `key` (SQLite through SQLCipher; no
        effect on PostgreSQL), or the URL is not one HQ supports."""
        engine = _create_engine(_normalise(url), key)
        storage = cls(engine)
        try:
            storage._migrate()
        except DatabaseError as error:
            engine.dispose()
            raise _unavailable(engine, error) from error
        return storage

    def close(self) -> None:
        """Close every connection; on SQLite fold the WAL into the database and truncate it
        first, so a stopped HQ leaves one file of the data's own size."""
        if not self.is_postgres:
            try:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except OperationalError as error:  # busy: the next start checkpoints instead
                log.warning("WAL checkpoint at close failed: %s", error.orig)
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only transaction (a consistent snapshot on SQLite)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self, *, sequenced: bool = False) -> Iterator[Connection]:
        """A write transaction, committed on success. `sequenced` when it takes sequence
        numbers: then it runs alone among sequenced writers until it commits."""
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if sequenced and self.is_postgres:
                    conn.execute(select(func.pg_advisory_xact_lock(SEQUENCE_LOCK)))
                yield conn

    def server_id(self) -> str:
        with self.reading() as conn:
            value = conn.execute(
                select(tables.server_settings.c.value).where(
                    tables.server_settings.c.name == tables.SERVER_ID
                )
            ).scalar_one()
        return str(value)

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
        with self.engine.connect() as raw:
            conn = raw.execution_options(**{WRITE_OPTION: True})
            if self.is_postgres:
                conn.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
                conn.commit()
            try:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                conn.commit()
            finally:
                if self.is_postgres:
                    conn.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
                    conn.commit()


def insert_rows(conn: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Insert tuples in the table's column order, straight to the driver: SQLAlchemy's
    per-row parameter handling cost more than SQLite's own work for a batch of fields."""
    if rows:
        conn.exec_driver_sql(_insert_sql(conn, table), _driver_rows(table, rows))


def upsert_rows(
    conn: Connection, table: Table, rows: Sequence[Sequence[Any]], key: Sequence[str]
) -> None:
    """Insert tuples in the table's column order, replacing the rows whose `key` they share
    (`INSERT ... ON CONFLICT DO UPDATE`, the same text on SQLite and PostgreSQL)."""
    if not rows:
        return
    others = [c.name for c in table.columns if c.name not in key]
    assignments = ", ".join(f"{n} = excluded.{n}" for n in others)
    conn.exec_driver_sql(
        f"{_insert_sql(conn, table)} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {assignments}",
        _driver_rows(table, rows),
    )


def _driver_rows(table: Table, rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """The rows as the driver takes them: record ids and nodes packed (`CompactId`), which
    SQLAlchemy would do for a statement it runs itself."""
    packed = _compact_columns(table)
    if not packed:
        return list(rows)
    out: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        for index in packed:
            if values[index] is not None:
                values[index] = pack_id(values[index])
        out.append(tuple(values))
    return out


@functools.cache
def _compact_columns(table: Table) -> tuple[int, ...]:
    return tuple(i for i, c in enumerate(table.columns) if isinstance(c.type, CompactId))


def _insert_sql(conn: Connection, table: Table) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(column.name for column in table.columns)
    marks = ", ".join(mark for _ in table.columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks})"


def _normalise(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUnavailable(f"Not a database URL: {url!r}") from error
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseUnavailable("HQ needs an SQLite file, not an in-memory database")
        if not Path(parsed.database).parent.is_dir():
            raise DatabaseUnavailable(f"No folder {Path(parsed.database).parent} for the database")
        return parsed
    raise DatabaseUnavailable(
        f"Unsupported database {parsed.drivername!r}: use sqlite:///PATH or postgresql://..."
    )


def _create_engine(url: URL, key: bytes | None = None) -> Engine:
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=True)
    engine = create_engine(
        encrypted_url(url, key) if key else url,
        poolclass=QueuePool,  # SQLCipher's dialect would otherwise keep one per thread
        pool_size=8,
        max_overflow=16,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connected(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take transaction control from the sqlite3 module: _sqlite_begin emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # WAL + NORMAL lost acknowledged commits
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes SQLite's write lock at BEGIN, so it never fails later in the middle of
    # a transaction whose reads another writer has made stale.
    writes = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN DEFERRED")


def _unavailable(engine: Engine, error: DatabaseError) -> DatabaseUnavailable:
    """An error naming the database: a key that does not open an SQLite file says so."""
    if engine.dialect.name == "sqlite" and not isinstance(error, OperationalError):
        return DatabaseUnavailable(
            f"The database {engine.url.database} does not open with this key: a wrong key, or "
            "a database that is not encrypted (see 'fieldkit-hq encrypt-database')."
        )
    reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
    return DatabaseUnavailable(f"Cannot open the database {_shown(engine.url)}: {reason}")


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)
