"""After a delete: "Deleted “…”. Undo" for a few seconds. Deleting keeps the record, so undo
is a restore."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from fieldkit.domain.records import Record
from fieldkit.i18n import _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext

OFFER_MS = 15_000


class UndoBar(QFrame):
    def __init__(self, ctx: AppContext, offer_ms: int = OFFER_MS) -> None:
        super().__init__()
        self._ctx = ctx
        self._record: Record | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel()
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.setAccessibleName(_("Undo the delete"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(offer_ms)
        self._timer.timeout.connect(self.withdraw)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        ctx.sig_locked.connect(self.withdraw)
        self.hide()

    def offer(self, deleted: Record) -> None:
        self._record = deleted
        self.message.setText(_("Deleted “{title}”.").format(title=deleted.title))
        self.show()
        self._timer.start()

    def withdraw(self) -> None:
        self._timer.stop()
        self._record = None
        self.message.clear()
        self.hide()

    def _on_undo_button_clicked(self) -> None:
        record = self._record
        if record is None:
            return
        self.withdraw()
        cls, record_id, kind = type(record), record.id, record.KIND

        def work(vault: Vault) -> Record:
            return vault.records.restore(cls, record_id)

        self._ctx.call(work, lambda _restored: self._ctx.notify_changed(kind), receiver=self)
