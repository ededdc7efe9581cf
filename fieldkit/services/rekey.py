"""Changing the vault's data key, crash-safe: the database is copied under the new key and
swapped in by rename, and the header that opens it waits beside the old one until then.

The order, and what a kill -9 after each step leaves:

1. `vault.db.rekeying` is written (sqlcipher_export) and fsynced: the vault is untouched; the
   next unlock deletes the copy.
2. `vault.key.pending` (the new header: passphrase, recovery and device wraps of the new key)
   is written atomically: the committed `vault.key` still opens `vault.db`; the next unlock
   sees that and deletes the pending header and the copy (the rekey is undone).
3. `vault.db.rekeying` is renamed over `vault.db`: now only the pending header opens it; the
   next unlock tries the committed header, finds its key no longer opens the database, opens
   the pending one with the same credential and commits it (the rekey is finished).
4. `vault.key.pending` is renamed over `vault.key`: done.

So at every point the vault opens with either the old key or the new one, never neither, and
the same passphrase opens both. Only the recovery key differs: a new one is shown when the
rekey finishes; if it was interrupted after step 3, it was never shown and the unlock says so.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fieldkit.atomic_file import fsync_dir, write_atomic
from fieldkit.crypto import header as vault_header
from fieldkit.crypto.memory import wipe
from fieldkit.errors import DeviceNotRemembered, WrongPassphrase, WrongRecoveryKey
from fieldkit.store import rekey as store_rekey

PENDING_HEADER = "vault.key.pending"
NEW_DATABASE = "vault.db.rekeying"
# The credential did not open this header: try the other one before giving up.
_CREDENTIAL_ERRORS = (WrongPassphrase, DeviceNotRemembered, WrongRecoveryKey)

Unwrap = Callable[[vault_header.VaultHeader], bytearray]


@dataclass
class Opened:
    """The header and data key that open the database, after settling any interrupted rekey."""

    header: vault_header.VaultHeader
    key: bytearray
    finished_interrupted_rekey: bool = False


def pending_header_path(root: Path) -> Path:
    return root / PENDING_HEADER


def new_database_path(root: Path) -> Path:
    return root / NEW_DATABASE


def open_keys(
    root: Path, database: Path, header: vault_header.VaultHeader, unwrap: Unwrap
) -> Opened:
    """The key that opens `database` with one credential (`unwrap`), committed header first.

    Raises the committed header's credential error when neither header opens with it.
    """
    pending = _read_pending(root)
    if pending is None:
        store_rekey.remove_copy(new_database_path(root))  # a copy interrupted in step 1
    try:
        key = unwrap(header)
    except _CREDENTIAL_ERRORS:
        if pending is None:
            raise
        opened = _try_pending(root, database, pending, unwrap)
        if opened is None:
            raise
        return opened
    if pending is None:
        return Opened(header, key)
    if not database.exists() or store_rekey.key_opens(database, key):
        discard_unfinished(root)  # interrupted before the swap: undo
        return Opened(header, key)
    opened = _try_pending(root, database, pending, unwrap)
    if opened is None:
        return Opened(header, key)  # neither opens it: the store reports the damage
    wipe(key)
    return opened


def _try_pending(
    root: Path, database: Path, pending: vault_header.VaultHeader, unwrap: Unwrap
) -> Opened | None:
    try:
        key = unwrap(pending)
    except _CREDENTIAL_ERRORS:
        return None
    if not store_rekey.key_opens(database, key):
        wipe(key)
        return None
    commit_pending(root)
    return Opened(pending, key, finished_interrupted_rekey=True)


def _read_pending(root: Path) -> vault_header.VaultHeader | None:
    path = pending_header_path(root)
    if not path.exists():
        return None
    try:
        return vault_header.read_header(path)
    except Exception:  # an unreadable pending header is never needed: step 2 is atomic
        return None


def discard_unfinished(root: Path) -> None:
    """Remove what an interrupted rekey left before its swap."""
    with contextlib.suppress(FileNotFoundError):
        pending_header_path(root).unlink()
    store_rekey.remove_copy(new_database_path(root))
    fsync_dir(root)


def commit_pending(root: Path) -> None:
    """Step 4: the pending header becomes the header."""
    os.replace(pending_header_path(root), root / "vault.key")
    fsync_dir(root)


def commit(root: Path, header: vault_header.VaultHeader) -> None:
    """Step 4 for the process that ran the rekey: also when another process's unlock already
    settled the pending header, `header` ends up as the header."""
    try:
        commit_pending(root)
    except FileNotFoundError:
        write_atomic(root / "vault.key", vault_header.encode_header(header), mode=0o600)


def copy_database(database: Path, key: bytearray, root: Path, new_key: bytearray) -> None:
    """Step 1."""
    store_rekey.copy_with_new_key(database, key, new_database_path(root), new_key)


def write_pending(root: Path, header: vault_header.VaultHeader) -> None:
    """Step 2."""
    write_atomic(pending_header_path(root), vault_header.encode_header(header), mode=0o600)


def swap_database(database: Path, root: Path) -> None:
    """Step 3. The old database's connections are closed; its empty WAL goes with it (a stale
    WAL beside the new file would be replayed into it)."""
    leftovers = store_rekey.leftover_log_files(database)
    if any(p.stat().st_size for p in leftovers if p.name.endswith("-wal")):
        raise RuntimeError("the database still has an open write-ahead log")
    for leftover in leftovers:
        leftover.unlink()
    os.replace(new_database_path(root), database)
    fsync_dir(root)
