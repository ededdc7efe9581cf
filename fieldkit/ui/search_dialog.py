"""Global search (Ctrl+K): every kind at once, grouped by kind, keyboard first.

Interview hits show the pseudonym only; their notes never appear in results."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.records import KINDS
from fieldkit.domain.search_text import without_marks
from fieldkit.i18n import _
from fieldkit.services.records import SearchHit
from fieldkit.ui.context import AppContext
from fieldkit.ui.search_results import HTML_ROLE, HighlightDelegate, hit_html

DEBOUNCE_MS = 80  # long enough to skip keystrokes typed in a burst; search itself is ~15 ms
LIMIT = 100


class SearchDialog(QDialog):
    sig_record_chosen = Signal(str, str)  # kind, record id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Search"))
        self.resize(640, 480)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Search every record…"))
        self.query.setAccessibleName(_("Search every record"))
        self.results = QTreeWidget()
        self.results.setHeaderHidden(True)
        self.results.setWordWrap(True)
        self.results.setUniformRowHeights(False)
        self.results.setItemDelegate(HighlightDelegate(self.results))
        self.results.setAccessibleName(_("Search results"))
        self.status = QLabel()
        layout = QVBoxLayout(self)
        for widget in (self.query, self.results, self.status):
            layout.addWidget(widget)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.returnPressed.connect(self._open_current)
        self.results.itemActivated.connect(lambda _item, _column: self._open_current())
        self._asked = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Down from the query field moves into the results; Enter opens the highlighted one.
        if event.key() == Qt.Key.Key_Down and self.query.hasFocus():
            self.results.setFocus()
            return
        super().keyPressEvent(event)

    def _on_debounce_timeout(self) -> None:
        text = self.query.text().strip()
        self._asked = text
        if not text:
            self.results.clear()
            self.status.clear()
            return
        self._ctx.call(
            lambda vault: vault.records.search(text, limit=LIMIT),
            lambda hits: self._show(text, hits),
            receiver=self,
        )

    def _show(self, text: str, hits: list[SearchHit]) -> None:
        if text != self._asked:
            return  # a newer query is on its way
        self.results.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for hit in hits:
            group = groups.get(hit.kind)
            if group is None:
                group = QTreeWidgetItem([_(KINDS[hit.kind].PLURAL)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.results.addTopLevelItem(group)
                groups[hit.kind] = group
            # The plain text is what screen readers and keyboard search read; the rich text,
            # with the matches highlighted, is what is painted.
            plain = hit.title if not hit.snippet else f"{hit.title} — {without_marks(hit.snippet)}"
            item = QTreeWidgetItem([plain.replace("\n", " ")])
            item.setData(0, Qt.ItemDataRole.UserRole, (hit.kind, hit.record_id))
            item.setData(0, HTML_ROLE, hit_html(hit.marked_title or hit.title, hit.snippet))
            group.addChild(item)
        self.results.expandAll()
        first = next(iter(groups.values()), None)
        child = first.child(0) if first is not None else None
        if child is not None:
            self.results.setCurrentItem(child)
        self.status.setText(
            _("{count} result(s)").format(count=len(hits))
            if hits
            else _("Nothing found for '{text}'.").format(text=text)
        )

    def _open_current(self) -> None:
        item = self.results.currentItem()
        target = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if target:
            self.sig_record_chosen.emit(*target)
            self.accept()
