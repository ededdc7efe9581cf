"""A broken rule on one field, with a message in the active language that names the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldkit.i18n import _


@dataclass(frozen=True)
class FieldProblem:
    """`path` is the field name, or `items[2].due` inside a list; `label` is its msgid."""

    path: str
    label: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> str:
        return self.path

    @property
    def message(self) -> str:
        return _(self.msgid).format(field=_(self.label), **self.params)

    def nested(self, prefix: str) -> FieldProblem:
        return FieldProblem(f"{prefix}.{self.path}", self.label, self.msgid, self.params)
