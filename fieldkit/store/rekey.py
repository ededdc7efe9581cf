"""Re-encrypting the vault database under a new key, and checking which key opens it.

The copy is written to a new file with `sqlcipher_export` (every page encrypted under the new
key, nothing of the old key left in it), so the original is never modified in place: a crash
at any moment leaves the original whole, and the caller swaps the files with one rename.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from fieldkit.atomic_file import fsync_file
from fieldkit.errors import VaultInUse
from fieldkit.private_files import create_private_file
from fieldkit.store.connection import Connection, map_database_errors, open_encrypted

KEY_BYTES = 32


def key_opens(path: Path, key: bytes | bytearray) -> bool:
    """True if the existing database at `path` decrypts with `key` (reads page 1 only)."""
    if len(key) != KEY_BYTES or not path.exists():
        return False
    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
    return True


def copy_with_new_key(
    path: Path, key: bytes | bytearray, target: Path, new_key: bytes | bytearray
) -> None:
    """Write the database at `path` (opened with `key`) to `target`, encrypted with `new_key`.

    No connection to `path` may be open elsewhere meanwhile (the copy must see every commit).
    `target` is replaced if it exists (a leftover of an interrupted copy) and is fsynced.
    """
    if len(new_key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    _remove_database_files(target)
    create_private_file(target)
    conn: Connection = open_encrypted(path, key)
    try:
        _claim_sole_use(conn)
        with map_database_errors(path):
            conn.execute(f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", [str(target)])
            conn.execute("SELECT sqlcipher_export('rekeyed')")
            # sqlcipher_export copies schema and rows, not the header's user_version.
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA rekeyed.user_version = {version}")
            conn.execute("DETACH DATABASE rekeyed")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    fsync_file(target)


def _claim_sole_use(conn: Connection) -> None:
    """VaultInUse if any other connection (another window or command) has the database open.

    A process that kept the old file open would go on writing into it after the swap, and
    those writes would be lost. In WAL mode an exclusive lock is refused while any other
    connection exists; once taken in exclusive locking mode it is held until this connection
    closes, so nobody opens the database during the copy either.
    """
    conn.execute("PRAGMA busy_timeout = 0")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        conn.execute("BEGIN EXCLUSIVE")
    except sqlcipher.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise VaultInUse() from None
        raise
    conn.execute("COMMIT")


def remove_copy(target: Path) -> None:
    """Delete an unfinished copy and its journal files (nothing if there is none)."""
    _remove_database_files(target)


def leftover_log_files(path: Path) -> list[Path]:
    """The WAL and shared-memory files beside `path` that still exist."""
    return [p for p in _log_files(path) if p.exists()]


def _log_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _remove_database_files(path: Path) -> None:
    for candidate in (path, *_log_files(path)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
