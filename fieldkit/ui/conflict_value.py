"""A third value for a short-field conflict: neither version is right, so the person types or
picks the value to keep, in the very input the record editor uses for that kind of field (a
date with its calendar, a choice's list, a record picker, a list's table), and the domain
checks it as it checks an editor's save; its problems show on the input.

Yes-or-no fields have no third value, so none is offered for them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.errors import Problem
from fieldkit.i18n import N_, _
from fieldkit.services.sync import ConflictView
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import FieldWidget, split_problems
from fieldkit.ui.items_editor import ItemsEditor
from fieldkit.ui.pickers import field_widget
from fieldkit.ui.theme import problem_style

NEW_VALUE = N_("&New value")
NEITHER = N_("Neither? Type or choose the right value here and keep it instead.")
KEEP_NEW = N_("Keep the ne&w value")
KEEP_NEW_NAME = N_("Keep the value typed or chosen here")
KEEP_NEW_QUESTION = N_("Keep the new value? Both versions are replaced.")


def offers_new_value(spec: FieldSpec | None) -> bool:
    """A third value exists for every short field but yes or no."""
    return spec is not None and spec.type not in (FieldType.BOOL, FieldType.LONGTEXT)


class NewValueBox(QWidget):
    """The input for a third value, and the button that keeps it."""

    sig_chosen = Signal(str, object)  # conflict id, the plain value to keep

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._conflict: ConflictView | None = None
        self.field: FieldWidget | None = None
        self.note = QLabel(_(NEITHER))
        self.note.setWordWrap(True)
        self.label = QLabel(_(NEW_VALUE))
        self.problem = QLabel()  # a problem the domain names on another field
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(problem_style())
        self.problem.hide()
        self.keep = QPushButton(_(KEEP_NEW))
        self.keep.setAccessibleName(_(KEEP_NEW_NAME))
        self.keep.clicked.connect(self._on_keep_clicked)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 0)
        for widget in (self.note, self.label, self.problem):
            self._layout.addWidget(widget)
        self._layout.addWidget(self.keep, 0, Qt.AlignmentFlag.AlignLeft)

    def show_conflict(self, conflict: ConflictView | None, spec: FieldSpec | None) -> None:
        """Offer a new value for this conflict, starting from the value now in the record."""
        self._drop_field()
        self._conflict = conflict if offers_new_value(spec) else None
        self.setVisible(self._conflict is not None)
        if conflict is None or spec is None or self._conflict is None:
            return
        field: FieldWidget
        if spec.type is FieldType.ITEMS:
            field = ItemsEditor(spec, self)
        else:
            field = field_widget(spec, self._ctx, self)
        field.set_plain(conflict.kept.get("value"))
        field.focus_target().setAccessibleName(
            _("New value for {field}").format(field=_(spec.label))
        )
        self._layout.insertWidget(self._layout.indexOf(self.problem), field)
        self.label.setBuddy(field.focus_target())  # Alt+N goes to it
        self.field = field
        self._order_tabs(field)

    def value(self) -> Any:
        return self.field.plain() if self.field is not None else None

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """The domain's problems with the value: on the input, as in the editor; problems it
        names on other fields of the record, under it."""
        if self.field is None or self._conflict is None:
            return
        messages, cells = split_problems(problems)
        name = self._conflict.field
        self.field.show_problem("\n".join(messages.pop(name, [])) or None)
        if isinstance(self.field, ItemsEditor):
            self.field.mark_cells(cells.get(name, []))
        stray = [text for texts in messages.values() for text in texts]
        self.problem.setText("\n".join(stray))
        self.problem.setVisible(bool(stray))
        if self.field.problem():
            self.field.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.show_conflict(None, None)

    def _drop_field(self) -> None:
        self.problem.clear()
        self.problem.hide()
        if self.field is not None:
            self.label.setBuddy(None)  # type: ignore[arg-type]
            self._layout.removeWidget(self.field)
            self.field.deleteLater()
            self.field = None

    def _order_tabs(self, field: FieldWidget) -> None:
        """Tab goes from the label's place into the new input and on to its button (an input
        made after the dialog would otherwise come last in the focus chain)."""
        inputs: list[QWidget] = []
        widget = field.nextInFocusChain()
        while widget is not None and widget is not field and field.isAncestorOf(widget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                inputs.append(widget)
            widget = widget.nextInFocusChain()
        chain: list[QWidget] = [self.note, *inputs, self.keep]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _on_keep_clicked(self) -> None:
        if self._conflict is not None and self.field is not None:
            self.sig_chosen.emit(self._conflict.id, self.value())
