"""Menu dialogs over the open vault: change the passphrase, export records as JSON or CSV.
The work runs on the database worker; problems show in place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.errors import PassphraseMismatch, UserFacingError
from fieldkit.i18n import _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.theme import problem_style

FORMATS = (("json", "JSON"), ("csv", "CSV"))


def _secret(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMinimumWidth(280)
    return field


class _VaultDialog(QDialog):
    """A form, a problem line under it, OK (the default) and Cancel."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(problem_style())
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        ctx.sig_locked.connect(self.reject)

    def _finish_layout(self) -> None:
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)
        self.ok.setDefault(True)

    def _on_ok(self) -> None:
        raise NotImplementedError

    def show_problem(self, message: str | None) -> None:
        self.problem.setText(message or "")
        self.problem.setVisible(bool(message))
        self.ok.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.show_problem(error.message)
        else:
            self.ok.setEnabled(True)
            self._ctx.tasks.report_error(error)


class ChangePassphraseDialog(_VaultDialog):
    sig_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Change the passphrase"), parent)
        self.current = _secret(_("Current passphrase"))
        self.new = _secret(_("New passphrase"))
        self.confirm = _secret(_("Type it again"))
        for label, field in (
            (_("Current passphrase"), self.current),
            (_("New passphrase"), self.new),
            (_("Type it again"), self.confirm),
        ):
            self.form.addRow(label, field)
            field.textEdited.connect(lambda _text: self.show_problem(None))
        self._finish_layout()

    def _on_ok(self) -> None:
        old, new = self.current.text(), self.new.text()
        if new != self.confirm.text():
            self.show_problem(PassphraseMismatch().message)
            self.confirm.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.ok.setEnabled(False)
        self._ctx.call(
            lambda vault: vault.change_passphrase(old, new),
            self._on_changed,
            self._failed,
            receiver=self,
        )

    def _on_changed(self, _result: object) -> None:
        for field in (self.current, self.new, self.confirm):
            field.clear()
        self.sig_changed.emit()
        self.accept()


class ExportRecordsDialog(_VaultDialog):
    """One kind of record, every one of them, as JSON or CSV (as `fieldkit export` does)."""

    sig_exported = Signal(str, int)  # the file, how many records

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Export records"), parent)
        self.kind = QComboBox()
        for code, cls in KINDS.items():
            self.kind.addItem(_(cls.PLURAL), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.format = QComboBox()
        for code, name in FORMATS:
            self.format.addItem(name, code)
        warning = QLabel(
            _("The file is not encrypted: it holds every field, identifying ones included.")
        )
        warning.setWordWrap(True)
        for label, widget in ((_("Records"), self.kind), (_("Format"), self.format)):
            widget.setAccessibleName(label)
            self.form.addRow(label, widget)
        self.form.addRow(warning)
        self._finish_layout()

    def _on_ok(self) -> None:
        kind, fmt = str(self.kind.currentData()), str(self.format.currentData())
        suggested = str(Path.home() / f"fieldkit-{kind}.{fmt}")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export records"), suggested, f"{fmt.upper()} (*.{fmt})"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        kind, fmt = str(self.kind.currentData()), str(self.format.currentData())
        self.ok.setEnabled(False)

        def work(vault: Vault) -> int:
            return vault.transfer.export(kind, fmt, path)[1]

        def done(count: int) -> None:
            self.sig_exported.emit(str(path), count)
            self.accept()

        self._ctx.call(work, done, self._failed, receiver=self)
