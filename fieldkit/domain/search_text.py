"""What search sees of a record: its title and the text of its searchable fields.

Choice values are indexed by their labels in both languages, so `reinstalacion` finds a case
whose remedy is Reinstatement even when nobody typed the word.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
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
    return record.title, " · ".join(text for text in _texts(record) if text.strip())


def _texts(obj: Model) -> Iterator[str]:
    for spec in obj.specs():
        value: Any = getattr(obj, spec.name)
        if spec.type in _TEXT_TYPES and spec.searchable:
            yield from (value,) if isinstance(value, str) else value
        elif spec.type in _CHOICE_TYPES and value:
            for member in value if isinstance(value, tuple) else (value,):
                yield from _labels(member)
        elif spec.type is FieldType.ITEMS and spec.searchable:
            for item in value:
                yield from _texts(item)


@functools.cache
def _labels(member: StrEnum) -> tuple[str, ...]:
    msgid = LABELS.get(member)
    if msgid is None:
        return ()
    return tuple(dict.fromkeys(translate_in(language, msgid) for language in LANGUAGES))


def without_marks(text: str) -> str:
    """A search hit's text with its match marks taken out."""
    return text.replace(MATCH_START, "").replace(MATCH_END, "")
