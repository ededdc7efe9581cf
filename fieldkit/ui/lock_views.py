"""The screens before the vault is open: first run, the recovery key shown once, unlock, and
recovery with the recovery key. None of them ever shows record data."""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from fieldkit.errors import LeaseExpired
from fieldkit.i18n import N_, _
from fieldkit.services.vault import MIN_PASSPHRASE
from fieldkit.ui.language_chooser import LanguageChooser
from fieldkit.ui.lock_parts import (
    ErrorLabel,
    button_row,
    centered,
    enter_goes_on,
    secret_field,
    title_label,
)
from fieldkit.ui.passphrase_strength import strength
from fieldkit.ui.recovery_file import default_save_path, save_recovery_key
from fieldkit.ui.recovery_print import ask_where_to_print, print_recovery_key


class FirstRunView(QWidget):
    """Choose a passphrase (with strength feedback and confirmation)."""

    sig_create_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase = secret_field(_("Passphrase"))
        self.confirm = secret_field(_("Type it again"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)  # the verdict is written beside it, in every style
        self.meter.setFixedHeight(self.fontMetrics().height() // 2 + 4)
        self.meter.setAccessibleName(_("Passphrase strength"))
        self.meter_text = QLabel()
        self.meter_text.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 10))
        self.error = ErrorLabel()
        self.create_button = QPushButton(_("Create the vault"))
        self.create_button.setAccessibleName(_("Create the vault"))
        self.create_button.setDefault(True)
        form = QFormLayout()
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Type it again"), self.confirm)
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.meter_text)
        form.addRow(_("Strength"), meter_row)
        form_box = QWidget()
        form_box.setLayout(form)
        intro = QLabel(
            _(
                "Everything you record is kept encrypted on this laptop. Choose a passphrase of "
                "at least {minimum} characters: a few unrelated words are easy to type and hard "
                "to guess."
            ).format(minimum=MIN_PASSPHRASE)
        )
        intro.setWordWrap(True)
        self.language = LanguageChooser()
        centered(
            self.language,
            title_label(_("Welcome to FieldKit")),
            intro,
            form_box,
            self.error,
            self.create_button,
            parent=self,
        )
        self.passphrase.textChanged.connect(self._on_passphrase_changed)
        for field in (self.passphrase, self.confirm):  # a message about old text is stale
            field.textEdited.connect(lambda _text: self.error.show_message(None))
        self.create_button.clicked.connect(self._on_create_clicked)
        enter_goes_on(self, (self.passphrase, self.confirm), self.create_button)
        self._on_passphrase_changed("")

    def initial_focus(self) -> QWidget:
        return self.passphrase

    def _on_passphrase_changed(self, text: str) -> None:
        score, verdict = strength(text) if text else (0, "")  # nothing typed: no verdict
        self.meter.setValue(score)
        self.meter_text.setText(verdict)
        self.meter.setAccessibleDescription(verdict)

    def _on_create_clicked(self) -> None:
        first, second = self.passphrase.text(), self.confirm.text()
        if len(first.strip()) < MIN_PASSPHRASE:
            message = _("The passphrase is too short. Use at least {minimum} characters.")
            self.error.show_message(message.format(minimum=MIN_PASSPHRASE))
        elif first != second:
            self.error.show_message(_("The two passphrases do not match. Type them again."))
        else:
            self.error.show_message(None)
            self.sig_create_requested.emit(first)

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def wipe(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()

    def keep_from(self, old: FirstRunView) -> None:
        """Take over what was typed on `old` (the same screen before a language change)."""
        self.passphrase.setText(old.passphrase.text())
        self.confirm.setText(old.confirm.text())
        old.wipe()


class RecoveryKeyView(QWidget):
    """The recovery key, shown once, with ways to save or print it and an explicit confirmation."""

    sig_done = Signal(bool)  # whether to remember the vault on this device

    def __init__(self, keyring_available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = QLabel()
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setWordWrap(True)  # at a dash: on one line the key is wider than the column
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key.setAccessibleName(_("Recovery key"))
        self.key.setStyleSheet("font-size: 16pt; padding: 12px; border: 1px solid palette(mid);")
        self.save_button = QPushButton(_("Save to a file…"))
        self.save_button.setAccessibleName(_("Save the recovery key to a file"))
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setAccessibleName(_("Print the recovery key"))
        self.error = ErrorLabel()
        self.stored = QCheckBox(_("I have stored the recovery key somewhere safe"))
        self.stored.setAccessibleName(self.stored.text())
        self.remember = QCheckBox(_("Remember the vault on this device (no passphrase needed)"))
        self.remember.setAccessibleName(self.remember.text())
        self.remember.setToolTip(_(REMEMBER_TRADE_OFF))
        trade_off = QLabel(_(REMEMBER_TRADE_OFF))
        trade_off.setWordWrap(True)
        trade_off.setIndent(24)  # under its check box
        self.remember.setEnabled(keyring_available)
        honest = None
        if not keyring_available:
            honest = QLabel(
                _(
                    "This computer has no secure keyring, so FieldKit will ask for the "
                    "passphrase every time."
                )
            )
            honest.setWordWrap(True)
        self.proceed_button = QPushButton(_("Continue"))
        self.proceed_button.setAccessibleName(_("Continue"))
        self.proceed_button.setEnabled(False)
        explain = QLabel(
            _(
                "This recovery key is the only way back in if the passphrase is forgotten. It is "
                "shown only now: write it down or save it, and keep it apart from this laptop."
            )
        )
        explain.setWordWrap(True)
        centered(
            title_label(_("Your recovery key")),
            explain,
            self.key,
            button_row(self.save_button, self.print_button),
            self.error,
            self.stored,
            self.remember,
            trade_off,
            honest,
            self.proceed_button,
            parent=self,
        )
        self.stored.toggled.connect(self.proceed_button.setEnabled)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.proceed_button.clicked.connect(lambda: self.sig_done.emit(self.remember.isChecked()))
        enter_goes_on(self, (), self.proceed_button)

    def initial_focus(self) -> QWidget:
        return self.stored

    def show_key(self, key: str) -> None:
        self.key.setText(key)
        self.stored.setChecked(False)
        self.error.show_message(None)

    def wipe(self) -> None:
        self.key.clear()

    def keep_from(self, old: RecoveryKeyView) -> None:
        self.key.setText(old.key.text())
        self.stored.setChecked(old.stored.isChecked())
        self.remember.setChecked(old.remember.isChecked())
        old.wipe()

    def _on_save_clicked(self) -> None:
        # The dialog asks before replacing an existing file (Qt's default, kept on purpose).
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key"), str(default_save_path())
        )
        if path:
            try:
                save_recovery_key(Path(path), self.key.text())
            except OSError as error:
                self.error.show_message(
                    _("The recovery key could not be saved: {reason}").format(
                        reason=error.strerror or error
                    )
                )
            else:
                self.error.show_message(None)

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_("FieldKit recovery key"))  # the print job's name, the PDF's title
        if not ask_where_to_print(printer, self):
            return
        if print_recovery_key(printer, self.key.text(), dt.date.today()):
            self.error.show_message(None)
        else:
            self.error.show_message(
                _("The recovery key could not be printed. Check the printer and try again.")
            )


