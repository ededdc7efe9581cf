"""One small input per field type. Each collects the codec's plain value (text, lists of
values, record ids) so parsing and validation stay in the domain layer, and shows its own
inline problem under the input.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from fieldkit.domain.choices import label as choice_label
from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.domain.records import KINDS
from fieldkit.i18n import N_, _
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext

DATE_HINT = N_("YYYY-MM-DD")
STRINGS_HINT = N_("Separate entries with a semicolon (;)")
UNKNOWN_RECORD = N_("(record not found)")
UNTITLED = N_("(untitled)")
NOTHING_TO_CHOOSE = N_("Nothing to choose from yet")
EMPTY = "—"
REF_LIMIT = 1000
PROBLEM_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(placeholder-text);"
WRITING_STYLE = (
    "QPlainTextEdit { border: 1px solid palette(midlight); border-radius: 6px;"
    " padding: 6px; background: palette(base); }"
)


class FieldWidget(QWidget):
    """An input for one FieldSpec with an inline problem line under it."""

    sig_edited = Signal()  # the user changed the value; set_plain() does not emit it

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._loading = False
        self._target: QWidget = self
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(2)
        self._problem = QLabel(self)
        self._problem.setStyleSheet(PROBLEM_STYLE)
        self._problem.setWordWrap(True)
        self._problem.setTextFormat(Qt.TextFormat.PlainText)
        self._problem.hide()
        self._box.addWidget(self._problem)

    def _place(self, body: QWidget | QLayout, target: QWidget, *, compact: bool = False) -> None:
        if compact:  # keep the input its natural width, left-aligned
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(body) if isinstance(body, QWidget) else row.addLayout(body)
            row.addStretch(1)
            body = row
        if isinstance(body, QLayout):
            self._box.insertLayout(0, body)
        else:
            self._box.insertWidget(0, body)
        self._target = target
        target.setAccessibleName(_(self.spec.label))
        self.setFocusProxy(target)

    def focus_target(self) -> QWidget:
        """The widget that takes focus and carries the accessible name (a label's buddy)."""
        return self._target

    def plain(self) -> Any:
        raise NotImplementedError

    def set_plain(self, value: Any) -> None:
        self._loading = True
        try:
            self._set(value)
        finally:
            self._loading = False

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def show_problem(self, message: str | None) -> None:
        """Show `message` under the field in red, or clear it with None."""
        self._problem.setText(message or "")
        self._problem.setVisible(bool(message))
        self._target.setAccessibleDescription(message or "")

    def problem(self) -> str:
        return self._problem.text()

    def _on_input_changed(self, *_args: object) -> None:
        if not self._loading:
            self.sig_edited.emit()


class TextField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.textChanged.connect(self._on_input_changed)
        self._place(self.edit, self.edit)

    def plain(self) -> Any:
        return self.edit.text()

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class NumberField(TextField):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setMaximumWidth(220)
        if spec.type is FieldType.MONEY:
            self.edit.setPlaceholderText("0.00")


class StringsField(TextField):
    """Several short values in one line, separated by semicolons."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        hint = QLabel(_(STRINGS_HINT), self)
        hint.setStyleSheet(HINT_STYLE)
        self._box.insertWidget(1, hint)
        self.edit.setToolTip(_(STRINGS_HINT))

    def plain(self) -> Any:
        return [part.strip() for part in self.edit.text().split(";") if part.strip()]

    def _set(self, value: Any) -> None:
        self.edit.setText("; ".join(str(v) for v in value or ()))


class LongTextField(FieldWidget):
    """A calm writing surface: several lines, a soft border, Tab moves on to the next field."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setStyleSheet(WRITING_STYLE)
        self.edit.setFixedHeight(110)
        self.edit.textChanged.connect(self._on_input_changed)
        self._place(self.edit, self.edit)

    def make_roomy(self, min_height: int) -> None:
        """Make this the page's main writing surface (an interview's notes)."""
        self.edit.setMinimumHeight(min_height)
        self.edit.setMaximumHeight(16_777_215)
        font = self.edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.edit.setFont(font)

    def plain(self) -> Any:
        return self.edit.toPlainText()

    def _set(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class DateField(TextField):
    """A date typed as YYYY-MM-DD (empty means none), with a calendar to pick from."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit.setPlaceholderText(_(DATE_HINT))
        self.edit.setMaximumWidth(160)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        self._menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.button = QToolButton(self)
        self.button.setText(_("Calendar"))
        self.button.setAccessibleName(_("Pick {field} from a calendar").format(field=_(spec.label)))
        self.button.setMenu(self._menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self._box.removeWidget(self.edit)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        self._place(row, self.edit, compact=True)

    def _on_menu_about_to_show(self) -> None:
        day = QDate.fromString(self.edit.text().strip(), "yyyy-MM-dd")
        self.calendar.setSelectedDate(day if day.isValid() else QDate.currentDate())

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.edit.setText(day.toString("yyyy-MM-dd"))
        self._menu.hide()
        self.edit.setFocus()


class IntegerField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = QSpinBox(self)
        self.spin.setRange(0, 2_000_000_000)
        self.spin.setMaximumWidth(160)
        self.spin.valueChanged.connect(self._on_input_changed)
        self._place(self.spin, self.spin)

    def plain(self) -> Any:
        return self.spin.value()

    def _set(self, value: Any) -> None:
        self.spin.setValue(int(value) if value not in (None, "") else 0)


class BoolField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.check = QCheckBox(self)
        self.check.toggled.connect(self._on_input_changed)
        self._place(self.check, self.check)

    def plain(self) -> Any:
        return self.check.isChecked()

    def _set(self, value: Any) -> None:
        self.check.setChecked(bool(value))


def _titles(vault: Vault, kind: str) -> list[tuple[str, str]]:
    records = vault.records.list(KINDS[kind], limit=REF_LIMIT, order_by="updated_at DESC")
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
        members = spec.choice or ()
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
        self._value = None if spec.default is None else str(spec.default)
        self._start()

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
        self._start()

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
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
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
