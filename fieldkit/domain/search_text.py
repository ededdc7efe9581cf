"""What search sees of a record: its title and the text of its searchable fields.

Choice values are indexed by their labels in both languages, so `reinstalacion` finds a case
whose remedy is Reinstatement even when nobody typed the word.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Any

from fieldkit.domain.choices import LABELS
from fieldkit.domain.fields import FieldType, Model
from fieldkit.domain.records import Record
from fieldkit.i18n import LANGUAGES, translate_in

# Around each match in a search hit's title and snippet: characters no record text holds, so
# the window can show matches highlighted and nothing else is mistaken for one.
MATCH_START = "\x02"
MATCH_END = "\x03"

_TEXT_TYPES = {FieldType.TEXT, FieldType.LONGTEXT, FieldType.STRINGS}
_CHOICE_TYPES = {FieldType.CHOICE, FieldType.CHOICES}


def search_text(record: Record) -> tuple[str, str]:
    """(title, body) for the full-text index."""
    texts: list[str] = []
    _gather(record, texts)
    return record.title, " · ".join(text for text in texts if text.strip())


_TEXT, _CHOICE, _ITEMS = 0, 1, 2


def _gather(obj: Model, texts: list[str]) -> None:
    """The searchable texts of `obj`, in field order: its texts, its choices' labels, and
    those of its value lists."""
    for name, how in _plan(type(obj)):
        value: Any = getattr(obj, name)
        if how == _TEXT:
            if isinstance(value, str):
                texts.append(value)
            else:
                texts.extend(value)
        elif how == _CHOICE:
            if value:
                for member in value if isinstance(value, tuple) else (value,):
                    texts.extend(_labels(member))
        else:
            for item in value:
                _gather(item, texts)


_PLANS: dict[type[Model], tuple[tuple[str, int], ...]] = {}


def _plan(cls: type[Model]) -> tuple[tuple[str, int], ...]:
    """The fields of `cls` search reads, and how: decided once per class."""
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS[cls] = _new_plan(cls)
    return found


def _new_plan(cls: type[Model]) -> tuple[tuple[str, int], ...]:
    plan: list[tuple[str, int]] = []
    for spec in cls.specs():
        if spec.type in _TEXT_TYPES and spec.searchable:
            plan.append((spec.name, _TEXT))
        elif spec.type in _CHOICE_TYPES:
            plan.append((spec.name, _CHOICE))
        elif spec.type is FieldType.ITEMS and spec.searchable:
            plan.append((spec.name, _ITEMS))
    return tuple(plan)


@functools.cache
def _labels(member: StrEnum) -> tuple[str, ...]:
    msgid = LABELS.get(member)
    if msgid is None:
        return ()
    return tuple(dict.fromkeys(translate_in(language, msgid) for language in LANGUAGES))


def without_marks(text: str) -> str:
    """A search hit's text with its match marks taken out."""
    return text.replace(MATCH_START, "").replace(MATCH_END, "")
