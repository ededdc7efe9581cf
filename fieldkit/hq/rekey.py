"""Rotating the SQLite database's key (`fieldkit-hq rekey-database`).

SQLCipher's `PRAGMA rekey` rewrites the pages in place, and on a WAL database a crash in the
middle leaves pages under both keys. Here the database itself is never written:

1. exclusive locks prove nothing else has it open (HQ stopped) and keep it so until the end:
   the folder's (folder_lock.py), which `serve` and admin commands hold shared, and SQLite's
   own on the file, which any other connection holds shared; the WAL is folded in;
2. `sqlcipher_export` writes every table into a new file beside it (`hq.sqlite3.rekeying`),
   encrypted under the new key, which is then fsynced;
3. that copy is opened with the new key and checked: SQLCipher's page HMACs, SQLite's
   integrity check, and each table's row count and a digest of its rows against the original;
4. the copy is renamed over the database and the folder fsynced.

A crash before the rename leaves the database under the old key, untouched (the next run
removes the unfinished copy); after it, the database under the new key. Blocks of the old
file may stay on the disk until reused: they are encrypted under the old key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from fieldkit.atomic_file import fsync_dir, fsync_file
from fieldkit.hq import folder_lock
from fieldkit.hq.at_rest import encrypted_url, is_plaintext
from fieldkit.hq.errors import AdminError
from fieldkit.private_files import create_private_file

COPY_SUFFIX = ".rekeying"
LOG_SUFFIXES = ("-wal", "-shm", "-journal")
MB = 1 << 20

# Per table: how many rows, and a digest of them in the order a full scan returns them.
Census = dict[str, tuple[int, str]]


@dataclass(frozen=True)
class Rekeyed:
    """What a rotation did: the tables and rows it checked, or nothing when the database was
    already under the new key (a rotation that finished before a crash)."""

    tables: int
    rows: int
    already_done: bool = False


def rekey_database(
    database: Path, old_key: bytes, new_key: bytes, *, min_free_bytes: int
) -> Rekeyed:
    """Re-encrypt the SQLite `database` from `old_key` to `new_key` (see the module's notes).

    AdminError, with the database unchanged, when it is missing or plaintext, the keys are
    equal, the old key does not open it (unless the new one already does: then nothing is
    done), something has it open, or the copy would leave less than `min_free_bytes` free.
    """
    _check_database(database)
    if hmac.compare_digest(old_key, new_key):
        raise AdminError(
            "The new key is the key the database has now: make a new one with "
            "'fieldkit-hq make-key --out FILE' and give it as --new-key-file. Nothing was "
            "changed."
        )
    lock = folder_lock.hold(database.parent, exclusive=True)
    if lock is None:  # `serve` or an admin command has the database open
        raise AdminError(_unchanged(_IN_USE))
    try:
        if not key_opens(database, old_key):
            if key_opens(database, new_key):
                return Rekeyed(0, 0, already_done=True)
            raise AdminError(
                f"The database {database} does not open with the current key (--key-file): "
                "give the key HQ runs with now. Nothing was changed."
            )
        copy = database.with_name(database.name + COPY_SUFFIX)
        with _sole_use(database, old_key) as conn:
            remove_copy(copy)  # an unfinished copy of an interrupted run
            _check_room(database, min_free_bytes)
            before = census(conn)
            write_copy(conn, copy, new_key)
        fsync_file(copy)
        verify_copy(copy, new_key, before)
        swap_in(copy, database)
    finally:
        lock.release()
    return Rekeyed(len(before), sum(count for count, _ in before.values()))


def key_opens(database: Path, key: bytes) -> bool:
    """True when `key` decrypts `database` (reads its first page); AdminError when another
    connection holds it locked."""
    try:
        with _connection(database, key) as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").one()
    except OperationalError as error:
        if _locked(error):
            raise AdminError(_unchanged(_IN_USE)) from None
        return False
    except DBAPIError:  # SQLITE_NOTADB: the page does not decrypt
        return False
    return True


def census(conn: Connection) -> Census:
    """Each table's row count and a SHA-256 over its rows."""
    names = [
        str(name)
        for name in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).scalars()
    ]
    found: Census = {}
    for name in names:
        digest = hashlib.sha256()
        count = 0
        for row in conn.exec_driver_sql(f"SELECT * FROM {_quoted(name)}"):
            digest.update(repr(tuple(row)).encode())
            count += 1
        found[name] = (count, digest.hexdigest())
    return found


