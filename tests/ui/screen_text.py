"""What a person could read on screen: every text in the visible widgets of some windows.
Used to prove that a locked window shows no record data."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def visible_texts(windows: list[QWidget]) -> str:
    """Every text a person could read in the visible widgets of `windows`."""
    parts: list[str] = []
    for root in windows:
        if not root.isVisible():
            continue
        parts.append(root.windowTitle())
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
                parts.append(widget.text())
            elif isinstance(widget, QPlainTextEdit | QTextEdit):
                parts.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                parts.append(widget.currentText())
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                try:
                    columns = model.columnCount(QModelIndex())
                except TypeError:  # list models keep columnCount private: one column
                    columns = 1
                for row in range(model.rowCount(QModelIndex())):
                    for column in range(columns):
                        parts.append(str(model.index(row, column).data() or ""))
    return "\n".join(parts)
