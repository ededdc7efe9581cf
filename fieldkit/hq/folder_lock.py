"""Which `fieldkit-hq` processes use an SQLite database's folder at once.

`serve` and every admin command hold a shared lock on the folder while the database is open;
`rekey-database` takes it exclusively, so neither starts while the other runs. Without it,
an HQ started during a key rotation waits on SQLite's lock and, once the rotation renames its
copy into place, goes on with the old file, which no longer has a name: what devices then
push would be lost.

An advisory `flock` on the folder itself: no file is added, it does not touch SQLite's own
locks on the database file, and the system drops it when the process dies. POSIX only; on
Windows (not a supported HQ platform) SQLite's own exclusive lock is the only guard.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class FolderLock:
    """A lock held on a folder until `release` (or the process's end)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its flock
            self._fd = None


def hold(folder: Path, *, exclusive: bool) -> FolderLock | None:
    """The folder's lock, shared or exclusive, without waiting: None when another process
    (or another descriptor of this one) holds it the conflicting way."""
    if fcntl is None:
        return FolderLock(None)
    fd = os.open(folder, os.O_RDONLY)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:
        os.close(fd)  # a file system without flock: SQLite's own lock still guards
        return FolderLock(None)
    return FolderLock(fd)
