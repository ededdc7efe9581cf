"""HQ keeps its footing when its storage fails: a full disk, or a database that errs, is an
answer a device understands (503 with a protocol code and Retry-After), one clear log line,
and never a raw 500 with a traceback.

Pushes stop a margin before the disk is full (`--min-free-mb`), so the last free space goes to
SQLite's journal and to pulls, which keep working: a device keeps its changes and sends them
once space is back. Free space is measured on the data folder of an SQLite HQ; PostgreSQL
keeps its own files, which its own monitoring watches.
"""

from __future__ import annotations

import errno
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from fieldkit.hq.errors import ApiError
from fieldkit.hq.storage import Storage

log = logging.getLogger(__name__)

DEFAULT_MIN_FREE_MB = 512
STORAGE_FULL_RETRY_S = 300  # space comes back when an admin acts: not in seconds
UNAVAILABLE_RETRY_S = 30
CHECK_EVERY_S = 2.0  # statvfs is cheap, but not per request under load
STORAGE_HEADER = "FieldKit-Storage"  # on /v1/health: "ok" or "full" (pushes refused)
_FULL_SQLSTATE = "53100"  # PostgreSQL disk_full
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass
class StorageGuard:
    """Watches the free space under HQ's data folder (None: not measured, e.g. PostgreSQL)."""

    folder: Path | None
    min_free_bytes: int = DEFAULT_MIN_FREE_MB << 20
    _checked_at: float = field(default=-CHECK_EVERY_S, repr=False)
    _free: int | None = field(default=None, repr=False)

    def free_bytes(self) -> int | None:
        """Free bytes where HQ writes, measured at most every CHECK_EVERY_S seconds."""
        if self.folder is None:
            return None
        now = time.monotonic()
        if now - self._checked_at >= CHECK_EVERY_S:
            self._free = shutil.disk_usage(self.folder).free
            self._checked_at = now
        return self._free

    def accepting_pushes(self) -> bool:
        free = self.free_bytes()
        return free is None or free >= self.min_free_bytes

    def refuse_push_if_low(self) -> None:
        """503 hq_storage_full when the free space is under the margin."""
        if not self.accepting_pushes():
            log.error(
                "storage low: %s MB free under %s, below the %s MB margin; pushes refused",
                (self.free_bytes() or 0) >> 20,
                self.folder,
                self.min_free_bytes >> 20,
            )
            raise storage_full()

    def describe(self) -> str:
        """One line for `fieldkit-hq devices`."""
        free = self.free_bytes()
        if free is None:
            return "Storage: free space not measured here (PostgreSQL keeps its own files)"
        state = "accepting changes" if self.accepting_pushes() else "FULL: pushes refused"
        margin = self.min_free_bytes >> 20
        return f"Storage: {free >> 20} MB free in {self.folder} ({state}; margin {margin} MB)"


def guard_for(storage: Storage, min_free_mb: int = DEFAULT_MIN_FREE_MB) -> StorageGuard:
    """The guard for `storage`: its SQLite file's folder is watched; PostgreSQL is not."""
    url = storage.engine.url
    folder = (
        Path(url.database).parent if url.get_backend_name() == "sqlite" and url.database else None
    )
    return StorageGuard(folder, max(min_free_mb, 0) << 20)


def storage_full() -> ApiError:
    return ApiError(
        503,
        "hq_storage_full",
        "headquarters cannot store changes now (its disk is full); keep them and retry later",
        {"Retry-After": str(STORAGE_FULL_RETRY_S)},
    )


def storage_unavailable() -> ApiError:
    return ApiError(
        503,
        "hq_unavailable",
        "headquarters' database is unavailable; retry later",
        {"Retry-After": str(UNAVAILABLE_RETRY_S)},
    )


def answer_for(error: BaseException) -> ApiError:
    """The answer for a storage error that reached the request handler, logged in one line
    (the traceback goes to the debug log only)."""
    if is_disk_full(error):
        log.error("storage full: %s; answering 503 hq_storage_full", _first_line(error))
        answer = storage_full()
    else:
        log.error("storage error: %s; answering 503 hq_unavailable", _first_line(error))
        answer = storage_unavailable()
    log.debug("storage error detail", exc_info=error)
    return answer


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL, PostgreSQL's disk_full, or the OS's ENOSPC/EDQUOT, however the
    driver and SQLAlchemy wrapped it."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno in _FULL_ERRNOS:
            return True
        if getattr(seen, "sqlite_errorname", None) == "SQLITE_FULL":
            return True
        if getattr(seen, "sqlstate", None) == _FULL_SQLSTATE:
            return True
        if "database or disk is full" in str(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return (text.splitlines() or [type(error).__name__])[0][:200]
