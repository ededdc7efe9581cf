"""One kind's page: its list, and the editor that opens over it for a new or chosen record.

An open editor survives locking (it is only hidden), so an unsaved edit is still there after
unlocking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QPushButton, QStackedWidget, QWidget

from fieldkit.domain.records import Record
from fieldkit.i18n import _
from fieldkit.ui.attachments_dialog import AttachmentsDialog
from fieldkit.ui.context import AppContext
from fieldkit.ui.editor import RecordEditor
from fieldkit.ui.records_screen import RecordsScreen
from fieldkit.ui.report_export import REPORT_KINDS, export_pdf
from fieldkit.ui.temporary_copies import TemporaryCopies


class KindPage(QStackedWidget):
    def __init__(self, ctx: AppContext, cls: type[Record], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.cls = cls
        self.records = RecordsScreen(ctx, cls)
        self.addWidget(self.records)
        self.editor: RecordEditor | None = None
        self._stale = False
        self.records.sig_new_requested.connect(lambda _cls: self.open_editor(None))
        self.records.sig_edit_requested.connect(self.open_editor)
        self.records.sig_failed.connect(ctx.tasks.report_error)
        self._copies = TemporaryCopies(ctx)
        self.attachments_button = QPushButton(_("Attach&ments…"))
        self.attachments_button.setAccessibleName(_("Attachments of the selected record"))
        self.attachments_button.clicked.connect(self._on_attachments_button_clicked)
        self.records.add_bar_button(self.attachments_button)
        if cls.KIND in REPORT_KINDS:
            self.export_button = QPushButton(_("Export &PDF…"))
            self.export_button.setAccessibleName(_("Export the selected record as a PDF report"))
            self.export_button.clicked.connect(self._on_export_button_clicked)
            self.records.add_bar_button(self.export_button)

    def open_editor(self, record: Record | None) -> None:
        """Edit `record` (None: a new one). A record that may not be changed here (reviewer
        mode: an interview another attaché wrote) opens in the same form read-only, whichever
        way the request came (Enter or a double click on the list, its details' link)."""
        self.close_editor()
        editor = RecordEditor(self._ctx, self.cls, record)
        editor.sig_saved.connect(self._on_editor_saved)
        editor.sig_cancelled.connect(self.close_editor)
        self.editor = editor
        self.addWidget(editor)
        self.setCurrentWidget(editor)
        editor.take_focus()

    def close_editor(self) -> None:
        closing = self.editor
        self.setCurrentWidget(self.records)
        if closing is not None:
            self.editor = None
            self.removeWidget(closing)
            closing.deleteLater()
            self.records.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_record(self) -> None:
        """Open an empty editor (the New button, Ctrl+N)."""
        self.open_editor(None)

    def show_record(self, record_id: str) -> None:
        self.close_editor()
        self.records.select_record(record_id)

    def clear_for_lock(self) -> None:
        self.records.clear_for_lock()
        if self.editor is not None and self.editor.read_only:
            # An editor is only hidden, to keep unsaved work; a reader has none to keep, and
            # another attaché's words leave the window with the key.
            self.close_editor()

    def restore_after_unlock(self) -> None:
        # Only the page in view loads now; the others load when first shown, so the page the
        # user is waiting for is not queued behind five lists nobody is looking at.
        if self.isVisible():
            self.records.restore_after_unlock()
            self._stale = False
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self._ctx.vault is not None:
            self._stale = False
            self.records.restore_after_unlock()

    def _on_attachments_button_clicked(self) -> None:
        record = self.records.selected_record()
        if record is not None:
            AttachmentsDialog(self._ctx, record, self._copies, self).open()

    def _on_export_button_clicked(self) -> None:
        record = self.records.selected_record()
        if record is not None:
            export_pdf(self._ctx, self, self.cls.KIND, record.id)

    def _on_editor_saved(self, record: Record) -> None:
        if self.cls.KIND == "interview":
            return  # the interview editor autosaves; the writer stays on the page
        self.show_record(record.id)
