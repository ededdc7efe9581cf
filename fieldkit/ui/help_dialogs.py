"""Help: a short guide, every keyboard shortcut (F1) and About (version, where the data is,
licence). Each opens without blocking and works on the lock screen too."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from fieldkit import __version__
from fieldkit.i18n import N_, _
from fieldkit.paths import log_dir

SHORTCUTS = (
    ("Ctrl+N", N_("New record on this page")),
    ("Alt+N / Alt+E / Alt+D", N_("New, Edit, Delete on a list")),
    ("Enter", N_("Open the selected record; in a form or dialog, its main action")),
    ("Ctrl+S", N_("Save the open record")),
    ("Esc", N_("Close the open record (asks first if something is unsaved)")),
    ("Ctrl+K", N_("Search every record")),
    ("Ctrl+Shift+P", N_("Export period summary (PDF)")),
    ("Ctrl+L", N_("Lock FieldKit")),
    ("Ctrl+,", N_("Settings")),
    ("F5", N_("Sync with headquarters now")),
    ("Ctrl+1 … Ctrl+7", N_("Go to Today, Facilities, Visits, Interviews, Cases, Tips, Grants")),
    ("F1", N_("Keyboard shortcuts")),
    ("Ctrl+Q", N_("Quit")),
)

GUIDE = (
    N_(
        "FieldKit keeps your facilities, visits, interviews, cases, tips and grants encrypted "
        "on this laptop. Nothing leaves it except through sync with headquarters."
    ),
    N_(
        "Choose a page on the left (Ctrl+1 to Ctrl+7), then New (Ctrl+N) to add a record. "
        "Fields marked * are required; problems show under the field. Ctrl+S saves; an "
        "interview also saves itself while you write."
    ),
    N_(
        "Record an interview from its visit so it takes the visit's facility. Never put a "
        "worker's real name where a pseudonym is asked for."
    ),
    N_(
        "Lock FieldKit (Ctrl+L) whenever you step away; it also locks by itself after the "
        "idle time set in Settings. Keep the recovery key apart from the laptop."
    ),
    N_(
        "Connect to headquarters from the FieldKit menu with the address, code and "
        "fingerprint headquarters gave you. Sync runs every few minutes and with F5; when two "
        "people changed the same text, the status bar offers to resolve the conflict."
    ),
    N_("Export a visit, case or grant as a PDF from its page, or a period summary (Ctrl+Shift+P)."),
)


def _box(parent: QWidget, title: str, body: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.NoIcon, title, body, QMessageBox.StandardButton.Close, parent
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_shortcuts(parent: QWidget) -> QMessageBox:
    rows = "".join(
        f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(_(what))}</td></tr>"
        for keys, what in SHORTCUTS
    )
    return _box(parent, _("Keyboard shortcuts"), f"<table>{rows}</table>")


def show_guide(parent: QWidget) -> QMessageBox:
    paragraphs = "".join(f"<p>{html.escape(_(text))}</p>" for text in GUIDE)
    return _box(parent, _("FieldKit guide"), paragraphs)


def show_about(parent: QWidget, vault_root: Path) -> QMessageBox:
    lines = (
        _("Version {version}").format(version=__version__),
        _("Vault: {path}").format(path=vault_root),
        _("Logs: {path}").format(path=log_dir()),
        _("Licence: proprietary."),
    )
    body = f"<p><b>FieldKit</b></p><p>{'<br>'.join(html.escape(line) for line in lines)}</p>"
    return _box(parent, _("About FieldKit"), body)
