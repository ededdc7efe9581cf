"""Field specifications: each record field is declared once, with its type, label and rules,
and everything else (storage columns, import, export, validation, search) reads the spec.
"""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, ClassVar

from fieldkit.i18n import N_


class FieldType(Enum):
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # notes, findings: many lines
    DATE = "date"
    MONEY = "money"  # Decimal USD, two places
    NUMBER = "number"  # Decimal, any scale (indicator values)
    INTEGER = "integer"
    BOOL = "bool"
    CHOICE = "choice"
    CHOICES = "choices"
    REF = "ref"  # id of another record
    REFS = "refs"
    STRINGS = "strings"
    ITEMS = "items"  # a list of small value objects (follow-ups, remedies, disbursements)


TEXT_MAX = 500
LONGTEXT_MAX = 200_000
LIST_MAX = 500


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    label: str  # untranslated msgid
    required: bool = False
    choice: builtins.type[StrEnum] | None = None
    target: str | None = None  # record kind a REF/REFS points at
    item: builtins.type[Model] | None = None
    searchable: bool = False
    identifying: bool = False  # could identify an interviewee: dropped from shareable output
    max_length: int = TEXT_MAX
    default: Any = None


_SPEC_CACHE: dict[type, tuple[FieldSpec, ...]] = {}


class Model:
    """A dataclass whose fields carry a FieldSpec (records and their value objects)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @classmethod
    def specs(cls) -> tuple[FieldSpec, ...]:
        cached = _SPEC_CACHE.get(cls)
        if cached is None:
            cached = tuple(
                FieldSpec(name=f.name, **f.metadata["spec"])
                for f in dataclasses.fields(cls)
                if "spec" in f.metadata
            )
            _SPEC_CACHE[cls] = cached
        return cached

    @classmethod
    def spec(cls, name: str) -> FieldSpec:
        for candidate in cls.specs():
            if candidate.name == name:
                return candidate
        raise KeyError(name)


def _declare(default: Any, spec_kwargs: dict[str, Any], *, factory: Any = None) -> Any:
    if factory is not None:
        return field(default_factory=factory, metadata={"spec": {**spec_kwargs, "default": ()}})
    return field(default=default, metadata={"spec": {**spec_kwargs, "default": default}})


def text(
    label: str,
    *,
    required: bool = False,
    search: bool = True,
    identifying: bool = False,
    max_length: int = TEXT_MAX,
) -> Any:
    return _declare(
        "",
        {
            "type": FieldType.TEXT,
            "label": label,
            "required": required,
            "searchable": search,
            "identifying": identifying,
            "max_length": max_length,
        },
    )


def longtext(label: str, *, search: bool = True, identifying: bool = False) -> Any:
    return _declare(
        "",
        {
            "type": FieldType.LONGTEXT,
            "label": label,
            "searchable": search,
            "identifying": identifying,
            "max_length": LONGTEXT_MAX,
        },
    )


def date(label: str, *, required: bool = False) -> Any:
    return _declare(None, {"type": FieldType.DATE, "label": label, "required": required})


def money(label: str, *, required: bool = False) -> Any:
    return _declare(None, {"type": FieldType.MONEY, "label": label, "required": required})


def number(label: str) -> Any:
    return _declare(None, {"type": FieldType.NUMBER, "label": label})


def integer(label: str, default: int = 0) -> Any:
    return _declare(default, {"type": FieldType.INTEGER, "label": label})


def flag(label: str) -> Any:
    return _declare(False, {"type": FieldType.BOOL, "label": label})


def choice(label: str, enum: type[StrEnum], default: StrEnum | None) -> Any:
    return _declare(default, {"type": FieldType.CHOICE, "label": label, "choice": enum})


def choices(label: str, enum: type[StrEnum]) -> Any:
    return _declare(
        None, {"type": FieldType.CHOICES, "label": label, "choice": enum}, factory=tuple
    )


def ref(label: str, target: str, *, required: bool = False) -> Any:
    return _declare(
        None, {"type": FieldType.REF, "label": label, "target": target, "required": required}
    )


def refs(label: str, target: str) -> Any:
    return _declare(None, {"type": FieldType.REFS, "label": label, "target": target}, factory=tuple)


def strings(label: str, *, search: bool = True) -> Any:
    return _declare(
        None,
        {"type": FieldType.STRINGS, "label": label, "searchable": search},
        factory=tuple,
    )


def items(label: str, item: type[Model], *, search: bool = True) -> Any:
    return _declare(
        None,
        {"type": FieldType.ITEMS, "label": label, "item": item, "searchable": search},
        factory=tuple,
    )


REQUIRED_MSG = N_("{field} is required.")
