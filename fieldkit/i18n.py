"""Translations for every layer (gettext catalogs read with Babel) and locale formatting.

Mark strings with `_()` where they are shown and with `N_()` where they are defined earlier
than they are shown (error classes, field labels); translate those with `_()` at display time.
Use `_("Synced {count} records").format(count=n)`, never an f-string inside `_()`.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from fieldkit.paths import resource_dir

DOMAIN = "fieldkit"
ENGLISH = "en_US"
SPANISH = "es_MX"
LANGUAGES: tuple[str, ...] = (ENGLISH, SPANISH)
LANG_ENV = "FIELDKIT_LANG"

_active_language = ENGLISH


class Lazy(str):
    """A msgid to translate only when shown (an error names a record kind by its label)."""

    __slots__ = ()


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet."""
    return message


def _(message: str) -> str:
    """Translate `message` into the active language."""
    return _catalog(_active_language).gettext(message)


def set_language(code: str) -> None:
    """Switch the active language: `en`/`en_US` or `es`/`es_MX` (anything else is English)."""
    global _active_language  # noqa: PLW0603 - one process-wide language, by design
    _active_language = normalize_language(code)


def current_language() -> str:
    return _active_language


def normalize_language(code: str | None) -> str:
    if code and code.replace("-", "_").lower().startswith("es"):
        return SPANISH
    return ENGLISH


def language_from_environment(fallback: str = ENGLISH) -> str:
    """FIELDKIT_LANG, else the locale variables (GNU LANGUAGE's first choice, LC_ALL,
    LC_MESSAGES, LANG), else `fallback` (the desktop passes the system's own language)."""
    for var in (LANG_ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0]
        if value:
            return normalize_language(value)
    return normalize_language(fallback)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    """Compile the language's .po catalog in memory (no .mo step at build or install)."""
    po_path = resource_dir() / "i18n" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def format_date(value: dt.date | None) -> str:
    """A date in the active locale's medium form ("Mar 4, 2026" / "4 mar 2026")."""
    return Translator(_active_language).date(value)


def format_timestamp(value: dt.datetime) -> str:
    """A moment in the computer's time zone, in the active locale ("Nov 21, 2026, 2:02:05 PM")."""
    return Translator(_active_language).datetime(value.astimezone())


def format_number(value: int | float | Decimal) -> str:
    return Translator(_active_language).number(value)


def format_usd(value: Decimal | int) -> str:
    """U.S. dollars in the active locale (USD amounts are always USD, even in Spanish)."""
    return Translator(_active_language).usd(value)


def translate_in(language: str, message: str) -> str:
    """Translate `message` into a given language, whatever the active one is."""
    return _catalog(normalize_language(language)).gettext(message)


class Translator:
    """Translation and formatting in one fixed language, whatever the interface uses (a PDF
    report in Spanish from an English session). Thread-safe: it holds no global state."""

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language)
        self._catalog = _catalog(self.language)
        self._locale = Locale.parse(self.language)

    def __call__(self, message: str) -> str:
        return self._catalog.gettext(message)

    def date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        return str(_babel_format_date(value, format="medium", locale=self._locale))

    def datetime(self, value: dt.datetime) -> str:
        return str(format_datetime(value, format="medium", locale=self._locale))

    def number(self, value: int | float | Decimal) -> str:
        return str(format_decimal(value, locale=self._locale))

    def usd(self, value: Decimal | int) -> str:
        return str(format_currency(value, "USD", locale=self._locale))
