"""A table for a list of small value objects (a visit's follow-up actions, a grant's
disbursements): one column per item field, one row per item, values kept as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.choices import label as choice_label
from fieldkit.domain.choices import picker_order
from fieldkit.domain.codec import value_to_plain
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.rrm_rules import default_rules
from fieldkit.domain.values import ClockOverride
from fieldkit.i18n import _
from fieldkit.ui.field_widgets import DATE_HINT, EMPTY, FieldWidget
from fieldkit.ui.theme import PROBLEM_CELL, colour

_NUMERIC = (FieldType.MONEY, FieldType.NUMBER, FieldType.INTEGER)
_MIN_ROWS, _MAX_ROWS = 2, 8


def _clock_rules() -> list[tuple[str, str]]:
    return [(rule.id, rule.label) for rule in default_rules().rules]


# Text cells whose value comes from a list kept as data, not a closed vocabulary of the code.
LISTED_TEXT: dict[tuple[type[Any], str], Callable[[], list[tuple[str, str]]]] = {
    (ClockOverride, "rule"): _clock_rules,
}


def fill_choices(combo: QComboBox, spec: FieldSpec) -> None:
    """Translated labels with the choice values as data; a blank entry if the default is none."""
    assert spec.choice is not None
    if spec.default is None:
        combo.addItem(EMPTY, None)
    for member in picker_order(spec.choice):
        combo.addItem(choice_label(member), member.value)


def _listed(spec: FieldSpec, item: type[Any] | None) -> list[tuple[str, str]] | None:
    """The (value, label) pairs a text cell picks from, when its field has a list (the clock
    of a case's override picks from the rule table), else None."""
    provider = LISTED_TEXT.get((item, spec.name)) if item is not None else None
    return provider() if provider is not None else None


def select_choice(combo: QComboBox, spec: FieldSpec, value: Any) -> None:
    wanted = value if value not in (None, "") else spec.default
    index = combo.findData(str(wanted)) if wanted is not None else 0
    combo.setCurrentIndex(max(index, 0))


def _shown_choice(
    spec: FieldSpec, options: list[tuple[str, str]] | None, value: Any
) -> QTableWidgetItem:
    """A read-only cell showing a choice's label (or a listed value's), keeping the value."""
    wanted = value if value not in (None, "") else spec.default
    labels = dict(options) if options is not None else {}
    if options is None and spec.choice is not None:
        labels = {m.value: choice_label(m) for m in spec.choice}
    key = getattr(wanted, "value", wanted)
    text = labels.get(str(key), str(key)) if key is not None else EMPTY
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, key)
    return item


