"""The queries of domain/query.py as SQL, built from the field specs.

Column names come from the record's field specs (or its system fields) and choice values from
our enums: fixed identifiers, checked here, never user text. Every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.query import Equals, Filter, HasItem, InDateRange, Sort, is_system_field
from fieldkit.domain.records import Record
from fieldkit.store.schema import TABLES

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Lists are stored as JSON text: neither a value to compare nor an order to sort by.
_LISTS = {FieldType.CHOICES, FieldType.REFS, FieldType.STRINGS, FieldType.ITEMS}
_PLAIN_ORDER = {FieldType.DATE, FieldType.INTEGER, FieldType.BOOL, FieldType.REF}


def select(
    cls: type[Record],
    *,
    filters: Sequence[Filter],
    sort: Sequence[Sort],
    include_deleted: bool,
    limit: int | None,
    offset: int | None,
) -> tuple[str, list[Any]]:
    """The SELECT of whole rows of `cls`'s table that the query asks for, and its parameters."""
    clauses, params = [] if include_deleted else ["deleted = 0"], []
    for condition in filters:
        sql, values = _condition(cls, condition)
        clauses += sql
        params += values
    query = f"SELECT * FROM [{TABLES[cls.KIND]}]"
    if clauses:
        query += " WHERE " + " AND ".join(clauses)
    if sort:
        query += " ORDER BY " + ", ".join(_order(cls, s) for s in sort)
    if limit is not None or offset is not None:
        query += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset or 0]
    return query, params


def _condition(cls: type[Record], condition: Filter) -> tuple[list[str], list[Any]]:
    if isinstance(condition, Equals):
        name, _spec = _column(cls, condition.field)
        return [f"{name} = ?"], [_param(condition.value)]
    if isinstance(condition, InDateRange):
        name, spec = _column(cls, condition.field)
        if spec is None or spec.type is not FieldType.DATE:
            raise ValueError(f"{cls.KIND}.{name} is not a date")
        bounds = [(">=", condition.start), ("<=", condition.end)]
        present = [(op, day) for op, day in bounds if day is not None]
        return [f"{name} {op} ?" for op, _ in present], [day.isoformat() for _, day in present]
    return _has_item(cls, condition)


def _has_item(cls: type[Record], condition: HasItem) -> tuple[list[str], list[Any]]:
    spec = cls.spec(condition.field)
    item = condition.item_field
    if spec.type is not FieldType.ITEMS or spec.item is None:
        raise ValueError(f"{cls.KIND}.{spec.name} is not a list of items")
    if item not in {s.name for s in spec.item.specs()} or not _IDENTIFIER.match(item):
        raise ValueError(f"{cls.KIND}.{spec.name} items have no field {item!r}")
    sql = f"EXISTS (SELECT 1 FROM json_each({spec.name}) WHERE json_extract(value, '$.{item}') = ?)"
    return [sql], [_param(condition.value)]


def _order(cls: type[Record], sort: Sort) -> str:
    name, spec = _column(cls, sort.field)
    direction = "DESC" if sort.descending else "ASC"
    return f"{_sort_expression(name, spec)} {direction}"


def _sort_expression(name: str, spec: FieldSpec | None) -> str:
    if spec is None or spec.type in _PLAIN_ORDER:
        return name
    if spec.type is FieldType.TEXT:
        return f"{name} COLLATE NOCASE"
    if spec.type in (FieldType.MONEY, FieldType.NUMBER):
        return f"CAST({name} AS REAL)"
    if spec.type is FieldType.CHOICE and spec.choice is not None:
        # In their declared order: draft before final, low before high risk.
        members = list(spec.choice)
        if not all(_IDENTIFIER.match(m.value) for m in members):
            raise ValueError(f"choice values of {name} not usable in SQL")
        cases = " ".join(f"WHEN '{m.value}' THEN {i}" for i, m in enumerate(members))
        return f"CASE {name} {cases} END"
    raise ValueError(f"cannot sort by {name} ({spec.type.value})")


def _column(cls: type[Record], name: str) -> tuple[str, FieldSpec | None]:
    """The column of field `name` and its spec (None for a system field)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a field name: {name!r}")
    if is_system_field(name):
        return name, None
    spec = cls.spec(name)
    if spec.type in _LISTS:
        raise ValueError(f"{cls.KIND}.{name} is a list")
    return name, spec


def _param(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
