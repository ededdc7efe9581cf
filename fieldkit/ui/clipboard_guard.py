"""Words copied out of an interview do not linger on the clipboard.

When text is copied while the focus is inside an interview's editor (read-only ones too: a
reviewer reading another attaché's interview), the guard remembers it,
marks it as secret for clipboard managers that honour the hint (KDE's Klipper and others), and
clears the clipboard CLEAR_AFTER_MS later, or at once when the vault locks, but only if the
clipboard still holds exactly that text: whatever the person copied since is left alone, and
copies from anywhere else are never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.domain.records import Interview
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor import RecordEditor

CLEAR_AFTER_MS = 30_000
SECRET_HINT_FORMAT = "x-kde-passwordManagerHint"  # noqa: S105 - a MIME type name
SECRET_HINT = b"secret"


def interview_editor_around(widget: QWidget | None) -> RecordEditor | None:
    """The interview editor that holds `widget` (or a dialog opened from it), if any."""
    while widget is not None:
        if isinstance(widget, RecordEditor) and issubclass(widget.record_class, Interview):
            return widget
        widget = widget.parentWidget()
    return None


class ClipboardGuard(QObject):
    """Install once (the controller does); it watches the application's clipboard."""

    CLEAR_AFTER_MS = CLEAR_AFTER_MS  # tests set a shorter delay on the instance

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard: QClipboard = QApplication.clipboard()
        self._guarded: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._clipboard.dataChanged.connect(self._on_clipboard_data_changed)
        ctx.sig_locked.connect(self._on_ctx_locked)

    @property
    def guarded_text(self) -> str | None:
        """The interview text copied last and not yet cleared (None if nothing is guarded)."""
        return self._guarded

    def clear_now(self) -> None:
        """Clear the clipboard if it still holds the guarded text; forget it either way."""
        self._timer.stop()
        guarded, self._guarded = self._guarded, None
        if guarded is not None and self._clipboard.text() == guarded:
            self._clipboard.clear()

    # --- handlers -------------------------------------------------------------------------

    def _on_clipboard_data_changed(self) -> None:
        text = self._clipboard.text()
        if not text:
            return  # cleared (by us or anyone): nothing to guard, nothing to forget
        if text == self._guarded and self._has_secret_hint():
            return  # our own re-marking of the same copy
        if interview_editor_around(QApplication.focusWidget()) is None:
            self._timer.stop()
            self._guarded = None  # copied from elsewhere: never touched
            return
        self._guarded = text
        self._timer.start(self.CLEAR_AFTER_MS)
        # Re-marked after the copying widget has finished with its own clipboard call.
        QTimer.singleShot(0, self, self._mark_secret)

    def _on_timer_timeout(self) -> None:
        self.clear_now()

    def _on_ctx_locked(self) -> None:
        self.clear_now()

    # --- the secret hint ------------------------------------------------------------------

    def _has_secret_hint(self) -> bool:
        mime = self._clipboard.mimeData()
        return mime is not None and mime.hasFormat(SECRET_HINT_FORMAT)

    def _mark_secret(self) -> None:
        """Copy the clipboard's formats and add the hint clipboard managers read."""
        mime = self._clipboard.mimeData()
        if mime is None or self._guarded is None or self._clipboard.text() != self._guarded:
            return
        if mime.hasFormat(SECRET_HINT_FORMAT):
            return
        marked = QMimeData()
        for fmt in mime.formats():
            marked.setData(fmt, mime.data(fmt))
        marked.setText(self._guarded)
        marked.setData(SECRET_HINT_FORMAT, SECRET_HINT)
        self._clipboard.setMimeData(marked)
