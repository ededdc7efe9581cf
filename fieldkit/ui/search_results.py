"""How a search hit reads in the results: its title and the words around the matches, each
match highlighted (bold, on the match colour), wrapped at word boundaries, never elided in the
middle of a word."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from fieldkit.domain.search_text import MATCH_END, MATCH_START
from fieldkit.ui.theme import MATCH, colour

HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # a hit's rich text; items without it paint as usual
PADDING = 3


MATCH_STYLE = "font-weight:600; background-color:{background}"
SELECTED_MATCH_STYLE = "font-weight:600; text-decoration:underline"  # on the selection colour


def marked_html(text: str) -> str:
    """Escape `text` and turn its match marks into highlighted spans."""
    opened = f"<span style='{MATCH_STYLE.format(background=colour(MATCH).name())}'>"
    return (
        html.escape(text, quote=False)
        .replace(MATCH_START, opened)
        .replace(MATCH_END, "</span>")
        .replace("\n", " ")
    )


def hit_html(marked_title: str, snippet: str) -> str:
    title = f"<b>{marked_html(marked_title)}</b>"
    return title if not snippet else f"{title} — {marked_html(snippet)}"


class HighlightDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE rich text, wrapped to the column's width."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument | None:
        markup = index.data(HTML_ROLE)
        if not markup:
            return None
        if option.state & QStyle.StateFlag.State_Selected:
            # White text on the match colour would not read: underline instead.
            style = MATCH_STYLE.format(background=colour(MATCH).name())
            markup = markup.replace(style, SELECTED_MATCH_STYLE)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(PADDING)
        document.setHtml(markup)
        width = option.rect.width() if option.rect.width() > 0 else self._width(option)
        document.setTextWidth(max(width, 80))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        widget = option.widget
        viewport = getattr(widget, "viewport", None)
        return int(viewport().width()) - 40 if callable(viewport) else 400

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        if document is None:
            super().paint(painter, option, index)
            return
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        if document is None:
            return super().sizeHint(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()))
