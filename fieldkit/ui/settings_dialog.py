"""Settings: interface language, idle lock, headquarters and report defaults.

Three homes, never mixed: the language, the idle minutes and the report defaults are UI
preferences (QSettings); the headquarters connection travels with the data, so it is read from
the encrypted vault through the database worker and changed only by "Connect to
headquarters…" (the address, the certificate it pins and the device's identity belong
together). Nothing secret goes to QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import ENGLISH, N_, SPANISH, _, current_language, set_language
from fieldkit.services.sync import HqConnection
from fieldkit.ui.context import AppContext
from fieldkit.ui.hq_address import hq_url_problem
from fieldkit.ui.idle import MAX_MINUTES
from fieldkit.ui.preferences import IDLE_MINUTES, LANGUAGE, REPORT_AUTHOR, REPORT_MARKING
from fieldkit.ui.theme import problem_style

__all__ = ["SettingsDialog", "hq_url_problem"]

# Each language is named in itself, so it can be found whatever the interface shows.
LANGUAGE_NAMES = ((ENGLISH, "English"), (SPANISH, "Español (México)"))

HQ_UNAVAILABLE = N_("The headquarters connection can be seen while the vault is unlocked.")
NOT_CONNECTED = N_("This vault is not connected to headquarters.")
CONNECTED = N_("Connected to {url} as “{name}”.")


class SettingsDialog(QDialog):
    """Edit the settings; OK saves each to its home and applies it at once."""

    sig_idle_minutes_changed = Signal(int)  # emitted on OK with the chosen minutes
    sig_connect_requested = Signal()  # "Connect to headquarters…" was pressed
    sig_rekey_requested = Signal()  # "Change the data key…" was pressed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(480)

        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_MINUTES)
        self.idle_minutes.setValue(ctx.preferences.get(IDLE_MINUTES))
        self.hq_summary = QLabel()
        self.hq_summary.setWordWrap(True)
        self.hq_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.connect_button = QPushButton(_("Connect to &headquarters…"))
        self.connect_button.setAccessibleName(_("Connect to headquarters"))
        self.connect_button.setEnabled(False)  # until the vault's connection is read
        self.marking = QLineEdit(ctx.preferences.get(REPORT_MARKING))
        self.author = QLineEdit(ctx.preferences.get(REPORT_AUTHOR))
        self.rekey_button = QPushButton(_("Change the data &key…"))
        self.rekey_button.setAccessibleName(_("Change the data key"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._build()

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.connect_button.clicked.connect(self.sig_connect_requested)
        self.rekey_button.clicked.connect(self.sig_rekey_requested)
        ctx.sig_locked.connect(self.reject)  # never left open over the lock screen
        self.reload_connection()

    def _build(self) -> None:
        interface = QGroupBox(_("Interface"))
        interface_form = QFormLayout(interface)
        self._add_row(interface_form, _("Language"), self.language)
        self._add_row(interface_form, _("Lock after this many idle minutes"), self.idle_minutes)
        headquarters = QGroupBox(_("Headquarters"))
        hq_form = QFormLayout(headquarters)
        self.hq_summary.setAccessibleName(_("Headquarters connection"))
        hq_form.addRow(self.hq_summary)
        note = QLabel(_("Kept inside the encrypted vault, with the data it belongs to."))
        note.setWordWrap(True)
        hq_form.addRow(note)
        hq_form.addRow(self.connect_button)
        reports = QGroupBox(_("Report defaults"))
        reports_form = QFormLayout(reports)
        self._add_row(reports_form, _("Marking on every page"), self.marking)
        self._add_row(reports_form, _("Prepared by"), self.author)
        for role, text in (
            (QDialogButtonBox.StandardButton.Ok, _("OK")),
            (QDialogButtonBox.StandardButton.Cancel, _("Cancel")),
        ):
            button = self.buttons.button(role)
            button.setText(text)
            button.setAccessibleName(text)
        security = QGroupBox(_("Security"))
        QVBoxLayout(security).addWidget(self.rekey_button)
        layout = QVBoxLayout(self)
        for group in (interface, headquarters, reports, security):
            layout.addWidget(group)
        layout.addWidget(self.buttons)

    @staticmethod
    def _add_row(form: QFormLayout, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label)
        form.addRow(label, widget)

    # --- the headquarters connection, read from the vault ------------------------------

    def reload_connection(self) -> None:
        self._ctx.call(
            lambda v: v.sync.connection(),
            self._on_connection_loaded,
            self._on_connection_load_failed,
            receiver=self,
        )

    def _on_connection_loaded(self, connection: HqConnection | None) -> None:
        if connection is None:
            self.hq_summary.setText(_(NOT_CONNECTED))
        else:
            self.hq_summary.setText(
                _(CONNECTED).format(url=connection.url, name=connection.device_name)
            )
        self.hq_summary.setStyleSheet("")
        self.connect_button.setEnabled(True)

    def _on_connection_load_failed(self, _error: BaseException) -> None:
        # Locked (or closing): nothing to show; the other settings still work.
        self.connect_button.setEnabled(False)
        self.hq_summary.setText(_(HQ_UNAVAILABLE))
        self.hq_summary.setStyleSheet(problem_style())

    # --- OK ------------------------------------------------------------------------------

    def accept(self) -> None:
        language = str(self.language.currentData())
        minutes = self.idle_minutes.value()
        preferences = self._ctx.preferences
        preferences.set(LANGUAGE, language)
        preferences.set(IDLE_MINUTES, minutes)
        preferences.set(REPORT_MARKING, self.marking.text().strip())
        preferences.set(REPORT_AUTHOR, self.author.text().strip())
        preferences.save()
        self.sig_idle_minutes_changed.emit(minutes)
        changed_language = language != current_language()
        super().accept()
        if changed_language:
            set_language(language)
            self._ctx.sig_language_changed.emit()
