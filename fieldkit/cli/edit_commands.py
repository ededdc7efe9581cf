"""`fieldkit set`: change fields of a saved record from a script, validated as in the app."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import NoReturn

from fieldkit.cli.common import Command, emit, unlocked
from fieldkit.domain.choice_lookup import with_choice_codes
from fieldkit.domain.codec import from_plain, to_plain
from fieldkit.domain.fields import FieldType
from fieldkit.domain.records import KINDS
from fieldkit.errors import ValidationFailed
from fieldkit.i18n import _
from fieldkit.services.records import kind_class

UsageError = Callable[[str], NoReturn]  # the subcommand parser's error(): prints, exits 2
LIST_TYPES = frozenset({FieldType.CHOICES, FieldType.REFS, FieldType.STRINGS, FieldType.ITEMS})


def register(command: Command) -> None:
    edit = command(
        "set",
        cmd_set,
        _("change fields of one record: FIELD=VALUE (lists as JSON; FIELD= clears)"),
    )
    edit.add_argument("kind", choices=list(KINDS))
    edit.add_argument("id")
    edit.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    edit.set_defaults(usage_error=edit.error)  # a malformed pair is a usage error (exit 2)


def cmd_set(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    types = {spec.name: spec.type for spec in cls.specs()}
    typed = field_values(args.usage_error, types, args.assignments)
    values, problems = with_choice_codes(cls, typed)  # a choice by code or by either label
    if problems:  # name every wrong field at once, not only the choices
        wrong = {problem.field for problem in problems}
        _parsed, others = from_plain(cls, {k: v for k, v in values.items() if k not in wrong})
        raise ValidationFailed(problems + others)
    with unlocked(args) as vault:
        record = vault.records.update_from(args.kind, args.id, values)
    data = {"id": record.id, **to_plain(record)}
    changed = _("Saved {kind} {record_id}: {fields}.").format(
        kind=_(cls.LABEL), record_id=record.id, fields=", ".join(values)
    )
    emit(args, data, [changed])
    return 0


def field_values(
    usage_error: UsageError, types: dict[str, FieldType], assignments: list[str]
) -> dict[str, object]:
    """FIELD=VALUE pairs as plain values: text as typed, lists as JSON. Field names the kind
    does not have are left for validation to name, with everything else that is wrong."""
    values: dict[str, object] = {}
    for assignment in assignments:
        name, equals, raw = assignment.partition("=")
        name = name.strip()
        if not equals or not name:
            usage_error(_("'{text}' is not FIELD=VALUE").format(text=assignment))
        if name in values:
            usage_error(_("{field} is given twice").format(field=name))
        values[name] = _list_value(usage_error, name, raw) if types.get(name) in LIST_TYPES else raw
    return values


def _list_value(usage_error: UsageError, name: str, raw: str) -> object:
    if not raw.strip():
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, list):
        example = '["…", "…"]'
        usage_error(
            _("{field} is a list: give it as JSON, such as {example}").format(
                field=name, example=example
            )
        )
    return value
