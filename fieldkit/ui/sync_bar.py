"""The sync corner of the status bar: how sync stands (click: the sync log), the conflicts
waiting for a person (click: resolve them), changes headquarters refused, and Sync now."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from fieldkit.domain.sync_state import SyncState
from fieldkit.i18n import _
from fieldkit.ui.sync_status import SyncView, conflicts_text, refused_text, status_text
from fieldkit.ui.theme import PROBLEM, colour


def attention_style() -> str:
    return f"QToolButton {{ color: {colour(PROBLEM).name()}; font-weight: bold; }}"


class SyncStatusBar(QWidget):
    sig_sync_requested = Signal()
    sig_conflicts_requested = Signal()
    sig_log_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = SyncView()
        self.state = QToolButton()
        self.state.setAutoRaise(True)
        self.conflicts = QToolButton()
        self.conflicts.setAutoRaise(True)
        self.conflicts.setStyleSheet(attention_style())
        self.refused = QToolButton()
        self.refused.setAutoRaise(True)
        self.sync_now = QToolButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for button in (self.conflicts, self.refused, self.state, self.sync_now):
            layout.addWidget(button)
        self.state.clicked.connect(self.sig_log_requested)
        self.refused.clicked.connect(self.sig_log_requested)
        self.conflicts.clicked.connect(self.sig_conflicts_requested)
        self.sync_now.clicked.connect(self.sig_sync_requested)
        self.show_view(self._view)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the OS went light or dark
            self.conflicts.setStyleSheet(attention_style())

    def text(self) -> str:
        """The sentence the bar shows (what a person reads first)."""
        return self.state.text()

    def show_view(self, view: SyncView) -> None:
        self._view = view
        text = status_text(view)
        self.state.setText(text)
        self.state.setVisible(bool(text))
        self.state.setAccessibleName(_("Sync state: {state}").format(state=text))
        self.state.setAccessibleDescription(_("Opens the sync log"))
        self.state.setToolTip(_("Sync log"))
        status = view.status
        conflicts = status.conflicts if status else 0
        self.conflicts.setText(conflicts_text(conflicts))
        self.conflicts.setAccessibleName(
            _("{conflicts}: resolve them").format(conflicts=conflicts_text(conflicts))
        )
        self.conflicts.setVisible(conflicts > 0)
        refused = status.quarantined if status else 0
        self.refused.setText(refused_text(refused))
        self.refused.setAccessibleName(
            _("{refused} by headquarters: see why").format(refused=refused_text(refused))
        )
        self.refused.setVisible(refused > 0)
        self.sync_now.setText(_("Sync now"))
        self.sync_now.setAccessibleName(_("Sync with headquarters now"))
        self.sync_now.setToolTip(_("Sync with headquarters now (F5)"))
        connected = status is not None and status.state is not SyncState.NOT_CONNECTED
        self.sync_now.setVisible(connected)
        self.sync_now.setEnabled(connected and not view.syncing)

    def retranslate(self) -> None:
        self.show_view(self._view)
