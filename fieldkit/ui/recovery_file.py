"""Saving the recovery key to a file: offered on a removable drive when one is plugged in
(the key belongs apart from the laptop), else in the home folder; written readable by the
owner only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStorageInfo

from fieldkit.atomic_file import write_atomic
from fieldkit.i18n import _

FILE_NAME = "fieldkit-recovery-key.txt"
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/Volumes/")  # Linux, Linux (udisks2), macOS


def removable_folders() -> list[Path]:
    """Mounted removable drives that can be written to (USB sticks, SD cards)."""
    found = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        writable = volume.isValid() and volume.isReady() and not volume.isReadOnly()
        if writable and root.startswith(REMOVABLE_ROOTS):
            found.append(Path(root))
    return found


def default_save_path(home: Path | None = None) -> Path:
    """Where the save dialog starts: the first removable drive, else the home folder."""
    drives = removable_folders()
    folder = drives[0] if drives else (home or Path.home())
    return folder / FILE_NAME


def save_recovery_key(path: Path, key: str) -> None:
    """Write the key (with a title line) atomically, mode 0600, replacing any older file."""
    text = _("FieldKit recovery key") + "\n\n" + key + "\n"
    write_atomic(path, text.encode("utf-8"), mode=0o600)
