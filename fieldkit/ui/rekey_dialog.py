"""Change the data key: the passphrase, then the new recovery key shown once.

Offered in Settings and right after a recovery with the recovery key. The work runs on the
database worker (the vault's connections are closed and reopened under the new key).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import UserFacingError
from fieldkit.i18n import N_, _
from fieldkit.services.vault import os_keyring
from fieldkit.ui.context import AppContext
from fieldkit.ui.recovery_print import ask_where_to_print, print_recovery_key
from fieldkit.ui.theme import problem_style

EXPLAIN = N_(
    "A new data key re-encrypts the whole vault. Afterwards, old copies of the key file, the "
    "old recovery key and anything that knew the old key open nothing written from then on. "
    "Your passphrase stays the same; you get a new recovery key."
)
AFTER_RECOVERY = N_(
    "You opened the vault with the recovery key. If it, or the old passphrase, may be known "
    "to someone else, change the data key now."
)


AFTER_INTERRUPTED_REKEY = N_(
    "A change of the data key was interrupted and has now been completed, but its new recovery "
    "key was never shown and the old one no longer works. Change the data key again to get one."
)


class RekeyDialog(QDialog):
    """Ask for the passphrase, change the data key, then show the new recovery key once.

    `reason` (a msgid) says why it is offered: after a recovery, or after an unlock that
    finished an interrupted rekey.
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, reason: str | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Change the data key"))
        self.setMinimumWidth(480)
        intro = QLabel((_(reason) + "\n\n" if reason else "") + _(EXPLAIN))
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setPlaceholderText(_("Passphrase"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(problem_style())
        self.error.hide()
        self.start_button = QPushButton(_("Change the data key"))
        self.start_button.setAccessibleName(_("Change the data key"))
        self.key = QLabel()
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setWordWrap(True)
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key.setAccessibleName(_("New recovery key"))
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setAccessibleName(_("Print the recovery key"))
        self.stored = QCheckBox(_("I have stored the new recovery key somewhere safe"))
        self.stored.setAccessibleName(self.stored.text())
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        layout = QVBoxLayout(self)
        widgets: tuple[QWidget, ...] = (intro, self.passphrase, self.error, self.start_button)
        widgets += (self.key, self.print_button, self.stored, self.close_button)
        for widget in widgets:
            layout.addWidget(widget)
        self._show_key_widgets(False)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.passphrase.returnPressed.connect(self._on_start_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.stored.toggled.connect(self.close_button.setEnabled)
        self.close_button.clicked.connect(self.accept)
        ctx.sig_locked.connect(self._on_locked)

    def _show_key_widgets(self, shown: bool) -> None:
        for widget in (self.key, self.print_button, self.stored, self.close_button):
            widget.setVisible(shown)
        self.close_button.setEnabled(False)
        self.passphrase.setVisible(not shown)
        self.start_button.setVisible(not shown)

    def _on_start_clicked(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            return
        self.start_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        keyring = os_keyring()
        self._ctx.call(
            lambda v: v.rekey(passphrase, keyring), self._on_rekeyed, self._on_failed, self
        )

    def _on_rekeyed(self, recovery_key: str) -> None:
        self.passphrase.clear()
        self.error.hide()
        self.key.setText(recovery_key)
        self._show_key_widgets(True)

    def _on_failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.passphrase.setEnabled(True)
        self.passphrase.selectAll()
        if not isinstance(error, UserFacingError):
            self._ctx.tasks.report_error(error)  # a bug: the crash dialog reports it
            return
        self.error.setText(error.message)
        self.error.show()

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_("FieldKit recovery key"))
        if ask_where_to_print(printer, self):
            print_recovery_key(printer, self.key.text(), dt.date.today())

    def _on_locked(self) -> None:
        self.key.clear()  # never left on screen over the lock screen
        super().reject()

    def reject(self) -> None:
        if self.key.text() and not self.stored.isChecked():
            return  # the new key is shown only once: not dismissed by Escape
        self.key.clear()
        super().reject()

    def accept(self) -> None:
        self.key.clear()
        super().accept()
