"""Qt's locale for the interface language: month and day names in calendars, date edits."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from fieldkit.i18n import SPANISH, current_language


def ui_locale() -> QLocale:
    """es_MX in the Spanish interface, en_US in the English one (not the system's locale)."""
    if current_language() == SPANISH:
        return QLocale("es_MX")
    return QLocale("en_US")
