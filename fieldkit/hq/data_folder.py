"""HQ's data folder is the administrator's alone: the SQLite database in it is not encrypted.

At every start (`serve` and the admin commands) the folder is made 0700 and the database, its
WAL and shared-memory files 0600, with a warning naming what was open to others; HQ refuses to
start when it cannot do that (the files belong to another user).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from fieldkit.hq.errors import AdminError
from fieldkit.private_files import create_private_file, make_private

log = logging.getLogger(__name__)


def secure_data_folder(folder: Path, database_file: str) -> None:
    """Owner-only `folder` and database files (created 0600 if new); AdminError if impossible."""
    database = folder / database_file
    files = [database, *(folder / f"{database_file}{s}" for s in ("-wal", "-shm", "-journal"))]
    try:
        loosened = make_private(folder, files)
        create_private_file(database)
    except PermissionError as exc:
        raise AdminError(
            f"{exc.filename or folder} can be read by other users and HQ cannot change that "
            f"(it belongs to someone else). Give the data folder to HQ's user, mode 700."
        ) from None
    if loosened:
        names = ", ".join(str(p) for p in loosened)
        message = f"{names} could be read by other users; now owner-only (700/600)"
        log.warning("%s", message)
        print(f"fieldkit-hq: warning: {message}", file=sys.stderr)
