"""Inputs that pick from options: a choice's members, or the records of a kind (REF and REFS),
loaded on the database worker; and `field_widget`, the input for any field spec."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from fieldkit.domain.choices import label as choice_label
from fieldkit.domain.choices import picker_order
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.query import NEWEST_FIRST
from fieldkit.domain.records import KINDS
from fieldkit.i18n import _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.field_widgets import (
    EMPTY,
    NOTHING_TO_CHOOSE,
    READ_ONLY_LINE_STYLE,
    REF_LIMIT,
    UNKNOWN_RECORD,
    UNTITLED,
    BoolField,
    DateField,
    FieldWidget,
    IntegerField,
    LongTextField,
    NumberField,
    StringsField,
    TextField,
)


def _titles(vault: Vault, kind: str) -> list[tuple[str, str]]:
    records = vault.records.list(KINDS[kind], limit=REF_LIMIT, sort=NEWEST_FIRST)
    return [(record.title, record.id) for record in records]


class OptionsField(FieldWidget):
    """Picks from options: a choice's members, or the records of a kind (REF/REFS), loaded on
    the database worker and reloaded when that kind changes. A value set before the records
    arrive is kept and shown once they do; an id that is not among them stays selected."""

    sig_loaded = Signal()  # the records to choose from arrived

    def __init__(self, spec: FieldSpec, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self._ctx = ctx
        self._value: Any = None
        self.loaded = spec.target is None
        members = picker_order(spec.choice or ())
        self._options: list[tuple[str, str]] = [(choice_label(m), m.value) for m in members]

    def _start(self) -> None:
        self._show()
        if self.spec.target is not None:
            self._ctx.sig_records_changed.connect(self._on_ctx_records_changed)
            self.reload()

    def reload(self) -> None:
        kind = str(self.spec.target)
        self._ctx.call(lambda vault: _titles(vault, kind), self._on_titles_loaded, receiver=self)

    def _on_ctx_records_changed(self, kind: str) -> None:
        if kind == self.spec.target:
            self.reload()

    def _on_titles_loaded(self, entries: list[tuple[str, str]]) -> None:
        self._options = [(title or _(UNTITLED), record_id) for title, record_id in entries]
        self.loaded = True
        self._show()
        self.sig_loaded.emit()

    def _missing(self, values: list[str]) -> list[tuple[str, str]]:
        known = {value for _text, value in self._options}
        return [(_(UNKNOWN_RECORD), v) for v in values if v not in known] if self.loaded else []

    def _show(self) -> None:
        raise NotImplementedError


class ComboField(OptionsField):
    """One choice, or one linked record, from a drop-down list."""

    def __init__(self, spec: FieldSpec, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(spec, ctx, parent)
        self.combo = QComboBox(self)
        if spec.target is not None:
            policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            self.combo.setSizeAdjustPolicy(policy)
            self.combo.setMinimumContentsLength(32)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self._place(self.combo, self.combo, compact=True)
        self.shown: QLineEdit | None = None  # read-only: the choice as selectable text
        self._value = None if spec.default is None else str(spec.default)
        self._start()

    def set_read_only(self, read_only: bool) -> None:
        # A drop-down has no read-only state (a disabled one leaves the Tab order and reads
        # faintly): the choice shows as read-only text in its place.
        if read_only and self.shown is None:
            self.shown = QLineEdit(self)
            self.shown.setReadOnly(True)
            self._style(self.shown, lambda: READ_ONLY_LINE_STYLE)
            self._box.insertWidget(0, self.shown)
            self._show()
        if self.shown is not None:
            self.shown.setVisible(read_only)
        self.combo.setVisible(not read_only)
        target = self.shown if read_only and self.shown is not None else self.combo
        target.setAccessibleName(_(self.spec.label))
        self._target = target
        self.setFocusProxy(target)

    def _on_combo_current_index_changed(self, _index: int) -> None:
        if not self._loading:
            self._value = self.combo.currentData()
            self.sig_edited.emit()

    def _show(self) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.combo.clear()
            if self.spec.default is None:
                self.combo.addItem(EMPTY, None)
            value = self._value
            for text, data in self._options + self._missing([value] if value else []):
                self.combo.addItem(text, data)
            self.combo.setCurrentIndex(max(self.combo.findData(value) if value else 0, 0))
            if self.shown is not None:
                self.shown.setText(self.combo.currentText())
                self.shown.setCursorPosition(0)
        finally:
            self._loading = was_loading

    def plain(self) -> Any:
        return self._value

    def _set(self, value: Any) -> None:
        blank = value in (None, "")
        self._value = str(self.spec.default) if blank and self.spec.default else value or None
        self._show()


class ChecklistField(OptionsField):
    """Several choices, or several linked records, as a compact grid of check boxes."""

    def __init__(self, spec: FieldSpec, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(spec, ctx, parent)
        self._value = []
        self.list = QListWidget(self)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self._place(self.list, self.list)
        self._read_only = False
        self._start()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._show()  # the boxes show what is ticked; arrows still move through them

    def _on_list_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self._value = [
                str(item.data(Qt.ItemDataRole.UserRole))
                for item in (self.list.item(row) for row in range(self.list.count()))
                if item.checkState() == Qt.CheckState.Checked
            ]
            self.sig_edited.emit()

    def _show(self) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.list.clear()
            for text, value in self._options + self._missing(self._value):
                item = QListWidgetItem(text, self.list)
                item.setData(Qt.ItemDataRole.UserRole, value)
                flags = Qt.ItemFlag.ItemIsEnabled
                flags |= (
                    Qt.ItemFlag.ItemIsSelectable
                    if self._read_only
                    else (Qt.ItemFlag.ItemIsUserCheckable)
                )
                item.setFlags(flags)
                checked = value in self._value
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if not self.list.count():
                QListWidgetItem(_(NOTHING_TO_CHOOSE), self.list).setFlags(Qt.ItemFlag.NoItemFlags)
        finally:
            self._loading = was_loading
        metrics = self.list.fontMetrics()
        texts = [self.list.item(row).text() for row in range(self.list.count())]
        width = min(max(metrics.horizontalAdvance(t) for t in texts) + 40, 320)
        self.list.setGridSize(QSize(width, metrics.height() + 10))
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        grid = self.list.gridSize()
        columns = max(1, (self.list.viewport().width() - 4) // max(grid.width(), 1))
        rows = min(-(-self.list.count() // columns), 6)
        self.list.setFixedHeight(rows * grid.height() + 2 * self.list.frameWidth() + 6)

    def plain(self) -> Any:
        return list(self._value)

    def _set(self, value: Any) -> None:
        self._value = [str(v) for v in value or ()]
        self._show()


_INPUTS: dict[FieldType, type[FieldWidget]] = {
    FieldType.TEXT: TextField,
    FieldType.LONGTEXT: LongTextField,
    FieldType.DATE: DateField,
    FieldType.MONEY: NumberField,
    FieldType.NUMBER: NumberField,
    FieldType.INTEGER: IntegerField,
    FieldType.BOOL: BoolField,
    FieldType.STRINGS: StringsField,
}
_PICKERS: dict[FieldType, type[OptionsField]] = {
    FieldType.CHOICE: ComboField,
    FieldType.REF: ComboField,
    FieldType.CHOICES: ChecklistField,
    FieldType.REFS: ChecklistField,
}


def field_widget(spec: FieldSpec, ctx: AppContext, parent: QWidget | None = None) -> FieldWidget:
    """The input for `spec` (ITEMS fields use items_editor.ItemsEditor)."""
    if spec.type in _PICKERS:
        return _PICKERS[spec.type](spec, ctx, parent)
    return _INPUTS[spec.type](spec, parent)
