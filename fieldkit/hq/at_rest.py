"""HQ's SQLite database encrypted at rest (SQLCipher), so a backup or a disk image copied off
the server is not plaintext interviews.

The key is 256 random bits, kept outside the data folder: in a file named by `--key-file` or
`FIELDKIT_HQ_KEY_FILE` (64 hexadecimal characters), or in `FIELDKIT_HQ_KEY` itself. SQLCipher
gets it raw (`PRAGMA key = "x'...'"`), so opening costs no key derivation. PostgreSQL is not
encrypted by HQ: it relies on the disk encryption of the database server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from fieldkit.atomic_file import fsync_dir, write_atomic
from fieldkit.hq.errors import AdminError

KEY_ENV = "FIELDKIT_HQ_KEY"
KEY_FILE_ENV = "FIELDKIT_HQ_KEY_FILE"
KEY_BYTES = 32
PLAINTEXT_MAGIC = b"SQLite format 3\x00"
ENCRYPTED_DRIVER = "sqlite+pysqlcipher"
NEW_SUFFIX = ".encrypting"


def load_key(key_file: Path | None) -> bytes | None:
    """The database key from `key_file`, else FIELDKIT_HQ_KEY_FILE, else FIELDKIT_HQ_KEY;
    None when none is given. AdminError for a key that is not 64 hexadecimal characters."""
    path = key_file or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
    if path is not None:
        return read_key_file(path)
    if os.environ.get(KEY_ENV):
        return _parse_key(os.environ[KEY_ENV], KEY_ENV)
    return None


def read_key_file(path: Path) -> bytes:
    """The key in the file `path`; AdminError if it is missing, unreadable or malformed."""
    if not path.is_file():
        raise AdminError(f"There is no database key file at {path}.")
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise AdminError(f"Cannot read the database key file {path}: {exc}") from None
    return _parse_key(text, str(path))


def _parse_key(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise AdminError(
            f"The database key in {where} is not 64 hexadecimal characters "
            "(make one with 'fieldkit-hq make-key --out FILE')."
        )
    return key


def make_key_file(path: Path) -> None:
    """Write a new random key, owner-only; refuses to overwrite a key (it would lose data)."""
    if path.exists():
        raise AdminError(f"{path} exists: a database key is never overwritten.")
    if not path.parent.is_dir():
        raise AdminError(f"There is no folder {path.parent} for the key file.")
    write_atomic(path, (secrets.token_hex(KEY_BYTES) + "\n").encode("ascii"), mode=0o600)


def encrypted_url(url: URL, key: bytes) -> URL:
    """The SQLite `url` opened through SQLCipher with the raw `key`."""
    return url.set(drivername=ENCRYPTED_DRIVER, password=f"x'{key.hex()}'")


def is_plaintext(database: Path) -> bool:
    """True when `database` is an ordinary (unencrypted) SQLite file."""
    try:
        with database.open("rb") as handle:
            return handle.read(len(PLAINTEXT_MAGIC)) == PLAINTEXT_MAGIC
    except OSError:
        return False


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def encrypt_database(database: Path, key: bytes) -> None:
    """Turn the plaintext SQLite `database` into an SQLCipher one under `key`, in place.

    HQ must be stopped. The encrypted copy is written beside it, fsynced, then renamed over
    the original, so a crash leaves either the old file or the new one whole. The plaintext
    file's blocks may stay on the disk until reused: keep the data folder on an encrypted disk.
    """
    if not database.exists():
        raise AdminError(f"There is no database at {database}.")
    if not is_plaintext(database):
        raise AdminError(f"{database} is already encrypted (or is not an SQLite database).")
    plain_url = URL.create("sqlite", database=str(database))
    plain = create_engine(plain_url, poolclass=NullPool)
    try:
        with plain.connect() as conn:
            # Fold the WAL in, so the file alone holds everything; fails if HQ is running.
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
    finally:
        plain.dispose()
    if busy:
        raise AdminError("HQ's database is in use: stop 'fieldkit-hq serve' first.")
    target = database.with_name(database.name + NEW_SUFFIX)
    target.unlink(missing_ok=True)
    engine = create_engine(encrypted_url(URL.create("sqlite", database=str(target)), key))
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("ATTACH DATABASE ? AS plaintext KEY ''", [str(database)])
            raw.execute("SELECT sqlcipher_export('main', 'plaintext')")
            version = raw.execute("PRAGMA plaintext.user_version").fetchone()[0]
            raw.execute(f"PRAGMA main.user_version = {int(version)}")
            raw.execute("DETACH DATABASE plaintext")
            raw.commit()
    except DBAPIError as error:
        target.unlink(missing_ok=True)
        raise AdminError(f"Could not encrypt {database}: {error.orig}") from None
    finally:
        engine.dispose()
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(target, database)
    for suffix in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    fsync_dir(database.parent)
