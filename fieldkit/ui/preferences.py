"""The desktop app's preferences: each one's key, type and default declared once.

QSettings hands back whatever the platform store held (a string from an .ini file, an int from
the registry, None when unset), so every read goes through the option's own parser and a bad or
missing value reads as the default. Only UI preferences live here: data configuration travels
inside the encrypted vault and secrets go to the OS keyring or nowhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

from fieldkit.i18n import normalize_language
from fieldkit.services.reports import DEFAULT_MARKING
from fieldkit.ui.idle import DEFAULT_MINUTES, clamp_minutes

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One preference: where it is kept, what it is when unset, how a stored value reads."""

    key: str
    default: T
    parse: Callable[[object], T]

    def read(self, stored: object) -> T:
        if stored is None:
            return self.default
        try:
            return self.parse(stored)
        except (TypeError, ValueError):
            return self.default


def _language(stored: object) -> str:
    """A chosen interface language, or "" when none was chosen (follow the system's)."""
    text = str(stored).strip()
    return normalize_language(text) if text else ""


def _text(stored: object) -> str:
    return str(stored).strip()


def _marking(stored: object) -> str:
    return _text(stored) or DEFAULT_MARKING


def _rect(stored: object) -> tuple[int, int, int, int] | None:
    """A window's place and size as "x,y,width,height", or None when unset or unreadable."""
    parts = [int(part) for part in str(stored).split(",")]
    if len(parts) != 4 or parts[2] <= 0 or parts[3] <= 0:
        return None
    return parts[0], parts[1], parts[2], parts[3]


def _flag(stored: object) -> bool:
    if isinstance(stored, bool):
        return stored
    return str(stored).strip().lower() in ("1", "true", "yes")


LANGUAGE = Option("ui/language", "", _language)  # "" until chosen: the system's language
IDLE_MINUTES = Option("lock/idle_minutes", DEFAULT_MINUTES, clamp_minutes)
REPORT_MARKING = Option("reports/marking", DEFAULT_MARKING, _marking)
REPORT_AUTHOR = Option("reports/author", "", _text)
REPORT_LANGUAGE = Option("reports/language", "", _language)  # "" until chosen: the interface's
WINDOW_RECT: Option[tuple[int, int, int, int] | None] = Option("window/rect", None, _rect)
WINDOW_MAXIMIZED = Option("window/maximized", False, _flag)


class Preferences:
    """Typed reads and writes over one QSettings store."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def get(self, option: Option[T]) -> T:
        return option.read(self._settings.value(option.key))

    def set(self, option: Option[T], value: T) -> None:
        if isinstance(value, tuple):  # stored as text, read back by the option's parser
            self._settings.setValue(option.key, ",".join(str(part) for part in value))
        else:
            self._settings.setValue(option.key, value)

    def save(self) -> None:
        """Write pending changes to the platform store now (not only at exit)."""
        self._settings.sync()
