"""The pieces the lock screens share: a calm centred column, a big title, a secret field, an
error line in the palette's error colour, and Enter that goes on."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fieldkit.ui.theme import problem_style


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMinimumWidth(320)
    return field


def centered(*widgets: QWidget | None, parent: QWidget) -> QVBoxLayout:
    """A narrow column in the middle of the window: calm, nothing else on screen."""
    column = QVBoxLayout()
    for widget in widgets:
        if widget is not None:
            column.addWidget(widget)
    column.addStretch(1)
    box = QWidget(parent)
    box.setLayout(column)
    box.setMaximumWidth(520)
    outer = QVBoxLayout(parent)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return column


def button_row(*widgets: QWidget) -> QWidget:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    box = QWidget()
    box.setLayout(row)
    return box


def enter_goes_on(view: QWidget, fields: tuple[QLineEdit, ...], primary: QPushButton) -> None:
    """Enter anywhere in `view` moves to the next empty field, and once all are filled
    presses the primary button (these screens are not dialogs: no default button)."""

    def on_enter() -> None:
        empty = next((field for field in fields if not field.text()), None)
        if empty is not None and not empty.hasFocus():
            empty.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif primary.isEnabled() and primary.isVisible():
            primary.click()

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(on_enter)


class ErrorLabel(QLabel):
    """A problem, in the palette's error colour (light or dark), never the accent blue."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self._restyle()
        self.setObjectName("error")
        self.hide()

    def _restyle(self) -> None:
        style = problem_style() + " font-weight: 600;"
        if style != self.styleSheet():  # setting it is itself a palette change
            self.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a label with a style sheet is not told
            self._restyle()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
