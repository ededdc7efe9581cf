"""Records to table rows and back. Lists and value objects are stored as JSON text."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

from fieldkit.domain.codec import from_plain, to_plain
from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import Record

R = TypeVar("R", bound=Record)

_JSON_TYPES = {FieldType.CHOICES, FieldType.REFS, FieldType.STRINGS, FieldType.ITEMS}
# List columns, compact: one encoder, not one per call.
_column_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_row(record: Record, plain: dict[str, Any] | None = None) -> dict[str, Any]:
    """The table row of `record`; pass its `to_plain` values if already computed."""
    plain = to_plain(record) if plain is None else plain
    row: dict[str, Any] = {
        "id": record.id,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "author_device": record.author_device,
        "deleted": int(record.deleted),
    }
    for spec in record.specs():
        row[spec.name] = column_value(spec.type, plain[spec.name])
    return row


def column_value(field_type: FieldType, plain: Any) -> Any:
    """A plain field value as stored in its column."""
    convert = column_converter(field_type)
    return plain if convert is None else convert(plain)


@functools.cache
def column_converter(field_type: FieldType) -> Callable[[Any], Any] | None:
    """`column_value` for one field type, to decide once per field (None: the plain value is
    the column value)."""
    if field_type in _JSON_TYPES:
        return lambda plain: _column_json(plain) if plain else "[]"
    if field_type is FieldType.BOOL:
        return lambda plain: int(bool(plain))
    return None


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    plain: dict[str, Any] = {}
    for spec in cls.specs():
        value = row.get(spec.name)
        if spec.type in _JSON_TYPES:
            value = json.loads(value) if value else []
        elif spec.type is FieldType.BOOL:
            value = bool(value)
        plain[spec.name] = value
    values, problems = from_plain(cls, plain)
    if problems:  # stored data always parses; anything else is a bug worth a loud failure
        raise ValueError(
            f"{cls.KIND} {row.get('id')}: unreadable fields {[p.path for p in problems]}"
        )
    return cls(
        id=row["id"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        author_device=row["author_device"],
        deleted=bool(row["deleted"]),
        **values,
    )