REMEMBER_TRADE_OFF = N_(
    "Faster to open, but anyone who can sign in to this computer account can open the vault."
)
WAIT_LIVE = N_("Too many wrong passphrases. You can try again in {time}.")


class UnlockView(QWidget):
    """Passphrase entry; wrong passphrases and waits are explained in place."""

    sig_unlock_requested = Signal(str)
    sig_forgot_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase = secret_field(_("Passphrase"))
        self.error = ErrorLabel()
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setAccessibleName(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.forgot = QPushButton(_("Forgot the passphrase?"))
        self.forgot.setAccessibleName(_("Forgot the passphrase?"))
        self.forgot.setFlat(True)
        self.language = LanguageChooser()
        # Shown only when the vault is past its lease: a code headquarters can give.
        self.lease_code = QLineEdit()
        self.lease_code.setPlaceholderText(_("Lease code from headquarters (optional)"))
        self.lease_code.setAccessibleName(_("Lease code from headquarters (optional)"))
        self.lease_code.hide()
        self.lease_expired = False
        centered(
            self.language,
            title_label(_("FieldKit is locked")),
            QLabel(_("Enter your passphrase.")),
            self.passphrase,
            self.lease_code,
            self.error,
            self.unlock_button,
            self.forgot,
            parent=self,
        )
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.passphrase.returnPressed.connect(self._on_unlock_clicked)
        self.forgot.clicked.connect(self.sig_forgot_requested)
        self._wait_until = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)  # a second never shows for more than a second
        self._countdown.timeout.connect(self._on_countdown_timeout)

    def initial_focus(self) -> QWidget:
        return self.passphrase

    def _on_unlock_clicked(self) -> None:
        if self.passphrase.text() and not self._countdown.isActive():
            self.set_busy(True)
            self.sig_unlock_requested.emit(self.passphrase.text())

    def show_wait(self, seconds: int) -> None:
        """Too many wrong passphrases: count the wait down live, then allow a try again
        (the passphrase field stays open for typing meanwhile)."""
        self.set_busy(False)
        self._wait_until = time.monotonic() + seconds
        self._countdown.start()
        self._on_countdown_timeout()
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _on_countdown_timeout(self) -> None:
        remaining = math.ceil(self._wait_until - time.monotonic())
        if remaining <= 0:
            self._countdown.stop()
            self.error.show_message(None)
            self.unlock_button.setEnabled(True)
            return
        self.unlock_button.setEnabled(False)
        clock = f"{remaining // 60}:{remaining % 60:02d}"
        self.error.show_message(_(WAIT_LIVE).format(time=clock))

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.show_message(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def show_lease_expired(self, message: str) -> None:
        """The lease ran out: say so, and make the way in the recovery key."""
        self.show_error(message)
        self.lease_expired = True
        self.lease_code.show()
        self.forgot.setText(_("Unlock with the recovery key…"))
        self.forgot.setAccessibleName(_("Unlock with the recovery key…"))
        self.forgot.setFlat(False)

    def keep_from(self, old: UnlockView) -> None:
        if old.lease_expired:
            self.show_lease_expired(LeaseExpired().message)  # in the language now chosen
            self.lease_code.setText(old.lease_code.text())
        self.passphrase.setText(old.passphrase.text())
        if old._countdown.isActive():
            self.show_wait(math.ceil(old._wait_until - time.monotonic()))
        old.reset()

    def reset(self) -> None:
        self._countdown.stop()
        self.set_busy(False)
        self.passphrase.clear()
        self.lease_code.clear()
        if self.lease_expired:  # opened: the lease started again
            self.lease_expired = False
            self.lease_code.hide()
            self.forgot.setText(_("Forgot the passphrase?"))
            self.forgot.setAccessibleName(_("Forgot the passphrase?"))
            self.forgot.setFlat(True)
        self.error.show_message(None)
        self.passphrase.setFocus()


class RecoverView(QWidget):
    """Set a new passphrase with the recovery key."""

    sig_recover_requested = Signal(str, str)
    sig_cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = QLineEdit()
        self.key.setAccessibleName(_("Recovery key"))
        self.key.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.passphrase = secret_field(_("New passphrase"))
        self.confirm = secret_field(_("Type it again"))
        self.error = ErrorLabel()
        self.recover_button = QPushButton(_("Set the new passphrase"))
        self.recover_button.setAccessibleName(_("Set the new passphrase"))
        self.back_button = QPushButton(_("Back"))
        self.back_button.setAccessibleName(_("Back"))
        form = QFormLayout()
        form.addRow(_("Recovery key"), self.key)
        form.addRow(_("New passphrase"), self.passphrase)
        form.addRow(_("Type it again"), self.confirm)
        box = QWidget()
        box.setLayout(form)
        centered(
            title_label(_("Recover with the recovery key")),
            box,
            self.error,
            self.recover_button,
            self.back_button,
            parent=self,
        )
        self.recover_button.clicked.connect(self._on_recover_clicked)
        self.back_button.clicked.connect(self.sig_cancelled)
        for field in (self.key, self.passphrase, self.confirm):
            field.textEdited.connect(lambda _text: self.error.show_message(None))
        enter_goes_on(self, (self.key, self.passphrase, self.confirm), self.recover_button)

    def initial_focus(self) -> QWidget:
        return self.key

    def _on_recover_clicked(self) -> None:
        if self.passphrase.text() != self.confirm.text():
            self.error.show_message(_("The two passphrases do not match. Type them again."))
            return
        self.error.show_message(None)
        self.sig_recover_requested.emit(self.key.text(), self.passphrase.text())

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def wipe(self) -> None:
        for field in (self.key, self.passphrase, self.confirm):
            field.clear()

    def keep_from(self, old: RecoverView) -> None:
        for mine, theirs in zip(
            (self.key, self.passphrase, self.confirm),
            (old.key, old.passphrase, old.confirm),
            strict=True,
        ):
            mine.setText(theirs.text())
        old.wipe()