def write_copy(conn: Connection, copy: Path, new_key: bytes) -> None:
    """Export the database `conn` has open into `copy`, encrypted under `new_key`."""
    create_private_file(copy)
    try:
        conn.exec_driver_sql(
            f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(copy),)
        )
        conn.exec_driver_sql("SELECT sqlcipher_export('rekeyed')")
        # sqlcipher_export copies the schema and rows, not these numbers of the header.
        for pragma in ("user_version", "application_id"):
            value = int(conn.exec_driver_sql(f"PRAGMA main.{pragma}").scalar_one())
            conn.exec_driver_sql(f"PRAGMA rekeyed.{pragma} = {value}")
        conn.exec_driver_sql("DETACH DATABASE rekeyed")
    except DBAPIError as error:
        remove_copy(copy)
        raise AdminError(
            _unchanged(f"Could not write the re-encrypted copy: {error.orig}")
        ) from None


def verify_copy(copy: Path, new_key: bytes, expected: Census) -> None:
    """AdminError (and the copy removed) unless `copy` opens with `new_key`, passes the
    integrity checks and holds the same rows as the original."""
    problem: str | None = None
    try:
        with _connection(copy, new_key) as conn:
            broken = conn.exec_driver_sql("PRAGMA cipher_integrity_check").all()
            integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
            if broken or integrity != ["ok"]:
                problem = "it fails the integrity check"
            elif census(conn) != expected:
                problem = "its rows differ from the database's"
    except DBAPIError as error:
        problem = f"it does not open with the new key ({error.orig})"
    if problem is not None:
        remove_copy(copy)
        raise AdminError(_unchanged(f"The re-encrypted copy was discarded: {problem}"))


def swap_in(copy: Path, database: Path) -> None:
    """Rename the checked `copy` over `database`, durably. The database's WAL was folded in
    and removed when the exclusive connection closed; a WAL with frames now means something
    opened the database meanwhile, and those frames would be read as pages of the copy."""
    for log_file in log_files(database):
        with contextlib.suppress(FileNotFoundError):
            if log_file.name.endswith("-wal") and log_file.stat().st_size > 0:
                remove_copy(copy)
                raise AdminError(_unchanged(_IN_USE))
            log_file.unlink()
    os.replace(copy, database)
    fsync_dir(database.parent)


def remove_copy(copy: Path) -> None:
    """Delete an unfinished copy and its journal files (nothing if there is none)."""
    for path in (copy, *log_files(copy)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def log_files(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in LOG_SUFFIXES]


_IN_USE = (
    "HQ's database is in use: stop 'fieldkit-hq serve' (and any other fieldkit-hq command "
    "using this data folder), then run rekey-database again"
)


def _unchanged(reason: str) -> str:
    return f"{reason}. The database is unchanged, still under the current key."


def _check_database(database: Path) -> None:
    if not database.is_file() or database.stat().st_size == 0:
        raise AdminError(f"There is no HQ database at {database} yet: nothing to re-encrypt.")
    if is_plaintext(database):
        raise AdminError(
            f"{database} is not encrypted: run 'fieldkit-hq encrypt-database' with the new key "
            "instead (HQ stopped). Nothing was changed."
        )


def _check_room(database: Path, min_free_bytes: int) -> None:
    """The copy takes about the database's size, and must leave HQ's free-space margin."""
    size = database.stat().st_size
    free = shutil.disk_usage(database.parent).free
    if free < size + min_free_bytes:
        raise AdminError(
            f"Not enough free space in {database.parent} for the re-encrypted copy: it needs "
            f"{_mb(size)} MB and must leave {_mb(min_free_bytes)} MB free (--min-free-mb), but "
            f"{_mb(free)} MB are free. Free some space (or lower --min-free-mb) and run it "
            "again. Nothing was changed."
        )


def _mb(size: int) -> int:
    return -(-size // MB)  # rounded up: 1 byte is 1 MB needed, not 0


@contextlib.contextmanager
def _connection(database: Path, key: bytes) -> Iterator[Connection]:
    """A connection to `database` under `key`, in SQLite's autocommit (each statement its
    own transaction: ATTACH and the exclusive lock's BEGIN need that), closed at the end."""
    engine = create_engine(
        encrypted_url(URL.create("sqlite", database=str(database)), key), poolclass=NullPool
    )
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.isolation_level = None
            conn.exec_driver_sql("PRAGMA cipher_log_level = NONE")  # a wrong key: no log line
            yield conn
    finally:
        engine.dispose()


@contextlib.contextmanager
def _sole_use(database: Path, key: bytes) -> Iterator[Connection]:
    """The only connection to `database`, with its WAL folded in; AdminError if another
    connection (a running HQ, an admin command) has it open.

    In WAL mode every open connection holds a shared lock on the file, so the exclusive lock
    is refused while any exists; in exclusive locking mode it is kept until this connection
    closes, so nothing opens the database during the copy either."""
    with _connection(database, key) as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 0")
        conn.exec_driver_sql("PRAGMA locking_mode = EXCLUSIVE")
        try:
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        except OperationalError as error:
            if _locked(error):
                raise AdminError(_unchanged(_IN_USE)) from None
            raise
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        yield conn


def _locked(error: OperationalError) -> bool:
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
