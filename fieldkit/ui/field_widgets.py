"""One small input per field type. Each collects the codec's plain value (text, lists of
values, record ids) so parsing and validation stay in the domain layer, and shows its own
inline problem under the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from fieldkit.domain.fields import FieldSpec, FieldType
from fieldkit.errors import Problem
from fieldkit.i18n import N_, _
from fieldkit.ui.theme import muted_style, problem_style
from fieldkit.ui.ui_locale import ui_locale

DATE_HINT = N_("YYYY-MM-DD")
STRINGS_HINT = N_("Separate entries with a semicolon (;)")
UNKNOWN_RECORD = N_("(record not found)")
UNTITLED = N_("(untitled)")
NOTHING_TO_CHOOSE = N_("Nothing to choose from yet")
EMPTY = "—"
REF_LIMIT = 1000
_PATH = re.compile(r"([^\[.]+)(?:\[(\d+)\])?(?:\.([^\[.]+))?")
WRITING_STYLE = (
    "QPlainTextEdit { border: 1px solid palette(midlight); border-radius: 6px;"
    " padding: 6px; background: palette(base); }"
)
# Read-only: the value on the form's own background, so nothing looks like a place to type.
READING_STYLE = WRITING_STYLE.replace("palette(base)", "transparent")
READ_ONLY_LINE_STYLE = (
    "QLineEdit { border: 1px solid palette(midlight); border-radius: 3px;"
    " padding: 2px 4px; background: transparent; }"
)


def split_problems(
    problems: Sequence[Problem],
) -> tuple[dict[str, list[str]], dict[str, list[tuple[int, str]]]]:
    """The domain's problems by field name: the messages to show under each field (a row's
    problem says its row), and the (row index, item field) cells of a list to mark."""
    messages: dict[str, list[str]] = {}
    cells: dict[str, list[tuple[int, str]]] = {}
    for problem in problems:
        match = _PATH.match(problem.field)
        name, row, item_field = match.groups() if match else (problem.field, None, None)
        text = problem.message
        if row is not None:
            text = _("Row {row}: {message}").format(row=row, message=text)
            cells.setdefault(name, []).append((int(row) - 1, item_field or ""))
        messages.setdefault(name, []).append(text)
    return messages, cells


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
        self._styles: list[tuple[QWidget, Callable[[], str]]] = []
        self._problem = QLabel(self)
        self._style(self._problem, problem_style)
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

    def _style(self, widget: QWidget, style: Callable[[], str]) -> None:
        """Give `widget` the style sheet `style()` makes for the palette, now and whenever the
        palette changes (a widget with a style sheet of its own is not told)."""
        self._styles.append((widget, style))
        widget.setStyleSheet(style())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the OS went light or dark
            for widget, style in self._styles:
                widget.setStyleSheet(style())

    def focus_target(self) -> QWidget:
        """The widget that takes focus and carries the accessible name (a label's buddy)."""
        return self._target

    def set_read_only(self, read_only: bool) -> None:
        """Show the value without letting it change: still focusable with Tab and, for text,
        selectable and copyable (a record this device may not change)."""
        raise NotImplementedError

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
        self._style(self.edit, self._edit_style)
        self._place(self.edit, self.edit)

    def _edit_style(self) -> str:
        return READ_ONLY_LINE_STYLE if self.edit.isReadOnly() else ""

    def plain(self) -> Any:
        return self.edit.text()

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setStyleSheet(self._edit_style())


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
        self.hint = QLabel(_(STRINGS_HINT), self)
        self._style(self.hint, muted_style)
        self._box.insertWidget(1, self.hint)
        self.edit.setToolTip(_(STRINGS_HINT))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.hint.setVisible(not read_only)  # how to type entries: nothing to type here
        self.edit.setToolTip("" if read_only else _(STRINGS_HINT))

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
        self._style(self.edit, self._edit_style)  # palette() is read when it is set
        self.edit.setFixedHeight(110)
        self.edit.textChanged.connect(self._on_input_changed)
        self._place(self.edit, self.edit)

    def _edit_style(self) -> str:
        return READING_STYLE if self.edit.isReadOnly() else WRITING_STYLE

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

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setStyleSheet(self._edit_style())
        if read_only:  # a cursor the keyboard moves, to read, select and copy without a mouse
            flags = Qt.TextInteractionFlag
            self.edit.setTextInteractionFlags(
                flags.TextSelectableByMouse | flags.TextSelectableByKeyboard
            )


class DateField(TextField):
    """A date typed as YYYY-MM-DD (empty means none), with a calendar to pick from."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit.setPlaceholderText(_(DATE_HINT))
        self.edit.setMaximumWidth(160)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(ui_locale())  # month and day names in the interface language
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

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.button.setVisible(not read_only)

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

    def set_read_only(self, read_only: bool) -> None:
        self.spin.setReadOnly(read_only)
        symbols = QSpinBox.ButtonSymbols
        self.spin.setButtonSymbols(symbols.NoButtons if read_only else symbols.UpDownArrows)


class ReadOnlyCheckBox(QCheckBox):
    """A check box that can show its state without letting a click or Space change it, yet
    stays in the Tab order and readable by screen readers (a disabled one does neither)."""

    read_only = False

    def nextCheckState(self) -> None:
        if not self.read_only:
            super().nextCheckState()


class BoolField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.check = ReadOnlyCheckBox(self)
        self.check.toggled.connect(self._on_input_changed)
        self._place(self.check, self.check)

    def plain(self) -> Any:
        return self.check.isChecked()

    def _set(self, value: Any) -> None:
        self.check.setChecked(bool(value))

    def set_read_only(self, read_only: bool) -> None:
        self.check.read_only = read_only
