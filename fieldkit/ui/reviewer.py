"""Reviewer mode in the desktop app: a badge that says so, an attaché and a post column on
every list, and filters by attaché and by post. The same app and vault: HQ decides who is a
reviewer (fieldkit-hq role), and the app follows what HQ last said (ctx.reviewer)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from fieldkit.domain.records import Record
from fieldkit.i18n import _
from fieldkit.services.reviewing import by_authors
from fieldkit.services.vault import Vault
from fieldkit.ui.context import AppContext
from fieldkit.ui.record_model import AnyIndex, RecordTableModel

BADGE_STYLE = (
    "QLabel { background: #8a4b00; color: white; font-weight: bold; padding: 2px 10px;"
    " border-radius: 3px; }"
)


class ReviewerBadge(QLabel):
    """Shown only in reviewer mode, so nobody mistakes whose interviews they are reading."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setStyleSheet(BADGE_STYLE)
        ctx.sig_reviewer_changed.connect(self._on_ctx_reviewer_changed)
        ctx.sig_language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Reviewer mode"))
        self.setToolTip(
            _(
                "Headquarters made this device a reviewer: it receives the records of the "
                "attachés in its posts, unshared interviews included. You may add follow-ups, "
                "cases and case updates; interviews others wrote cannot be changed."
            )
        )
        self.setVisible(self._ctx.reviewer.reviewer)

    def _on_ctx_reviewer_changed(self) -> None:
        self.setVisible(self._ctx.reviewer.reviewer)


class ReviewerFilters(QWidget):
    """Attaché and post choosers above a list (reviewer mode only)."""

    sig_changed = Signal(object)  # frozenset of nodes to show, or None for all

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.attache = QComboBox()
        self.post = QComboBox()
        self._attache_label = QLabel()
        self._post_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self._attache_label, self.attache, self._post_label, self.post):
            layout.addWidget(widget)
        self.attache.currentIndexChanged.connect(self._on_attache_current_index_changed)
        self.post.currentIndexChanged.connect(self._on_post_current_index_changed)
        ctx.sig_reviewer_changed.connect(self.refill)
        ctx.sig_language_changed.connect(self.refill)
        self.refill()

    def nodes(self) -> frozenset[str] | None:
        """The nodes the choice shows (the attaché's if one is chosen, else the post's)."""
        chosen = self.attache.currentData()
        if chosen is None:
            chosen = self.post.currentData()
        return chosen if isinstance(chosen, frozenset) else None

    def refill(self) -> None:
        view = self._ctx.reviewer
        self.setVisible(view.reviewer)
        self._attache_label.setText(_("Attaché:"))
        self._post_label.setText(_("Post:"))
        for combo, entries, everyone in (
            (self.attache, view.attaches(), _("All attachés")),
            (self.post, view.posts(), _("All posts")),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for name, nodes in entries:
                combo.addItem(name, nodes)
            combo.blockSignals(False)
        self.attache.setAccessibleName(_("Show the records of this attaché"))
        self.post.setAccessibleName(_("Show the records of this post's attachés"))
        self.sig_changed.emit(self.nodes())

    def _on_attache_current_index_changed(self, _index: int) -> None:
        if self.attache.currentData() is not None:
            self.post.blockSignals(True)
            self.post.setCurrentIndex(0)
            self.post.blockSignals(False)
        self.sig_changed.emit(self.nodes())

    def _on_post_current_index_changed(self, _index: int) -> None:
        if self.post.currentData() is not None:
            self.attache.blockSignals(True)
            self.attache.setCurrentIndex(0)
            self.attache.blockSignals(False)
        self.sig_changed.emit(self.nodes())


class ReviewerTableModel(RecordTableModel):
    """A record list that, in reviewer mode, adds the attaché and post of each record and
    shows only the chosen attaché's or post's records. Outside reviewer mode it is exactly
    the plain list."""

    def __init__(self, ctx: AppContext, cls: type[Record], parent: QObject | None = None) -> None:
        super().__init__(ctx, cls, parent)
        self._authors: frozenset[str] | None = None
        self._extra = 2 if ctx.reviewer.reviewer else 0
        ctx.sig_reviewer_changed.connect(self._on_ctx_reviewer_changed)

    def set_authors(self, nodes: frozenset[str] | None) -> None:
        """Show only the records these nodes created (None: every record)."""
        if nodes != self._authors:
            self._authors = nodes
            self.reload()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return super().columnCount(parent) + (0 if parent.isValid() else self._extra)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        extra = index.column() - len(self.columns)
        if not index.isValid() or extra < 0:
            return super().data(index, role)
        record = self.record_at(index.row())
        if record is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        view = self._ctx.reviewer
        node = record.author_device
        return view.name_of(node) if extra == 0 else view.post_of(node)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        extra = section - len(self.columns)
        if orientation != Qt.Orientation.Horizontal or extra < 0 or extra >= self._extra:
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _("Attaché") if extra == 0 else _("Post")
        return None

    def column_label(self, column: int) -> str:
        extra = column - len(self.columns)
        if extra < 0:
            return super().column_label(column)
        return _("Attaché") if extra == 0 else _("Post")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The attaché and post columns are not stored fields: the list keeps its order.
        super().sort(column if column < len(self.columns) else -1, order)

    def reload(self) -> None:
        if self._authors is None or self._ctx.vault is None or self.filter_text:
            super().reload()
            return
        # Filtered by author: every record of the kind at once (the filter runs on them all,
        # so pages would come back short), sorted like the plain list.
        self._reset(exhausted=False)
        cls, order = self.cls, self._order

        def work(vault: Vault) -> list[Record]:
            return vault.records.list(cls, sort=order)

        self._start(work, last_page=True)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        # Filtered by author, the whole list comes at once (reload): no pages to fetch.
        return self._authors is None and super().canFetchMore(parent)

    def _on_page_loaded(self, records: list[Record], *, last_page: bool) -> None:
        if self._authors is not None:
            records = by_authors(records, self._authors)
        super()._on_page_loaded(records, last_page=last_page)

    def _on_ctx_reviewer_changed(self) -> None:
        extra = 2 if self._ctx.reviewer.reviewer else 0
        if extra != self._extra:
            self.beginResetModel()
            self._extra = extra
            self._authors = None if not extra else self._authors
            self.endResetModel()
        if self._ctx.vault is not None:
            self.reload()
