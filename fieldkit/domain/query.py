"""What a list of records asks for, in the domain's words: which records (filters on named
fields), in what order (sorts), deleted ones or not.

The store turns these into SQL from the field specs; nothing above store/ writes SQL. The
order is defined here once, for the database and for records sorted in memory alike: text
ignores case, choices go in their declared order (draft before final, low before high risk),
money by amount, empty values first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.records import SYSTEM_FIELDS, Record

R = TypeVar("R", bound=Record)

Value = str | int | bool | dt.date | Enum


@dataclass(frozen=True)
class Sort:
    """Order by one field (a record field or a system field such as `updated_at`)."""

    field: str
    descending: bool = False


# The order lists take unless told otherwise: the most recently changed first.
NEWEST_FIRST: tuple[Sort, ...] = (Sort("updated_at", descending=True),)
# No order at all: for callers that sort for themselves (and let the store pick its index).
ANY_ORDER: tuple[Sort, ...] = ()


@dataclass(frozen=True)
class Equals:
    """Records whose `field` holds `value`: by reference (`visit_id`), by kind of the record
    an attachment belongs to (`record_kind`), or any other single value."""

    field: str
    value: Value


@dataclass(frozen=True)
class InDateRange:
    """Records whose date `field` lies from `start` to `end`, both included (None: open)."""

    field: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class HasItem:
    """Records whose list `field` (follow-ups, deadlines...) holds at least one item whose
    `item_field` is `value`."""

    field: str
    item_field: str
    value: Value


Filter = Equals | InDateRange | HasItem


def is_system_field(name: str) -> bool:
    return name in SYSTEM_FIELDS


def sort_key(spec: FieldSpec, value: Any) -> tuple[int, Any]:
    """A Python sort key matching the store's order for `spec`'s field."""
    if value is None or value == "":
        return (0, "")
    if spec.type is FieldType.CHOICE and spec.choice is not None:
        return (1, list(spec.choice).index(value))
    if isinstance(value, str):
        return (1, value.casefold())
    return (1, value)


def sorted_by(records: Sequence[R], sort: Sort) -> list[R]:
    """`records` in the order the store gives for `sort` (ties keep their given order)."""
    if not records:
        return []
    cls = type(records[0])
    if is_system_field(sort.field):
        return sorted(records, key=lambda r: getattr(r, sort.field), reverse=sort.descending)
    spec = cls.spec(sort.field)
    return sorted(
        records,
        key=lambda r: sort_key(spec, getattr(r, spec.name)),
        reverse=sort.descending,
    )