class _CellDelegate(QStyledItemDelegate):
    """Text editing in cells, with the date format shown in date cells."""

    def __init__(self, columns: tuple[FieldSpec, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self._columns = columns

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and self._columns[index.column()].type is FieldType.DATE:
            editor.setPlaceholderText(_(DATE_HINT))
        return editor


class ItemsEditor(FieldWidget):
    """Rows of value objects. `plain()` is a list of dicts (text as typed, choice values,
    booleans), which the codec parses and the domain validates."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.item is not None
        self.item_type = spec.item
        self.columns = spec.item.specs()
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setHorizontalHeaderLabels([_(c.label) for c in self.columns])
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setItemDelegate(_CellDelegate(self.columns, self.table))
        header = self.table.horizontalHeader()
        for column, item_spec in enumerate(self.columns):
            wide = item_spec.type in (FieldType.TEXT, FieldType.LONGTEXT)
            wide = wide and not self._is_listed(item_spec)
            mode = (
                QHeaderView.ResizeMode.Stretch if wide else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
            header_item = self.table.horizontalHeaderItem(column)
            if item_spec.type is FieldType.DATE and header_item is not None:
                header_item.setToolTip(_(DATE_HINT))
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(_("Add row"), self)
        self.add_button.setAccessibleDescription(_(spec.label))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton(_("Remove row"), self)
        self.remove_button.setAccessibleDescription(_(spec.label))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        body = QVBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.table)
        body.addLayout(buttons)
        self._place(body, self.table)
        self._read_only = False
        self._edit_triggers = self.table.editTriggers()
        self._fit()

    def set_read_only(self, read_only: bool) -> None:
        """Rows to read: no cell edits, no rows added or removed; choices show as text. The
        table keeps the focus order, and arrows move through its cells (Ctrl+C copies one)."""
        values = self.plain()
        self._read_only = read_only
        none = QAbstractItemView.EditTrigger.NoEditTriggers
        self.table.setEditTriggers(none if read_only else self._edit_triggers)
        for button in (self.add_button, self.remove_button):
            button.setVisible(not read_only)
        self.set_plain(values)

    # --- values ---------------------------------------------------------------------------

    def plain(self) -> Any:
        return [self._row_plain(row) for row in range(self.table.rowCount())]

    def _set(self, value: Any) -> None:
        self.table.setRowCount(0)
        for entry in value or ():
            self._append_row(entry if isinstance(entry, Mapping) else {})
        self._fit()

    def _row_plain(self, row: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column, item_spec in enumerate(self.columns):
            item = self.table.item(row, column)
            if item_spec.type is FieldType.CHOICE or self._is_listed(item_spec):
                combo = self.table.cellWidget(row, column)
                chosen = combo.currentData() if isinstance(combo, QComboBox) else None
                if item is not None and combo is None:  # read-only: the value kept as data
                    chosen = item.data(Qt.ItemDataRole.UserRole)
                values[item_spec.name] = chosen
                continue
            if item_spec.type is FieldType.BOOL:
                values[item_spec.name] = item is not None and item.checkState() == (
                    Qt.CheckState.Checked
                )
            else:
                values[item_spec.name] = item.text() if item is not None else ""
        return values

    def _append_row(self, values: Mapping[str, Any]) -> int:
        row = self.table.rowCount()
        was_loading, self._loading = self._loading, True
        try:
            self.table.insertRow(row)
            for column, item_spec in enumerate(self.columns):
                value = values.get(item_spec.name, value_to_plain(item_spec, item_spec.default))
                self._put_cell(row, column, item_spec, value)
        finally:
            self._loading = was_loading
        return row

    def _is_listed(self, item_spec: FieldSpec) -> bool:
        return (self.item_type, item_spec.name) in LISTED_TEXT

    def _put_cell(self, row: int, column: int, item_spec: FieldSpec, value: Any) -> None:
        options = _listed(item_spec, self.item_type)
        if self._read_only and (options is not None or item_spec.type is FieldType.CHOICE):
            self.table.setItem(row, column, _shown_choice(item_spec, options, value))
            return
        if options is not None:
            combo = QComboBox(self.table)
            combo.setAccessibleName(_(item_spec.label))
            for data, text in options:
                combo.addItem(text, data)
            if value and combo.findData(value) < 0:
                combo.addItem(str(value), value)  # a retired rule stays visible, not lost
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.currentIndexChanged.connect(self._on_input_changed)
            self.table.setCellWidget(row, column, combo)
            return
        if item_spec.type is FieldType.CHOICE:
            combo = QComboBox(self.table)
            combo.setAccessibleName(_(item_spec.label))
            fill_choices(combo, item_spec)
            select_choice(combo, item_spec, value)
            combo.currentIndexChanged.connect(self._on_input_changed)
            self.table.setCellWidget(row, column, combo)
            return
        item = QTableWidgetItem()
        if item_spec.type is FieldType.BOOL:
            checkable = (
                Qt.ItemFlag.NoItemFlags if self._read_only else Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | checkable)
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        else:
            item.setText("" if value is None else str(value))
            if item_spec.type in _NUMERIC:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, column, item)

    # --- problems -------------------------------------------------------------------------

    def show_problem(self, message: str | None) -> None:
        super().show_problem(message)
        if not message:
            self.mark_cells([])

    def mark_cells(self, cells: list[tuple[int, str]]) -> None:
        """Tint the cells that broke a rule: (row from 0, item field name)."""
        names = [c.name for c in self.columns]
        bad = {(row, names.index(name)) for row, name in cells if name in names}
        tint = colour(PROBLEM_CELL)
        was_loading, self._loading = self._loading, True
        try:
            for row in range(self.table.rowCount()):
                for column in range(len(self.columns)):
                    item = self.table.item(row, column)
                    if item is not None:
                        item.setBackground(tint if (row, column) in bad else QColor())
        finally:
            self._loading = was_loading

    # --- handlers -------------------------------------------------------------------------

    def _on_table_item_changed(self, _item: QTableWidgetItem) -> None:
        self._on_input_changed()

    def _on_add_button_clicked(self) -> None:
        row = self._append_row({})
        self._fit()
        self.sig_edited.emit()
        first_text = next(
            (c for c, s in enumerate(self.columns) if s.type is not FieldType.CHOICE), 0
        )
        self.table.setCurrentCell(row, first_text)
        self.table.setFocus()
        item = self.table.item(row, first_text)
        if item is not None and self.isVisible():
            self.table.editItem(item)

    def _on_remove_button_clicked(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self._fit()
            self.sig_edited.emit()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.table.rowCount() > 0)

    def _fit(self) -> None:
        """Tall enough for the rows (within limits) so the form, not the table, scrolls."""
        shown = min(max(self.table.rowCount(), _MIN_ROWS), _MAX_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + 2
        )
        self.table.setFixedHeight(height)
        self._update_buttons()
