"""Open the encrypted database with a raw 256-bit key and the PRAGMAs that make it durable and
leave nothing readable behind."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeAlias

import sqlcipher3.dbapi2 as sqlcipher

from fieldkit.errors import DatabaseCorrupted, DiskFull
from fieldkit.private_files import create_private_file

log = logging.getLogger(__name__)

# Checked after opening: a connection that did not take one of these is refused (a vault that
# silently ran with synchronous=NORMAL could lose acknowledged saves on a power cut).
REQUIRED_PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "secure_delete": 1,
    "temp_store": 2,  # MEMORY
}

Connection: TypeAlias = Any  # sqlcipher3.dbapi2.Connection (the module ships no types)
DatabaseError = sqlcipher.DatabaseError


def open_encrypted(path: Path, key: bytes | bytearray) -> Connection:
    """Open (or create) the database at `path` keyed with `key` (32 raw bytes)."""
    if len(key) != 32:
        raise ValueError("the data key must be 32 bytes")
    create_private_file(path)  # owner-only from the start; the WAL and SHM inherit its mode
    conn: Connection = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        with map_database_errors(path):
            # Quiet SQLCipher's own stderr logging of HMAC failures; we report them ourselves.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _apply_pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _apply_pragmas(conn: Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA cache_size = -65536")
    for name, expected in REQUIRED_PRAGMAS.items():
        actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if actual != expected:
            raise RuntimeError(f"PRAGMA {name} is {actual!r}, expected {expected!r}")


_CORRUPTION_WORDS = ("not a database", "malformed", "corrupt")


@contextlib.contextmanager
def map_database_errors(path: Path) -> Iterator[None]:
    """Turn SQLCipher's disk-full and corruption errors into user-facing errors."""
    try:
        yield
    except sqlcipher.DatabaseError as exc:
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            raise DiskFull() from exc
        if any(word in text for word in _CORRUPTION_WORDS):
            log.error("database %s failed an integrity check: %s", path.name, type(exc).__name__)
            raise DatabaseCorrupted(path=path) from exc
        raise
