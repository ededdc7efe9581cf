"""Opening an attachment needs a file another program can read: a private temporary copy,
removed when the vault locks, when FieldKit quits, and at the latest after a few minutes."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from fieldkit.ui.context import AppContext

KEEP_MS = 5 * 60_000


class TemporaryCopies(QObject):
    def __init__(self, ctx: AppContext, keep_ms: int = KEEP_MS) -> None:
        super().__init__(ctx)
        self._keep_ms = keep_ms
        self._folder: Path | None = None
        ctx.sig_locked.connect(self.remove_all)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.remove_all)

    def make(self, filename: str, data: bytes) -> Path:
        """Write `data` to a new owner-only file named like `filename`; returns its path."""
        if self._folder is None or not self._folder.exists():
            self._folder = Path(tempfile.mkdtemp(prefix="fieldkit-open-"))
        safe = Path(filename).name or "attachment"
        path = self._folder / safe
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        QTimer.singleShot(self._keep_ms, self, lambda: self._remove(path))
        return path

    def remove_all(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
