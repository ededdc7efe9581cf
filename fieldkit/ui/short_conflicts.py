"""Conflicts over short fields (a choice, a date, an amount, a list, a link, yes or no): both
values as a person reads them, who wrote each and when, and one step to keep either.

Several are settled at once: the conflicts dialog ticks them in its list, and "Keep the values
now in the records" or "Keep the other values" settles every ticked one together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from fieldkit.domain.codec import parse_value
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.records import KINDS
from fieldkit.i18n import N_, _
from fieldkit.services.sync import ConflictView
from fieldkit.ui.conflict_pane import ConflictItem, author, heading, written_at
from fieldkit.ui.conflict_value import KEEP_NEW_QUESTION, NewValueBox
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import format_value

EMPTY = N_("(empty)")


def field_spec(conflict: ConflictView) -> FieldSpec | None:
    cls = KINDS.get(conflict.kind)
    if cls is None:
        return None
    try:
        return cls.spec(conflict.field)
    except KeyError:
        return None


def ref_ids(conflict: ConflictView) -> list[str]:
    """The records a reference field's two values name (to read their titles)."""
    spec = field_spec(conflict)
    if spec is None or spec.type not in (FieldType.REF, FieldType.REFS):
        return []
    ids: list[str] = []
    for side in (conflict.kept, conflict.other):
        value = side.get("value")
        ids.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return ids


def value_text(
    conflict: ConflictView, side: Mapping[str, Any], titles: Mapping[str, str] | None = None
) -> str:
    """One side's value as a person reads it, in the current language: a choice's label, a
    date as dates are shown, an amount in dollars, a linked record's title."""
    spec = field_spec(conflict)
    raw = side.get("value")
    if spec is None:
        return _(EMPTY) if raw in (None, "", []) else str(raw)
    value, problems = parse_value(spec, raw)
    if problems:
        return str(raw)
    if spec.type in (FieldType.REF, FieldType.REFS):
        ids = value if isinstance(value, tuple) else (value,) if value else ()
        text = ", ".join((titles or {}).get(record_id, record_id) for record_id in ids)
    elif spec.type is FieldType.ITEMS and spec.item is not None:
        item_specs = spec.item.specs()
        text = "; ".join(
            ", ".join(t for t in (format_value(s, getattr(item, s.name)) for s in item_specs) if t)
            for item in value or ()
        )
    else:
        text = format_value(spec, value)
    return text or _(EMPTY)


KEEP_OTHER_ONE = N_("Keep the other value? The value now in the record is replaced.")
KEEP_OTHER_MANY = N_(
    "Keep the other value in {count} fields? The values now in the records are replaced."
)
KEEP_KEPT_ONE = N_("Keep the value now in the record? The other value is discarded.")
KEEP_KEPT_MANY = N_(
    "Keep the values now in the records in {count} fields? The other values are discarded."
)


def keep_question(count: int, *, other: bool) -> str:
    if count == 1:
        return _(KEEP_OTHER_ONE if other else KEEP_KEPT_ONE)
    return _(KEEP_OTHER_MANY if other else KEEP_KEPT_MANY).format(count=count)


def ask_to_keep_many(parent: QWidget, count: int, *, other: bool) -> bool:
    answer = QMessageBox.question(parent, _("Keep one version"), keep_question(count, other=other))
    return answer == QMessageBox.StandardButton.Yes


def ask_to_keep_new(parent: QWidget) -> bool:
    answer = QMessageBox.question(parent, _("Keep a new value"), _(KEEP_NEW_QUESTION))
    return answer == QMessageBox.StandardButton.Yes


class ShortConflictPane(QWidget):
    """One short-field conflict, compactly: the field, the two values, who and when, and a
    third value to type or choose instead."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.kept_value = QLabel()
        self.other_value = QLabel()
        self.kept_by = QLabel()
        self.other_by = QLabel()
        for label in (self.kept_value, self.other_value, self.kept_by, self.other_by):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        for label in (self.kept_value, self.other_value):
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        self.form = QFormLayout()
        self.form.addRow(_("Now in the record"), _stacked(self.kept_value, self.kept_by))
        self.form.addRow(_("Other version"), _stacked(self.other_value, self.other_by))
        self.hint = QLabel(
            _(
                "Tick several conflicts in the list to settle them together with the buttons "
                "under it."
            )
        )
        self.hint.setWordWrap(True)
        self.new_value = NewValueBox(ctx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.new_value)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def show_item(self, item: ConflictItem | None) -> None:
        if item is None:
            self.clear()
            return
        conflict = item.conflict
        self.heading.setText(heading(item))
        self.kept_value.setText(value_text(conflict, conflict.kept, item.titles))
        self.other_value.setText(value_text(conflict, conflict.other, item.titles))
        for label, side in ((self.kept_by, conflict.kept), (self.other_by, conflict.other)):
            label.setText(_("by {name}, {when}").format(name=author(side), when=written_at(side)))
        self.new_value.show_conflict(conflict, field_spec(conflict))
        self.new_value.setEnabled(not item.read_only)
        self.hint.setVisible(not item.read_only)

    def clear(self) -> None:
        for label in (self.heading, self.kept_value, self.other_value, self.kept_by, self.other_by):
            label.clear()
        self.new_value.clear()


def _stacked(value: QLabel, by: QLabel) -> QWidget:
    """A value with who wrote it and when just under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    layout.setSpacing(0)
    layout.addWidget(value)
    layout.addWidget(by)
    return box
