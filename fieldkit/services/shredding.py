"""Crypto-shredding a vault: the wrapped keys go first (the header overwritten with random
bytes, synced, then deleted; the keyring entries deleted), so the data key is gone even if
what follows is cut short; then the database, its WAL, shared memory and any temporary copy.

Overwriting cannot reach every copy on an SSD or a copy-on-write file system; with the
header destroyed, what may linger of the database is ciphertext under a key that no longer
exists anywhere.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from fieldkit.atomic_file import fsync_dir

log = logging.getLogger(__name__)


def overwrite_and_delete(path: Path) -> None:
    """Overwrite the file with random bytes, sync, delete; nothing if it is not there."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as handle:
        handle.write(os.urandom(max(size, 1)))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def delete_all(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def shred_folder(
    root: Path,
    key_files: Iterable[Path],
    data_files: Iterable[Path],
    *,
    before_data: Iterable[Callable[[], None]] = (),
) -> None:
    """Key files overwritten and deleted first, then `before_data` (keyring entries), then
    the data files and any leftover temporary file of the vault (names starting with "vault."
    or ".vault")."""
    for path in key_files:
        overwrite_and_delete(path)
    fsync_dir(root)
    for forget in before_data:
        try:
            forget()
        except Exception as error:
            log.warning("a keyring entry could not be deleted: %s", type(error).__name__)
    delete_all(data_files)
    for leftover in root.iterdir():
        if leftover.is_file() and leftover.name.startswith(("vault.", ".vault", ".tmp")):
            leftover.unlink(missing_ok=True)
    fsync_dir(root)
    log.warning("vault at %s shredded", root)
