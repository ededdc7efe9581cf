"""A record's attachments: attach a file (copied into the encrypted vault), or open one on an
explicit action through a temporary copy that is removed afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import Attachment, Record
from fieldkit.i18n import _, format_number
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.temporary_copies import TemporaryCopies


def _size(size: int) -> str:
    if size < 1024:
        return _("{count} bytes").format(count=format_number(size))
    if size < 1024 * 1024:
        return _("{count} KB").format(count=format_number(round(size / 1024, 1)))
    return _("{count} MB").format(count=format_number(round(size / 1024 / 1024, 1)))


class AttachmentsDialog(QDialog):
    def __init__(
        self, ctx: AppContext, record: Record, copies: TemporaryCopies, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._record = record
        self._copies = copies
        self.setWindowTitle(_("Attachments"))
        self.resize(560, 360)
        heading = QLabel(_("Files attached to “{title}”").format(title=record.title))
        heading.setWordWrap(True)
        self.files = QListWidget()
        self.files.setAccessibleName(_("Attached files"))
        self.attach_button = QPushButton(_("&Attach a file…"))
        self.attach_button.setAccessibleName(_("Attach a file"))
        self.open_button = QPushButton(_("&Open"))
        self.open_button.setAccessibleName(_("Open the selected attachment"))
        self.open_button.setEnabled(False)
        note = QLabel(
            _(
                "Opening makes a temporary copy for the program that shows it; FieldKit removes "
                "it when the vault locks, when it quits, and after five minutes at the latest."
            )
        )
        note.setWordWrap(True)
        # Reviewer mode: nothing is attached to an interview another attaché wrote.
        self.read_only = QLabel(ctx.reviewer.why_read_only(record) or "")
        self.read_only.setWordWrap(True)
        self.read_only.setVisible(bool(self.read_only.text()))
        self.attach_button.setEnabled(not self.read_only.text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.attach_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.read_only, self.files, note, buttons):
            layout.addWidget(widget)
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.files.itemActivated.connect(lambda _item: self._on_open_button_clicked())
        self.files.currentItemChanged.connect(
            lambda current, _previous: self.open_button.setEnabled(current is not None)
        )
        ctx.sig_locked.connect(self.reject)
        self.reload()

    def reload(self) -> None:
        record = self._record
        self._ctx.call(lambda v: v.attachments.list_for(record), self._show, receiver=self)

    def _show(self, attachments: list[Attachment]) -> None:
        self.files.clear()
        for attachment in attachments:
            item = QListWidgetItem(f"{attachment.filename}  ·  {_size(attachment.size)}")
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            item.setToolTip(f"{attachment.media_type}\nSHA-256 {attachment.sha256}")
            self.files.addItem(item)
        if attachments:
            self.files.setCurrentRow(0)

    def _on_attach_button_clicked(self) -> None:
        if not self._ctx.reviewer.may_change(self._record):
            return
        path, _filter = QFileDialog.getOpenFileName(self, _("Attach a file"))
        if not path:
            return
        record = self._record

        def work(vault: Vault) -> Attachment:
            return vault.attachments.attach_file(record, Path(path))

        self._ctx.call(work, lambda _attachment: self._attached(), receiver=self)

    def _attached(self) -> None:
        self._ctx.notify_changed("attachment")
        self.reload()

    def _on_open_button_clicked(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        attachment: Attachment = item.data(Qt.ItemDataRole.UserRole)
        self._ctx.call(
            lambda v: v.attachments.read(attachment),
            lambda data: self._open(attachment, data),
            receiver=self,
        )

    def _open(self, attachment: Attachment, data: bytes) -> None:
        path = self._copies.make(attachment.filename, data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
