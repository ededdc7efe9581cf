"""Import records from the FieldKit menu: choose a file and a kind, see the first rows and
every problem before anything is written, then import with a progress bar.

Reading, checking and importing run on the database worker (`AppContext.call`); progress
comes back to the window through a signal, so the dialog never waits on the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS, Attachment, Record
from fieldkit.errors import UserFacingError
from fieldkit.i18n import _
from fieldkit.services.transfer import ImportPreview, ImportResult
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext

IMPORTABLE: tuple[type[Record], ...] = tuple(c for c in KINDS.values() if c is not Attachment)
CELL_CHARS = 80
PROBLEMS_SHOWN = 500


class _Relay(QObject):
    """Carries progress from the database worker to the dialog (a queued signal)."""

    sig_progressed = Signal(int, int)


class ImportDialog(QDialog):
    """File, kind, preview and problems, then the import itself."""

    sig_imported = Signal(str, int)  # kind, records imported

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._busy = False
        self._preview: ImportPreview | None = None
        self._relay = _Relay(self)
        self._relay.sig_progressed.connect(self._on_worker_progressed)
        self.setWindowTitle(_("Import records"))
        self.resize(900, 620)
        self._build()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("A .csv, .json or .jsonl file"))
        self.choose_button = QPushButton(_("&Choose file…"))
        self.choose_button.clicked.connect(self._on_choose_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose_button)
        self.kind = QComboBox()
        for cls in IMPORTABLE:
            self.kind.addItem(_(cls.PLURAL), cls.KIND)
        self.kind.currentIndexChanged.connect(lambda _index: self.refresh_preview())
        self.skip_invalid = QCheckBox(_("Import the good rows and leave out rows with problems"))
        self.skip_invalid.toggled.connect(lambda _on: self._update_buttons())
        self.skip_duplicates = QCheckBox(_("Leave out likely duplicates"))
        form = QFormLayout()
        form.addRow(_("File"), file_row)
        form.addRow(_("Kind of records"), self.kind)
        form.addRow("", self.skip_invalid)
        form.addRow("", self.skip_duplicates)
        self.summary = QLabel(_("Choose a file to see its first rows and any problems."))
        self.summary.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(_("First rows of the file"))
        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Problems found"))
        self.problems.setMaximumHeight(140)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setAccessibleName(_("Import progress"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))  # Qt's own label stays English without its catalog
        self.import_button = self.buttons.addButton(
            _("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(_("Problems")))
        layout.addWidget(self.problems)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        for widget, name in (
            (self.path, _("File")),
            (self.kind, _("Kind of records")),
            (self.summary, _("What the file holds")),
        ):
            widget.setAccessibleName(name)

    # --- choosing and previewing ----------------------------------------------------------

    def _on_choose_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a file to import"), "", _("CSV or JSON (*.csv *.json *.jsonl)")
        )
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path, kind: str | None = None) -> None:
        """Show `path` (and `kind`, if given) and preview it."""
        self.path.setText(str(path))
        if kind is not None:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.kind.blockSignals(False)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        if not self.path.text() or self._busy:
            return
        kind, path = str(self.kind.currentData()), Path(self.path.text())
        self._start(_("Reading and checking the file…"))
        self._preview = None
        relay = self._relay

        def work(vault: Vault) -> ImportPreview:
            return vault.transfer.preview_import(kind, path, progress=relay.sig_progressed.emit)

        self._ctx.call(work, self._on_preview_done, self._on_failed, receiver=self)

    def _on_preview_done(self, preview: ImportPreview) -> None:
        self._stop()
        self._preview = preview
        self.summary.setText(preview_summary(preview))
        self._fill_table(preview)
        where = _("record {number}") if preview.unit == "record" else _("line {number}")
        self.problems.clear()
        for number, reason in preview.problems[:PROBLEMS_SHOWN]:
            self.problems.addItem(f"{where.format(number=number)}: {reason}")
        duplicate = _("{where}: {reason}")
        for number, reason in preview.duplicates[:PROBLEMS_SHOWN]:
            self.problems.addItem(
                duplicate.format(where=where.format(number=number), reason=reason)
            )
        self._update_buttons()

    def _fill_table(self, preview: ImportPreview) -> None:
        cls = KINDS[preview.kind]
        specs = {spec.name: spec for spec in cls.specs()}
        headers = [_(specs[c].label) if c in specs else c for c in preview.columns]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(preview.sample))
        labels = []
        for row, (number, values) in enumerate(preview.sample):
            labels.append(str(number))
            for column, name in enumerate(preview.columns):
                self.table.setItem(row, column, QTableWidgetItem(_cell_text(values.get(name))))
        self.table.setVerticalHeaderLabels(labels)
        self.table.resizeColumnsToContents()

    def _update_buttons(self) -> None:
        preview = self._preview
        ready = preview is not None and preview.ready > 0
        clean = preview is not None and (not preview.problems or self.skip_invalid.isChecked())
        self.import_button.setEnabled(ready and clean and not self._busy)
        self.choose_button.setEnabled(not self._busy)
        self.kind.setEnabled(not self._busy)

    # --- importing ------------------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        if self._preview is None or self._busy:
            return
        kind, path = self._preview.kind, Path(self.path.text())
        skip_invalid = self.skip_invalid.isChecked()
        skip_duplicates = self.skip_duplicates.isChecked()
        self._start(_("Importing…"))
        relay = self._relay

        def work(vault: Vault) -> ImportResult:
            return vault.transfer.import_file(
                kind,
                path,
                skip_invalid=skip_invalid,
                skip_duplicates=skip_duplicates,
                progress=relay.sig_progressed.emit,
            )

        self._ctx.call(
            work, lambda result: self._on_import_done(kind, result), self._on_failed, self
        )

    def _on_import_done(self, kind: str, result: ImportResult) -> None:
        self._stop()
        self._preview = None
        self.progress.setValue(100)
        self.summary.setText(result_summary(result))
        self._update_buttons()
        self._ctx.notify_changed(kind)
        self.sig_imported.emit(kind, result.imported)

    # --- shared ---------------------------------------------------------------------------

    def _start(self, message: str) -> None:
        self._busy = True
        self.summary.setText(message)
        self.progress.setValue(0)
        self._update_buttons()

    def _stop(self) -> None:
        self._busy = False
        self._update_buttons()

    def _on_worker_progressed(self, done: int, total: int) -> None:
        self.progress.setValue(100 if total <= 0 else min(100, done * 100 // total))

    def _on_failed(self, error: BaseException) -> None:
        self._stop()
        if not isinstance(error, UserFacingError):
            self._ctx.tasks.report_error(error)
            return
        lines = [error.message, *error.details()[:PROBLEMS_SHOWN]]
        self.summary.setText(lines[0])
        self.problems.clear()
        self.problems.addItems(lines[1:])

    def reject(self) -> None:
        if not self._busy:  # a running import finishes first: its file and vault are open
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
        else:
            super().closeEvent(event)


def preview_summary(preview: ImportPreview) -> str:
    """One sentence: how the file was read and what importing it would do."""
    separators = {",": _("commas"), ";": _("semicolons"), "\t": _("tabs")}
    read = _("Read as {encoding}").format(encoding=_(preview.encoding))
    if preview.delimiter is not None:
        read += ", " + _("cells separated by {separator}").format(
            separator=separators.get(preview.delimiter, preview.delimiter)
        )
    counts = _(
        "{rows} row(s): {ready} ready, {problems} with problems, {duplicates} likely duplicate(s)."
    ).format(
        rows=preview.rows,
        ready=preview.ready,
        problems=len(preview.problems),
        duplicates=len(preview.duplicates),
    )
    return f"{read}. {counts} " + _("Nothing has been written yet.")


def result_summary(result: ImportResult) -> str:
    text = _("Imported {count} record(s).").format(count=result.imported)
    if result.skipped:
        text += " " + _("{count} rows with problems were left out.").format(
            count=len(result.skipped)
        )
    if result.duplicates and result.duplicates_skipped:
        text += " " + _("{count} likely duplicates were left out.").format(
            count=len(result.duplicates)
        )
    elif result.duplicates:
        text += " " + _("{count} likely duplicates were imported.").format(
            count=len(result.duplicates)
        )
    return text


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = "; ".join(value)
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"
