"""Owner-only files and folders: what holds vault or HQ data is never readable by other users.

FieldKit's decision for a vault or HQ data folder found readable by others (an older version,
a copy, a hand-made folder): make it owner-only again and say so; refuse only when that cannot
be done (the files belong to someone else). The modes matter even for the encrypted vault: a
copy of it is what an offline passphrase guesser needs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
PRIVATE_UMASK = 0o077
_POSIX = os.name == "posix"


def restrict_umask() -> None:
    """From now on this process creates files and folders for its owner only (umask 077).

    Called once by each entry point (the app, `fieldkit`, `fieldkit-hq`): the umask is
    process-wide, so a library function must not change it behind its caller's back.
    """
    if _POSIX:
        os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def create_private_file(path: Path) -> None:
    """Create `path` empty and owner-only if it does not exist (before SQLite creates it with
    the default mode; SQLite gives its WAL and shared-memory files the database's mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    os.close(fd)


def make_private(folder: Path, files: Iterable[Path]) -> list[Path]:
    """Make `folder` 0700 and each of `files` that exists 0600.

    Returns those that were open to others before (empty if all was already private).
    Raises PermissionError when a mode cannot be changed (the file is not this user's).
    """
    if not _POSIX:
        return []  # on Windows the user's profile folder ACL keeps others out
    loosened = []
    for path, mode in [(folder, PRIVATE_FOLDER), *((f, PRIVATE_FILE) for f in files)]:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode):
            continue  # never change a file a planted link points at
        if stat.S_IMODE(info.st_mode) & PRIVATE_UMASK:
            os.chmod(path, mode)
            loosened.append(path)
    return loosened


def is_private(path: Path) -> bool:
    """True if no one but the owner may read, write or enter `path`."""
    return not _POSIX or not stat.S_IMODE(path.stat().st_mode) & PRIVATE_UMASK
