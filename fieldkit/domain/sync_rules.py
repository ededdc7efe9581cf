"""What may travel in sync, decided once for the device and for headquarters: which fields a
change may name, whether its value parses, which fields are long text (concurrent edits kept
as conflicts) and which kinds stay private to their author until shared.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from fieldkit.domain.codec import from_plain, parse_value, to_plain
from fieldkit.domain.fields import REQUIRED_MSG as REQUIRED
from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import KINDS
from fieldkit.domain.validation import has_rules_between_fields, rule_reads, validate

# Journaled alongside the declared fields: when the record was made, and its tombstone.
CREATED_AT = "created_at"
DELETED = "deleted"
SHARED = "shared"
PRIVATE_KINDS = frozenset({"interview"})
ATTACHMENT = "attachment"
MAX_VALUE_CHARS = 1 << 20
_JUDGED = "00000000-0000-7000-8000-000000000000"  # the id of a record built only to be judged


_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(**options) makes one a call


@dataclass(frozen=True)
class Refusal:
    code: str  # one of protocol.RejectCode
    message: str


def check_change(kind: str, field: str, value: Any) -> Refusal | None:
    """Why a change cannot be stored, or None when it can."""
    if kind not in KINDS:
        return Refusal("unknown_kind", f"no record kind {kind!r}")
    if _too_large(value):
        return Refusal("value_too_large", f"{field} is larger than {MAX_VALUE_CHARS} characters")
    if field == DELETED:
        return None if isinstance(value, bool) else Refusal("invalid_value", "deleted: not bool")
    if field == CREATED_AT:
        return None if _is_timestamp(value) else Refusal("invalid_value", "created_at: bad time")
    spec = _specs(kind).get(field)
    if spec is None:
        return Refusal("unknown_field", f"{kind} has no field {field!r}")
    _, problems = parse_value(spec, value)
    if problems:
        return Refusal("invalid_value", f"{field}: {problems[0].message}")
    if isinstance(value, str) and len(value) > spec.max_length:
        return Refusal("value_too_large", f"{field} is longer than {spec.max_length} characters")
    return None


def check_fields(kind: str, plain: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Refusal]]:
    """One record's changed fields (name -> plain value) checked at once: the parsed values
    of the declared fields that may be stored, and a refusal for each field that may not.
    `created_at` and `deleted` are checked but not parsed (they are not declared fields).
    The same rules as `check_change`, with the domain parser run once per record."""
    if kind not in KINDS:
        return {}, {field: Refusal("unknown_kind", f"no record kind {kind!r}") for field in plain}
    refused: dict[str, Refusal] = {}
    declared: dict[str, Any] = {}
    limits = _text_limits(kind)
    for field, value in plain.items():
        limit = limits.get(field)
        if limit is None:  # not a declared field, or `created_at` / `deleted`
            refusal = check_change(kind, field, value)
            if refusal is not None:
                refused[field] = refusal
        elif len(value) > limit if type(value) is str else _too_large(value):
            refused[field] = Refusal("value_too_large", f"{field} is too long")
        else:
            declared[field] = value
    values, problems = from_plain(KINDS[kind], declared)
    for problem in problems:
        field = problem.path.split(".")[0].split("[")[0]
        refused.setdefault(field, Refusal("invalid_value", f"{field}: {problem.message}"))
        values.pop(field, None)
    return values, refused


def is_long_text(kind: str, field: str) -> bool:
    spec = _specs(kind).get(field) if kind in KINDS else None
    return spec is not None and spec.type is FieldType.LONGTEXT


@functools.cache
def _specs(kind: str) -> dict[str, Any]:
    return {spec.name: spec for spec in KINDS[kind].specs()}


@functools.cache
def _text_limits(kind: str) -> dict[str, int]:
    """The most characters text may hold in each declared field of `kind` (its own limit,
    within MAX_VALUE_CHARS), by name; `created_at` and `deleted` are not among them."""
    return {
        name: min(spec.max_length, MAX_VALUE_CHARS)
        for name, spec in _specs(kind).items()
        if name not in (DELETED, CREATED_AT)
    }


def _too_large(value: Any) -> bool:
    """Whether the value as JSON is over MAX_VALUE_CHARS characters. Strings, the common case,
    are not encoded; nor is a list of strings that cannot reach the limit (escaping writes at
    most 6 characters for one, plus quotes and commas)."""
    if isinstance(value, str):
        return len(value) > MAX_VALUE_CHARS
    if isinstance(value, int):  # digits, without writing them out
        return value.bit_length() * math.log10(2) > MAX_VALUE_CHARS
    if not isinstance(value, list | dict):  # None, a float
        return False
    strings = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if strings and 6 * sum(len(v) for v in value) + 3 * len(value) + 2 <= MAX_VALUE_CHARS:
        return False
    return len(_JSON.encode(value)) > MAX_VALUE_CHARS


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_default(kind: str, field: str, value: Any) -> bool:
    """Whether `value` is what a new record of `kind` holds in `field` (a declared field, or
    its tombstone): a record pulled without the field has exactly that, so HQ need not
    store it."""
    return holds_default(defaults_of(kind), field, value)


def holds_default(defaults: Mapping[str, Any], field: str, value: Any) -> bool:
    """`is_default` with the kind's `defaults_of` already looked up (many fields at once)."""
    if field not in defaults:
        return False
    default = defaults[field]
    return type(value) is type(default) and value == default


@functools.cache
def defaults_of(kind: str) -> Mapping[str, Any]:
    """What a new record of `kind` holds in each declared field and its tombstone, as plain
    values (for `holds_default`); empty for an unknown kind."""
    if kind not in KINDS:
        return MappingProxyType({})
    return MappingProxyType({**to_plain(KINDS[kind]()), DELETED: False})


def creation_refusal(kind: str, values: dict[str, Any], *, named: set[str]) -> Refusal | None:
    """Why a record of `kind` made with these parsed values (the rest at their defaults)
    could not have been saved by FieldKit: a required field among `named` left empty, or a
    rule between fields (dates in order, consent first, a case's lifecycle...) broken by
    fields all among `named` (domain/validation.py, the rules a save keeps). None when it
    could."""
    if kind not in KINDS:
        return None
    record = KINDS[kind](**{"id": _JUDGED, **values})  # an id of its own: no new id made
    for problem in validate(record):
        if problem.msgid == REQUIRED and problem.path in named:
            return Refusal("invalid_value", f"{problem.path}: required when a record is created")
        reads = rule_reads(kind, problem)
        if reads is not None and reads <= named:
            return Refusal("invalid_value", f"{problem.path}: {problem.message}")
    return None


def may_be_refused_at_creation(kind: str, plain: dict[str, Any]) -> bool:
    """Whether creation_refusal could refuse a record created with `plain` (field -> value):
    it sets a required field to nothing, or its kind has rules between fields. The cheap
    test before it."""
    if has_rules_between_fields(kind):
        return True
    return any(
        name in plain
        and (plain[name] is None or (isinstance(plain[name], str) and not plain[name].strip()))
        for name in _required(kind)
    )


@functools.cache
def _required(kind: str) -> tuple[str, ...]:
    if kind not in KINDS:
        return ()
    return tuple(spec.name for spec in KINDS[kind].specs() if spec.required)
