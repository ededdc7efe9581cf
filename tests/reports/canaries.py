"""Canaries: a unique string in every text field of an interview or a tip (found from the
field specs, so a field added later is covered too), and a date no other record has. A
shareable report must show none of them anywhere a reader could look."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from fieldkit.domain.choices import Consent, PersonRole
from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import Interview, Record, Tip
from fieldkit.domain.values import FollowUp
from fieldkit.i18n import Translator

HELD_ON = dt.date(2026, 2, 17)  # the interviews' date: on no visit, case, grant or period edge
DUE = dt.date(2026, 2, 19)  # their follow-ups' due date
SUMMARY = "QzSummaryWrittenForSharing"  # may appear in a shareable report, when quotable
_TEXT = (FieldType.TEXT, FieldType.LONGTEXT)


def _canary(tag: str, name: str) -> str:
    return "Qz" + tag + "".join(part.title() for part in name.split("_")) + "7"


def _text_fields(cls: type[Record], tag: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in cls.specs():
        if spec.type in _TEXT:
            values[spec.name] = _canary(tag, spec.name)
        elif spec.type is FieldType.STRINGS:
            values[spec.name] = (_canary(tag, spec.name),)
    return values


def interview(tag: str, consent: Consent, role: PersonRole, **refs: Any) -> Interview:
    """An interview with a canary in every text field and follow-up; with consent given, its
    summary for sharing is `SUMMARY` + tag (meant to be printed), otherwise a canary."""
    values = _text_fields(Interview, tag)
    if consent is Consent.GIVEN:
        values["sharing_summary"] = SUMMARY + tag
    follow_up = FollowUp(action=_canary(tag, "action"), owner=_canary(tag, "owner"), due=DUE)
    return Interview(
        held_on=HELD_ON, consent=consent, role=role, follow_ups=(follow_up,), **values, **refs
    )


def tip(tag: str, **refs: Any) -> Tip:
    return Tip(received_on=HELD_ON, **_text_fields(Tip, tag), **refs)


def canaries(records: Iterable[Interview | Tip]) -> dict[str, str]:
    """What must not be found, by where it came from: every text value, the ids, the dates
    in both languages."""
    found: dict[str, str] = {}
    for record in records:
        for spec in record.specs():
            value = getattr(record, spec.name)
            if spec.type in _TEXT and value and not value.startswith(SUMMARY):
                found[f"{record.KIND}.{spec.name} {value}"] = value
            elif spec.type is FieldType.STRINGS:
                found.update({f"{record.KIND}.{spec.name} {v}": v for v in value})
        for item in getattr(record, "follow_ups", ()):
            found[f"{record.KIND}.follow_ups {item.action}"] = item.action
            found[f"{record.KIND}.follow_ups {item.owner}"] = item.owner
        found[f"{record.KIND}.id {record.id}"] = record.id
    for language in ("en_US", "es_MX"):
        t = Translator(language)
        found[f"date {language}"] = t.date(HELD_ON)
        found[f"due {language}"] = t.date(DUE)
    return found


def squash(text: str) -> str:
    """Without whitespace: text extraction may break a line inside a value."""
    return re.sub(r"\s+", "", text)


def leaks(readable: str, watched: dict[str, str]) -> list[str]:
    """The names of the watched values found in `readable`."""
    flat = squash(readable)
    return sorted(name for name, value in watched.items() if squash(value) in flat)
