"""Every string a person reads exists in English and Mexican Spanish."""

from __future__ import annotations

import datetime as dt
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fieldkit.i18n import SPANISH, _, format_date, format_usd, set_language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))
import i18n as extraction  # noqa: E402

PLACEHOLDER = re.compile(r"\{\w*\}")


@pytest.fixture(scope="module")
def spanish() -> dict[str, str]:
    with (ROOT / "resources/i18n/es_MX/LC_MESSAGES/fieldkit.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="es_MX") if m.id}


def test_every_source_string_has_a_spanish_translation(spanish: dict[str, str]) -> None:
    source = {m.id for m in extraction.extract() if m.id}
    missing = sorted(m for m in source if not spanish.get(m))
    assert missing == [], "run build/i18n.py and translate: " + "; ".join(missing[:5])


def test_placeholders_survive_translation(spanish: dict[str, str]) -> None:
    for msgid, msgstr in spanish.items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


def test_no_inspection_vocabulary(spanish: dict[str, str]) -> None:
    # Attachés are not labor inspectors (domain.md): the product never speaks of inspections.
    for text in [*spanish, *spanish.values()]:
        assert "inspec" not in text.lower(), text


def test_switching_language_at_run_time() -> None:
    message = "The vault is locked. Unlock it and try again."
    assert _(message) == message
    set_language("es")
    assert _(message) != message and "bóveda" in _(message)


def test_locale_formats() -> None:
    day = dt.date(2026, 3, 4)
    assert format_usd(Decimal("1250000.5")) == "$1,250,000.50"
    assert format_date(day) == "Mar 4, 2026"
    set_language(SPANISH)
    assert "1,250,000.50" in format_usd(Decimal("1250000.5"))
    assert format_date(day) == "4 mar 2026"
