"""Settings: interface language, idle lock, the headquarters address and report defaults.

Three homes, never mixed: the language, the idle minutes and the report defaults are UI
preferences (QSettings); the headquarters address travels with the data, so it is read from and
written to the encrypted vault through the database worker. Nothing secret goes to QSettings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import ENGLISH, N_, SPANISH, _, current_language, set_language
from fieldkit.services.reports import DEFAULT_MARKING
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import PROBLEM_STYLE
from fieldkit.ui.idle import DEFAULT_MINUTES, MAX_MINUTES, clamp_minutes
from fieldkit.ui.report_export import AUTHOR_SETTING, MARKING_SETTING

LANGUAGE_SETTING = "ui/language"  # read by app.py at start
IDLE_SETTING = "lock/idle_minutes"  # read by the controller at start
HQ_SETTING = "hq_url"  # a vault setting, not a QSettings key
# Each language is named in itself, so it can be found whatever the interface shows.
LANGUAGE_NAMES = ((ENGLISH, "English"), (SPANISH, "Español (México)"))
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

NEEDS_HTTPS = N_("Headquarters must use https://")
NOT_AN_ADDRESS = N_("Enter a web address such as https://hq.example.org")
HQ_UNAVAILABLE = N_("The headquarters address can be changed while the vault is unlocked.")


def hq_url_problem(text: str) -> str | None:
    """What is wrong with a headquarters address (translated), or None if it may be used.

    https:// anywhere; plain http:// only to this computer (a local test server). Empty means
    no headquarters is configured."""
    url = text.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return _(NOT_AN_ADDRESS)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or any(ch.isspace() for ch in url):
        return _(NOT_AN_ADDRESS)
    if scheme == "http" and host not in LOOPBACK_HOSTS:
        return _(NEEDS_HTTPS)
    return None


class SettingsDialog(QDialog):
    """Edit the settings; OK saves each to its home and applies it at once."""

    sig_idle_minutes_changed = Signal(int)  # emitted on OK with the chosen minutes

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._hq_loaded: str | None = None  # the vault's value once read; None until then
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(480)

        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, MAX_MINUTES)
        self.idle_minutes.setValue(clamp_minutes(ctx.settings.value(IDLE_SETTING, DEFAULT_MINUTES)))
        self.hq_url = QLineEdit()
        self.hq_url.setPlaceholderText("https://hq.example.org")
        self.hq_url.setEnabled(False)  # until the vault's value arrives
        self.hq_problem = QLabel()
        self.hq_problem.setStyleSheet(PROBLEM_STYLE)
        self.hq_problem.setWordWrap(True)
        self.hq_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.hq_problem.hide()
        self.marking = QLineEdit(str(ctx.settings.value(MARKING_SETTING, DEFAULT_MARKING)))
        self.author = QLineEdit(str(ctx.settings.value(AUTHOR_SETTING, "")))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._build()

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hq_url.textEdited.connect(lambda _text: self._show_hq_problem(None))
        ctx.sig_locked.connect(self.reject)  # never left open over the lock screen
        ctx.call(
            lambda v: v.get_setting(HQ_SETTING),
            self._on_hq_loaded,
            self._on_hq_load_failed,
            receiver=self,
        )

    def _build(self) -> None:
        interface = QGroupBox(_("Interface"))
        interface_form = QFormLayout(interface)
        self._add_row(interface_form, _("Language"), self.language)
        self._add_row(interface_form, _("Lock after this many idle minutes"), self.idle_minutes)
        headquarters = QGroupBox(_("Headquarters"))
        hq_form = QFormLayout(headquarters)
        self._add_row(hq_form, _("Headquarters address"), self.hq_url)
        hq_form.addRow("", self.hq_problem)
        note = QLabel(_("Kept inside the encrypted vault, with the data it belongs to."))
        note.setWordWrap(True)
        hq_form.addRow("", note)
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
        layout = QVBoxLayout(self)
        for group in (interface, headquarters, reports):
            layout.addWidget(group)
        layout.addWidget(self.buttons)

    @staticmethod
    def _add_row(form: QFormLayout, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label)
        form.addRow(label, widget)

    # --- the headquarters address, from and to the vault ---------------------------------

    def _on_hq_loaded(self, value: str | None) -> None:
        self._hq_loaded = value or ""
        if not self.hq_url.isModified():
            self.hq_url.setText(self._hq_loaded)
        self.hq_url.setEnabled(True)

    def _on_hq_load_failed(self, _error: BaseException) -> None:
        # Locked (or closing): the address stays untouched; the other settings still work.
        self.hq_url.setEnabled(False)
        self._show_hq_problem(_(HQ_UNAVAILABLE))

    def _show_hq_problem(self, message: str | None) -> None:
        self.hq_problem.setText(message or "")
        self.hq_problem.setVisible(bool(message))
        self.hq_url.setAccessibleDescription(message or "")

    # --- OK ------------------------------------------------------------------------------

    def accept(self) -> None:
        url = self.hq_url.text().strip()
        if self._hq_loaded is not None:
            problem = hq_url_problem(url)
            if problem is not None:
                self._show_hq_problem(problem)
                self.hq_url.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        language = str(self.language.currentData())
        minutes = self.idle_minutes.value()
        settings = self._ctx.settings
        settings.setValue(LANGUAGE_SETTING, language)
        settings.setValue(IDLE_SETTING, minutes)
        settings.setValue(MARKING_SETTING, self.marking.text().strip() or DEFAULT_MARKING)
        settings.setValue(AUTHOR_SETTING, self.author.text().strip())
        settings.sync()
        if self._hq_loaded is not None and url != self._hq_loaded:
            self._ctx.call(lambda v: v.set_setting(HQ_SETTING, url))
        self.sig_idle_minutes_changed.emit(minutes)
        changed_language = language != current_language()
        super().accept()
        if changed_language:
            set_language(language)
            self._ctx.sig_language_changed.emit()
